"""Recurring themes from the store: the one report the screen and the briefing share.

Every count comes from the per-month and per-day theme counts the store keeps in step with
each write (``db.theme_counts``), so a report reads at most a few thousand count rows whatever
the period; only the findings behind each count (``include_ids``) are read from the findings.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from db.base import in_region, write_transaction
from db.history import record_change
from db.reference import list_themes, pdu_names, region_names, unknown_region_message
from db.theme_counts import pair_totals, theme_breakdown, theme_totals
from findings.recurrence import (
    RecurrenceReport,
    RecurrenceRules,
    RegionComparison,
    ThemeRecurrence,
    compute_trend,
    previous_period,
    rank_pairs,
    recurring_verdict,
)

if TYPE_CHECKING:
    import sqlite_utils

    from db.base import Reader

RULES_KEY = "recurrence_rules"


def load_rules(db: Reader) -> RecurrenceRules:
    """The recurrence rules this database uses (the defaults until a user changes them)."""
    row = db.execute("SELECT value FROM meta WHERE key = ?", [RULES_KEY]).fetchone()
    if not row:
        return RecurrenceRules()
    try:
        data = json.loads(row[0] or "{}")
        return RecurrenceRules.from_dict(data if isinstance(data, dict) else {})
    except (ValueError, TypeError):
        # A hand-edited or damaged value must not stop the themes view from opening.
        return RecurrenceRules()


def save_rules(
    db: sqlite_utils.Database, rules: RecurrenceRules, *, actor: str | None = None
) -> None:
    """Store new recurrence rules, recording the change in the history."""
    with write_transaction(db):
        before = load_rules(db)
        db.execute(
            "INSERT INTO meta (key, value) VALUES (?, ?) "
            "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            [RULES_KEY, json.dumps(rules.to_dict())],
        )
        record_change(
            db,
            entity="settings",
            entity_id=RULES_KEY,
            action="update",
            before=before.to_dict(),
            after=rules.to_dict(),
            actor=actor,
        )


@dataclass(frozen=True)
class _Scope:
    """The findings a report counts: weakness, not deleted, in a date range, maybe one region
    or one PDU."""

    start: date
    end: date
    region: str | None
    pdu: str | None

    def where(self) -> tuple[str, list[Any]]:
        clause = "f.event_date BETWEEN ? AND ? AND f.polarity = 'weakness' AND f.deleted_at IS NULL"
        params: list[Any] = [self.start.isoformat(), self.end.isoformat()]
        if self.region is not None:
            clause += " AND f.region = ?"
            params.append(self.region)
        if self.pdu is not None:
            clause += " AND f.pdu = ?"
            params.append(self.pdu)
        return clause, params

    def totals(self, db: Reader) -> dict[str, int]:
        """Each theme's count ('' for the weakness findings), from the kept counts."""
        return theme_totals(db, self.start, self.end, region=self.region, pdu=self.pdu)


@dataclass(frozen=True)
class _ThemeFigures:
    count: int
    source_types: tuple[str, ...]
    pdus: tuple[str, ...]
    finding_ids: tuple[str, ...]


def _theme_figures(db: Reader, scope: _Scope, *, include_ids: bool) -> dict[str, _ThemeFigures]:
    """Each theme's count, source types and PDUs (from the kept counts) and, when asked, the
    findings behind the count (from the findings' index). Key '': the weakness findings."""
    counts, sources, pdus = theme_breakdown(
        db, scope.start, scope.end, region=scope.region, pdu=scope.pdu
    )
    ids = _finding_ids(db, scope) if include_ids else {}
    return {
        slug: _ThemeFigures(
            n,
            tuple(sorted(sources.get(slug, ()))),
            tuple(sorted(pdus.get(slug, ()))),
            ids.get(slug, ()),
        )
        for slug, n in counts.items()
    }


_NO_FIGURES = _ThemeFigures(0, (), (), ())


def _finding_ids(db: Reader, scope: _Scope) -> dict[str, tuple[str, ...]]:
    where, params = scope.where()
    rows = db.execute(
        "SELECT ft.theme_slug, group_concat(f.id) "
        "FROM findings f JOIN finding_themes ft ON ft.finding_seq = f.seq "
        f"WHERE {where} GROUP BY ft.theme_slug",
        params,
    ).fetchall()
    return {slug: tuple(sorted(ids.split(","))) for slug, ids in rows}


def latest_panel_periods(
    db: Reader, period_end: date, limit: int, *, region: str | None = None
) -> list[tuple[date, date]]:
    """Periods of the latest ``limit`` panels (one region's) ending by ``period_end``, latest
    first."""
    if limit <= 0:
        return []
    where, params = in_region(region)
    rows = db.execute(
        f"SELECT period_start, period_end FROM panels WHERE period_end <= ?{where} "
        "ORDER BY period_end DESC, period_start DESC LIMIT ?",
        [period_end.isoformat(), *params, limit],
    ).fetchall()
    return [(date.fromisoformat(s), date.fromisoformat(e)) for s, e in rows]


def recurrence_report(
    db: Reader,
    period_start: date,
    period_end: date,
    *,
    pdu: str | None = None,
    region: str | None = None,
    rules: RecurrenceRules | None = None,
    include_ids: bool = True,
) -> RecurrenceReport:
    """Each theme's recurrence among weakness findings of a period (both ends inclusive).

    Scope is every region in the file, one region when ``region`` (a code) is given, or one
    PDU when ``pdu`` is given. The previous period is the one of
    equal length just before ``period_start``. ``rules`` default to the database's own.
    ``include_ids=False`` skips listing the findings behind each count (for very large periods
    when only the figures are shown).
    """
    if pdu is not None and pdu not in pdu_names(db):
        raise ValueError(f"unknown PDU '{pdu}'")
    rules = rules or load_rules(db)
    previous_start, previous_end = previous_period(period_start, period_end)
    if region is not None and region not in region_names(db):
        raise ValueError(unknown_region_message(db, [region]))
    scope = _Scope(period_start, period_end, region, pdu)
    previous_scope = _Scope(previous_start, previous_end, region, pdu)

    current = _theme_figures(db, scope, include_ids=include_ids)
    previous = previous_scope.totals(db)
    weakness_findings = current.pop("", _NO_FIGURES).count
    previous_weakness_findings = previous.pop("", 0)
    panels = latest_panel_periods(db, period_end, rules.consecutive_panel_periods, region=region)
    presence = [set(_Scope(s, e, region, pdu).totals(db)) - {""} for s, e in panels]

    known = list_themes(db, include_inactive=True)
    order = {t.slug: i for i, t in enumerate(known)}
    names = {t.slug: t.name for t in known}
    slugs = {t.slug for t in known if t.active} | set(current) | set(previous)
    themes: list[ThemeRecurrence] = []
    for slug in slugs:
        figures = current.get(slug, _NO_FIGURES)
        previous_count = previous.get(slug, 0)
        seen_in_panels = [slug in present for present in presence]
        recurring, reason = recurring_verdict(
            figures.count, len(figures.source_types), seen_in_panels, rules
        )
        themes.append(
            ThemeRecurrence(
                slug=slug,
                name=names.get(slug, slug),
                count=figures.count,
                previous_count=previous_count,
                trend=compute_trend(figures.count, previous_count),
                source_types=figures.source_types,
                pdus=figures.pdus,
                recurring=recurring,
                recurring_reason=reason,
                finding_ids=figures.finding_ids,
                panel_periods_present=sum(seen_in_panels),
            )
        )
    themes.sort(key=lambda t: (-t.count, -t.previous_count, order.get(t.slug, 10_000), t.slug))
    return RecurrenceReport(
        period_start=period_start,
        period_end=period_end,
        previous_start=previous_start,
        previous_end=previous_end,
        pdu=pdu,
        rules=rules,
        themes=themes,
        pairs=rank_pairs(pair_totals(db, period_start, period_end, region=region, pdu=pdu)),
        weakness_findings=weakness_findings,
        previous_weakness_findings=previous_weakness_findings,
        panel_periods=tuple(panels),
        region=region,
    )


def region_comparison(db: Reader, period_start: date, period_end: date) -> RegionComparison:
    """Every region's theme counts and weakness findings over a period, side by side.

    A region of the file that holds no finding at all (a national file's own region when all
    its findings came from merged regional files) is left out: a column of nothing reads as
    "none of these themes" rather than "no data"."""
    holding = {
        code
        for (code,) in db.execute(
            "SELECT DISTINCT p.region FROM pdus p "
            "WHERE EXISTS (SELECT 1 FROM findings f WHERE f.pdu = p.code)"
        )
    }
    regions = [(code, name) for code, name in region_names(db).items() if code in holding]
    counts: dict[str, dict[str, int]] = {}
    findings: dict[str, int] = {}
    for code, _ in regions:
        totals = theme_totals(db, period_start, period_end, region=code)
        findings[code] = totals.pop("", 0)
        for slug, n in totals.items():
            counts.setdefault(slug, {})[code] = n
    return RegionComparison(
        period_start=period_start,
        period_end=period_end,
        regions=regions,
        weakness_findings=findings,
        counts=counts,
        names={t.slug: t.name for t in list_themes(db, include_inactive=True)},
    )
