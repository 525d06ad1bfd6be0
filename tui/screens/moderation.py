"""Moderation (key 6): rounds of blind second coding, their agreement, and starting a new one."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, cast

from rich.markup import escape
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Button, DataTable, Input, Label, Select, Static

from findings.moderation import DEFAULT_SIZE, ModerationRound
from tui.chrome import KeysFooter, TitleBar
from tui.columns import TableColumn
from tui.css import SECTIONS_CSS
from tui.fitted_table import FittedTable

if TYPE_CHECKING:
    from tui.app import LeapApp

CUSTOM = "__dates__"
"""The period chooser's value for dates typed by hand."""


ROUND_COLUMNS = (
    TableColumn("round", "Round", 5),
    TableColumn("period", "Period", 14, grow=3, most=27),
    TableColumn("coder", "Second coder", 10, grow=2, most=22),
    TableColumn("progress", "Coded", 8),
    TableColumn("status", "Status", 11),
    TableColumn("kappa", "Kappa", 5),
    TableColumn("settle", "To settle", 9),
)
"""The rounds list: period and coder give way first on a narrow terminal."""


@dataclass(frozen=True)
class RoundsPage:
    """What the section shows: every round and the theme names to report them with."""

    rounds: list[ModerationRound]
    names: dict[str, str]
    panels: list[tuple[str, str, date, date]]
    """(label, id, first day, last day) of each panel, newest first, for a new round."""


@dataclass(frozen=True)
class NewRound:
    """What the new-round form asks for."""

    period_start: date
    period_end: date
    panel_id: str | None
    size: int
    coder: str


class ModerationScreen(Screen[None]):
    """Every moderation round: progress, status and, once complete, its agreement."""

    CSS_PATH = SECTIONS_CSS

    BINDINGS = [
        Binding(
            "n", "new_round", "New round",
            tooltip="Draw a random sample of a period's findings for a second coder",
            id="moderation.new",
        ),
        Binding(
            "c", "code_round", "Code blind",
            tooltip="Code the highlighted round's findings blind (resumes where you stopped)",
            id="moderation.code",
        ),
        Binding(
            "m", "moderate_round", "Moderate",
            tooltip="Settle the highlighted round's disagreements side by side",
            id="moderation.moderate",
        ),
        Binding(
            "ctrl+r", "reload", "Reload", tooltip="Read the rounds again",
            id="moderation.reload", show=False,
        ),
    ]  # fmt: skip

    def __init__(self) -> None:
        super().__init__()
        self.page: RoundsPage | None = None

    @property
    def leap(self) -> LeapApp:
        return cast("LeapApp", self.app)

    def compose(self) -> ComposeResult:
        yield TitleBar()
        yield Static("Opening the database…", id="moderation-status")
        yield FittedTable(id="moderation-table")
        with VerticalScroll(id="moderation-report-box"):
            yield Static("", id="moderation-report", markup=False)
        yield KeysFooter()

    def on_mount(self) -> None:
        table = self.query_one("#moderation-table", FittedTable)
        table.set_columns(ROUND_COLUMNS, width=self.size.width)
        table.focus()
        if self.leap.db_ready:
            self.load_rounds()

    def on_database_ready(self) -> None:
        self.load_rounds()

    def on_screen_resume(self) -> None:
        if self.leap.db_ready and self.page is not None:
            self.load_rounds()

    @work(thread=True, exclusive=True, group="moderation-rounds", exit_on_error=False)
    def load_rounds(self) -> None:
        """Read every round and the panels' periods off the UI thread."""
        from db.moderation_store import list_rounds
        from db.panels_store import list_panels
        from db.reference import theme_names

        try:
            with self.leap.read() as db:
                page = RoundsPage(
                    rounds=list_rounds(db),
                    names=theme_names(db),
                    panels=[
                        (f"Panel of {p.held_on:%-d %b %Y}", str(p.id), p.period_start, p.period_end)
                        for p in list_panels(db)
                    ],
                )
        except Exception as exc:  # noqa: BLE001 - reported on screen
            self.app.call_from_thread(self._failed, str(exc))
            return
        self.app.call_from_thread(self.show_page, page)

    def _failed(self, error: str) -> None:
        self.query_one("#moderation-status", Static).update(
            f"Could not read moderation rounds: {escape(error)}"
        )

    def show_page(self, page: RoundsPage) -> None:
        """Fill the table with the rounds, keeping the highlighted one."""
        from findings.agreement import format_kappa
        from findings.moderation import round_agreement

        self.page = page
        table = self.query_one("#moderation-table", DataTable)
        keep = self.selected_round()
        table.clear()
        for r in page.rounds:
            kappa = format_kappa(round_agreement(r).coders.kappa) if r.complete else ""
            unsettled = sum(1 for i in r.disagreements if not i.moderated)
            table.add_row(
                str(r.id),
                f"{r.period_start:%-d %b %Y} – {r.period_end:%-d %b %Y}",
                r.coder,
                r.progress,
                r.status,
                kappa,
                str(unsettled) if r.complete else "",
                key=str(r.id),
            )
        if keep is not None:
            ids = [r.id for r in page.rounds]
            if keep.id in ids:
                table.move_cursor(row=ids.index(keep.id))
        status = self.query_one("#moderation-status", Static)
        if not page.rounds:
            status.update(
                "No moderation rounds yet. n: draw a sample of a period's findings for a second "
                "coder to code blind."
            )
        else:
            status.update(
                f"{len(page.rounds)} rounds · Enter or c: code blind · m: settle disagreements · "
                "n: new round"
            )
        self._describe()

    def selected_round(self) -> ModerationRound | None:
        """The highlighted round as loaded."""
        table = self.query_one("#moderation-table", DataTable)
        if self.page is None or not table.row_count:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        return next((r for r in self.page.rounds if str(r.id) == key), None)

    def _describe(self) -> None:
        from tui.commands.moderate import render_round

        chosen = self.selected_round()
        report = self.query_one("#moderation-report", Static)
        report.update(render_round(chosen, self.page.names) if chosen and self.page else "")

    @on(DataTable.RowHighlighted, "#moderation-table")
    def _highlighted(self) -> None:
        self._describe()

    @on(DataTable.RowSelected, "#moderation-table")
    def _selected(self) -> None:
        self.action_code_round()

    def action_code_round(self) -> None:
        """Open blind coding on the highlighted round."""
        from tui.screens.moderation_coding import BlindCodingScreen

        chosen = self.selected_round()
        if chosen is None:
            return
        if chosen.complete:
            self.notify(
                f"Round {chosen.id} is fully coded; m settles its disagreements.", timeout=4
            )
            return
        self.app.push_screen(BlindCodingScreen(chosen.id))

    def action_moderate_round(self) -> None:
        """Open the disagreements of the highlighted (complete) round."""
        from tui.screens.moderation_review import ModerationReviewScreen

        chosen = self.selected_round()
        if chosen is None:
            return
        if not chosen.complete:
            self.notify(
                f"Round {chosen.id} is {chosen.progress} coded: disagreements can be settled "
                "once every finding is coded.",
                severity="warning",
            )
            return
        if not chosen.disagreements:
            self.notify(f"The coders of round {chosen.id} agreed on every finding.")
            return
        self.app.push_screen(ModerationReviewScreen(chosen.id))

    def action_new_round(self) -> None:
        """Ask for the period, size and second coder, then draw the sample."""
        panels = self.page.panels if self.page else []
        self.app.push_screen(NewRoundModal(panels, today=self.leap.today), self._start_round)

    def _start_round(self, request: NewRound | None) -> None:
        if request is not None:
            self.start_round(request)

    @work(thread=True, exclusive=True, group="moderation-start", exit_on_error=False)
    def start_round(self, request: NewRound) -> None:
        """Draw the sample (the tagger's suggestions are taken here too) off the UI thread."""
        from db.moderation_store import start_round

        try:
            with self.leap.connect() as db:
                started = start_round(
                    db,
                    period_start=request.period_start,
                    period_end=request.period_end,
                    coder=request.coder,
                    size=request.size,
                    panel_id=request.panel_id,
                )
        except Exception as exc:  # noqa: BLE001 - reported on screen
            self.app.call_from_thread(
                self.notify, f"No round was started: {exc}", severity="error", timeout=8
            )
            return
        told = " ".join(started.messages)
        self.app.call_from_thread(
            self.notify,
            f"Round {started.round.id}: {len(started.round.items)} findings for "
            f"{started.round.coder}. {told}".strip(),
            timeout=8,
        )
        self.load_rounds()

    def action_reload(self) -> None:
        """Read the rounds again."""
        self.load_rounds()


class NewRoundModal(ModalScreen[NewRound | None]):
    """A new round: a panel's period (or typed dates), how many findings, and who codes them."""

    CSS_PATH = SECTIONS_CSS

    BINDINGS = [
        Binding("escape", "cancel", "Cancel", tooltip="Start no round", id="new-round.cancel")
    ]

    def __init__(self, panels: list[tuple[str, str, date, date]], *, today: date) -> None:
        super().__init__()
        self.panels = panels
        self.today = today

    def compose(self) -> ComposeResult:
        from findings.recurrence import period_ending

        start, end = (
            (self.panels[0][2], self.panels[0][3]) if self.panels else period_ending(self.today, 2)
        )
        end = min(end, self.today)  # a planned panel's period may run past today
        options = [(label, pid) for label, pid, _, _ in self.panels] + [("Dates below", CUSTOM)]
        with Vertical(classes="modal-box", id="new-round"):
            yield Static("[b]New moderation round[/b]")
            with Horizontal(classes="modal-row"):
                yield Label("Period", classes="modal-label")
                yield Select(
                    options,
                    value=options[0][1],
                    allow_blank=False,
                    compact=True,
                    id="round-panel",
                )
            with Horizontal(classes="modal-row"):
                yield Label("First day", classes="modal-label")
                yield Input(start.isoformat(), id="round-from", compact=True)
            with Horizontal(classes="modal-row"):
                yield Label("Last day", classes="modal-label")
                yield Input(end.isoformat(), id="round-to", compact=True)
            with Horizontal(classes="modal-row"):
                yield Label("Findings", classes="modal-label")
                yield Input(str(DEFAULT_SIZE), id="round-size", compact=True, type="integer")
            with Horizontal(classes="modal-row"):
                yield Label("Coder", classes="modal-label")
                yield Input(
                    "", placeholder="the second coder's name", id="round-coder", compact=True
                )
            yield Static("", id="round-error", classes="modal-error")
            with Horizontal(classes="modal-buttons"):
                yield Button("Draw the sample", variant="primary", id="round-ok", compact=True)
                yield Button("Cancel", id="round-cancel", compact=True)

    def on_mount(self) -> None:
        self.query_one("#round-coder", Input).focus()

    @on(Select.Changed, "#round-panel")
    def _panel_chosen(self, event: Select.Changed) -> None:
        for _, pid, start, end in self.panels:
            if pid == event.value:
                self.query_one("#round-from", Input).value = start.isoformat()
                self.query_one("#round-to", Input).value = min(end, self.today).isoformat()

    @on(Input.Submitted)
    @on(Button.Pressed, "#round-ok")
    def accept(self) -> None:
        """Close with the request if it is complete, else say what is missing."""
        from tui.screens.date_range import parse_range

        error = self.query_one("#round-error", Static)
        period = parse_range(
            self.query_one("#round-from", Input).value,
            self.query_one("#round-to", Input).value,
            self.today,
        )
        if isinstance(period, str):
            error.update(period)
            return
        size_text = self.query_one("#round-size", Input).value.strip()
        if not size_text.isdigit() or int(size_text) < 1:
            error.update("Findings: give how many findings to draw, e.g. 20.")
            return
        coder = " ".join(self.query_one("#round-coder", Input).value.split())
        if not coder:
            error.update("Second coder: give the name of the QA lead who will code blind.")
            return
        chosen = self.query_one("#round-panel", Select).value
        panel_id = next(
            (pid for _, pid, start, _ in self.panels if pid == chosen and start == period[0]),
            None,
        )
        self.dismiss(NewRound(period[0], period[1], panel_id, int(size_text), coder))

    @on(Button.Pressed, "#round-cancel")
    def action_cancel(self) -> None:
        """Close without starting a round."""
        self.dismiss(None)
