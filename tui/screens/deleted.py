"""Recently deleted findings, newest deletion first, each one restorable."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Button, DataTable, Static

from findings.filters import FindingFilter, SortKey
from tui.chrome import KeysFooter, TitleBar
from tui.css import SECTIONS_CSS

if TYPE_CHECKING:
    from db.findings_store import FindingRow
    from tui.app import LeapApp

DELETED_PAGE = 200


class DeletedLoaded(Message):
    """The worker loaded the deleted findings (or an error)."""

    def __init__(self, rows: list[FindingRow], total: int, error: str = "") -> None:
        super().__init__()
        self.rows = rows
        self.total = total
        self.error = error


class DeletedScreen(Screen[None]):
    """Findings moved to 'recently deleted'; restore brings one back to the list."""

    CSS_PATH = SECTIONS_CSS

    BINDINGS = [
        Binding(
            "r",
            "restore",
            "Restore",
            tooltip="Restore the highlighted finding",
            id="deleted.restore",
        ),
        Binding("escape", "back", "Back", tooltip="Back to the findings", id="deleted.back"),
    ]

    @property
    def leap(self) -> LeapApp:
        return cast("LeapApp", self.app)

    def compose(self) -> ComposeResult:
        yield TitleBar()
        yield Static("Loading…", id="deleted-status", markup=False)
        yield DataTable(id="deleted-table", cursor_type="row", zebra_stripes=True)
        yield Button("Restore (r)", id="deleted-restore")
        yield KeysFooter()

    def on_mount(self) -> None:
        table = self.query_one("#deleted-table", DataTable)
        table.add_column("Date", key="date", width=10)
        table.add_column("Source", key="source", width=12)
        table.add_column("Summary", key="summary")
        table.focus()
        self.load()

    @work(thread=True, exclusive=True, group="deleted", exit_on_error=False)
    def load(self) -> None:
        """Load deleted findings off the UI thread."""
        from db.findings_store import count_findings, query_findings

        flt = FindingFilter(only_deleted=True)
        try:
            with self.leap.connect() as db:
                total = count_findings(db, flt)
                rows = query_findings(db, flt, sort=SortKey.EVENT_DATE, limit=DELETED_PAGE)
        except Exception as exc:  # noqa: BLE001 - reported on screen
            self.post_message(DeletedLoaded([], 0, str(exc)))
            return
        self.post_message(DeletedLoaded(rows, total))

    @on(DeletedLoaded)
    def show(self, message: DeletedLoaded) -> None:
        table = self.query_one("#deleted-table", DataTable)
        table.clear()
        for row in message.rows:
            table.add_row(
                row.event_date.isoformat(),
                row.source_type.label,
                Text(row.summary),
                key=str(row.id),
            )
        status = self.query_one("#deleted-status", Static)
        if message.error:
            status.update(f"Could not load deleted findings: {message.error}")
        elif message.total == 0:
            status.update("Nothing has been deleted.")
        else:
            status.update(
                f"{message.total:,} deleted finding(s); showing {len(message.rows):,}. "
                "r restores the highlighted one."
            )

    def action_back(self) -> None:
        """Back to the findings list."""
        self.dismiss(None)

    @on(Button.Pressed, "#deleted-restore")
    def restore_pressed(self) -> None:
        self.action_restore()

    def action_restore(self) -> None:
        """Bring the highlighted finding back to the list."""
        table = self.query_one("#deleted-table", DataTable)
        if not table.row_count:
            return
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        if key:
            self.restore(key)

    @work(thread=True, exclusive=True, group="deleted-change", exit_on_error=False)
    def restore(self, finding_id: str) -> None:
        """Restore one finding, then reload."""
        from db.findings_store import restore_finding

        try:
            with self.leap.connect() as db:
                restore_finding(db, finding_id)
        except Exception as exc:  # noqa: BLE001 - reported on screen
            self.app.call_from_thread(self.notify, f"Could not restore: {exc}", severity="error")
            return
        self.app.call_from_thread(self.notify, "Finding restored.")
        self.app.call_from_thread(self.load)
