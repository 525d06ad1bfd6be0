"""What a user asks for when finding findings again: filters, text query, sort order."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from pydantic import Field, model_validator

from findings.models import LeapModel, Level, Polarity, Rosh, SourceType, Stage
from findings.sorting import SortKey

__all__ = ["FindingFilter", "SortKey"]


class FindingFilter(LeapModel):
    """A set of filters over findings; empty lists mean 'any'."""

    text: str = Field(default="", max_length=1000)
    source_types: list[SourceType] = Field(default_factory=list)
    pdus: list[str] = Field(default_factory=list)
    regions: list[str] = Field(default_factory=list)
    stages: list[Stage] = Field(default_factory=list)
    themes: list[str] = Field(default_factory=list)
    levels: list[Level] = Field(default_factory=list)
    polarity: Polarity | None = None
    rosh: list[Rosh] = Field(default_factory=list)
    date_from: date | None = None
    date_to: date | None = None
    include_deleted: bool = False
    only_deleted: bool = False

    @model_validator(mode="after")
    def _date_order(self) -> FindingFilter:
        if self.date_from and self.date_to and self.date_from > self.date_to:
            raise ValueError(
                f"the from date ({self.date_from:%Y-%m-%d}) is after the to date "
                f"({self.date_to:%Y-%m-%d})"
            )
        return self

    def is_empty(self) -> bool:
        """True when nothing narrows the findings down."""
        return self == FindingFilter()

    def describe(
        self,
        pdu_names: Mapping[str, str] | None = None,
        theme_names: Mapping[str, str] | None = None,
    ) -> str:
        """A short human description of the active filters; PDUs and themes by their names
        when given (codes otherwise)."""
        pdu_names = pdu_names or {}
        theme_names = theme_names or {}
        parts: list[str] = []
        if self.text:
            # A quoted phrase shows its own quotes: text "face value", not text ""face value"".
            parts.append(f"text {self.text}" if '"' in self.text else f'text "{self.text}"')
        if self.source_types:
            parts.append("source " + ", ".join(s.label for s in self.source_types))
        if self.regions:
            parts.append("region " + ", ".join(self.regions))
        if self.pdus:
            parts.append("PDU " + ", ".join(pdu_names.get(p, p) for p in self.pdus))
        if self.stages:
            parts.append("stage " + ", ".join(s.label for s in self.stages))
        if self.themes:
            parts.append("theme " + ", ".join(theme_names.get(t, t) for t in self.themes))
        if self.levels:
            parts.append("level " + ", ".join(level.label for level in self.levels))
        if self.polarity:
            parts.append(self.polarity.value)
        if self.rosh:
            parts.append("RoSH " + ", ".join(r.label for r in self.rosh))
        if self.date_from or self.date_to:
            start = self.date_from.isoformat() if self.date_from else "…"
            end = self.date_to.isoformat() if self.date_to else "…"
            parts.append(f"{start} to {end}")
        if self.only_deleted:
            parts.append("deleted only")
        return "; ".join(parts) if parts else "all findings"
