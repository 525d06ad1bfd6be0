"""Storing LEAP panels, their decisions and marked items; the period queries a briefing needs."""

from __future__ import annotations

import json
import uuid
from datetime import date
from typing import TYPE_CHECKING, Any

from db.base import StoreError, in_region, write_transaction
from db.history import now_utc, record_change
from findings.actions import LearningAction
from findings.panel_cycle import default_period, next_panel_date

if TYPE_CHECKING:
    import sqlite_utils

    from db.base import Reader

from findings.panels import (
    FindingRef,
    FindingText,
    Panel,
    PanelDecision,
    PanelItem,
    PanelItemKind,
    PanelStatus,
    QuestionTally,
)


class PanelNotFound(StoreError):
    """No panel matches what the user asked for."""


_PANEL_COLUMNS = "id, held_on, chair, period_start, period_end, status, attendees, minutes"


def _row_to_panel(row: tuple[Any, ...], decisions: list[PanelDecision]) -> Panel:
    pid, held_on, chair, start, end, status, attendees, minutes = row
    return Panel(
        id=uuid.UUID(pid),
        held_on=date.fromisoformat(held_on),
        chair=chair,
        period_start=date.fromisoformat(start),
        period_end=date.fromisoformat(end),
        status=PanelStatus(status),
        attendees=json.loads(attendees or "[]"),
        minutes=minutes,
        decisions=decisions,
    )


def _decisions_by_panel(db: Reader, panel_ids: list[str]) -> dict[str, list[PanelDecision]]:
    found: dict[str, list[PanelDecision]] = {pid: [] for pid in panel_ids}
    if not panel_ids:
        return found
    rows = db.execute(
        "SELECT panel_id, id, text FROM panel_decisions WHERE panel_id IN "
        f"({', '.join('?' * len(panel_ids))}) ORDER BY created_at, rowid",
        panel_ids,
    ).fetchall()
    for panel_id, did, text in rows:
        found[panel_id].append(PanelDecision(id=uuid.UUID(did), text=text))
    return found


def list_panels(db: Reader, *, region: str | None = None) -> list[Panel]:
    """Every panel (or one region's, by code), the most recent (or next planned) first, with
    its decisions."""
    where, params = in_region(region, "p")
    rows = db.execute(
        f"SELECT {_PANEL_COLUMNS} FROM panels p WHERE 1{where} ORDER BY held_on DESC", params
    ).fetchall()
    decisions = _decisions_by_panel(db, [r[0] for r in rows])
    return [_row_to_panel(r, decisions[r[0]]) for r in rows]


def get_panel(db: Reader, panel_id: uuid.UUID | str) -> Panel:
    """The panel with this id; raises :class:`PanelNotFound`."""
    row = db.execute(
        f"SELECT {_PANEL_COLUMNS} FROM panels WHERE id = ?", [str(panel_id)]
    ).fetchone()
    if row is None:
        raise PanelNotFound(f"No panel with id {panel_id}.")
    return _row_to_panel(row, _decisions_by_panel(db, [row[0]])[row[0]])


def find_panel(db: Reader, ref: str | None = None) -> Panel:
    """A panel by date (YYYY-MM-DD) or id (or its start); the latest when ``ref`` is None."""
    if ref is None or not ref.strip():
        row = db.execute(
            f"SELECT {_PANEL_COLUMNS} FROM panels ORDER BY held_on DESC LIMIT 1"
        ).fetchone()
        if row is None:
            raise PanelNotFound("There are no panels yet: plan one in the app (key 3) first.")
        return get_panel(db, row[0])
    ref = ref.strip()
    try:
        day = date.fromisoformat(ref)
    except ValueError:
        rows = db.execute(
            "SELECT id FROM panels WHERE id LIKE ? ESCAPE '\\' LIMIT 2",
            [ref.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"],
        ).fetchall()
    else:
        rows = db.execute("SELECT id FROM panels WHERE held_on = ?", [day.isoformat()]).fetchall()
    if not rows:
        raise PanelNotFound(f"No panel matches '{ref}' (give its date, YYYY-MM-DD, or its id).")
    if len(rows) > 1:
        raise PanelNotFound(f"More than one panel matches '{ref}'; give more of its id.")
    return get_panel(db, rows[0][0])


def previous_panel(db: Reader, held_on: date, *, region: str | None = None) -> Panel | None:
    """The panel (one region's) held (or planned) last before ``held_on``."""
    where, params = in_region(region, "p")
    row = db.execute(
        f"SELECT {_PANEL_COLUMNS} FROM panels p WHERE held_on < ?{where} "
        "ORDER BY held_on DESC LIMIT 1",
        [held_on.isoformat(), *params],
    ).fetchone()
    return _row_to_panel(row, []) if row else None


def next_panel(db: Reader, held_on: date, *, region: str | None = None) -> Panel | None:
    """The panel (one region's) after ``held_on``, if one is planned."""
    where, params = in_region(region, "p")
    row = db.execute(
        f"SELECT {_PANEL_COLUMNS} FROM panels p WHERE held_on > ?{where} ORDER BY held_on LIMIT 1",
        [held_on.isoformat(), *params],
    ).fetchone()
    return _row_to_panel(row, []) if row else None


def panel_region(db: Reader, panel_id: uuid.UUID | str) -> str:
    """The code of the region a panel belongs to; raises :class:`PanelNotFound`."""
    row = db.execute("SELECT region FROM panels WHERE id = ?", [str(panel_id)]).fetchone()
    if row is None:
        raise PanelNotFound(f"No panel with id {panel_id}.")
    return str(row[0])


def panel_scope_region(db: Reader, panel_id: uuid.UUID | str) -> str | None:
    """The region whose records a panel's figures cover: its own in a file of more than one
    region, None (every record) in a file of one."""
    from db.reference import region_names

    return panel_region(db, panel_id) if len(region_names(db)) > 1 else None


def latest_panel_of_each_region(db: Reader) -> dict[str, tuple[date, str]]:
    """Each region's (code) latest panel: its date and chair (regions without panels absent)."""
    # SQLite takes the bare column (chair) from the row holding the max().
    rows = db.execute("SELECT region, max(held_on), chair FROM panels GROUP BY region")
    return {code: (date.fromisoformat(day), chair) for code, day, chair in rows.fetchall()}


def panel_regions(db: Reader) -> dict[str, str]:
    """Panel id to the code of the region it belongs to, for every panel."""
    return dict(db.execute("SELECT id, region FROM panels").fetchall())


def _snapshot(panel: Panel) -> dict[str, Any]:
    return panel.model_dump(mode="json", exclude={"decisions"})


def create_panel(
    db: sqlite_utils.Database,
    held_on: date,
    *,
    chair: str = "",
    period: tuple[date, date] | None = None,
    status: PanelStatus = PanelStatus.PLANNED,
    attendees: list[str] | None = None,
    minutes: str = "",
    region: str | None = None,
    actor: str | None = None,
) -> Panel:
    """Add a panel of ``region`` (a code; default: the file's own region); its period runs from
    that region's previous panel's date unless given."""
    from db.reference import home_region, region_names, unknown_region_message

    with write_transaction(db):
        region = home_region(db) if region is None else region
        wrong = unknown_region_message(db, [region])
        if wrong:
            raise StoreError(f"Region: {wrong}.")
        if db.execute(
            "SELECT 1 FROM panels WHERE held_on = ? AND region = ?", [held_on.isoformat(), region]
        ).fetchone():
            regions = region_names(db)
            of = f" of {regions[region]}" if len(regions) > 1 else ""
            raise StoreError(f"There is already a panel{of} on {held_on.isoformat()}.")
        if period is None:
            before = previous_panel(db, held_on, region=region)
            period = default_period(held_on, before.held_on if before else None)
        clash = db.execute(
            "SELECT held_on, period_start, period_end FROM panels WHERE region = ? "
            "AND period_start <= ? AND period_end >= ? ORDER BY held_on LIMIT 1",
            [region, period[1].isoformat(), period[0].isoformat()],
        ).fetchone()
        if clash:
            raise StoreError(
                f"The period {period[0].isoformat()} to {period[1].isoformat()} overlaps that of "
                f"the panel on {clash[0]} ({clash[1]} to {clash[2]}): its findings would count "
                "at both panels. Choose a date after the latest panel, or give a period that "
                "does not overlap."
            )
        panel = Panel(
            held_on=held_on,
            chair=chair.strip(),
            period_start=period[0],
            period_end=period[1],
            status=status,
            attendees=[a.strip() for a in attendees or [] if a.strip()],
            minutes=minutes,
        )
        now = now_utc()
        db.execute(
            f"INSERT INTO panels ({_PANEL_COLUMNS}, region, created_at, updated_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [*_panel_values(panel), region, now, now],
        )
        record_change(
            db,
            entity="panel",
            entity_id=str(panel.id),
            action="create",
            before=None,
            after=_snapshot(panel),
            actor=actor,
        )
    return panel


def _panel_values(panel: Panel) -> list[Any]:
    return [
        str(panel.id),
        panel.held_on.isoformat(),
        panel.chair,
        panel.period_start.isoformat(),
        panel.period_end.isoformat(),
        panel.status.value,
        json.dumps(panel.attendees, ensure_ascii=False),
        panel.minutes,
    ]


def update_panel(db: sqlite_utils.Database, panel: Panel, *, actor: str | None = None) -> Panel:
    """Save a panel's date, chair, period, status, attendees and minutes."""
    panel = Panel.model_validate(panel.model_dump())
    with write_transaction(db):
        before = get_panel(db, panel.id)
        clash = db.execute(  # another panel of the same region on that day
            "SELECT 1 FROM panels WHERE held_on = ? AND id != ? "
            "AND region = (SELECT region FROM panels WHERE id = ?)",
            [panel.held_on.isoformat(), str(panel.id), str(panel.id)],
        ).fetchone()
        if clash:
            raise StoreError(f"There is already a panel on {panel.held_on.isoformat()}.")
        values = _panel_values(panel)
        db.execute(
            "UPDATE panels SET held_on = ?, chair = ?, period_start = ?, period_end = ?, "
            "status = ?, attendees = ?, minutes = ?, updated_at = ? WHERE id = ?",
            [*values[1:], now_utc(), values[0]],
        )
        record_change(
            db,
            entity="panel",
            entity_id=str(panel.id),
            action="update",
            before=_snapshot(before),
            after=_snapshot(panel),
            actor=actor,
        )
    return get_panel(db, panel.id)


def record_held(
    db: sqlite_utils.Database,
    panel_id: uuid.UUID | str,
    *,
    attendees: list[str],
    minutes: str,
    actor: str | None = None,
) -> Panel:
    """Mark a panel as held, with who attended and its minutes."""
    panel = get_panel(db, panel_id)
    changed = panel.model_copy(
        update={
            "status": PanelStatus.HELD,
            "attendees": [a.strip() for a in attendees if a.strip()],
            "minutes": minutes.strip(),
        }
    )
    return update_panel(db, changed, actor=actor)


def plan_next_panel(
    db: sqlite_utils.Database, after: Panel, *, chair: str | None = None, actor: str | None = None
) -> Panel:
    """Propose the panel two months after ``after`` (same chair unless given)."""
    held_on = next_panel_date(after.held_on)
    chair = after.chair if chair is None else chair
    return create_panel(db, held_on, chair=chair, region=panel_region(db, after.id), actor=actor)


def add_decision(
    db: sqlite_utils.Database,
    panel_id: uuid.UUID | str,
    text: str,
    *,
    action: LearningAction | None = None,
    actor: str | None = None,
) -> tuple[PanelDecision, LearningAction | None]:
    """Record a decision, and the learning action it creates if any, in one transaction."""
    from db.actions_store import create_action

    decision = PanelDecision(text=text.strip())
    with write_transaction(db):
        get_panel(db, panel_id)
        db.execute(
            "INSERT INTO panel_decisions (id, panel_id, text, created_at) VALUES (?, ?, ?, ?)",
            [str(decision.id), str(panel_id), decision.text, now_utc()],
        )
        record_change(
            db,
            entity="panel_decision",
            entity_id=str(decision.id),
            action="create",
            before=None,
            after={"panel_id": str(panel_id), "text": decision.text},
            actor=actor,
        )
        created = None
        if action is not None:
            linked = action.model_copy(
                update={"panel_id": uuid.UUID(str(panel_id)), "decision_id": decision.id}
            )
            created = create_action(db, linked, actor=actor)
    return decision, created


def list_items(db: Reader, panel_id: uuid.UUID | str) -> list[PanelItem]:
    """What the chair marked for this panel's discussion."""
    return [
        PanelItem(kind=PanelItemKind(kind), ref=ref, note=note)
        for kind, ref, note in db.execute(
            "SELECT kind, ref, note FROM panel_items WHERE panel_id = ? ORDER BY kind, ref",
            [str(panel_id)],
        ).fetchall()
    ]


def set_item_marked(
    db: sqlite_utils.Database,
    panel_id: uuid.UUID | str,
    item: PanelItem,
    marked: bool,
    *,
    actor: str | None = None,
) -> None:
    """Mark (or unmark) a finding or theme for the panel's discussion."""
    with write_transaction(db):
        get_panel(db, panel_id)
        key = [str(panel_id), item.kind.value, item.ref]
        exists = db.execute(
            "SELECT 1 FROM panel_items WHERE panel_id = ? AND kind = ? AND ref = ?", key
        ).fetchone()
        if marked and not exists:
            db.execute(
                "INSERT INTO panel_items (panel_id, kind, ref, note) VALUES (?, ?, ?, ?)",
                [*key, item.note],
            )
        elif not marked and exists:
            db.execute("DELETE FROM panel_items WHERE panel_id = ? AND kind = ? AND ref = ?", key)
        else:
            return
        record_change(
            db,
            entity="panel_item",
            entity_id=f"{panel_id}:{item.kind.value}:{item.ref}",
            action="create" if marked else "delete",
            before=None if marked else item.model_dump(mode="json"),
            after=item.model_dump(mode="json") if marked else None,
            actor=actor,
        )


# --- what a panel's period holds (every query bounded by the period's dates) ---


def finding_refs(
    db: Reader, start: date, end: date, *, region: str | None = None
) -> list[FindingRef]:
    """Every finding (one region's) whose event falls in ``start``..``end`` (both inclusive),
    oldest first."""
    where, params = in_region(region, "f")
    rows = db.execute(
        "SELECT f.id, f.source_type, f.source_ref, f.event_date, f.pdu, f.polarity, "
        "(SELECT group_concat(t.theme_slug, ' ') FROM finding_themes t "
        " WHERE t.finding_seq = f.seq) "
        f"FROM findings f WHERE f.event_date BETWEEN ? AND ? AND f.deleted_at IS NULL{where} "
        "ORDER BY f.event_date, f.seq",
        [start.isoformat(), end.isoformat(), *params],
    ).fetchall()
    return [
        FindingRef(
            id=uuid.UUID(r[0]),
            source_type=r[1],
            source_ref=r[2],
            event_date=date.fromisoformat(r[3]),
            pdu=r[4],
            polarity=r[5],
            themes=sorted((r[6] or "").split()),
        )
        for r in rows
    ]


_TEXT_COLUMNS = "f.id, f.source_type, f.pdu, f.event_date, f.stage, f.summary, f.narrative, f.crn"


def _row_to_text(row: tuple[Any, ...]) -> FindingText:
    return FindingText(
        id=uuid.UUID(row[0]),
        source_type=row[1],
        pdu=row[2],
        event_date=date.fromisoformat(row[3]),
        stage=row[4],
        summary=row[5],
        narrative=row[6],
        crn=row[7],
    )


def theme_texts(
    db: Reader, slug: str, start: date, end: date, *, limit: int = 3, region: str | None = None
) -> list[FindingText]:
    """Weakness findings of one theme in the period (one region's), newest first, to quote."""
    where, params = in_region(region, "f")
    # CROSS JOIN keeps SQLite driving from the period's date index, not the theme's every finding.
    rows = db.execute(
        f"SELECT {_TEXT_COLUMNS} FROM findings f CROSS JOIN finding_themes t "
        "ON t.finding_seq = f.seq AND t.theme_slug = ? "
        "WHERE f.event_date BETWEEN ? AND ? AND f.deleted_at IS NULL AND f.polarity = 'weakness'"
        f"{where} ORDER BY f.event_date DESC, f.seq DESC LIMIT ?",
        [slug, start.isoformat(), end.isoformat(), *params, limit],
    ).fetchall()
    return [_row_to_text(r) for r in rows]


def strength_texts(
    db: Reader,
    start: date,
    end: date,
    *,
    stage: str | None = None,
    limit: int = 200,
    region: str | None = None,
) -> list[FindingText]:
    """Good practice (strength findings) in the period (one region's), newest first."""
    stage_clause = " AND f.stage = ?" if stage else ""
    where, params = in_region(region, "f")
    rows = db.execute(
        f"SELECT {_TEXT_COLUMNS} FROM findings f WHERE f.event_date BETWEEN ? AND ? "
        f"AND f.deleted_at IS NULL AND f.polarity = 'strength'{stage_clause}{where} "
        "ORDER BY f.event_date DESC, f.seq DESC LIMIT ?",
        [start.isoformat(), end.isoformat(), *([stage] if stage else []), *params, limit],
    ).fetchall()
    return [_row_to_text(r) for r in rows]


def texts_by_ids(db: Reader, ids: list[str]) -> list[FindingText]:
    """The words of the findings with these ids (missing or deleted ones skipped)."""
    if not ids:
        return []
    rows = db.execute(
        f"SELECT {_TEXT_COLUMNS} FROM findings f WHERE f.id IN ({', '.join('?' * len(ids))}) "
        "AND f.deleted_at IS NULL ORDER BY f.event_date",
        ids,
    ).fetchall()
    return [_row_to_text(r) for r in rows]


_QUESTION_COLUMNS = {
    "assessment": "q_assessment",
    "planning": "q_planning",
    "implementation_delivery": "q_implementation_delivery",
    "reviewing": "q_reviewing",
}


def question_tallies(
    db: Reader, start: date, end: date, *, region: str | None = None
) -> list[QuestionTally]:
    """Yes / No / n/a counts for each key question and PDU of the cases (one region's) assessed
    in the period."""
    where, params = in_region(region, "c")
    parts = []
    for column in _QUESTION_COLUMNS.values():
        parts.append(
            f"sum({column} = 'yes'), sum({column} = 'no'), sum({column} NOT IN ('yes', 'no'))"
        )
    rows = db.execute(
        f"SELECT pdu, {', '.join(parts)} FROM case_assessments c "
        f"WHERE assessed_on BETWEEN ? AND ? AND deleted_at IS NULL{where} "
        "GROUP BY pdu ORDER BY pdu",
        [start.isoformat(), end.isoformat(), *params],
    ).fetchall()
    tallies = []
    for row in rows:
        for index, question in enumerate(_QUESTION_COLUMNS):
            yes, no, na = row[1 + 3 * index : 4 + 3 * index]
            tallies.append(
                QuestionTally(
                    pdu=row[0], question=question, yes=yes or 0, no=no or 0, not_applicable=na or 0
                )
            )
    return tallies


def open_actions_for_theme(
    db: Reader, slug: str, *, region: str | None = None
) -> list[tuple[str, str, date]]:
    """(title, owner, due date) of the open learning actions (one region's) on a theme."""
    where, params = in_region(region, "a")
    rows = db.execute(
        "SELECT a.title, a.owner, a.due_date FROM action_themes t JOIN actions a "
        "ON a.id = t.action_id WHERE t.theme_slug = ? AND a.deleted_at IS NULL "
        f"AND a.status IN ('open', 'in_progress'){where} ORDER BY a.due_date",
        [slug, *params],
    ).fetchall()
    return [(r[0], r[1], date.fromisoformat(r[2])) for r in rows]


def theme_tallies(
    db: Reader, start: date, end: date, *, region: str | None = None
) -> dict[str, tuple[int, set[str], set[str]]]:
    """Per theme: weakness findings in the period (one region's), their source types and PDUs.

    A plain stand-in for the recurrence report until ``db.recurrence_store`` is merged.
    """
    where, params = in_region(region, "f")
    rows = db.execute(
        "SELECT t.theme_slug, f.source_type, f.pdu, count(*) FROM findings f "
        "CROSS JOIN finding_themes t ON t.finding_seq = f.seq "
        "WHERE f.event_date BETWEEN ? AND ? AND f.deleted_at IS NULL AND f.polarity = 'weakness'"
        f"{where} GROUP BY t.theme_slug, f.source_type, f.pdu",
        [start.isoformat(), end.isoformat(), *params],
    ).fetchall()
    found: dict[str, tuple[int, set[str], set[str]]] = {}
    for slug, source, pdu, count in rows:
        total, sources, pdus = found.get(slug, (0, set(), set()))
        sources.add(source)
        pdus.add(pdu)
        found[slug] = (total + count, sources, pdus)
    return found


def theme_source_counts(
    db: Reader, slug: str, start: date, end: date, *, region: str | None = None
) -> dict[str, int]:
    """Weakness findings of one theme in the period (one region's), counted by source type."""
    where, params = in_region(region, "f")
    rows = db.execute(
        "SELECT f.source_type, count(*) FROM findings f CROSS JOIN finding_themes t "
        "ON t.finding_seq = f.seq AND t.theme_slug = ? "
        "WHERE f.event_date BETWEEN ? AND ? AND f.deleted_at IS NULL AND f.polarity = 'weakness'"
        f"{where} GROUP BY f.source_type",
        [slug, start.isoformat(), end.isoformat(), *params],
    ).fetchall()
    return {source: count for source, count in rows}
