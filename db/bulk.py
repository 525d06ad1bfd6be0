"""Bulk writes for large loads (demo data, imports): batched executemany in one transaction."""

from __future__ import annotations

import itertools
import json
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

from db.base import write_transaction
from db.history import now_utc
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
    now = now_utc()
    total = 0
    with write_transaction(db):
        next_seq = int(db.execute("SELECT coalesce(max(seq), 0) FROM findings").fetchone()[0]) + 1
        first_seq = next_seq
        # Indexing text row by row through the FTS trigger costs ~7x a single INSERT...SELECT;
        # set the trigger aside inside this transaction and index the new rows in one go.
        trigger_sql = db.execute(
            "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = 'findings_ai'"
        ).fetchone()
        if trigger_sql:
            db.execute("DROP TRIGGER findings_ai")
        iterator = iter(findings)
        while batch := list(itertools.islice(iterator, batch_size)):
            rows = []
            tags: list[tuple[int, str, str]] = []
            for offset, f in enumerate(batch):
                seq = next_seq + offset
                rows.append(
                    (
                        seq,
                        str(f.id),
                        f.source_type.value,
                        f.source_ref,
                        f.pdu,
                        f.event_date.isoformat(),
                        f.recorded_date.isoformat(),
                        f.stage.value,
                        f.polarity.value,
                        f.summary,
                        f.narrative,
                        f.rosh.value,
                        f.crn,
                        json.dumps(f.details, ensure_ascii=False),
                        f.recorded_by,
                        f.version,
                        now,
                        now,
                    )
                )
                tags.extend((seq, t.slug, t.origin.value) for t in f.themes)
            db.conn.executemany(_INSERT_FINDING, rows)
            db.conn.executemany(_INSERT_TAG, tags)
            next_seq += len(batch)
            total += len(batch)
            if progress:
                progress(total)
        db.execute(
            "INSERT INTO findings_fts (rowid, summary, narrative) "
            "SELECT seq, summary, narrative FROM findings WHERE seq >= ?",
            [first_seq],
        )
        if trigger_sql:
            db.execute(trigger_sql[0])
    return total


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
