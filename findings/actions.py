"""Learning actions: what a panel agreed to do about a theme, until evidence shows it worked."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from pydantic import Field, field_validator, model_validator

from findings.models import MAX_SHORT, LeapModel, clean_text


class ActionStatus(StrEnum):
    """Where a learning action stands."""

    OPEN = "open"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    CANCELLED = "cancelled"

    @property
    def label(self) -> str:
        return self.value.replace("_", " ").capitalize()


class LearningAction(LeapModel):
    """An action agreed to address one or more themes, with its owner, due date and evidence."""

    id: uuid.UUID = Field(default_factory=uuid.uuid4)
    title: str = Field(min_length=1, max_length=MAX_SHORT)
    description: str = Field(default="", max_length=20_000)
    owner: str = Field(min_length=1, max_length=MAX_SHORT)
    scope: str = "region"
    themes: list[str] = Field(default_factory=list)
    source_kind: str | None = None
    source_ref: str | None = None
    panel_id: uuid.UUID | None = None
    decision_id: uuid.UUID | None = None
    created_on: date
    due_date: date
    status: ActionStatus = ActionStatus.OPEN
    completed_on: date | None = None
    evidence: str | None = None
    version: int = Field(default=1, ge=1)

    @field_validator("title", "owner", "scope", mode="before")
    @classmethod
    def _single_line(cls, value: object) -> object:
        return clean_text(value, multiline=False) if isinstance(value, str) else value

    @model_validator(mode="after")
    def _consistent(self) -> LearningAction:
        if self.due_date < self.created_on:
            raise ValueError("due_date is before the date the action was created")
        if self.status is ActionStatus.DONE:
            if not (self.evidence or "").strip():
                raise ValueError("evidence of completion is required to mark an action done")
            if self.completed_on is None:
                raise ValueError("completed_on is required to mark an action done")
        return self


class Escalation(StrEnum):
    """How urgent an open action is, following the panel cycle."""

    NONE = "none"
    DUE_SOON = "due_soon"  # due within 14 days
    OVERDUE = "overdue"
    OVERDUE_TWO_PANELS = (
        "overdue_two_panels"  # overdue at two panels in a row: listed for the chair
    )


@dataclass(frozen=True)
class ActionLine:
    """One learning action as a briefing or a list shows it."""

    id: str
    title: str
    owner: str
    scope: str
    themes: tuple[str, ...]
    status: ActionStatus
    due_date: date
    escalation: Escalation
    days_overdue: int = 0
    completed_on: date | None = None
    evidence: str | None = None
    impact_summary: str | None = None


@dataclass(frozen=True)
class ActionsDigest:
    """The learning actions a panel looks at: overdue, due before the next panel, completed."""

    overdue: list[ActionLine] = field(default_factory=list)
    due: list[ActionLine] = field(default_factory=list)
    completed: list[ActionLine] = field(default_factory=list)
