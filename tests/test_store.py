"""The SQLite store: migrations, round trips, search, versions, delete/restore, bad files."""

from __future__ import annotations

import os
import sqlite3
import stat
import uuid
from datetime import date
from pathlib import Path

import pytest
import sqlite_utils
from pydantic import ValidationError

from db.connection import NewerSchemaError, NotALeapDatabase, open_db
from db.findings_store import (
    VersionConflict,
    count_findings,
    delete_finding,
    get_finding,
    query_findings,
    restore_finding,
    save_finding,
)
from db.history import history_for
from db.schema import MIGRATIONS
from findings.filters import FindingFilter
from tests.factories import SEED_FINDINGS, TODAY, make_finding


def fts_ids(db: sqlite_utils.Database, text: str) -> set[str]:
    return {str(r.id) for r in query_findings(db, FindingFilter(text=text))}


def test_fresh_database_is_migrated_seeded_and_private(tmp_path: Path) -> None:
    path = tmp_path / "sub" / "leap.db"
    db = open_db(path)
    assert [m.name for m in MIGRATIONS.applied(db)] == [m.name for m in MIGRATIONS._migrations]
    assert db.execute("SELECT count(*) FROM pdus").fetchone()[0] == 7
    assert db.execute("SELECT count(*) FROM themes WHERE builtin = 1").fetchone()[0] == 20
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    db.close()
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600


def test_reopening_applies_nothing_twice(tmp_path: Path) -> None:
    path = tmp_path / "leap.db"
    open_db(path).close()
    db = open_db(path)
    assert len(MIGRATIONS.applied(db)) == len(MIGRATIONS._migrations)
    assert db.execute("SELECT count(*) FROM pdus").fetchone()[0] == 7
    db.close()
    assert not list(tmp_path.glob("*pre-migration*"))


def test_upgrade_backs_up_first(tmp_path: Path) -> None:
    path = tmp_path / "leap.db"
    db = open_db(path)
    save_finding(db, make_finding(), today=TODAY)

    # Pretend the file predates a later migration by registering an extra one.
    @MIGRATIONS(name="m999_test_upgrade")
    def _extra(db: sqlite_utils.Database) -> None:
        db.execute("CREATE TABLE upgraded (x)")

    try:
        db.close()
        db = open_db(path)
        assert "upgraded" in db.table_names()
        backups = list(tmp_path.glob("leap.pre-migration-*.db"))
        assert len(backups) == 1
        old = sqlite_utils.Database(backups[0])
        assert old.execute("SELECT count(*) FROM findings").fetchone()[0] == 1
        assert "upgraded" not in old.table_names()
        db.close()
    finally:
        MIGRATIONS._migrations.pop()


def test_newer_schema_is_refused_untouched(tmp_path: Path) -> None:
    path = tmp_path / "leap.db"
    db = open_db(path)
    db["_sqlite_migrations"].insert(
        {"migration_set": "leap", "name": "m500_future", "applied_at": "2030"}
    )
    db.close()
    before = path.read_bytes()
    with pytest.raises(NewerSchemaError, match="newer version of leap"):
        open_db(path)
    assert path.read_bytes() == before


@pytest.mark.parametrize("content", [b"hello, not a database" * 100, b""])
def test_non_leap_files_are_refused_untouched(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "other.db"
    if content:
        path.write_bytes(content)
    else:
        conn = sqlite3.connect(path)
        conn.execute("CREATE TABLE customers (name)")
        conn.commit()
        conn.close()
    before = path.read_bytes()
    with pytest.raises(NotALeapDatabase, match="not"):
        open_db(path)
    assert path.read_bytes() == before


def test_round_trip_keeps_every_field(fresh_db: sqlite_utils.Database) -> None:
    finding = make_finding(
        crn="A654321",
        details={"offence_category": "rape"},
        narrative="Line one\nLine two — émigré, עברית, 😀",
    )
    save_finding(fresh_db, finding, today=TODAY)
    loaded = get_finding(fresh_db, finding.id)
    assert loaded is not None
    assert loaded.model_dump(exclude={"version", "updated_at"}) == finding.model_dump(
        exclude={"version", "updated_at"}
    )
    assert loaded.version == 1


def test_failed_write_leaves_file_as_it_was(seeded_db: sqlite_utils.Database) -> None:
    before = count_findings(seeded_db)
    with pytest.raises(ValidationError, match="unknown PDU"):
        save_finding(seeded_db, make_finding(pdu="atlantis"), today=TODAY)
    assert count_findings(seeded_db) == before


def test_search_phrases_prefixes_and_awkward_queries(seeded_db: sqlite_utils.Database) -> None:
    first, second, third = (str(f.id) for f in SEED_FINDINGS)
    assert fts_ids(seeded_db, '"face value"') == {first}
    assert fts_ids(seeded_db, "call-out") == {first, second}
    assert fts_ids(seeded_db, "dom*") == {second}
    assert fts_ids(seeded_db, "visit") == {third}  # porter stemming: visit ~ visits
    for awkward in ['"unbalanced', "AND", "NEAR(", "x:y", "*", "'; DROP TABLE findings; --"]:
        query_findings(seeded_db, FindingFilter(text=awkward))  # never raises
    assert count_findings(seeded_db) == 3


def test_fts_stays_in_step_after_edit_and_delete(seeded_db: sqlite_utils.Database) -> None:
    finding = get_finding(seeded_db, SEED_FINDINGS[0].id)
    assert finding is not None
    save_finding(
        seeded_db,
        finding.model_copy(update={"narrative": "Professionally optimistic."}),
        today=TODAY,
    )
    assert fts_ids(seeded_db, '"his account"') == set()
    assert fts_ids(seeded_db, "optimistic") == {str(finding.id)}
    delete_finding(seeded_db, finding.id)
    assert fts_ids(seeded_db, "optimistic") == set()
    restore_finding(seeded_db, finding.id)
    assert fts_ids(seeded_db, "optimistic") == {str(finding.id)}
    check = seeded_db.execute(
        "INSERT INTO findings_fts(findings_fts, rank) VALUES ('integrity-check', 1)"
    )
    assert check is not None


def test_stale_save_is_refused_and_nothing_overwritten(seeded_db: sqlite_utils.Database) -> None:
    mine = get_finding(seeded_db, SEED_FINDINGS[1].id)
    theirs = get_finding(seeded_db, SEED_FINDINGS[1].id)
    assert mine and theirs
    save_finding(seeded_db, theirs.model_copy(update={"summary": "Their edit"}), today=TODAY)
    with pytest.raises(VersionConflict, match="changed by someone else"):
        save_finding(seeded_db, mine.model_copy(update={"summary": "My edit"}), today=TODAY)
    stored = get_finding(seeded_db, mine.id)
    assert stored and stored.summary == "Their edit" and stored.version == 2


def test_delete_and_restore_are_recorded(seeded_db: sqlite_utils.Database) -> None:
    target = SEED_FINDINGS[2].id
    delete_finding(seeded_db, target, actor="qa-lead")
    assert count_findings(seeded_db) == 2
    assert [r.id for r in query_findings(seeded_db, FindingFilter(only_deleted=True))] == [target]
    restore_finding(seeded_db, target, actor="qa-lead")
    assert count_findings(seeded_db) == 3
    actions = [e.action for e in history_for(seeded_db, "finding", str(target))]
    assert actions == ["create", "delete", "restore"]
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        seeded_db.execute("DELETE FROM history")


def test_filters_and_paging(seeded_db: sqlite_utils.Database) -> None:
    assert count_findings(seeded_db, FindingFilter(pdus=["bucks_mk"])) == 1
    assert count_findings(seeded_db, FindingFilter(themes=["domestic_abuse"])) == 1
    assert count_findings(seeded_db, FindingFilter(polarity="strength")) == 1
    assert count_findings(seeded_db, FindingFilter(date_from=date(2026, 5, 1))) == 2
    page = query_findings(seeded_db, limit=2)
    assert [r.event_date for r in page] == [date(2026, 6, 10), date(2026, 5, 2)]
    assert query_findings(seeded_db, limit=2, offset=2)[0].event_date == date(2026, 3, 1)


def test_bulk_insert_is_searchable_and_keeps_the_trigger(seeded_db: sqlite_utils.Database) -> None:
    from db.bulk import bulk_insert_findings

    extra = [make_finding(id=uuid.uuid4(), narrative=f"Zebracrossing note {i}") for i in range(5)]
    assert bulk_insert_findings(seeded_db, extra) == 5
    assert count_findings(seeded_db, FindingFilter(text="zebracrossing")) == 5
    save_finding(seeded_db, make_finding(narrative="Quokka sighting"), today=TODAY)
    assert count_findings(seeded_db, FindingFilter(text="quokka")) == 1
    assert count_findings(seeded_db, FindingFilter(text="police")) == 2


def test_bulk_insert_is_all_or_nothing(seeded_db: sqlite_utils.Database) -> None:
    from db.bulk import bulk_insert_findings

    def findings_then_failure():
        yield make_finding(id=uuid.uuid4(), narrative="Wombat")
        raise RuntimeError("source broke half-way")

    with pytest.raises(RuntimeError):
        bulk_insert_findings(seeded_db, findings_then_failure())
    assert count_findings(seeded_db) == 3
    assert count_findings(seeded_db, FindingFilter(text="wombat")) == 0
    trigger = "SELECT 1 FROM sqlite_master WHERE name = 'findings_ai'"
    assert seeded_db.execute(trigger).fetchone()


def test_light_schema_check_matches_the_migrations(tmp_path: Path) -> None:
    from db.base import MIGRATION_NAMES, schema_is_current

    assert tuple(m.name for m in MIGRATIONS._migrations) == MIGRATION_NAMES
    path = tmp_path / "leap.db"
    assert not schema_is_current(path)
    open_db(path).close()
    assert schema_is_current(path)


def test_broad_text_shortcut_only_for_the_list(
    seeded_db: sqlite_utils.Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A very common word is sought among its newest matches for the list's pages and capped
    count only; exact counts (and exports, through filter_where) see every match."""
    import db.findings_store as store

    monkeypatch.setattr(store, "BROAD_TEXT", 1)
    police = FindingFilter(text="police")
    assert count_findings(seeded_db, police) == 2
    assert store.count_findings_capped(seeded_db, police).capped
    where, params = store.filter_where(police, seeded_db)
    rows = seeded_db.execute(f"SELECT count(*) FROM findings f{where}", params).fetchone()
    assert rows[0] == 2
