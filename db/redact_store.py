"""The names a user asks redaction to remove, kept in the meta table as a JSON list."""

from __future__ import annotations

import json
from collections.abc import Iterable

import sqlite_utils

from db.connection import write_transaction
from db.history import record_change
from findings.models import clean_text
from findings.redact import Redactor

REDACT_NAMES_KEY = "redact_names"


def redact_names(db: sqlite_utils.Database) -> list[str]:
    """The names listed in settings for redaction (empty if none)."""
    row = db.execute("SELECT value FROM meta WHERE key = ?", [REDACT_NAMES_KEY]).fetchone()
    if not row:
        return []
    try:
        names = json.loads(row[0])
    except json.JSONDecodeError:
        return []
    return (
        [str(n) for n in names if isinstance(n, str) and n.strip()]
        if isinstance(names, list)
        else []
    )


def set_redact_names(
    db: sqlite_utils.Database, names: Iterable[str], *, actor: str | None = None
) -> list[str]:
    """Replace the list of names to redact (cleaned, de-duplicated); returns what was stored."""
    cleaned: list[str] = []
    for name in names:
        name = clean_text(str(name), multiline=False)[:200]
        if name and name.lower() not in {c.lower() for c in cleaned}:
            cleaned.append(name)
    with write_transaction(db):
        before = redact_names(db)
        db.execute(
            "INSERT INTO meta (key, value) VALUES (?, ?) "
            "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            [REDACT_NAMES_KEY, json.dumps(cleaned, ensure_ascii=False)],
        )
        record_change(
            db,
            entity="settings",
            entity_id=REDACT_NAMES_KEY,
            action="update",
            before={"names": len(before)},
            after={"names": len(cleaned)},
            actor=actor,
        )
    return cleaned


def redactor_for(db: sqlite_utils.Database) -> Redactor:
    """A fresh redactor that also removes the names listed in this database's settings."""
    return Redactor(extra_names=redact_names(db))
