"""The leap Textual application: built by ``make_app`` for the command line and the tests."""

from __future__ import annotations

import contextlib
import sqlite3
import sys
import threading
from collections.abc import Iterable, Iterator
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from textual import work
from textual.actions import SkipAction
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.message import Message
from textual.screen import Screen

from tui.css import STARTUP_CSS
from tui.first_read import FirstRead, NewestFindings, opening_error
from tui.screens.findings import FindingsScreen

if TYPE_CHECKING:
    import sqlite_utils

    from findings.filters import FindingFilter


STARTUP_SWITCH_INTERVAL = 0.001
"""Seconds between GIL hand-overs while the database opens at start-up (Python's default: 5 ms)."""


class DatabaseOpened(Message):
    """The opening thread is done: the file is open (``region``) or it cannot be (``error``)."""

    def __init__(self, region: str, *, error: str = "") -> None:
        super().__init__()
        self.region = region
        self.error = error


class NewestFindingsRead(Message):
    """The opening thread has read the newest findings (``LeapApp.newest_findings``)."""


class DemoModerationWritten(Message):
    """The demo's moderation rounds are written (after the first screen, as they run the tagger)."""


class DatabaseReady(Message):
    """The database is open, upgraded and (for the demo) filled; screens may query it."""

    def __init__(self, region: str) -> None:
        super().__init__()
        self.region = region


class LeapApp(App[None]):
    """Findings, themes, panels and learning actions over one SQLite file."""

    CSS_PATH = STARTUP_CSS
    TITLE = "leap"
    DEFAULT_MODE = "findings"
    """The app opens on the findings list (directly: no empty default screen first)."""
    MODES = {
        "findings": FindingsScreen,
        "recurrence": lambda: _screen("recurrence", "RecurrenceScreen"),
        "panels": lambda: _screen("panels", "PanelsScreen"),
        "actions": lambda: _screen("actions", "ActionsScreen"),
        "taxonomy": lambda: _screen("taxonomy", "TaxonomyScreen"),
        "moderation": lambda: _screen("moderation", "ModerationScreen"),
    }
    """Top-level sections, one screen each; a number key switches between them. Sections
    other than the findings list are imported when first opened, to keep start-up light."""

    BINDINGS = [
        Binding(
            "1",
            "section('findings')",
            "Findings",
            tooltip="List, search and open findings",
            id="section.findings",
        ),
        Binding(
            "2",
            "section('recurrence')",
            "Themes",
            tooltip="Recurring themes: counts, trends, sources and pairs for a period",
            id="section.recurrence",
        ),
        Binding(
            "3",
            "section('panels')",
            "Panels",
            tooltip="LEAP panels: scope, decisions and the briefing",
            id="section.panels",
        ),
        Binding(
            "4",
            "section('actions')",
            "Actions",
            tooltip="Learning actions: due, overdue, done and did they work",
            id="section.actions",
        ),
        Binding(
            "5",
            "section('taxonomy')",
            "Taxonomy",
            tooltip="Manage the themes: add your own, rename, deactivate, merge",
            id="section.taxonomy",
        ),
        Binding(
            "6",
            "section('moderation')",
            "Moderation",
            tooltip="Coding consistency: blind second coding, agreement, settling disagreements",
            id="section.moderation",
        ),
        Binding(
            "I",
            "open_import",
            "Import",
            tooltip="Import findings from a .csv or .xlsx file",
            id="import",
            show=False,
        ),
        Binding("q", "quit", "Quit", tooltip="Leave leap", id="quit"),
        Binding("question_mark", "help", "Keys", tooltip="Show every key binding", id="help"),
        Binding("escape", "close_keys", show=False, priority=True),
    ]

    def __init__(
        self,
        db_path: Path,
        *,
        demo: bool = False,
        today: date | None = None,
        first_read: FirstRead | None = None,
    ) -> None:
        super().__init__()
        self.db_path = db_path
        self.demo = demo
        self._first_read = first_read
        """The database's first read, if the command line started it before importing the app."""
        self.today_override = today
        self.fatal_error: str | None = None
        self.db_ready = False
        self.region = ""
        self._current_filter: FindingFilter | None = None
        self._saved_views_loaded = False
        self.newest_findings: NewestFindings | None = None
        """The newest findings as read when the database opened, for the list's first paint
        (taken by the findings screen; None once taken or if they could not be read)."""
        self.saved_view_names: list[str] = []
        """Names of saved views, offered in the command palette."""

    @property
    def current_filter(self) -> FindingFilter:
        """The findings list's filter, shared with the themes section's counts."""
        if self._current_filter is None:
            from findings.filters import FindingFilter

            self._current_filter = FindingFilter()
        return self._current_filter

    @current_filter.setter
    def current_filter(self, value: FindingFilter) -> None:
        self._current_filter = value

    @property
    def today(self) -> date:
        """The date the app reasons with (injectable for tests)."""
        return self.today_override or date.today()

    def on_load(self) -> None:
        # Before the first screen is built, the database starts opening on a thread of its
        # own (unless the command line's read is already done), so its newest findings can be
        # in the first paint. Its few SQL calls each give up the GIL and must get it back from
        # the busy UI thread, which by default yields only every 5 ms; until the file is open,
        # it yields every millisecond.
        self._switch_interval = sys.getswitchinterval()
        first = self._first_read
        if first is not None and first.done and not first.error:
            # The command line's read finished while Textual was importing: the first
            # screen can be built on its findings, with no message round trip before it paints.
            self.newest_findings = first.newest
            self._database_opened(first.region)
            return
        sys.setswitchinterval(min(self._switch_interval, STARTUP_SWITCH_INTERVAL))
        self.sub_title = "opening…"
        threading.Thread(target=self._open_database, name="leap-open-database", daemon=True).start()

    def _open_database(self) -> None:
        """Open (create, upgrade; fill for the demo) the database and read its newest
        findings, on the opening thread (or take the read the command line started); the UI
        hears of it through messages (post_message is thread-safe)."""
        first = self._first_read
        fresh_demo = False
        if first is None:
            first = FirstRead(self.db_path)
            if self.demo:
                try:
                    fresh_demo = self._load_demo()
                except Exception as exc:  # noqa: BLE001 - shown, not raised
                    self.post_message(DatabaseOpened("", error=opening_error(self.db_path, exc)))
                    return
            first.run()
        else:
            first.wait()
        if first.error:
            self.post_message(DatabaseOpened("", error=first.error))
            return
        # A findings screen mounting now can draw these in its very first paint, before the
        # database is marked ready on the UI thread.
        self.newest_findings = first.newest
        self.post_message(NewestFindingsRead())
        self.post_message(DatabaseOpened(first.region))
        if fresh_demo:
            self._write_demo_moderation()

    def _load_demo(self) -> bool:
        """Fill an empty demo database (on the opening thread); whether it was filled now."""
        from db.connection import open_db
        from panels.demo_region import load_demo

        db = open_db(self.db_path)
        try:
            if db.execute("SELECT 1 FROM findings LIMIT 1").fetchone():
                return False
            load_demo(db, today=self.today, moderation=False)
            return True
        finally:
            db.close()

    def _write_demo_moderation(self) -> None:
        """Add the demo's moderation rounds, on the opening thread, once the app is up."""
        from db.connection import open_db
        from db.moderation_demo import write_demo_moderation

        try:
            db = open_db(self.db_path, migrate=False)
            try:
                write_demo_moderation(db, self.today)
            finally:
                db.close()
        except Exception:  # noqa: BLE001 - the demo works without its moderation rounds
            return
        self.post_message(DemoModerationWritten())

    async def on_demo_moderation_written(self) -> None:
        # Sections showing moderation figures count again; others do when next shown.
        screen = self.screen
        if self.current_mode in ("moderation", "recurrence") and hasattr(screen, "action_reload"):
            await screen.run_action("reload")

    def on_newest_findings_read(self) -> None:
        if isinstance(self.screen, FindingsScreen) and self.screen.is_mounted:
            self.screen.newest_findings_read()

    def on_database_opened(self, message: DatabaseOpened) -> None:
        sys.setswitchinterval(self._switch_interval)
        if message.error:
            self.fatal_error = message.error
            self.exit()
            return
        self._database_opened(message.region)
        for screen in self.screen_stack:
            screen.post_message(DatabaseReady(message.region))

    def _database_opened(self, region: str) -> None:
        """Mark the database ready for ``region`` and say so in the title bar."""
        self.db_ready = True
        self.region = region
        self.sub_title = f"{region}{' (demo data)' if self.demo else ''} · {self.db_path.name}"

    def first_page_shown(self) -> None:
        """The findings list is up: now load what start-up could do without (saved views)."""
        if not self._saved_views_loaded:
            self._saved_views_loaded = True
            self.refresh_saved_views()

    @work(thread=True, exclusive=True, group="saved-views", exit_on_error=False)
    def refresh_saved_views(self) -> None:
        """Reload the saved views' names for the palette."""
        from db.views_store import list_views

        with self.read() as db:
            names = [v.name for v in list_views(db)]
        self.call_from_thread(setattr, self, "saved_view_names", names)

    async def open_saved_view(self, name: str) -> None:
        """Show the findings of a saved view."""
        self.action_section("findings")
        screen = self.screen
        if isinstance(screen, FindingsScreen):
            screen.apply_view(name)

    @contextlib.contextmanager
    def connect(self) -> Iterator[sqlite_utils.Database]:
        """A connection for the calling thread (workers each open their own)."""
        from db.connection import open_db

        db = open_db(self.db_path, migrate=False)
        try:
            yield db
        finally:
            db.close()

    @contextlib.contextmanager
    def read(self) -> Iterator[sqlite3.Connection]:
        """A light read-only-use connection for the calling thread (no sqlite-utils import)."""
        from db.base import connect_raw

        conn = connect_raw(self.db_path)
        try:
            yield conn
        finally:
            conn.close()

    def action_section(self, name: str) -> None:
        """Switch to a top-level section (findings, themes, panels, actions...)."""
        if name in self.MODES and self.current_mode != name:
            self.switch_mode(name)

    def action_open_import(self) -> None:
        """Open the import screen on top of the current section."""
        from tui.screens.import_screen import ImportScreen

        if not isinstance(self.screen, ImportScreen):
            self.push_screen(ImportScreen())

    def action_retrain_tagger(self) -> None:
        """Refit the theme tagger on this database's findings (in a worker, with progress)."""
        from tui.screens.train_tagger import TrainTaggerModal

        self.push_screen(TrainTaggerModal())

    def action_help(self) -> None:
        """Show or hide the panel listing every key binding of the current screen."""
        if self.screen.query("HelpPanel"):
            self.action_hide_help_panel()
        else:
            self.action_show_help_panel()

    def action_close_keys(self) -> None:
        """Escape closes the keys panel when it is open; otherwise Escape does what it did."""
        if not self.screen.query("HelpPanel"):
            raise SkipAction()
        self.action_hide_help_panel()

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        """The palette offers every binding of the current screen and the app, by description."""
        yield from super().get_system_commands(screen)
        seen: set[str] = set()
        for namespace, bindings in ((screen, screen.BINDINGS), (self, self.BINDINGS)):
            for binding in bindings:
                if not isinstance(binding, Binding) or not binding.description:
                    continue
                if binding.action in seen:
                    continue
                seen.add(binding.action)
                yield SystemCommand(
                    binding.description,
                    binding.tooltip or binding.description,
                    _runner(namespace, binding.action),
                )
        yield SystemCommand(
            "Retrain the theme tagger",
            "Refit the tagger's suggestions on this database's reviewed findings",
            self.action_retrain_tagger,
        )
        for name in self.saved_view_names:
            yield SystemCommand(
                f"View: {name}", "Show the findings of this saved view", _view_opener(self, name)
            )


def _runner(namespace: App[None] | Screen, action: str):  # noqa: ANN202
    async def run() -> None:
        await namespace.run_action(action)

    return run


def _view_opener(app: LeapApp, name: str):  # noqa: ANN202
    async def run() -> None:
        await app.open_saved_view(name)

    return run


def _screen(module: str, name: str) -> Screen[None]:
    """A section's screen, imported on first use."""
    import importlib

    screen: Screen[None] = getattr(importlib.import_module(f"tui.screens.{module}"), name)()
    return screen


def make_app(
    db_path: Path | str,
    *,
    demo: bool = False,
    today: date | None = None,
    first_read: FirstRead | None = None,
) -> LeapApp:
    """Build the app on a database file; the command line and the tests share this."""
    return LeapApp(Path(db_path), demo=demo, today=today, first_read=first_read)
