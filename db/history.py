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


_ENTITY_HISTORY = (
    "SELECT id, at, actor, entity, entity_id, action, before, after FROM history "
    "WHERE entity = :entity AND entity_id = :entity_id"
)
# An import records the range of findings it added in one entry (db.importer._record_import);
# a finding's history shows that entry as its own "import" line.
_IMPORTED_IN = (
    "SELECT h.id, h.at, h.actor, 'finding', :entity_id, 'import', NULL, "
    "json_object('import', h.entity_id, 'file', json_extract(h.after, '$.file')) "
    "FROM findings AS f JOIN history AS h ON h.entity = 'import' "
    "AND f.seq BETWEEN json_extract(h.after, '$.first_seq') "
    "AND json_extract(h.after, '$.last_seq') "
    "WHERE f.id = :entity_id"
)


def history_for(db: sqlite_utils.Database, entity: str, entity_id: str) -> list[HistoryEntry]:
    """Every recorded change of one entity, oldest first."""
    sql = _ENTITY_HISTORY
    if entity == "finding":
        sql = f"{_ENTITY_HISTORY} UNION ALL {_IMPORTED_IN}"
    rows = db.execute(f"{sql} ORDER BY 1", {"entity": entity, "entity_id": entity_id}).fetchall()
    return [
        HistoryEntry(
            at=datetime.fromisoformat(r[1]),
            actor=r[2],
            entity=r[3],
            entity_id=r[4],
            action=r[5],
            before=json.loads(r[6]) if r[6] else None,
            after=json.loads(r[7]) if r[7] else None,
        )
        for r in rows
    ]
