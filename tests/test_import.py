"""Importing findings: column matching, messy spreadsheets, reports, modes and re-imports."""

from __future__ import annotations

import csv
from datetime import date, datetime
from pathlib import Path

import pytest
import sqlite_utils
from openpyxl import Workbook, load_workbook

from db.findings_store import count_findings, get_finding, save_finding
from db.history import history_for
from db.importer import import_file
from tests.factories import TODAY
from tui.cli import main

HEADERS = ["Summary", "PDU", "Date", "Source", "Reference", "Stage", "Theme(s)", "Narrative"]
GOOD = [
    ["Checks not done", "Oxfordshire", "2026-03-01", "SFO", "SFO-1", "Assessment",
     "professional_curiosity; Poor multi-agency information sharing", "Police not asked."],
    ["Plan was generic", "bucks_mk", "01/04/2026", "Audit", "AUD-1", "planning", "planning",
     "No risk analysis."],
]  # fmt: skip


def write_csv(path: Path, rows: list[list[object]], headers: list[str] = HEADERS) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(headers)
        writer.writerows(rows)
    return path


def test_csv_rows_become_findings_with_themes_and_history(
    fresh_db: sqlite_utils.Database, tmp_path: Path
) -> None:
    report = import_file(fresh_db, write_csv(tmp_path / "in.csv", GOOD), today=TODAY)
    assert report.committed and report.imported == 2 and not report.rejected
    assert count_findings(fresh_db) == 2
    imported = [get_finding(fresh_db, r[0]) for r in fresh_db.execute("SELECT id FROM findings")]
    first = next(f for f in imported if f and f.source_ref == "SFO-1")
    assert first.pdu == "oxfordshire" and first.event_date == date(2026, 3, 1)
    assert first.theme_slugs == ["information_sharing", "professional_curiosity"]
    assert first.recorded_date == TODAY and first.polarity.value == "weakness"
    entries = fresh_db.execute("SELECT after FROM history WHERE entity = 'import'").fetchall()
    assert len(entries) == 1 and '"imported": 2' in entries[0][0] and "in.csv" in entries[0][0]
    assert history_for(fresh_db, "finding", str(first.id))[0].action == "import"


def test_an_imported_finding_shows_its_import_then_later_edits(
    fresh_db: sqlite_utils.Database, tmp_path: Path
) -> None:
    import_file(fresh_db, write_csv(tmp_path / "in.csv", GOOD), today=TODAY)
    finding_id = fresh_db.execute("SELECT id FROM findings ORDER BY seq").fetchone()[0]
    finding = get_finding(fresh_db, finding_id)
    assert finding is not None
    save_finding(fresh_db, finding.model_copy(update={"summary": "Edited after import"}))
    entries = history_for(fresh_db, "finding", finding_id)
    assert [e.action for e in entries] == ["import", "update"]
    assert entries[0].after == {"import": entries[0].after["import"], "file": "in.csv"}


def test_reimport_adds_no_duplicates(fresh_db: sqlite_utils.Database, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "in.csv", GOOD + [GOOD[0]])
    first = import_file(fresh_db, path, today=TODAY)
    assert first.imported == 2 and first.duplicates_in_file == 1
    again = import_file(fresh_db, path, today=TODAY)
    assert again.imported == 0 and again.already_present == 2
    assert count_findings(fresh_db) == 2


def test_all_or_nothing_reports_every_problem_and_writes_nothing(
    fresh_db: sqlite_utils.Database, tmp_path: Path
) -> None:
    bad = [
        ["", "Oxfordshire", "2026-03-01", "SFO", "SFO-2", "Assessment", "", ""],
        ["Unknown PDU", "Reading", "2026-03-01", "SFO", "SFO-3", "Assessment", "", ""],
        ["Bad date", "Oxfordshire", "31/02/2026", "rumour", "SFO-4", "Assessment", "nope", ""],
        ["Future", "Oxfordshire", "2027-01-01", "SFO", "SFO-5", "Assessment", "", ""],
    ]
    report = import_file(fresh_db, write_csv(tmp_path / "in.csv", GOOD + bad), today=TODAY)
    assert not report.committed and count_findings(fresh_db) == 0
    found = {(p.row, p.column): p.reason for p in report.problems}
    assert found[(4, "Summary")] == "is empty but required"
    assert found[(5, "PDU")] == "unknown PDU 'Reading'"
    assert "is not a date" in found[(6, "Date")]
    assert "unknown source 'rumour'" in found[(6, "Source")]
    assert found[(6, "Theme(s)")] == "unknown theme 'nope'"
    assert "in the future" in found[(7, "Date")]


def test_recorded_before_event_and_long_summary_are_told_in_plain_words(
    fresh_db: sqlite_utils.Database, tmp_path: Path
) -> None:
    headers = [*HEADERS, "Recorded on"]
    rows = [[*GOOD[0], "2026-02-01"], ["x" * 245, *GOOD[1][1:], ""]]
    report = import_file(fresh_db, write_csv(tmp_path / "in.csv", rows, headers), today=TODAY)
    found = {(p.row, p.column): p.reason for p in report.problems}
    assert found == {
        (2, "Recorded on"): "2026-02-01 is before the event date (2026-03-01)",
        (3, "Summary"): "at most 200 characters (this one has 245)",
    }


def test_skip_invalid_writes_rejects_that_import_once_fixed(
    fresh_db: sqlite_utils.Database, tmp_path: Path
) -> None:
    bad = ["Unknown PDU", "Reading", "2026-03-01", "SFO", "SFO-3", "Assessment", "", ""]
    rejects = tmp_path / "rejects.csv"
    report = import_file(
        fresh_db,
        write_csv(tmp_path / "in.csv", [*GOOD, bad]),
        skip_invalid=True,
        rejects_path=rejects,
        today=TODAY,
    )
    assert report.committed and report.imported == 2 and len(report.rejected) == 1
    with rejects.open(encoding="utf-8-sig") as handle:
        rows = list(csv.DictReader(handle))
    assert rows[0]["leap_source_row"] == "4" and "unknown PDU 'Reading'" in rows[0]["leap_problems"]
    text = rejects.read_text(encoding="utf-8-sig").replace("Reading", "West Berkshire")
    rejects.write_text(text, encoding="utf-8")
    fixed = import_file(fresh_db, rejects, today=TODAY)
    assert fixed.imported == 1 and not fixed.rejected
    assert count_findings(fresh_db) == 3


def test_xlsx_rejects_are_a_workbook_that_reimports_without_repeating_leap_columns(
    fresh_db: sqlite_utils.Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = str(tmp_path / "leap.db")
    bad = ["=1+1 no PDU", "Reading", "2026-03-01", "SFO", "SFO-3", "Assessment", "", ""]
    path = write_csv(tmp_path / "in.csv", [*GOOD, bad])
    first, second = tmp_path / "rejects.xlsx", tmp_path / "again.xlsx"
    assert main(["import", "--db", db, str(path), "--skip-invalid", "--rejects", str(first)]) == 1
    assert f"are in {first}" in capsys.readouterr().out
    assert main(["import", "--db", db, str(first), "--skip-invalid", "--rejects", str(second)]) == 1
    sheet = load_workbook(second).worksheets[0]
    header, row = ([c.value for c in r] for r in sheet.iter_rows(max_row=2))
    assert header == [*HEADERS, "leap_source_row", "leap_problems"]
    assert row[0] == "=1+1 no PDU" and sheet["A2"].data_type == "s"  # text, never a formula
    assert row[-2:] == [2, "PDU: unknown PDU 'Reading'"]
    assert count_findings(fresh_db) == 2


def test_messy_spreadsheet(fresh_db: sqlite_utils.Database, tmp_path: Path) -> None:
    """Title row, merged group header, blank rows, Excel and text dates, PDU names."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["Region findings log 2026"])
    sheet.merge_cells("A1:H1")
    sheet.append(["Finding", None, "Dates", None, "Where", None, None, None, None])
    sheet.merge_cells("C2:D2")
    sheet.append(["Summary", "Notes", "Event", "Recorded", "Probation delivery unit", "Source",
                  "Stage", "Theme(s)", "Ref"])  # fmt: skip
    sheet.append([None] * 8)
    sheet.append(["Excel date", "n", datetime(2026, 3, 1), 46105, "OXFORDSHIRE", "SFO review",
                  "Assessment", "Lack of professional curiosity", "S1"])  # fmt: skip
    sheet.append(["Text date", "n", "1 March 2026", "24/03/2026", "Southampton, Eastleigh and "
                  "New Forest", "Inspection", "Reviewing", "", "I1"])  # fmt: skip
    sheet.append([None] * 8)
    sheet.append(["Unknown PDU", "n", "2026-03-01", None, "Narnia", "Audit", "Planning", "", "A"])
    path = tmp_path / "messy.xlsx"
    book.save(path)
    report = import_file(fresh_db, path, skip_invalid=True, today=TODAY)
    assert report.mapping.fields == {
        0: "summary",
        1: "narrative",
        2: "event_date",
        3: "recorded_date",
        4: "pdu",
        5: "source_type",
        6: "stage",
        7: "themes",
        8: "source_ref",
    }
    assert report.rows_read == 3 and report.imported == 2
    assert [(p.row, p.column, p.reason) for p in report.problems] == [
        (8, "Probation delivery unit", "unknown PDU 'Narnia'")
    ]
    assert report.notes  # no polarity column: said so
    dates = sorted(
        (r[0], r[1]) for r in fresh_db.execute("SELECT event_date, recorded_date FROM findings")
    )
    assert dates == [("2026-03-01", "2026-03-24"), ("2026-03-01", "2026-03-24")]


def test_missing_required_column_is_one_clear_message(
    fresh_db: sqlite_utils.Database, tmp_path: Path
) -> None:
    path = write_csv(tmp_path / "in.csv", [r[:5] for r in GOOD], HEADERS[:5])
    report = import_file(fresh_db, path, today=TODAY)
    assert report.fatal.startswith("No column for Stage (required)")
    assert not report.committed


def test_template_has_columns_note_and_example_that_is_skipped(
    fresh_db: sqlite_utils.Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "template.xlsx"
    assert main(["import", "--db", str(tmp_path / "leap.db"), "--template", str(path)]) == 0
    sheet = load_workbook(path)["Findings"]
    assert "leap import template" in str(sheet["A1"].value)
    assert [c.value for c in sheet[2]][:3] == ["ID", "Source", "Source reference"]
    assert sheet["I3"].value == "Self-reported employment was not verified"
    report = import_file(fresh_db, path, today=TODAY)
    assert report.committed and report.imported == 0
    assert any("example row" in n for n in report.notes)


def test_cli_import_reports_and_exit_codes(
    seeded_db: sqlite_utils.Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = str(tmp_path / "leap.db")
    bad = ["Unknown PDU", "Reading", "2026-03-01", "SFO", "SFO-3", "Assessment", "", ""]
    path = write_csv(tmp_path / "in.csv", [*GOOD, bad])
    assert main(["import", "--db", db, str(path)]) == 1
    err = capsys.readouterr().err
    assert "row 4, PDU: unknown PDU 'Reading'" in err and "Nothing was imported" in err
    rejects = tmp_path / "rej.csv"
    code = main(["import", "--db", db, str(path), "--skip-invalid", "--rejects", str(rejects)])
    assert code == 1 and rejects.exists()
    assert "Imported 2 finding(s)" in capsys.readouterr().out
    assert main(["import", "--db", db, str(tmp_path / "none.csv")]) == 2
    assert "does not exist" in capsys.readouterr().err
    assert main(["import", "--db", db, str(path), "--map", "Narrative=ignore"]) == 1


def test_column_mapping_can_be_adjusted(fresh_db: sqlite_utils.Database, tmp_path: Path) -> None:
    headers = ["What happened", *HEADERS[1:]]
    path = write_csv(tmp_path / "in.csv", GOOD, headers)
    assert main(["import", "--db", str(tmp_path / "leap.db"), str(path)]) == 2
    code = main(["import", "--db", str(tmp_path / "leap.db"), str(path), "--map",
                 "What happened=summary"])  # fmt: skip
    assert code == 0 and count_findings(fresh_db) == 2


def test_map_takes_the_template_column_names_and_names_a_wrong_one(
    fresh_db: sqlite_utils.Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = str(tmp_path / "leap.db")
    headers = ["Kind", "When", *HEADERS[0:2], *HEADERS[4:]]
    rows = [[r[3], r[2], r[0], r[1], *r[4:]] for r in GOOD]
    path = write_csv(tmp_path / "in.csv", rows, headers)
    code = main(["import", "--db", db, str(path), "--map", "Kind=SOURCE", "--map",
                 "When=event_date"])  # fmt: skip
    assert code == 0 and count_findings(fresh_db) == 2
    assert "Kind → Source, When → Event date" in capsys.readouterr().out
    assert main(["import", "--db", db, str(path), "--map", "Kind=Sauce"]) == 2
    err = capsys.readouterr().err
    assert "'Sauce' is not a field: use one of ID, Source, Source reference" in err
    assert "detail or ignore" in err
    assert main(["import", "--db", db, str(path), "--map", "Kinds=Source"]) == 2
    assert "no column named 'Kinds' (the file has: Kind, When, Summary" in capsys.readouterr().err


def test_import_key_is_the_uuid5_of_the_squeezed_row_content() -> None:
    import uuid

    from findings.spreadsheet import IMPORT_NAMESPACE, import_key

    content = "ref-1\x1f2026-03-01\x1fSummary text\x1fa b c"
    expected = str(uuid.uuid5(IMPORT_NAMESPACE, content))
    assert import_key("REF-1", date(2026, 3, 1), "Summary text", "a b c") == expected
    assert import_key(" REF-1", date(2026, 3, 1), "Summary  text", "a\tb\n c ") == expected
    assert import_key("REF-1", None, "s", "") == str(
        uuid.uuid5(IMPORT_NAMESPACE, "ref-1\x1f\x1fs\x1f")
    )


def test_large_import_into_a_small_file_keeps_indexes_search_and_history(
    fresh_db: sqlite_utils.Database, tmp_path: Path
) -> None:
    from benchmarks.bench_import import synthetic_rows
    from benchmarks.bench_import import write_csv as write_bench_csv
    from db.checks import run_checks
    from db.findings_store import FindingFilter

    index_sql = "SELECT sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL"
    before = {r[0] for r in fresh_db.execute(index_sql).fetchall()}
    source = tmp_path / "big.csv"
    write_bench_csv(source, synthetic_rows(2500))  # enough to rebuild indexes, not re-insert
    report = import_file(fresh_db, source, today=TODAY)
    assert report.committed and report.imported == 2500
    assert {r[0] for r in fresh_db.execute(index_sql).fetchall()} == before
    seqs = "SELECT id FROM findings ORDER BY seq"
    ids = [r[0] for r in fresh_db.execute(seqs).fetchall()]
    for finding_id in (ids[0], ids[1234], ids[-1]):
        (entry,) = history_for(fresh_db, "finding", finding_id)
        assert entry.action == "import" and entry.after and entry.after["file"] == "big.csv"
    assert count_findings(fresh_db, FindingFilter(text="verify")) == 2500
    assert run_checks(fresh_db).ok
    again = import_file(fresh_db, source, today=TODAY)
    assert again.imported == 0 and again.already_present == 2500
    assert [e.action for e in history_for(fresh_db, "finding", ids[7])] == ["import"]
