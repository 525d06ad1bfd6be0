"""Checking rows split with a helper process gives exactly what checking them here gives."""

from __future__ import annotations

import pytest
import sqlite_utils

import db.row_check as row_check
from db.importer import CheckedRows, RowChecker
from db.reference import list_themes, pdu_names, validation_context
from findings.spreadsheet import match_columns
from tests.factories import TODAY

HEADERS = ["Source", "Reference", "PDU", "Event date", "Stage", "Summary", "Narrative", "Themes"]


def _rows(count: int) -> list[tuple[int, list[str]]]:
    rows = []
    for n in range(count):
        row = ["SFO review", f"SFO-{n % 40}", "Oxfordshire", f"2026-01-{n % 28 + 1:02d}",
               "Assessment", f"Finding {n % 150}", "Checks were not made.", "planning"]  # fmt: skip
        if n % 97 == 5:
            row[2] = "Atlantis"  # an unknown PDU: rejected
        if n % 131 == 7:
            row[3] = "2099-01-01"  # in the future: rejected
        rows.append((n + 2, row))
    # The first rows again at the end (other halves of a split): duplicates within the file.
    return rows + [(count + 2 + n, values) for n, (_, values) in enumerate(rows[:300])]


def _checker(db: sqlite_utils.Database) -> RowChecker:
    return RowChecker(
        mapping=match_columns(HEADERS),
        context=validation_context(db, today=TODAY),
        pdus=pdu_names(db),
        themes={t.slug: t.name for t in list_themes(db)},
        today=TODAY,
        default_polarity=True,
    )


def _summary(checked: CheckedRows) -> tuple[object, ...]:
    return (
        checked.ids,
        checked.findings,
        [(r.row, r.problems) for r in checked.rejected],
        checked.notes,
        checked.rows_read,
        checked.duplicates_in_file,
    )


@pytest.mark.parametrize("helper_works", [True, False])
def test_split_checking_matches_checking_in_one_process(
    fresh_db: sqlite_utils.Database, monkeypatch: pytest.MonkeyPatch, helper_works: bool
) -> None:
    rows = _rows(5000)
    alone = _checker(fresh_db).check(rows)
    assert alone.rejected and alone.duplicates_in_file and alone.findings  # a meaningful case
    monkeypatch.setattr(row_check, "PARALLEL_FROM", 100)
    monkeypatch.setattr(row_check, "_usable_cores", lambda: 2)
    if not helper_works:  # the helper cannot start: this process checks every row itself
        monkeypatch.setattr(row_check.sys, "executable", "/nonexistent/python")
    from_helper: list[bool] = []
    helper_result = row_check._helper_result

    def recording_helper_result(*args: object) -> CheckedRows | None:
        result = helper_result(*args)  # type: ignore[arg-type]
        from_helper.append(result is not None)
        return result

    monkeypatch.setattr(row_check, "_helper_result", recording_helper_result)
    seen: list[int] = []
    split = row_check.check_in_parallel(_checker(fresh_db), rows, seen.append)
    assert _summary(split) == _summary(alone)
    assert from_helper == [helper_works]
    assert seen and seen[-1] <= len(rows)
