"""Moderation through Pilot: a blind-coding session (stop, resume, finish) and a moderation."""

from __future__ import annotations

import time
from pathlib import Path

import sqlite_utils
from textual.widgets import DataTable, Input, RadioButton, SelectionList, Static

from db.findings_store import get_finding
from db.moderation_store import get_round, save_coding, start_round
from findings.models import TagOrigin
from findings.moderation import ModerationRound
from tests.factories import TODAY
from tests.moderation_data import END, FIRST_CODER, SECOND_CODER, START, seed_moderation_period
from tui.app import LeapApp, make_app
from tui.screens.moderation import ModerationScreen
from tui.screens.moderation_coding import BlindCodingScreen
from tui.screens.moderation_review import ModerationReviewScreen


async def settle(app: LeapApp, pilot: object) -> None:
    for _ in range(3):
        await app.workers.wait_for_complete()
        await pilot.pause()  # type: ignore[attr-defined]


async def open_review(app: LeapApp, pilot: object) -> DataTable:
    """From the findings list, the moderation section's one round opened for review ("m"):
    the review screen's table of disagreements."""
    await pilot.press("6")  # type: ignore[attr-defined]
    await until(
        app, pilot, lambda: app.screen.query_one("#moderation-table", DataTable).row_count == 1
    )
    await pilot.press("m")  # type: ignore[attr-defined]
    await until(app, pilot, lambda: isinstance(app.screen, ModerationReviewScreen))
    return app.screen.query_one("#review-table", DataTable)


async def until(app: LeapApp, pilot: object, check: object, seconds: float = 20) -> None:
    # By the clock, not by a count of pauses: on a loaded machine a worker's thread can take
    # longer than any fixed number of event-loop turns.
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        await settle(app, pilot)
        if check():  # type: ignore[operator]
            return
        await pilot.pause(0.02)  # type: ignore[attr-defined]
    raise AssertionError("the screen never got there")


def text_of(app: LeapApp, selector: str) -> str:
    return str(app.screen.query_one(selector, Static).render())


def shown_text(app: LeapApp) -> str:
    """Every Static's text on the current screen."""
    return " ".join(str(s.render()) for s in app.screen.query(Static))


def coded_round(db: sqlite_utils.Database) -> ModerationRound:
    """A round of three findings, each coded "risk assessment" by the second coder."""
    seed_moderation_period(db, count=3)
    r = start_round(
        db, period_start=START, period_end=END, coder=SECOND_CODER, size=3, seed=5
    ).round
    for item in r.items:
        save_coding(db, r.id, item.position, ["risk_assessment"], "weakness")
    return get_round(db, r.id)


async def test_blind_coding_session_stop_resume_and_finish(
    fresh_db: sqlite_utils.Database, tmp_path: Path
) -> None:
    seed_moderation_period(fresh_db, count=3)
    r = start_round(
        fresh_db, period_start=START, period_end=END, coder=SECOND_CODER, size=3, seed=5
    ).round
    app = make_app(tmp_path / "leap.db", today=TODAY)
    async with app.run_test(size=(140, 45)) as pilot:
        await pilot.press("6")
        await until(
            app, pilot, lambda: app.screen.query_one("#moderation-table", DataTable).row_count == 1
        )
        assert isinstance(app.screen, ModerationScreen)
        assert "0 of 3" in str(app.screen.query_one("#moderation-table", DataTable).get_row_at(0))
        await pilot.press("enter")
        await until(app, pilot, lambda: "finding 1 of 3" in text_of(app, "#coding-progress"))
        assert isinstance(app.screen, BlindCodingScreen)
        first = r.items[0]
        # Blind: the summary and narrative, but neither the first coding nor who made it.
        assert first.summary in text_of(app, "#coding-summary")
        themes = app.screen.query_one("#coding-themes", SelectionList)
        assert themes.selected == [] and themes.option_count >= 20
        assert FIRST_CODER not in shown_text(app)
        assert not any(b.value for b in app.screen.query(RadioButton))

        # Moving on without a polarity is refused, beside the choices.
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert "choose weakness or strength" in text_of(app, "#coding-error")
        assert get_round(fresh_db, r.id).coded_count == 0

        app.screen.query_one("#polarity-weakness", RadioButton).value = True
        themes.select("risk_assessment")
        await pilot.press("ctrl+s")
        await until(app, pilot, lambda: "finding 2 of 3" in text_of(app, "#coding-progress"))
        assert "1 coded" in text_of(app, "#coding-progress")
        assert app.screen.query_one("#coding-themes", SelectionList).selected == []
        saved = get_round(fresh_db, r.id).items[0]
        assert saved.second_themes == {"risk_assessment"} and saved.second_polarity == "weakness"

        # Stop, and the round shows where it stands; opening it again resumes at finding 2.
        await pilot.press("escape")
        await until(app, pilot, lambda: isinstance(app.screen, ModerationScreen))
        await until(
            app,
            pilot,
            lambda: (
                "1 of 3" in str(app.screen.query_one("#moderation-table", DataTable).get_row_at(0))
            ),
        )
        await pilot.press("enter")
        await until(app, pilot, lambda: "finding 2 of 3" in text_of(app, "#coding-progress"))
        for _ in range(2):
            app.screen.query_one("#polarity-strength", RadioButton).value = True
            await pilot.press("ctrl+s")
            await settle(app, pilot)
        await until(app, pilot, lambda: isinstance(app.screen, ModerationScreen))
        done = get_round(fresh_db, r.id)
        assert done.complete and done.progress == "3 of 3"
        row = str(app.screen.query_one("#moderation-table", DataTable).get_row_at(0))
        assert "3 of 3" in row and "complete" in row
        assert "First coder against second coder" in text_of(app, "#moderation-report")


async def test_moderation_settles_a_disagreement_side_by_side(
    fresh_db: sqlite_utils.Database, tmp_path: Path
) -> None:
    r = coded_round(fresh_db)
    disagreements = r.disagreements
    app = make_app(tmp_path / "leap.db", today=TODAY)
    async with app.run_test(size=(150, 45)) as pilot:
        table = await open_review(app, pilot)
        await until(app, pilot, lambda: table.row_count == len(disagreements))
        item = disagreements[0]
        # Side by side: who coded what.
        assert FIRST_CODER in text_of(app, "#review-first-title")
        assert SECOND_CODER in text_of(app, "#review-second-title")
        assert "Risk assessment" in text_of(app, "#review-second")
        agreed = app.screen.query_one("#review-themes", SelectionList)
        # Starts from what both chose.
        assert set(agreed.selected) == item.first_themes & {"risk_assessment"}
        agreed.select("professional_curiosity")
        agreed.select("risk_assessment")
        app.screen.query_one("#review-note", Input).value = "Both readings hold."
        await pilot.press("ctrl+s")
        await until(app, pilot, lambda: "1 settled" in text_of(app, "#review-status"))
        assert str(table.get_cell_at((0, 4))) == "✓"
        finding = get_finding(fresh_db, item.finding_id)
        assert finding is not None
        assert {t.slug for t in finding.themes} >= {"professional_curiosity", "risk_assessment"}
        assert {t.origin for t in finding.themes} == {TagOrigin.MODERATED}
        settled = next(i for i in get_round(fresh_db, r.id).items if i.position == item.position)
        assert settled.note == "Both readings hold."
        await pilot.press("escape")
        await until(app, pilot, lambda: isinstance(app.screen, ModerationScreen))


async def test_moderating_an_unfinished_round_is_refused(
    fresh_db: sqlite_utils.Database, tmp_path: Path
) -> None:
    seed_moderation_period(fresh_db, count=3)
    start_round(fresh_db, period_start=START, period_end=END, coder=SECOND_CODER, size=3, seed=5)
    app = make_app(tmp_path / "leap.db", today=TODAY)
    async with app.run_test(size=(140, 45)) as pilot:
        await pilot.press("6")
        await until(
            app, pilot, lambda: app.screen.query_one("#moderation-table", DataTable).row_count == 1
        )
        await pilot.press("m")
        await settle(app, pilot)
        assert isinstance(app.screen, ModerationScreen)
        assert any("0 of 3 coded" in str(n.message) for n in app._notifications)


async def test_new_round_from_the_section(fresh_db: sqlite_utils.Database, tmp_path: Path) -> None:
    seed_moderation_period(fresh_db, count=6)
    app = make_app(tmp_path / "leap.db", today=TODAY)
    async with app.run_test(size=(140, 45)) as pilot:
        await pilot.press("6")
        await until(
            app, pilot, lambda: "No moderation rounds" in text_of(app, "#moderation-status")
        )
        await pilot.press("n")
        await settle(app, pilot)
        app.screen.query_one("#round-from", Input).value = START.isoformat()
        app.screen.query_one("#round-to", Input).value = END.isoformat()
        app.screen.query_one("#round-size", Input).value = "4"
        await pilot.click("#round-ok")
        await settle(app, pilot)
        assert "Second coder: give the name" in text_of(app, "#round-error")
        app.screen.query_one("#round-coder", Input).value = FIRST_CODER
        await pilot.pause(0.3)  # a Button ignores a click during its 0.2 s "pressed" effect
        await pilot.click("#round-ok")
        await until(app, pilot, lambda: isinstance(app.screen, ModerationScreen))
        assert any("someone other than the first" in str(n.message) for n in app._notifications)
        await pilot.press("n")
        await settle(app, pilot)
        app.screen.query_one("#round-from", Input).value = START.isoformat()
        app.screen.query_one("#round-to", Input).value = END.isoformat()
        app.screen.query_one("#round-size", Input).value = "4"
        app.screen.query_one("#round-coder", Input).value = SECOND_CODER
        await pilot.click("#round-ok")
        await until(
            app, pilot, lambda: app.screen.query_one("#moderation-table", DataTable).row_count == 1
        )
        assert len(get_round(fresh_db, 1).items) == 4


async def test_themes_section_flags_a_theme_coders_disagree_on(
    fresh_db: sqlite_utils.Database, tmp_path: Path
) -> None:
    from tui.screens.recurrence import RecurrenceScreen

    seed_moderation_period(fresh_db, count=12)
    r = start_round(
        fresh_db, period_start=START, period_end=END, coder=SECOND_CODER, size=12, seed=5
    ).round
    for item in r.items:
        themes = set(item.first_themes)
        if "professional_curiosity" in themes:
            themes = {"risk_assessment"}  # risk assessment: kappa 0.4 over 8 occurrences
        save_coding(fresh_db, r.id, item.position, themes, item.first_polarity)
    app = make_app(tmp_path / "leap.db", today=TODAY)
    async with app.run_test(size=(140, 45)) as pilot:
        await pilot.press("2")
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, RecurrenceScreen)
        screen.set_period(START, END)
        table = screen.query_one("#recurrence-table", DataTable)
        await until(app, pilot, lambda: table.row_count > 0 and screen.report is not None)
        names = {str(table.get_row(key)[0]) for key in table.rows}
        assert "⚠ Risk assessment incomplete or risk underestimated" in names
        assert "⚠ Lack of professional curiosity" not in names  # too few to judge
        table.move_cursor(row=table.get_row_index("risk_assessment"))
        await settle(app, pilot)
        detail = text_of(app, "#recurrence-detail")
        assert "Treat trends with care:" in detail and "kappa 0.40" in detail


async def test_demo_app_shows_its_rounds_once_written_after_the_first_screen(
    tmp_path: Path,
) -> None:
    app = make_app(tmp_path / "demo.db", demo=True, today=TODAY)
    async with app.run_test(size=(140, 45)) as pilot:
        await pilot.press("6")
        table = app.screen.query_one("#moderation-table", DataTable)
        await until(app, pilot, lambda: table.row_count == 2)
        rows = [str(table.get_row_at(i)) for i in range(2)]
        assert "7 of 20" in rows[0] and "in progress" in rows[0]
        assert "40 of 40" in rows[1]


async def test_settling_fits_a_small_terminal(
    fresh_db: sqlite_utils.Database, tmp_path: Path
) -> None:
    coded_round(fresh_db)
    app = make_app(tmp_path / "leap.db", today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        table = await open_review(app, pilot)
        await until(app, pilot, lambda: table.row_count > 0)
        # Every column of the disagreements, and the whole agreed-coding pane, are in view.
        assert sum(c.get_render_width(table) for c in table.columns.values()) <= table.size.width
        agreed = app.screen.query_one("#review-agreed")
        assert agreed.region.right <= 80
        assert agreed.region.width >= 30
        # The record button is reachable by scrolling the pane (and Ctrl+S records anyway).
        record = app.screen.query_one("#review-record")
        agreed.scroll_to_widget(record, animate=False)
        await pilot.pause()
        assert agreed.region.contains_region(record.region)
