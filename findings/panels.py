"""A LEAP panel: its date, chair, the period it covers, and what it decided."""

from __future__ import annotations

import uuid
from datetime import date
from enum import StrEnum

from pydantic import Field, model_validator

from findings.models import LeapModel


class PanelStatus(StrEnum):
    """Whether the panel has met yet."""

    PLANNED = "planned"
    HELD = "held"


class PanelDecision(LeapModel):
    """One decision the panel recorded."""

    id: uuid.UUID = Field(default_factory=uuid.uuid4)
    text: str = Field(min_length=1, max_length=5000)


class Panel(LeapModel):
    """A bimonthly Learning, Effectiveness and Accountability Panel."""

    id: uuid.UUID = Field(default_factory=uuid.uuid4)
    held_on: date
    chair: str = ""
    period_start: date
    period_end: date
    status: PanelStatus = PanelStatus.PLANNED
    attendees: list[str] = Field(default_factory=list)
    minutes: str = ""
    decisions: list[PanelDecision] = Field(default_factory=list)

    @model_validator(mode="after")
    def _period_order(self) -> Panel:
        if self.period_start > self.period_end:
            raise ValueError("period_start is after period_end")
        return self


class PanelItemKind(StrEnum):
    """What a chair can mark for the panel's discussion."""

    FINDING = "finding"
    THEME = "theme"


class PanelItem(LeapModel):
    """A finding or theme the chair marked for the panel to discuss."""

    kind: PanelItemKind
    ref: str = Field(min_length=1, max_length=200)
    note: str = Field(default="", max_length=2000)


class FindingRef(LeapModel):
    """A finding as the briefing's appendix cites it: by reference only, never by person."""

    id: uuid.UUID
    source_type: str
    source_ref: str
    event_date: date
    pdu: str
    polarity: str
    themes: list[str] = Field(default_factory=list)

    @property
    def short_ref(self) -> str:
        """The first eight characters of the finding's id (enough to find it in leap)."""
        return str(self.id)[:8]


class FindingText(LeapModel):
    """A finding's words, for quoting once redacted (the CRN is kept only to redact it)."""

    id: uuid.UUID
    source_type: str
    pdu: str
    event_date: date
    stage: str
    summary: str
    narrative: str
    crn: str | None = None


class QuestionTally(LeapModel):
    """Answers to one key question in one PDU over a period."""

    pdu: str
    question: str
    yes: int = 0
    no: int = 0
    not_applicable: int = 0

    @property
    def answered(self) -> int:
        """Cases where the question applied (Yes or No)."""
        return self.yes + self.no
