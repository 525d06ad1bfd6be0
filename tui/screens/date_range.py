"""A small modal asking for a period's first and last days."""

from __future__ import annotations

from datetime import date

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.validation import ValidationResult, Validator
from textual.widgets import Button, Input, Label, Static

from tui.css import SECTIONS_CSS


class IsoDate(Validator):
    """A calendar date written YYYY-MM-DD, not after today."""

    def __init__(self, today: date) -> None:
        super().__init__()
        self.today = today

    def validate(self, value: str) -> ValidationResult:
        try:
            day = date.fromisoformat(value.strip())
        except ValueError:
            return self.failure("write the date as YYYY-MM-DD, e.g. 2026-09-01")
        if day > self.today:
            return self.failure(f"{day.isoformat()} is in the future")
        return self.success()


def parse_range(first: str, last: str, today: date) -> tuple[date, date] | str:
    """The period typed, or a message saying what is wrong with it."""
    for label, text in (("First day", first), ("Last day", last)):
        result = IsoDate(today).validate(text)
        if not result.is_valid:
            return f"{label}: {'; '.join(result.failure_descriptions)}"
    start, end = date.fromisoformat(first.strip()), date.fromisoformat(last.strip())
    if start > end:
        return "The first day is after the last day."
    return start, end


class DateRangeModal(ModalScreen[tuple[date, date] | None]):
    """Choose a period: its first and last days, both included."""

    CSS_PATH = SECTIONS_CSS

    BINDINGS = [
        Binding(
            "escape", "cancel", "Cancel", tooltip="Keep the period as it was", id="range.cancel"
        )
    ]

    def __init__(self, start: date, end: date, *, today: date) -> None:
        super().__init__()
        self.start, self.end, self.today = start, end, today

    def compose(self) -> ComposeResult:
        with Vertical(id="date-range", classes="modal-box"):
            yield Static("[b]Period[/b] (both days included)")
            with Horizontal(classes="modal-row"):
                yield Label("First day", classes="modal-label")
                yield Input(
                    self.start.isoformat(),
                    validators=[IsoDate(self.today)],
                    id="range-start",
                    compact=True,
                )
            with Horizontal(classes="modal-row"):
                yield Label("Last day", classes="modal-label")
                yield Input(
                    self.end.isoformat(),
                    validators=[IsoDate(self.today)],
                    id="range-end",
                    compact=True,
                )
            yield Static("", id="range-error", classes="modal-error")
            with Horizontal(classes="modal-buttons"):
                yield Button("Show", variant="primary", id="range-ok", compact=True)
                yield Button("Cancel", id="range-cancel", compact=True)

    def on_mount(self) -> None:
        self.query_one("#range-start", Input).focus()

    @on(Input.Submitted)
    @on(Button.Pressed, "#range-ok")
    def accept(self) -> None:
        """Close with the period if it is valid, else say what is wrong."""
        result = parse_range(
            self.query_one("#range-start", Input).value,
            self.query_one("#range-end", Input).value,
            self.today,
        )
        if isinstance(result, str):
            self.query_one("#range-error", Static).update(result)
            return
        self.dismiss(result)

    @on(Button.Pressed, "#range-cancel")
    def action_cancel(self) -> None:
        """Close without changing the period."""
        self.dismiss(None)
