"""Moderation rounds in the store: drawing a sample, blind codings, agreed codings, agreement."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from db.base import StoreError, write_transaction
from db.history import current_actor, now_utc, record_change
from findings.agreement import ThemeAgreement, pooled_themes
from findings.models import Polarity, TagOrigin, ThemeTag
from findings.moderation import (
    DEFAULT_SIZE,
    MAX_SIZE,
    ROUNDS_FOR_FLAGS,
    ModerationRound,
    RoundAgreement,
    SampleItem,
    draw_sample,
    new_seed,
    round_agreement,
    same_person,
)

if TYPE_CHECKING:
    import sqlite_utils

    from db.base import Reader


class ModerationError(StoreError):
    """A moderation request that cannot be carried out; the message says why."""


@dataclass(frozen=True)
class RoundStarted:
    """A round just drawn, and what the user should know about the draw."""

    round: ModerationRound
    messages: list[str]


def _period_pool(
    db: Reader, start: date, end: date, coder: str
) -> tuple[dict[str, list[str]], int]:
    """Live findings of the period by source type (oldest first), leaving out the coder's own,
    and how many of the coder's own were left out."""
    strata: dict[str, list[str]] = {}
    own = 0
    for finding_id, source_type, recorded_by in db.execute(
        "SELECT id, source_type, recorded_by FROM findings WHERE deleted_at IS NULL "
        "AND event_date BETWEEN ? AND ? ORDER BY seq",
        [start.isoformat(), end.isoformat()],
    ):
        if recorded_by and same_person(recorded_by, coder):
            own += 1
            continue
        strata.setdefault(source_type, []).append(finding_id)
    return strata, own


def _tagger_coding(text: str, user_themes: list[Any]) -> tuple[list[str], str]:
    """The tagger's themes and polarity for a finding's text ('' polarity if no tagger)."""
    from findings.suggest import suggest_themes

    themes = [s.slug for s in suggest_themes(text, user_themes)]
    try:
        from findings.tagger import default_tagger
    except ImportError:
        return themes, ""
    return themes, default_tagger().tag(text).polarity


def start_round(
    db: sqlite_utils.Database,
    *,
    period_start: date,
    period_end: date,
    coder: str,
    size: int = DEFAULT_SIZE,
    seed: int | None = None,
    panel_id: str | None = None,
    actor: str | None = None,
) -> RoundStarted:
    """Draw a stratified random sample of the period's findings for ``coder`` to code blind."""
    from db.reference import list_themes

    coder = " ".join(coder.split())
    if not coder:
        raise ModerationError("coder: give the second coder's name")
    if not 1 <= size <= MAX_SIZE:
        raise ModerationError(f"size: a round holds 1 to {MAX_SIZE} findings, not {size}")
    if period_start > period_end:
        raise ModerationError("period: the first day is after the last day")
    strata, own = _period_pool(db, period_start, period_end, coder)
    available = sum(len(ids) for ids in strata.values())
    if available == 0:
        if own:
            raise ModerationError(
                f"coder: {coder} recorded every finding of this period ({own}); the second "
                "coder must be someone other than the first"
            )
        raise ModerationError(
            f"period: no findings have an event date from {period_start} to {period_end}"
        )
    seed = new_seed() if seed is None else seed
    ids = draw_sample(strata, size, seed)
    messages = []
    if available < size:
        messages.append(
            f"The period holds only {available} findings the coder can take; all {available} "
            f"are in the sample (asked for {size})."
        )
    if own:
        messages.append(
            f"{own} findings recorded by {coder} were left out: no one codes their own blind."
        )
    user_themes = list_themes(db)
    items = []
    for position, finding_id in enumerate(ids, start=1):
        row = db.execute(
            "SELECT seq, source_type, recorded_by, polarity, summary, narrative FROM findings "
            "WHERE id = ?",
            [finding_id],
        ).fetchone()
        seq, source_type, recorded_by, polarity, summary, narrative = row
        first = [
            r[0]
            for r in db.execute(
                "SELECT theme_slug FROM finding_themes WHERE finding_seq = ? ORDER BY theme_slug",
                [seq],
            )
        ]
        tagger_themes, tagger_polarity = _tagger_coding(f"{summary}\n{narrative}", user_themes)
        items.append(
            (
                position,
                finding_id,
                source_type,
                recorded_by,
                json.dumps(first),
                polarity,
                json.dumps(sorted(tagger_themes)),
                tagger_polarity,
            )
        )
    note = " ".join(messages)
    with write_transaction(db):
        cursor = db.execute(
            "INSERT INTO moderation_rounds (period_start, period_end, panel_id, coder, seed, "
            "size_requested, note, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                period_start.isoformat(),
                period_end.isoformat(),
                panel_id,
                coder,
                seed,
                size,
                note,
                actor if actor is not None else current_actor(db),
                now_utc(),
            ],
        )
        round_id = cursor.lastrowid
        assert round_id is not None
        db.conn.executemany(
            "INSERT INTO moderation_sample (round_id, position, finding_id, source_type, "
            "first_coder, first_themes, first_polarity, tagger_themes, tagger_polarity) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [(round_id, *item) for item in items],
        )
        record_change(
            db,
            entity="moderation_round",
            entity_id=str(round_id),
            action="create",
            before=None,
            after={
                "period_start": period_start.isoformat(),
                "period_end": period_end.isoformat(),
                "coder": coder,
                "seed": seed,
                "size": len(items),
            },
            actor=actor,
        )
    return RoundStarted(get_round(db, round_id), messages)


_ROUND_COLUMNS = (
    "id, period_start, period_end, coder, seed, size_requested, created_at, panel_id, note"
)


def _round_from_row(row: tuple[Any, ...], items: list[SampleItem]) -> ModerationRound:
    return ModerationRound(
        id=row[0],
        period_start=date.fromisoformat(row[1]),
        period_end=date.fromisoformat(row[2]),
        coder=row[3],
        seed=row[4],
        size_requested=row[5],
        created_at=datetime.fromisoformat(row[6]),
        panel_id=row[7],
        note=row[8],
        items=items,
    )


def _slugs(value: str | None) -> frozenset[str] | None:
    return None if value is None else frozenset(json.loads(value))


def _items(db: Reader, round_id: int) -> list[SampleItem]:
    rows = db.execute(
        "SELECT s.position, s.finding_id, s.source_type, s.first_coder, s.first_themes, "
        "s.first_polarity, s.tagger_themes, s.tagger_polarity, f.summary, f.narrative, "
        "f.id IS NULL OR f.deleted_at IS NOT NULL, c.themes, c.polarity, d.themes, d.polarity, "
        "d.note FROM moderation_sample s LEFT JOIN findings f ON f.id = s.finding_id "
        "LEFT JOIN moderation_codings c ON c.round_id = s.round_id AND c.position = s.position "
        "LEFT JOIN moderation_decisions d ON d.round_id = s.round_id "
        "AND d.position = s.position WHERE s.round_id = ? ORDER BY s.position",
        [round_id],
    ).fetchall()
    return [
        SampleItem(
            position=r[0],
            finding_id=r[1],
            source_type=r[2],
            first_coder=r[3],
            first_themes=frozenset(json.loads(r[4])),
            first_polarity=r[5],
            tagger_themes=frozenset(json.loads(r[6])),
            tagger_polarity=r[7],
            summary=r[8] or "",
            narrative=r[9] or "",
            deleted=bool(r[10]),
            second_themes=_slugs(r[11]),
            second_polarity=r[12],
            agreed_themes=_slugs(r[13]),
            agreed_polarity=r[14],
            note=r[15] or "",
        )
        for r in rows
    ]


def get_round(db: Reader, round_id: int) -> ModerationRound:
    """One round with its sample, codings and decisions."""
    row = db.execute(
        f"SELECT {_ROUND_COLUMNS} FROM moderation_rounds WHERE id = ?", [round_id]
    ).fetchone()
    if row is None:
        raise ModerationError(f"round: there is no moderation round {round_id}")
    return _round_from_row(row, _items(db, round_id))


def list_rounds(db: Reader) -> list[ModerationRound]:
    """Every round, newest first, each with its sample."""
    rows = db.execute(f"SELECT {_ROUND_COLUMNS} FROM moderation_rounds ORDER BY id DESC").fetchall()
    return [_round_from_row(r, _items(db, r[0])) for r in rows]


def _completed_newest_first(db: Reader) -> list[ModerationRound]:
    finished = {
        r[0]: r[1]
        for r in db.execute(
            "SELECT round_id, max(coded_at) FROM moderation_codings GROUP BY round_id"
        )
    }
    rounds = [r for r in list_rounds(db) if r.complete]
    return sorted(rounds, key=lambda r: (finished.get(r.id, ""), r.id), reverse=True)


def latest_completed(db: Reader, limit: int = ROUNDS_FOR_FLAGS) -> list[RoundAgreement]:
    """The agreement of the latest ``limit`` completed rounds, the most recently finished first."""
    return [round_agreement(r) for r in _completed_newest_first(db)[:limit]]


def low_agreement_themes(db: Reader) -> dict[str, ThemeAgreement]:
    """Themes whose coder-against-coder kappa, pooled over the latest completed rounds, is
    below 0.6 (themes too rare in those samples to judge are not flagged)."""
    agreements = [a.coders for a in latest_completed(db)]
    return {slug: t for slug, t in pooled_themes(agreements).items() if t.low}


def _check_item(db: Reader, round_id: int, position: int) -> SampleItem:
    moderation_round = get_round(db, round_id)
    item = next((i for i in moderation_round.items if i.position == position), None)
    if item is None:
        raise ModerationError(f"position: round {round_id} has no finding {position}")
    if item.deleted:
        raise ModerationError(
            f"finding {item.finding_id[:8]} was deleted after the draw; it is skipped"
        )
    return item


def _check_coding(db: Reader, themes: Iterable[str], polarity: str) -> list[str]:
    known = {r[0] for r in db.execute("SELECT slug FROM themes")}
    chosen = sorted(set(themes))
    unknown = [s for s in chosen if s not in known]
    if unknown:
        raise ModerationError(f"themes: unknown theme(s) {', '.join(unknown)}")
    if polarity not in {p.value for p in Polarity}:
        raise ModerationError(f"polarity: '{polarity}' is not weakness or strength")
    return chosen


def save_coding(
    db: sqlite_utils.Database,
    round_id: int,
    position: int,
    themes: Iterable[str],
    polarity: str,
) -> ModerationRound:
    """Store the second coder's coding of one finding (again to change it); returns the round."""
    item = _check_item(db, round_id, position)
    chosen = _check_coding(db, themes, polarity)
    coder = get_round(db, round_id).coder
    with write_transaction(db):
        db.execute(
            "INSERT INTO moderation_codings (round_id, position, themes, polarity, coded_by, "
            "coded_at) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (round_id, position) DO UPDATE SET "
            "themes = excluded.themes, polarity = excluded.polarity, coded_at = excluded.coded_at",
            [round_id, item.position, json.dumps(chosen), polarity, coder, now_utc()],
        )
    return get_round(db, round_id)


def record_decision(
    db: sqlite_utils.Database,
    round_id: int,
    position: int,
    themes: Iterable[str],
    polarity: str,
    *,
    note: str = "",
    actor: str | None = None,
    today: date | None = None,
) -> ModerationRound:
    """Record the agreed coding of a disagreement and apply it to the finding (its themes
    become 'moderated'; the change goes into the finding's history)."""
    from db.findings_store import get_finding, save_finding
    from findings.models import clean_text

    item = _check_item(db, round_id, position)
    if not item.coded:
        raise ModerationError(f"position: finding {position} has not been coded by both coders")
    chosen = _check_coding(db, themes, polarity)
    note = clean_text(note, multiline=True)[:2000]
    who = actor if actor is not None else current_actor(db)
    with write_transaction(db):
        finding = get_finding(db, item.finding_id)
        if finding is None or finding.deleted_at is not None:
            raise ModerationError(f"finding {item.finding_id[:8]} was deleted; it is skipped")
        updated = finding.model_copy(
            update={
                "themes": [ThemeTag(slug=s, origin=TagOrigin.MODERATED) for s in chosen],
                "polarity": Polarity(polarity),
            }
        )
        save_finding(db, updated, actor=who, today=today)
        db.execute(
            "INSERT INTO moderation_decisions (round_id, position, themes, polarity, note, "
            "decided_by, decided_at) VALUES (?, ?, ?, ?, ?, ?, ?) "
            "ON CONFLICT (round_id, position) DO UPDATE SET themes = excluded.themes, "
            "polarity = excluded.polarity, note = excluded.note, "
            "decided_by = excluded.decided_by, decided_at = excluded.decided_at",
            [round_id, position, json.dumps(chosen), polarity, note, who, now_utc()],
        )
    return get_round(db, round_id)
