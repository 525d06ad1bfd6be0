"""The panel screen through Textual's Pilot: select, mark, decide (with an action), brief."""

from __future__ import annotations

from pathlib import Path

import sqlite_utils
from textual.widgets import Checkbox, DataTable, Input, Static

from tests.factories import TODAY
from tests.panel_factories import seed_panel_period
from tui.app import LeapApp, make_app


async def settle(app: LeapApp, pilot: object, until: object = None) -> None:
    for _ in range(60):
        await app.workers.wait_for_complete()
        await pilot.pause()  # type: ignore[attr-defined]
        if until is None or until():  # type: ignore[operator]
            return


async def open_panels(app: LeapApp, pilot: object, rows: int = 2) -> DataTable:
    """Open the panels screen once the database is ready; its table once ``rows`` are listed."""
    await settle(app, pilot, lambda: app.db_ready)
    await pilot.press("3")  # type: ignore[attr-defined]
    panels = app.screen.query_one("#panels-table", DataTable)
    await settle(app, pilot, lambda: panels.row_count == rows)
    return panels


async def test_select_mark_decide_and_write_the_briefing(
    fresh_db: sqlite_utils.Database, tmp_path: Path
) -> None:
    seed_panel_period(fresh_db)
    app = make_app(tmp_path / "leap.db", today=TODAY)
    async with app.run_test(size=(120, 40)) as pilot:
        panels = await open_panels(app, pilot)
        screen = app.screen
        assert panels.row_count == 2

        # Select the earlier panel, then back to the latest: the scope follows the cursor.
        await pilot.press("down")
        await settle(
            app,
            pilot,
            lambda: "2026-09-01" in str(screen.query_one("#panels-status", Static).render()),
        )
        await pilot.press("up")
        await settle(
            app,
            pilot,
            lambda: "2026-11-01" in str(screen.query_one("#panels-status", Static).render()),
        )
        overview = str(screen.query_one("#scope-overview", Static).render())
        assert "Recurring themes" in overview and "Lack of professional curiosity" in overview

        # Mark the top theme for discussion.
        screen.query_one("#panel-tabs").active = "tab-themes"  # type: ignore[attr-defined]
        themes = screen.query_one("#scope-themes", DataTable)
        themes.focus()
        await pilot.pause()
        await pilot.press("m")
        await settle(app, pilot)
        marked = fresh_db.execute("SELECT kind, ref FROM panel_items").fetchall()
        assert marked == [("theme", "professional_curiosity")]
        assert themes.get_cell_at((0, 0)) == "✓"

        # Record a decision that creates a learning action.
        await pilot.press("d")
        await pilot.pause()
        form = app.screen
        form.query_one("#decision-text", Input).value = "Run curiosity workshops in every PDU"
        await pilot.click("#decision-action")
        form.query_one("#action-title", Input).value = "Curiosity workshops"
        form.query_one("#action-owner", Input).value = "Head of Learning and Development"
        assert form.query_one("#action-themes", Input).value == "professional_curiosity"
        await pilot.click("#save")
        await settle(
            app, pilot, lambda: fresh_db.execute("SELECT count(*) FROM actions").fetchone()[0] == 1
        )
        action = fresh_db.execute(
            "SELECT a.title, t.theme_slug, d.text FROM actions a "
            "JOIN action_themes t ON t.action_id = a.id "
            "JOIN panel_decisions d ON d.id = a.decision_id"
        ).fetchone()
        assert action == (
            "Curiosity workshops",
            "professional_curiosity",
            "Run curiosity workshops in every PDU",
        )

        # Write the briefing from the screen.
        out = tmp_path / "from-screen.docx"
        await pilot.press("b")
        await pilot.pause()
        app.screen.query_one("#save-path", Input).value = str(out)
        await pilot.click("#save")
        await settle(
            app,
            pilot,
            lambda: (
                out.exists()
                and "written to" in str(screen.query_one("#panels-status", Static).render())
            ),
        )
        assert out.exists()
        assert any(str(out) in n.message for n in app._notifications)


async def test_plan_the_next_panel_two_months_on(
    fresh_db: sqlite_utils.Database, tmp_path: Path
) -> None:
    seed_panel_period(fresh_db)
    app = make_app(tmp_path / "leap.db", today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        panels = await open_panels(app, pilot)
        await pilot.press("n")
        await pilot.pause()
        assert app.screen.query_one("#plan-date", Input).value == "2027-01-01"
        await pilot.click("#save")
        await settle(app, pilot, lambda: panels.row_count == 3)
        assert panels.row_count == 3


def status_text(app: LeapApp) -> str:
    return str(app.screen.query_one("#panels-status", Static).render())


def decision_panels(db: sqlite_utils.Database) -> list[tuple[str, str]]:
    return db.execute(
        "SELECT p.held_on, d.text FROM panel_decisions d JOIN panels p ON p.id = d.panel_id "
        "ORDER BY d.rowid"
    ).fetchall()


async def test_the_panel_acted_on_stays_the_highlighted_one_after_planning_and_deciding(
    fresh_db: sqlite_utils.Database, tmp_path: Path
) -> None:
    seed_panel_period(fresh_db)
    app = make_app(tmp_path / "leap.db", today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        panels = await open_panels(app, pilot)
        screen = app.screen
        await pilot.press("n", "tab")
        app.screen.query_one("#plan-chair", Input).value = "Chair W"
        await pilot.press("enter")
        await settle(app, pilot, lambda: "2027-01-01" in status_text(app))
        assert panels.row_count == 3

        # The earliest panel (held 2026-09-01), two rows down from the new one.
        await pilot.press("down", "down")
        await settle(app, pilot, lambda: "2026-09-01" in status_text(app))
        await pilot.press("d")
        await pilot.pause()
        app.screen.query_one("#decision-text", Input).value = "Refresh the curiosity guidance"
        await pilot.click("#save")
        await settle(app, pilot, lambda: len(decision_panels(fresh_db)) == 1)
        await settle(app, pilot)
        assert decision_panels(fresh_db) == [("2026-09-01", "Refresh the curiosity guidance")]
        assert panels.cursor_row == 2
        assert "Panel of 2026-09-01" in status_text(app)

        # The next decision is the same panel's too.
        await pilot.press("d")
        await pilot.pause()
        app.screen.query_one("#decision-text", Input).value = "Audit the refreshed guidance"
        await pilot.click("#save")
        await settle(app, pilot, lambda: len(decision_panels(fresh_db)) == 2)
        await settle(app, pilot)
        assert [held for held, _ in decision_panels(fresh_db)] == ["2026-09-01", "2026-09-01"]
        assert "Panel of 2026-09-01" in status_text(app)

        # A reload keeps the highlighted panel too.
        await pilot.press("ctrl+r")
        await settle(app, pilot)
        await settle(app, pilot)
        assert panels.cursor_row == 2
        assert "Panel of 2026-09-01" in status_text(app)

        # Held (h) and mark (m) act on it as well.
        await pilot.press("h")
        await pilot.pause()
        app.screen.query_one("#held-attendees", Input).value = "Head of Quality"
        await pilot.click("#save")
        await settle(app, pilot)
        assert fresh_db.execute(
            "SELECT held_on FROM panels WHERE attendees LIKE '%Head of Quality%'"
        ).fetchall() == [("2026-09-01",)]
        screen.query_one("#panel-tabs").active = "tab-themes"  # type: ignore[attr-defined]
        screen.query_one("#scope-themes", DataTable).focus()
        await pilot.pause()
        await pilot.press("m")
        await settle(app, pilot)
        assert fresh_db.execute(
            "SELECT p.held_on FROM panel_items i JOIN panels p ON p.id = i.panel_id"
        ).fetchall() == [("2026-09-01",)]


async def open_decision_form(app: LeapApp, pilot: object, db: sqlite_utils.Database) -> None:
    seed_panel_period(db)
    await settle(app, pilot, lambda: app.db_ready)
    await pilot.press("3")  # type: ignore[attr-defined]
    await settle(app, pilot, lambda: "2026-11-01" in status_text(app))
    await pilot.press("d")  # type: ignore[attr-defined]
    await settle(app, pilot)


def form_error(app: LeapApp) -> str:
    return str(app.screen.query_one(".form-error", Static).render())


async def test_typing_the_action_ticks_the_box_and_creates_the_action(
    fresh_db: sqlite_utils.Database, tmp_path: Path
) -> None:
    app = make_app(tmp_path / "leap.db", today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_decision_form(app, pilot, fresh_db)
        form = app.screen
        box = form.query_one("#decision-action", Checkbox)
        assert not box.value and "▐ ▌" in str(box.render())
        await pilot.press(*"Refresh the risk guidance", "tab", "tab")
        await pilot.press(*"Risk assessment guidance refresh", "tab")
        await pilot.press(*"Head of Quality")
        assert box.value and "▐X▌" in str(box.render())
        form.query_one("#action-due", Input).value = "2026-12-01"
        await pilot.click("#save")
        await settle(
            app, pilot, lambda: fresh_db.execute("SELECT count(*) FROM actions").fetchone()[0]
        )
        assert fresh_db.execute("SELECT title, owner, due_date FROM actions").fetchall() == [
            ("Risk assessment guidance refresh", "Head of Quality", "2026-12-01")
        ]


async def test_an_action_typed_with_the_box_unticked_is_not_dropped_silently(
    fresh_db: sqlite_utils.Database, tmp_path: Path
) -> None:
    app = make_app(tmp_path / "leap.db", today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_decision_form(app, pilot, fresh_db)
        form = app.screen
        form.query_one("#decision-text", Input).value = "Refresh the risk guidance"
        form.query_one("#action-owner", Input).value = "Head of Quality"
        await pilot.pause()
        form.query_one("#decision-action", Checkbox).value = False  # the user unticks it
        await pilot.click("#save")
        await settle(app, pilot)
        assert app.screen is form
        assert "Tick “Create a learning action from it”" in form_error(app)
        assert decision_panels(fresh_db) == []


async def test_a_ticked_action_without_an_owner_says_so_plainly(
    fresh_db: sqlite_utils.Database, tmp_path: Path
) -> None:
    app = make_app(tmp_path / "leap.db", today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_decision_form(app, pilot, fresh_db)
        form = app.screen
        form.query_one("#decision-text", Input).value = "Refresh the risk guidance"
        await pilot.click("#decision-action")
        await pilot.click("#save")
        await settle(app, pilot)
        assert app.screen is form
        assert form_error(app) == "Owner: who will carry the action out is required."
        assert decision_panels(fresh_db) == []
