"""Opening leap's SQLite file: pragmas, safety checks, migrations and write transactions."""

from __future__ import annotations

import contextlib
import os
import sqlite3
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

import sqlite_utils

from db.base import (
    APP_ID,
    NewerSchemaError,
    NotALeapDatabase,
    StoreError,
    connect_raw,
    write_transaction,
)
from db.schema import MIGRATIONS, known_migration_names

if TYPE_CHECKING:
    from findings.models import Region

__all__ = [
    "NewerSchemaError",
    "NotALeapDatabase",
    "StoreError",
    "backup_to",
    "open_db",
    "write_transaction",
]


def _connect(path: Path | str) -> sqlite_utils.Database:
    return sqlite_utils.Database(connect_raw(path), execute_plugins=False)


def _restrict_to_owner(path: Path) -> None:
    for candidate in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
        with contextlib.suppress(OSError):
            if candidate.exists():
                os.chmod(candidate, 0o600)


def _check_is_leap(db: sqlite_utils.Database, path: Path) -> bool:
    """True if the file already holds a leap schema; False if empty; raises otherwise."""
    try:
        tables = set(db.table_names())
    except sqlite3.DatabaseError as exc:
        raise NotALeapDatabase(
            f"{path} is not a SQLite database ({exc}); it was not changed."
        ) from None
    if not tables:
        return False
    if "meta" not in tables:
        raise NotALeapDatabase(
            f"{path} is a SQLite database but not a leap one; it was not changed."
        )
    row = db.execute("SELECT value FROM meta WHERE key = 'app_id'").fetchone()
    if not row or row[0] != APP_ID:
        raise NotALeapDatabase(
            f"{path} is a SQLite database but not a leap one; it was not changed."
        )
    return True


def backup_to(db: sqlite_utils.Database, target: Path) -> Path:
    """Copy the open database to ``target`` with SQLite's online backup (owner-only file)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(target, os.O_CREAT | os.O_WRONLY | os.O_TRUNC, 0o600)
    os.close(fd)
    dest = sqlite3.connect(str(target))
    try:
        db.conn.backup(dest)
    finally:
        dest.close()
    os.chmod(target, 0o600)
    return target


def backup_path_for(path: Path, reason: str, now: datetime | None = None) -> Path:
    """A dated path beside ``path`` for a backup taken for ``reason``."""
    stamp = (now or datetime.now()).strftime("%Y%m%d-%H%M%S")
    return path.with_name(f"{path.stem}.{reason}-{stamp}{path.suffix or '.db'}")


def _set_new_file_region(db: sqlite_utils.Database, region: Region) -> None:
    """Name a new file's region and its PDUs before its records take the region's code."""
    with write_transaction(db):
        db.execute("UPDATE meta SET value = ? WHERE key = 'region'", [region.name])
        db.execute("DELETE FROM pdus")
        db.conn.executemany(
            "INSERT INTO pdus (code, name, active, sort) VALUES (?, ?, 1, ?)",
            [(p.code, p.name, i) for i, p in enumerate(region.pdus)],
        )


def open_db(
    path: Path | str, *, migrate: bool = True, region: Region | None = None
) -> sqlite_utils.Database:
    """Open (creating if needed) a leap database, upgrading its schema after a backup.

    Refuses, without modifying it, a file that is not a leap database or that was written by a
    newer version of leap. ``region`` names the region (and its PDUs) of a file being created;
    an existing file keeps the region it has.
    """
    memory = str(path) == ":memory:"
    file_path = Path(path)
    if not memory:
        file_path.parent.mkdir(parents=True, exist_ok=True)
        if not file_path.exists():
            fd = os.open(file_path, os.O_CREAT | os.O_WRONLY, 0o600)
            os.close(fd)
        elif file_path.is_dir():
            raise StoreError(f"{file_path} is a folder, not a database file.")
    db = _connect(":memory:" if memory else file_path)
    try:
        existing = _check_is_leap(db, file_path)
        if existing:
            applied = {m.name for m in MIGRATIONS.applied(db)}
            unknown = applied - known_migration_names()
            if unknown:
                raise NewerSchemaError(
                    f"{file_path} was written by a newer version of leap (schema "
                    f"{', '.join(sorted(unknown))}); upgrade leap to open it. It was not changed."
                )
        if not memory:
            db.execute("PRAGMA journal_mode = WAL")
            db.execute("PRAGMA synchronous = NORMAL")
        if migrate and MIGRATIONS.pending(db):
            if existing and not memory:
                backup_to(db, backup_path_for(file_path, "pre-migration"))
            if region is not None and not existing:
                MIGRATIONS.apply(db, stop_before="m008_regions")
                _set_new_file_region(db, region)
            MIGRATIONS.apply(db)
    except BaseException:
        db.close()
        raise
    if not memory:
        _restrict_to_owner(file_path)
    return db
