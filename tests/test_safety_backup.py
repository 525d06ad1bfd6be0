"""``leap backup`` and ``leap check``: consistent owner-only copies, problems in plain words."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import sqlite_utils

from db.checks import run_checks
from db.connection import open_db
from tui.cli import main


def test_backup_copies_everything_owner_only(
    seeded_db: sqlite_utils.Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db_path = tmp_path / "leap.db"
    assert main(["backup", "--db", str(db_path)]) == 0
    copies = [p for p in tmp_path.iterdir() if p.name.startswith("leap.backup-")]
    assert len(copies) == 1 and copies[0].suffix == ".db"
    assert copies[0].stat().st_mode & 0o777 == 0o600
    assert db_path.stat().st_mode & 0o777 == 0o600
    copy = open_db(copies[0])
    try:
        assert copy.execute("SELECT count(*) FROM findings").fetchone()[0] == 3
    finally:
        copy.close()
    target = tmp_path / "elsewhere" / "mine.db"
    assert main(["backup", "--db", str(db_path), str(target)]) == 0
    assert target.exists() and "readable by you only" in capsys.readouterr().out


def test_backup_refuses_missing_source_and_itself(
    seeded_db: sqlite_utils.Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["backup", "--db", str(tmp_path / "none.db")]) == 2
    assert main(["backup", "--db", str(tmp_path / "leap.db"), str(tmp_path / "leap.db")]) == 2
    assert "Traceback" not in capsys.readouterr().err


def test_check_passes_on_a_sound_database(
    seeded_db: sqlite_utils.Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["check", "--db", str(tmp_path / "leap.db")]) == 0
    out = capsys.readouterr().out
    assert "search index is sound and holds all 3 findings." in out and "no problems found" in out


def test_check_finds_orphans_stale_index_and_loose_permissions(
    seeded_db: sqlite_utils.Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    seeded_db.execute("PRAGMA foreign_keys = OFF")
    seeded_db.execute(
        "INSERT INTO finding_themes (finding_seq, theme_slug, origin) VALUES (999, 'mappa', 'x')"
    )
    seeded_db.execute(
        "INSERT INTO actions (id, title, owner, created_on, due_date, updated_at, source_kind, "
        "source_ref) VALUES ('a1', 't', 'o', '2026-01-01', '2026-02-01', 'x', 'finding', 'gone')"
    )
    seeded_db.execute("DROP TRIGGER findings_ai")
    seeded_db.execute(
        "INSERT INTO findings (id, source_type, source_ref, pdu, event_date, recorded_date, "
        "stage, polarity, summary, created_at, updated_at) VALUES ('x', 'audit', 'r', "
        "'oxfordshire', '2026-01-01', '2026-01-01', 'planning', 'weakness', 's', 'x', 'x')"
    )
    db_path = tmp_path / "leap.db"
    os.chmod(db_path, 0o644)
    report = run_checks(seeded_db, db_path)
    text = "\n".join(report.problems)
    assert "theme links pointing at a finding that does not exist" in text
    assert "open learning actions raised from a finding that was deleted" in text
    assert "search index" in text
    assert "can be read by other users" in text
    assert main(["check", "--db", str(db_path)]) == 1
    assert "problem(s) found" in capsys.readouterr().out


def test_full_check_finds_search_words_out_of_step_with_the_text(
    seeded_db: sqlite_utils.Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    seeded_db.execute("DROP TRIGGER findings_au")
    seeded_db.execute("UPDATE findings SET summary = 'Entirely different words' WHERE seq = 1")
    seeded_db.conn.commit()
    assert main(["check", "--db", str(tmp_path / "leap.db"), "--full"]) == 1
    assert "search index is out of step" in capsys.readouterr().out
