"""The actions screen through Pilot: overdue filter, done needs evidence, due date with reason."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import sqlite_utils
from textual.widgets import DataTable, Input, Select, Static, TextArea

from db.actions_store import action_updates, create_action, get_action
from findings.actions import ActionStatus, LearningAction, UpdateKind
from tests.factories import TODAY
from tui.app import LeapApp, make_app


def add(db: sqlite_utils.Database, title: str, due: date) -> LearningAction:
    return create_action(
        db,
        LearningAction(
            title=title,
            owner="Head of Quality",
            themes=["home_visits"],
            created_on=date(2026, 6, 1),
            due_date=due,
        ),
    )


async def settle(app: LeapApp, pilot: object) -> None:
    for _ in range(3):
        await app.workers.wait_for_complete()
        await pilot.pause()  # type: ignore[attr-defined]


async def rows(app: LeapApp, pilot: object, expected: int) -> DataTable[object]:
    for _ in range(50):
        await settle(app, pilot)
        table = app.screen.query_one("#actions-table", DataTable)
        if table.row_count == expected:
            return table
    raise AssertionError(f"expected {expected} rows, have {table.row_count}")


async def test_overdue_filter_done_needs_evidence_and_due_date_change(
    fresh_db: sqlite_utils.Database, tmp_path: Path
) -> None:
    late = add(fresh_db, "Late refresher", date(2026, 10, 1))
    soon = add(fresh_db, "Soon refresher", date(2026, 12, 5))
    add(fresh_db, "Later refresher", date(2027, 3, 1))
    app = make_app(tmp_path / "leap.db", today=TODAY)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("4")
        table = await rows(app, pilot, 3)
        status = str(app.screen.query_one("#actions-status", Static).render())
        assert "1 overdue" in status and "1 due soon" in status
        escalations = [str(table.get_cell_at((i, 2))) for i in range(3)]
        assert escalations == ["Overdue 56d", "Due soon", ""]

        await pilot.press("o")
        table = await rows(app, pilot, 1)
        assert "overdue only" in str(app.screen.query_one("#actions-status", Static).render())

        # Mark done without evidence: refused beside the field, nothing saved.
        await pilot.press("s")
        await settle(app, pilot)
        form = app.screen
        form.query_one("#status", Select).value = ActionStatus.DONE
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        error = str(form.query_one("#err-evidence", Static).render())
        assert "Evidence of completion is required" in error
        assert get_action(fresh_db, late.id).status is ActionStatus.OPEN  # type: ignore[union-attr]
        form.query_one("#evidence", TextArea).text = "Register of attendance, 40 staff"
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert app.screen is not form
        done = get_action(fresh_db, late.id)
        assert done is not None and done.status is ActionStatus.DONE
        assert done.evidence == "Register of attendance, 40 staff"
        await rows(app, pilot, 0)

        # Back to all actions; move the due-soon one, with a reason.
        await pilot.press("escape")
        table = await rows(app, pilot, 3)
        table.move_cursor(row=0)
        assert app.screen.selected() == get_action(fresh_db, soon.id)  # type: ignore[attr-defined]
        await pilot.press("d")
        await settle(app, pilot)
        form = app.screen
        form.query_one("#due", Input).value = "2026-01-01"
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert "before the date the action was created" in str(
            form.query_one("#err-due", Static).render()
        )
        form.query_one("#due", Input).value = "2027-01-15"
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert "Give a reason" in str(form.query_one("#err-reason", Static).render())
        form.query_one("#reason", Input).value = "Trainer availability"
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert app.screen is not form
        moved = get_action(fresh_db, soon.id)
        assert moved is not None and moved.due_date == date(2027, 1, 15)
        log = action_updates(fresh_db, soon.id)[-1]
        assert log.kind is UpdateKind.DUE_DATE and log.text == "Trainer availability"


async def test_new_action_form_validates_beside_fields(
    fresh_db: sqlite_utils.Database, tmp_path: Path
) -> None:
    app = make_app(tmp_path / "leap.db", today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("4")
        await rows(app, pilot, 0)
        await pilot.press("n")
        await settle(app, pilot)
        form = app.screen
        form.query_one("#title", Input).value = "Contingency planning guidance"
        form.query_one("#due", Input).value = "2026-01-01"
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert "Name the owner" in str(form.query_one("#err-owner", Static).render())
        assert "before the date the action was created" in str(
            form.query_one("#err-due", Static).render()
        )
        form.query_one("#owner", Input).value = "Head of Quality"
        form.query_one("#due", Input).value = "2027-02-01"
        await pilot.press("ctrl+s")
        table = await rows(app, pilot, 1)
        assert "Contingency planning guidance" in str(table.get_cell_at((0, 3)))
        await pilot.press("enter")
        await settle(app, pilot)
        body = str(app.screen.query_one("#action-body", Static).render())
        assert "Contingency planning guidance" in body and "Created" in body
