"""The learning actions list: escalation at a glance, filters, and every change an owner makes."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, cast

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.message import Message
from textual.reactive import reactive
from textual.screen import Screen
from textual.widgets import DataTable, Static

from findings.actions import (
    ActionFilter,
    ActionLine,
    ActionStatus,
    Escalation,
    LearningAction,
)
from findings.theme_names import short_name, theme_list
from tui.chrome import KeysFooter, TitleBar
from tui.columns import TableColumn
from tui.css import SECTIONS_CSS
from tui.fitted_table import FittedTable

if TYPE_CHECKING:
    from tui.app import LeapApp

WIDE = 140
"""From this terminal width the themes column is shown (below it, titles and owners need the
room)."""

COLUMNS = (
    TableColumn("due", "Due", 10),
    TableColumn("status", "Status", 11),
    TableColumn("escalation", "Escalation", 12),
    TableColumn("title", "Title", 20, grow=5, most=80),
    TableColumn("owner", "Owner", 12, grow=2, most=40),
)
"""The list's columns on a terminal narrower than ``WIDE``; titles and owners share the slack."""
WIDE_COLUMNS = (*COLUMNS, TableColumn("themes", "Themes", 16, grow=3))


@dataclass(frozen=True)
class ActionView:
    """One action with its list line (escalation) and any warnings about what it points at."""

    action: LearningAction
    line: ActionLine
    warnings: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class ActionsPage:
    """Everything the list shows, loaded by a worker."""

    views: list[ActionView]
    owners: list[str]
    themes: list[tuple[str, str]]
    pdus: list[tuple[str, str]]


class ActionsLoaded(Message):
    """A worker loaded the actions list."""

    def __init__(self, page: ActionsPage) -> None:
        super().__init__()
        self.page = page


class ActionsFailed(Message):
    """A worker could not load the actions; the message says why."""

    def __init__(self, error: str) -> None:
        super().__init__()
        self.error = error


def escalation_cell(line: ActionLine, variables: dict[str, str]) -> Text:
    """The escalation column in the theme's error / warning / success colours."""
    error = variables.get("error", "red")
    warning = variables.get("warning", "yellow")
    if line.escalation is Escalation.OVERDUE_TWO_PANELS:
        return Text(f"⚑ CHAIR {line.days_overdue}d", style=f"bold reverse {error}")
    if line.escalation is Escalation.OVERDUE:
        return Text(f"Overdue {line.days_overdue}d", style=f"bold {error}")
    if line.escalation is Escalation.DUE_SOON:
        return Text("Due soon", style=f"bold {warning}")
    if line.status is ActionStatus.DONE and line.completed_on:
        return Text(f"✓ {line.completed_on.isoformat()}", style=variables.get("success", ""))
    return Text("")


class ActionsScreen(Screen[None]):
    """Every learning action: overdue ones highlighted, due-soon ones marked."""

    CSS_PATH = SECTIONS_CSS

    BINDINGS = [
        Binding("n", "new_action", "New", tooltip="Create a learning action", id="actions.new"),
        Binding("s", "set_status", "Status", tooltip="Change the status", id="actions.status"),
        Binding("u", "add_note", "Note", tooltip="Add an update note", id="actions.note"),
        Binding(
            "d", "change_due", "Due date", tooltip="Change the due date (with a reason)",
            id="actions.due",
        ),
        Binding(
            "f", "filter", "Filter", tooltip="Filter by owner, status, theme and scope",
            id="actions.filter",
        ),
        Binding(
            "o", "toggle_overdue", "Overdue", tooltip="Show only overdue actions (or all)",
            id="actions.overdue",
        ),
        Binding(
            "w", "did_it_work", "Did it work?", tooltip="Impact of every completed action",
            id="actions.impact",
        ),
        Binding(
            "enter", "open_action", "Open", tooltip="Show the action, its log and impact",
            id="actions.open", show=False,
        ),
        Binding(
            "escape", "clear_filter", "Clear filter", tooltip="Show every action",
            id="actions.clear", show=False,
        ),
        Binding(
            "ctrl+r", "reload", "Reload", tooltip="Reload actions from the database",
            id="actions.reload", show=False,
        ),
    ]  # fmt: skip

    filter: reactive[ActionFilter] = reactive(ActionFilter)
    """What the list is narrowed to."""

    def __init__(self) -> None:
        super().__init__()
        self.page: ActionsPage | None = None
        self.wide: bool | None = None

    @property
    def leap(self) -> LeapApp:
        return cast("LeapApp", self.app)

    def compose(self) -> ComposeResult:
        yield TitleBar()
        yield Static("Opening the database…", id="actions-status")
        yield FittedTable(id="actions-table")
        yield KeysFooter()

    def on_mount(self) -> None:
        self.query_one("#actions-table", DataTable).focus()
        if self.leap.db_ready:
            self.load_actions()

    def on_database_ready(self) -> None:
        self.load_actions()

    def on_screen_resume(self) -> None:
        if self.leap.db_ready and self.page is not None:
            self.load_actions()

    def on_resize(self) -> None:
        if self.page is not None and self.wide != (self.size.width >= WIDE):
            self.show_page(ActionsLoaded(self.page))

    @work(thread=True, exclusive=True, group="actions-list", exit_on_error=False)
    def load_actions(self) -> None:
        """Load the filtered actions, their escalation and warnings off the UI thread."""
        from db.actions_impact import action_lines
        from db.actions_store import list_actions, list_owners, warnings_by_action
        from db.reference import list_pdus, list_themes

        flt, today = self.filter, self.leap.today
        try:
            with self.leap.connect() as db:
                actions = list_actions(db, flt, today=today)
                lines = action_lines(db, actions, today=today)
                warnings = warnings_by_action(db, actions)
                page = ActionsPage(
                    views=[
                        ActionView(a, line, warnings.get(str(a.id), []))
                        for a, line in zip(actions, lines, strict=True)
                    ],
                    owners=list_owners(db),
                    themes=[(t.name, t.slug) for t in list_themes(db, include_inactive=True)],
                    pdus=[(p.name, p.code) for p in list_pdus(db)],
                )
        except Exception as exc:  # noqa: BLE001 - reported on screen
            self.post_message(ActionsFailed(str(exc)))
            return
        self.post_message(ActionsLoaded(page))

    def _columns(self, table: FittedTable) -> None:
        self.wide = self.size.width >= WIDE
        table.set_columns(WIDE_COLUMNS if self.wide else COLUMNS, width=self.size.width)

    @on(ActionsLoaded)
    def show_page(self, message: ActionsLoaded) -> None:
        self.page = page = message.page
        table = self.query_one("#actions-table", FittedTable)
        selected = self.selected_id()
        self._columns(table)
        labels = {slug: short_name(slug, name) for name, slug in page.themes}
        variables = self.app.theme_variables
        for view in page.views:
            line = view.line
            late = line.escalation in (Escalation.OVERDUE, Escalation.OVERDUE_TWO_PANELS)
            style = f"bold {variables.get('error', 'red')}" if late else ""
            title = ("⚠ " if view.warnings else "") + line.title
            cells: list[object] = [
                Text(line.due_date.isoformat(), style=style),
                line.status.label,
                escalation_cell(line, variables),
                Text(title, style="bold" if late else "", overflow="ellipsis"),
                Text(line.owner, overflow="ellipsis"),
            ]
            if self.wide:
                cells.append(Text(theme_list(line.themes, labels), overflow="ellipsis"))
            table.add_row(*cells, key=line.id)
        if selected:
            for index, view in enumerate(page.views):
                if view.line.id == selected:
                    table.move_cursor(row=index)
        self._update_status()

    def _update_status(self) -> None:
        status = self.query_one("#actions-status", Static)
        if self.page is None:
            return
        lines = [v.line for v in self.page.views]
        if not lines:
            status.update(f"No actions match ({self.filter.describe()}). n: new action")
            return
        late = sum(1 for line in lines if line.days_overdue)
        chair = sum(1 for line in lines if line.escalation is Escalation.OVERDUE_TWO_PANELS)
        soon = sum(1 for line in lines if line.escalation is Escalation.DUE_SOON)
        flagged = sum(1 for v in self.page.views if v.warnings)
        status.update(
            f"{len(lines)} actions · {self.filter.describe()} · {late} overdue ({chair} for the "
            f"chair) · {soon} due soon" + (f" · ⚠ {flagged} need attention" if flagged else "")
        )

    @on(ActionsFailed)
    def show_failure(self, message: ActionsFailed) -> None:
        self.query_one("#actions-status", Static).update(f"Could not load actions: {message.error}")

    def selected_id(self) -> str | None:
        """Id of the highlighted action, if any."""
        table = self.query_one("#actions-table", DataTable)
        if not table.row_count:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key
        return str(key.value) if key.value else None

    def selected(self) -> LearningAction | None:
        """The highlighted action as loaded."""
        chosen = self.selected_id()
        if self.page is None or chosen is None:
            return None
        return next((v.action for v in self.page.views if v.line.id == chosen), None)

    def _after_change(self, result: object | None) -> None:
        if result is not None:
            self.notify("Saved.", timeout=2)
            self.load_actions()

    def action_new_action(self) -> None:
        """Create a learning action (from a theme or a finding, if you name one)."""
        from tui.screens.action_form import ActionFormScreen

        self.app.push_screen(ActionFormScreen(today=self.leap.today), self._after_change)

    def action_set_status(self) -> None:
        """Change the highlighted action's status (done needs evidence)."""
        from tui.screens.action_changes import StatusFormScreen

        action = self.selected()
        if action is not None:
            self.app.push_screen(
                StatusFormScreen(action, today=self.leap.today), self._after_change
            )

    def action_add_note(self) -> None:
        """Add an update note to the highlighted action."""
        from tui.screens.action_changes import NoteFormScreen

        action = self.selected()
        if action is not None:
            self.app.push_screen(NoteFormScreen(action), self._after_change)

    def action_change_due(self) -> None:
        """Move the highlighted action's due date, giving a reason."""
        from tui.screens.action_changes import DueDateFormScreen

        action = self.selected()
        if action is not None:
            if not action.status.is_live:
                self.notify(f"The action is {action.status.label.lower()}.", severity="warning")
                return
            self.app.push_screen(DueDateFormScreen(action), self._after_change)

    def action_filter(self) -> None:
        """Narrow the list by owner, status, theme and scope."""
        from tui.screens.action_changes import FilterFormScreen

        page = self.page or ActionsPage([], [], [], [])
        self.app.push_screen(
            FilterFormScreen(self.filter, owners=page.owners, themes=page.themes, pdus=page.pdus),
            self._apply_filter,
        )

    def _apply_filter(self, flt: ActionFilter | None) -> None:
        if flt is not None:
            self.filter = flt
            self.load_actions()

    def action_toggle_overdue(self) -> None:
        """Show only overdue actions, or all again."""
        self._apply_filter(replace(self.filter, overdue_only=not self.filter.overdue_only))

    def action_clear_filter(self) -> None:
        """Show every action again."""
        if self.filter != ActionFilter():
            self._apply_filter(ActionFilter())

    def action_open_action(self) -> None:
        """Open the highlighted action: details, log, history and impact."""
        from tui.screens.action_detail import ActionDetailScreen

        chosen = self.selected_id()
        if chosen:
            self.app.push_screen(ActionDetailScreen(chosen))

    @on(DataTable.RowSelected, "#actions-table")
    def row_selected(self) -> None:
        self.action_open_action()

    def action_did_it_work(self) -> None:
        """Every completed action with its before/after rates."""
        from tui.screens.action_impact import ImpactScreen

        self.app.push_screen(ImpactScreen())

    def action_reload(self) -> None:
        """Reload the list."""
        self.load_actions()
