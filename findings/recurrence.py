"""Recurring themes: the report shape shared by the themes screen and the briefing.

The counting rules and the report itself are filled in by the recurrence work; this module fixes
the data both sides agree on, so the screen and the briefing never disagree.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum


class Trend(StrEnum):
    """How a theme's count moved against the previous period of equal length."""

    NEW = "new"
    RISING = "rising"
    FALLING = "falling"
    STEADY = "steady"
    GONE = "gone"


@dataclass(frozen=True)
class RecurrenceRules:
    """When a theme counts as recurring (a user can see and change these)."""

    min_findings: int = 3
    min_source_types: int = 2
    consecutive_panel_periods: int = 3


@dataclass(frozen=True)
class ThemeRecurrence:
    """One theme's figures for a period and scope."""

    slug: str
    name: str
    count: int
    previous_count: int
    trend: Trend
    source_types: tuple[str, ...]
    pdus: tuple[str, ...]
    recurring: bool
    recurring_reason: str
    finding_ids: tuple[str, ...] = ()


@dataclass(frozen=True)
class ThemePair:
    """Two themes that occur together in the same findings."""

    first: str
    second: str
    count: int


@dataclass(frozen=True)
class RecurrenceReport:
    """Every theme's recurrence for one period and scope (region, or one PDU)."""

    period_start: date
    period_end: date
    previous_start: date
    previous_end: date
    pdu: str | None
    rules: RecurrenceRules
    themes: list[ThemeRecurrence] = field(default_factory=list)
    pairs: list[ThemePair] = field(default_factory=list)
    weakness_findings: int = 0
    previous_weakness_findings: int = 0

    @property
    def recurring(self) -> list[ThemeRecurrence]:
        """The themes flagged as recurring, highest count first."""
        return sorted((t for t in self.themes if t.recurring), key=lambda t: -t.count)

    @property
    def rising(self) -> list[ThemeRecurrence]:
        """Themes whose count rose (or appeared) against the previous period."""
        return [t for t in self.themes if t.trend in (Trend.RISING, Trend.NEW)]
