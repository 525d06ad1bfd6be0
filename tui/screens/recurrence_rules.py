"""A small modal showing the recurrence rules in words and letting a user change them."""

from __future__ import annotations

from dataclasses import replace

from rich.markup import escape
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.validation import ValidationResult, Validator
from textual.widgets import Button, Input, Label, Static

from findings.recurrence import RecurrenceRules
from tui.css import SECTIONS_CSS

FIELDS: list[tuple[str, str]] = [
    ("min_findings", "Findings at least"),
    ("min_source_types", "Source types at least"),
    ("consecutive_panel_periods", "Or in each of last N panels (0 = off)"),
]


class RuleValue(Validator):
    """A value one rule accepts: checked by RecurrenceRules itself, so the limits agree."""

    def __init__(self, field: str) -> None:
        super().__init__()
        self.field = field

    def validate(self, value: str) -> ValidationResult:
        try:
            RecurrenceRules(**{self.field: int(value.strip())})
        except ValueError as exc:
            message = str(exc)
            if "invalid literal" in message:
                message = "a whole number, please"
            return self.failure(message)
        return self.success()


def rules_from_text(values: dict[str, str], base: RecurrenceRules) -> RecurrenceRules | str:
    """New rules from the typed values, or a message naming what is wrong."""
    rules = base
    for field, label in FIELDS:
        text = values[field].strip()
        result = RuleValue(field).validate(text)
        if not result.is_valid:
            return f"{label}: {'; '.join(result.failure_descriptions)}"
        rules = replace(rules, **{field: int(text)})
    return rules


class RulesModal(ModalScreen[RecurrenceRules | None]):
    """When a theme counts as recurring: the rules in words, and the numbers to change."""

    CSS_PATH = SECTIONS_CSS

    BINDINGS = [
        Binding(
            "escape", "cancel", "Cancel", tooltip="Keep the rules as they are", id="rules.cancel"
        )
    ]

    def __init__(self, rules: RecurrenceRules) -> None:
        super().__init__()
        self.rules = rules

    def compose(self) -> ComposeResult:
        with Vertical(id="rules-box", classes="modal-box"):
            yield Static("[b]When does a theme recur?[/b]")
            yield Static(escape(self.rules.describe()), id="rules-words")
            for field, label in FIELDS:
                with Horizontal(classes="modal-row"):
                    yield Label(label, classes="modal-label wide")
                    yield Input(
                        str(getattr(self.rules, field)),
                        validators=[RuleValue(field)],
                        id=f"rule-{field}",
                        type="integer",
                        compact=True,
                    )
            yield Static("", id="rules-error", classes="modal-error")
            with Horizontal(classes="modal-buttons"):
                yield Button("Save", variant="primary", id="rules-save", compact=True)
                yield Button("Cancel", id="rules-cancel", compact=True)

    def on_mount(self) -> None:
        self.query_one(f"#rule-{FIELDS[0][0]}", Input).focus()

    def _typed(self) -> RecurrenceRules | str:
        values = {f: self.query_one(f"#rule-{f}", Input).value for f, _ in FIELDS}
        return rules_from_text(values, self.rules)

    @on(Input.Changed)
    def preview(self) -> None:
        """Say the rules in words as they are typed."""
        typed = self._typed()
        error = self.query_one("#rules-error", Static)
        if isinstance(typed, str):
            error.update(escape(typed))
            return
        error.update("")
        self.query_one("#rules-words", Static).update(escape(typed.describe()))

    @on(Input.Submitted)
    @on(Button.Pressed, "#rules-save")
    def save(self) -> None:
        """Close with the new rules if every number is acceptable."""
        typed = self._typed()
        if isinstance(typed, str):
            self.query_one("#rules-error", Static).update(escape(typed))
            return
        self.dismiss(typed)

    @on(Button.Pressed, "#rules-cancel")
    def action_cancel(self) -> None:
        """Close without changing the rules."""
        self.dismiss(None)
