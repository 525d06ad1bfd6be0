"""``leap brief`` from the shell: latest panel by default, plain errors, never a traceback."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlite_utils
from docx import Document

from tests.factories import TODAY
from tests.panel_factories import seed_panel_period
from tui.cli import main


@pytest.fixture
def db_path(fresh_db: sqlite_utils.Database, tmp_path: Path) -> Path:
    seed_panel_period(fresh_db)
    return tmp_path / "leap.db"


def test_brief_latest_panel_by_default(
    db_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "latest.docx"
    code = main(["brief", "--db", str(db_path), "--out", str(out), "--today", TODAY.isoformat()])
    assert code == 0
    assert "panel of 1 November 2026" in capsys.readouterr().out
    assert "LEAP briefing" in Document(str(out)).core_properties.title


def test_brief_a_panel_by_date_with_a_template(db_path: Path, tmp_path: Path) -> None:
    template = tmp_path / "org.docx"
    doc = Document()
    doc.sections[0].header.paragraphs[0].text = "Example Region"
    doc.save(str(template))
    out = tmp_path / "september.docx"
    args = ["brief", "2026-09-01", "--db", str(db_path), "--out", str(out)]
    assert main([*args, "--template", str(template)]) == 0
    assert Document(str(out)).sections[0].header.paragraphs[0].text == "Example Region"


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["2020-01-01", "--out", "x.docx"], "No panel matches '2020-01-01'"),
        (["--out", "briefing.pdf"], "does not end in .docx"),
        (["--out", "/no/such/folder/b.docx"], "does not exist"),
        (["--out", "b.docx", "--template", "/no/such/t.docx"], "template /no/such/t.docx"),
    ],
)
def test_brief_errors_are_plain(
    db_path: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    extra: list[str],
    message: str,
) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["brief", "--db", str(db_path), *extra]) == 2
    err = capsys.readouterr().err
    assert err.startswith("leap: ") and message in err and "Traceback" not in err
