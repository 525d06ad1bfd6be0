"""Exporting: safe by default, round trips through import, filters, whole files only."""

from __future__ import annotations

import csv
import json
from datetime import date
from pathlib import Path

import pytest
import sqlite_utils
from openpyxl import load_workbook

from db.connection import open_db
from db.exporter import atomic_output, export
from db.findings_store import get_finding, save_finding
from db.importer import import_file
from db.redact_store import set_redact_names
from findings.filters import FindingFilter
from findings.models import ThemeTag
from findings.spreadsheet import FIELD_LABELS
from tests.factories import SEED_FINDINGS, TODAY, make_finding
from tui.cli import main

PERSONAL = make_finding(
    summary="Mr John Smith missed appointments",
    narrative="John Smith (CRN X123456, PNC 2019/0123456A, DOB 01/02/1990) lives at OX1 2JD. "
    'Kelly Marsh, his partner, called. =HYPERLINK("x")',
    crn="X123456",
    source_ref="SFO Smith",
    recorded_by="QA Lead Ann",
    details={"victim": "Mrs Jane Doe"},
    themes=[ThemeTag(slug="victim", origin="suggested"), ThemeTag(slug="recording")],
)


@pytest.fixture
def personal_db(seeded_db: sqlite_utils.Database) -> sqlite_utils.Database:
    save_finding(seeded_db, PERSONAL, today=TODAY)
    set_redact_names(seeded_db, ["Kelly Marsh"])
    return seeded_db


def comparable(finding: object) -> dict[str, object]:
    return finding.model_dump(exclude={"version", "updated_at", "deleted_at"})  # type: ignore[attr-defined]


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_unsafe_export_imports_back_unchanged(
    personal_db: sqlite_utils.Database, tmp_path: Path, fmt: str
) -> None:
    out = tmp_path / f"all.{fmt}"
    result = export(personal_db, out, fmt=fmt, safe=False)
    assert result.rows == 4
    other = open_db(tmp_path / "other.db")
    try:
        report = import_file(other, out, today=TODAY)
        assert report.committed and report.imported == 4, report.problems
        for original in [*SEED_FINDINGS, PERSONAL]:
            copy = get_finding(other, original.id)
            stored = get_finding(personal_db, original.id)
            assert copy is not None and comparable(copy) == comparable(stored)
    finally:
        other.close()


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "json"])
def test_safe_export_is_the_default_and_removes_personal_data(
    personal_db: sqlite_utils.Database, tmp_path: Path, fmt: str
) -> None:
    out = tmp_path / f"safe.{fmt}"
    assert main(["export", "--db", str(tmp_path / "leap.db"), "--out", str(out)]) == 0
    if fmt == "xlsx":
        text = " ".join(
            str(c) for row in load_workbook(out).active.iter_rows(values_only=True) for c in row
        )
    else:
        text = out.read_text(encoding="utf-8-sig")
    for secret in ("X123456", "Smith", "John", "2019/0123456A", "01/02/1990", "OX1 2JD",
                   "Kelly", "Marsh", "Jane Doe", "QA Lead Ann"):  # fmt: skip
        assert secret not in text, secret
    assert "[Person A]" in text and "[CRN 1]" in text
    assert "Police checks not requested" in text  # ordinary findings untouched


def test_unsafe_needs_saying_and_warns(
    personal_db: sqlite_utils.Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "all.json"
    assert main(["export", "--db", str(tmp_path / "leap.db"), "--out", str(out), "--unsafe"]) == 0
    assert "warning" in capsys.readouterr().err
    records = json.loads(out.read_text(encoding="utf-8"))
    assert {r["crn"] for r in records} == {"", "X123456"}
    assert any(r["details"] == {"victim": "Mrs Jane Doe"} for r in records)


def test_help_says_exports_are_safe_by_default(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["export", "--help"])
    assert "SAFE by default" in capsys.readouterr().out


def test_filters_narrow_the_export(personal_db: sqlite_utils.Database, tmp_path: Path) -> None:
    out = tmp_path / "f.csv"
    flt = FindingFilter(pdus=["bucks_mk"], date_from=date(2026, 1, 1))
    assert export(personal_db, out, fmt="csv", flt=flt).rows == 1
    code = main(["export", "--db", str(tmp_path / "leap.db"), "--out", str(out), "--theme",
                 "victim", "--text", "appointments"])  # fmt: skip
    assert code == 0 and out.read_text(encoding="utf-8-sig").count("\n") == 2


def test_other_tables_export(personal_db: sqlite_utils.Database, tmp_path: Path) -> None:
    for what in ("assessments", "actions", "panels"):
        out = tmp_path / f"{what}.csv"
        assert export(personal_db, out, fmt="csv", what=what).rows == 0
        assert out.read_text(encoding="utf-8-sig").startswith("id,")


def test_failed_write_leaves_earlier_file_and_no_temp(tmp_path: Path) -> None:
    out = tmp_path / "export.csv"
    out.write_text("earlier")
    with pytest.raises(RuntimeError), atomic_output(out, binary=False) as handle:
        handle.write("half")
        raise RuntimeError("disk full")
    assert out.read_text() == "earlier"
    assert [p.name for p in tmp_path.iterdir()] == ["export.csv"]


def test_export_is_recorded_and_owner_only(
    personal_db: sqlite_utils.Database, tmp_path: Path
) -> None:
    out = tmp_path / "e.xlsx"
    export(personal_db, out, fmt="xlsx", safe=False)
    assert out.stat().st_mode & 0o777 == 0o600
    row = personal_db.execute("SELECT after FROM history WHERE entity = 'export'").fetchone()
    assert '"safe": false' in row[0]


def exported_findings(out: Path, fmt: str) -> list[dict[str, str]]:
    """The rows of an exported findings file, keyed by field name, read back from the file."""
    if fmt == "json":
        return [{k: str(v) for k, v in r.items()} for r in json.loads(out.read_text("utf-8"))]
    if fmt == "csv":
        with out.open(encoding="utf-8-sig", newline="") as handle:
            rows = [list(r) for r in csv.reader(handle)]
    else:
        rows = [
            [str(c or "") for c in r] for r in load_workbook(out).active.iter_rows(values_only=True)
        ]
    fields = {label: name for name, label in FIELD_LABELS.items()}
    header = [fields[label] for label in rows[0]]
    return [dict(zip(header, r, strict=True)) for r in rows[1:]]


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "json"])
def test_safe_export_leaves_out_case_references_and_untitled_names(
    fresh_db: sqlite_utils.Database, tmp_path: Path, fmt: str
) -> None:
    cases = {
        "sfo_review": "SFO/2026/017 John Smith",
        "complaint": "CMP-2026-0001",
        "death_under_supervision": "DUS-2026-004",
        "case_assessment": "RCAT-2026-Q1",
        "audit": "AUD-2026-Q1-001",
        "inspection": "HMIP-2026-01",
    }
    for source, ref in cases.items():
        finding = make_finding(
            source_type=source,
            source_ref=ref,
            summary="SFO-2026-005: Assessed as medium RoSH despite police call-outs to the address",
            narrative="Karen Whitfield did not check with police; Liam's school was not asked.",
        )
        save_finding(fresh_db, finding, today=TODAY)
    out = tmp_path / f"safe.{fmt}"
    export(fresh_db, out, fmt=fmt)
    rows = exported_findings(out, fmt)
    refs = {r["source_ref"] for r in rows}
    assert refs == {"", "AUD-2026-Q1-001", "HMIP-2026-01"}  # audits' and inspections' stay
    for row in rows:
        assert row["summary"].startswith("[SFO review ref]: Assessed as medium RoSH")
        assert row["narrative"] == (
            "[Name A] did not check with police; [Name B]'s school was not asked."
        )
    text = out.read_bytes().decode("utf-8", "replace") if fmt != "xlsx" else str(rows)
    for secret in ("SFO-2026", "2026/017", "CMP-2026", "DUS-2026", "Whitfield", "Liam", "John"):
        assert secret not in text, secret
