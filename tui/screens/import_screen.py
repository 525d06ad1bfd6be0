"""Importing a spreadsheet from the app: preview the column mapping, adjust it, import."""

from __future__ import annotations

from itertools import islice
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from rich.markup import escape
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.message import Message
from textual.reactive import reactive
from textual.screen import Screen
from textual.widgets import DataTable, Input, ProgressBar, Static

from findings.spreadsheet import DETAIL, FIELD_LABELS, IGNORE, IMPORT_FIELDS, cell_text
from tui.chrome import KeysFooter, TitleBar
from tui.css import SECTIONS_CSS

if TYPE_CHECKING:
    from db.importer import ImportReport
    from findings.spreadsheet import ColumnMapping
    from tui.app import LeapApp

TARGETS: tuple[str, ...] = (*IMPORT_FIELDS, DETAIL, IGNORE)
"""What a column can feed, in the order the map key cycles through them."""
MAX_PROBLEMS_SHOWN = 200


def target_label(target: str) -> str:
    """How a mapping target reads in the table."""
    if target == DETAIL:
        return "(kept as a detail)"
    if target == IGNORE:
        return "(left out)"
    return FIELD_LABELS[target]


class PreviewLoaded(Message):
    """The file's headers were read and matched to fields."""

    def __init__(self, path: Path, mapping: ColumnMapping, samples: list[str]) -> None:
        super().__init__()
        self.path = path
        self.mapping = mapping
        self.samples = samples


class ImportProgress(Message):
    """Rows checked or written so far."""

    def __init__(self, stage: str, done: int, total: int | None) -> None:
        super().__init__()
        self.stage = stage
        self.done = done
        self.total = total


class ImportFinished(Message):
    """The import ended (whether or not it wrote anything)."""

    def __init__(self, report: ImportReport) -> None:
        super().__init__()
        self.report = report


class ImportFailed(Message):
    """The file could not be read or imported; the error is worded for the user."""

    def __init__(self, error: str) -> None:
        super().__init__()
        self.error = error


class ImportScreen(Screen[None]):
    """Bring findings in from a .csv or .xlsx file, row by row checked."""

    CSS_PATH = SECTIONS_CSS

    BINDINGS = [
        Binding("escape", "app.pop_screen", "Back", tooltip="Back", id="import.back"),
        Binding(
            "m",
            "cycle_target",
            "Map column",
            tooltip="Change which field the highlighted column goes to",
            id="import.map",
        ),
        Binding(
            "a",
            "toggle_mode",
            "All or valid",
            tooltip="Switch between importing all-or-nothing and importing only valid rows",
            id="import.mode",
        ),
        Binding("i", "run_import", "Import", tooltip="Check every row and import", id="import.run"),
    ]

    skip_invalid: reactive[bool] = reactive(False)
    """Import the valid rows (and write the rejects) rather than all or nothing."""

    def __init__(self, path: str = "") -> None:
        super().__init__()
        self.initial_path = path
        self.path: Path | None = None
        self.mapping: ColumnMapping | None = None
        self.samples: list[str] = []
        self.running = False

    @property
    def leap(self) -> LeapApp:
        return cast("LeapApp", self.app)

    def compose(self) -> ComposeResult:
        yield TitleBar()
        yield Input(
            value=self.initial_path,
            placeholder="Path to a .csv or .xlsx file, then Enter to preview",
            id="import-path",
        )
        yield Static("Name a file to see how its columns match leap's fields.", id="import-status")
        table: DataTable[str] = DataTable(id="import-columns", cursor_type="row")
        yield table
        yield Static(id="import-mode")
        yield ProgressBar(id="import-progress", show_eta=False)
        with VerticalScroll(id="import-report-box"):
            yield Static(id="import-report")
        yield KeysFooter()

    def on_mount(self) -> None:
        table = self.query_one("#import-columns", DataTable)
        table.add_column("Column in the file", key="column", width=28)
        table.add_column("Goes to", key="target", width=22)
        table.add_column("First value", key="sample")
        self.watch_skip_invalid(self.skip_invalid)
        self.query_one("#import-path", Input).focus()
        if self.initial_path:
            self.preview(Path(self.initial_path).expanduser())

    def watch_skip_invalid(self, skip: bool) -> None:
        self.query_one("#import-mode", Static).update(
            "Mode: [b]import the valid rows[/b]; rejected rows go to a .rejects.csv beside the file"
            if skip
            else "Mode: [b]all or nothing[/b]: nothing is imported unless every row is valid"
        )

    @on(Input.Submitted, "#import-path")
    def path_given(self, event: Input.Submitted) -> None:
        if event.value.strip():
            self.preview(Path(event.value.strip()).expanduser())

    @work(thread=True, exclusive=True, group="import-preview", exit_on_error=False)
    def preview(self, path: Path) -> None:
        """Read the file's headers and first row, and match the columns."""
        from db.connection import StoreError
        from db.importer import read_sheet
        from findings.spreadsheet import is_blank, match_columns

        try:
            sheet = read_sheet(path)
            first = next(
                (values for _, values in islice(sheet.rows, 50) if not is_blank(values)), ()
            )
        except (StoreError, OSError) as exc:
            self.post_message(ImportFailed(str(exc)))
            return
        samples = [cell_text(v) for v in first]
        self.post_message(PreviewLoaded(path, match_columns(sheet.headers), samples))

    @on(PreviewLoaded)
    def show_preview(self, message: PreviewLoaded) -> None:
        self.path, self.mapping, self.samples = message.path, message.mapping, message.samples
        self._fill_table()
        self.query_one("#import-report", Static).update("")
        self.query_one("#import-columns", DataTable).focus()

    def _fill_table(self) -> None:
        mapping = self.mapping
        if mapping is None:
            return
        table = self.query_one("#import-columns", DataTable)
        cursor = table.cursor_row
        table.clear()
        for index, header in enumerate(mapping.headers):
            sample = self.samples[index] if index < len(self.samples) else ""
            table.add_row(
                escape(header or f"(column {index + 1}, no header)"),
                target_label(mapping.target_of(index)),
                escape(sample[:60]),
                key=str(index),
            )
        if table.row_count:
            table.move_cursor(row=min(cursor, table.row_count - 1))
        missing = mapping.missing_required()
        status = self.query_one("#import-status", Static)
        if missing:
            status.update(
                "[b]No column for: "
                + ", ".join(FIELD_LABELS[m] for m in missing)
                + "[/b]. Highlight a column and press m to send it there."
            )
        else:
            status.update(
                f"{escape(str(self.path))}: every required field has a column. "
                "Press m to change a column, i to import."
            )

    def action_cycle_target(self) -> None:
        """Send the highlighted column to the next free field (then detail, then left out)."""
        if self.mapping is None or self.running:
            return
        table = self.query_one("#import-columns", DataTable)
        if not table.row_count:
            return
        index = table.cursor_row
        current = self.mapping.target_of(index)
        taken = {f for i, f in self.mapping.fields.items() if i != index}
        start = TARGETS.index(current)
        # Fields another column already feeds are skipped: cycling never steals them.
        for step in range(1, len(TARGETS) + 1):
            target = TARGETS[(start + step) % len(TARGETS)]
            if target not in taken:
                break
        self.mapping = self.mapping.use(index, target)
        self._fill_table()

    def action_toggle_mode(self) -> None:
        """Switch between all-or-nothing and importing only the valid rows."""
        if not self.running:
            self.skip_invalid = not self.skip_invalid

    def action_run_import(self) -> None:
        """Check every row and import (all or nothing, or the valid rows)."""
        if self.path is None or self.mapping is None or self.running:
            self.notify("Preview a file first (type its path and press Enter).", severity="warning")
            return
        if self.mapping.missing_required():
            self.notify("Some required fields have no column yet.", severity="warning")
            return
        self.running = True
        self.query_one("#import-progress", ProgressBar).update(total=None, progress=0)
        self.query_one("#import-status", Static).update("Checking every row…")
        self.run_import(self.path, self.mapping, self.skip_invalid)

    @work(thread=True, exclusive=True, group="import-run", exit_on_error=False)
    def run_import(self, path: Path, mapping: ColumnMapping, skip_invalid: bool) -> None:
        """Import off the UI thread, reporting progress as it goes."""
        from db.connection import StoreError
        from db.importer import import_file

        def progress(stage: str, done: int, total: int | None) -> None:
            self.post_message(ImportProgress(stage, done, total))

        rejects = path.with_name(path.stem + ".rejects.csv") if skip_invalid else None
        try:
            with self.leap.connect() as db:
                report = import_file(
                    db,
                    path,
                    mapping=mapping,
                    skip_invalid=skip_invalid,
                    rejects_path=rejects,
                    today=self.leap.today,
                    progress=progress,
                )
        except (StoreError, OSError) as exc:
            self.post_message(ImportFailed(str(exc)))
            return
        except Exception as exc:  # noqa: BLE001 - shown on screen, never a traceback
            self.post_message(ImportFailed(f"unexpected error: {exc}"))
            return
        self.post_message(ImportFinished(report))

    @on(ImportProgress)
    def show_progress(self, message: ImportProgress) -> None:
        bar = self.query_one("#import-progress", ProgressBar)
        bar.update(total=message.total, progress=message.done)
        verb = "Checked" if message.stage == "checking" else "Written"
        self.query_one("#import-status", Static).update(f"{verb} {message.done:,} rows…")

    @on(ImportFailed)
    def show_failure(self, message: ImportFailed) -> None:
        self.running = False
        self.query_one("#import-status", Static).update(f"[b]{escape(message.error)}[/b]")

    @on(ImportFinished)
    def show_report(self, message: ImportFinished) -> None:
        self.running = False
        report = message.report
        bar = self.query_one("#import-progress", ProgressBar)
        bar.update(total=1, progress=1)
        self.query_one("#import-status", Static).update(escape(summary_line(report)))
        self.query_one("#import-report", Static).update(report_text(report))


def summary_line(report: ImportReport) -> str:
    """One line saying what the import did."""
    if report.fatal:
        return report.fatal
    if not report.committed:
        return (
            f"Nothing imported: {len(report.rejected):,} of {report.rows_read:,} rows have "
            "problems (below). Fix them, or press a then i to import the valid rows."
        )
    line = f"Imported {report.imported:,} finding(s) from {report.file}."
    if report.already_present:
        line += f" {report.already_present:,} were already in the database."
    if report.rejected:
        line += f" {len(report.rejected):,} rejected row(s) are in {report.rejects_file}."
    return line


def report_text(report: ImportReport) -> str:
    """Notes and every problem (up to a limit), as Rich markup."""
    lines: list[Any] = [escape(n) for n in report.notes]
    problems = report.problems
    if problems:
        lines.append("")
        lines.append("[b]Rejected rows[/b]")
        for p in problems[:MAX_PROBLEMS_SHOWN]:
            lines.append(f"  row {p.row} · {escape(p.column or 'row')}: {escape(p.reason)}")
        if len(problems) > MAX_PROBLEMS_SHOWN:
            lines.append(f"  … and {len(problems) - MAX_PROBLEMS_SHOWN:,} more.")
    return "\n".join(lines)
