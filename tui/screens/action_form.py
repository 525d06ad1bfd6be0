"""Modal forms for learning actions: the new-action form and the base the other forms share."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any, Generic, TypeVar, cast

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Select, SelectionList, Static, TextArea

from findings.actions import LearningAction, due_date_problem
from tui.css import SECTIONS_CSS

if TYPE_CHECKING:
    import sqlite_utils

    from db.actions_store import SourceFinding
    from tui.app import LeapApp

ResultT = TypeVar("ResultT")


class FormSaved(Message):
    """The form's write succeeded."""

    def __init__(self, result: object) -> None:
        super().__init__()
        self.result = result


class FormRefused(Message):
    """The store refused the write; the message says why."""

    def __init__(self, error: str) -> None:
        super().__init__()
        self.error = error


class ChoicesLoaded(Message):
    """The worker loaded what the form offers: PDUs, themes and perhaps a source finding."""

    def __init__(
        self,
        pdus: list[tuple[str, str]],
        themes: list[tuple[str, str]],
        finding: SourceFinding | None,
    ) -> None:
        super().__init__()
        self.pdus = pdus
        self.themes = themes
        self.finding = finding


def parse_date(text: str) -> date | None:
    """A YYYY-MM-DD date, or None if the text is not one."""
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        return None


class ActionModal(ModalScreen[ResultT | None], Generic[ResultT]):
    """A form over the store: writes in a worker and closes only when the write succeeded."""

    CSS_PATH = SECTIONS_CSS

    BINDINGS = [
        Binding("escape", "cancel", "Cancel", tooltip="Close without saving", id="form.cancel"),
        Binding("ctrl+s", "submit", "Save", tooltip="Check and save the form", id="form.save"),
    ]

    @property
    def leap(self) -> LeapApp:
        return cast("LeapApp", self.app)

    def buttons(self) -> ComposeResult:
        """The error line and the Save / Cancel buttons every form ends with."""
        yield Static("", id="form-error", classes="field-error")
        with Horizontal(classes="form-buttons"):
            yield Button("Save", variant="primary", id="save")
            yield Button("Cancel", id="cancel")

    def field_error(self, name: str, message: str) -> None:
        """Show (or clear, with "") the message beside one field."""
        for widget in self.query(f"#err-{name}"):
            cast(Static, widget).update(message)
            widget.display = bool(message)

    def clear_errors(self) -> None:
        for widget in self.query(".field-error"):
            cast(Static, widget).update("")
            widget.display = widget.id == "form-error"

    def write(self, operation: Callable[[sqlite_utils.Database], object]) -> None:
        """Run one store write off the UI thread; the result closes the form or shows why not."""

        def run() -> None:
            from db.connection import StoreError

            try:
                with self.leap.connect() as db:
                    result = operation(db)
            except (StoreError, ValueError) as exc:
                self.post_message(FormRefused(str(exc)))
                return
            self.post_message(FormSaved(result))

        self.run_worker(run, thread=True, exclusive=True, group="action-form", exit_on_error=False)

    @on(FormSaved)
    def saved(self, message: FormSaved) -> None:
        self.dismiss(cast(ResultT, message.result))

    @on(FormRefused)
    def refused(self, message: FormRefused) -> None:
        self.query_one("#form-error", Static).update(message.error)

    @on(Button.Pressed, "#save")
    def save_pressed(self) -> None:
        self.action_submit()

    @on(Button.Pressed, "#cancel")
    def cancel_pressed(self) -> None:
        self.action_cancel()

    def action_cancel(self) -> None:
        """Close the form without saving."""
        self.dismiss(None)

    def action_submit(self) -> None:
        """Check the form and save it (subclasses)."""
        raise NotImplementedError


def field(label: str, widget: Any, name: str) -> ComposeResult:
    """A labelled field with its error line beneath."""
    if isinstance(widget, Input | Select):
        widget.compact = True
    yield Label(label, classes="field-label")
    yield widget
    error = Static("", id=f"err-{name}", classes="field-error")
    error.display = False
    yield error


_FIELD_OF = {"title": "title", "owner": "owner", "due_date": "due", "scope": "scope"}


class ActionFormScreen(ActionModal[LearningAction]):
    """Create a learning action, optionally starting from a theme or a finding."""

    def __init__(
        self, *, today: date, from_theme: str | None = None, from_finding: str | None = None
    ) -> None:
        super().__init__()
        self.today = today
        self.from_theme = from_theme
        self.from_finding = from_finding
        self.finding: SourceFinding | None = None
        self.choices_shown = False

    def compose(self) -> ComposeResult:
        with VerticalScroll(classes="action-form"):
            yield Static("New learning action", classes="form-title")
            yield from field("Title", Input(id="title", placeholder="What will be done"), "title")
            yield from field(
                "Owner (a role or a person)",
                Input(id="owner", placeholder="e.g. Head of Quality"),
                "owner",
            )
            due = (self.today + timedelta(days=60)).isoformat()
            yield from field("Due date (YYYY-MM-DD)", Input(due, id="due"), "due")
            yield from field(
                "Scope",
                Select([("Region", "region")], value="region", allow_blank=False, id="scope"),
                "scope",
            )
            yield from field(
                "From finding (its id or source reference; optional, Enter to look up)",
                Input(self.from_finding or "", id="finding", placeholder="e.g. SFO-2026-014"),
                "finding",
            )
            yield Static("", id="finding-info", classes="field-hint")
            themes: SelectionList[str] = SelectionList(id="themes")
            yield from field("Themes it addresses (space to tick)", themes, "themes")
            yield from field("Description", TextArea(id="description"), "description")
            yield from self.buttons()

    def on_mount(self) -> None:
        self.query_one("#title", Input).focus()
        self.load_choices(self.from_finding)

    def load_choices(self, finding_ref: str | None) -> None:
        """Load PDUs, themes and the source finding off the UI thread."""

        def run() -> None:
            from db.actions_store import find_source_finding
            from db.reference import list_pdus, list_themes

            with self.leap.connect() as db:
                pdus = [(p.name, p.code) for p in list_pdus(db)]
                themes = [(t.name, t.slug) for t in list_themes(db)]
                finding = find_source_finding(db, finding_ref) if finding_ref else None
            self.post_message(ChoicesLoaded(pdus, themes, finding))

        self.run_worker(run, thread=True, exclusive=True, group="action-choices")

    @on(ChoicesLoaded)
    def show_choices(self, message: ChoicesLoaded) -> None:
        scope = self.query_one("#scope", Select)
        if not self.choices_shown:  # first load only: keep the user's picks afterwards
            self.choices_shown = True
            scope.set_options([("Region", "region"), *message.pdus])
            scope.value = "region"
            themes = self.query_one("#themes", SelectionList)
            themes.add_options(
                [(name, slug, slug == self.from_theme) for name, slug in message.themes]
            )
        ref = self.query_one("#finding", Input).value.strip()
        info = self.query_one("#finding-info", Static)
        self.finding = message.finding
        if message.finding is None:
            info.update("")
            if ref:
                self.field_error("finding", f"No finding '{ref}' (it may have been deleted).")
            return
        self.field_error("finding", "")
        found = message.finding
        info.update(f"{found.source_ref}: {found.summary}")
        scope.value = found.pdu
        themes = self.query_one("#themes", SelectionList)
        for slug in found.themes:
            themes.select(slug)

    @on(Input.Submitted, "#finding")
    def look_up_finding(self, event: Input.Submitted) -> None:
        self.load_choices(event.value.strip() or None)

    @on(Input.Changed, "#due")
    def check_due(self, event: Input.Changed) -> None:
        due = parse_date(event.value)
        if due is None:
            self.field_error("due", "Write the date as YYYY-MM-DD.")
        else:
            self.field_error("due", _sentence(due_date_problem(due, self.today) or ""))

    @on(Input.Changed, "#owner")
    def check_owner(self, event: Input.Changed) -> None:
        self.field_error("owner", "" if event.value.strip() else "Name the owner.")

    def action_submit(self) -> None:
        """Check every field against the action's rules, then create it."""
        from pydantic import ValidationError

        self.clear_errors()
        due_text = self.query_one("#due", Input).value
        due = parse_date(due_text)
        if due is None:
            self.field_error("due", "Write the date as YYYY-MM-DD.")
            return
        due_problem = due_date_problem(due, self.today)
        if due_problem:
            self.field_error("due", _sentence(due_problem))
        ref = self.query_one("#finding", Input).value.strip()
        if ref and (self.finding is None or ref not in (self.finding.id, self.finding.source_ref)):
            self.field_error("finding", "Press Enter in this field to look the finding up first.")
            return
        data: dict[str, Any] = {
            "title": self.query_one("#title", Input).value,
            "owner": self.query_one("#owner", Input).value,
            "due_date": due,
            "created_on": self.today,
            "scope": self.query_one("#scope", Select).value,
            "themes": list(self.query_one("#themes", SelectionList).selected),
            "description": self.query_one("#description", TextArea).text,
        }
        if self.finding is not None:
            data.update(source_kind="finding", source_ref=self.finding.id)
        elif self.from_theme:
            data.update(source_kind="theme", source_ref=self.from_theme)
        try:
            action = LearningAction.model_validate(data)
        except ValidationError as exc:
            for error in exc.errors():
                loc = str(error["loc"][0]) if error["loc"] else ""
                text = str(error["msg"]).removeprefix("Value error, ")
                if loc in _FIELD_OF:
                    self.field_error(_FIELD_OF[loc], _plain(loc, text))
                elif "due date" in text:
                    self.field_error("due", _sentence(text))
                else:
                    self.query_one("#form-error", Static).update(text)
            return

        def create(db: sqlite_utils.Database) -> LearningAction:
            from db.actions_store import create_action

            return create_action(db, action)

        self.write(create)


def _sentence(text: str) -> str:
    return f"{text[:1].upper()}{text[1:]}." if text else ""


def _plain(field_name: str, message: str) -> str:
    if "at least 1 character" in message:
        return {"title": "Give the action a title.", "owner": "Name the owner."}.get(
            field_name, "This field is required."
        )
    return message[:1].upper() + message[1:]
