"""Filling a database with the synthetic demo region-year (findings, assessments, panels...)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

import sqlite_utils

from db.actions_demo import write_demo_actions
from db.bulk import bulk_insert_case_assessments, bulk_insert_findings
from db.reference import list_pdus
from findings.demo import DEMO_SEED, generate_case_assessments, generate_findings

DEMO_FINDINGS = 300


def load_demo(
    db: sqlite_utils.Database,
    *,
    findings: int = DEMO_FINDINGS,
    seed: int = DEMO_SEED,
    today: date | None = None,
    progress: Callable[[int], None] | None = None,
) -> int:
    """Write a synthetic year of the region's work ending ``today``; returns findings written."""
    end = today or date.today()
    start = end - timedelta(days=365)
    pdus = [p.code for p in list_pdus(db)]
    written = bulk_insert_findings(
        db,
        generate_findings(seed, findings, pdus=pdus, start=start, end=end),
        progress=progress,
    )
    assessments = max(40, min(findings // 5, 20_000))
    bulk_insert_case_assessments(
        db, generate_case_assessments(seed, assessments, pdus=pdus, start=start, end=end)
    )
    write_demo_actions(db, end)
    return written
