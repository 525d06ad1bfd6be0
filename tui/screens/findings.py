"""The findings list: paged from SQL, searchable, opening a finding's detail."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, cast

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.message import Message
from textual.reactive import reactive
from textual.screen import Screen
from textual.widgets import Input, Static

from db.list_preview import PreviewLine
from findings.sorting import SortKey
from findings.theme_names import theme_list
from tui.chrome import KeysFooter, TitleBar
from tui.first_read import PAGE_SIZE
from tui.screens.findings_preview import COLUMNS, SOURCE_SHORT, FindingsPreview, strength_mark

if TYPE_CHECKING:
    from textual.widgets import DataTable

    from db.findings_store import FindingRow, MatchCount
    from findings.filters import FindingFilter
    from findings.models import Finding, Level, Pdu, Theme
    from tui.app import LeapApp
    from tui.fitted_table import FittedTable
    from tui.screens.form_fields import FormContext

DEFAULT_SORT = (SortKey.EVENT_DATE, True)
"""Newest first, by the date of the case event."""

__all__ = ["SOURCE_SHORT", "FindingsScreen", "PageLoaded", "PreviewLoaded"]


@dataclass(frozen=True)
class Page:
    """One page of findings as loaded by a worker."""

    rows: list[FindingRow]
    total: MatchCount
    offset: int
    pdu_names: dict[str, str]
    theme_labels: dict[str, str]
    """Slug -> the short name the list shows a theme by."""


class PageLoaded(Message):
    """A worker finished loading a page of findings."""

    def __init__(self, page: Page) -> None:
        super().__init__()
        self.page = page


class PreviewLoaded(Message):
    """The newest findings were read for the start-up drawing of the list."""

    def __init__(self, lines: list[PreviewLine], total: int) -> None:
        super().__init__()
        self.lines = lines
        self.total = total


class LoadFailed(Message):
    """A worker could not load findings; the message says why."""

    def __init__(self, error: str) -> None:
        super().__init__()
        self.error = error


class FormReady(Message):
    """A worker loaded what a form needs; ``kind`` says which form to open."""

    def __init__(self, kind: str, context: FormContext, finding: Finding | None = None) -> None:
        super().__init__()
        self.kind = kind
        self.context = context
        self.finding = finding


class Notice(Message):
    """A worker finished a change (or failed); tell the user and reload."""

    def __init__(self, text: str, *, error: bool = False) -> None:
        super().__init__()
        self.text = text
        self.error = error


class FindingsScreen(Screen[None]):
    """Every finding in the database, newest first, one page at a time."""

    AUTO_FOCUS = "#findings-table"
    _loaded_once = False
    _first_frame_out = False
    """Whether a frame of this screen has been rendered outside the start-up batch."""
    _table_waits_for_first_frame = False
    """Whether the interactive table is to be built once that first frame is out."""
    _names: tuple[dict[str, str], dict[str, str]] = ({}, {})
    """The PDU and theme names of the last page, to describe a filter with (not codes)."""

    BINDINGS = [
        Binding(
            "slash",
            "focus_search",
            "Search",
            tooltip="Search summaries and narratives",
            id="findings.search",
        ),
        Binding(
            "enter",
            "open_finding",
            "Open",
            tooltip="Show the selected finding in full",
            id="findings.open",
            show=False,
        ),
        Binding(
            "right_square_bracket",
            "next_page",
            "Next page",
            tooltip="Show the next page of findings",
            id="findings.next",
            show=False,
        ),
        Binding(
            "left_square_bracket",
            "previous_page",
            "Prev page",
            tooltip="Show the previous page of findings",
            id="findings.prev",
            show=False,
        ),
        Binding(
            "o",
            "cycle_sort",
            "Sort",
            tooltip="Change the sort order",
            id="findings.sort",
            show=False,
        ),
        Binding("n", "new_finding", "New", tooltip="Record a new finding", id="findings.new"),
        Binding(
            "e", "edit_finding", "Edit", tooltip="Edit the highlighted finding", id="findings.edit"
        ),
        Binding(
            "d",
            "delete_finding",
            "Delete",
            tooltip="Delete the highlighted finding",
            id="findings.delete",
            show=False,
        ),
        Binding(
            "u",
            "recently_deleted",
            "Deleted",
            tooltip="Recently deleted findings (restore them)",
            id="findings.deleted",
            show=False,
        ),
        Binding(
            "f",
            "filters",
            "Filters",
            tooltip="Filter by source, PDU, theme, dates…",
            id="findings.filters",
        ),
        Binding(
            "s",
            "save_view",
            "Save view",
            tooltip="Save the current filters under a name",
            id="findings.save_view",
            show=False,
        ),
        Binding(
            "c",
            "new_assessment",
            "Case assessment",
            tooltip="Record a case assessment (key questions)",
            id="findings.assessment",
            show=False,
        ),
        Binding(
            "ctrl+r",
            "reload",
            "Reload",
            tooltip="Reload findings from the database",
            id="findings.reload",
            show=False,
        ),
        Binding(
            "escape",
            "clear_search",
            "Clear search",
            tooltip="Clear the search text",
            id="findings.clear",
            show=False,
        ),
    ]

    page_offset: reactive[int] = reactive(0)
    """Index of the first finding on the current page."""
    filter: reactive[FindingFilter | None] = reactive(None)
    """What the list is narrowed to (None: nothing yet, i.e. every finding; see
    ``active_filter``, which keeps the filter models off the start-up path)."""
    sort: reactive[tuple[SortKey, bool]] = reactive(DEFAULT_SORT)
    """Sort column and whether descending."""

    def __init__(self) -> None:
        super().__init__()
        # The app's stylesheet was just parsed with the current theme: tell Textual this screen
        # is up to date, or opening it as the first mode re-parses every stylesheet (the bare
        # default screen is spared that; at start-up it costs 15-40 ms before the first paint).
        # A later theme change still refreshes it, as the count moves on.
        self._css_update_count = self.app._css_update_count

    @property
    def leap(self) -> LeapApp:
        return cast("LeapApp", self.app)

    @property
    def active_filter(self) -> FindingFilter:
        """The filter in force (an empty one until the user narrows the list)."""
        if self.filter is None:
            from findings.filters import FindingFilter

            return FindingFilter()
        return self.filter

    def compose(self) -> ComposeResult:
        yield TitleBar()
        yield Input(placeholder='Search findings: words, "a phrase", prefix*  (Enter)', id="search")
        yield Static("Opening the database…", id="findings-status", markup=False)
        # Until the first page is in the table, a light drawing of it stands in its place; the
        # table itself is mounted after that drawing has painted (see ``table``).
        yield FindingsPreview(id="findings-preview")
        yield KeysFooter()

    def _compositor_refresh(self) -> None:
        # Textual (8.2) lays out and renders the first screen while the app's start-up batch
        # is still open, drops that frame, and counts it as drawn: the findings would reach
        # the terminal only with the next full layout, tens of milliseconds later. Until the
        # batch closes (a few tens of milliseconds), renders wait on the app's queue, which
        # runs right after it. Only until the first frame is out, and only in a terminal
        # (headless, nothing is written anyway).
        app = self.app
        if not self._first_frame_out and not app.is_headless:
            if getattr(app, "_batch_count", 0):  # private to Textual: absent, no wait
                app.call_later(self._compositor_refresh)
                return
            self._first_frame_out = True
            super()._compositor_refresh()
            if self._table_waits_for_first_frame:
                self.call_later(self._build_table)
            return
        super()._compositor_refresh()

    def on_mount(self) -> None:
        if self.leap.db_ready or self.leap.newest_findings is not None:
            self._first_load()

    @property
    def table(self) -> FittedTable:
        """The list's table, mounted (hidden, behind the start-up drawing) on first use."""
        from tui.fitted_table import FittedTable

        found = self.query("#findings-table")
        if found:
            return found.first(FittedTable)
        table = FittedTable(id="findings-table")
        preview = self.query_one("#findings-preview", FindingsPreview)
        table.display = not preview.display
        self.mount(table, after=preview)
        # Fitted to the drawing's width (the table has none until shown): the swap is still.
        table.set_columns(COLUMNS, width=preview.size.width)
        return table

    def on_database_ready(self) -> None:
        self._first_load()

    def newest_findings_read(self) -> None:
        """The app has the newest findings (possibly before the database is marked ready)."""
        self._first_load()

    def _first_load(self) -> None:
        # The database can become ready just before or just after this screen mounts.
        if not self._loaded_once:
            self._loaded_once = True
            newest, self.leap.newest_findings = self.leap.newest_findings, None
            starting = self.filter is None and self.page_offset == 0 and self.sort == DEFAULT_SORT
            if starting and newest is not None:
                self.show_preview(PreviewLoaded(*newest))
            else:
                self.load_page()

    @on(PreviewLoaded)
    def show_preview(self, message: PreviewLoaded) -> None:
        preview = self.query_one("#findings-preview", FindingsPreview)
        if not preview.display:
            return  # the full list got there first
        preview.show(message.lines)
        status = self.query_one("#findings-status", Static)
        if message.total == 0:
            status.update("No findings yet: press n to record one, or I to import a file.")
        else:
            status.update(
                f"Findings 1–{len(message.lines):,} of {message.total:,} · all findings · "
                "sorted by event date (newest first)"
            )
        # The interactive table (and the models behind it) once the drawing is on screen, and
        # after whatever else was waiting for that paint (at start-up in a terminal, once the
        # first frame is really out: a refresh in the start-up batch draws nothing).
        if self._first_frame_out or self.app.is_headless:
            self.call_after_refresh(self.call_later, self._build_table)
        else:
            self._table_waits_for_first_frame = True

    def _build_table(self) -> None:
        if not self.is_attached:
            return  # the app was left before the first page was in the table
        self.table  # noqa: B018 - mounts it
        self.load_page()

    @work(thread=True, exclusive=True, group="findings-page", exit_on_error=False)
    def load_page(self) -> None:
        """Count and fetch the current page off the UI thread."""
        from db.findings_store import count_findings_capped, query_findings
        from db.reference import pdu_names, theme_names
        from findings.theme_names import short_names

        flt, (sort_key, descending), offset = self.active_filter, self.sort, self.page_offset
        try:
            with self.leap.read() as db:
                total = count_findings_capped(db, flt)
                rows = query_findings(
                    db, flt, sort=sort_key, descending=descending, limit=PAGE_SIZE, offset=offset
                )
                names = pdu_names(db)
                themes = short_names(theme_names(db))
        except Exception as exc:  # noqa: BLE001 - reported on screen
            self.post_message(LoadFailed(str(exc)))
            return
        self.post_message(
            PageLoaded(
                Page(rows=rows, total=total, offset=offset, pdu_names=names, theme_labels=themes)
            )
        )

    @on(PageLoaded)
    def show_page(self, message: PageLoaded) -> None:
        page = message.page
        table = self.table
        table.clear()
        for row in page.rows:
            table.add_row(
                row.event_date.isoformat(),
                SOURCE_SHORT.get(row.source_type.value, row.source_type.value),
                # Text, not str: a DataTable reads str cells as markup, and user text is not.
                # Cut with an ellipsis, as the start-up drawing cuts them.
                Text(page.pdu_names.get(row.pdu, row.pdu), overflow="ellipsis"),
                Text(
                    strength_mark(row.summary, row.polarity.value == "strength"),
                    overflow="ellipsis",
                ),
                Text(theme_list(row.themes, page.theme_labels), overflow="ellipsis"),
                key=str(row.id),
            )
        preview = self.query_one("#findings-preview", FindingsPreview)
        if preview.display:
            preview.display = False
            table.display = True
            if self.focused is None:
                table.focus()
        flt = self.active_filter
        status = self.query_one("#findings-status", Static)
        self._names = (page.pdu_names, page.theme_labels)
        described = flt.describe(*self._names)
        if page.total.value == 0:
            status.update(f"No findings match ({described}).")
        else:
            last = page.offset + len(page.rows)
            sort_key, descending = self.sort
            status.update(
                f"Findings {page.offset + 1:,}–{last:,} of {page.total.label} · "
                f"{described} · sorted by {sort_key.value.replace('_', ' ')}"
                f"{' (newest first)' if descending else ''}"
            )
        self._total = page.total.value + (1 if page.total.capped else 0)
        self.leap.current_filter = flt
        self.leap.first_page_shown()

    @on(LoadFailed)
    def show_failure(self, message: LoadFailed) -> None:
        self.query_one("#findings-status", Static).update(
            f"Could not load findings: {message.error}"
        )

    @on(Input.Submitted, "#search")
    def search(self, event: Input.Submitted) -> None:
        self.filter = self.active_filter.model_copy(update={"text": event.value.strip()})
        self.page_offset = 0
        self.load_page()
        self.table.focus()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        if event.data_table.id == "findings-table" and event.row_key.value:
            self._open(event.row_key.value)

    def _open(self, finding_id: str) -> None:
        from tui.screens.finding_detail import FindingDetailScreen

        self.app.push_screen(FindingDetailScreen(finding_id))

    def action_open_finding(self) -> None:
        """Open the highlighted finding."""
        table = self.table
        if table.row_count:
            key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key
            if key.value:
                self._open(key.value)

    def action_focus_search(self) -> None:
        """Put the cursor in the search box."""
        self.query_one("#search", Input).focus()

    def action_clear_search(self) -> None:
        """Clear the search (and any filter another section applied); show every finding."""
        search = self.query_one("#search", Input)
        search.value = ""
        if not self.active_filter.is_empty():
            self.filter = None
            self.page_offset = 0
            self.load_page()
        self.table.focus()

    def action_next_page(self) -> None:
        """Show the next page of findings."""
        if self.page_offset + PAGE_SIZE < getattr(self, "_total", 0):
            self.page_offset += PAGE_SIZE
            self.load_page()

    def action_previous_page(self) -> None:
        """Show the previous page of findings."""
        if self.page_offset > 0:
            self.page_offset = max(0, self.page_offset - PAGE_SIZE)
            self.load_page()

    def action_cycle_sort(self) -> None:
        """Cycle through the sort orders."""
        orders = [
            (SortKey.EVENT_DATE, True),
            (SortKey.EVENT_DATE, False),
            (SortKey.PDU, False),
            (SortKey.SOURCE_TYPE, False),
            (SortKey.SUMMARY, False),
        ]
        current = orders.index(self.sort) if self.sort in orders else -1
        self.sort = orders[(current + 1) % len(orders)]
        self.page_offset = 0
        self.load_page()

    def action_reload(self) -> None:
        """Reload the current page."""
        self.load_page()

    # -- recording: new, edit, delete, restore, filters, saved views, assessments ----------

    def highlighted_id(self) -> str | None:
        """The id of the finding under the cursor, if any."""
        table = self.table
        if not table.row_count:
            return None
        return table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value

    def action_new_finding(self) -> None:
        """Open the form to record a finding."""
        self.prepare_form("finding", None)

    def action_edit_finding(self) -> None:
        """Open the highlighted finding in the form."""
        finding_id = self.highlighted_id()
        if finding_id is None:
            self.notify("No finding is highlighted.", severity="warning")
            return
        self.prepare_form("finding", finding_id)

    def action_new_assessment(self) -> None:
        """Open the form to record one case assessed in an audit."""
        self.prepare_form("assessment", None)

    @work(thread=True, exclusive=True, group="findings-form", exit_on_error=False)
    def prepare_form(self, kind: str, finding_id: str | None) -> None:
        """Load reference data (and the finding to edit) off the UI thread."""
        from db.findings_store import get_finding
        from tui.screens.form_fields import load_form_context

        try:
            with self.leap.connect() as db:
                context = load_form_context(db, self.leap.today)
                finding = get_finding(db, finding_id) if finding_id else None
        except Exception as exc:  # noqa: BLE001 - reported on screen
            self.post_message(Notice(f"Could not open the form: {exc}", error=True))
            return
        if finding_id and finding is None:
            self.post_message(Notice("That finding no longer exists.", error=True))
            return
        self.post_message(FormReady(kind, context, finding))

    @on(FormReady)
    def open_form(self, message: FormReady) -> None:
        if message.kind == "assessment":
            from tui.screens.assessment_form import AssessmentFormScreen

            table = self.table
            candidates = [
                (str(key.value), str(table.get_row(key)[3]))
                for key in list(table.rows)[:50]
                if key.value
            ]
            self.app.push_screen(
                AssessmentFormScreen(message.context, candidates),
                lambda saved: self._after_save("Case assessment saved.", saved),
            )
            return
        from tui.screens.finding_form import FindingFormScreen

        verb = "updated" if message.finding else "recorded"
        self.app.push_screen(
            FindingFormScreen(message.context, message.finding),
            lambda saved: self._after_save(f"Finding {verb}.", saved),
        )

    def _after_save(self, text: str, saved: object | None) -> None:
        if saved is not None:
            self.notify(text)
            self.load_page()

    def action_delete_finding(self) -> None:
        """Delete the highlighted finding after asking (it can be restored)."""
        finding_id = self.highlighted_id()
        if finding_id is None:
            self.notify("No finding is highlighted.", severity="warning")
            return
        from tui.screens.confirm import ConfirmScreen

        table = self.table
        summary = table.get_row(finding_id)[3]

        def answered(yes: bool | None) -> None:
            if yes:
                self.delete_finding(finding_id)

        self.app.push_screen(
            ConfirmScreen(
                f"Delete this finding?\n\n{summary}\n\nRestore it from Recently deleted (u).",
                yes="Delete",
            ),
            answered,
        )

    @work(thread=True, exclusive=True, group="findings-change", exit_on_error=False)
    def delete_finding(self, finding_id: str) -> None:
        """Move the finding to 'recently deleted'."""
        from db.findings_store import delete_finding

        try:
            with self.leap.connect() as db:
                delete_finding(db, finding_id)
        except Exception as exc:  # noqa: BLE001 - reported on screen
            self.post_message(Notice(f"Could not delete: {exc}", error=True))
            return
        self.post_message(Notice("Finding deleted. Press u to see recently deleted findings."))

    @on(Notice)
    def show_notice(self, message: Notice) -> None:
        self.notify(message.text, severity="error" if message.error else "information")
        if not message.error:
            self.load_page()

    def action_recently_deleted(self) -> None:
        """Show recently deleted findings, to restore them."""
        from tui.screens.deleted import DeletedScreen

        def back(_: None) -> None:
            self.load_page()

        self.app.push_screen(DeletedScreen(), back)

    def action_filters(self) -> None:
        """Choose filters for the list."""
        self.open_filters()

    @work(thread=True, exclusive=True, group="findings-form", exit_on_error=False)
    def open_filters(self) -> None:
        """Load PDUs and themes for the filter form, then open it."""
        from db.levels_store import level_names
        from db.reference import list_pdus, list_themes, region_names

        with self.leap.connect() as db:
            pdus, themes = list_pdus(db, include_inactive=True), list_themes(db)
            levels = level_names(db)
            regions = region_names(db)
        self.app.call_from_thread(self._push_filters, pdus, themes, levels, regions)

    def _push_filters(
        self,
        pdus: list[Pdu],
        themes: list[Theme],
        levels: dict[Level, str] | None = None,
        regions: dict[str, str] | None = None,
    ) -> None:
        from tui.screens.filters import FiltersScreen

        self.app.push_screen(
            FiltersScreen(self.active_filter, pdus, themes, levels, regions), self.apply_filter
        )

    def apply_filter(self, flt: FindingFilter | None) -> None:
        """Show the findings matching ``flt`` (None leaves the list as it is)."""
        if flt is None:
            return
        self.filter = flt
        self.query_one("#search", Input).value = flt.text
        self.page_offset = 0
        self.load_page()

    def action_save_view(self) -> None:
        """Save the current filters under a name, to recall from the palette."""
        from tui.screens.filters import SaveViewScreen

        def named(name: str | None) -> None:
            if name:
                self.save_view(name, self.active_filter)

        self.app.push_screen(SaveViewScreen(self.active_filter.describe(*self._names)), named)

    @work(thread=True, exclusive=True, group="findings-change", exit_on_error=False)
    def save_view(self, name: str, flt: FindingFilter) -> None:
        """Store the named view."""
        from db.views_store import save_view

        try:
            with self.leap.connect() as db:
                view = save_view(db, name, flt)
        except Exception as exc:  # noqa: BLE001 - reported on screen
            self.post_message(Notice(f"Could not save the view: {exc}", error=True))
            return
        self.app.call_from_thread(self.leap.refresh_saved_views)
        self.post_message(Notice(f"View '{view.name}' saved; recall it from the palette (Ctrl+P)."))

    @work(thread=True, exclusive=True, group="findings-view", exit_on_error=False)
    def apply_view(self, name: str) -> None:
        """Show the findings of a saved view."""
        from db.views_store import get_view

        try:
            with self.leap.connect() as db:
                view = get_view(db, name)
        except Exception as exc:  # noqa: BLE001 - reported on screen
            self.post_message(Notice(str(exc), error=True))
            return
        self.app.call_from_thread(self.apply_filter, view.filter)

    def show_filter(self, flt: FindingFilter) -> None:
        """Show the findings matching ``flt`` (other sections use this to open their findings)."""
        self.filter = flt
        self.page_offset = 0
        self.query_one("#search", Input).value = flt.text
        if self.leap.db_ready:
            self.load_page()
        self.table.focus()
