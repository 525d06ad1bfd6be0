"""Recording one case assessed in an audit: PDU, date, RoSH and the four key questions."""

from __future__ import annotations

import sqlite3
import uuid
from typing import TYPE_CHECKING, Any, cast

from pydantic import ValidationError
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Select, SelectionList, Static

from findings.models import KEY_QUESTIONS, CaseAssessment, KeyAnswer, Rosh
from tui.css import SECTIONS_CSS
from tui.screens.form_fields import friendly

if TYPE_CHECKING:
    from tui.app import LeapApp
    from tui.screens.form_fields import FormContext

ANSWER_CHOICES = [
    ("Yes", KeyAnswer.YES.value),
    ("No", KeyAnswer.NO.value),
    ("Not applicable", KeyAnswer.NOT_APPLICABLE.value),
]
SHORT_QUESTIONS = {
    "assessment": "Assessment",
    "planning": "Planning",
    "implementation_delivery": "Delivery",
    "reviewing": "Reviewing",
}


class AssessmentSaved(Message):
    """The worker stored the assessment, or could not (``error`` says why)."""

    def __init__(self, assessment: CaseAssessment | None, error: str = "") -> None:
        super().__init__()
        self.assessment = assessment
        self.error = error


class AssessmentFormScreen(ModalScreen[CaseAssessment | None]):
    """One case assessed: its answers to the key questions and any findings it produced."""

    CSS_PATH = SECTIONS_CSS

    BINDINGS = [
        Binding(
            "ctrl+s", "save", "Save", tooltip="Check and save the assessment", id="assessment.save"
        ),
        Binding(
            "escape", "cancel", "Cancel", tooltip="Close without saving", id="assessment.cancel"
        ),
    ]

    def __init__(self, context: FormContext, candidates: list[tuple[str, str]]) -> None:
        super().__init__()
        self.context = context
        self.candidates = candidates

    def compose(self) -> ComposeResult:
        ctx = self.context
        with Vertical(classes="modal-frame", id="assessment-frame"):
            yield Static("[b]Case assessment[/b]  [dim]Ctrl+S save · Esc cancel[/]")
            yield Static("", id="assessment-banner", classes="form-error", markup=False)
            with VerticalScroll():
                yield from self._row("audit_ref", "Audit", Input(placeholder="e.g. RCA 2026 Q3"))
                yield from self._row(
                    "pdu", "PDU", Select([(p.name, p.code) for p in ctx.pdus], prompt="Choose")
                )
                yield from self._row(
                    "assessed_on",
                    "Assessed on",
                    Input(ctx.today.isoformat(), placeholder="YYYY-MM-DD"),
                )
                yield from self._row(
                    "rosh",
                    "RoSH",
                    Select(
                        [(r.label, r.value) for r in Rosh],
                        allow_blank=False,
                        value=Rosh.UNKNOWN.value,
                    ),
                )
                yield from self._row("crn", "CRN (optional)", Input(placeholder="X123456"))
                for key, question in KEY_QUESTIONS.items():
                    yield Static(question, classes="question", markup=False)
                    yield from self._row(
                        f"q_{key}", SHORT_QUESTIONS[key], Select(ANSWER_CHOICES, prompt="Answer")
                    )
                yield Label(
                    "Findings from this case (optional; Space ticks)", classes="filter-heading"
                )
                yield SelectionList[str](*[(s, i) for i, s in self.candidates], id="a-findings")
            with Horizontal(classes="form-buttons"):
                yield Button("Cancel (Esc)", id="assessment-cancel")
                yield Button("Save (Ctrl+S)", id="assessment-save", variant="primary")

    def _row(self, name: str, label: str, widget: Any) -> ComposeResult:
        widget.id = f"a-{name}"
        widget.compact = True
        with Horizontal(classes="form-row"):
            yield Label(label, classes="form-label")
            yield widget
        yield Static("", id=f"ae-{name}", classes="form-error", markup=False)

    def on_mount(self) -> None:
        for error in self.query(".form-error"):
            error.display = False
        self.query_one("#a-audit_ref", Input).focus()

    def _value(self, name: str) -> str:
        widget = self.query_one(f"#a-{name}")
        if isinstance(widget, Select):
            return "" if widget.value is Select.NULL else str(widget.value)
        return cast(Input, widget).value

    def build(self) -> tuple[CaseAssessment | None, dict[str, str]]:
        """The assessment the form describes, or a message per wrong field."""
        answers = {k: self._value(f"q_{k}") for k in KEY_QUESTIONS}
        errors = {
            f"q_{k}": "Answer Yes, No or Not applicable." for k, v in answers.items() if not v
        }
        data: dict[str, Any] = {
            "audit_ref": self._value("audit_ref"),
            "assessed_on": self._value("assessed_on").strip() or None,
            "rosh": self._value("rosh"),
            "crn": self._value("crn") or None,
            "answers": {k: v for k, v in answers.items() if v},
            "finding_ids": [
                uuid.UUID(i) for i in self.query_one("#a-findings", SelectionList).selected
            ],
            "recorded_by": self.context.actor,
        }
        if self._value("pdu"):
            data["pdu"] = self._value("pdu")
        try:
            assessment = CaseAssessment.model_validate(
                {k: v for k, v in data.items() if v is not None}, context=self.context.validation
            )
        except ValidationError as exc:
            for err in exc.errors():
                loc = err.get("loc", ())
                name = str(loc[0]) if loc else "audit_ref"
                if name != "answers":
                    errors.setdefault(name, friendly(dict(err)))
            return None, errors
        return (None, errors) if errors else (assessment, {})

    def _show(self, errors: dict[str, str]) -> None:
        for node in self.query(".form-error"):
            name = (node.id or "").removeprefix("ae-")
            if node.id and node.id.startswith("ae-"):
                cast(Static, node).update(errors.get(name, ""))
                node.display = name in errors

    def action_save(self) -> None:
        """Save if the form is valid; otherwise show what is wrong."""
        assessment, errors = self.build()
        self._show(errors)
        if assessment is None:
            self._banner(f"Not saved: {len(errors)} field(s) need attention.")
            return
        self.query_one("#assessment-save", Button).disabled = True
        self.save(assessment)

    @work(thread=True, exclusive=True, group="assessment-save", exit_on_error=False)
    def save(self, assessment: CaseAssessment) -> None:
        """Write the assessment; errors come back as a message."""
        from db import assessments_store
        from db.connection import StoreError

        app = cast("LeapApp", self.app)
        try:
            with app.connect() as db:
                stored = assessments_store.save_case_assessment(
                    db, assessment, today=self.context.today
                )
        except (sqlite3.Error, StoreError, ValidationError, OSError) as exc:
            self.post_message(AssessmentSaved(None, f"Could not save: {exc}"))
            return
        self.post_message(AssessmentSaved(stored))

    @on(AssessmentSaved)
    def saved(self, message: AssessmentSaved) -> None:
        if message.assessment is not None:
            self.dismiss(message.assessment)
            return
        self.query_one("#assessment-save", Button).disabled = False
        self._banner(message.error)

    def _banner(self, text: str) -> None:
        banner = self.query_one("#assessment-banner", Static)
        banner.update(text)
        banner.display = bool(text)

    @on(Button.Pressed)
    def pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "assessment-save":
            self.action_save()
        elif event.button.id == "assessment-cancel":
            self.action_cancel()

    def action_cancel(self) -> None:
        """Close without saving."""
        self.dismiss(None)
