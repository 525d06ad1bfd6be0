"""Recurring themes: the report shape, the counting rules, trends, pairs and honest shares.

The screen and the briefing both receive a :class:`RecurrenceReport` built by one store function
(``db.recurrence_store.recurrence_report``); every rule that decides what it says lives here, in
plain Python, so it can be read, tested and explained to a user in words.
"""

from __future__ import annotations

import calendar
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field, fields
from datetime import date, timedelta
from enum import StrEnum
from itertools import combinations
from typing import Any

SMALL_TOTAL = 5
"""Below this many, a share is shown as 'n of m' and never as a percentage."""


class Trend(StrEnum):
    """How a theme's count moved against the previous period of equal length."""

    NEW = "new"
    RISING = "rising"
    FALLING = "falling"
    STEADY = "steady"
    GONE = "gone"

    @property
    def arrow(self) -> str:
        """A one-character picture of the trend for tables."""
        return TREND_ARROWS[self]


TREND_ARROWS: dict[Trend, str] = {
    Trend.NEW: "★",
    Trend.RISING: "↑",
    Trend.FALLING: "↓",
    Trend.STEADY: "→",
    Trend.GONE: "∅",
}


@dataclass(frozen=True)
class RecurrenceRules:
    """When a theme counts as recurring (a user can see and change these).

    ``consecutive_panel_periods`` of 0 switches the panel rule off.
    """

    min_findings: int = 3
    min_source_types: int = 2
    consecutive_panel_periods: int = 3

    def __post_init__(self) -> None:
        for name, low, high in (
            ("min_findings", 1, 10_000),
            ("min_source_types", 1, 6),
            ("consecutive_panel_periods", 0, 24),
        ):
            value = getattr(self, name)
            if not isinstance(value, int) or isinstance(value, bool):
                raise ValueError(f"{name.replace('_', ' ')} must be a whole number")
            if not low <= value <= high:
                raise ValueError(f"{name.replace('_', ' ')} must be between {low} and {high}")

    def describe(self) -> str:
        """The rules in words, as a user reads them."""
        text = (
            f"A theme recurs when at least {_n(self.min_findings, 'weakness finding')} "
            f"from at least {_n(self.min_source_types, 'source type')} show it in the period"
        )
        if self.consecutive_panel_periods:
            text += (
                f", or when it appears in each of the last "
                f"{_n(self.consecutive_panel_periods, 'panel period')}"
            )
        return text + "."

    def short_description(self) -> str:
        """The rules in a few words, for a one-line reminder."""
        text = f"Recurs: {self.min_findings}+ findings from {self.min_source_types}+ source types"
        if self.consecutive_panel_periods:
            text += f", or in all of the last {self.consecutive_panel_periods} panels"
        return text

    def to_dict(self) -> dict[str, int]:
        """The rules as plain data (stored as JSON)."""
        return asdict(self)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> RecurrenceRules:
        """Rules from stored data: unknown keys ignored, missing keys take the defaults."""
        known = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in data.items() if k in known})


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
    panel_periods_present: int = 0
    """In how many of the last panel periods (as many as the rules look at) the theme appeared."""

    @property
    def change(self) -> int:
        """Count minus previous count."""
        return self.count - self.previous_count


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
    panel_periods: tuple[tuple[date, date], ...] = ()
    """The panel periods the panel rule looked at, latest first (fewer than asked: rule idle)."""
    region: str | None = None
    """The region (code) the report is scoped to; None for every region in the file."""

    @property
    def recurring(self) -> list[ThemeRecurrence]:
        """The themes flagged as recurring, highest count first."""
        return sorted((t for t in self.themes if t.recurring), key=lambda t: -t.count)

    @property
    def rising(self) -> list[ThemeRecurrence]:
        """Themes whose count rose (or appeared) against the previous period, biggest rise first."""
        return rising_themes(self.themes)

    @property
    def panel_rule_note(self) -> str:
        """Why the panel rule cannot apply yet, or '' when it can (or is switched off)."""
        wanted = self.rules.consecutive_panel_periods
        have = len(self.panel_periods)
        if not wanted or have >= wanted:
            return ""
        if have == 0:
            return "No panels are recorded yet, so the panel rule cannot apply."
        return f"Only {have} of the {wanted} panel periods the rule needs are recorded so far."

    def theme(self, slug: str) -> ThemeRecurrence | None:
        """One theme's figures, or None if the report does not hold it."""
        return next((t for t in self.themes if t.slug == slug), None)


def _n(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


def format_share(count: int, total: int) -> str:
    """A share a reader can trust: '3 of 4' for small totals, else '42% (17 of 40)'.

    Percentages of fewer than five things mislead, so below that only the counts are shown.
    """
    if total < SMALL_TOTAL:
        return f"{count} of {total}"
    return f"{round(100 * count / total)}% ({count} of {total})"


def previous_period(start: date, end: date) -> tuple[date, date]:
    """The period of equal length (in days, both ends inclusive) just before ``start``."""
    if start > end:
        raise ValueError("the period starts after it ends")
    length = (end - start).days + 1
    previous_end = start - timedelta(days=1)
    return previous_end - timedelta(days=length - 1), previous_end


def months_before(day: date, months: int) -> date:
    """The same day ``months`` calendar months earlier (clamped to the month's last day)."""
    month_index = day.year * 12 + day.month - 1 - months
    year, month = divmod(month_index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last))


def period_ending(end: date, months: int) -> tuple[date, date]:
    """The last ``months`` months up to and including ``end`` (e.g. 27 Sep to 26 Nov for 2)."""
    if months < 1:
        raise ValueError("a period is at least one month")
    return months_before(end, months) + timedelta(days=1), end


def compute_trend(count: int, previous: int) -> Trend:
    """How a count moved against the previous period's."""
    if count and not previous:
        return Trend.NEW
    if previous and not count:
        return Trend.GONE
    if count > previous:
        return Trend.RISING
    if count < previous:
        return Trend.FALLING
    return Trend.STEADY


def recurring_verdict(
    count: int,
    source_type_count: int,
    panel_presence: Sequence[bool],
    rules: RecurrenceRules,
) -> tuple[bool, str]:
    """Whether a theme recurs under ``rules``, and why (or why not) in words.

    ``panel_presence`` says, latest first, whether the theme appeared in each of the latest panel
    periods; with fewer periods than the rules ask for, the panel rule cannot fire.
    """
    by_volume = count >= rules.min_findings and source_type_count >= rules.min_source_types
    wanted = rules.consecutive_panel_periods
    recent = list(panel_presence[:wanted]) if wanted else []
    by_panels = bool(wanted) and len(recent) == wanted and all(recent)
    seen = f"{_n(count, 'finding')} from {_n(source_type_count, 'source type')}"
    if by_volume and by_panels:
        return True, f"{seen}, and in each of the last {_n(wanted, 'panel period')}"
    if by_volume:
        return True, seen
    if by_panels:
        return True, f"in each of the last {_n(wanted, 'panel period')}"
    if count == 0:
        return False, "not seen in the period"
    needs = []
    if count < rules.min_findings:
        needs.append(f"at least {rules.min_findings}")
    if source_type_count < rules.min_source_types:
        needs.append(f"at least {_n(rules.min_source_types, 'source type')}")
    return False, f"{seen}; needs {' from '.join(needs)}"


def rising_themes(themes: Iterable[ThemeRecurrence]) -> list[ThemeRecurrence]:
    """Themes that rose or appeared against the previous period, biggest rise first."""
    rising = [t for t in themes if t.trend in (Trend.RISING, Trend.NEW)]
    return sorted(rising, key=lambda t: (-t.change, -t.count, t.slug))


def count_pairs(tag_sets: Iterable[Iterable[str]]) -> list[ThemePair]:
    """How often each two themes were attached to the same finding, most frequent first."""
    counter: Counter[tuple[str, str]] = Counter()
    for tags in tag_sets:
        counter.update(combinations(sorted(set(tags)), 2))
    return rank_pairs((a, b, n) for (a, b), n in counter.items())


def rank_pairs(raw: Iterable[tuple[str, str, int]], *, min_count: int = 1) -> list[ThemePair]:
    """Pairs in a stable order (most frequent first, then by slug); each pair's slugs sorted."""
    pairs = [
        ThemePair(first=min(a, b), second=max(a, b), count=n)
        for a, b, n in raw
        if n >= min_count and a != b
    ]
    return sorted(pairs, key=lambda p: (-p.count, p.first, p.second))


def per_hundred(count: int, total: int) -> float | None:
    """``count`` per 100 of ``total`` (None when there is nothing to divide by)."""
    return 100 * count / total if total else None


@dataclass(frozen=True)
class RegionComparison:
    """Each theme's weakness findings per region, for comparing regions side by side.

    Rates are per 100 weakness findings of the region in the period, so large and small
    regions compare fairly.
    """

    period_start: date
    period_end: date
    regions: list[tuple[str, str]]
    """(code, name) of each region, in name order."""
    weakness_findings: dict[str, int]
    """Weakness findings per region code."""
    counts: dict[str, dict[str, int]]
    """Theme slug -> region code -> count."""
    names: dict[str, str] = field(default_factory=dict)
    """Theme slug -> name."""

    def rate(self, slug: str, region: str) -> float | None:
        """The theme's findings per 100 weakness findings of the region (None: none there)."""
        return per_hundred(
            self.counts.get(slug, {}).get(region, 0), self.weakness_findings.get(region, 0)
        )

    def overall_rate(self, slug: str) -> float | None:
        """The theme's findings per 100 weakness findings across every region."""
        return per_hundred(
            sum(self.counts.get(slug, {}).values()), sum(self.weakness_findings.values())
        )

    @property
    def themes(self) -> list[str]:
        """Themes seen in the period, highest overall rate first."""
        return sorted(self.counts, key=lambda s: (-(self.overall_rate(s) or 0), s))

    def spread(self, slug: str) -> float:
        """Highest minus lowest regional rate: how unevenly the theme falls across regions."""
        rates = [r for code, _ in self.regions if (r := self.rate(slug, code)) is not None]
        return max(rates) - min(rates) if rates else 0.0
