"""Moderation: each disagreement of a round side by side; the lead records the agreed coding
(it becomes the finding's themes, origin 'moderated', with history) and an optional note."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from rich.markup import escape
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import (
    Button,
    DataTable,
    Input,
    RadioButton,
    RadioSet,
    SelectionList,
    Static,
)

from findings.models import Polarity
from tui.chrome import KeysFooter, TitleBar
from tui.columns import TableColumn
from tui.css import SECTIONS_CSS
from tui.fitted_table import FittedTable

if TYPE_CHECKING:
    from findings.models import Theme
    from findings.moderation import ModerationRound, SampleItem
    from tui.app import LeapApp

REVIEW_COLUMNS = (
    TableColumn("position", "#", 3),
    TableColumn("summary", "Finding", 16, grow=4),
    TableColumn("first", "First coder", 12, grow=2),
    TableColumn("second", "Second coder", 12, grow=2),
    TableColumn("settled", "Settled", 7),
)
"""The disagreements' columns: the finding and both codings share the width there is."""


def _coding_text(themes: frozenset[str] | None, polarity: str | None, names: dict[str, str]) -> str:
    if themes is None:
        return "(not coded)"
    listed = "\n".join(f"• {escape(names.get(s, s))}" for s in sorted(themes)) or "(no theme)"
    return f"[i]{escape(polarity or '')}[/i]\n{listed}"


class ModerationReviewScreen(Screen[None]):
    """A completed round's disagreements, one highlighted at a time, with the agreed coding."""

    CSS_PATH = SECTIONS_CSS

    BINDINGS = [
        Binding(
            "ctrl+s", "record", "Record agreed",
            tooltip="Record the agreed coding (updates the finding) and go to the next",
            id="review.record",
        ),
        Binding("escape", "close", "Back", tooltip="Back to the rounds", id="review.close"),
    ]  # fmt: skip

    def __init__(self, round_id: int) -> None:
        super().__init__()
        self.round_id = round_id
        self.round: ModerationRound | None = None
        self.themes: list[Theme] = []

    @property
    def leap(self) -> LeapApp:
        return cast("LeapApp", self.app)

    @property
    def names(self) -> dict[str, str]:
        return {t.slug: t.name for t in self.themes}

    def compose(self) -> ComposeResult:
        yield TitleBar()
        yield Static("Reading the round…", id="review-status")
        yield FittedTable(id="review-table")
        with Horizontal(id="review-body"):
            with VerticalScroll(id="review-finding"):
                yield Static("", id="review-text")
            with Vertical(classes="review-side"):
                yield Static("", id="review-first-title", classes="coding-heading")
                yield Static("", id="review-first")
            with Vertical(classes="review-side"):
                yield Static("", id="review-second-title", classes="coding-heading")
                yield Static("", id="review-second")
            with VerticalScroll(id="review-agreed"):
                yield Static("[b]Agreed coding[/b]", classes="coding-heading")
                with RadioSet(id="review-polarity"):
                    yield RadioButton("Weakness", id="agreed-weakness")
                    yield RadioButton("Strength", id="agreed-strength")
                yield SelectionList[str](id="review-themes")
                yield Input(placeholder="note (optional)", id="review-note", compact=True)
                yield Button("Record agreed", variant="primary", id="review-record", compact=True)
        yield KeysFooter()

    def on_mount(self) -> None:
        table = self.query_one("#review-table", FittedTable)
        table.set_columns(REVIEW_COLUMNS, width=self.size.width)
        table.focus()
        self.load_round()

    @work(thread=True, exclusive=True, group="review-load", exit_on_error=False)
    def load_round(self) -> None:
        """Read the round and the taxonomy off the UI thread."""
        from db.moderation_store import get_round
        from db.reference import list_themes

        try:
            with self.leap.read() as db:
                moderation_round = get_round(db, self.round_id)
                themes = list_themes(db, include_inactive=True)
        except Exception as exc:  # noqa: BLE001 - reported on screen
            self.app.call_from_thread(
                self.query_one("#review-status", Static).update,
                f"Could not read the round: {escape(str(exc))}",
            )
            return
        self.app.call_from_thread(self.show_round, moderation_round, themes)

    def show_round(
        self, moderation_round: ModerationRound, themes: list[Theme], *, move_on: bool = False
    ) -> None:
        """List the disagreements; with ``move_on`` highlight the next one still to settle."""
        if not self.themes:
            self.themes = themes
            self.query_one("#review-themes", SelectionList).add_options(
                [(t.name, t.slug) for t in themes]
            )
        self.round = moderation_round
        names = self.names
        table = self.query_one("#review-table", DataTable)
        keep = table.cursor_row if table.row_count else 0
        table.clear()
        disagreements = moderation_round.disagreements
        for item in disagreements:
            table.add_row(
                str(item.position),
                item.summary,
                ", ".join(names.get(s, s) for s in sorted(item.first_themes)) or "–",
                ", ".join(names.get(s, s) for s in sorted(item.second_themes or ())) or "–",
                "✓" if item.moderated else "",
                key=str(item.position),
            )
        settled = sum(1 for i in disagreements if i.moderated)
        skipped = len(moderation_round.skipped)
        self.query_one("#review-status", Static).update(
            f"Round {moderation_round.id} · {len(disagreements)} disagreements of "
            f"{len(moderation_round.live)} findings · {settled} settled"
            + (f" · {skipped} skipped: deleted since the draw" if skipped else "")
            + " · Ctrl+S records the agreed coding"
        )
        if not disagreements:
            return
        row = min(keep, len(disagreements) - 1)
        if move_on:
            unsettled = [i for i, item in enumerate(disagreements) if not item.moderated]
            row = next((i for i in unsettled if i > keep), unsettled[0] if unsettled else row)
        table.move_cursor(row=row)
        self._show_item(disagreements[row])

    def selected_item(self) -> SampleItem | None:
        """The highlighted disagreement."""
        table = self.query_one("#review-table", DataTable)
        if self.round is None or not table.row_count:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        return next((i for i in self.round.items if str(i.position) == key), None)

    def _show_item(self, item: SampleItem) -> None:
        names = self.names
        coder = self.round.coder if self.round else "second coder"
        first_by = item.first_coder or "first coder"
        self.query_one("#review-text", Static).update(
            f"[b]{escape(item.summary)}[/b]\n\n{escape(item.narrative)}"
        )
        self.query_one("#review-first-title", Static).update(f"[b]{escape(first_by)}[/b]")
        self.query_one("#review-first", Static).update(
            _coding_text(item.first_themes, item.first_polarity, names)
        )
        self.query_one("#review-second-title", Static).update(f"[b]{escape(coder)}[/b]")
        self.query_one("#review-second", Static).update(
            _coding_text(item.second_themes, item.second_polarity, names)
        )
        # Start from what is agreed already: the earlier decision, else what both coders chose.
        agreed = item.agreed_themes
        if agreed is None:
            agreed = item.first_themes & (item.second_themes or frozenset())
        polarity = item.agreed_polarity or (
            item.first_polarity if item.first_polarity == item.second_polarity else None
        )
        themes = self.query_one("#review-themes", SelectionList)
        themes.deselect_all()
        for slug in agreed:
            themes.select(slug)
        self.query_one("#agreed-weakness", RadioButton).value = polarity == "weakness"
        self.query_one("#agreed-strength", RadioButton).value = polarity == "strength"
        self.query_one("#review-note", Input).value = item.note

    @on(DataTable.RowHighlighted, "#review-table")
    def _highlighted(self) -> None:
        item = self.selected_item()
        if item is not None:
            self._show_item(item)

    @on(Button.Pressed, "#review-record")
    @on(Input.Submitted, "#review-note")
    def action_record(self) -> None:
        """Record the agreed coding of the highlighted disagreement."""
        item = self.selected_item()
        if item is None:
            return
        pressed = self.query_one("#review-polarity", RadioSet).pressed_button
        if pressed is None:
            self.notify("Agreed coding: choose weakness or strength.", severity="warning")
            return
        polarity = Polarity.WEAKNESS if pressed.id == "agreed-weakness" else Polarity.STRENGTH
        themes = list(self.query_one("#review-themes", SelectionList).selected)
        note = self.query_one("#review-note", Input).value
        self.record(item.position, themes, polarity.value, note)

    @work(thread=True, exclusive=True, group="review-record", exit_on_error=False)
    def record(self, position: int, themes: list[str], polarity: str, note: str) -> None:
        """Store the decision and update the finding, then show the next disagreement."""
        from db.moderation_store import record_decision

        try:
            with self.leap.connect() as db:
                moderation_round = record_decision(
                    db, self.round_id, position, themes, polarity, note=note
                )
        except Exception as exc:  # noqa: BLE001 - reported on screen
            self.app.call_from_thread(
                self.notify, f"Not recorded: {exc}", severity="error", timeout=8
            )
            return
        self.app.call_from_thread(self.notify, "Agreed coding recorded; the finding is updated.")
        self.app.call_from_thread(self.show_round, moderation_round, self.themes, move_on=True)

    def action_close(self) -> None:
        """Back to the rounds."""
        self.dismiss()
