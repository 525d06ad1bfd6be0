"""The title bar and the footer of keys: what they show and that clicking them works."""

from __future__ import annotations

from pathlib import Path

import sqlite_utils

from tests.factories import TODAY
from tests.recording_helpers import wait_for_table, wait_until
from tui.app import make_app
from tui.chrome import KeysFooter, TitleBar


async def test_footer_lists_keys_and_a_click_presses_one(
    seeded_db: sqlite_utils.Database, tmp_path: Path
) -> None:
    app = make_app(tmp_path / "leap.db", today=TODAY)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for_table(app, pilot, "#findings-table", 3)
        footer = app.screen.query_one(KeysFooter)
        shown = str(footer.render())
        for words in ("/ Search", "n New", "f Filters", "1 Findings", "2 Themes", "^p palette"):
            assert words in shown
        assert "Delete" not in shown  # bindings with show=False stay in the palette only
        themes = next(start for start, _, key, _ in footer._spans if key == "2")
        await pilot.click(KeysFooter, offset=(themes + 1, 0))
        await wait_until(app, pilot, lambda: app.current_mode == "recurrence")
        # The new section's title bar is drawn once it has its width.
        title = app.screen.query_one(TitleBar)
        await wait_until(
            app, pilot, lambda: "leap — South Central · leap.db" in str(title.render())
        )


async def test_title_bar_icon_opens_the_palette(
    seeded_db: sqlite_utils.Database, tmp_path: Path
) -> None:
    from textual.command import CommandPalette

    app = make_app(tmp_path / "leap.db", today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_table(app, pilot, "#findings-table", 3)
        await pilot.click(TitleBar, offset=(2, 0))
        await wait_until(app, pilot, lambda: isinstance(app.screen, CommandPalette))


async def test_question_mark_toggles_the_keys_panel_and_escape_closes_it(
    seeded_db: sqlite_utils.Database, tmp_path: Path
) -> None:
    from textual.widgets import HelpPanel

    from tui.screens.finding_form import FindingFormScreen

    app = make_app(tmp_path / "leap.db", today=TODAY)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for_table(app, pilot, "#findings-table", 3)

        def keys_shown() -> bool:
            return bool(app.screen.query(HelpPanel))

        await pilot.press("question_mark")
        await wait_until(app, pilot, keys_shown)
        await pilot.press("question_mark")
        await wait_until(app, pilot, lambda: not keys_shown())
        await pilot.press("n")
        await wait_until(app, pilot, lambda: isinstance(app.screen, FindingFormScreen))
        app.action_help()  # a form's fields take "?" as text: the palette's "Keys" opens it
        await wait_until(app, pilot, keys_shown)
        await pilot.press("escape")  # closes the panel, not the form
        await wait_until(app, pilot, lambda: not keys_shown())
        assert isinstance(app.screen, FindingFormScreen)
        await pilot.press("escape")  # then Escape leaves the form as before
        await wait_until(app, pilot, lambda: not isinstance(app.screen, FindingFormScreen))
