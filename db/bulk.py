"""Bulk writes for large loads (demo data, imports): batched executemany in one transaction."""

from __future__ import annotations

import contextlib
import functools
import itertools
import json
from collections.abc import Callable, Iterable, Iterator, Sized
from datetime import date
from typing import TYPE_CHECKING, Any

from db.base import drop_schema_objects, write_transaction
from db.history import current_actor, now_utc
from db.levels_store import weakness_levels_deferred
from db.theme_counts import add_counts, set_insert_triggers_aside
from findings.models import CaseAssessment, Finding

if TYPE_CHECKING:
    import sqlite_utils


_FINDING_COLUMNS = (
    "seq",
    "id",
    "source_type",
    "source_ref",
    "pdu",
    "event_date",
    "recorded_date",
    "stage",
    "polarity",
    "summary",
    "narrative",
    "rosh",
    "crn",
    "details",
    "recorded_by",
    "version",
    "created_at",
    "updated_at",
)
_INSERT_FINDING = (
    f"INSERT INTO findings ({', '.join(_FINDING_COLUMNS)}) "
    f"VALUES ({', '.join('?' * len(_FINDING_COLUMNS))})"
)
_INSERT_TAG = "INSERT INTO finding_themes (finding_seq, theme_slug, origin) VALUES (?, ?, ?)"
_INSERT_LEVEL = "INSERT INTO finding_levels (finding_seq, level, origin) VALUES (?, ?, ?)"
_INSERT_REJECTION = (
    "INSERT INTO theme_rejections (finding_seq, theme_slug, rejected_at, rejected_by) "
    "VALUES (?, ?, ?, ?)"
)


PreparedFinding = tuple[
    tuple[Any, ...], tuple[tuple[str, str], ...], tuple[tuple[str, str], ...], tuple[str, ...]
]
"""A finding as written: its column values from id to version, its (theme, origin) pairs, its
(level, origin) pairs and the themes rejected for it."""


def prepare_finding(finding: Finding, id_text: str | None = None) -> PreparedFinding:
    """A validated finding's values for ``bulk_insert_prepared`` (id_text: its id as text)."""
    f = finding
    # str() of a StrEnum member is its value, in C (.value is a Python property, and binding
    # the member itself makes sqlite3 look for adapters); dates repeat, so their ISO text is
    # cached; most findings have no details.
    values = (
        id_text if id_text is not None else str(f.id),
        str(f.source_type),
        f.source_ref,
        f.pdu,
        _iso(f.event_date),
        _iso(f.recorded_date),
        str(f.stage),
        str(f.polarity),
        f.summary,
        f.narrative,
        str(f.rosh),
        f.crn,
        json.dumps(f.details, ensure_ascii=False) if f.details else "{}",
        f.recorded_by,
        f.version,
    )
    return (
        values,
        tuple((t.slug, str(t.origin)) for t in f.themes),
        tuple((str(t.level), str(t.origin)) for t in f.levels),
        tuple(f.rejected_themes),
    )


def bulk_insert_findings(
    db: sqlite_utils.Database,
    findings: Iterable[Finding],
    *,
    batch_size: int = 10_000,
    progress: Callable[[int], None] | None = None,
) -> int:
    """Insert many already-validated findings in one transaction; returns how many.

    All or nothing: an error (or the process being killed) leaves none of them stored.
    """
    if isinstance(findings, Sized):
        prepared: Iterable[PreparedFinding] = [prepare_finding(f) for f in findings]
    else:
        prepared = (prepare_finding(f) for f in findings)
    return bulk_insert_prepared(db, prepared, batch_size=batch_size, progress=progress)


def bulk_insert_prepared(
    db: sqlite_utils.Database,
    findings: Iterable[PreparedFinding],
    *,
    batch_size: int = 10_000,
    progress: Callable[[int], None] | None = None,
    actor: str | None = None,
) -> int:
    """Insert many prepared findings (see ``prepare_finding``) in one transaction; how many.

    All or nothing: an error (or the process being killed) leaves none of them stored. Their
    rejected themes are noted as rejected now by ``actor`` (default: the current user).
    """
    now = now_utc()
    who = actor
    total = 0
    with write_transaction(db), appending_findings(db, _size(findings)) as first_seq:
        next_seq = first_seq
        iterator = iter(findings)
        stamps = (now, now)
        while batch := list(itertools.islice(iterator, batch_size)):
            rows = []
            tags: list[tuple[int, str, str]] = []
            level_tags: list[tuple[int, str, str]] = []
            rejections: list[tuple[int, str, str, str]] = []
            seq = next_seq
            for values, themes, levels, rejected in batch:
                rows.append((seq, *values, *stamps))
                if themes:
                    tags.extend((seq, slug, origin) for slug, origin in themes)
                if levels:
                    level_tags.extend((seq, level, origin) for level, origin in levels)
                if rejected:
                    who = who or current_actor(db)
                    rejections.extend((seq, slug, now, who) for slug in rejected)
                seq += 1
            db.conn.executemany(_INSERT_FINDING, rows)
            db.conn.executemany(_INSERT_TAG, tags)
            db.conn.executemany(_INSERT_LEVEL, level_tags)
            if rejections:
                db.conn.executemany(_INSERT_REJECTION, rejections)
            next_seq += len(batch)
            total += len(batch)
            if progress:
                progress(total)
    return total


def _size(findings: Iterable[Any]) -> int | None:
    return len(findings) if isinstance(findings, Sized) else None


@contextlib.contextmanager
def appending_findings(db: sqlite_utils.Database, expected: int | None) -> Iterator[int]:
    """Around appending many findings (and their tags) inside a write transaction; yields the
    first new seq.

    Per-row work is set aside and done once for all the new rows at the end: the search index,
    the kept theme counts, the theme x level rows (``weakness_levels``) and, for ``expected``
    rows at least as many as the stored ones, the secondary indexes. Everything set aside is
    restored inside the same transaction, so an error or a crash leaves the file as it was.
    """
    first_seq = next_seq(db)
    rebuilt = set_indexes_aside(db, expected, first_seq - 1)
    count_triggers = set_insert_triggers_aside(db)
    with weakness_levels_deferred(db, first_seq), search_index_deferred(db, first_seq):
        yield first_seq
    for sql in rebuilt:
        db.execute(sql)
    add_counts(db, "f.seq >= ?", [first_seq])
    for sql in count_triggers:
        db.execute(sql)


def next_seq(db: sqlite_utils.Database) -> int:
    """The seq the next finding written will take."""
    return int(db.execute("SELECT coalesce(max(seq), 0) FROM findings").fetchone()[0]) + 1


@contextlib.contextmanager
def search_index_deferred(db: sqlite_utils.Database, first_seq: int) -> Iterator[None]:
    """Index the text of findings appended from ``first_seq`` in one go when the block ends.

    Indexing text row by row through the FTS trigger costs ~7x a single INSERT...SELECT; the
    trigger is set aside inside the caller's transaction and restored after.
    """
    trigger_sql = db.execute(
        "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = 'findings_ai'"
    ).fetchone()
    if trigger_sql:
        db.execute("DROP TRIGGER findings_ai")
    yield
    db.execute(
        "INSERT INTO findings_fts (rowid, summary, narrative) "
        "SELECT seq, summary, narrative FROM findings WHERE seq >= ?",
        [first_seq],
    )
    if trigger_sql:
        db.execute(trigger_sql[0])


REBUILD_INDEXES_FROM = 2_000
"""Fewest new findings for which set-aside indexes are worth rebuilding (see below)."""


def set_indexes_aside(db: sqlite_utils.Database, expected: int | None, stored: int) -> list[str]:
    """Drop the secondary indexes of findings and their tags for a large load; their SQL.

    Keeping seven indexes up to date row by row costs more than building them afresh once the
    new rows are at least as many as the stored ones (measured: 100k new rows into an empty
    table 3.5 s -> 2.2 s; into 300k rows rebuilding loses). The caller re-creates them inside
    the same transaction, so a crash or an error leaves the file with all of them.
    """
    if expected is None or expected < max(REBUILD_INDEXES_FROM, stored):
        return []
    return drop_schema_objects(
        db,
        "index",
        "tbl_name IN ('findings', 'finding_themes', 'finding_levels', 'weakness_levels')",
        [],
    )


@functools.lru_cache(maxsize=8192)
def _iso(day: date) -> str:
    return day.isoformat()


def bulk_insert_case_assessments(
    db: sqlite_utils.Database, assessments: Iterable[CaseAssessment]
) -> int:
    """Insert many case assessments in one transaction; returns how many."""
    now = now_utc()
    rows = [
        (
            str(a.id),
            a.audit_ref,
            a.pdu,
            a.assessed_on.isoformat(),
            a.rosh.value,
            a.crn,
            a.answers["assessment"].value,
            a.answers["planning"].value,
            a.answers["implementation_delivery"].value,
            a.answers["reviewing"].value,
            a.recorded_by,
            now,
        )
        for a in assessments
    ]
    with write_transaction(db):
        db.conn.executemany(
            "INSERT INTO case_assessments (id, audit_ref, pdu, assessed_on, rosh, crn, "
            "q_assessment, q_planning, q_implementation_delivery, q_reviewing, recorded_by, "
            "created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            rows,
        )
    return len(rows)
