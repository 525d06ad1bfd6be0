"""Contributory levels in the store: their names, renaming, and the theme x level counts.

The theme x level report counts from ``weakness_levels`` (one narrow row per live weakness
finding with themes or levels, kept by triggers; see db.schema's m010_levels): the period's
findings grouped by (themes, level mask), a few thousand groups at most, which Python spreads
over themes and levels.
"""

from __future__ import annotations

import contextlib
from collections import Counter
from collections.abc import Iterator
from datetime import date
from typing import TYPE_CHECKING, Any

from db.base import StoreError, drop_schema_objects, write_transaction
from db.history import record_change
from db.reference import list_themes
from db.theme_counts import theme_totals
from findings.levels import ThemeLevelReport, ThemeLevels, levels_of_mask
from findings.models import LEVEL_ORDER, MAX_SHORT, Level, clean_text
from findings.recurrence import previous_period

if TYPE_CHECKING:
    import sqlite_utils

    from db.base import Reader


class LevelError(StoreError):
    """A level change that cannot be made, worded for the user."""


def level_names(db: Reader) -> dict[Level, str]:
    """Each level's display name, in the documented order."""
    rows = dict(db.execute("SELECT slug, name FROM levels").fetchall())
    return {level: rows.get(level.value, level.label) for level in Level}


def rename_level(
    db: sqlite_utils.Database, level: Level, name: str, *, actor: str | None = None
) -> str:
    """Give a level a new display name (its value stays); returns the name as stored."""
    name = clean_text(name, multiline=False)
    if not name or len(name) > MAX_SHORT:
        raise LevelError(f"A level's name is 1 to {MAX_SHORT} characters.")
    with write_transaction(db):
        names = level_names(db)
        clash = [lv for lv, n in names.items() if lv is not level and n.lower() == name.lower()]
        if clash:
            raise LevelError(f"The level '{clash[0].value}' is already called '{names[clash[0]]}'.")
        db.execute("UPDATE levels SET name = ? WHERE slug = ?", [name, level.value])
        record_change(
            db,
            entity="level",
            entity_id=level.value,
            action="update",
            before={"name": names[level]},
            after={"name": name},
            actor=actor,
        )
    return name


# Bit i of a finding's mask is the i-th level; the next bit says one of its levels is unconfirmed
# (db.schema's m010_levels keeps weakness_levels with these masks).
_UNCONFIRMED_BIT = 1 << len(Level)
_MASK_OF_LEVELS = (
    " + ".join(f"max(level = '{lv.value}') * {1 << i}" for lv, i in LEVEL_ORDER.items())
    + f" + {_UNCONFIRMED_BIT} * max(origin = 'suggested')"
)


Pdus = tuple[str, ...] | None
"""The PDUs a report counts (one, or a region's), or None for the whole file."""


def _scope(start: date, end: date, pdus: Pdus, alias: str = "w") -> tuple[str, list[Any]]:
    clause = f"{alias}.event_date BETWEEN ? AND ?"
    params: list[Any] = [start.isoformat(), end.isoformat()]
    if pdus is not None:
        clause += f" AND {alias}.pdu IN ({', '.join('?' * len(pdus))})"
        params.extend(pdus)
    return clause, params


def _weakness_findings(
    db: Reader, start: date, end: date, *, pdu: str | None, region: str | None
) -> int:
    """The period's live weakness findings, from the kept per-day and per-month counts."""
    return theme_totals(db, start, end, region=region, pdu=pdu).get("", 0)


def _mask_counts(db: Reader, start: date, end: date, pdus: Pdus) -> Counter[int]:
    where, params = _scope(start, end, pdus)
    rows = db.execute(
        f"SELECT w.mask, count(*) FROM weakness_levels w WHERE {where} GROUP BY w.mask", params
    ).fetchall()
    return Counter({int(mask): int(n) for mask, n in rows})


def _theme_mask_counts(
    db: Reader, start: date, end: date, pdus: Pdus
) -> list[tuple[str, int, int]]:
    """(themes, mask, findings) for the period: a few thousand combinations at most."""
    where, params = _scope(start, end, pdus)
    # Read in (themes, mask) order: the groups come out without sorting the period's rows.
    rows = db.execute(
        "SELECT w.themes, w.mask, count(*) "
        f"FROM weakness_levels w INDEXED BY idx_weakness_levels_themes WHERE {where} "
        "GROUP BY w.themes, w.mask",
        params,
    ).fetchall()
    return [(themes, int(mask), int(n)) for themes, mask, n in rows]


def _expected_rows(first_seq: int) -> str:
    """SELECT of the weakness_levels rows the findings from ``first_seq`` on should have."""
    return (
        "SELECT f.seq, f.event_date, f.pdu, coalesce(l.mask, 0), coalesce(t.themes, '') "
        "FROM findings f "
        f"LEFT JOIN (SELECT finding_seq, {_MASK_OF_LEVELS} AS mask FROM finding_levels "
        f"WHERE finding_seq >= {first_seq} GROUP BY finding_seq) l ON l.finding_seq = f.seq "
        "LEFT JOIN (SELECT finding_seq, group_concat(theme_slug, ' ') AS themes "
        f"FROM finding_themes WHERE finding_seq >= {first_seq} GROUP BY finding_seq) t "
        "ON t.finding_seq = f.seq "
        f"WHERE f.seq >= {first_seq} AND f.polarity = 'weakness' AND f.deleted_at IS NULL "
        "AND (l.mask OR t.themes IS NOT NULL)"
    )


@contextlib.contextmanager
def weakness_levels_deferred(db: sqlite_utils.Database, first_seq: int) -> Iterator[None]:
    """Around appending findings from ``first_seq`` on (inside the caller's transaction): the
    triggers keeping ``weakness_levels`` are set aside, and the new findings' rows are written
    in one go when the block ends (grouped scans of their levels and themes instead of one
    trigger per tag), then the triggers are restored.

    Only for findings appended in the block: a change to a finding stored before it would not
    reach ``weakness_levels``.
    """
    triggers = drop_schema_objects(
        db, "trigger", "name LIKE ? ESCAPE '\\'", ["weakness\\_levels\\_%"]
    )
    yield
    db.execute(
        "INSERT OR REPLACE INTO weakness_levels (seq, event_date, pdu, mask, themes) "
        + _expected_rows(int(first_seq))
    )
    for sql in triggers:
        db.execute(sql)


def level_mismatches(db: Reader) -> int:
    """How many weakness_levels rows differ from what the findings, themes and levels say
    (for ``leap check``: the theme x level figures are only as good as this table)."""
    expected = _expected_rows(0)
    actual = "SELECT seq, event_date, pdu, mask, themes FROM weakness_levels"
    row = db.execute(
        "SELECT count(DISTINCT seq) FROM ("
        f"SELECT * FROM ({expected} EXCEPT {actual}) "
        f"UNION ALL SELECT * FROM ({actual} EXCEPT {expected}))"
    ).fetchone()
    return int(row[0])


def _level_totals(masks: Counter[int]) -> tuple[dict[Level, int], int, int]:
    """Findings at each level, findings at one level or more, findings with an unconfirmed one."""
    totals: dict[Level, int] = dict.fromkeys(Level, 0)
    placed = unconfirmed = 0
    for mask, n in masks.items():
        levels = levels_of_mask(mask)
        for level in levels:
            totals[level] += n
        if levels:
            placed += n
        if mask & _UNCONFIRMED_BIT:
            unconfirmed += n
    return totals, placed, unconfirmed


def theme_level_report(
    db: Reader,
    period_start: date,
    period_end: date,
    *,
    pdu: str | None = None,
    region: str | None = None,
) -> ThemeLevelReport:
    """Where a period's weakness findings sit, by theme and level, against the previous period.

    Scope is the file, one PDU, or one region of a national file (its PDUs). Both ends are
    inclusive; the previous period is the one of equal length just before. Themes are listed
    most findings first; a finding at two levels counts at both.
    """
    pdus: Pdus = None
    if pdu is not None:
        pdus = (pdu,)
    elif region is not None:
        pdus = tuple(
            code for (code,) in db.execute("SELECT code FROM pdus WHERE region = ?", [region])
        )
    previous_start, previous_end = previous_period(period_start, period_end)
    # Each finding sits in exactly one (themes, mask) group: the mask counts follow from them.
    current: Counter[int] = Counter()
    per_theme: dict[str, Counter[Level]] = {}
    theme_findings: Counter[str] = Counter()
    for slugs, mask, n in _theme_mask_counts(db, period_start, period_end, pdus):
        current[mask] += n
        levels = levels_of_mask(mask)
        for slug in slugs.split():
            theme_findings[slug] += n
            counts = per_theme.setdefault(slug, Counter())
            for level in levels:
                counts[level] += n
    previous = _mask_counts(db, previous_start, previous_end, pdus)
    weakness_findings = _weakness_findings(db, period_start, period_end, pdu=pdu, region=region)
    totals, placed, unconfirmed = _level_totals(current)
    previous_totals, _, _ = _level_totals(previous)
    known = list_themes(db, include_inactive=True)
    order = {t.slug: i for i, t in enumerate(known)}
    names = {t.slug: t.name for t in known}
    themes = [
        ThemeLevels(
            slug=slug,
            name=names.get(slug, slug),
            findings=theme_findings[slug],
            at_level={level: per_theme[slug][level] for level in Level},
        )
        for slug in sorted(theme_findings, key=lambda s: (-theme_findings[s], order.get(s, 10**4)))
    ]
    return ThemeLevelReport(
        period_start=period_start,
        period_end=period_end,
        previous_start=previous_start,
        previous_end=previous_end,
        level_names=level_names(db),
        themes=themes,
        weakness_findings=weakness_findings,
        level_findings=totals,
        unplaced=weakness_findings - placed,
        unconfirmed=unconfirmed,
        previous_weakness_findings=_weakness_findings(
            db, previous_start, previous_end, pdu=pdu, region=region
        ),
        previous_level_findings=previous_totals,
    )
