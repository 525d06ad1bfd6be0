"""The light core of the store (sqlite3 only): errors, a quick schema check, transactions.

Kept free of sqlite-utils so the app can show its first page of findings without paying for
that import; opening with migrations lives in ``db.connection``.
"""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeAlias

if TYPE_CHECKING:
    import sqlite_utils

    Reader: TypeAlias = sqlite_utils.Database | sqlite3.Connection
    """Anything read functions accept: a sqlite-utils Database or a plain connection."""

APP_ID = "leap"
BUSY_TIMEOUT_MS = 15_000

MIGRATION_NAMES: tuple[str, ...] = (
    "m001_initial",
    "m004_actions",
    "m006_recurrence",
    "m005_recording",
    "m011_moderation",
    "m007_fts_detectable",
    "m008_regions",
    "m009_theme_counts",
    "m010_levels",
    "m012_lean_day_counts",
    "m013_theme_rejections",
)
"""Every migration of this version of leap, in order (a test keeps it equal to db.schema)."""


class StoreError(Exception):
    """A problem with the database file, worded for the user."""


class NotALeapDatabase(StoreError):
    """The file exists but is not a leap database; it is left untouched."""


class NewerSchemaError(StoreError):
    """The file was written by a newer leap; it is left untouched."""


def connect_raw(path: Path | str) -> sqlite3.Connection:
    """A plain sqlite3 connection with leap's pragmas (foreign keys, busy timeout)."""
    conn = sqlite3.connect(str(path), timeout=BUSY_TIMEOUT_MS / 1000, check_same_thread=False)
    try:
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        conn.execute("PRAGMA foreign_keys = ON")
        # Large files: a bigger page cache and memory-mapped reads make period scans cheaper.
        conn.execute("PRAGMA cache_size = -65536")
        conn.execute("PRAGMA mmap_size = 268435456")
    except sqlite3.DatabaseError as exc:
        conn.close()
        raise NotALeapDatabase(
            f"{path} is not a SQLite database ({exc}); it was not changed."
        ) from None
    return conn


def schema_is_current(path: Path | str) -> bool:
    """True if ``path`` is a leap database whose schema is exactly this version's.

    False for a missing, empty or older file (open it with ``db.connection.open_db`` to create
    or upgrade it, which also gives the precise error for a file that is not leap's).
    """
    file_path = Path(path)
    if not file_path.is_file() or file_path.stat().st_size == 0:
        return False
    try:
        conn = sqlite3.connect(f"file:{file_path}?mode=ro", uri=True)
        try:
            return _has_current_schema(conn)
        finally:
            conn.close()
    except sqlite3.DatabaseError:
        return False


def _has_current_schema(conn: sqlite3.Connection) -> bool:
    row = conn.execute(
        "SELECT (SELECT value FROM meta WHERE key = 'app_id'), "
        "(SELECT json_group_array(name) FROM _sqlite_migrations WHERE migration_set = ?)",
        [APP_ID],
    ).fetchone()
    return row[0] == APP_ID and set(json.loads(row[1])) == set(MIGRATION_NAMES)


def open_for_reading(path: Path | str, *, migrate: bool = True) -> Any:
    """A plain sqlite3 connection when the file's schema is current (no sqlite-utils import),
    else the full ``db.connection.open_db`` (which creates, upgrades or refuses the file; with
    ``migrate=False`` an older file is read as it is)."""
    file_path = Path(path)
    if file_path.is_file() and file_path.stat().st_size > 0:
        conn = connect_raw(file_path)
        try:
            if _has_current_schema(conn):
                return conn
        except sqlite3.DatabaseError:
            pass  # not leap's, or older: open_db says which, or upgrades it
        conn.close()
    from db.connection import open_db

    return open_db(path, migrate=migrate)


def region_name(db: Reader) -> str:
    """The region this database belongs to."""
    row = db.execute("SELECT value FROM meta WHERE key = 'region'").fetchone()
    return str(row[0]) if row else ""


def region_label(db: Reader) -> str:
    """The file's region for the title bar, or 'National view (N regions)' when it holds more."""
    name = region_name(db)
    try:
        regions = int(db.execute("SELECT count(*) FROM regions").fetchone()[0])
    except sqlite3.OperationalError:  # a file from before regions (it is upgraded on opening)
        return name
    return f"National view ({regions} regions)" if regions > 1 else name


def in_region(region: str | None, alias: str = "") -> tuple[str, list[Any]]:
    """An ``AND`` clause narrowing rows (of table ``alias``) to one region's (a code), with its
    parameters; no clause for every region (``region`` None)."""
    if region is None:
        return "", []
    return f" AND {alias + '.' if alias else ''}region = ?", [region]


def drop_schema_objects(db: Any, kind: str, condition: str, params: list[Any]) -> list[str]:
    """Drop the triggers or indexes (``kind``) of ``sqlite_master`` that match ``condition``,
    inside the caller's transaction, for a bulk load; returns their SQL to re-create them."""
    rows = db.execute(
        f"SELECT name, sql FROM sqlite_master WHERE type = ? AND sql IS NOT NULL AND {condition}",
        [kind, *params],
    ).fetchall()
    for name, _ in rows:
        db.execute(f'DROP {kind.upper()} "{name}"')
    return [sql for _, sql in rows]


def _connection(db: Any) -> sqlite3.Connection:
    """The sqlite3 connection behind a sqlite-utils Database, or the connection itself."""
    conn = getattr(db, "conn", db)
    assert isinstance(conn, sqlite3.Connection)
    return conn


@contextlib.contextmanager
def write_transaction(db: Any) -> Iterator[Any]:
    """One all-or-nothing write: BEGIN IMMEDIATE so two writers queue instead of deadlocking.

    Nested use becomes a savepoint of the outer transaction.
    """
    conn = _connection(db)
    if conn.in_transaction:
        name = f"leap_{os.urandom(8).hex()}"
        conn.execute(f"SAVEPOINT {name}")
        try:
            yield db
        except BaseException:
            if conn.in_transaction:
                conn.execute(f"ROLLBACK TO SAVEPOINT {name}")
                conn.execute(f"RELEASE SAVEPOINT {name}")
            raise
        else:
            conn.execute(f"RELEASE SAVEPOINT {name}")
        return
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield db
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    else:
        conn.execute("COMMIT")
