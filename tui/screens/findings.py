"""The findings list: paged from SQL, searchable, opening a finding's detail."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, cast

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.message import Message
from textual.reactive import reactive
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Input, Static
from textual.widgets.data_table import ColumnKey

from findings.filters import FindingFilter, SortKey

if TYPE_CHECKING:
    from db.findings_store import FindingRow
    from tui.app import LeapApp

PAGE_SIZE = 100

SOURCE_SHORT = {
    "sfo_review": "SFO",
    "audit": "Audit",
    "inspection": "Inspection",
    "complaint": "Complaint",
    "death_under_supervision": "Death",
    "case_assessment": "Assessment",
}


@dataclass(frozen=True)
class Page:
    """One page of findings as loaded by a worker."""

    rows: list[FindingRow]
    total: int
    offset: int
    pdu_names: dict[str, str]


class PageLoaded(Message):
    """A worker finished loading a page of findings."""

    def __init__(self, page: Page) -> None:
        super().__init__()
        self.page = page


class LoadFailed(Message):
    """A worker could not load findings; the message says why."""

    def __init__(self, error: str) -> None:
        super().__init__()
        self.error = error


class FindingsScreen(Screen[None]):
    """Every finding in the database, newest first, one page at a time."""

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
        ),
        Binding(
            "left_square_bracket",
            "previous_page",
            "Prev page",
            tooltip="Show the previous page of findings",
            id="findings.prev",
        ),
        Binding("o", "cycle_sort", "Sort", tooltip="Change the sort order", id="findings.sort"),
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
    filter: reactive[FindingFilter] = reactive(FindingFilter)
    """What the list is narrowed to."""
    sort: reactive[tuple[SortKey, bool]] = reactive((SortKey.EVENT_DATE, True))
    """Sort column and whether descending."""

    @property
    def leap(self) -> LeapApp:
        return cast("LeapApp", self.app)

    def compose(self) -> ComposeResult:
        yield Header()
        yield Input(placeholder='Search findings: words, "a phrase", prefix*  (Enter)', id="search")
        yield Static("Opening the database…", id="findings-status")
        table: DataTable[str] = DataTable(
            id="findings-table", cursor_type="row", zebra_stripes=True
        )
        yield table
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one("#findings-table", DataTable)
        table.add_column("Date", key="date", width=10)
        table.add_column("Source", key="source", width=10)
        table.add_column("PDU", key="pdu", width=16)
        table.add_column("Summary", key="summary")
        table.add_column("Themes", key="themes", width=30)
        self._fit_columns()
        table.focus()
        if self.leap.db_ready:
            self.load_page()

    def on_resize(self) -> None:
        self._fit_columns()

    def _fit_columns(self) -> None:
        """Give the summary whatever width the fixed columns leave (themes shrink first)."""
        table = self.query_one("#findings-table", DataTable)
        width = self.size.width or self.app.size.width
        padding = 2 * table.cell_padding * len(table.columns) + 2  # cells plus scrollbar
        wide = width >= 110
        themes, pdu = (30, 16) if wide else (16, 12)
        summary = max(20, width - 10 - 10 - pdu - themes - padding)
        for key, column_width in (("themes", themes), ("pdu", pdu), ("summary", summary)):
            column = table.columns[ColumnKey(key)]
            column.auto_width = False
            column.width = column_width
        table.refresh()

    def on_database_ready(self) -> None:
        self.load_page()

    @work(thread=True, exclusive=True, group="findings-page", exit_on_error=False)
    def load_page(self) -> None:
        """Count and fetch the current page off the UI thread."""
        from db.findings_store import count_findings, query_findings
        from db.reference import pdu_names

        flt, (sort_key, descending), offset = self.filter, self.sort, self.page_offset
        try:
            with self.leap.read() as db:
                total = count_findings(db, flt)
                rows = query_findings(
                    db, flt, sort=sort_key, descending=descending, limit=PAGE_SIZE, offset=offset
                )
                names = pdu_names(db)
        except Exception as exc:  # noqa: BLE001 - reported on screen
            self.post_message(LoadFailed(str(exc)))
            return
        self.post_message(PageLoaded(Page(rows=rows, total=total, offset=offset, pdu_names=names)))

    @on(PageLoaded)
    def show_page(self, message: PageLoaded) -> None:
        page = message.page
        table = self.query_one("#findings-table", DataTable)
        table.clear()
        for row in page.rows:
            table.add_row(
                row.event_date.isoformat(),
                SOURCE_SHORT.get(row.source_type.value, row.source_type.value),
                page.pdu_names.get(row.pdu, row.pdu),
                ("✓ " if row.polarity.value == "strength" else "") + row.summary,
                ", ".join(row.themes),
                key=str(row.id),
            )
        status = self.query_one("#findings-status", Static)
        if page.total == 0:
            status.update(f"No findings match ({self.filter.describe()}).")
        else:
            last = page.offset + len(page.rows)
            sort_key, descending = self.sort
            status.update(
                f"Findings {page.offset + 1:,}–{last:,} of {page.total:,} · "
                f"{self.filter.describe()} · sorted by {sort_key.value.replace('_', ' ')}"
                f"{' (newest first)' if descending else ''}"
            )
        self._total = page.total

    @on(LoadFailed)
    def show_failure(self, message: LoadFailed) -> None:
        self.query_one("#findings-status", Static).update(
            f"Could not load findings: {message.error}"
        )

    @on(Input.Submitted, "#search")
    def search(self, event: Input.Submitted) -> None:
        self.filter = self.filter.model_copy(update={"text": event.value.strip()})
        self.page_offset = 0
        self.load_page()
        self.query_one("#findings-table", DataTable).focus()

    @on(DataTable.RowSelected, "#findings-table")
    def row_selected(self, event: DataTable.RowSelected) -> None:
        if event.row_key.value:
            self._open(event.row_key.value)

    def _open(self, finding_id: str) -> None:
        from tui.screens.finding_detail import FindingDetailScreen

        self.app.push_screen(FindingDetailScreen(finding_id))

    def action_open_finding(self) -> None:
        """Open the highlighted finding."""
        table = self.query_one("#findings-table", DataTable)
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
        if not self.filter.is_empty():
            self.filter = FindingFilter()
            self.page_offset = 0
            self.load_page()
        self.query_one("#findings-table", DataTable).focus()

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

    def show_filter(self, flt: FindingFilter) -> None:
        """Show the findings matching ``flt`` (other sections use this to open their findings)."""
        self.filter = flt
        self.page_offset = 0
        self.query_one("#search", Input).value = flt.text
        if self.leap.db_ready:
            self.load_page()
        self.query_one("#findings-table", DataTable).focus()
