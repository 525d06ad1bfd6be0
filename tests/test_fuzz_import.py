"""Hostile spreadsheets through the import: a report or stored findings, never a crash."""

from __future__ import annotations

import csv
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

import sqlite_utils
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from db.checks import run_checks
from db.importer import import_file
from db.reference import list_themes, pdu_names
from findings.spreadsheet import Lookups, finding_data_from_row, match_columns, parse_date
from tests.factories import TODAY

HEADERS = ["Source", "Reference", "PDU", "Event date", "Stage", "Summary", "Narrative",
           "Themes", "CRN", "Recorded date", "Details", "ID"]  # fmt: skip
GOOD = ["audit", "A-1", "Oxfordshire", "2026-01-01", "planning", "summary", "", "", "", "", "",
        ""]  # fmt: skip
CELL_TEXT = st.one_of(
    st.text(max_size=40),
    st.text(alphabet=st.characters(max_codepoint=0x1F), max_size=10),
    st.sampled_from(
        ["", " ", "31/02/2026", "2026-13-01", "0", "-1", "99999999", "1e308", "nan",
         "'; DROP TABLE findings; --", "=1+1", "{", '{"a": [1]}', "{not json", "X123456",
         "x1234567", "mappa;mappa", "Mappa, nope", ":confirmed", "Oxfordshire", "SFO", "Z" * 500,
         "00000000-0000-0000-0000-000000000001", "1 Smarch 2026", "29/02/2025", "0/0/0"]
    ),
)  # fmt: skip
CELL_VALUE = st.one_of(
    CELL_TEXT,
    st.none(),
    st.integers(min_value=-(10**20), max_value=10**20),
    st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(),
    st.datetimes(min_value=datetime(1, 1, 1)),
    st.dates(),
    st.times(),
)
FUZZ = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@FUZZ
@given(
    st.lists(
        st.lists(CELL_TEXT, min_size=0, max_size=len(HEADERS) + 2).map(
            lambda cells: [*cells, *GOOD[len(cells) :]]
        ),
        min_size=1,
        max_size=8,
    ),
    st.booleans(),
)
def test_hostile_csv_imports_or_reports(
    fresh_db: sqlite_utils.Database, tmp_path: Path, rows: list[list[str]], skip: bool
) -> None:
    path = tmp_path / "fuzz.csv"
    with path.open("w", newline="", encoding="utf-8", errors="surrogatepass") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADERS)
        writer.writerows(rows)
    before = fresh_db.execute("SELECT count(*) FROM findings").fetchone()[0]
    report = import_file(fresh_db, path, skip_invalid=skip, today=TODAY)
    after = fresh_db.execute("SELECT count(*) FROM findings").fetchone()[0]
    assert after - before == report.imported
    assert report.imported + report.already_present + report.duplicates_in_file + len(
        report.rejected
    ) <= max(report.rows_read, 0)
    for rejected in report.rejected:
        assert rejected.problems, "a rejected row must say why"
        assert all(p.reason and p.row >= 2 for p in rejected.problems)
    if not report.committed:
        assert report.imported == 0
    assert run_checks(fresh_db).ok


@FUZZ
@given(st.lists(CELL_VALUE, min_size=len(HEADERS), max_size=len(HEADERS)))
def test_any_cell_value_reads_or_names_the_problem(
    fresh_db: sqlite_utils.Database, values: list[Any]
) -> None:
    lookups = Lookups(
        pdus=pdu_names(fresh_db), themes={t.slug: t.name for t in list_themes(fresh_db)}
    )
    data, problems = finding_data_from_row(values, match_columns(HEADERS), lookups)
    assert set(problems) <= {*data, *match_columns(HEADERS).fields.values()}
    assert all(isinstance(reason, str) and reason for reason in problems.values())


@settings(max_examples=300, deadline=None)
@given(CELL_VALUE)
def test_parse_date_gives_a_date_none_or_value_error(value: Any) -> None:
    try:
        parsed = parse_date(value)
    except ValueError as exc:
        assert "is not a date" in str(exc)
        return
    assert parsed is None or isinstance(parsed, date)
    if isinstance(value, time):
        raise AssertionError("a time of day is not a date")


@FUZZ
@given(st.binary(max_size=2000), st.sampled_from([".csv", ".xlsx"]))
def test_random_bytes_give_a_plain_error_or_a_report(
    fresh_db: sqlite_utils.Database, tmp_path: Path, content: bytes, suffix: str
) -> None:
    from db.connection import StoreError

    path = tmp_path / f"junk{suffix}"
    path.write_bytes(content)
    try:
        report = import_file(fresh_db, path, today=TODAY)
    except StoreError as exc:
        assert str(exc)
        return
    assert report.fatal or report.rejected or report.imported == 0


ROUND_TRIP_TEXT = st.one_of(
    st.text(max_size=60),
    st.sampled_from(["=1+1", "'=quoted", "-minus", "+plus", "@at", "'", "\uffff\ufffe", "a\tb",
                     "line\nbreak", "\r\n", '"', "x" * 199, "[Person A]", "Mr Smith X123456"]),
)  # fmt: skip


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@example(summary="'=", narrative="", source_ref="0", detail="", fmt="csv")  # found: ' lost
@example(summary="0", narrative="", source_ref="0", detail="\ufffe", fmt="xlsx")  # found: crash
@example(summary="0", narrative="", source_ref="0", detail="", fmt="csv")  # found: Sniffer
@given(
    summary=ROUND_TRIP_TEXT,
    narrative=ROUND_TRIP_TEXT,
    source_ref=ROUND_TRIP_TEXT,
    detail=ROUND_TRIP_TEXT,
    fmt=st.sampled_from(["csv", "xlsx"]),
)
def test_hostile_text_survives_export_and_import(
    tmp_path_factory: Any, summary: str, narrative: str, source_ref: str, detail: str, fmt: str
) -> None:
    from pydantic import ValidationError

    from db.connection import open_db
    from db.exporter import export
    from db.findings_store import get_finding, save_finding
    from tests.factories import make_finding

    try:
        finding = make_finding(
            summary=summary, narrative=narrative, source_ref=source_ref, details={"note": detail}
        )
    except ValidationError:
        return
    folder = tmp_path_factory.mktemp("rt")
    source, target = open_db(folder / "a.db"), open_db(folder / "b.db")
    try:
        save_finding(source, finding, today=TODAY)
        export(source, folder / f"out.{fmt}", fmt=fmt, safe=False)
        report = import_file(target, folder / f"out.{fmt}", today=TODAY)
        assert report.committed and report.imported == 1, report.problems
        original, copy = get_finding(source, finding.id), get_finding(target, finding.id)
        assert original is not None and copy is not None
        keep = {"summary", "narrative", "source_ref", "details"}
        assert copy.model_dump(include=keep) == original.model_dump(include=keep)
    finally:
        source.close()
        target.close()
