"""Learning actions: what a panel agreed to do about a theme, until evidence shows it worked."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from enum import StrEnum

from pydantic import Field, field_validator, model_validator

from findings.models import MAX_SHORT, LeapModel, clean_text

DUE_SOON_DAYS = 14
"""An open action due within this many days is marked 'due soon'."""

PANEL_CYCLE_DAYS = 61
"""LEAPs meet bimonthly; used only when fewer than two panels are on record."""

IMPACT_WINDOW_DAYS = 90
"""Length of the before and after windows an action's impact is judged over."""

MIN_FINDINGS_TO_JUDGE = 10
"""Below this many findings in either window, a rate says too little to judge."""


class ActionStatus(StrEnum):
    """Where a learning action stands."""

    OPEN = "open"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    CANCELLED = "cancelled"

    @property
    def label(self) -> str:
        return self.value.replace("_", " ").capitalize()

    @property
    def is_live(self) -> bool:
        """Still to be done (open or in progress)."""
        return self in (ActionStatus.OPEN, ActionStatus.IN_PROGRESS)


class ActionSource(StrEnum):
    """Where an action came from (other kinds are kept as given)."""

    PANEL_DECISION = "panel_decision"
    FINDING = "finding"
    THEME = "theme"


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

    @field_validator("description", "evidence", mode="before")
    @classmethod
    def _multi_line(cls, value: object) -> object:
        return clean_text(value, multiline=True) if isinstance(value, str) else value

    @field_validator("owner")
    @classmethod
    def _owner_named(cls, value: str) -> str:
        if not value:
            raise ValueError("name the owner (a role or a person)")
        return value

    @field_validator("themes")
    @classmethod
    def _unique_themes(cls, value: list[str]) -> list[str]:
        return list(dict.fromkeys(v.strip() for v in value if v.strip()))

    @model_validator(mode="after")
    def _consistent(self) -> LearningAction:
        problem = due_date_problem(self.due_date, self.created_on)
        if problem:
            raise ValueError(problem)
        if self.status is ActionStatus.DONE:
            if not (self.evidence or "").strip():
                raise ValueError("evidence of completion is required to mark an action done")
            if self.completed_on is None:
                raise ValueError("completed_on is required to mark an action done")
        if self.completed_on is not None and self.completed_on < self.created_on:
            raise ValueError(
                f"the completion date {self.completed_on.isoformat()} is before the action "
                f"was created ({self.created_on.isoformat()})"
            )
        return self


def due_date_problem(due_date: date, created_on: date) -> str | None:
    """Why a due date cannot stand (it is before the action was created), or None."""
    if due_date < created_on:
        return (
            f"the due date {due_date.isoformat()} is before the date the action was created "
            f"({created_on.isoformat()})"
        )
    return None


class UpdateKind(StrEnum):
    """What one entry of an action's update log records."""

    CREATED = "created"
    STATUS = "status"
    NOTE = "note"
    DUE_DATE = "due_date"
    THEME_MOVED = "theme_moved"
    EDITED = "edited"


@dataclass(frozen=True)
class ActionUpdate:
    """One entry of an action's update log: a note, a status change, a new due date..."""

    at: datetime
    actor: str
    kind: UpdateKind
    text: str = ""
    old_value: str | None = None
    new_value: str | None = None

    def describe(self) -> str:
        """The entry in words, as the history shows it."""
        if self.kind is UpdateKind.DUE_DATE:
            return f"Due date {self.old_value} → {self.new_value}: {self.text}"
        if self.kind is UpdateKind.STATUS:
            old = ActionStatus(self.old_value).label if self.old_value else "?"
            new = ActionStatus(self.new_value).label if self.new_value else "?"
            return f"Status {old} → {new}" + (f": {self.text}" if self.text else "")
        if self.kind is UpdateKind.THEME_MOVED:
            return f"Theme {self.old_value} merged into {self.new_value}"
        if self.kind is UpdateKind.CREATED:
            return "Created" + (f": {self.text}" if self.text else "")
        return self.text


class Escalation(StrEnum):
    """How urgent an open action is, following the panel cycle."""

    NONE = "none"
    DUE_SOON = "due_soon"  # due within 14 days
    OVERDUE = "overdue"
    OVERDUE_TWO_PANELS = (
        "overdue_two_panels"  # overdue at two panels in a row: listed for the chair
    )

    @property
    def label(self) -> str:
        return ESCALATION_LABELS[self]


ESCALATION_LABELS: dict[Escalation, str] = {
    Escalation.NONE: "",
    Escalation.DUE_SOON: "Due soon",
    Escalation.OVERDUE: "Overdue",
    Escalation.OVERDUE_TWO_PANELS: "Overdue at 2 panels: for the chair",
}


def days_overdue(action: LearningAction, today: date) -> int:
    """Days past the due date of a live action (0 if not overdue, done or cancelled)."""
    if not action.status.is_live or action.due_date >= today:
        return 0
    return (today - action.due_date).days


def escalation(action: LearningAction, today: date, panel_dates: Sequence[date]) -> Escalation:
    """How urgent a live action is today, following the panel cycle.

    - due within ``DUE_SOON_DAYS`` days (today included): ``DUE_SOON``;
    - past its due date: ``OVERDUE``;
    - already overdue at the previous panel and still overdue at the latest one (and today):
      ``OVERDUE_TWO_PANELS``, which lists it for the chair. Panels after ``today`` are ignored.
      With fewer than two panels on record the bimonthly cycle is assumed: an action overdue by
      two full cycles (``2 * PANEL_CYCLE_DAYS`` days) has certainly passed two panels.
    """
    if not action.status.is_live:
        return Escalation.NONE
    if action.due_date >= today:
        if (action.due_date - today).days <= DUE_SOON_DAYS:
            return Escalation.DUE_SOON
        return Escalation.NONE
    held = sorted(d for d in set(panel_dates) if d <= today)
    if len(held) >= 2:
        previous = held[-2]
        if action.due_date < previous:
            return Escalation.OVERDUE_TWO_PANELS
        return Escalation.OVERDUE
    if (today - action.due_date).days >= 2 * PANEL_CYCLE_DAYS:
        return Escalation.OVERDUE_TWO_PANELS
    return Escalation.OVERDUE


@dataclass(frozen=True)
class ActionFilter:
    """What the actions list is narrowed to; empty fields mean 'any'."""

    owner: str = ""
    statuses: tuple[ActionStatus, ...] = ()
    theme: str = ""
    scope: str = ""
    region: str = ""
    overdue_only: bool = False

    def describe(self) -> str:
        """The filter in words for a status line."""
        parts = []
        if self.overdue_only:
            parts.append("overdue only")
        if self.owner:
            parts.append(f"owner contains '{self.owner}'")
        if self.statuses:
            parts.append("status " + " or ".join(s.label.lower() for s in self.statuses))
        if self.theme:
            parts.append(f"theme {self.theme}")
        if self.scope:
            parts.append(f"scope {self.scope}")
        if self.region:
            parts.append(f"region {self.region}")
        return ", ".join(parts) if parts else "all actions"


class ImpactVerdict(StrEnum):
    """What the before/after comparison of a done action says."""

    TOO_EARLY = "too_early"
    TOO_FEW = "too_few"
    FELL = "fell"
    ROSE = "rose"
    NO_CHANGE = "no_change"


@dataclass(frozen=True)
class ImpactResult:
    """How often a done action's themes appeared before and after it was completed."""

    completed_on: date
    window_days: int
    before_start: date
    after_end: date
    before_findings: int
    before_with_themes: int
    after_findings: int
    after_with_themes: int
    verdict: ImpactVerdict
    days_to_go: int = 0

    @property
    def before_rate(self) -> float | None:
        """Findings showing the themes per 100 weakness findings, before completion."""
        return _rate(self.before_with_themes, self.before_findings)

    @property
    def after_rate(self) -> float | None:
        """Findings showing the themes per 100 weakness findings, after completion."""
        return _rate(self.after_with_themes, self.after_findings)

    @property
    def judged(self) -> bool:
        """True when the comparison says something (fell, rose or no change)."""
        return self.verdict in (ImpactVerdict.FELL, ImpactVerdict.ROSE, ImpactVerdict.NO_CHANGE)

    def rates_text(self) -> str:
        """Both rates with the counts behind them."""
        return (
            f"{_fmt_rate(self.before_rate)} per 100 before "
            f"({self.before_with_themes} of {self.before_findings} findings) vs "
            f"{_fmt_rate(self.after_rate)} after "
            f"({self.after_with_themes} of {self.after_findings})"
        )

    def summary(self) -> str:
        """The impact in words, with the figures behind it."""
        if self.verdict is ImpactVerdict.TOO_EARLY:
            return (
                f"Too early to judge: the {self.window_days}-day window after completion ends "
                f"{self.after_end.isoformat()}, {self.days_to_go} days to go."
            )
        if self.verdict is ImpactVerdict.TOO_FEW:
            return (
                f"Too few findings to judge (fewer than {MIN_FINDINGS_TO_JUDGE} in a window): "
                f"{self.rates_text()}."
            )
        words = {
            ImpactVerdict.FELL: "Fell after completion",
            ImpactVerdict.ROSE: "Rose after completion",
            ImpactVerdict.NO_CHANGE: "No clear change",
        }[self.verdict]
        return f"{words}: {self.rates_text()}, {self.window_days} days either side."


def _rate(hits: int, total: int) -> float | None:
    return None if total == 0 else 100.0 * hits / total


def _fmt_rate(rate: float | None) -> str:
    return "–" if rate is None else f"{rate:.1f}"


def impact_windows(completed_on: date, window_days: int) -> tuple[date, date, date, date]:
    """(before_start, before_end, after_start, after_end), end dates inclusive.

    Before is the ``window_days`` days up to the day before completion; after is the
    ``window_days`` days from the completion day.
    """
    before_start = completed_on - timedelta(days=window_days)
    before_end = completed_on - timedelta(days=1)
    after_end = completed_on + timedelta(days=window_days - 1)
    return before_start, before_end, completed_on, after_end


def assess_impact(
    *,
    completed_on: date,
    today: date,
    before_findings: int,
    before_with_themes: int,
    after_findings: int,
    after_with_themes: int,
    window_days: int = IMPACT_WINDOW_DAYS,
) -> ImpactResult:
    """Judge a done action from the counts in the windows before and after completion.

    Too early until the after window is over; too few findings when either window holds fewer
    than ``MIN_FINDINGS_TO_JUDGE``; otherwise the rates (per 100 weakness findings) fell or
    rose when they moved by at least a fifth of the earlier rate and at least one point, and
    showed no clear change otherwise.
    """
    before_start, _, _, after_end = impact_windows(completed_on, window_days)
    days_to_go = 0
    if today <= after_end:
        verdict = ImpactVerdict.TOO_EARLY
        days_to_go = (after_end - today).days + 1
    elif min(before_findings, after_findings) < MIN_FINDINGS_TO_JUDGE:
        verdict = ImpactVerdict.TOO_FEW
    else:
        before = 100.0 * before_with_themes / before_findings
        change = 100.0 * after_with_themes / after_findings - before
        if abs(change) >= max(1.0, 0.2 * before):
            verdict = ImpactVerdict.FELL if change < 0 else ImpactVerdict.ROSE
        else:
            verdict = ImpactVerdict.NO_CHANGE
    return ImpactResult(
        completed_on=completed_on,
        window_days=window_days,
        before_start=before_start,
        after_end=after_end,
        before_findings=before_findings,
        before_with_themes=before_with_themes,
        after_findings=after_findings,
        after_with_themes=after_with_themes,
        verdict=verdict,
        days_to_go=days_to_go,
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


def action_line(
    action: LearningAction,
    today: date,
    panel_dates: Sequence[date],
    impact: ImpactResult | None = None,
) -> ActionLine:
    """The list/briefing line of one action, with its escalation and impact in words."""
    return ActionLine(
        id=str(action.id),
        title=action.title,
        owner=action.owner,
        scope=action.scope,
        themes=tuple(action.themes),
        status=action.status,
        due_date=action.due_date,
        escalation=escalation(action, today, panel_dates),
        days_overdue=days_overdue(action, today),
        completed_on=action.completed_on,
        evidence=action.evidence,
        impact_summary=impact.summary() if impact else None,
    )


@dataclass(frozen=True)
class ActionsDigest:
    """The learning actions a panel looks at: overdue, due before the next panel, completed."""

    overdue: list[ActionLine] = field(default_factory=list)
    due: list[ActionLine] = field(default_factory=list)
    completed: list[ActionLine] = field(default_factory=list)
    impact_judged: list[ActionLine] = field(default_factory=list)
    """Actions completed earlier whose after-window ended within the period: now judgeable."""

    @property
    def for_the_chair(self) -> list[ActionLine]:
        """Overdue actions that were already overdue at the previous panel."""
        return [a for a in self.overdue if a.escalation is Escalation.OVERDUE_TWO_PANELS]
