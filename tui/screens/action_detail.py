"""One learning action in full: what, who, where it came from, its log, history and impact."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, cast

from rich.markup import escape
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Static

from tui.chrome import KeysFooter, TitleBar
from tui.css import SECTIONS_CSS

if TYPE_CHECKING:
    import sqlite_utils

    from db.history import HistoryEntry
    from findings.actions import ActionUpdate, Escalation, ImpactResult, LearningAction
    from tui.app import LeapApp


@dataclass(frozen=True)
class ActionDetail:
    """Everything the detail view shows, loaded by a worker."""

    action: LearningAction | None
    escalation: Escalation | None
    days_overdue: int
    updates: list[ActionUpdate]
    history: list[HistoryEntry]
    impact: ImpactResult | None
    warnings: list[str]
    theme_names: dict[str, str]
    scope_name: str
    source: str


class DetailLoaded(Message):
    """The worker loaded one action's detail."""

    def __init__(self, detail: ActionDetail) -> None:
        super().__init__()
        self.detail = detail


class ActionDetailScreen(Screen[None]):
    """Everything recorded about one action, with the keys that change it."""

    CSS_PATH = SECTIONS_CSS

    BINDINGS = [
        Binding("escape", "app.pop_screen", "Back", tooltip="Back to the list", id="action.back"),
        Binding("s", "set_status", "Status", tooltip="Change the status", id="action.status"),
        Binding("u", "add_note", "Note", tooltip="Add an update note", id="action.note"),
        Binding("d", "change_due", "Due date", tooltip="Change the due date", id="action.due"),
    ]

    def __init__(self, action_id: str) -> None:
        super().__init__()
        self.action_id = action_id
        self.action: LearningAction | None = None

    @property
    def leap(self) -> LeapApp:
        return cast("LeapApp", self.app)

    def compose(self) -> ComposeResult:
        yield TitleBar()
        with VerticalScroll(id="action-detail"):
            yield Static("Loading…", id="action-body")
        yield KeysFooter()

    def on_mount(self) -> None:
        self.load()

    @work(thread=True, exclusive=True, group="action-detail", exit_on_error=False)
    def load(self) -> None:
        """Load the action, its log, history and impact off the UI thread."""
        from db.actions_impact import measure_impact
        from db.actions_store import (
            action_regions,
            action_updates,
            action_warnings,
            get_action,
            panel_dates,
        )
        from db.history import history_for
        from db.reference import pdu_names, theme_names
        from findings.actions import days_overdue, escalation

        today = self.leap.today
        with self.leap.connect() as db:
            action = get_action(db, self.action_id)
            # Its own region's panels and findings in a file of more than one region.
            region = action_regions(db, [action])[str(action.id)] if action else None
            dates = panel_dates(db, until=today, region=region)
            detail = ActionDetail(
                action=action,
                escalation=escalation(action, today, dates) if action else None,
                days_overdue=days_overdue(action, today) if action else 0,
                updates=action_updates(db, self.action_id),
                history=history_for(db, "action", self.action_id),
                impact=measure_impact(db, action, today=today, region=region) if action else None,
                warnings=action_warnings(db, action) if action else [],
                theme_names=theme_names(db),
                source=_source_label(db, action),
                scope_name=(
                    "Region-wide"
                    if not action or action.scope == "region"
                    else pdu_names(db).get(action.scope, action.scope)
                ),
            )
        self.post_message(DetailLoaded(detail))

    @on(DetailLoaded)
    def show(self, message: DetailLoaded) -> None:
        body = self.query_one("#action-body", Static)
        detail = message.detail
        self.action = action = detail.action
        if action is None:
            body.update("This action no longer exists.")
            return
        parts = [f"[b]{escape(action.title)}[/b]", ""]
        for warning in detail.warnings:
            parts.append(f"[b $error]⚠ {escape(warning)}[/]")
        if detail.warnings:
            parts.append("")
        urgency = ""
        if detail.escalation is not None and detail.escalation.label:
            urgency = f"  [b $warning]{detail.escalation.label}[/]"
            if detail.days_overdue:
                urgency += f" ({detail.days_overdue} days overdue)"
        themes = ", ".join(detail.theme_names.get(t, t) for t in action.themes) or "none"
        source = detail.source
        parts += [
            f"Status: {action.status.label}{urgency}",
            f"Owner: {escape(action.owner)}    Scope: {escape(detail.scope_name)}",
            f"Created {action.created_on.isoformat()} · due {action.due_date.isoformat()}",
            f"Themes: {escape(themes)}",
            f"From: {escape(source)}",
        ]
        if action.description:
            parts += ["", escape(action.description)]
        if action.completed_on:
            parts += [
                "",
                f"[b]Completed {action.completed_on.isoformat()}[/b]. Evidence:",
                escape(action.evidence or ""),
            ]
        parts += ["", "[b]Did it work?[/b]"]
        if detail.impact is not None:
            parts.append(escape(detail.impact.summary()))
        elif action.status.value == "done":
            parts.append("No themes attached, so the impact cannot be measured.")
        else:
            parts.append("Measured once the action is done, over 90 days either side.")
        parts += ["", "[b]Log[/b]"]
        for update in detail.updates:
            when = update.at.strftime("%Y-%m-%d %H:%M")
            parts.append(f"{when}  {escape(update.actor)}: {escape(update.describe())}")
        parts += ["", "[b]History[/b]"]
        for entry in detail.history:
            when = entry.at.strftime("%Y-%m-%d %H:%M")
            parts.append(f"{when}  {escape(entry.actor)}  {entry.action}")
        body.update("\n".join(parts))

    def _after_change(self, result: object | None) -> None:
        if result is not None:
            self.notify("Saved.", timeout=2)
            self.load()

    def action_set_status(self) -> None:
        """Change this action's status (done needs evidence)."""
        from tui.screens.action_changes import StatusFormScreen

        if self.action is not None:
            self.app.push_screen(
                StatusFormScreen(self.action, today=self.leap.today), self._after_change
            )

    def action_add_note(self) -> None:
        """Add an update note to this action."""
        from tui.screens.action_changes import NoteFormScreen

        if self.action is not None:
            self.app.push_screen(NoteFormScreen(self.action), self._after_change)

    def action_change_due(self) -> None:
        """Move this action's due date, giving a reason."""
        from tui.screens.action_changes import DueDateFormScreen

        if self.action is not None and self.action.status.is_live:
            self.app.push_screen(DueDateFormScreen(self.action), self._after_change)


def _source_label(db: sqlite_utils.Database, action: LearningAction | None) -> str:
    """Where the action came from, in words."""
    if action is None or not action.source_kind:
        return "not recorded"
    ref = action.source_ref or ""
    if action.source_kind == "theme":
        row = db.execute("SELECT name FROM themes WHERE slug = ?", [ref]).fetchone()
        return f"theme: {row[0] if row else ref}"
    if action.source_kind == "finding":
        row = db.execute(
            "SELECT source_ref, summary, deleted_at FROM findings WHERE id = ?", [ref]
        ).fetchone()
        if row is None:
            return f"finding {ref} (no longer exists)"
        return f"finding {row[0]}: {row[1]}" + (" (deleted)" if row[2] else "")
    if action.source_kind == "panel_decision":
        row = db.execute(
            "SELECT p.held_on, d.text FROM panel_decisions d JOIN panels p ON p.id = d.panel_id "
            "WHERE d.id = ?",
            [str(action.decision_id or ref)],
        ).fetchone()
        return f"panel of {row[0]}: {row[1]}" if row else "a panel decision"
    return f"{action.source_kind} {ref}".strip()
