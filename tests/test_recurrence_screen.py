"""The recurring-themes screen through Textual's Pilot: period, scope, rules, findings behind."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import sqlite_utils
from textual.widgets import DataTable, Input, Select, Static

from db.recurrence_store import load_rules
from tests.factories import TODAY
from tests.recurrence_data import add, seed_period
from tui.app import LeapApp, make_app
from tui.screens.findings import FindingsScreen
from tui.screens.recurrence import RecurrenceScreen, block_bar


async def settle(app: LeapApp, pilot: object) -> None:
    for _ in range(5):
        await app.workers.wait_for_complete()
        await pilot.pause()  # type: ignore[attr-defined]


def cell(table: DataTable[str], slug: str, column: str) -> str:
    return str(table.get_cell(slug, column))


def test_block_bar_scales_to_the_largest_count() -> None:
    assert block_bar(10, 10, 4) == "████"
    assert block_bar(5, 10, 4) == "██"
    assert block_bar(1, 10, 4) == "▍"
    assert block_bar(0, 10, 4) == "" and block_bar(3, 0, 4) == ""


async def test_period_scope_and_findings_behind_a_theme(
    fresh_db: sqlite_utils.Database, tmp_path: Path
) -> None:
    seed_period(fresh_db)
    # Within the last two months of TODAY (26 Nov 2026): two audit-and-SFO findings.
    add(fresh_db, date(2026, 11, 20), "victim", source="audit")
    add(fresh_db, date(2026, 11, 21), "victim", "risk_assessment")
    app = make_app(tmp_path / "leap.db", today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("2")
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, RecurrenceScreen)
        table = screen.query_one("#recurrence-table", DataTable)
        assert table.row_count == 20
        assert cell(table, "victim", "count") == "2"
        assert cell(table, "risk_assessment", "count") == "3"  # 31 Oct, 1 and 21 Nov
        status = str(screen.query_one("#recurrence-status", Static).render())
        assert "27 Sep 2026" in status and "26 Nov 2026" in status
        rules = str(screen.query_one("#recurrence-rules", Static).render())
        assert rules == "Recurs: 3+ findings from 2+ source types, or in all of the last 3 panels"

        # A custom period: September and October.
        await pilot.press("c")
        await pilot.pause()
        start = app.screen.query_one("#range-start", Input)
        start.value = "2026-09-01"
        app.screen.query_one("#range-end", Input).value = "2026-10-31"
        await pilot.press("enter")
        await settle(app, pilot)
        assert app.screen is screen
        assert screen.period == (date(2026, 9, 1), date(2026, 10, 31))
        assert screen.query_one("#recurrence-period", Select).value == 0
        assert cell(table, "risk_assessment", "count") == "3"
        assert cell(table, "risk_assessment", "previous") == "1"
        assert cell(table, "risk_assessment", "trend") == "↑"
        assert cell(table, "risk_assessment", "recurring") == "yes"
        assert cell(table, "professional_curiosity", "recurring") == ""
        row = table.render_line(1 + table.get_row_index("risk_assessment")).text
        # At 80 columns the full name would be cut: the theme's short name stands in.
        assert row.split("  ")[0].strip() == "Risk assessment" and "█" in row

        # One PDU.
        screen.query_one("#recurrence-scope", Select).value = "bucks_mk"
        await settle(app, pilot)
        assert screen.pdu == "bucks_mk"
        assert cell(table, "risk_assessment", "count") == "1"

        # The findings behind a theme's count, in one keystroke.
        table.focus()
        table.move_cursor(row=table.get_row_index("risk_assessment"))
        await pilot.press("f")
        await settle(app, pilot)
        findings = app.screen
        assert isinstance(findings, FindingsScreen)
        assert findings.filter.themes == ["risk_assessment"]
        assert findings.filter.pdus == ["bucks_mk"]
        assert (findings.filter.date_from, findings.filter.date_to) == (
            date(2026, 9, 1),
            date(2026, 10, 31),
        )
        rows = findings.query_one("#findings-table", DataTable)
        assert rows.row_count == 1
        # Escape clears the filter again.
        await pilot.press("escape")
        await settle(app, pilot)
        assert rows.row_count == 13  # every finding but the deleted one


async def test_preset_periods_cycle(fresh_db: sqlite_utils.Database, tmp_path: Path) -> None:
    app = make_app(tmp_path / "leap.db", today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("2")
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, RecurrenceScreen)
        await pilot.press("p")
        await settle(app, pilot)
        assert screen.period == (date(2026, 8, 27), date(2026, 11, 26))
        await pilot.press("p", "p")
        await settle(app, pilot)
        assert screen.period == (date(2025, 11, 27), date(2026, 11, 26))


async def test_rules_edited_in_a_modal(fresh_db: sqlite_utils.Database, tmp_path: Path) -> None:
    seed_period(fresh_db)
    path = tmp_path / "leap.db"
    app = make_app(path, today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("2")
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, RecurrenceScreen)
        screen.set_period(date(2026, 9, 1), date(2026, 10, 31))
        await settle(app, pilot)
        table = screen.query_one("#recurrence-table", DataTable)
        assert cell(table, "professional_curiosity", "recurring") == ""
        await pilot.press("e")
        await pilot.pause()
        modal = app.screen
        sources = modal.query_one("#rule-min_source_types", Input)
        sources.value = "9"
        await pilot.pause()
        assert "between 1 and 6" in str(modal.query_one("#rules-error", Static).render())
        sources.value = "1"
        await pilot.pause()
        words = str(modal.query_one("#rules-words", Static).render())
        assert "from at least 1 source type " in words
        await pilot.click("#rules-save")
        # Saving and recounting are two workers, the second started by the first: on a busy
        # machine a fixed number of pauses may end between them.
        for _ in range(50):
            await settle(app, pilot)
            if cell(table, "professional_curiosity", "recurring") == "yes":
                break
        assert app.screen is screen
        assert cell(table, "professional_curiosity", "recurring") == "yes"
        assert "3+ findings from 1+ source types" in str(
            screen.query_one("#recurrence-rules", Static).render()
        )
    assert load_rules(fresh_db).min_source_types == 1
