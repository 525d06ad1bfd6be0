"""LEAP panels: what each panel covers, marking items, recording decisions, writing the briefing."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, cast

from rich.markup import escape
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.message import Message
from textual.screen import Screen
from textual.widgets import DataTable, ProgressBar, Select, Static, TabbedContent, TabPane
from textual.worker import get_current_worker

from findings.theme_names import short_name
from tui.chrome import KeysFooter, TitleBar
from tui.columns import NameOrShort, TableColumn
from tui.css import SECTIONS_CSS
from tui.fitted_table import FittedTable
from tui.screens.panel_forms import (
    DecisionForm,
    DecisionInput,
    HeldForm,
    HeldInput,
    PlanForm,
    PlanInput,
    PlanProposal,
    SaveAsForm,
)

if TYPE_CHECKING:
    import sqlite_utils

    from db.findings_store import FindingRow
    from findings.panels import Panel
    from panels.briefing import Briefing
    from tui.app import LeapApp

FINDINGS_SHOWN = 500
MARK = "✓"
ALL_REGIONS = "__all__"
"""The region selector's value for every region of a national file."""

PANEL_COLUMNS = (
    TableColumn("date", "Date", 10),
    TableColumn("status", "Status", 7),
    TableColumn("chair", "Chair", 18, grow=1, most=48),
    TableColumn("period", "Period", 23),
    TableColumn("decisions", "Dec.", 4),
)
NATIONAL_PANEL_COLUMNS = (
    PANEL_COLUMNS[0],
    TableColumn("region", "Region", 10, grow=1, most=24),
    *PANEL_COLUMNS[1:],
)
"""The panels of a file of more than one region, each with its region."""
SCOPE_THEME_COLUMNS = (
    TableColumn("mark", MARK, 1),
    TableColumn("theme", "Theme", 24, grow=1, most=54),
    TableColumn("count", "Now", 4),
    TableColumn("previous", "Before", 6),
    TableColumn("trend", "Trend", 7),
    TableColumn("recurring", "Recurring", 9),
)
SCOPE_FINDING_COLUMNS = (
    TableColumn("mark", MARK, 1),
    TableColumn("date", "Date", 10),
    TableColumn("source", "Source", 10),
    TableColumn("pdu", "PDU", 11, grow=1, most=24),
    TableColumn("summary", "Summary", 22, grow=5),
)
"""A panel's findings, as the findings list shows them (without the themes)."""


PanelChange = tuple[str | None, str]
"""What a change to panels returns: the panel to show afterwards (or None) and a notice."""


@dataclass(frozen=True)
class Scope:
    """What one panel covers, as loaded by a worker."""

    panel: Panel
    briefing: Briefing
    findings: list[FindingRow]
    more_findings: int
    marked: set[tuple[str, str]] = field(default_factory=set)
    known_themes: set[str] = field(default_factory=set)
    pdu_names: dict[str, str] = field(default_factory=dict)


class PanelsLoaded(Message):
    """The list of panels was loaded."""

    def __init__(
        self,
        panels: list[Panel],
        select: str | None,
        regions: dict[str, str] | None = None,
        panel_regions: dict[str, str] | None = None,
        home: str = "",
        latest: dict[str, tuple[date, str]] | None = None,
    ) -> None:
        super().__init__()
        self.panels = panels
        self.select = select
        self.regions = regions or {}
        """Code to name of every region in the file."""
        self.panel_regions = panel_regions or {}
        """Each panel's (id) region code."""
        self.home = home
        """The code of the file's own region."""
        self.latest = latest or {}
        """Each region's (code) latest panel date and chair, whichever region is listed."""


class ScopeLoaded(Message):
    """A panel's scope was loaded."""

    def __init__(self, scope: Scope) -> None:
        super().__init__()
        self.scope = scope


class PanelsFailed(Message):
    """Something could not be loaded or saved; the message says what."""

    def __init__(self, error: str) -> None:
        super().__init__()
        self.error = error


class BriefProgress(Message):
    """The briefing worker moved on a step."""

    def __init__(self, what: str, fraction: float) -> None:
        super().__init__()
        self.what = what
        self.fraction = fraction


class BriefWritten(Message):
    """The briefing was written (path) or could not be (error)."""

    def __init__(self, path: Path | None, error: str | None = None) -> None:
        super().__init__()
        self.path = path
        self.error = error


class PanelsScreen(Screen[None]):
    """Every LEAP panel; for the selected one, what is in scope and what was decided."""

    CSS_PATH = SECTIONS_CSS

    BINDINGS = [
        Binding(
            "m",
            "toggle_mark",
            "Mark",
            tooltip="Mark the highlighted theme or finding for "
            "the panel's discussion (or unmark it)",
            id="panels.mark",
        ),
        Binding(
            "d",
            "record_decision",
            "Decision",
            tooltip="Record a decision of the selected "
            "panel, optionally creating a learning action",
            id="panels.decision",
        ),
        Binding(
            "n",
            "plan_next",
            "Plan next",
            tooltip="Plan the next panel, two months on",
            id="panels.plan",
        ),
        Binding(
            "h",
            "record_held",
            "Held",
            tooltip="Record the selected panel as held, with attendees and minutes",
            id="panels.held",
        ),
        Binding(
            "b",
            "write_briefing",
            "Briefing",
            tooltip="Write the selected panel's briefing (.docx)",
            id="panels.brief",
        ),
        Binding(
            "ctrl+r",
            "reload",
            "Reload",
            tooltip="Reload panels from the database",
            id="panels.reload",
            show=False,
        ),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.scope: Scope | None = None
        """What the highlighted panel covers, once loaded (a worker loads it after each move)."""
        self.scope_requested: str | None = None
        """The panel (id) whose scope was last asked for: the highlighted one."""
        self.chosen_region: str | None = None
        """In a national file, the one region whose panels are listed (None: all of them)."""
        self.loaded = PanelsLoaded([], None)
        """The panels and regions last loaded."""

    @property
    def panels(self) -> list[Panel]:
        """The panels listed (of the region chosen), as last loaded."""
        return self.loaded.panels

    @property
    def leap(self) -> LeapApp:
        return cast("LeapApp", self.app)

    def compose(self) -> ComposeResult:
        yield TitleBar()
        yield Static("Opening the database…", id="panels-status")
        yield Select(
            [("All regions", ALL_REGIONS)],
            value=ALL_REGIONS,
            allow_blank=False,
            compact=True,
            id="panels-region",
        )
        yield FittedTable(id="panels-table")
        with TabbedContent(id="panel-tabs"):
            with TabPane("Overview", id="tab-overview"), VerticalScroll():
                yield Static("", id="scope-overview")
            with TabPane("Themes", id="tab-themes"):
                yield FittedTable(id="scope-themes", zebra_stripes=False)
            with TabPane("Findings", id="tab-findings"):
                yield FittedTable(id="scope-findings", zebra_stripes=False)
            with TabPane("Decisions", id="tab-decisions"), VerticalScroll():
                yield Static("", id="scope-decisions")
        yield ProgressBar(total=1.0, show_eta=False, id="brief-progress")
        yield KeysFooter()

    def on_mount(self) -> None:
        panels = self.query_one("#panels-table", FittedTable)
        panels.set_columns(PANEL_COLUMNS, width=self.size.width)
        self.query_one("#scope-themes", FittedTable).set_columns(
            SCOPE_THEME_COLUMNS, width=self.size.width
        )
        self.query_one("#scope-findings", FittedTable).set_columns(
            SCOPE_FINDING_COLUMNS, width=self.size.width
        )
        self.query_one("#brief-progress", ProgressBar).display = False
        self.query_one("#panels-region", Select).display = False  # shown in a national file
        panels.focus()
        if self.leap.db_ready:
            self.load_panels()

    def on_database_ready(self) -> None:
        self.load_panels()

    # --- loading ---

    @work(thread=True, exclusive=True, group="panels-list", exit_on_error=False)
    def load_panels(self, select: str | None = None) -> None:
        """Load every panel (of the region chosen) off the UI thread."""
        from db.panels_store import latest_panel_of_each_region, list_panels, panel_regions
        from db.reference import home_region, region_names

        try:
            with self.leap.connect() as db:
                panels = list_panels(db, region=self.chosen_region)
                regions = region_names(db)
                regions_of = panel_regions(db) if len(regions) > 1 else {}
                home = home_region(db)
                latest = latest_panel_of_each_region(db)
        except Exception as exc:  # noqa: BLE001 - reported on screen
            self.post_message(PanelsFailed(str(exc)))
            return
        self.post_message(PanelsLoaded(panels, select, regions, regions_of, home, latest))

    @on(PanelsLoaded)
    def show_panels(self, message: PanelsLoaded) -> None:
        from tui.screens.panel_views import short_period

        self.loaded = message
        self._offer_regions(message.regions)
        highlighted = self.highlighted_id()
        table = self.query_one("#panels-table", DataTable)
        table.clear()
        national = len(message.regions) > 1
        for panel in self.panels:
            code = message.panel_regions.get(str(panel.id), "")
            region_cell = [Text(message.regions.get(code, code), overflow="ellipsis")]
            table.add_row(
                panel.held_on.isoformat(),
                *(region_cell if national else []),
                panel.status.value,
                Text(panel.chair or "–", overflow="ellipsis"),
                short_period(panel.period_start, panel.period_end),
                str(len(panel.decisions)),
                key=str(panel.id),
            )
        table.styles.height = min(len(self.panels), 6) + 1 if self.panels else 2
        # A region without panels shows no other panel's scope.
        self.query_one("#panel-tabs", TabbedContent).display = bool(self.panels)
        if not self.panels:
            self.scope = self.scope_requested = None
            region = self.chosen_region
            self.query_one("#panels-status", Static).update(
                f"No panels of {escape(message.regions.get(region, region))} yet."
                if region
                else "No panels yet. Press n to plan the first one."
            )
            return
        # The panel asked for (one just planned or changed), else the one highlighted before
        # (a panel planned for another region than the one listed is not listed).
        ids = [str(p.id) for p in self.panels]
        wanted = message.select if message.select in ids else highlighted
        index = ids.index(wanted) if wanted in ids else 0
        table.move_cursor(row=index)
        self._show_highlighted(reload=True)

    def _offer_regions(self, regions: dict[str, str]) -> None:
        """In a national file, show the region selector (all regions, then each one)."""
        choice = self.query_one("#panels-region", Select)
        if len(regions) < 2 or choice.display:
            return
        with choice.prevent(Select.Changed):
            options = [("All regions", ALL_REGIONS), *((n, c) for c, n in regions.items())]
            choice.set_options(options)
            choice.value = self.chosen_region or ALL_REGIONS
        choice.display = True
        self.query_one("#panels-table", FittedTable).set_columns(
            NATIONAL_PANEL_COLUMNS, width=self.size.width
        )

    @on(Select.Changed, "#panels-region")
    def _region_chosen(self, event: Select.Changed) -> None:
        self.chosen_region = None if event.value == ALL_REGIONS else str(event.value)
        self.scope = self.scope_requested = None
        self.load_panels()

    def highlighted_id(self) -> str | None:
        """The id of the panel on the highlighted row (None: no panels listed)."""
        table = self.query_one("#panels-table", DataTable)
        if not table.row_count:
            return None
        return table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value

    def _show_highlighted(self, *, reload: bool = False) -> None:
        """Load the highlighted panel's scope, unless it is already loaded or loading."""
        key = self.highlighted_id()
        if key is not None and (reload or key != self.scope_requested):
            self.scope_requested = key
            self.load_scope(key)

    @on(DataTable.RowHighlighted, "#panels-table")
    def panel_highlighted(self) -> None:
        # The cursor, not the event: refilling the table posts events for rows since left.
        self._show_highlighted()

    @work(thread=True, exclusive=True, group="panel-scope", exit_on_error=False)
    def load_scope(self, panel_id: str) -> None:
        """Load what the panel covers (the briefing's figures) and its marked items."""
        from db.findings_store import count_findings, query_findings
        from db.panels_store import get_panel, list_items, panel_scope_region
        from db.reference import list_themes, pdu_names
        from findings.filters import FindingFilter
        from panels.briefing import build_briefing

        try:
            with self.leap.connect() as db:
                panel = get_panel(db, panel_id)
                briefing = build_briefing(db, panel, self.leap.today)
                # In a national file a panel covers its own region's findings only.
                own = panel_scope_region(db, panel.id)
                flt = FindingFilter(
                    date_from=panel.period_start,
                    date_to=panel.period_end,
                    regions=[own] if own is not None else [],
                )
                rows = query_findings(db, flt, descending=True, limit=FINDINGS_SHOWN)
                total = count_findings(db, flt)
                marked = {(i.kind.value, i.ref) for i in list_items(db, panel.id)}
                known = {t.slug for t in list_themes(db)}
                names = pdu_names(db)
        except Exception as exc:  # noqa: BLE001 - reported on screen
            self.post_message(PanelsFailed(f"Could not load the panel: {exc}"))
            return
        scope = Scope(panel, briefing, rows, max(0, total - len(rows)), marked, known, names)
        if not get_current_worker().is_cancelled:  # a later load replaced this one
            self.post_message(ScopeLoaded(scope))

    @on(ScopeLoaded)
    def show_scope(self, message: ScopeLoaded) -> None:
        from tui.screens.panel_views import decisions_text, overview_text

        if str(message.scope.panel.id) != self.highlighted_id():
            return  # loaded for a panel no longer highlighted (or listed)
        scope = self.scope = message.scope
        panel, briefing = scope.panel, scope.briefing
        whose = f" ({escape(briefing.region)})" if briefing.region_scope else ""
        self.query_one("#panels-status", Static).update(
            f"Panel of {panel.held_on.isoformat()} ({panel.status.value}) · "
            f"{briefing.total} findings in scope{whose} · m mark · d decision · b briefing"
        )
        self.query_one("#scope-overview", Static).update(overview_text(briefing))
        self.query_one("#scope-decisions", Static).update(decisions_text(panel))
        themes = self.query_one("#scope-themes", DataTable)
        themes.clear()
        for theme in briefing.themes:
            themes.add_row(
                MARK if ("theme", theme.slug) in scope.marked else "",
                NameOrShort(theme.name, short_name(theme.slug, theme.name)),
                str(theme.count),
                str(theme.previous),
                theme.trend,
                "yes" if theme.recurring else "",
                key=f"theme:{theme.slug}",
            )
        findings = self.query_one("#scope-findings", DataTable)
        findings.clear()
        from tui.screens.findings_preview import SOURCE_SHORT, strength_mark

        for row in scope.findings:
            findings.add_row(
                MARK if ("finding", str(row.id)) in scope.marked else "",
                row.event_date.isoformat(),
                SOURCE_SHORT.get(row.source_type.value, row.source_type.value),
                Text(scope.pdu_names.get(row.pdu, row.pdu), overflow="ellipsis"),
                Text(
                    strength_mark(row.summary, row.polarity.value == "strength"),
                    overflow="ellipsis",
                ),
                key=f"finding:{row.id}",
            )

    @on(PanelsFailed)
    def show_failure(self, message: PanelsFailed) -> None:
        self.query_one("#panels-status", Static).update(escape(message.error))
        self.notify(message.error, severity="error")

    # --- actions ---

    def _selected(self) -> Panel | None:
        """The highlighted panel, once its scope is shown (None, with a notice, before)."""
        highlighted = self.highlighted_id()
        if highlighted is None:
            self.notify("Select a panel first (or press n to plan one).", severity="warning")
            return None
        if self.scope is None or str(self.scope.panel.id) != highlighted:
            self.notify("The panel is still loading: try again in a moment.", severity="warning")
            return None
        return self.scope.panel

    def action_toggle_mark(self) -> None:
        """Mark the highlighted theme or finding for discussion, or unmark it."""
        panel = self._selected()
        if panel is None or self.scope is None:
            return
        active = self.query_one("#panel-tabs", TabbedContent).active
        table_id = {"tab-themes": "#scope-themes", "tab-findings": "#scope-findings"}.get(active)
        if table_id is None:
            self.notify("Open the Themes or Findings tab to mark an item.", severity="warning")
            return
        table = self.query_one(table_id, DataTable)
        if not table.row_count:
            return
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value or ""
        kind, _, ref = key.partition(":")
        marked = (kind, ref) not in self.scope.marked
        self.save_mark(str(panel.id), kind, ref, marked)
        if marked:
            self.scope.marked.add((kind, ref))
        else:
            self.scope.marked.discard((kind, ref))
        table.update_cell(key, "mark", MARK if marked else "")

    @work(thread=True, group="panel-write", exit_on_error=False)
    def write(self, failure: str, change: Callable[[sqlite_utils.Database], PanelChange]) -> None:
        """Make one change off the UI thread; then say so and show the panel it names.

        ``change`` runs in one connection and returns the panel to show afterwards (None: the
        list stays as it is) and a notice ("" for none); ``failure`` prefixes any error.
        """
        try:
            with self.leap.connect() as db:
                panel_id, notice = change(db)
        except Exception as exc:  # noqa: BLE001 - reported on screen
            self.post_message(PanelsFailed(f"{failure}: {exc}"))
            return
        if notice:
            self.app.call_from_thread(self.notify, notice)
        if panel_id is not None:
            self.load_panels(panel_id)

    def save_mark(self, panel_id: str, kind: str, ref: str, marked: bool) -> None:
        """Store a mark (or its removal)."""

        def change(db: sqlite_utils.Database) -> PanelChange:
            from db.panels_store import set_item_marked
            from findings.panels import PanelItem, PanelItemKind

            set_item_marked(db, panel_id, PanelItem(kind=PanelItemKind(kind), ref=ref), marked)
            return None, ""

        self.write("Could not save the mark", change)

    def action_record_decision(self) -> None:
        """Record a decision of the selected panel (optionally creating a learning action)."""
        panel = self._selected()
        if panel is None or self.scope is None:
            return
        themes = [ref for kind, ref in sorted(self.scope.marked) if kind == "theme"]
        form = DecisionForm(panel.id, self.leap.today, themes, self.scope.known_themes)
        self.app.push_screen(form, partial(self.decision_entered, str(panel.id)))

    def decision_entered(self, panel_id: str, result: object) -> None:
        """Save the decision on the panel the form was opened for."""
        if isinstance(result, DecisionInput):
            self.save_decision(panel_id, result)

    def save_decision(self, panel_id: str, decision: DecisionInput) -> None:
        """Store the decision and its learning action in one transaction."""

        def change(db: sqlite_utils.Database) -> PanelChange:
            from db.panels_store import add_decision

            _, action = add_decision(db, panel_id, decision.text, action=decision.action)
            note = f" and the learning action “{action.title}”" if action else ""
            return panel_id, f"Decision recorded{note}."

        self.write("Could not save the decision", change)

    def action_plan_next(self) -> None:
        """Plan the next panel of the region listed (or highlighted), two months after its last."""
        from datetime import timedelta

        from findings.panel_cycle import next_panel_date

        loaded = self.loaded
        if not loaded.home:
            self.notify("The panels are still loading: try again in a moment.", severity="warning")
            return
        first = PlanProposal(self.leap.today + timedelta(days=14), "")
        proposals = {code: first for code in (*loaded.regions, loaded.home)}
        for code, (held_on, chair) in loaded.latest.items():
            proposals[code] = PlanProposal(next_panel_date(held_on), chair)
        highlighted = loaded.panel_regions.get(self.highlighted_id() or "")
        region = self.chosen_region or highlighted or loaded.home
        form = PlanForm(proposals, region, loaded.regions)
        self.app.push_screen(form, self.plan_entered)

    def plan_entered(self, result: object) -> None:
        if isinstance(result, PlanInput):
            self.save_plan(result)

    def save_plan(self, plan: PlanInput) -> None:
        """Create the planned panel."""

        def change(db: sqlite_utils.Database) -> PanelChange:
            from db.panels_store import create_panel

            panel = create_panel(db, plan.held_on, chair=plan.chair, region=plan.region)
            regions = self.loaded.regions
            of = f" of {regions.get(plan.region, plan.region)}" if len(regions) > 1 else ""
            return str(panel.id), f"Panel{of} planned for {plan.held_on.isoformat()}."

        self.write("Could not plan the panel", change)

    def action_record_held(self) -> None:
        """Record the selected panel as held, with its attendees and minutes."""
        panel = self._selected()
        if panel is not None:
            form = HeldForm(panel.attendees, panel.minutes)
            self.app.push_screen(form, partial(self.held_entered, str(panel.id)))

    def held_entered(self, panel_id: str, result: object) -> None:
        """Record as held the panel the form was opened for."""
        if isinstance(result, HeldInput):
            self.save_held(panel_id, result)

    def save_held(self, panel_id: str, held: HeldInput) -> None:
        """Store attendees, minutes and the held status."""

        def change(db: sqlite_utils.Database) -> PanelChange:
            from db.panels_store import record_held

            record_held(db, panel_id, attendees=held.attendees, minutes=held.minutes)
            return panel_id, ""

        self.write("Could not record the panel", change)

    def action_write_briefing(self) -> None:
        """Write the selected panel's briefing to a .docx file."""
        panel = self._selected()
        if panel is None:
            return
        proposed = Path.cwd() / f"leap-briefing-{panel.held_on.isoformat()}.docx"
        form = SaveAsForm("Write the briefing to", proposed)
        self.app.push_screen(form, partial(self.path_entered, str(panel.id)))

    def path_entered(self, panel_id: str, result: object) -> None:
        """Write the briefing of the panel the form was opened for."""
        if isinstance(result, Path):
            bar = self.query_one("#brief-progress", ProgressBar)
            bar.display = True
            bar.update(progress=0)
            self.write_briefing(panel_id, result)

    @work(thread=True, exclusive=True, group="panel-brief", exit_on_error=False)
    def write_briefing(self, panel_id: str, path: Path) -> None:
        """Build and write the briefing, reporting progress."""
        from db.panels_store import get_panel
        from panels.briefing import build_briefing
        from panels.docx_writer import write_briefing

        def progress(what: str, fraction: float) -> None:
            self.post_message(BriefProgress(what, fraction))

        try:
            with self.leap.connect() as db:
                panel = get_panel(db, panel_id)
                briefing = build_briefing(db, panel, self.leap.today, progress=progress)
            written = write_briefing(briefing, path, progress=progress)
        except Exception as exc:  # noqa: BLE001 - reported on screen
            self.post_message(BriefWritten(None, str(exc)))
            return
        self.post_message(BriefWritten(written))

    @on(BriefProgress)
    def show_progress(self, message: BriefProgress) -> None:
        self.query_one("#brief-progress", ProgressBar).update(progress=message.fraction)
        self.query_one("#panels-status", Static).update(f"Writing the briefing: {message.what}…")

    @on(BriefWritten)
    def briefing_done(self, message: BriefWritten) -> None:
        self.query_one("#brief-progress", ProgressBar).display = False
        status = self.query_one("#panels-status", Static)
        if message.path is None:
            status.update(f"The briefing was not written: {escape(message.error or '')}")
            self.notify(f"The briefing was not written: {message.error}", severity="error")
            return
        status.update(f"Briefing written to {escape(str(message.path))}")
        self.notify(f"Briefing written to {message.path}", title="Briefing")

    def action_reload(self) -> None:
        """Reload the panels and the selected panel's scope."""
        self.load_panels()
