"""Small forms of the panel screen: record a decision, plan a panel, record it held, save as."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from pydantic import ValidationError
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import Button, Checkbox, Input, Label, Select, Static, TextArea

from findings.actions import LearningAction, due_date_problem
from tui.css import SECTIONS_CSS
from tui.screens.form_fields import friendly

ACTION_DUE_DAYS = 90
"""Default time to complete a learning action agreed at a panel."""
CREATE_ACTION = "Create a learning action from it"
ACTION_FIELD_NAMES = {
    "title": "Action",
    "owner": "Owner",
    "due_date": "Due",
    "themes": "Themes",
    "description": "Decision",
}
"""The decision form's name for each field of the learning action it creates."""


@dataclass(frozen=True)
class DecisionInput:
    """A decision as typed, and the learning action it creates if asked."""

    text: str
    action: LearningAction | None


@dataclass(frozen=True)
class PlanInput:
    """The date, chair and region (a code) of a panel to plan."""

    held_on: date
    chair: str
    region: str


@dataclass(frozen=True)
class PlanProposal:
    """What the plan form first offers for one region's next panel."""

    held_on: date
    chair: str


@dataclass(frozen=True)
class HeldInput:
    """Who attended a panel and its minutes."""

    attendees: list[str]
    minutes: str


def split_list(text: str) -> list[str]:
    """Items of a comma- or semicolon-separated list, trimmed, blanks dropped."""
    return [p.strip() for p in text.replace(";", ",").split(",") if p.strip()]


class TickBox(Checkbox):
    """A checkbox whose state reads without colour: X when ticked, blank when not."""

    def __init__(self, label: str, value: bool = False, *, id: str | None = None) -> None:
        super().__init__(label, value, id=id)
        self.BUTTON_INNER = self._inner()

    def _inner(self) -> str:
        return "X" if self.value else " "

    def watch_value(self) -> None:
        self.BUTTON_INNER = self._inner()
        super().watch_value()


def action_error(exc: ValidationError) -> str:
    """The learning action's first problem, naming the form's field in plain words."""
    error = exc.errors()[0]
    field = str(error["loc"][0]) if error["loc"] else ""
    name = ACTION_FIELD_NAMES.get(field, "Action")
    if error["type"] in {"missing", "string_too_short"}:
        return f"{name}: required."
    return f"{name}: {friendly(dict(error))}"


class PanelForm(ModalScreen[object]):
    """A modal form: Escape cancels, the Save button (or Enter in the last field) submits."""

    CSS_PATH = SECTIONS_CSS

    AUTO_FOCUS = "Input, Select, TextArea"
    """The first field has the cursor (not the scrolling container around the form)."""

    BINDINGS = [
        Binding("escape", "cancel", "Cancel", tooltip="Close without saving", id="form.cancel")
    ]

    @staticmethod
    def row(label: str, widget: Widget) -> Horizontal:
        """A labelled field on one row."""
        return Horizontal(Label(label, classes="form-label"), widget, classes="form-row")

    def buttons(self) -> ComposeResult:
        yield Static("", classes="form-error")
        with Horizontal(classes="form-buttons"):
            yield Button("Save", variant="primary", id="save")
            yield Button("Cancel", id="cancel")

    def action_cancel(self) -> None:
        """Close without saving."""
        self.dismiss(None)

    @on(Button.Pressed, "#cancel")
    def cancel_pressed(self) -> None:
        self.dismiss(None)

    @on(Button.Pressed, "#save")
    def save_pressed(self) -> None:
        self.submit()

    def submit(self) -> None:  # pragma: no cover - overridden
        raise NotImplementedError

    @on(Input.Submitted)
    def enter_pressed(self, event: Input.Submitted) -> None:
        """Enter moves to the next field; in the last field it saves."""
        inputs = list(self.query(Input))
        if inputs and event.input is inputs[-1]:
            self.submit()
        else:
            self.focus_next()

    def show_error(self, message: str) -> None:
        self.query_one(".form-error", Static).update(message)


class DecisionForm(PanelForm):
    """Record a decision; optionally create a learning action from it in the same step."""

    def __init__(self, panel_id: uuid.UUID, today: date, themes: list[str], known: set[str]):
        super().__init__()
        self.panel_id = panel_id
        self.today = today
        self.themes = themes
        self.known = known

    def compose(self) -> ComposeResult:
        with VerticalScroll(classes="form"):
            yield Label("Record a decision", classes="form-title")
            yield self.row(
                "Decision", Input(placeholder="What the panel decided", id="decision-text")
            )
            yield self.row("", TickBox(CREATE_ACTION, id="decision-action"))
            yield self.row(
                "Action", Input(placeholder="Title (default: the decision)", id="action-title")
            )
            yield self.row(
                "Owner", Input(placeholder="A role, e.g. Head of PDU", id="action-owner")
            )
            due = (self.today + timedelta(days=ACTION_DUE_DAYS)).isoformat()
            yield self.row("Due", Input(value=due, placeholder="YYYY-MM-DD", id="action-due"))
            yield self.row(
                "Themes",
                Input(
                    value=", ".join(self.themes),
                    placeholder="slugs, comma-separated",
                    id="action-themes",
                ),
            )
            yield from self.buttons()

    @on(Input.Changed, "#action-title, #action-owner")
    def tick_when_action_typed(self, event: Input.Changed) -> None:
        """Typing the action's title or owner means the action is wanted: tick the box."""
        if event.value.strip():
            self.query_one("#decision-action", Checkbox).value = True

    def submit(self) -> None:
        text = self.query_one("#decision-text", Input).value.strip()
        if not text:
            self.show_error("Write the decision first.")
            return
        typed_title = self.query_one("#action-title", Input).value.strip()
        owner = self.query_one("#action-owner", Input).value.strip()
        if not self.query_one("#decision-action", Checkbox).value:
            if typed_title or owner:
                self.show_error(
                    f"Tick “{CREATE_ACTION}” to create the action, or clear Action and Owner."
                )
                return
            self.dismiss(DecisionInput(text=text, action=None))
            return
        if not owner:
            self.show_error("Owner: who will carry the action out is required.")
            return
        title = typed_title or text[:200]
        themes = split_list(self.query_one("#action-themes", Input).value)
        unknown = [t for t in themes if t not in self.known]
        if unknown:
            self.show_error(f"Unknown theme(s): {', '.join(unknown)}")
            return
        try:
            due = date.fromisoformat(self.query_one("#action-due", Input).value.strip())
        except ValueError:
            self.show_error("Due: give it as YYYY-MM-DD.")
            return
        too_early = due_date_problem(due, self.today)
        if too_early:
            self.show_error(f"Due: {too_early}.")
            return
        try:
            action = LearningAction(
                title=title,
                description=text,
                owner=owner,
                themes=themes,
                source_kind="panel",
                panel_id=self.panel_id,
                created_on=self.today,
                due_date=due,
            )
        except ValidationError as exc:
            self.show_error(action_error(exc))
            return
        self.dismiss(DecisionInput(text=text, action=action))


class PlanForm(PanelForm):
    """Plan a panel: its region (in a national file), date (two months after that region's
    last by default) and chair."""

    def __init__(
        self, proposals: dict[str, PlanProposal], region: str, region_names: dict[str, str]
    ) -> None:
        """``proposals``: what to offer for each region (code); ``region``: the one first chosen;
        ``region_names``: code to name of the file's regions (a choice only if more than one)."""
        super().__init__()
        self.proposals = proposals
        self.chosen_region = region
        self.region_names = region_names

    def compose(self) -> ComposeResult:
        proposal = self.proposals[self.chosen_region]
        with VerticalScroll(classes="form"):
            yield Label("Plan the next panel", classes="form-title")
            if len(self.region_names) > 1:
                options = [(name, code) for code, name in self.region_names.items()]
                yield self.row(
                    "Region",
                    Select(options, value=self.chosen_region, allow_blank=False, id="plan-region"),
                )
            yield self.row(
                "Date",
                Input(value=proposal.held_on.isoformat(), placeholder="YYYY-MM-DD", id="plan-date"),
            )
            yield self.row(
                "Chair", Input(value=proposal.chair, placeholder="A role", id="plan-chair")
            )
            yield from self.buttons()

    @on(Select.Changed, "#plan-region")
    def region_chosen(self, event: Select.Changed) -> None:
        """Offer the chosen region's next panel, keeping a date or chair the user typed."""
        before, after = self.proposals[self.chosen_region], self.proposals[str(event.value)]
        self.chosen_region = str(event.value)
        held_on = self.query_one("#plan-date", Input)
        if held_on.value.strip() == before.held_on.isoformat():
            held_on.value = after.held_on.isoformat()
        chair = self.query_one("#plan-chair", Input)
        if chair.value.strip() == before.chair:
            chair.value = after.chair

    def submit(self) -> None:
        try:
            held_on = date.fromisoformat(self.query_one("#plan-date", Input).value.strip())
        except ValueError:
            self.show_error("Date: give it as YYYY-MM-DD.")
            return
        chair = self.query_one("#plan-chair", Input).value.strip()
        self.dismiss(PlanInput(held_on, chair, self.chosen_region))


class HeldForm(PanelForm):
    """Record that a panel was held: who attended and the minutes."""

    def __init__(self, attendees: list[str], minutes: str) -> None:
        super().__init__()
        self.attendees = attendees
        self.minutes = minutes

    def compose(self) -> ComposeResult:
        with VerticalScroll(classes="form"):
            yield Label("Record the panel as held", classes="form-title")
            yield self.row(
                "Attendees",
                Input(
                    value=", ".join(self.attendees),
                    placeholder="Roles, comma-separated",
                    id="held-attendees",
                ),
            )
            yield self.row("Minutes", TextArea(self.minutes, id="held-minutes"))
            yield from self.buttons()

    def submit(self) -> None:
        self.dismiss(
            HeldInput(
                attendees=split_list(self.query_one("#held-attendees", Input).value),
                minutes=self.query_one("#held-minutes", TextArea).text,
            )
        )


class SaveAsForm(PanelForm):
    """Ask where to write a document."""

    def __init__(self, title: str, proposed: Path) -> None:
        super().__init__()
        self.heading = title
        self.proposed = proposed

    def compose(self) -> ComposeResult:
        with VerticalScroll(classes="form"):
            yield Label(self.heading, classes="form-title")
            yield self.row(
                "File", Input(value=str(self.proposed), placeholder="FILE.docx", id="save-path")
            )
            yield from self.buttons()

    def submit(self) -> None:
        value = self.query_one("#save-path", Input).value.strip()
        if not value.lower().endswith(".docx"):
            self.show_error("Give a file name ending .docx")
            return
        self.dismiss(Path(value).expanduser())
