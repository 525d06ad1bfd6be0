"""The panel cycle and the panels store: periods, planning, decisions, marked items, demo panels."""

from __future__ import annotations

from datetime import date

import pytest
import sqlite_utils

from db.connection import StoreError
from db.history import history_for
from db.panels_store import (
    PanelNotFound,
    add_decision,
    create_panel,
    find_panel,
    list_items,
    list_panels,
    plan_next_panel,
    record_held,
    set_item_marked,
)
from findings.actions import LearningAction
from findings.panel_cycle import add_months, default_period, next_panel_date
from findings.panels import PanelItem, PanelItemKind, PanelStatus
from findings.recurrence import previous_period
from panels.demo import add_demo_panels
from tests.factories import TODAY


def test_next_panel_is_two_months_on_clamped_to_month_end() -> None:
    assert next_panel_date(date(2026, 3, 15)) == date(2026, 5, 15)
    assert next_panel_date(date(2026, 12, 31)) == date(2027, 2, 28)
    assert add_months(date(2026, 1, 31), -2) == date(2025, 11, 30)


def test_periods_tile_without_gaps_or_overlaps() -> None:
    assert default_period(date(2026, 11, 1), date(2026, 9, 1)) == (
        date(2026, 9, 1),
        date(2026, 10, 31),
    )
    assert default_period(date(2026, 11, 1), None) == (date(2026, 9, 1), date(2026, 10, 31))
    assert previous_period(date(2026, 9, 1), date(2026, 10, 31)) == (
        date(2026, 7, 2),
        date(2026, 8, 31),
    )


def test_panel_period_follows_the_previous_panel(fresh_db: sqlite_utils.Database) -> None:
    first = create_panel(fresh_db, date(2026, 5, 12), chair="Head of Public Protection")
    assert (first.period_start, first.period_end) == (date(2026, 3, 12), date(2026, 5, 11))
    second = create_panel(fresh_db, date(2026, 7, 20))
    assert (second.period_start, second.period_end) == (date(2026, 5, 12), date(2026, 7, 19))
    with pytest.raises(StoreError, match="already a panel"):
        create_panel(fresh_db, date(2026, 7, 20))
    assert [p.held_on for p in list_panels(fresh_db)] == [date(2026, 7, 20), date(2026, 5, 12)]
    assert history_for(fresh_db, "panel", str(first.id))[0].action == "create"


def test_find_panel_by_date_id_or_latest(fresh_db: sqlite_utils.Database) -> None:
    with pytest.raises(PanelNotFound, match="no panels yet"):
        find_panel(fresh_db)
    older = create_panel(fresh_db, date(2026, 5, 12))
    newer = create_panel(fresh_db, date(2026, 7, 20))
    assert find_panel(fresh_db).id == newer.id
    assert find_panel(fresh_db, "2026-05-12").id == older.id
    assert find_panel(fresh_db, str(older.id)[:8]).id == older.id
    with pytest.raises(PanelNotFound, match="No panel matches"):
        find_panel(fresh_db, "2020-01-01")
    with pytest.raises(PanelNotFound):
        find_panel(fresh_db, "zz%_")


def test_plan_next_and_record_held(fresh_db: sqlite_utils.Database) -> None:
    panel = create_panel(fresh_db, date(2026, 9, 1), chair="Regional Probation Director")
    held = record_held(
        fresh_db, panel.id, attendees=["SFO Lead", " ", "Head of PDU"], minutes="Discussed."
    )
    assert held.status is PanelStatus.HELD and held.attendees == ["SFO Lead", "Head of PDU"]
    following = plan_next_panel(fresh_db, held)
    assert following.held_on == date(2026, 11, 1)
    assert following.chair == "Regional Probation Director"
    assert following.status is PanelStatus.PLANNED
    assert following.period_start == date(2026, 9, 1)


def test_decision_without_and_with_a_learning_action(fresh_db: sqlite_utils.Database) -> None:
    panel = create_panel(fresh_db, date(2026, 11, 1))
    add_decision(fresh_db, panel.id, "Noted the improvement in reviewing.")
    action = LearningAction(
        title="Audit DA call-out checks",
        owner="Head of PDU (Oxfordshire)",
        themes=["domestic_abuse"],
        created_on=TODAY,
        due_date=date(2027, 1, 31),
    )
    decision, created = add_decision(fresh_db, panel.id, "Audit DA checks", action=action)
    assert created is not None and created.decision_id == decision.id
    assert [d.text for d in find_panel(fresh_db).decisions] == [
        "Noted the improvement in reviewing.",
        "Audit DA checks",
    ]
    themes = fresh_db.execute("SELECT theme_slug FROM action_themes").fetchall()
    assert themes == [("domestic_abuse",)]


def test_decision_and_action_are_all_or_nothing(fresh_db: sqlite_utils.Database) -> None:
    panel = create_panel(fresh_db, date(2026, 11, 1))
    bad = LearningAction(
        title="Refers to a theme that does not exist",
        owner="QA lead",
        themes=["no_such_theme"],
        created_on=TODAY,
        due_date=date(2027, 1, 31),
    )
    with pytest.raises(Exception):  # noqa: B017 - whichever layer refuses it
        add_decision(fresh_db, panel.id, "A decision", action=bad)
    assert fresh_db.execute("SELECT count(*) FROM panel_decisions").fetchone()[0] == 0
    assert fresh_db.execute("SELECT count(*) FROM actions").fetchone()[0] == 0


def test_mark_and_unmark_items(fresh_db: sqlite_utils.Database) -> None:
    panel = create_panel(fresh_db, date(2026, 11, 1))
    item = PanelItem(kind=PanelItemKind.THEME, ref="risk_assessment")
    set_item_marked(fresh_db, panel.id, item, True)
    set_item_marked(fresh_db, panel.id, item, True)  # marking twice is harmless
    assert list_items(fresh_db, panel.id) == [item]
    set_item_marked(fresh_db, panel.id, item, False)
    assert list_items(fresh_db, panel.id) == []
    entries = history_for(fresh_db, "panel_item", f"{panel.id}:theme:risk_assessment")
    assert [e.action for e in entries] == ["create", "delete"]


def test_demo_panels_are_bimonthly_with_the_next_planned(fresh_db: sqlite_utils.Database) -> None:
    assert add_demo_panels(fresh_db, TODAY) == 7
    panels = list_panels(fresh_db)
    planned, *held = panels
    assert planned.status is PanelStatus.PLANNED and planned.held_on > TODAY
    assert len(held) == 6 and all(p.status is PanelStatus.HELD and p.held_on < TODAY for p in held)
    assert all(p.decisions and p.chair and p.attendees for p in held)
    dates = [p.held_on for p in reversed(panels)]
    assert all(next_panel_date(a) == b for a, b in zip(dates, dates[1:], strict=False))
    assert add_demo_panels(fresh_db, TODAY) == 0
