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
