"""A few snapshots pin the main screens at fixed sizes on the deterministic demo data."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import DataTable

from db.connection import open_db
from panels.demo_region import load_demo
from tests.factories import TODAY
from tui.app import make_app


@pytest.fixture
def demo_path(tmp_path: Path) -> Path:
    path = tmp_path / "leap.db"
    db = open_db(path)
    load_demo(db, today=TODAY)
    db.close()
    return path


async def settle(pilot: Pilot[Any]) -> None:
    """Wait until the workers are done and the current screen's table shows rows."""
    app = pilot.app
    for _ in range(100):
        await app.workers.wait_for_complete()
        await pilot.pause()
        tables = app.screen.query(DataTable)
        if tables and tables.first().row_count:
            break
    await pilot.pause()


def test_findings_list_80x24(snap_compare: Any, demo_path: Path) -> None:
    assert snap_compare(make_app(demo_path, today=TODAY), terminal_size=(80, 24), run_before=settle)


def test_recurring_themes_120x40(snap_compare: Any, demo_path: Path) -> None:
    async def open_themes(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        await pilot.press("2")
        await settle(pilot)

    assert snap_compare(
        make_app(demo_path, today=TODAY), terminal_size=(120, 40), run_before=open_themes
    )


def test_actions_120x40(snap_compare: Any, demo_path: Path) -> None:
    async def open_actions(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        await pilot.press("4")
        await settle(pilot)

    assert snap_compare(
        make_app(demo_path, today=TODAY), terminal_size=(120, 40), run_before=open_actions
    )
