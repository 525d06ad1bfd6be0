"""``leap panel plan|list`` and ``leap brief --from --to``: a first briefing without the app."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import sqlite_utils
from docx import Document

from tests.factories import TODAY
from tests.panel_factories import document_text
from tui.cli import main


@pytest.fixture
def db_path(seeded_db: sqlite_utils.Database, tmp_path: Path) -> Path:
    """Findings (March to June 2026) as after an import, and no panel yet."""
    return tmp_path / "leap.db"


def exit_code(argv: list[str]) -> object:
    """The status ``leap`` ends with, whether argparse or the command refuses the input."""
    try:
        return main(argv)
    except SystemExit as stopped:
        return stopped.code


def listed(db_path: Path, capsys: pytest.CaptureFixture[str]) -> list[dict[str, object]]:
    capsys.readouterr()
    assert main(["panel", "list", "--db", str(db_path), "--format", "json"]) == 0
    return json.loads(capsys.readouterr().out)


def test_no_panel_points_to_the_commands_that_help(
    db_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["brief", "--db", str(db_path), "--out", str(tmp_path / "b.docx")]) == 2
    err = capsys.readouterr().err
    assert "There are no panels yet" in err
    assert "leap panel plan YYYY-MM-DD" in err and "leap brief --from" in err
    assert "in the app" not in err
    assert main(["panel", "list", "--db", str(db_path)]) == 0
    assert "No panels yet. Plan one with: leap panel plan" in capsys.readouterr().out


def test_plan_list_then_brief_the_first_panel(
    db_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["panel", "plan", "2026-07-01", "--chair", "Head of Public Protection"]
    assert main([*args, "--db", str(db_path)]) == 0
    out = capsys.readouterr().out
    assert "Planned the panel of 1 July 2026" in out and "1 May to 30 June 2026" in out
    assert main(["panel", "plan", "2026-09-01", "--db", str(db_path)]) == 0
    panels = listed(db_path, capsys)
    assert [(p["held_on"], p["period_start"], p["period_end"]) for p in panels] == [
        ("2026-09-01", "2026-07-01", "2026-08-31"),  # from the previous panel's date
        ("2026-07-01", "2026-05-01", "2026-06-30"),  # the first: the two months before
    ]
    assert panels[1]["chair"] == "Head of Public Protection" and panels[1]["status"] == "planned"
    assert "region" not in panels[0]  # a single-region file: no region on each panel
    assert main(["panel", "list", "--db", str(db_path)]) == 0
    table = capsys.readouterr().out.splitlines()
    assert table[0].split()[:3] == ["Date", "Status", "Chair"]
    assert table[2].startswith("2026-09-01  planned  –")
    out_path = tmp_path / "first.docx"
    brief = ["brief", "2026-07-01", "--db", str(db_path), "--out", str(out_path)]
    assert main([*brief, "--today", TODAY.isoformat()]) == 0
    assert "panel of 1 July 2026" in capsys.readouterr().out
    assert Document(str(out_path)).core_properties.title == "LEAP briefing: panel of 1 July 2026"


def test_plan_with_a_period(db_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    args = ["panel", "plan", "2026-07-01", "--period", "2026-03-01:2026-06-30"]
    assert main([*args, "--db", str(db_path)]) == 0
    (panel,) = listed(db_path, capsys)
    assert (panel["period_start"], panel["period_end"]) == ("2026-03-01", "2026-06-30")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["2026-13-01"], "argument DATE: '2026-13-01' is not a date; give it as YYYY-MM-DD"),
        (["1/7/2026"], "argument DATE: '1/7/2026' is not a date"),
        (["2026-07-01", "--period", "2026-03-01"], "'2026-03-01' is not a period; give FROM:TO"),
        (["2026-07-01", "--period", "2026-03-01:June"], "'June' is not a date"),
        (
            ["2026-07-01", "--period", "2026-06-30:2026-03-01"],
            "the period ends (2026-03-01) before it starts (2026-06-30)",
        ),
        (
            ["2026-07-01", "--period", "2026-06-01:2026-07-31"],
            "the period ends (2026-07-31) after the panel meets (2026-07-01)",
        ),
        (["2026-05-01"], "There is already a panel on 2026-05-01."),
        # before the existing panel: its findings would count at both panels
        (["2026-04-15"], "overlaps that of the panel on 2026-05-01"),
    ],
)
def test_bad_plans_are_refused_plainly(
    db_path: Path, capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    assert main(["panel", "plan", "2026-05-01", "--db", str(db_path)]) == 0
    assert exit_code(["panel", "plan", *args, "--db", str(db_path)]) == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err
    assert [p["held_on"] for p in listed(db_path, capsys)] == ["2026-05-01"]


def test_adhoc_briefing_of_any_period(
    db_path: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.chdir(tmp_path)
    args = ["brief", "--db", str(db_path), "--from", "2026-03-01", "--to", "2026-06-30"]
    assert main([*args, "--today", TODAY.isoformat()]) == 0
    out = capsys.readouterr().out
    written = tmp_path / "leap-briefing-2026-03-01-to-2026-06-30.docx"
    assert out.strip() == (
        f"Wrote an ad-hoc briefing of 1 March to 30 June 2026 to {written.name} "
        "(3 findings in the period)."
    )
    text = document_text(written)
    assert "LEAP briefing (ad hoc)" in text and "Ad hoc (not for a panel)" in text
    assert listed(db_path, capsys) == []  # an ad-hoc briefing plans nothing


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--from", "2026-03-01"], "needs both --from and --to; --to is missing"),
        (["--to", "2026-03-01"], "needs both --from and --to; --from is missing"),
        (["--from", "2026-06-30", "--to", "2026-03-01"], "--to (2026-03-01) is before --from"),
        (["2026-07-01", "--from", "2026-03-01", "--to", "2026-06-30"], "not both"),
        (["--from", "2026-02-30", "--to", "2026-03-01"], "'2026-02-30' is not a date"),
    ],
)
def test_bad_adhoc_periods_are_refused_plainly(
    db_path: Path, capsys: pytest.CaptureFixture[str], extra: list[str], message: str
) -> None:
    assert exit_code(["brief", "--db", str(db_path), "--out", "x.docx", *extra]) == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err
