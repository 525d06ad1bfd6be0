"""The practitioner bulletin: one theme, anonymised, written by the command line too."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
import sqlite_utils
from docx import Document

from db.findings_store import save_finding
from panels.bulletin import UnknownTheme, build_bulletin, write_bulletin
from tests.factories import TODAY
from tests.panel_factories import LISTED_NAMES, PLANTED, document_text, seed_panel_period, strength
from tui.cli import main


def test_bulletin_sections_and_no_personal_data(
    fresh_db: sqlite_utils.Database, tmp_path: Path
) -> None:
    seed_panel_period(fresh_db)
    bulletin = build_bulletin(fresh_db, "professional_curiosity", TODAY, extra_names=LISTED_NAMES)
    assert bulletin.findings == 14 and len(bulletin.extracts) == 3
    assert bulletin.good_practice, "the strength about police checks speaks to curiosity"
    path = write_bulletin(bulletin, tmp_path / "bulletin.docx")
    doc = Document(str(path))
    found = [p.text for p in doc.paragraphs if p.style.name.startswith("Heading")]
    assert found == [
        "What we keep finding",
        "Why it matters",
        "What good looks like",
        "Questions to ask yourself",
        "What we are doing about it",
    ]
    assert doc.core_properties.title == "7-minute briefing: Lack of professional curiosity"
    text = document_text(path)
    for planted in PLANTED:
        assert planted not in text, planted
    assert len(doc.paragraphs) < 35  # one page


def test_bulletin_by_name_and_honest_when_nothing_good_recorded(
    fresh_db: sqlite_utils.Database,
) -> None:
    seed_panel_period(fresh_db)
    bulletin = build_bulletin(fresh_db, "Workload and staffing pressure", TODAY)
    assert bulletin.findings == 0 and not bulletin.good_practice
    assert "No good practice" in bulletin.good_practice_note
    with pytest.raises(UnknownTheme, match="Did you mean professional_curiosity"):
        build_bulletin(fresh_db, "curiosity", TODAY)


def test_good_practice_falls_back_to_the_same_stage(fresh_db: sqlite_utils.Database) -> None:
    save_finding(
        fresh_db,
        strength(
            date(2026, 10, 1),
            summary="Clear note of a change of address",
            narrative="The new address was checked with the police.",
            stage="reviewing",
        ),
        today=TODAY,
    )
    bulletin = build_bulletin(fresh_db, "untimely_review", TODAY)
    assert "same stage" in bulletin.good_practice_note and len(bulletin.good_practice) == 1


def test_bulletin_command(
    fresh_db: sqlite_utils.Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    seed_panel_period(fresh_db)
    db_path = tmp_path / "leap.db"
    out = tmp_path / "curiosity.docx"
    args = ["bulletin", "professional_curiosity", "--db", str(db_path), "--out", str(out)]
    assert main([*args, "--today", TODAY.isoformat()]) == 0
    assert out.exists() and "Wrote the bulletin" in capsys.readouterr().out
    assert main(["bulletin", "nonsense", "--db", str(db_path), "--out", str(out)]) == 2
    assert "no theme 'nonsense'" in capsys.readouterr().err
    assert main([*args, "--months", "1000"]) == 2
    assert "--months 1000: give 1 to 120 months" in capsys.readouterr().err
    assert main(["bulletin", "planning", "--db", str(db_path), "--out", str(tmp_path)]) == 2
