"""Learning actions in the store: create, list, update with a log, escalate and measure impact."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from pydantic import ValidationError

from db.actions_checks import action_warnings as action_warnings
from db.actions_checks import reference_problems
from db.actions_checks import warnings_by_action as warnings_by_action
from db.base import StoreError, in_region, write_transaction
from db.history import current_actor, now_utc, record_change
from findings.actions import (
    IMPACT_WINDOW_DAYS,
    ActionFilter,
    ActionsDigest,
    ActionSource,
    ActionStatus,
    ActionUpdate,
    ImpactResult,
    LearningAction,
    UpdateKind,
)
from findings.models import describe_errors

if TYPE_CHECKING:
    import sqlite_utils

    from db.base import Reader


class ActionRefused(StoreError):
    """The change was refused; the message says why in plain words."""


class ActionNotFound(StoreError):
    """No such learning action."""


class ActionVersionConflict(StoreError):
    """Someone else changed the action since it was opened; nothing was overwritten."""


_COLUMNS = (
    "id, title, description, owner, scope, source_kind, source_ref, panel_id, decision_id, "
    "created_on, due_date, status, completed_on, evidence, version"
)


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None


def _to_row(action: LearningAction) -> dict[str, Any]:
    return {
        "id": str(action.id),
        "title": action.title,
        "description": action.description,
        "owner": action.owner,
        "scope": action.scope,
        "source_kind": action.source_kind,
        "source_ref": action.source_ref,
        "panel_id": str(action.panel_id) if action.panel_id else None,
        "decision_id": str(action.decision_id) if action.decision_id else None,
        "created_on": action.created_on.isoformat(),
        "due_date": action.due_date.isoformat(),
        "status": action.status.value,
        "completed_on": _iso(action.completed_on),
        "evidence": action.evidence,
    }


def _from_row(row: Sequence[Any], themes: list[str]) -> LearningAction:
    (aid, title, description, owner, scope, source_kind, source_ref, panel_id, decision_id,
     created_on, due_date, status, completed_on, evidence, version) = row  # fmt: skip
    # Rows were validated on the way in: construct without re-checking.
    return LearningAction.model_construct(
        id=uuid.UUID(aid),
        title=title,
        description=description,
        owner=owner,
        scope=scope,
        themes=themes,
        source_kind=source_kind,
        source_ref=source_ref,
        panel_id=uuid.UUID(panel_id) if panel_id else None,
        decision_id=uuid.UUID(decision_id) if decision_id else None,
        created_on=date.fromisoformat(created_on),
        due_date=date.fromisoformat(due_date),
        status=ActionStatus(status),
        completed_on=date.fromisoformat(completed_on) if completed_on else None,
        evidence=evidence,
        version=version,
    )


def _snapshot(action: LearningAction) -> dict[str, Any]:
    return action.model_dump(mode="json")


def _themes_of(db: sqlite_utils.Database, ids: Sequence[str]) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {i: [] for i in ids}
    for start in range(0, len(ids), 500):
        chunk = list(ids[start : start + 500])
        for aid, slug in db.execute(
            "SELECT action_id, theme_slug FROM action_themes WHERE action_id IN "
            f"({', '.join('?' * len(chunk))}) ORDER BY theme_slug",
            chunk,
        ).fetchall():
            found[aid].append(slug)
    return found


def get_action(db: sqlite_utils.Database, action_id: uuid.UUID | str) -> LearningAction | None:
    """The action with this id, or None."""
    row = db.execute(
        f"SELECT {_COLUMNS} FROM actions WHERE id = ? AND deleted_at IS NULL", [str(action_id)]
    ).fetchone()
    if row is None:
        return None
    return _from_row(row, _themes_of(db, [row[0]])[row[0]])


def list_actions(
    db: sqlite_utils.Database, flt: ActionFilter | None = None, *, today: date
) -> list[LearningAction]:
    """Actions matching the filter: live ones first by due date, then done and cancelled."""
    flt = flt or ActionFilter()
    clauses = ["a.deleted_at IS NULL"]
    params: list[Any] = []
    if flt.owner:
        clauses.append("a.owner LIKE ? ESCAPE '\\'")
        escaped = flt.owner.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        params.append(f"%{escaped}%")
    if flt.statuses:
        clauses.append(f"a.status IN ({', '.join('?' * len(flt.statuses))})")
        params.extend(s.value for s in flt.statuses)
    if flt.theme:
        clauses.append("a.id IN (SELECT action_id FROM action_themes WHERE theme_slug = ?)")
        params.append(flt.theme)
    if flt.scope:
        clauses.append("a.scope = ?")
        params.append(flt.scope)
    if flt.region:
        clauses.append("a.region = ?")
        params.append(flt.region)
    if flt.overdue_only:
        clauses.append("a.status IN ('open', 'in_progress') AND a.due_date < ?")
        params.append(today.isoformat())
    rows = db.execute(
        f"SELECT {_COLUMNS} FROM actions a WHERE {' AND '.join(clauses)} ORDER BY "
        "CASE WHEN a.status IN ('open', 'in_progress') THEN 0 ELSE 1 END, "
        "CASE WHEN a.status IN ('open', 'in_progress') THEN a.due_date END, "
        "a.completed_on DESC, a.due_date DESC, a.title",
        params,
    ).fetchall()
    themes = _themes_of(db, [r[0] for r in rows])
    return [_from_row(r, themes[r[0]]) for r in rows]


def list_owners(db: sqlite_utils.Database) -> list[str]:
    """Every owner named on an action, for filter choices."""
    return [
        r[0]
        for r in db.execute(
            "SELECT DISTINCT owner FROM actions WHERE deleted_at IS NULL ORDER BY owner"
        ).fetchall()
    ]


def panel_dates(db: sqlite_utils.Database, *, until: date, region: str | None = None) -> list[date]:
    """Dates of panels (one region's) that have met by ``until`` (the escalation cycle), oldest
    first."""
    where, params = in_region(region)
    return [
        date.fromisoformat(r[0])
        for r in db.execute(
            f"SELECT DISTINCT held_on FROM panels WHERE held_on <= ?{where} ORDER BY held_on",
            [until.isoformat(), *params],
        ).fetchall()
    ]


def action_regions(
    db: sqlite_utils.Database, actions: Sequence[LearningAction]
) -> dict[str, str | None]:
    """The region whose panels escalate and whose findings judge each action (by id): its own
    region when the file holds more than one; None (every panel and finding) otherwise."""
    return regions_of_actions(db, [str(a.id) for a in actions])


def regions_of_actions(db: Reader, ids: Sequence[str]) -> dict[str, str | None]:
    """:func:`action_regions` by the actions' ids."""
    from db.reference import region_names

    found: dict[str, str | None] = dict.fromkeys(ids)
    if len(region_names(db)) < 2:
        return found
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        found.update(
            db.execute(
                f"SELECT id, region FROM actions WHERE id IN ({', '.join('?' * len(chunk))})",
                chunk,
            ).fetchall()
        )
    return found


def _check_new(db: sqlite_utils.Database, action: LearningAction) -> None:
    problems = reference_problems(db, action)
    if (
        action.scope != "region"
        and not db.execute("SELECT 1 FROM pdus WHERE code = ?", [action.scope]).fetchone()
    ):
        problems.append(f"scope '{action.scope}' is neither 'region' nor a PDU of the region")
    if (
        action.panel_id
        and not db.execute("SELECT 1 FROM panels WHERE id = ?", [str(action.panel_id)]).fetchone()
    ):
        problems.append(f"panel {action.panel_id} does not exist")
    if (
        action.decision_id
        and not db.execute(
            "SELECT 1 FROM panel_decisions WHERE id = ?", [str(action.decision_id)]
        ).fetchone()
    ):
        problems.append(f"panel decision {action.decision_id} does not exist")
    if problems:
        raise ActionRefused("The action was not saved: " + "; ".join(problems) + ".")


# --- writes ------------------------------------------------------------------------------------


def _log(
    db: sqlite_utils.Database,
    action_id: str,
    kind: UpdateKind,
    actor: str,
    text: str = "",
    old: str | None = None,
    new: str | None = None,
) -> None:
    db.execute(
        "INSERT INTO action_updates (action_id, at, actor, kind, text, old_value, new_value) "
        "VALUES (?, ?, ?, ?, ?, ?, ?)",
        [action_id, now_utc(), actor, kind.value, text, old, new],
    )


def _replace_themes(db: sqlite_utils.Database, action_id: str, themes: Iterable[str]) -> None:
    db.execute("DELETE FROM action_themes WHERE action_id = ?", [action_id])
    db.conn.executemany(
        "INSERT INTO action_themes (action_id, theme_slug) VALUES (?, ?)",
        [(action_id, slug) for slug in themes],
    )


def create_action(
    db: sqlite_utils.Database, action: LearningAction, *, actor: str | None = None
) -> LearningAction:
    """Save a new learning action (its themes, source and panel must exist); returns it stored."""
    action = _revalidate(action)
    _check_new(db, action)
    who = actor if actor is not None else current_actor(db)
    with write_transaction(db):
        if db.execute("SELECT 1 FROM actions WHERE id = ?", [str(action.id)]).fetchone():
            raise ActionRefused(f"An action with id {action.id} already exists.")
        row = _to_row(action)
        row.update(version=1, updated_at=now_utc())
        db.execute(
            f"INSERT INTO actions ({', '.join(row)}) VALUES ({', '.join('?' * len(row))})",
            list(row.values()),
        )
        _replace_themes(db, row["id"], action.themes)
        source = f"from {action.source_kind} {action.source_ref}" if action.source_kind else ""
        _log(db, row["id"], UpdateKind.CREATED, who, source)
        stored = action.model_copy(update={"version": 1})
        record_change(
            db,
            entity="action",
            entity_id=row["id"],
            action="create",
            before=None,
            after=_snapshot(stored),
            actor=who,
        )
    return stored


def _revalidate(action: LearningAction) -> LearningAction:
    try:
        return LearningAction.model_validate(action.model_dump())
    except ValidationError as exc:
        raise ActionRefused("; ".join(describe_errors(exc))) from None


def _changed(action: LearningAction, **changes: Any) -> LearningAction:
    return _new(**{**action.model_dump(), **changes})


def _load_current(
    db: sqlite_utils.Database, action_id: uuid.UUID | str, expected_version: int | None
) -> LearningAction:
    action = get_action(db, action_id)
    if action is None:
        raise ActionNotFound(f"No learning action with id {action_id}.")
    if expected_version is not None and action.version != expected_version:
        raise ActionVersionConflict(
            f"This action was changed by someone else (now version {action.version}, you opened "
            f"version {expected_version}). Reopen it to see their changes; yours were not saved."
        )
    return action


def _save_changed(
    db: sqlite_utils.Database,
    before: LearningAction,
    after: LearningAction,
    *,
    history_action: str,
    actor: str,
) -> LearningAction:
    row = _to_row(after)
    row.pop("id")
    row.update(version=before.version + 1, updated_at=now_utc())
    assignments = ", ".join(f"{k} = ?" for k in row)
    cursor = db.execute(
        f"UPDATE actions SET {assignments} WHERE id = ? AND version = ?",
        [*row.values(), str(before.id), before.version],
    )
    if cursor.rowcount != 1:
        raise ActionVersionConflict("This action was changed by someone else; reopen it.")
    if after.themes != before.themes:
        _replace_themes(db, str(after.id), after.themes)
    stored = after.model_copy(update={"version": before.version + 1})
    record_change(
        db,
        entity="action",
        entity_id=str(before.id),
        action=history_action,
        before=_snapshot(before),
        after=_snapshot(stored),
        actor=actor,
    )
    return stored


def set_status(
    db: sqlite_utils.Database,
    action_id: uuid.UUID | str,
    status: ActionStatus,
    *,
    expected_version: int | None,
    today: date,
    evidence: str = "",
    completed_on: date | None = None,
    note: str = "",
    actor: str | None = None,
) -> LearningAction:
    """Move an action to a new status; done needs evidence, cancelled needs a reason."""
    who = actor if actor is not None else current_actor(db)
    evidence, note = evidence.strip(), note.strip()
    with write_transaction(db):
        before = _load_current(db, action_id, expected_version)
        if before.status is status:
            raise ActionRefused(f"The action is already {status.label.lower()}.")
        changes: dict[str, Any] = {"status": status}
        if status is ActionStatus.DONE:
            if not evidence:
                raise ActionRefused(
                    "Evidence of completion is required to mark an action done: say what was "
                    "done and where it can be seen."
                )
            completed = completed_on or today
            if completed > today:
                raise ActionRefused(
                    f"The completion date {completed.isoformat()} is in the future."
                )
            changes.update(evidence=evidence, completed_on=completed)
        else:
            if status is ActionStatus.CANCELLED and not note:
                raise ActionRefused("Give a reason for cancelling the action.")
            changes.update(evidence=None, completed_on=None)
        after = _changed(before, **changes)
        text = note if status is not ActionStatus.DONE else (note or evidence)
        _log(db, str(before.id), UpdateKind.STATUS, who, text, before.status.value, status.value)
        return _save_changed(db, before, after, history_action="status", actor=who)


def cancel_action(
    db: sqlite_utils.Database,
    action_id: uuid.UUID | str,
    reason: str,
    *,
    expected_version: int | None,
    today: date,
    actor: str | None = None,
) -> LearningAction:
    """Cancel an action, keeping the reason in its log."""
    return set_status(
        db,
        action_id,
        ActionStatus.CANCELLED,
        expected_version=expected_version,
        today=today,
        note=reason,
        actor=actor,
    )


def change_due_date(
    db: sqlite_utils.Database,
    action_id: uuid.UUID | str,
    new_due: date,
    reason: str,
    *,
    expected_version: int | None,
    actor: str | None = None,
) -> LearningAction:
    """Move an action's due date; the old and new dates and the reason are kept in its log."""
    who = actor if actor is not None else current_actor(db)
    reason = reason.strip()
    with write_transaction(db):
        before = _load_current(db, action_id, expected_version)
        if not reason:
            raise ActionRefused("Give a reason for changing the due date.")
        if new_due == before.due_date:
            raise ActionRefused(f"The action is already due on {new_due.isoformat()}.")
        if not before.status.is_live:
            raise ActionRefused(
                f"The action is {before.status.label.lower()}; its due date no longer matters."
            )
        after = _changed(before, due_date=new_due)
        _log(
            db,
            str(before.id),
            UpdateKind.DUE_DATE,
            who,
            reason,
            before.due_date.isoformat(),
            new_due.isoformat(),
        )
        return _save_changed(db, before, after, history_action="due_date", actor=who)


def update_action(
    db: sqlite_utils.Database, action: LearningAction, *, actor: str | None = None
) -> LearningAction:
    """Save edits to an action's title, description, owner, scope and themes (version-checked).

    Status and due date change only through :func:`set_status` and :func:`change_due_date`, so
    their log stays complete.
    """
    who = actor if actor is not None else current_actor(db)
    action = _revalidate(action)
    with write_transaction(db):
        before = _load_current(db, action.id, action.version)
        after = _changed(
            before,
            title=action.title,
            description=action.description,
            owner=action.owner,
            scope=action.scope,
            themes=action.themes,
        )
        new_themes = [t for t in after.themes if t not in before.themes]
        _check_new(db, after.model_copy(update={"themes": new_themes, "source_kind": None}))
        _log(db, str(before.id), UpdateKind.EDITED, who, "Edited title, owner, scope or themes")
        return _save_changed(db, before, after, history_action="update", actor=who)


def add_note(
    db: sqlite_utils.Database, action_id: uuid.UUID | str, text: str, *, actor: str | None = None
) -> ActionUpdate:
    """Add a progress note to an action's log (notes never conflict, so no version check)."""
    who = actor if actor is not None else current_actor(db)
    text = text.strip()
    if not text:
        raise ActionRefused("The note is empty.")
    with write_transaction(db):
        action = _load_current(db, action_id, None)
        _log(db, str(action.id), UpdateKind.NOTE, who, text)
        db.execute("UPDATE actions SET updated_at = ? WHERE id = ?", [now_utc(), str(action.id)])
        record_change(
            db,
            entity="action",
            entity_id=str(action.id),
            action="note",
            before=None,
            after={"note": text},
            actor=who,
        )
    return action_updates(db, action_id)[-1]


def action_updates(db: sqlite_utils.Database, action_id: uuid.UUID | str) -> list[ActionUpdate]:
    """An action's log, oldest first: creation, status changes, notes, due-date changes."""
    return [
        ActionUpdate(
            at=datetime.fromisoformat(at),
            actor=actor,
            kind=UpdateKind(kind),
            text=text,
            old_value=old,
            new_value=new,
        )
        for at, actor, kind, text, old, new in db.execute(
            "SELECT at, actor, kind, text, old_value, new_value FROM action_updates "
            "WHERE action_id = ? ORDER BY id",
            [str(action_id)],
        ).fetchall()
    ]


def move_action_themes(
    db: sqlite_utils.Database, from_slug: str, to_slug: str, *, actor: str | None = None
) -> int:
    """Point every action at ``to_slug`` instead of ``from_slug`` (call when merging themes).

    Joins the caller's transaction if there is one. Returns how many actions moved.
    """
    who = actor if actor is not None else current_actor(db)
    if not db.execute("SELECT 1 FROM themes WHERE slug = ?", [to_slug]).fetchone():
        raise ActionRefused(f"Theme '{to_slug}' does not exist.")
    with write_transaction(db):
        ids = [
            r[0]
            for r in db.execute(
                "SELECT action_id FROM action_themes WHERE theme_slug = ? "
                "UNION SELECT id FROM actions WHERE source_kind = 'theme' AND source_ref = ?",
                [from_slug, from_slug],
            ).fetchall()
        ]
        for action_id in ids:
            before = get_action(db, action_id)
            if before is None:
                continue
            themes = list(dict.fromkeys(to_slug if t == from_slug else t for t in before.themes))
            source_ref = (
                to_slug
                if before.source_kind == "theme" and before.source_ref == from_slug
                else before.source_ref
            )
            after = before.model_copy(update={"themes": themes, "source_ref": source_ref})
            _log(db, action_id, UpdateKind.THEME_MOVED, who, "", from_slug, to_slug)
            _save_changed(db, before, after, history_action="theme_moved", actor=who)
    return len(ids)


# --- impact and the panel's digest live in db.actions_impact; these names stay here ------------


def actions_digest(
    db: sqlite_utils.Database,
    *,
    period_start: date,
    period_end: date,
    next_panel_on: date | None,
    today: date,
    region: str | None = None,
) -> ActionsDigest:
    """What a panel looks at: overdue (days, escalation), due before the next panel, completed
    in the period with evidence and impact in words (see :mod:`db.actions_impact`); one
    region's actions, panels and findings when ``region`` (a code) is given.
    """
    from db.actions_impact import build_actions_digest

    return build_actions_digest(
        db,
        period_start=period_start,
        period_end=period_end,
        next_panel_on=next_panel_on,
        today=today,
        region=region,
    )


def action_impact(
    db: sqlite_utils.Database,
    action: LearningAction,
    *,
    today: date,
    window_days: int = IMPACT_WINDOW_DAYS,
) -> ImpactResult | None:
    """Before/after rates of a done action's themes (among its own region's findings in a file
    of more than one region); None if it is not done or has no themes."""
    from db.actions_impact import measure_impact

    region = action_regions(db, [action])[str(action.id)]
    return measure_impact(db, action, today=today, window_days=window_days, region=region)


# --- creating in one step from a finding or a theme -------------------------------------------


@dataclass(frozen=True)
class SourceFinding:
    """A finding an action can start from: what the form shows and prefills."""

    id: str
    source_ref: str
    summary: str
    pdu: str
    themes: tuple[str, ...]


def find_source_finding(db: sqlite_utils.Database, ref: str) -> SourceFinding | None:
    """The live finding with this id, or else the latest with this source reference."""
    ref = ref.strip()
    if not ref:
        return None
    row = db.execute(
        "SELECT seq, id, source_ref, summary, pdu FROM findings WHERE deleted_at IS NULL AND "
        "(id = ? OR lower(source_ref) = lower(?)) ORDER BY id = ? DESC, event_date DESC LIMIT 1",
        [ref, ref, ref],
    ).fetchone()
    if row is None:
        return None
    themes = tuple(
        r[0]
        for r in db.execute(
            "SELECT ft.theme_slug FROM finding_themes ft JOIN themes t ON t.slug = ft.theme_slug "
            "WHERE ft.finding_seq = ? AND t.active = 1 ORDER BY t.sort",
            [row[0]],
        ).fetchall()
    )
    return SourceFinding(id=row[1], source_ref=row[2], summary=row[3], pdu=row[4], themes=themes)


def create_action_from_finding(
    db: sqlite_utils.Database,
    finding_ref: str,
    *,
    title: str,
    owner: str,
    due_date: date,
    created_on: date,
    description: str = "",
    actor: str | None = None,
) -> LearningAction:
    """Create an action addressing a finding's themes, scoped to its PDU, in one step."""
    found = find_source_finding(db, finding_ref)
    if found is None:
        raise ActionRefused(f"No finding '{finding_ref}' (it may have been deleted).")
    action = _new(
        title=title,
        owner=owner,
        due_date=due_date,
        created_on=created_on,
        description=description,
        scope=found.pdu,
        themes=list(found.themes),
        source_kind=ActionSource.FINDING.value,
        source_ref=found.id,
    )
    return create_action(db, action, actor=actor)


def create_action_from_theme(
    db: sqlite_utils.Database,
    slug: str,
    *,
    title: str,
    owner: str,
    due_date: date,
    created_on: date,
    scope: str = "region",
    description: str = "",
    actor: str | None = None,
) -> LearningAction:
    """Create an action addressing one theme, in one step."""
    action = _new(
        title=title,
        owner=owner,
        due_date=due_date,
        created_on=created_on,
        description=description,
        scope=scope,
        themes=[slug],
        source_kind=ActionSource.THEME.value,
        source_ref=slug,
    )
    return create_action(db, action, actor=actor)


def _new(**data: Any) -> LearningAction:
    try:
        return LearningAction.model_validate(data)
    except ValidationError as exc:
        raise ActionRefused("; ".join(describe_errors(exc))) from None


def add_demo_actions(db: sqlite_utils.Database, today: date) -> int:
    """Actions in every state for the demo (see :mod:`db.actions_demo`); returns how many."""
    from db.actions_demo import write_demo_actions

    return write_demo_actions(db, today)
