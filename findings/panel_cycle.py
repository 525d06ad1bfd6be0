"""The bimonthly panel cycle: when the next panel falls and which days a panel covers."""

from __future__ import annotations

import calendar
from datetime import date, timedelta

PANEL_INTERVAL_MONTHS = 2
"""LEAPs meet every two months."""


def add_months(day: date, months: int) -> date:
    """The same day ``months`` later (or earlier), clamped to the end of a shorter month."""
    index = day.year * 12 + (day.month - 1) + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last))


def next_panel_date(held_on: date) -> date:
    """The date proposed for the panel after one held on ``held_on``: two months on."""
    return add_months(held_on, PANEL_INTERVAL_MONTHS)


def default_period(held_on: date, previous_held_on: date | None) -> tuple[date, date]:
    """The days a panel covers, both inclusive.

    From the previous panel's date up to the day before this one, so consecutive panels tile the
    calendar without gaps or overlaps; the first panel covers the two months before it.
    """
    start = previous_held_on if previous_held_on else add_months(held_on, -PANEL_INTERVAL_MONTHS)
    end = held_on - timedelta(days=1)
    return (min(start, end), end)


def long_date(day: date) -> str:
    """'5 March 2026'."""
    return f"{day.day} {day:%B %Y}"


def period_text(start: date, end: date) -> str:
    """'15 January to 14 March 2026'."""
    if start.year == end.year:
        return f"{start.day} {start:%B} to {long_date(end)}"
    return f"{long_date(start)} to {long_date(end)}"
