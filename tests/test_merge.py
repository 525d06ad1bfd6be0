"""Merging regional leap files: idempotence, conflicts, theme clashes, schema versions, dry run."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
import uuid
from datetime import date
from pathlib import Path

import pytest
import sqlite_utils

from db import merge as merge_module
from db.checks import run_checks
from db.connection import open_db
from db.findings_store import get_finding, save_finding
from db.levels_store import level_mismatches
from db.merge import MergeError, merge_files
from db.schema import MIGRATIONS
from db.theme_counts import count_mismatches
from db.themes_store import add_user_theme, merge_themes
from findings.models import Finding, ThemeTag
from findings.regions import REGIONS
from tests.factories import TODAY, make_finding

NORTH_EAST, LONDON = REGIONS[0], REGIONS[-1]
ROOT = Path(__file__).resolve().parents[1]


def regional_file(path: Path, region_index: int, count: int = 6) -> Path:
    """A small regional file: ``count`` findings in the region's first PDU, ids by region."""
    region = REGIONS[region_index]
    db = open_db(path, region=region)
    try:
        for i in range(count):
            save_finding(
                db,
                make_finding(
                    id=uuid.UUID(int=region_index * 1000 + i + 1),
                    pdu=region.pdus[i % len(region.pdus)].code,
                    event_date=date(2026, 9, 1 + i),
                    recorded_date=date(2026, 10, 1),
                    themes=[ThemeTag(slug="risk_assessment"), ThemeTag(slug="workload")][
                        : 1 + i % 2
                    ],
                ),
                today=TODAY,
            )
    finally:
        db.close()
    return path


def dump(path: Path) -> dict[str, list[tuple[object, ...]]]:
    """Every row of every table (search index aside), to compare a file before and after."""
    conn = sqlite3.connect(path)
    try:
        tables = [
            r[0]
            for r in conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE '%fts%' "
                "AND name NOT LIKE 'sqlite_%'"
            )
        ]
        return {t: sorted(conn.execute(f"SELECT * FROM {t}").fetchall(), key=repr) for t in tables}
    finally:
        conn.close()


@pytest.fixture
def files(tmp_path: Path) -> tuple[Path, Path, Path]:
    """An empty national file and two regional files."""
    national = tmp_path / "national.db"
    open_db(national).close()
    return (
        national,
        regional_file(tmp_path / "north_east.db", 0),
        regional_file(tmp_path / "london.db", 11, count=4),
    )


def test_merge_brings_records_with_their_region_and_is_idempotent(
    files: tuple[Path, Path, Path],
) -> None:
    national, north_east, london = files
    db = open_db(national)
    try:
        report = merge_files(db, [north_east, london])
        assert report.table("findings").added == 10
        assert report.table("regions").added == 2
        # Tables the merge cannot map yet are named, not half-copied.
        assert "not carried: moderation_rounds" in report.not_carried
        rows = dict(db.execute("SELECT region, count(*) FROM findings GROUP BY 1").fetchall())
        assert rows == {"north_east": 6, "london": 4}
        tags = db.execute("SELECT count(*) FROM finding_themes").fetchone()[0]
        assert tags == 3 * 2 + 3 + 2 * 2 + 2
        assert count_mismatches(db) == 0
        # The theme x level rows of the findings brought in are written too.
        assert db.execute("SELECT count(*) FROM weakness_levels").fetchone()[0] == 10
        assert level_mismatches(db) == 0
    finally:
        db.close()
    before = dump(national)
    db = open_db(national)
    try:
        again = merge_files(db, [north_east, london])
    finally:
        db.close()
    assert not again.changed
    assert again.table("findings").unchanged == 10
    assert all(not t.conflicts for t in again.tables.values())
    assert dump(national) == before


def _edit(path: Path, finding_id: uuid.UUID, times: int, summary: str) -> None:
    db = open_db(path)
    try:
        for n in range(times):
            stored = get_finding(db, finding_id)
            assert stored is not None
            changed = Finding.model_validate({**stored.model_dump(), "summary": f"{summary} {n}"})
            save_finding(db, changed, today=TODAY)
    finally:
        db.close()


def test_changes_on_one_side_flow_and_both_sides_conflict(
    files: tuple[Path, Path, Path],
) -> None:
    national, north_east, _ = files
    db = open_db(national)
    merge_files(db, [north_east])
    db.close()
    only_there, only_here, both = (uuid.UUID(int=n) for n in (1, 2, 3))
    _edit(north_east, only_there, 1, "Edited in the region")
    _edit(national, only_here, 1, "Edited nationally")
    _edit(north_east, both, 2, "Region's edit")
    _edit(national, both, 1, "National edit")
    db = open_db(national)
    try:
        report = merge_files(db, [north_east])
        findings = report.table("findings")
        assert (findings.updated, len(findings.conflicts)) == (2, 1)
        assert (
            str(both) in findings.conflicts[0]
            and "version 2 here, 3 there" in (findings.conflicts[0])
        )
        summary = {
            fid: get_finding(db, fid).summary  # type: ignore[union-attr]
            for fid in (only_there, only_here, both)
        }
        assert summary == {
            only_there: "Edited in the region 0",
            only_here: "Edited nationally 0",
            both: "Region's edit 1",  # version 3 beats version 2
        }
        loser = db.execute(
            "SELECT before FROM history WHERE entity = 'finding' AND entity_id = ? "
            "AND action = 'merge_conflict'",
            [str(both)],
        ).fetchone()
        assert loser and "National edit 0" in loser[0]
        assert count_mismatches(db) == 0
        assert level_mismatches(db) == 0
        # Merged again: nothing is new, nothing conflicts.
        assert not merge_files(db, [north_east]).changed
    finally:
        db.close()


def test_user_theme_clashes_and_merged_themes(files: tuple[Path, Path, Path]) -> None:
    national, north_east, london = files
    for path, name in ((north_east, "Remand decisions"), (national, "Remand  decisions")):
        db = open_db(path)
        add_user_theme(db, name)
        db.close()
    db = open_db(london)
    add_user_theme(db, "Remand Decisions!")  # same slug, a different name
    save_finding(
        db,
        make_finding(
            id=uuid.UUID(int=99_999),
            pdu=LONDON.pdus[0].code,
            themes=[ThemeTag(slug="remand_decisions"), ThemeTag(slug="workload")],
        ),
        today=TODAY,
    )
    db.close()
    db = open_db(national)
    try:
        merge_themes(db, "workload", "management_oversight")
        report = merge_files(db, [north_east, london])
        notes = " ".join(report.notes)
        assert "kept apart as 'remand_decisions_london'" in notes
        assert "come in tagged 'management_oversight'" in notes
        tags = {
            r[0]
            for r in db.execute(
                "SELECT t.theme_slug FROM finding_themes t JOIN findings f "
                "ON f.seq = t.finding_seq WHERE f.id = ?",
                [str(uuid.UUID(int=99_999))],
            )
        }
        assert tags == {"remand_decisions_london", "management_oversight"}
        name = db.execute(
            "SELECT name FROM themes WHERE slug = 'remand_decisions_london'"
        ).fetchone()[0]
        assert name == "Remand Decisions! (London)"
        assert report.table("themes").added == 1  # same slug, same name: one theme
        assert count_mismatches(db) == 0
    finally:
        db.close()


def test_a_file_whose_findings_are_all_new_brings_its_counts_if_they_agree_with_them(
    files: tuple[Path, Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    national, north_east, london = files
    taken: list[str] = []
    add_kept_counts = merge_module.add_kept_counts

    def spy(db: sqlite_utils.Database, themes: str, pairs: str) -> None:
        taken.append(db.execute("SELECT value FROM src_meta WHERE key = 'region'").fetchone()[0])
        add_kept_counts(db, themes, pairs)

    monkeypatch.setattr(merge_module, "add_kept_counts", spy)
    db = open_db(london)
    db.execute(
        "UPDATE theme_counts SET n = n + 1 WHERE grain = 'm' AND kind = 't' AND theme_slug = ''"
    )
    db.conn.commit()
    db.close()
    db = open_db(national)
    try:
        merge_files(db, [north_east, london])
        # London's counts disagree with its findings: its findings are counted afresh instead.
        assert taken == [NORTH_EAST.name]
        assert count_mismatches(db) == 0
    finally:
        db.close()


def test_a_finding_that_came_with_its_files_counts_then_changes_is_recounted(
    files: tuple[Path, Path, Path], tmp_path: Path
) -> None:
    national, north_east, _ = files
    relay = tmp_path / "relay.db"
    db = open_db(relay, region=REGIONS[1])
    try:
        merge_files(db, [north_east])
        edited = uuid.UUID(int=1)
        stored = get_finding(db, edited)
        assert stored is not None
        changed = {
            **stored.model_dump(),
            "pdu": NORTH_EAST.pdus[1].code,
            "themes": [ThemeTag(slug="information_sharing"), ThemeTag(slug="workload")],
        }
        save_finding(db, Finding.model_validate(changed), today=TODAY)
    finally:
        db.close()
    db = open_db(national)
    try:
        # North East's findings are all new (its counts come along); the relay's edit of one
        # of them then wins (version 2), so that finding is counted out and in again.
        report = merge_files(db, [north_east, relay])
        assert report.table("findings").updated == 1
        assert count_mismatches(db) == 0
        assert level_mismatches(db) == 0
    finally:
        db.close()


def test_dry_run_reports_without_writing(files: tuple[Path, Path, Path]) -> None:
    national, north_east, london = files
    before = dump(national)
    db = open_db(national)
    try:
        report = merge_files(db, [north_east, london], dry_run=True)
    finally:
        db.close()
    assert report.dry_run and report.table("findings").added == 10
    assert dump(national) == before


def test_older_schema_is_upgraded_in_a_copy_newer_refused(
    files: tuple[Path, Path, Path], tmp_path: Path
) -> None:
    national, _, _ = files
    old = tmp_path / "old.db"
    db = sqlite_utils.Database(old)
    MIGRATIONS.apply(db, stop_before="m008_regions")
    db.execute("UPDATE meta SET value = 'Wales' WHERE key = 'region'")
    db.execute(
        "INSERT INTO findings (id, source_type, source_ref, pdu, event_date, recorded_date, "
        "stage, polarity, summary, created_at, updated_at) VALUES ('old-1', 'audit', 'A1', "
        "'oxfordshire', '2026-09-02', '2026-09-03', 'assessment', 'weakness', 'Old', 'x', 'x')"
    )
    db.conn.commit()
    db.close()
    old_bytes = old.read_bytes()
    target = open_db(national)
    try:
        report = merge_files(target, [old])
        assert report.table("findings").added == 1
        region = target.execute("SELECT region FROM findings WHERE id = 'old-1'").fetchone()[0]
        assert region == "wales"
    finally:
        target.close()
    assert old.read_bytes() == old_bytes  # upgraded in a temporary copy, never in place

    newer = tmp_path / "newer.db"
    regional_file(newer, 1, count=1)
    conn = sqlite3.connect(newer)
    conn.execute(
        "INSERT INTO _sqlite_migrations (migration_set, name, applied_at) "
        "VALUES ('leap', 'm999_future', '2030-01-01')"
    )
    conn.commit()
    conn.close()
    before = dump(national)
    target = open_db(national)
    try:
        with pytest.raises(Exception, match="newer version of leap"):
            merge_files(target, [newer])
        with pytest.raises(MergeError, match="this file"):
            merge_files(target, [national])
    finally:
        target.close()
    assert dump(national) == before


def test_leap_merge_prints_the_report(
    files: tuple[Path, Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    from tui.cli import main

    national, north_east, london = files
    assert main(["--db", str(national), "merge", "--dry-run", str(north_east), str(london)]) == 0
    out = capsys.readouterr().out
    assert "dry run: nothing was written" in out
    assert any(line.split()[:2] == ["findings", "10"] for line in out.splitlines())
    assert main(["--db", str(national), "merge", str(tmp := national.with_name("no.db"))]) == 2
    assert f"{tmp} does not exist" in capsys.readouterr().err


def test_a_dry_run_into_a_new_file_creates_no_file_and_reports_nothing_missing(
    files: tuple[Path, Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from tui.cli import main

    _, north_east, london = files
    target = tmp_path / "new-national.db"
    assert main(["--db", str(target), "merge", "--dry-run", str(north_east), str(london)]) == 0
    out = capsys.readouterr().out
    assert "dry run: nothing was written" in out
    assert not target.exists()
    # derived tables and the file's own level names are no loss
    assert "weakness_levels" not in out and "  - levels" not in out


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")
def test_sigkill_mid_merge_leaves_the_target_as_it_was(files: tuple[Path, Path, Path]) -> None:
    national, north_east, london = files
    db = open_db(national)
    merge_files(db, [north_east])  # something there already, then a second merge is killed
    db.close()
    before = dump(national)
    code = textwrap.dedent(
        f"""
        import sys, time
        sys.path.insert(0, {str(ROOT)!r})
        from pathlib import Path
        from db.connection import open_db
        from db.merge import merge_files

        def hang(step):
            if step == "actions":  # findings, assessments and panels are written by now
                print("IN-TRANSACTION", flush=True)
                time.sleep(60)

        db = open_db({str(national)!r})
        merge_files(db, [Path({str(london)!r})], progress=hang)
        """
    )
    proc = subprocess.Popen(
        [sys.executable, "-c", code], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    assert proc.stdout is not None
    for line in proc.stdout:
        if "IN-TRANSACTION" in line:
            break
    else:
        raise AssertionError("child ended early: " + (proc.stderr.read() if proc.stderr else ""))
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL
    db = open_db(national)
    try:
        assert run_checks(db, national).ok
    finally:
        db.close()
    assert dump(national) == before
