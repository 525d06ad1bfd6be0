"""Importing findings from .csv and .xlsx files: check every row, then write all in one go."""

from __future__ import annotations

import csv
import gc
import io
import itertools
import json
import time
import uuid
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from db.base import StoreError, write_transaction
from db.bulk import bulk_insert_prepared
from db.history import current_actor, record_change
from db.reference import list_themes, pdu_names, validation_context
from db.row_check import CheckedRows, RejectedRow, RowChecker, check_in_parallel
from findings.spreadsheet import (
    FIELD_LABELS,
    IGNORED_HEADERS,
    ColumnMapping,
    RowProblem,
    cell_text,
    csv_unescape,
    find_header_row,
    is_blank,
    match_columns,
    words,
)

if TYPE_CHECKING:
    import sqlite_utils

HEADER_SEARCH_ROWS = 10
"""How many rows at the top of a sheet may hold titles before the header row."""

Progress = Callable[[str, int, int | None], None]
"""Called with (stage, done, total or None) while an import runs."""


class ImportFileError(StoreError):
    """The file cannot be read as a table of findings."""


@dataclass
class Sheet:
    """A table read from a file: its headers and its data rows with their row numbers."""

    name: str
    headers: list[str]
    header_row: int
    """1-based row number of the header, as a spreadsheet program shows it."""
    rows: Iterator[tuple[int, Sequence[Any]]]
    total_rows: int | None = None


@dataclass
class ImportReport:
    """What an import did (or, when nothing was written, would have done)."""

    file: str
    mapping: ColumnMapping
    rows_read: int = 0
    valid: int = 0
    imported: int = 0
    already_present: int = 0
    duplicates_in_file: int = 0
    rejected: list[RejectedRow] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    fatal: str = ""
    committed: bool = False
    rejects_file: Path | None = None
    seconds: float = 0.0

    @property
    def problems(self) -> list[RowProblem]:
        """Every problem of every rejected row, in row order."""
        return [p for r in self.rejected for p in r.problems]


def read_sheet(path: Path) -> Sheet:
    """Open a .csv or .xlsx file and find its header row (titles and blank rows above it skip)."""
    if not path.exists():
        raise ImportFileError(f"{path} does not exist.")
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        return _read_xlsx(path)
    if suffix in (".csv", ".txt", ".tsv"):
        return _read_csv(path)
    raise ImportFileError(f"{path.name}: leap imports .csv and .xlsx files.")


def _with_header(name: str, rows: Iterator[Sequence[Any]], total: int | None) -> Sheet:
    top = list(itertools.islice(rows, HEADER_SEARCH_ROWS))
    if not top or all(is_blank(r) for r in top):
        raise ImportFileError(f"{name} is empty.")
    index, headers = find_header_row(top)
    numbered = zip(itertools.count(index + 2), itertools.chain(top[index + 1 :], rows))
    remaining = None if total is None else max(0, total - index - 1)
    return Sheet(name, headers, index + 1, numbered, remaining)


def _read_csv(path: Path) -> Sheet:
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("cp1252", errors="replace")  # Excel's "CSV" on Windows
    # Only the delimiter is guessed (from the first line): csv.Sniffer also guesses quoting
    # and gets it wrong on cells such as {"note": ""}.
    first_line = text.split("\n", 1)[0]
    delimiter = max(",;\t", key=first_line.count)
    # A cell starts right after the start of the text, a line break, a delimiter or an
    # opening quote: if no ' follows any of those, no cell needs csv_unescape (skip the pass).
    escaped = text.startswith("'") or any(f"{c}'" in text for c in ("\r", "\n", '"', delimiter))
    try:
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
        if escaped:
            records = [
                [csv_unescape(cell) if cell[:1] == "'" else cell for cell in record]
                for record in reader
            ]
        else:
            records = list(reader)
    except csv.Error as exc:
        raise ImportFileError(f"{path.name} is not a readable CSV file ({exc}).") from None
    return _with_header(path.name, iter(records), len(records))


def _read_xlsx(path: Path) -> Sheet:
    import zipfile

    from openpyxl import load_workbook

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise ImportFileError(f"{path.name} is not a readable .xlsx file ({exc}).") from None
    sheet = workbook.worksheets[0]
    for candidate in workbook.worksheets:
        if candidate.title.lower().startswith("finding"):
            sheet = candidate
            break
    total = sheet.max_row if isinstance(sheet.max_row, int) else None

    def rows() -> Iterator[Sequence[Any]]:
        try:
            yield from sheet.iter_rows(min_row=1, values_only=True)
        finally:
            workbook.close()

    return _with_header(path.name, rows(), total)


def check_rows(
    db: sqlite_utils.Database,
    sheet: Sheet,
    mapping: ColumnMapping,
    report: ImportReport,
    *,
    today: date | None = None,
    progress: Progress | None = None,
) -> CheckedRows:
    """Validate every row with the finding model; rejected rows and notes go in the report."""
    today = today or date.today()
    default_polarity = "polarity" not in mapping.fields.values()
    if default_polarity:
        report.notes.append("No polarity column: every row is taken as a weakness.")
    checker = RowChecker(
        mapping=mapping,
        context=validation_context(db, today=today),
        pdus=pdu_names(db),
        themes={t.slug: t.name for t in list_themes(db) if t.active},
        today=today,
        default_polarity=default_polarity,
    )
    total = sheet.total_rows

    def checking(done: int) -> None:
        report.rows_read = done
        if progress:
            progress("checking", done, total)

    checked = check_in_parallel(checker, list(sheet.rows), checking)
    report.rejected += checked.rejected
    report.notes += checked.notes
    report.duplicates_in_file += checked.duplicates_in_file
    report.rows_read = checked.rows_read
    report.valid = len(checked.findings)
    return checked


def _existing_ids(db: sqlite_utils.Database, ids: list[str]) -> set[str]:
    found: set[str] = set()
    for start in range(0, len(ids), 50_000):
        # One JSON array per chunk: a few statements rather than one per 500 ids.
        chunk = json.dumps(ids[start : start + 50_000])
        found.update(
            r[0]
            for r in db.execute(
                "SELECT id FROM findings WHERE id IN (SELECT value FROM json_each(?))", [chunk]
            ).fetchall()
        )
    return found


def import_file(
    db: sqlite_utils.Database,
    path: Path,
    *,
    mapping: ColumnMapping | None = None,
    skip_invalid: bool = False,
    rejects_path: Path | None = None,
    today: date | None = None,
    actor: str | None = None,
    progress: Progress | None = None,
) -> ImportReport:
    """Import the findings of a .csv or .xlsx file.

    All or nothing by default: if any row is rejected nothing is written. With
    ``skip_invalid`` the valid rows are written and the rejected ones go to ``rejects_path``
    (when given) to be fixed and imported again. Rows already in the database (same id, or
    for rows without one the same source, date, summary and narrative) are skipped.
    """
    # Tens of thousands of live models make the cyclic GC rescan them again and again; nothing
    # here creates cycles, so it is paused for the import (about a fifth of the time).
    gc_was_enabled = gc.isenabled()
    gc.disable()
    try:
        return _import_file(db, path, mapping, skip_invalid, rejects_path, today, actor, progress)
    finally:
        if gc_was_enabled:
            gc.enable()


def _import_file(
    db: sqlite_utils.Database,
    path: Path,
    mapping: ColumnMapping | None,
    skip_invalid: bool,
    rejects_path: Path | None,
    today: date | None,
    actor: str | None,
    progress: Progress | None,
) -> ImportReport:
    started = time.perf_counter()
    sheet = read_sheet(path)
    mapping = mapping or match_columns(sheet.headers)
    report = ImportReport(file=path.name, mapping=mapping)
    missing = mapping.missing_required()
    if missing:
        names = ", ".join(FIELD_LABELS[m] for m in missing)
        report.fatal = (
            f"No column for {names} (required). Rename a column, or pick one in the mapping. "
            f"leap read the headers on row {sheet.header_row}: "
            + ", ".join(h for h in sheet.headers if h)
        )
        return report
    if mapping.details:
        report.notes.append(
            "Columns kept in each finding's details: " + ", ".join(mapping.details.values())
        )
    checked = check_rows(db, sheet, mapping, report, today=today, progress=progress)
    if report.rejected and not skip_invalid:
        report.seconds = time.perf_counter() - started
        return report
    if report.rejected and rejects_path is not None:
        write_rejects(rejects_path, sheet.headers, report.rejected)
        report.rejects_file = rejects_path
    import_id = str(uuid.uuid4())
    who = actor if actor is not None else current_actor(db)
    with write_transaction(db):
        # Checked inside the write lock, so two imports of one file cannot both add it.
        first_seq = _next_seq(db)
        # An empty table (no row, so max(seq) is none) holds none of them: skip the look-up.
        existing = _existing_ids(db, checked.ids) if first_seq > 1 else set()
        new = [f for f in checked.findings if f[0][0] not in existing]
        report.already_present = len(checked.findings) - len(new)
        report.imported = bulk_insert_prepared(
            db,
            new,
            progress=(lambda n: progress("writing", n, len(new))) if progress else None,
            actor=who,
        )
        _record_import(db, report, first_seq, import_id, who, skip_invalid)
    report.committed = True
    report.seconds = time.perf_counter() - started
    return report


def _next_seq(db: sqlite_utils.Database) -> int:
    return int(db.execute("SELECT coalesce(max(seq), 0) FROM findings").fetchone()[0]) + 1


def _record_import(
    db: sqlite_utils.Database,
    report: ImportReport,
    first_seq: int,
    import_id: str,
    actor: str,
    skip_invalid: bool,
) -> None:
    """One history entry for the import, naming the findings it added (seq >= first_seq).

    The findings one import adds are consecutive (the write lock is held throughout), so the
    entry stores their range and each finding's history finds it there
    (``db.history.history_for``): one row instead of one per finding, which on a 100k-row
    import was a fifth of the file's growth.
    """
    last_seq = int(db.execute("SELECT coalesce(max(seq), 0) FROM findings").fetchone()[0])
    added = {"first_seq": first_seq, "last_seq": last_seq} if last_seq >= first_seq else {}
    record_change(
        db,
        entity="import",
        entity_id=import_id,
        action="import",
        before=None,
        after={
            "file": report.file,
            "rows": report.rows_read,
            "imported": report.imported,
            "already_present": report.already_present,
            "duplicates_in_file": report.duplicates_in_file,
            "rejected": len(report.rejected),
            "mode": "skip-invalid" if skip_invalid else "all-or-nothing",
            **added,
        },
        actor=actor,
    )


def _json(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)


def write_rejects(path: Path, headers: Sequence[str], rejected: Sequence[RejectedRow]) -> None:
    """Write rejected rows, as read plus the row number and problems, to fix and re-import.

    An .xlsx path gets a workbook, any other a CSV file. The row-number and problem columns
    of an earlier rejects file being imported again are replaced, not repeated.
    """
    from db.exporter import atomic_output

    kept = [i for i, h in enumerate(headers) if words(h) not in IGNORED_HEADERS]
    columns = [*(headers[i] for i in kept), "leap_source_row", "leap_problems"]

    def rows() -> Iterator[list[Any]]:
        for rej in rejected:
            cells = [rej.values[i] if i < len(rej.values) else None for i in kept]
            problems = "; ".join(f"{p.column or 'row'}: {p.reason}" for p in rej.problems)
            yield [*cells, rej.row, problems]

    if path.suffix.lower() == ".xlsx":
        _write_rejects_xlsx(path, columns, rows())
        return
    from db.exporter import csv_cell

    with atomic_output(path, binary=False) as out:
        writer = csv.writer(out)
        writer.writerow(columns)
        writer.writerows([csv_cell(cell_text(v)) for v in row] for row in rows())


def _write_rejects_xlsx(path: Path, columns: list[str], rows: Iterator[list[Any]]) -> None:
    from openpyxl import Workbook

    from db.exporter import atomic_output, xlsx_cell

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Findings")
    sheet.append(columns)
    for row in rows:
        sheet.append([xlsx_cell(sheet, v) for v in row])
    with atomic_output(path) as handle:
        workbook.save(handle)
