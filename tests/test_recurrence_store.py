"""The recurrence report from the store, on small hand-made data."""

from __future__ import annotations

from datetime import date

import pytest
import sqlite_utils

from db.history import history_for
from db.recurrence_store import load_rules, recurrence_report, save_rules
from findings.recurrence import RecurrenceRules, Trend
from tests.recurrence_data import PERIOD, add, add_panel, seed_period


def test_counts_weakness_findings_in_the_period_boundaries_inclusive(
    fresh_db: sqlite_utils.Database,
) -> None:
    ids = seed_period(fresh_db)
    report = recurrence_report(fresh_db, *PERIOD)
    ra = report.theme("risk_assessment")
    assert ra is not None
    assert ra.count == 3
    assert set(ra.finding_ids) == {ids["ra_first_day"], ids["ra_audit"], ids["ra_last_day"]}
    assert ra.source_types == ("audit", "sfo_review")
    assert ra.pdus == ("bucks_mk", "oxfordshire")
    assert report.weakness_findings == 6
    assert (report.previous_start, report.previous_end) == (date(2026, 7, 2), date(2026, 8, 31))


def test_previous_period_comparison_and_trend(fresh_db: sqlite_utils.Database) -> None:
    seed_period(fresh_db)
    report = recurrence_report(fresh_db, *PERIOD)
    ra, pc, workload = (
        report.theme(s) for s in ("risk_assessment", "professional_curiosity", "workload")
    )
    assert ra and pc and workload
    assert (ra.previous_count, ra.trend) == (1, Trend.RISING)
    assert (pc.previous_count, pc.trend) == (0, Trend.NEW)
    # The deleted finding does not count; 1 July is outside the previous period.
    assert (workload.count, workload.previous_count, workload.trend) == (0, 1, Trend.GONE)
    assert report.previous_weakness_findings == 2
    assert [t.slug for t in report.rising][:2] == ["professional_curiosity", "risk_assessment"]


def test_recurring_needs_two_source_types(fresh_db: sqlite_utils.Database) -> None:
    seed_period(fresh_db)
    report = recurrence_report(fresh_db, *PERIOD)
    assert [t.slug for t in report.recurring] == ["risk_assessment"]
    pc = report.theme("professional_curiosity")
    assert pc and not pc.recurring
    assert "needs at least 2 source types" in pc.recurring_reason


def test_strengths_and_deleted_findings_are_not_counted(fresh_db: sqlite_utils.Database) -> None:
    seed_period(fresh_db)
    report = recurrence_report(fresh_db, *PERIOD)
    planning = report.theme("planning")
    assert planning and planning.count == 0 and planning.finding_ids == ()
    assert all(p.count for p in report.pairs)
    assert "planning" not in {p.first for p in report.pairs} | {p.second for p in report.pairs}


def test_pairs_of_themes_in_the_same_finding(fresh_db: sqlite_utils.Database) -> None:
    seed_period(fresh_db)
    report = recurrence_report(fresh_db, *PERIOD)
    assert [(p.first, p.second, p.count) for p in report.pairs] == [
        ("information_sharing", "risk_assessment", 2)
    ]


def test_pdu_scope(fresh_db: sqlite_utils.Database) -> None:
    seed_period(fresh_db)
    report = recurrence_report(fresh_db, *PERIOD, pdu="bucks_mk")
    counts = {t.slug: t.count for t in report.themes if t.count}
    assert counts == {"risk_assessment": 1, "professional_curiosity": 1}
    assert report.weakness_findings == 2 and report.pairs == []
    with pytest.raises(ValueError, match="unknown PDU"):
        recurrence_report(fresh_db, *PERIOD, pdu="atlantis")


def test_present_in_each_of_the_last_three_panel_periods(fresh_db: sqlite_utils.Database) -> None:
    # One enforcement finding a panel period: never 3 in one period, yet always there.
    add_panel(fresh_db, date(2026, 3, 1), date(2026, 4, 30))
    add_panel(fresh_db, date(2026, 5, 1), date(2026, 6, 30))
    add(fresh_db, date(2026, 3, 10), "enforcement")
    add(fresh_db, date(2026, 5, 10), "enforcement")
    add(fresh_db, date(2026, 9, 10), "enforcement")
    add(fresh_db, date(2026, 9, 11), "mappa")
    # Only two panels so far: the rule cannot fire.
    report = recurrence_report(fresh_db, *PERIOD)
    assert len(report.panel_periods) == 2
    assert report.panel_rule_note == (
        "Only 2 of the 3 panel periods the rule needs are recorded so far."
    )
    enforcement = report.theme("enforcement")
    assert enforcement and not enforcement.recurring
    # A third panel whose period ends after the period asked about is not read.
    add_panel(fresh_db, date(2026, 11, 1), date(2026, 11, 20))
    assert not recurrence_report(fresh_db, *PERIOD).recurring
    add_panel(fresh_db, date(2026, 9, 1), date(2026, 10, 31))
    report = recurrence_report(fresh_db, *PERIOD)
    enforcement, mappa = report.theme("enforcement"), report.theme("mappa")
    assert enforcement and enforcement.recurring and enforcement.panel_periods_present == 3
    assert enforcement.recurring_reason == "in each of the last 3 panel periods"
    assert mappa and not mappa.recurring and mappa.panel_periods_present == 1
    # Two panels are enough when the user says so.
    two = RecurrenceRules(consecutive_panel_periods=2)
    assert recurrence_report(fresh_db, *PERIOD, rules=two).theme("enforcement").recurring  # type: ignore[union-attr]


def test_rules_saved_loaded_and_recorded(fresh_db: sqlite_utils.Database) -> None:
    assert load_rules(fresh_db) == RecurrenceRules()
    seed_period(fresh_db)
    lenient = RecurrenceRules(min_findings=3, min_source_types=1, consecutive_panel_periods=0)
    save_rules(fresh_db, lenient, actor="qa lead")
    assert load_rules(fresh_db) == lenient
    report = recurrence_report(fresh_db, *PERIOD)
    assert report.rules == lenient
    assert {t.slug for t in report.recurring} == {"risk_assessment", "professional_curiosity"}
    [entry] = history_for(fresh_db, "settings", "recurrence_rules")
    assert entry.actor == "qa lead" and entry.after == lenient.to_dict()


def test_damaged_rules_fall_back_to_defaults(fresh_db: sqlite_utils.Database) -> None:
    fresh_db.execute(
        "UPDATE meta SET value = '{\"min_findings\": 0}' WHERE key = 'recurrence_rules'"
    )
    assert load_rules(fresh_db) == RecurrenceRules()
    fresh_db.execute("UPDATE meta SET value = 'not json' WHERE key = 'recurrence_rules'")
    assert load_rules(fresh_db) == RecurrenceRules()


def test_every_active_theme_listed_even_at_zero(fresh_db: sqlite_utils.Database) -> None:
    report = recurrence_report(fresh_db, *PERIOD, include_ids=False)
    assert len(report.themes) == 20
    assert all(t.count == 0 and t.trend is Trend.STEADY for t in report.themes)
    assert report.weakness_findings == 0 and report.pairs == []


def test_counts_read_the_kept_counts_by_their_key(fresh_db: sqlite_utils.Database) -> None:
    # The report reads whole months and edge days through the counts' primary key, never the
    # findings, so its cost does not grow with the period.
    plan = fresh_db.execute(
        "EXPLAIN QUERY PLAN SELECT theme_slug, sum(n) FROM theme_counts "
        "WHERE grain = 'm' AND kind = 't' AND period BETWEEN ? AND ? GROUP BY theme_slug",
        ["2025-01", "2026-10"],
    ).fetchall()
    assert "USING PRIMARY KEY (grain=? AND kind=? AND period>? AND period<?)" in str(plan)
