"""Helpers shared by the recording Pilot tests: settling workers and filling forms."""

from __future__ import annotations

import contextlib
from typing import Any

from textual.pilot import Pilot
from textual.widgets import DataTable, Input, Select, TextArea
from textual.worker import WorkerCancelled

from tui.app import LeapApp


async def workers_done(app: LeapApp) -> None:
    """Wait for running workers; an exclusive one replaced by a newer one is not an error."""
    with contextlib.suppress(WorkerCancelled):
        await app.workers.wait_for_complete()


async def settle(app: LeapApp, pilot: Pilot[Any], rounds: int = 5) -> None:
    """Let workers finish and their messages land."""
    for _ in range(rounds):
        await workers_done(app)
        await pilot.pause()


async def wait_until(app: LeapApp, pilot: Pilot[Any], check: Any, tries: int = 60) -> None:
    """Pause until ``check()`` is true (workers awaited between tries)."""
    for _ in range(tries):
        if check():
            return
        await workers_done(app)
        await pilot.pause(0.02)
    assert check(), "condition never became true"


async def wait_for_table(
    app: LeapApp, pilot: Pilot[Any], table_id: str, rows: int
) -> DataTable[Any]:
    """The table once it holds ``rows`` rows (waiting for it to be mounted, too)."""

    def filled() -> bool:
        tables = app.screen.query(table_id)
        return bool(tables) and tables.first(DataTable).row_count == rows

    await wait_until(app, pilot, filled)
    return app.screen.query_one(table_id, DataTable)


def fill(screen: Any, **values: str) -> None:
    """Set form fields by name (f-<name> widgets) as a user would leave them."""
    for name, value in values.items():
        widget = screen.query_one(f"#f-{name}")
        if isinstance(widget, Select):
            widget.value = value
        elif isinstance(widget, TextArea):
            widget.text = value
        else:
            assert isinstance(widget, Input)
            widget.value = value
