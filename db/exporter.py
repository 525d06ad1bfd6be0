"""Exporting findings, assessments, actions and panels to .csv, .xlsx or .json, safely."""

from __future__ import annotations

import contextlib
import csv
import json
import os
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from db.findings_store import filter_where
from db.history import record_change
from db.redact_store import redactor_for
from findings.filters import FindingFilter
from findings.models import CASE_LEVEL_SOURCES, Polarity, Rosh, SourceType, Stage, TagOrigin
from findings.redact import Redactor
from findings.spreadsheet import FIELD_LABELS, IMPORT_FIELDS, csv_escape

if TYPE_CHECKING:
    import sqlite_utils

FORMATS = ("csv", "xlsx", "json")
WHAT = ("findings", "assessments", "actions", "panels", "moderation")


@contextlib.contextmanager
def atomic_output(
    path: Path, *, binary: bool = True, encoding: str = "utf-8-sig"
) -> Iterator[IO[Any]]:
    """A temporary file beside ``path`` that replaces it only once fully written.

    A failure (or the process being killed) leaves any earlier file as it was and no half
    file behind. The file is readable by its owner only: exports may hold personal data.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    tmp = Path(tmp_name)
    try:
        os.fchmod(fd, 0o600)
        mode = "wb" if binary else "w"
        kwargs: dict[str, Any] = {} if binary else {"encoding": encoding, "newline": ""}
        with os.fdopen(fd, mode, **kwargs) as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise


@dataclass(frozen=True)
class Table:
    """Rows ready to write: column headers and cell values (dates stay dates for Excel)."""

    name: str
    headers: list[str]
    rows: Iterable[Sequence[Any]]


def finding_rows(
    db: sqlite_utils.Database, flt: FindingFilter, redactor: Redactor | None
) -> Iterator[dict[str, Any]]:
    """Every finding matching the filter as export fields, oldest first (redacted if asked)."""
    pdus = {code: name for code, name in db.execute("SELECT code, name FROM pdus").fetchall()}
    where, params = filter_where(flt, db)
    if redactor is not None:
        # A first pass learns every titled name, so each field of each row is redacted alike.
        for texts in db.execute(
            f"SELECT f.source_ref, f.summary, f.narrative, f.details FROM findings f{where}",
            params,
        ):
            for text in texts:
                redactor.learn(text)
    cursor = db.execute(
        "SELECT f.id, f.source_type, f.source_ref, f.pdu, f.event_date, f.recorded_date, "
        "f.stage, f.polarity, f.summary, f.narrative, f.rosh, f.crn, "
        "(SELECT group_concat(theme_slug || ':' || origin, ';') FROM "
        " (SELECT theme_slug, origin FROM finding_themes t WHERE t.finding_seq = f.seq "
        "  ORDER BY theme_slug)), "
        "f.recorded_by, f.details, "
        "(SELECT group_concat(level || ':' || origin, ';') FROM "
        " (SELECT l.level, l.origin FROM finding_levels l JOIN levels v ON v.slug = l.level "
        "  WHERE l.finding_seq = f.seq ORDER BY v.sort)), "
        "(SELECT group_concat(theme_slug, '; ') FROM "
        " (SELECT theme_slug FROM theme_rejections r WHERE r.finding_seq = f.seq "
        "  ORDER BY theme_slug)) "
        f"FROM findings f{where} ORDER BY f.event_date, f.seq",
        params,
    )
    for row in cursor:
        record = dict(zip(IMPORT_FIELDS, row, strict=True))
        source = SourceType(record["source_type"])
        record["source_type"] = source.label
        record["pdu"] = pdus.get(record["pdu"], record["pdu"])
        record["event_date"] = date.fromisoformat(record["event_date"])
        record["recorded_date"] = date.fromisoformat(record["recorded_date"])
        record["stage"] = Stage(record["stage"]).label
        record["polarity"] = Polarity(record["polarity"]).value
        record["rosh"] = Rosh(record["rosh"]).label
        record["themes"] = "; ".join(
            t.removesuffix(":" + TagOrigin.MANUAL.value)
            for t in (record["themes"] or "").split(";")
            if t
        )
        record["levels"] = "; ".join(
            t.removesuffix(":" + TagOrigin.MANUAL.value)
            for t in (record["levels"] or "").split(";")
            if t
        )
        record["rejected_themes"] = record["rejected_themes"] or ""
        details = json.loads(record["details"] or "{}")
        if redactor is not None:
            # A case's own reference (an SFO review's, a complaint's) names it, as the CRN does.
            case_level = source in CASE_LEVEL_SOURCES
            record["source_ref"] = "" if case_level else redactor.redact(record["source_ref"])
            for name in ("summary", "narrative"):
                record[name] = redactor.redact(record[name])
            record["crn"] = None
            record["recorded_by"] = ""
            details = {redactor.redact(k): redactor.redact(str(v)) for k, v in details.items()}
        record["details"] = json.dumps(details, ensure_ascii=False) if details else ""
        record["crn"] = record["crn"] or ""
        yield record


_TABLE_QUERIES = {
    "assessments": (
        "case_assessments",
        "SELECT id, audit_ref, pdu, assessed_on, rosh, crn, q_assessment, q_planning, "
        "q_implementation_delivery, q_reviewing, recorded_by, created_at FROM case_assessments "
        "WHERE deleted_at IS NULL ORDER BY assessed_on, id",
    ),
    "actions": (
        "actions",
        "SELECT a.*, (SELECT group_concat(theme_slug, '; ') FROM action_themes t "
        "WHERE t.action_id = a.id) AS themes FROM actions a WHERE a.deleted_at IS NULL "
        "ORDER BY a.due_date, a.id",
    ),
    "panels": (
        "panels",
        "SELECT p.*, (SELECT group_concat(text, ' | ') FROM panel_decisions d "
        "WHERE d.panel_id = p.id) AS decisions FROM panels p ORDER BY p.held_on, p.id",
    ),
    "moderation": (
        "moderation_sample",
        "SELECT r.id AS round, r.period_start, r.period_end, r.seed, r.size_requested, "
        "r.coder AS second_coder, r.created_at AS round_created_at, s.position, s.finding_id, "
        "s.source_type, s.first_coder, s.first_themes, s.first_polarity, "
        "c.themes AS second_themes, c.polarity AS second_polarity, c.coded_at, "
        "s.tagger_themes, s.tagger_polarity, d.themes AS agreed_themes, "
        "d.polarity AS agreed_polarity, d.note AS moderation_note, d.decided_by, d.decided_at, "
        "CASE WHEN f.id IS NULL OR f.deleted_at IS NOT NULL THEN 'skipped: deleted' ELSE '' END "
        "AS skipped FROM moderation_sample s JOIN moderation_rounds r ON r.id = s.round_id "
        "LEFT JOIN moderation_codings c ON c.round_id = s.round_id AND c.position = s.position "
        "LEFT JOIN moderation_decisions d ON d.round_id = s.round_id "
        "AND d.position = s.position LEFT JOIN findings f ON f.id = s.finding_id "
        "ORDER BY r.id, s.position",
    ),
}
_NOT_TEXT = {"id", "pdu", "rosh", "status", "scope", "created_at", "updated_at", "panel_id"}
_NOT_TEXT |= {"first_themes", "second_themes", "tagger_themes", "agreed_themes", "finding_id"}
_PERSON_COLUMNS = {"crn", "recorded_by"}
_PERSON_COLUMNS |= {"second_coder", "first_coder", "decided_by"}


def table_rows(
    db: sqlite_utils.Database, what: str, redactor: Redactor | None
) -> Iterator[dict[str, Any]]:
    """Rows of case assessments, actions or panels (text redacted and CRNs removed if asked)."""
    _, query = _TABLE_QUERIES[what]
    cursor = db.execute(query)
    columns = [c[0] for c in cursor.description]
    for row in cursor:
        record = dict(zip(columns, row, strict=True))
        if redactor is not None:
            for key, value in record.items():
                if key in _PERSON_COLUMNS:
                    record[key] = ""
                elif isinstance(value, str) and key not in _NOT_TEXT:
                    record[key] = redactor.redact_value(
                        json.loads(value) if value.startswith("[") else value
                    )
                    if isinstance(record[key], list):
                        record[key] = json.dumps(record[key], ensure_ascii=False)
        yield record


@dataclass
class ExportResult:
    """What an export wrote."""

    path: Path
    rows: int
    safe: bool


def export(
    db: sqlite_utils.Database,
    out: Path,
    *,
    fmt: str,
    what: str = "findings",
    flt: FindingFilter | None = None,
    safe: bool = True,
    actor: str | None = None,
) -> ExportResult:
    """Write findings (or another table) to ``out`` as csv, xlsx or json; all or nothing."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown format '{fmt}' (use csv, xlsx or json)")
    if what not in WHAT:
        raise ValueError(f"cannot export '{what}' (use {', '.join(WHAT[:-1])} or {WHAT[-1]})")
    redactor = redactor_for(db) if safe else None
    if what == "findings":
        records: Iterable[dict[str, Any]] = finding_rows(db, flt or FindingFilter(), redactor)
        headers = list(IMPORT_FIELDS)
        labels = [FIELD_LABELS[h] for h in headers]
    else:
        rows = list(table_rows(db, what, redactor))
        headers = list(rows[0]) if rows else _columns_of(db, what)
        labels = headers
        records = rows
    count = _write(out, fmt, what, headers, labels, records)
    record_change(
        db,
        entity="export",
        entity_id=out.name,
        action="export",
        before=None,
        after={"what": what, "format": fmt, "rows": count, "safe": safe},
        actor=actor,
    )
    return ExportResult(out, count, safe)


def _columns_of(db: sqlite_utils.Database, what: str) -> list[str]:
    cursor = db.execute(_TABLE_QUERIES[what][1] + " LIMIT 0")
    return [c[0] for c in cursor.description]


def _write(
    out: Path,
    fmt: str,
    what: str,
    headers: list[str],
    labels: list[str],
    records: Iterable[dict[str, Any]],
) -> int:
    count = 0
    if fmt == "json":
        with atomic_output(out, binary=False, encoding="utf-8") as handle:
            handle.write("[")
            for record in records:
                handle.write(",\n" if count else "\n")
                handle.write(json.dumps(_jsonable(record), ensure_ascii=False))
                count += 1
            handle.write("\n]\n")
        return count
    if fmt == "csv":
        with atomic_output(out, binary=False) as handle:
            writer = csv.writer(handle)
            writer.writerow(labels)
            for record in records:
                writer.writerow([csv_cell(record.get(h)) for h in headers])
                count += 1
        return count
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(what.capitalize())
    sheet.append(labels)
    for record in records:
        count += 1
        sheet.append([xlsx_cell(sheet, record.get(h)) for h in headers])
    with atomic_output(out) as handle:
        workbook.save(handle)
    return count


def _jsonable(record: dict[str, Any]) -> dict[str, Any]:
    out = {k: v.isoformat() if isinstance(v, date) else v for k, v in record.items()}
    if isinstance(out.get("details"), str) and "source_type" in out:
        out["details"] = json.loads(out["details"] or "{}")
    return out


def csv_cell(value: Any) -> Any:
    """A value for a CSV cell: dates as ISO text, text that looks like a formula kept text."""
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, str):
        return csv_escape(value)  # shown as text, never run; leap's import takes the ' off
    return "" if value is None else value


_ILLEGAL_XLSX = {c: None for c in [*range(32), 0xFFFE, 0xFFFF] if c not in (9, 10, 13)}


def xlsx_cell(sheet: Any, value: Any) -> Any:
    """A cell value for openpyxl: no control characters, and text that looks like a formula
    stays text (a finding must never run as a formula when the file is opened)."""
    if not isinstance(value, str):
        return value
    from openpyxl.cell import WriteOnlyCell

    cell = WriteOnlyCell(sheet, value=value.translate(_ILLEGAL_XLSX))
    if cell.data_type == "f":
        cell.data_type = "s"
    return cell
