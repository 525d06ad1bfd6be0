"""Checking imported rows with the finding model, in this process or split with a helper one."""

from __future__ import annotations

import gc
import itertools
import os
import pickle
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from db.bulk import PreparedFinding, prepare_finding
from db.import_template import EXAMPLE
from findings.levels import suggest_levels, suggested_tags
from findings.models import Finding, LevelTag, Polarity, plain_error
from findings.spreadsheet import (
    FIELD_LABELS,
    ColumnMapping,
    Lookups,
    RowProblem,
    finding_data_from_row,
    import_key,
    is_blank,
)

CHECK_CHUNK = 500
"""Rows read and validated together (see RowChecker.check)."""

PARALLEL_FROM = 20_000
"""Fewest rows worth checking in two processes: below this a helper's start-up (~0.4 s) costs
more than it saves."""

NumberedRow = tuple[int, Sequence[Any]]
"""A data row and its 1-based row number in the sheet."""


@dataclass
class RejectedRow:
    """A row that cannot be imported, its values as read, and every problem with it."""

    row: int
    values: Sequence[Any]
    problems: list[RowProblem]


@dataclass
class CheckedRows:
    """What checking some rows found: the valid findings, ready to write, and the rest."""

    findings: list[PreparedFinding] = field(default_factory=list)
    rejected: list[RejectedRow] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    rows_read: int = 0
    duplicates_in_file: int = 0

    @property
    def ids(self) -> list[str]:
        """Each valid finding's id as text, in the same order."""
        return [prepared[0][0] for prepared in self.findings]

    def extend(self, later: CheckedRows) -> None:
        """Add the result of the rows after these; a finding seen here already is a duplicate."""
        seen = set(self.ids)
        for finding in later.findings:
            if finding[0][0] in seen:
                self.duplicates_in_file += 1
            else:
                seen.add(finding[0][0])
                self.findings.append(finding)
        self.rejected += later.rejected
        self.notes += later.notes
        self.rows_read += later.rows_read
        self.duplicates_in_file += later.duplicates_in_file


@dataclass
class RowChecker:
    """Everything needed to check rows, and nothing tied to a database (so it can be pickled).

    ``context`` is the finding model's validation context (known PDUs and themes, the clock);
    ``pdus`` and ``themes`` map codes and slugs to names for reading the cells.
    """

    mapping: ColumnMapping
    context: dict[str, Any]
    pdus: dict[str, str]
    themes: dict[str, str]
    today: date
    default_polarity: bool

    def check(
        self, rows: Iterable[NumberedRow], progress: Callable[[int], None] | None = None
    ) -> CheckedRows:
        """Validate rows with the finding model; ``progress`` gets the count every 2,000."""
        mapping, today = self.mapping, self.today
        lookups = Lookups(pdus=self.pdus, themes=self.themes)
        # The model's own validator, called directly: model_validate adds a Python call per row.
        validate = Finding.__pydantic_validator__.validate_python
        checked = CheckedRows()
        valid, seen = checked.findings, set[str]()
        suggest = "levels" not in mapping.fields.values()
        suggested: dict[tuple[str, ...], list[LevelTag]] = {}

        def theme_levels(slugs: list[str]) -> list[LevelTag]:
            key = tuple(slugs)
            if key not in suggested:
                suggested[key] = suggested_tags(suggest_levels(key))
            return list(suggested[key])

        iterator = iter(rows)
        # Rows go through in chunks, one step at a time over the chunk (read the cells, then
        # validate): measured ~10% faster than all steps row by row on a large sheet.
        while chunk := list(itertools.islice(iterator, CHECK_CHUNK)):
            read = []
            for row_number, values in chunk:
                if is_blank(values):
                    continue
                data, cell_problems = finding_data_from_row(values, mapping, lookups)
                if "recorded_date" not in data:
                    data["recorded_date"] = today
                if self.default_polarity:
                    data["polarity"] = Polarity.WEAKNESS
                key = ""
                if "id" not in data and not cell_problems:
                    # No id column (or a blank id): the row's content is its stable import key.
                    key = data["id"] = import_key(
                        str(data.get("source_ref", "")),
                        data.get("event_date"),
                        str(data.get("summary", "")),
                        str(data.get("narrative", "")),
                    )
                read.append((row_number, values, data, cell_problems, key))
            for row_number, values, data, cell_problems, key in read:
                checked.rows_read += 1
                try:
                    finding = validate(data, context=self.context)
                except ValidationError as exc:
                    problems = self._cell_problems(row_number, cell_problems)
                    problems += _problems_from(exc, row_number, mapping, set(cell_problems))
                    checked.rejected.append(RejectedRow(row_number, values, problems))
                    continue
                if is_template_example(finding):
                    note = f"Row {row_number} is the template's example row: skipped."
                    checked.notes.append(note)
                elif cell_problems:
                    problems = self._cell_problems(row_number, cell_problems)
                    checked.rejected.append(RejectedRow(row_number, values, problems))
                else:
                    if suggest and finding.polarity is Polarity.WEAKNESS:
                        # No Levels column: the levels the themes lean to, marked unconfirmed
                        # (the rule the m010 upgrade uses). Reading the text for cues too
                        # would cost ~20 µs a row, a third more CPU on a large import.
                        finding.levels = theme_levels(finding.theme_slugs)
                    id_text = key or str(finding.id)
                    if id_text in seen:
                        checked.duplicates_in_file += 1
                    else:
                        seen.add(id_text)
                        valid.append(prepare_finding(finding, id_text))
                if progress and checked.rows_read % 2000 == 0:
                    progress(checked.rows_read)
        return checked

    def _cell_problems(self, row_number: int, cell_problems: dict[str, str]) -> list[RowProblem]:
        return [
            RowProblem(row_number, self.mapping.column_of(name), reason)
            for name, reason in cell_problems.items()
        ]


def check_in_parallel(
    checker: RowChecker,
    rows: Sequence[NumberedRow],
    progress: Callable[[int], None] | None = None,
) -> CheckedRows:
    """Check rows, the second half in a helper process when there are many and two cores.

    Checking is plain Python, bound to one core; a large sheet is about twice as fast split in
    two. If the helper cannot start or fails, this process checks its half too: the result is
    the same either way.
    """
    if len(rows) < PARALLEL_FROM or _usable_cores() < 2:
        return checker.check(rows, progress)
    # The helper pays ~0.8 s this process does not (starting Python, reading its rows,
    # sending its result back), so it takes a little less than half: measured balanced at
    # 100,000 rows.
    split = len(rows) * 14 // 25
    scale = len(rows) / split
    with tempfile.TemporaryDirectory(prefix="leap-check-") as tmp:
        job, result = Path(tmp) / "job.pickle", Path(tmp) / "result.pickle"
        helper = _start_helper(checker, rows[split:], job, result)
        first = checker.check(
            rows[:split], (lambda done: progress(int(done * scale))) if progress else None
        )
        second = _helper_result(helper, result)
    if second is None:
        second = checker.check(rows[split:])
    first.extend(second)
    return first


def _usable_cores() -> int:
    """Cores this process may run on (a container's CPU limit, not the machine's count)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on every platform
        return os.cpu_count() or 1


def _start_helper(
    checker: RowChecker, rows: Sequence[NumberedRow], job: Path, result: Path
) -> subprocess.Popen[bytes] | None:
    try:
        with job.open("wb") as out:
            pickle.dump((checker, list(rows)), out, protocol=pickle.HIGHEST_PROTOCOL)
        package_root = str(Path(__file__).resolve().parents[1])
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [package_root,
               os.environ.get("PYTHONPATH")]))}  # fmt: skip
        return subprocess.Popen(
            [sys.executable, "-m", "db.row_check", str(job), str(result)],
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
    except (OSError, pickle.PicklingError):
        return None


def _helper_result(helper: subprocess.Popen[bytes] | None, result: Path) -> CheckedRows | None:
    if helper is None:
        return None
    try:
        if helper.wait(timeout=600) != 0:
            return None
        with result.open("rb") as handle:
            checked = pickle.load(handle)
    except (OSError, pickle.UnpicklingError, EOFError, subprocess.TimeoutExpired):
        helper.kill()
        return None
    return checked if isinstance(checked, CheckedRows) else None


def _problems_from(
    exc: ValidationError, row: int, mapping: ColumnMapping, skip: set[str]
) -> list[RowProblem]:
    problems = []
    for err in exc.errors():
        loc = [str(p) for p in err.get("loc", ())]
        message = plain_error(err)
        name = loc[0] if loc else ""
        if name in skip:
            continue  # already reported in words when the cell was read
        if err.get("type") == "missing":
            message = "is empty but required"
        column = mapping.column_of(name) or FIELD_LABELS.get(name, name or "row")
        problems.append(RowProblem(row, column, message))
    return problems


def is_template_example(finding: Finding) -> bool:
    """True for the synthetic example row of leap's template (never imported)."""
    return finding.source_ref == EXAMPLE["source_ref"] and finding.summary == EXAMPLE["summary"]


def _helper_main(job: str, result: str) -> int:
    """Check the rows of a job file and write what was found to the result file."""
    gc.disable()  # many live models, no cycles (see db.importer.import_file)
    with open(job, "rb") as handle:
        checker, rows = pickle.load(handle)
    checked = checker.check(rows)
    with open(result, "wb") as out:
        pickle.dump(checked, out, protocol=pickle.HIGHEST_PROTOCOL)
    return 0


if __name__ == "__main__":
    # Through the package's copy of this module, so what is pickled names db.row_check.
    from db.row_check import _helper_main as helper_main

    sys.exit(helper_main(sys.argv[1], sys.argv[2]))
