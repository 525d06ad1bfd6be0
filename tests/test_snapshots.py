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


SIZES = [(80, 24), (120, 40), (200, 50)]
"""A small terminal, a common one and a wide one: columns grow with the width."""


def open_section(key: str):  # noqa: ANN201 - a run_before hook
    async def run_before(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        await pilot.press(key)
        await settle(pilot)

    return run_before


@pytest.mark.parametrize("size", SIZES, ids=lambda size: f"{size[0]}x{size[1]}")
def test_findings_list(snap_compare: Any, demo_path: Path, size: tuple[int, int]) -> None:
    assert snap_compare(make_app(demo_path, today=TODAY), terminal_size=size, run_before=settle)


@pytest.mark.parametrize("size", SIZES, ids=lambda size: f"{size[0]}x{size[1]}")
def test_recurring_themes(snap_compare: Any, demo_path: Path, size: tuple[int, int]) -> None:
    assert snap_compare(
        make_app(demo_path, today=TODAY), terminal_size=size, run_before=open_section("2")
    )


@pytest.mark.parametrize("size", SIZES, ids=lambda size: f"{size[0]}x{size[1]}")
def test_actions(snap_compare: Any, demo_path: Path, size: tuple[int, int]) -> None:
    assert snap_compare(
        make_app(demo_path, today=TODAY), terminal_size=size, run_before=open_section("4")
    )
