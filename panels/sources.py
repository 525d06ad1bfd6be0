"""Where a briefing gets its recurrence report and learning actions (other areas' stores)."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, cast

from findings.actions import ActionsDigest
from findings.recurrence import RecurrenceReport

if TYPE_CHECKING:
    import sqlite_utils

    from db.base import Reader


def recurrence_for(
    db: Reader, start: date, end: date, *, region: str | None = None
) -> RecurrenceReport:
    """Every theme's recurrence over ``start``..``end`` (one region's findings and panels when
    ``region`` is a code) against the period before it."""
    from db.recurrence_store import recurrence_report

    return recurrence_report(db, start, end, region=region, include_ids=False)


def actions_digest_for(
    db: Reader,
    *,
    period_start: date,
    period_end: date,
    next_panel_on: date,
    today: date,
    region: str | None = None,
) -> ActionsDigest:
    """Learning actions (one region's) overdue, due before the next panel, and completed in the
    period."""
    from db.actions_store import actions_digest

    # The actions store reads with plain SQL, so a light sqlite3 connection serves it too.
    return actions_digest(
        cast("sqlite_utils.Database", db),
        period_start=period_start,
        period_end=period_end,
        next_panel_on=next_panel_on,
        today=today,
        region=region,
    )
