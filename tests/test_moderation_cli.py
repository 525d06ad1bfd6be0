"""``leap moderate start`` and ``leap moderate report`` from the shell, and the demo's rounds."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
import sqlite_utils
from docx import Document

from db.moderation_store import list_rounds, save_coding
from db.panels_store import create_panel, find_panel
from panels.briefing import build_briefing
from panels.docx_writer import write_briefing
from tests.factories import TODAY
from tests.moderation_data import END, FIRST_CODER, SECOND_CODER, START, seed_moderation_period
from tui.cli import main


def test_start_for_dates_then_report_in_progress(
    fresh_db: sqlite_utils.Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    seed_moderation_period(fresh_db, count=6)
    db = str(tmp_path / "leap.db")
    args = ["moderate", "--db", db, "start", "--from", str(START), "--to", str(END)]
    assert main([*args, "--size", "4", "--coder", SECOND_CODER, "--seed", "3"]) == 0
    out = capsys.readouterr().out
    assert "Started moderation round 1: 4 findings from 1 September to 31 October 2026" in out
    assert "seed 3" in out
    assert main(["moderate", "--db", db, "report"]) == 0
    out = capsys.readouterr().out
    assert "0 of 4 coded, in progress" in out and "once all 4 findings are coded" in out


def test_start_for_a_panel_and_report_a_complete_round(
    fresh_db: sqlite_utils.Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    seed_moderation_period(fresh_db, count=6)
    create_panel(fresh_db, date(2026, 11, 1), actor="test")
    panel = find_panel(fresh_db, None)
    db = str(tmp_path / "leap.db")
    args = ["moderate", "--db", db, "start", "--panel", "2026-11-01", "--coder", SECOND_CODER]
    assert main(args) == 0
    out = capsys.readouterr().out
    assert "The period holds only" in out  # 20 asked for; the panel's period holds fewer
    r = list_rounds(fresh_db)[0]
    assert (r.period_start, r.period_end, r.panel_id) == (
        panel.period_start,
        panel.period_end,
        str(panel.id),
    )
    for item in r.items:
        save_coding(fresh_db, r.id, item.position, item.first_themes, item.first_polarity)
    assert main(["moderate", "--db", db, "report", str(r.id)]) == 0
    out = capsys.readouterr().out
    assert "complete" in out and "First coder against second coder" in out
    assert "overall kappa 1.00, micro-F1 1.00" in out
    assert "Tagger against first coder" in out and "Tagger against second coder" in out
    assert main(["moderate", "--db", db, "report", str(r.id), "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["status"] == "complete" and data["coders"]["kappa"] == pytest.approx(1.0)
    assert {t["too_few_to_judge"] for t in data["coders"]["themes"]} == {True}
    assert set(data) >= {"seed", "tagger_first", "tagger_second", "skipped_deleted"}


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--from", "2026-09-01", "--coder", "X"], "give both --from and --to"),
        (["--from", "2026-09-01", "--to", "2026-10-31", "--coder", FIRST_CODER], "someone other"),
        (["--from", "2026-09-01", "--to", "2026-10-31", "--coder", "X", "--size", "0"], "size:"),
        (["--panel", "2020-01-01", "--coder", "X"], "No panel matches"),
    ],
)
def test_bad_start_requests_say_what_is_wrong(
    fresh_db: sqlite_utils.Database,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    extra: list[str],
    message: str,
) -> None:
    seed_moderation_period(fresh_db, count=3)
    assert main(["moderate", "--db", str(tmp_path / "leap.db"), "start", *extra]) == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err


def test_report_of_a_missing_round(
    fresh_db: sqlite_utils.Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = str(tmp_path / "leap.db")
    assert main(["moderate", "--db", db, "report"]) == 2
    assert "no moderation rounds yet" in capsys.readouterr().err.lower()
    assert main(["moderate", "--db", db, "report", "7"]) == 2
    assert "no moderation round 7" in capsys.readouterr().err


def test_demo_has_a_completed_and_an_in_progress_round_and_the_briefing_says_so(
    tmp_path: Path,
) -> None:
    from db.connection import open_db
    from panels.demo_region import load_demo

    db = open_db(tmp_path / "demo.db")
    load_demo(db, today=TODAY)
    rounds = list_rounds(db)
    assert [r.status for r in rounds] == ["in progress", "complete"]
    ongoing, done = rounds
    assert ongoing.progress == "7 of 20"
    assert len(done.disagreements) >= 5
    assert 0 < sum(i.moderated for i in done.disagreements) < len(done.disagreements)
    panel = find_panel(db, None)
    briefing = build_briefing(db, panel, TODAY)
    assert "In the latest moderation round, a second QA lead coded 40 findings" in (
        briefing.summary
    )
    # The demo's second coder reads risk assessment as curiosity two times in three.
    assert [t.slug for t in briefing.low_agreement] == [
        "professional_curiosity",
        "risk_assessment",
        "domestic_abuse",
    ]
    assert "lowest on lack of professional curiosity (0.23), risk assessment" in briefing.summary
    path = write_briefing(briefing, tmp_path / "demo-briefing.docx", charts=lambda b: {})
    db.close()
    paragraphs = [p.text for p in Document(str(path)).paragraphs]
    summary = paragraphs[paragraphs.index("1. Summary") + 1]
    assert "overall agreement on themes was kappa" in summary
    assert (
        "Lack of professional curiosity: treat trends with care: coders' agreement on this "
        "theme is only fair (kappa 0.23 over the latest round)." in paragraphs
    )
    assert SECOND_CODER not in " ".join(paragraphs) and "QA lead B" not in " ".join(paragraphs)
