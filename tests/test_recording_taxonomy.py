"""The themes section through Pilot: counts, adding a theme with cues, deactivating, merging."""

from __future__ import annotations

import uuid
from pathlib import Path

import sqlite_utils
from textual.widgets import DataTable, Input, Select

from db.findings_store import get_finding
from db.history import history_for
from db.themes_store import get_theme
from tests.factories import TODAY
from tests.recording_helpers import settle, wait_until
from tui.app import make_app
from tui.screens.confirm import ConfirmScreen
from tui.screens.taxonomy import MergeScreen, TaxonomyScreen, ThemeEditScreen


async def open_themes(app, pilot) -> DataTable:  # type: ignore[no-untyped-def, type-arg]
    await settle(app, pilot)
    await pilot.press("5")
    await wait_until(app, pilot, lambda: isinstance(app.screen, TaxonomyScreen))
    table = app.screen.query_one("#themes-table", DataTable)
    await wait_until(app, pilot, lambda: table.row_count >= 20)
    return table


async def test_add_theme_with_cues_and_deactivate(
    seeded_db: sqlite_utils.Database, tmp_path: Path
) -> None:
    app = make_app(tmp_path / "leap.db", today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        table = await open_themes(app, pilot)
        row = table.get_row("information_sharing")
        assert row[1] == "1"
        await pilot.press("a")
        await wait_until(app, pilot, lambda: isinstance(app.screen, ThemeEditScreen))
        app.screen.query_one("#theme-name", Input).value = "Remand & bail 🔒"
        app.screen.query_one("#theme-cues", Input).value = "bail information; remand"
        await pilot.press("ctrl+s")
        await wait_until(app, pilot, lambda: table.row_count == 21)
        table.move_cursor(row=table.get_row_index("remand_bail"))
        await pilot.press("x")
        await wait_until(app, pilot, lambda: "inactive" in str(table.get_row("remand_bail")[3]))
    theme = get_theme(seeded_db, "remand_bail")
    assert theme and theme.cues == ["bail information", "remand"] and not theme.active


async def test_merge_moves_findings_after_confirming(
    seeded_db: sqlite_utils.Database, tmp_path: Path
) -> None:
    app = make_app(tmp_path / "leap.db", today=TODAY)
    async with app.run_test(size=(120, 40)) as pilot:
        table = await open_themes(app, pilot)
        table.move_cursor(row=table.get_row_index("domestic_abuse"))
        await pilot.press("m")
        await wait_until(app, pilot, lambda: isinstance(app.screen, MergeScreen))
        app.screen.query_one("#merge-target", Select).value = "safeguarding_children"
        await pilot.click("#merge-ok")
        await wait_until(app, pilot, lambda: isinstance(app.screen, ConfirmScreen))
        await pilot.press("y")
        await wait_until(app, pilot, lambda: "merged" in str(table.get_row("domestic_abuse")[3]))
        assert table.get_row("safeguarding_children")[1] == "1"
    finding = get_finding(seeded_db, uuid.UUID(int=2))
    assert finding and finding.theme_slugs == ["information_sharing", "safeguarding_children"]
    assert history_for(seeded_db, "theme", "domestic_abuse")[-1].action == "merge"
