"""Blind coding: the second coder reads each sampled finding's summary and narrative only (not
the first coder's themes, not the tagger's suggestions), chooses themes and polarity, moves on."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from rich.markup import escape
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Button, RadioButton, RadioSet, SelectionList, Static

from findings.models import Polarity
from tui.chrome import KeysFooter, TitleBar
from tui.css import SECTIONS_CSS

if TYPE_CHECKING:
    from findings.models import Theme
    from findings.moderation import ModerationRound, SampleItem
    from tui.app import LeapApp


class BlindCodingScreen(Screen[None]):
    """One sampled finding at a time; each coding is saved as it is made, so Escape stops and
    opening the round again resumes at the first finding not yet coded."""

    CSS_PATH = SECTIONS_CSS

    BINDINGS = [
        Binding(
            "ctrl+s", "save_and_next", "Save, next",
            tooltip="Save this coding and show the next finding", id="coding.save",
        ),
        Binding(
            "escape", "stop", "Stop",
            tooltip="Stop coding (what is saved is kept; resume from the round)",
            id="coding.stop",
        ),
    ]  # fmt: skip

    def __init__(self, round_id: int) -> None:
        super().__init__()
        self.round_id = round_id
        self.round: ModerationRound | None = None
        self.item: SampleItem | None = None
        self.themes: list[Theme] = []

    @property
    def leap(self) -> LeapApp:
        return cast("LeapApp", self.app)

    def compose(self) -> ComposeResult:
        yield TitleBar()
        yield Static("Reading the round…", id="coding-progress")
        with Horizontal(id="coding-body"):
            with VerticalScroll(id="coding-text"):
                yield Static("", id="coding-summary")
                yield Static("", id="coding-narrative", markup=False)
            with Vertical(id="coding-choices"):
                yield Static("[b]Polarity[/b]", classes="coding-heading")
                with RadioSet(id="coding-polarity"):
                    yield RadioButton("Weakness", id="polarity-weakness")
                    yield RadioButton("Strength (good practice)", id="polarity-strength")
                yield Static("[b]Themes[/b] (space to tick)", classes="coding-heading")
                yield SelectionList[str](id="coding-themes")
                yield Static("", id="coding-error", classes="modal-error")
                with Horizontal(id="coding-buttons"):
                    yield Button("Save, next", variant="primary", id="coding-save", compact=True)
                    yield Button("Stop", id="coding-stop", compact=True)
        yield KeysFooter()

    def on_mount(self) -> None:
        self.load_round()

    @work(thread=True, exclusive=True, group="coding-load", exit_on_error=False)
    def load_round(self) -> None:
        """Read the round and the taxonomy off the UI thread."""
        from db.moderation_store import get_round
        from db.reference import list_themes

        try:
            with self.leap.read() as db:
                moderation_round = get_round(db, self.round_id)
                themes = list_themes(db)
        except Exception as exc:  # noqa: BLE001 - reported on screen
            self.app.call_from_thread(self._show_error, f"Could not read the round: {exc}")
            return
        self.app.call_from_thread(self._show_round, moderation_round, themes)

    def _show_error(self, message: str) -> None:
        self.query_one("#coding-error", Static).update(escape(message))

    def _show_round(self, moderation_round: ModerationRound, themes: list[Theme]) -> None:
        if not self.themes:
            self.themes = themes
            self.query_one("#coding-themes", SelectionList).add_options(
                [(t.name, t.slug) for t in themes]
            )
        self.round = moderation_round
        self.item = moderation_round.next_item
        progress = self.query_one("#coding-progress", Static)
        skipped = len(moderation_round.skipped)
        skipped_text = f" · {skipped} skipped: deleted since the draw" if skipped else ""
        if self.item is None:
            progress.update(
                f"Round {moderation_round.id}: all {len(moderation_round.live)} findings coded"
                f"{skipped_text}. The agreement is in the Moderation section."
            )
            self.notify(f"Round {moderation_round.id} is fully coded.")
            self.dismiss()
            return
        live = moderation_round.live
        number = live.index(self.item) + 1
        progress.update(
            f"Round {moderation_round.id} · finding [b]{number} of {len(live)}[/b] · "
            f"{moderation_round.coded_count} coded · coding blind as "
            f"{escape(moderation_round.coder)}{skipped_text}"
        )
        self.query_one("#coding-summary", Static).update(f"[b]{escape(self.item.summary)}[/b]\n")
        self.query_one("#coding-narrative", Static).update(
            self.item.narrative or "(no narrative recorded)"
        )
        self.query_one("#coding-text", VerticalScroll).scroll_home(animate=False)
        self.query_one("#coding-themes", SelectionList).deselect_all()
        for button in self.query(RadioButton):
            button.value = False
        self.query_one("#coding-error", Static).update("")
        self.query_one("#coding-polarity", RadioSet).focus()

    def chosen_polarity(self) -> Polarity | None:
        """The polarity ticked, if one is."""
        pressed = self.query_one("#coding-polarity", RadioSet).pressed_button
        if pressed is None:
            return None
        return Polarity.WEAKNESS if pressed.id == "polarity-weakness" else Polarity.STRENGTH

    @on(Button.Pressed, "#coding-save")
    def action_save_and_next(self) -> None:
        """Save this finding's coding and move to the next one."""
        if self.item is None:
            return
        polarity = self.chosen_polarity()
        if polarity is None:
            self._show_error("Polarity: choose weakness or strength before moving on.")
            return
        themes = list(self.query_one("#coding-themes", SelectionList).selected)
        self.save_coding(self.item.position, themes, polarity.value)

    @work(thread=True, exclusive=True, group="coding-save", exit_on_error=False)
    def save_coding(self, position: int, themes: list[str], polarity: str) -> None:
        """Store the coding, then show the next finding."""
        from db.moderation_store import save_coding

        try:
            with self.leap.connect() as db:
                moderation_round = save_coding(db, self.round_id, position, themes, polarity)
        except Exception as exc:  # noqa: BLE001 - reported on screen
            self.app.call_from_thread(self.notify, f"Not saved: {exc}", severity="error", timeout=8)
            self.load_round()  # e.g. the finding was deleted since the draw: move past it
            return
        self.app.call_from_thread(self._show_round, moderation_round, self.themes)

    @on(Button.Pressed, "#coding-stop")
    def action_stop(self) -> None:
        """Leave; every coding saved so far is kept."""
        if self.round is not None and self.item is not None:
            self.notify(f"Stopped at {self.round.progress}; Enter on the round resumes.")
        self.dismiss()
