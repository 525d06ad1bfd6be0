"""The app through Textual's Pilot: findings appear, search narrows them, detail opens."""

from __future__ import annotations

from pathlib import Path

import sqlite_utils
from textual.widgets import DataTable, Static

from tests.factories import TODAY
from tui.app import LeapApp, make_app


async def wait_for_rows(app: LeapApp, pilot: object, expected: int) -> DataTable[str]:
    """The findings table once it holds ``expected`` rows (it is mounted after start-up's
    drawing of the first page)."""
    await app.workers.wait_for_complete()
    for _ in range(50):
        await pilot.pause()  # type: ignore[attr-defined]
        tables = app.screen.query("#findings-table")
        if tables and tables.first(DataTable).row_count == expected:
            break
        await app.workers.wait_for_complete()
    return app.screen.query_one("#findings-table", DataTable)


async def test_findings_listed_searched_and_opened(
    seeded_db: sqlite_utils.Database, tmp_path: Path
) -> None:
    app = make_app(tmp_path / "leap.db", today=TODAY)
    async with app.run_test(size=(120, 40)) as pilot:
        table = await wait_for_rows(app, pilot, 3)
        assert table.row_count == 3
        status = str(app.screen.query_one("#findings-status", Static).render())
        assert "of 3" in status
        await pilot.press("slash")
        await pilot.press(*"police", "enter")
        table = await wait_for_rows(app, pilot, 2)
        assert table.row_count == 2
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        body = str(app.screen.query_one("#detail-body", Static).render())
        assert "Police checks not requested" in body or "face value" in body
        await pilot.press("escape")
        assert app.screen.query_one("#findings-table", DataTable)


async def test_not_a_leap_file_exits_with_message(tmp_path: Path) -> None:
    bogus = tmp_path / "bogus.db"
    bogus.write_text("definitely not sqlite" * 100)
    app = make_app(bogus)
    async with app.run_test() as pilot:
        for _ in range(100):
            if app.fatal_error:
                break
            await pilot.pause(0.02)
    assert app.fatal_error and "not a SQLite database" in app.fatal_error
