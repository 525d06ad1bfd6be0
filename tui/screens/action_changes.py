"""Modal forms that change an action: its status, its due date, a note; and the list's filter."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Checkbox, Input, Select, Static, TextArea

from findings.actions import (
    ActionFilter,
    ActionStatus,
    ActionUpdate,
    LearningAction,
    due_date_problem,
)
from tui.css import SECTIONS_CSS
from tui.screens.action_form import ActionModal, field, parse_date

if TYPE_CHECKING:
    import sqlite_utils


class StatusFormScreen(ActionModal[LearningAction]):
    """Move an action to another status; done asks for evidence, cancelled for a reason."""

    def __init__(self, action: LearningAction, *, today: date) -> None:
        super().__init__()
        self.action = action
        self.today = today

    def compose(self) -> ComposeResult:
        choices = [(s.label, s) for s in ActionStatus if s is not self.action.status]
        likely = {
            ActionStatus.OPEN: ActionStatus.IN_PROGRESS,
            ActionStatus.IN_PROGRESS: ActionStatus.DONE,
        }.get(self.action.status, ActionStatus.OPEN)
        with VerticalScroll(classes="action-form"):
            yield Static(f"Status of: {self.action.title}", classes="form-title")
            yield from field(
                f"New status (now {self.action.status.label.lower()})",
                Select(choices, value=likely, allow_blank=False, id="status"),
                "status",
            )
            with Vertical(id="done-fields"):
                yield from field(
                    "Evidence (required for done: what was done, where to see it)",
                    TextArea(id="evidence"),
                    "evidence",
                )
                yield from field(
                    "Completed on (YYYY-MM-DD)",
                    Input(self.today.isoformat(), id="completed"),
                    "completed",
                )
            yield from field("Note (the reason, required to cancel)", Input(id="note"), "note")
            yield from self.buttons()

    def on_mount(self) -> None:
        self.query_one("#status", Select).focus()
        self._show_fields()

    @on(Select.Changed, "#status")
    def _show_fields(self) -> None:
        done = self.query_one("#status", Select).value is ActionStatus.DONE
        self.query_one("#done-fields").display = done

    def action_submit(self) -> None:
        """Check the fields, then change the status."""
        self.clear_errors()
        status = self.query_one("#status", Select).value
        assert isinstance(status, ActionStatus)
        evidence = self.query_one("#evidence", TextArea).text.strip()
        note = self.query_one("#note", Input).value.strip()
        completed = parse_date(self.query_one("#completed", Input).value)
        if status is ActionStatus.DONE:
            if not evidence:
                self.field_error(
                    "evidence", "Evidence of completion is required to mark an action done."
                )
                return
            if completed is None:
                self.field_error("completed", "Write the date as YYYY-MM-DD.")
                return
        if status is ActionStatus.CANCELLED and not note:
            self.field_error("note", "Give a reason for cancelling the action.")
            return
        action, today = self.action, self.today

        def change(db: sqlite_utils.Database) -> LearningAction:
            from db.actions_store import set_status

            return set_status(
                db,
                action.id,
                status,
                expected_version=action.version,
                today=today,
                evidence=evidence,
                completed_on=completed,
                note=note,
            )

        self.write(change)


class DueDateFormScreen(ActionModal[LearningAction]):
    """Move an action's due date, saying why (both are kept)."""

    def __init__(self, action: LearningAction) -> None:
        super().__init__()
        self.action = action

    def compose(self) -> ComposeResult:
        with VerticalScroll(classes="action-form"):
            yield Static(f"Due date of: {self.action.title}", classes="form-title")
            yield from field(
                f"New due date (now {self.action.due_date.isoformat()})",
                Input(self.action.due_date.isoformat(), id="due"),
                "due",
            )
            yield from field(
                "Reason for the change (kept in the log)", Input(id="reason"), "reason"
            )
            yield from self.buttons()

    def on_mount(self) -> None:
        self.query_one("#due", Input).focus()

    @on(Input.Changed, "#due")
    def check_due(self, event: Input.Changed) -> None:
        due = parse_date(event.value)
        problem = due_date_problem(due, self.action.created_on) if due else None
        if due is None:
            self.field_error("due", "Write the date as YYYY-MM-DD.")
        else:
            self.field_error("due", f"{problem[:1].upper()}{problem[1:]}." if problem else "")

    def action_submit(self) -> None:
        """Check the fields, then move the due date."""
        self.clear_errors()
        due = parse_date(self.query_one("#due", Input).value)
        reason = self.query_one("#reason", Input).value.strip()
        if due is None:
            self.field_error("due", "Write the date as YYYY-MM-DD.")
            return
        problem = due_date_problem(due, self.action.created_on)
        if problem:
            self.field_error("due", f"{problem[:1].upper()}{problem[1:]}.")
            return
        if not reason:
            self.field_error("reason", "Give a reason for changing the due date.")
            return
        action = self.action

        def change(db: sqlite_utils.Database) -> LearningAction:
            from db.actions_store import change_due_date

            return change_due_date(db, action.id, due, reason, expected_version=action.version)

        self.write(change)


class NoteFormScreen(ActionModal[ActionUpdate]):
    """Add a progress note to an action's log."""

    def __init__(self, action: LearningAction) -> None:
        super().__init__()
        self.action = action

    def compose(self) -> ComposeResult:
        with VerticalScroll(classes="action-form"):
            yield Static(f"Note on: {self.action.title}", classes="form-title")
            yield from field("Update note", TextArea(id="note"), "note")
            yield from self.buttons()

    def on_mount(self) -> None:
        self.query_one("#note", TextArea).focus()

    def action_submit(self) -> None:
        """Add the note."""
        self.clear_errors()
        text = self.query_one("#note", TextArea).text.strip()
        if not text:
            self.field_error("note", "The note is empty.")
            return
        action_id = self.action.id

        def add(db: sqlite_utils.Database) -> ActionUpdate:
            from db.actions_store import add_note

            return add_note(db, action_id, text)

        self.write(add)


class FilterFormScreen(ModalScreen[ActionFilter | None]):
    """Narrow the actions list by owner, status, theme and scope, or to overdue ones."""

    CSS_PATH = SECTIONS_CSS

    BINDINGS = [
        Binding(
            "escape", "cancel", "Cancel", tooltip="Keep the current filter", id="filter.cancel"
        ),
        Binding("ctrl+s", "apply", "Apply", tooltip="Apply the filter", id="filter.apply"),
    ]

    def __init__(
        self,
        current: ActionFilter,
        *,
        owners: list[str],
        themes: list[tuple[str, str]],
        pdus: list[tuple[str, str]],
    ) -> None:
        super().__init__()
        self.current = current
        self.owners = owners
        self.themes = themes
        self.pdus = pdus

    def compose(self) -> ComposeResult:
        status = self.current.statuses[0] if len(self.current.statuses) == 1 else Select.NULL
        with VerticalScroll(classes="action-form"):
            yield Static("Filter actions", classes="form-title")
            yield from field("Owner contains", Input(self.current.owner, id="owner"), "owner")
            yield from field(
                "Status",
                Select(
                    [(s.label, s) for s in ActionStatus], value=status, prompt="Any", id="status"
                ),
                "status",
            )
            yield from field(
                "Theme",
                Select(
                    self.themes, value=self.current.theme or Select.NULL, prompt="Any", id="theme"
                ),
                "theme",
            )
            yield from field(
                "Scope",
                Select(
                    [("Region-wide actions", "region"), *self.pdus],
                    value=self.current.scope or Select.NULL,
                    prompt="Any",
                    id="scope",
                ),
                "scope",
            )
            yield Checkbox("Overdue only", self.current.overdue_only, id="overdue")
            if self.owners:
                yield Static("Owners: " + "; ".join(self.owners), classes="field-hint")
            with Horizontal(classes="form-buttons"):
                yield Button("Apply", variant="primary", id="apply")
                yield Button("Clear all", id="clear")
                yield Button("Cancel", id="cancel")

    def on_mount(self) -> None:
        self.query_one("#owner", Input).focus()

    @on(Button.Pressed, "#apply")
    def action_apply(self) -> None:
        """Apply the filter to the list."""

        def chosen(name: str) -> str:
            value = self.query_one(f"#{name}", Select).value
            return "" if value is Select.NULL else str(value)

        status = self.query_one("#status", Select).value
        self.dismiss(
            ActionFilter(
                owner=self.query_one("#owner", Input).value.strip(),
                statuses=(status,) if isinstance(status, ActionStatus) else (),
                theme=chosen("theme"),
                scope=chosen("scope"),
                overdue_only=self.query_one("#overdue", Checkbox).value,
            )
        )

    @on(Button.Pressed, "#clear")
    def clear(self) -> None:
        self.dismiss(ActionFilter())

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        """Keep the current filter."""
        self.dismiss(None)
