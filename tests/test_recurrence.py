"""Recurrence rules in plain Python: trends, the recurring verdict, pairs, rising, shares."""

from __future__ import annotations

from datetime import date

import pytest

from findings.recurrence import (
    RecurrenceRules,
    ThemeRecurrence,
    Trend,
    compute_trend,
    count_pairs,
    format_share,
    months_before,
    period_ending,
    previous_period,
    rank_pairs,
    recurring_verdict,
    rising_themes,
)


@pytest.mark.parametrize(
    ("count", "previous", "trend"),
    [
        (3, 0, Trend.NEW),
        (0, 2, Trend.GONE),
        (5, 2, Trend.RISING),
        (2, 5, Trend.FALLING),
        (4, 4, Trend.STEADY),
        (0, 0, Trend.STEADY),
    ],
)
def test_trend_against_previous_period(count: int, previous: int, trend: Trend) -> None:
    assert compute_trend(count, previous) is trend


def test_previous_period_has_equal_length_and_ends_the_day_before() -> None:
    assert previous_period(date(2026, 9, 1), date(2026, 10, 31)) == (
        date(2026, 7, 2),
        date(2026, 8, 31),
    )
    assert previous_period(date(2026, 3, 1), date(2026, 3, 1)) == (
        date(2026, 2, 28),
        date(2026, 2, 28),
    )
    with pytest.raises(ValueError):
        previous_period(date(2026, 3, 2), date(2026, 3, 1))


def test_presets_count_back_whole_months() -> None:
    assert period_ending(date(2026, 11, 26), 2) == (date(2026, 9, 27), date(2026, 11, 26))
    assert period_ending(date(2026, 11, 26), 12) == (date(2025, 11, 27), date(2026, 11, 26))
    assert months_before(date(2026, 5, 31), 3) == date(2026, 2, 28)


DEFAULTS = RecurrenceRules()


def test_enough_findings_from_enough_sources_recur() -> None:
    recurring, reason = recurring_verdict(3, 2, [], DEFAULTS)
    assert recurring and reason == "3 findings from 2 source types"


def test_one_source_type_is_not_enough_and_says_why() -> None:
    recurring, reason = recurring_verdict(5, 1, [], DEFAULTS)
    assert not recurring
    assert reason == "5 findings from 1 source type; needs at least 2 source types"
    recurring, reason = recurring_verdict(2, 1, [], DEFAULTS)
    assert reason == "2 findings from 1 source type; needs at least 3 from at least 2 source types"


def test_present_in_each_of_the_last_three_panel_periods_recurs() -> None:
    recurring, reason = recurring_verdict(1, 1, [True, True, True], DEFAULTS)
    assert recurring and reason == "in each of the last 3 panel periods"
    assert not recurring_verdict(1, 1, [True, False, True], DEFAULTS)[0]


def test_panel_rule_cannot_fire_with_fewer_panels_than_asked() -> None:
    assert not recurring_verdict(1, 1, [True, True], DEFAULTS)[0]
    off = RecurrenceRules(consecutive_panel_periods=0)
    assert not recurring_verdict(1, 1, [True, True, True], off)[0]


def test_rules_in_words_and_round_trip() -> None:
    assert DEFAULTS.describe() == (
        "A theme recurs when at least 3 weakness findings from at least 2 source types show it "
        "in the period, or when it appears in each of the last 3 panel periods."
    )
    custom = RecurrenceRules(min_findings=1, min_source_types=1, consecutive_panel_periods=0)
    assert "panel" not in custom.describe()
    assert "1 weakness finding from at least 1 source type" in custom.describe()
    assert RecurrenceRules.from_dict(custom.to_dict()) == custom
    assert RecurrenceRules.from_dict({"unknown": 1}) == DEFAULTS


@pytest.mark.parametrize(
    "bad", [{"min_findings": 0}, {"min_source_types": 7}, {"consecutive_panel_periods": -1}]
)
def test_rules_out_of_range_are_refused(bad: dict[str, int]) -> None:
    with pytest.raises(ValueError):
        RecurrenceRules.from_dict(bad)


def test_small_totals_are_counts_never_bare_percentages() -> None:
    assert format_share(3, 4) == "3 of 4"
    assert format_share(0, 0) == "0 of 0"
    assert format_share(17, 40) == "42% (17 of 40)"
    assert format_share(5, 5) == "100% (5 of 5)"


def test_pairs_counted_once_per_finding_in_stable_order() -> None:
    pairs = count_pairs(
        [
            ["risk_assessment", "information_sharing"],
            ["information_sharing", "risk_assessment", "domestic_abuse"],
            ["planning"],
            ["risk_assessment", "risk_assessment"],
        ]
    )
    assert [(p.first, p.second, p.count) for p in pairs] == [
        ("information_sharing", "risk_assessment", 2),
        ("domestic_abuse", "information_sharing", 1),
        ("domestic_abuse", "risk_assessment", 1),
    ]
    assert rank_pairs([("b", "a", 2), ("c", "d", 1)], min_count=2)[0].first == "a"


def _theme(slug: str, count: int, previous: int) -> ThemeRecurrence:
    return ThemeRecurrence(
        slug=slug,
        name=slug,
        count=count,
        previous_count=previous,
        trend=compute_trend(count, previous),
        source_types=(),
        pdus=(),
        recurring=False,
        recurring_reason="",
    )


def test_rising_themes_biggest_rise_first() -> None:
    themes = [_theme("a", 3, 2), _theme("b", 5, 0), _theme("c", 1, 4), _theme("d", 2, 2)]
    assert [t.slug for t in rising_themes(themes)] == ["b", "a"]


def test_recurrence_core_does_not_load_textual() -> None:
    from tests.test_import_hygiene import modules_loaded_by

    loaded = modules_loaded_by("import findings.recurrence, db.recurrence_store")
    assert "textual" not in loaded
