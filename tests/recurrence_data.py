"""Hand-made findings and panels for the recurrence tests (synthetic only)."""

from __future__ import annotations

import uuid
from datetime import date

import sqlite_utils

from db.findings_store import delete_finding, save_finding
from findings.models import ThemeTag
from tests.factories import TODAY, make_finding

PERIOD = (date(2026, 9, 1), date(2026, 10, 31))
"""The period the tests ask about; the previous period is 2 Jul to 31 Aug 2026."""


def add(
    db: sqlite_utils.Database,
    day: date,
    *slugs: str,
    source: str = "sfo_review",
    pdu: str = "oxfordshire",
    polarity: str = "weakness",
    number: int | None = None,
) -> str:
    """Store one finding tagged with ``slugs``; returns its id."""
    finding = make_finding(
        id=uuid.uuid4() if number is None else uuid.UUID(int=number),
        event_date=day,
        recorded_date=day,
        source_type=source,
        pdu=pdu,
        polarity=polarity,
        summary=f"Finding about {', '.join(slugs) or 'nothing'}",
        themes=[ThemeTag(slug=s) for s in slugs],
    )
    return str(save_finding(db, finding, today=TODAY).id)


def add_panel(db: sqlite_utils.Database, start: date, end: date) -> None:
    """Record a panel that covered ``start`` to ``end``."""
    db.execute(
        "INSERT INTO panels (id, held_on, period_start, period_end, created_at, updated_at) "
        "VALUES (?, ?, ?, ?, '2026-01-01', '2026-01-01')",
        [str(uuid.uuid4()), end.isoformat(), start.isoformat(), end.isoformat()],
    )


def seed_period(db: sqlite_utils.Database) -> dict[str, str]:
    """Findings around PERIOD exercising every rule; returns ids by label."""
    ids = {
        # risk_assessment: 3 in the period from 2 source types, on both boundary days.
        "ra_first_day": add(db, date(2026, 9, 1), "risk_assessment", "information_sharing"),
        "ra_audit": add(
            db, date(2026, 9, 15), "risk_assessment", "information_sharing", source="audit"
        ),
        "ra_last_day": add(db, date(2026, 10, 31), "risk_assessment", pdu="bucks_mk"),
        # Just outside the period on either side.
        "ra_day_before": add(db, date(2026, 8, 31), "risk_assessment"),
        "ra_day_after": add(db, date(2026, 11, 1), "risk_assessment"),
        # professional_curiosity: 3 findings but all SFO reviews.
        "pc_1": add(db, date(2026, 9, 2), "professional_curiosity"),
        "pc_2": add(db, date(2026, 9, 3), "professional_curiosity"),
        "pc_3": add(db, date(2026, 9, 4), "professional_curiosity", pdu="bucks_mk"),
        # planning only as good practice: never counted.
        "planning_strength": add(db, date(2026, 9, 5), "planning", polarity="strength"),
        # workload: one deleted finding in the period, two in the previous period.
        "workload_deleted": add(db, date(2026, 9, 6), "workload", source="audit"),
        "workload_prev_1": add(db, date(2026, 7, 2), "workload"),
        "workload_prev_2": add(db, date(2026, 7, 1), "workload"),  # one day too early
    }
    delete_finding(db, ids["workload_deleted"], actor="test")
    return ids
