"""Where a briefing gets its recurrence report and learning actions (other areas' stores)."""

from __future__ import annotations

from datetime import date

import sqlite_utils

from findings.actions import ActionsDigest
from findings.recurrence import RecurrenceReport, RecurrenceRules, ThemeRecurrence, Trend
from panels.cycle import previous_period


def recurrence_for(db: sqlite_utils.Database, start: date, end: date) -> RecurrenceReport:
    """Every theme's recurrence over ``start``..``end`` against the period before it."""
    try:
        from db.recurrence_store import recurrence_report
    except ImportError:  # pragma: no cover - until the recurrence work lands
        return _plain_report(db, start, end)
    report: RecurrenceReport = recurrence_report(db, start, end)
    return report


def actions_digest_for(
    db: sqlite_utils.Database,
    *,
    period_start: date,
    period_end: date,
    next_panel_on: date,
    today: date,
) -> ActionsDigest:
    """Learning actions overdue, due before the next panel, and completed in the period."""
    from db.actions_store import actions_digest

    return actions_digest(
        db,
        period_start=period_start,
        period_end=period_end,
        next_panel_on=next_panel_on,
        today=today,
    )


def _trend(count: int, previous: int) -> Trend:
    if count and not previous:
        return Trend.NEW
    if previous and not count:
        return Trend.GONE
    if count > previous:
        return Trend.RISING
    if count < previous:
        return Trend.FALLING
    return Trend.STEADY


def _plain_report(db: sqlite_utils.Database, start: date, end: date) -> RecurrenceReport:
    """A simple recurrence report (counts and trend) used until the real one is merged."""
    from db.panels_store import theme_tallies
    from db.reference import theme_names

    rules = RecurrenceRules()
    prev_start, prev_end = previous_period(start, end)
    now = theme_tallies(db, start, end)
    before = theme_tallies(db, prev_start, prev_end)
    names = theme_names(db)
    themes = []
    for slug in sorted(set(now) | set(before)):
        count, sources, pdus = now.get(slug, (0, set(), set()))
        previous = before.get(slug, (0, set(), set()))[0]
        recurring = count >= rules.min_findings and len(sources) >= rules.min_source_types
        themes.append(
            ThemeRecurrence(
                slug=slug,
                name=names.get(slug, slug),
                count=count,
                previous_count=previous,
                trend=_trend(count, previous),
                source_types=tuple(sorted(sources)),
                pdus=tuple(sorted(pdus)),
                recurring=recurring,
                recurring_reason=(
                    f"{count} findings from {len(sources)} source types" if recurring else ""
                ),
            )
        )
    themes.sort(key=lambda t: (-t.count, -t.previous_count, t.name))
    return RecurrenceReport(
        period_start=start,
        period_end=end,
        previous_start=prev_start,
        previous_end=prev_end,
        pdu=None,
        rules=rules,
        themes=themes,
    )
