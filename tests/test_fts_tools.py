"""Other tools find leap's search index: the sqlite-utils CLI, its Python API, and upgrades."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
import sqlite_utils

from db import schema
from db.connection import open_db
from db.findings_store import query_findings, save_finding
from findings.filters import FindingFilter
from tests.factories import SEED_FINDINGS, TODAY, make_finding
from tui.cli import main


def leap_ids(db: sqlite_utils.Database, text: str) -> set[str]:
    """Ids of the live findings leap's own search finds for ``text``."""
    found = query_findings(db, FindingFilter(text=text), limit=100_000)
    return {str(f.id) for f in found}


def check_index(db: sqlite_utils.Database) -> None:
    """FTS5's own check that the index matches the findings table row for row."""
    db.execute("INSERT INTO findings_fts(findings_fts, rank) VALUES ('integrity-check', 1)")


@pytest.fixture(scope="module")
def demo_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("demo") / "leap.db"
    assert main(["demo-data", "--db", str(path), "--findings", "300", "--quiet"]) == 0
    return path


@pytest.mark.parametrize("query", ["risk", '"waiting list"', "safeguard*"])
def test_sqlite_utils_cli_searches_a_demo_database(demo_path: Path, query: str) -> None:
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "sqlite_utils",
            "search",
            str(demo_path),
            "findings",
            query,
            "-c",
            "id",
            "--json-cols",
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    found = {row["id"] for row in json.loads(result.stdout)}
    db = open_db(demo_path)
    try:
        # sqlite-utils searches every row; the demo has no deleted findings, so leap agrees.
        assert found and found == leap_ids(db, query)
    finally:
        db.close()


def test_sqlite_utils_api_detects_the_index(demo_path: Path) -> None:
    db = sqlite_utils.Database(demo_path)
    try:
        assert db["findings"].detect_fts() == "findings_fts"
        rows = list(db["findings"].search("supervision", columns=["id"], limit=3))
        assert len(rows) == 3
    finally:
        db.close()


def index_pages(conn: sqlite3.Connection) -> list[tuple[str, int]]:
    """Each of the search index's tables with its root page."""
    return conn.execute(
        "SELECT name, rootpage FROM sqlite_master WHERE name LIKE 'findings_fts_%' ORDER BY name"
    ).fetchall()


def _database_before_m007(path: Path) -> sqlite_utils.Database:
    """A database as leap wrote it before m007, holding the seed findings."""
    db = sqlite_utils.Database(path)
    schema.MIGRATIONS.apply(db, stop_before="m007_fts_detectable")
    for finding in SEED_FINDINGS:
        save_finding(db, finding, today=TODAY)
    assert db["findings"].detect_fts() is None  # the problem this migration fixes
    return db


def _assert_upgraded(path: Path, before: dict[str, set[str]]) -> None:
    db = open_db(path)
    try:
        declared = db.execute("SELECT sql FROM sqlite_master WHERE name = 'findings_fts'")
        assert declared.fetchone()[0] == schema.FTS_DECLARATION
        assert db["findings"].detect_fts() == "findings_fts"
        check_index(db)
        assert {text: leap_ids(db, text) for text in before} == before
        # The triggers still keep the index in step with new, edited and deleted findings.
        added = save_finding(db, make_finding(narrative="A quokka was seen"), today=TODAY)
        assert leap_ids(db, "quokka") == {str(added.id)}
        found = [r["id"] for r in db["findings"].search("quokka", columns=["id"])]
        assert found == [str(added.id)]
        db.execute("UPDATE findings SET narrative = 'A wombat' WHERE id = ?", [str(added.id)])
        assert leap_ids(db, "quokka") == set() and leap_ids(db, "wombat") == {str(added.id)}
        db.execute("DELETE FROM findings WHERE id = ?", [str(added.id)])
        assert leap_ids(db, "wombat") == set()
        check_index(db)
    finally:
        db.close()


QUERIES = ["police", '"face value"', "visit", "dom*"]


def test_upgrade_redeclares_the_index_in_place(tmp_path: Path) -> None:
    path = tmp_path / "leap.db"
    old = _database_before_m007(path)
    before = {text: leap_ids(old, text) for text in QUERIES}
    assert all(before.values())
    pages = index_pages(old.conn)
    # A connection already open when the upgrade runs (the app's, say) sees the new schema too.
    other = sqlite3.connect(path)
    other.execute("SELECT count(*) FROM findings_fts").fetchone()
    old.close()
    _assert_upgraded(path, before)
    assert sqlite_utils.Database(other)["findings"].detect_fts() == "findings_fts"
    assert other.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    other.close()
    # Nothing was rebuilt: the index's tables are the same ones, in the same pages (a rebuild
    # drops and re-creates them); later migrations' own tables do not count.
    assert index_pages(sqlite3.connect(path)) == pages


def test_upgrade_rebuilds_the_index_where_schema_edits_are_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refused(db: sqlite_utils.Database) -> None:
        raise sqlite3.OperationalError("table sqlite_master may not be modified")

    monkeypatch.setattr(schema, "_redeclare_fts", refused)
    path = tmp_path / "leap.db"
    old = _database_before_m007(path)
    before = {text: leap_ids(old, text) for text in QUERIES}
    old.close()
    _assert_upgraded(path, before)
