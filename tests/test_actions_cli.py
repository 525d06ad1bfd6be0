"""``leap actions``: the morning-check table and the CSV for spreadsheets."""

from __future__ import annotations

import csv
import io
from datetime import date
from pathlib import Path

import pytest
import sqlite_utils

from db.actions_store import create_action, set_status
from findings.actions import ActionStatus, LearningAction
from tests.factories import TODAY
from tui.cli import main


@pytest.fixture
def actions_db(fresh_db: sqlite_utils.Database) -> sqlite_utils.Database:
    def add(**kw: object) -> LearningAction:
        data: dict[str, object] = {
            "title": "Home visit refresher",
            "owner": "Head of Quality",
            "themes": ["home_visits"],
            "created_on": date(2026, 3, 1),
            "due_date": date(2026, 12, 31),
        }
        data.update(kw)
        return create_action(fresh_db, LearningAction.model_validate(data))

    add(title="Overdue since summer", due_date=date(2026, 6, 30), owner="SPO Oxfordshire")
    add(title="Due next week", due_date=date(2026, 12, 3))
    add(title='=SUM(A1), say "hello"', owner="Head of Quality, South Central")
    done = add(title="Finished")
    set_status(
        fresh_db,
        done.id,
        ActionStatus.DONE,
        expected_version=1,
        today=TODAY,
        evidence="Register, signed",
        completed_on=date(2026, 10, 1),
    )
    return fresh_db


def test_table_shows_escalation_and_summary(
    actions_db: sqlite_utils.Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = str(tmp_path / "leap.db")
    assert main(["actions", "--db", db, "--today", TODAY.isoformat()]) == 0
    out = capsys.readouterr().out
    lines = out.splitlines()
    assert lines[0].split()[:4] == ["Due", "Late", "Escalation", "Status"]
    overdue = next(line for line in lines if "Overdue since summer" in line)
    assert "149d" in overdue and "Overdue at 2 panels: for the chair" in overdue
    assert "Due soon" in next(line for line in lines if "Due next week" in line)
    assert "4 actions (all actions) on 2026-11-26: 1 overdue, 1 overdue at two panels" in out

    assert main(["actions", "--db", db, "--today", TODAY.isoformat(), "--overdue"]) == 0
    out = capsys.readouterr().out
    assert "Overdue since summer" in out and "Due next week" not in out
    assert main(["actions", "--db", db, "--owner", "nobody"]) == 0
    assert "No learning actions match (owner contains 'nobody')" in capsys.readouterr().out


def test_csv_is_quoted_and_formula_safe(
    actions_db: sqlite_utils.Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = str(tmp_path / "leap.db")
    args = ["actions", "--db", db, "--today", TODAY.isoformat(), "--format", "csv"]
    assert main(args) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert len(rows) == 4
    by_title = {r["title"]: r for r in rows}
    formula = by_title['\'=SUM(A1), say "hello"']  # kept as text, not run
    assert formula["owner"] == "Head of Quality, South Central"
    overdue = by_title["Overdue since summer"]
    assert overdue["escalation"] == "overdue_two_panels" and overdue["days_overdue"] == "149"
    finished = by_title["Finished"]
    assert finished["evidence"] == "Register, signed" and finished["completed_on"] == "2026-10-01"
    assert finished["impact"].startswith("Too early to judge")
    assert main([*args, "--status", "done"]) == 0
    assert len(list(csv.DictReader(io.StringIO(capsys.readouterr().out)))) == 1


def test_bad_status_is_a_usage_error(tmp_path: Path) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["actions", "--db", str(tmp_path / "x.db"), "--status", "finished"])
    assert exit_info.value.code == 2
