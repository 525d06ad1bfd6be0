"""A small period of findings for moderation tests, recorded by one first coder (synthetic)."""

from __future__ import annotations

from datetime import date

import sqlite_utils

from db.findings_store import save_finding
from tests.factories import TODAY, make_finding

FIRST_CODER = "Alex First"
SECOND_CODER = "Sam Second"
START, END = date(2026, 9, 1), date(2026, 10, 31)


def seed_moderation_period(db: sqlite_utils.Database, count: int = 12) -> list[str]:
    """``count`` findings in September-October 2026 over three source types; returns their ids."""
    sources = ["sfo_review", "audit", "complaint"]
    themes = [["professional_curiosity"], ["risk_assessment", "information_sharing"], []]
    ids = []
    for i in range(count):
        finding = make_finding(
            source_type=sources[i % 3],
            source_ref=f"REF-{i}",
            event_date=date(2026, 9, 1 + i),
            recorded_date=date(2026, 10, 1 + i),
            summary=f"Finding number {i}: the self-report was not verified",
            polarity="strength" if i % 3 == 2 else "weakness",
            themes=[{"slug": s, "origin": "confirmed"} for s in themes[i % 3]],
            recorded_by=FIRST_CODER,
        )
        ids.append(str(save_finding(db, finding, today=TODAY).id))
    return ids
