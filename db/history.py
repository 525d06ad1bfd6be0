"""The append-only history of changes: who did what, when, with before and after."""

from __future__ import annotations

import getpass
import json
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel

if TYPE_CHECKING:
    import sqlite_utils


class HistoryEntry(BaseModel):
    """One recorded change."""

    at: datetime
    actor: str
    entity: str
    entity_id: str
    action: str
    before: dict[str, Any] | None
    after: dict[str, Any] | None


def current_actor(db: sqlite_utils.Database) -> str:
    """The name changes are recorded under: the settings' user name, else the OS user."""
    row = db.execute("SELECT value FROM meta WHERE key = 'user_name'").fetchone()
    if row and row[0]:
        return str(row[0])
    try:
        return getpass.getuser()
    except Exception:  # noqa: BLE001 - no login name in some containers
        return "unknown"


def now_utc() -> str:
    """The current time as stored in the database (ISO 8601, UTC)."""
    return datetime.now(UTC).isoformat(timespec="seconds")


def record_change(
    db: sqlite_utils.Database,
    *,
    entity: str,
    entity_id: str,
    action: str,
    before: dict[str, Any] | None,
    after: dict[str, Any] | None,
    actor: str | None = None,
) -> None:
    """Append one change to the history (call inside the write's transaction)."""
    db.execute(
        "INSERT INTO history (at, actor, entity, entity_id, action, before, after) "
        "VALUES (?, ?, ?, ?, ?, ?, ?)",
        [
            now_utc(),
            actor if actor is not None else current_actor(db),
            entity,
            entity_id,
            action,
            json.dumps(before, default=str) if before is not None else None,
            json.dumps(after, default=str) if after is not None else None,
        ],
    )


def history_for(db: sqlite_utils.Database, entity: str, entity_id: str) -> list[HistoryEntry]:
    """Every recorded change of one entity, oldest first."""
    rows = db.execute(
        "SELECT at, actor, entity, entity_id, action, before, after FROM history "
        "WHERE entity = ? AND entity_id = ? ORDER BY id",
        [entity, entity_id],
    ).fetchall()
    return [
        HistoryEntry(
            at=datetime.fromisoformat(r[0]),
            actor=r[1],
            entity=r[2],
            entity_id=r[3],
            action=r[4],
            before=json.loads(r[5]) if r[5] else None,
            after=json.loads(r[6]) if r[6] else None,
        )
        for r in rows
    ]
