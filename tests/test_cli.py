"""The command line: help, database location, search output and errors without tracebacks."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import sqlite_utils

from tui.cli import COMMANDS, command_named, default_db_path, main


def test_help_lists_every_command(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["--help"])
    assert exit_info.value.code == 0
    out = capsys.readouterr().out
    for name in COMMANDS:
        assert name in out


def test_db_location_precedence(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("LEAP_DB", str(tmp_path / "env.db"))
    assert default_db_path() == tmp_path / "env.db"
    monkeypatch.delenv("LEAP_DB")
    assert default_db_path().name == "leap.db"


def test_search_table_and_json(
    seeded_db: sqlite_utils.Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "leap.db"
    assert main(["search", "--db", str(path), "police"]) == 0
    out = capsys.readouterr().out
    assert "Police checks not requested" in out and "2 shown of 2 matching" in out
    # The table names things as the app does; codes and slugs are for the JSON.
    assert "Buckinghamshire" in out and "bucks_mk" not in out
    assert "_" not in out.split("\n", 2)[2].split("shown of")[0]
    assert main(["--db", str(path), "search", "--pdu", "bucks_mk", "--format", "json"]) == 0
    payload = json.loads(capsys.readouterr().out)
    assert payload["total"] == 1
    assert payload["findings"][0]["summary"] == "Police checks not requested"


def test_search_with_awkward_query_and_bad_filter(
    seeded_db: sqlite_utils.Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "leap.db"
    assert main(["search", "--db", str(path), '"unbalanced AND (']) == 0
    assert main(["search", "--db", str(path), "--source", "rumour"]) == 2
    err = capsys.readouterr().err
    assert "source_types" in err and "Traceback" not in err


def test_search_and_export_take_pdu_and_theme_names_and_refuse_unknown_ones(
    seeded_db: sqlite_utils.Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = str(tmp_path / "leap.db")
    named = [
        "--pdu",
        "buckinghamshire AND milton keynes",
        "--theme",
        "Domestic abuse risk NOT addressed",
    ]
    assert main(["search", "--db", path, *named, "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["total"] == 1
    assert main(["search", "--db", path, "police", "--theme", "nosuch"]) == 2
    err = capsys.readouterr().err
    assert "unknown theme 'nosuch'; use a slug or name: risk_assessment (Risk assessment" in err
    assert main(["search", "--db", path, "police", "--pdu", "nowhere", "--pdu", "atlantis"]) == 2
    err = capsys.readouterr().err
    assert "unknown PDUs 'nowhere', 'atlantis'; use a code or name: oxfordshire (" in err
    out = tmp_path / "out.csv"
    assert main(["export", "--db", path, "--out", str(out), "--theme", "nosuch"]) == 2
    assert "unknown theme 'nosuch'" in capsys.readouterr().err and not out.exists()
    assert main(["export", "--db", path, "--out", str(out), *named]) == 0
    assert "Exported 1 findings" in capsys.readouterr().out


def test_not_a_leap_file_gives_a_message(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bogus = tmp_path / "notes.db"
    bogus.write_text("not a database at all" * 50)
    assert main(["search", "--db", str(bogus), "x"]) == 2
    err = capsys.readouterr().err
    assert "not a SQLite database" in err and "Traceback" not in err


def test_version_and_the_command_a_command_line_names(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["--version"])
    assert exit_info.value.code == 0
    assert capsys.readouterr().out.startswith("leap ")
    assert command_named(["--db", "search", "tag", "some text"]) == "tag"  # a file called search
    assert command_named(["--db", "x.db"]) is None
    assert command_named(["--db", "x.db", "nonsense"]) is None


@pytest.mark.parametrize(
    "words",
    [
        ["search", "risk"],
        ["themes"],
        ["actions"],
        ["export", "--out", "e.csv"],
        ["panel", "list"],
        ["moderate", "report"],
    ],
)
def test_a_command_that_only_reads_leaves_no_new_database_behind(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], words: list[str]
) -> None:
    missing = tmp_path / "typo" / "leap.db"
    assert main(["--db", str(missing), *words]) == 2
    assert "does not exist" in capsys.readouterr().err
    assert not missing.parent.exists()


def test_bad_dates_and_levels_are_named_in_plain_words(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db_path = tmp_path / "leap.db"
    assert main(["--db", str(db_path), "panel", "plan", "2026-03-01"]) == 0
    capsys.readouterr()
    with pytest.raises(SystemExit):
        main(["--db", str(db_path), "themes", "--from", "2026-02-30"])
    assert "'2026-02-30' is not a date; give it as YYYY-MM-DD" in capsys.readouterr().err
    assert main(["--db", str(db_path), "search", "--level", "banana"]) == 2
    assert "unknown level 'banana' (use practice, supervision" in capsys.readouterr().err
