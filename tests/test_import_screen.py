"""The import screen through Textual's Pilot: preview, adjust the mapping, import, report."""

from __future__ import annotations

import csv
from pathlib import Path

import sqlite_utils
from textual.widgets import DataTable, Static

from findings.spreadsheet import IMPORT_FIELDS
from tests.factories import TODAY
from tui.app import LeapApp, make_app
from tui.screens.import_screen import ImportScreen

ROWS = [
    ["What happened", "PDU", "Date", "Source", "Ref", "Stage"],
    ["Checks not done", "Oxfordshire", "2026-03-01", "SFO", "S-1", "Assessment"],
    ["Unknown place", "Narnia", "2026-03-02", "Audit", "A-1", "Planning"],
]


async def settle(app: LeapApp, pilot: object) -> None:
    for _ in range(20):
        await app.workers.wait_for_complete()
        await pilot.pause()  # type: ignore[attr-defined]


def status(app: LeapApp) -> str:
    return str(app.screen.query_one("#import-status", Static).render())


async def test_import_from_the_app(fresh_db: sqlite_utils.Database, tmp_path: Path) -> None:
    source = tmp_path / "regional.csv"
    with source.open("w", newline="") as handle:
        csv.writer(handle).writerows(ROWS)
    app = make_app(tmp_path / "leap.db", today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("I")
        assert isinstance(app.screen, ImportScreen)
        await pilot.press(*str(source), "enter")
        await settle(app, pilot)
        assert "No column for: Summary" in status(app)
        table = app.screen.query_one("#import-columns", DataTable)
        assert table.row_count == 6
        # "What happened" is column 0: cycle it round the free fields to Summary.
        table.move_cursor(row=0)
        seen = []
        for _ in range(len(IMPORT_FIELDS) + 2):
            await pilot.press("m")
            seen.append(str(table.get_cell_at((0, 1))))
            if seen[-1] == "Summary":
                break
        assert seen == ["(left out)", "ID", "Recorded date", "Polarity", "Summary"]
        assert "every required field has a column" in status(app)
        await pilot.press("i")
        await settle(app, pilot)
        assert "Nothing imported: 1 of 2 rows" in status(app)
        report = str(app.screen.query_one("#import-report", Static).render())
        assert "unknown PDU 'Narnia'" in report
        await pilot.press("a", "i")
        await settle(app, pilot)
        assert "Imported 1 finding(s)" in status(app)
        assert (tmp_path / "regional.rejects.csv").exists()
        await pilot.press("escape")
        assert not isinstance(app.screen, ImportScreen)
    count = fresh_db.execute("SELECT count(*) FROM findings").fetchone()[0]
    assert count == 1


async def test_unreadable_file_is_reported(tmp_path: Path) -> None:
    app = make_app(tmp_path / "leap.db", today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("I", *str(tmp_path / "missing.xlsx"), "enter")
        await settle(app, pilot)
        assert "does not exist" in status(app)


async def test_detail_history_says_what_changed(
    seeded_db: sqlite_utils.Database, tmp_path: Path
) -> None:
    from db.findings_store import get_finding, save_finding
    from tui.screens.finding_detail import FindingDetailScreen

    finding = get_finding(seeded_db, "00000000-0000-0000-0000-000000000001")
    assert finding is not None
    save_finding(
        seeded_db, finding.model_copy(update={"summary": "Account not verified"}), today=TODAY
    )
    app = make_app(tmp_path / "leap.db", today=TODAY)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        app.push_screen(FindingDetailScreen(str(finding.id)))
        await settle(app, pilot)
        body = str(app.screen.query_one("#detail-body", Static).render())
        assert "created it" in body and "changed it" in body
        assert "Summary: Accepted account at face value → Account not verified" in body


async def test_preview_shows_an_excel_date_as_a_date(tmp_path: Path) -> None:
    from datetime import datetime

    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(ROWS[0])
    sheet.append(["Checks not done", "Oxfordshire", datetime(2026, 6, 1), "SFO", "S-1", "Plan"])
    source = tmp_path / "regional.xlsx"
    book.save(source)
    app = make_app(tmp_path / "leap.db", today=TODAY)
    async with app.run_test(size=(100, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("I")
        await pilot.press(*str(source), "enter")
        await settle(app, pilot)
        table = app.screen.query_one("#import-columns", DataTable)
        assert str(table.get_cell_at((2, 2))) == "2026-06-01"  # not 2026-06-01T00:00:00
