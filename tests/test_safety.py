"""Crash safety and concurrency with real child processes: SIGKILL mid-write, two writers."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from db.checks import run_checks
from db.connection import open_db

ROOT = Path(__file__).resolve().parents[1]
MARKER = "IN-TRANSACTION"

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")

_PRELUDE = """
import sys, time, json
from datetime import date
from pathlib import Path
sys.path.insert(0, {root!r})
from db.connection import open_db, write_transaction
from db.history import record_change
TODAY = date(2026, 11, 26)
def hang(*_):
    print({marker!r}, flush=True)
    time.sleep(60)
"""


def child(code: str, *args: str) -> subprocess.Popen[str]:
    prelude = _PRELUDE.format(root=str(ROOT), marker=MARKER)
    return subprocess.Popen(
        [sys.executable, "-c", prelude + textwrap.dedent(code), *args],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def kill_when_inside(proc: subprocess.Popen[str]) -> None:
    """Wait for the child to say it is inside its transaction, then SIGKILL it."""
    assert proc.stdout is not None
    for line in proc.stdout:
        if MARKER in line:
            break
    else:
        raise AssertionError("child ended early: " + (proc.stderr.read() if proc.stderr else ""))
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL


def assert_healthy(path: Path) -> None:
    db = open_db(path)
    try:
        report = run_checks(db, path)
        assert report.ok, report.problems
    finally:
        db.close()


def _index_sql(path: Path) -> set[str]:
    db = open_db(path)
    try:
        rows = db.execute("SELECT sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL")
        return {r[0] for r in rows.fetchall()}
    finally:
        db.close()


def test_killed_import_leaves_all_or_nothing(tmp_path: Path) -> None:
    from benchmarks.bench_import import synthetic_rows, write_csv

    db_path, source = tmp_path / "leap.db", tmp_path / "big.csv"
    write_csv(source, synthetic_rows(3000))
    open_db(db_path).close()
    indexes = _index_sql(db_path)  # 3000 rows into an empty file: the import sets them aside
    # Hang in the progress callback, i.e. after some batches were written inside the import's
    # single transaction (batch size 1000 so there are several).
    proc = child(
        """
        import db.bulk
        from db.importer import import_file
        original = db.bulk.bulk_insert_prepared
        def small_batches(db_, findings, **kw):
            return original(db_, findings, batch_size=1000, **kw)
        import db.importer as importer
        importer.bulk_insert_prepared = small_batches
        calls = []
        def progress(stage, done, total):
            if stage == "writing":
                calls.append(done)
                if len(calls) == 2:
                    hang()
        conn = open_db(sys.argv[1])
        import_file(conn, Path(sys.argv[2]), today=TODAY, progress=progress)
        """,
        str(db_path),
        str(source),
    )
    kill_when_inside(proc)
    db = open_db(db_path)
    try:
        assert db.execute("SELECT count(*) FROM findings").fetchone()[0] == 0
        assert db.execute("SELECT count(*) FROM history").fetchone()[0] == 0
        trigger = "SELECT count(*) FROM sqlite_master WHERE name = 'findings_ai'"
        assert db.execute(trigger).fetchone()[0] == 1  # the dropped trigger came back
    finally:
        db.close()
    assert _index_sql(db_path) == indexes  # and so did the dropped indexes
    assert_healthy(db_path)
    check = subprocess.run(
        [sys.executable, "-m", "tui", "check", "--db", str(db_path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert check.returncode == 0 and "no problems found" in check.stdout
    # And the same import, not interrupted, then goes through whole.
    done = subprocess.run(
        [sys.executable, "-m", "tui", "import", str(source), "--db", str(db_path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    assert_healthy(db_path)


def test_killed_bulk_relabel_leaves_all_or_nothing(seeded_db_path: Path) -> None:
    """A theme-merge-like write: many links moved plus a history entry, killed half-way."""
    proc = child(
        """
        conn = open_db(sys.argv[1])
        with write_transaction(conn):
            conn.execute("UPDATE finding_themes SET theme_slug = 'recording' "
                         "WHERE theme_slug = 'professional_curiosity'")
            record_change(conn, entity="theme", entity_id="professional_curiosity",
                          action="merge", before=None, after={"into": "recording"})
            hang()
        """,
        str(seeded_db_path),
    )
    kill_when_inside(proc)
    db = open_db(seeded_db_path)
    try:
        moved = db.execute(
            "SELECT count(*) FROM finding_themes WHERE theme_slug = 'professional_curiosity'"
        ).fetchone()[0]
        assert moved == 1
        assert db.execute("SELECT count(*) FROM history WHERE entity = 'theme'").fetchone()[0] == 0
    finally:
        db.close()
    assert_healthy(seeded_db_path)


def test_killed_saves_are_each_whole(tmp_path: Path) -> None:
    """Saves one after another, killed inside the last: every stored finding is complete."""
    db_path = tmp_path / "leap.db"
    open_db(db_path).close()
    proc = child(
        """
        import db.findings_store as store
        from tests.factories import make_finding
        from findings.models import ThemeTag
        conn = open_db(sys.argv[1])
        original = store.record_change
        count = 0
        def slow_record(*a, **kw):
            global count
            original(*a, **kw)
            count += 1
            if count == 25:
                hang()  # inside the 25th save's transaction, after its rows were written
        store.record_change = slow_record
        for i in range(100):
            store.save_finding(conn, make_finding(summary=f"finding {i}", themes=[
                ThemeTag(slug="mappa"), ThemeTag(slug="victim")]), today=TODAY)
        """,
        str(db_path),
    )
    kill_when_inside(proc)
    db = open_db(db_path)
    try:
        assert db.execute("SELECT count(*) FROM findings").fetchone()[0] == 24
        assert db.execute("SELECT count(*) FROM finding_themes").fetchone()[0] == 48
        assert db.execute("SELECT count(*) FROM history").fetchone()[0] == 24
    finally:
        db.close()
    assert_healthy(db_path)


WRITER = """
import time
from db.findings_store import save_finding
from tests.factories import make_finding
conn = open_db(sys.argv[1])
name, n = sys.argv[2], int(sys.argv[3])
waits, errors = [], []
start_at = float(sys.argv[4])
while time.time() < start_at:
    time.sleep(0.001)
began = time.perf_counter()
for i in range(n):
    t = time.perf_counter()
    try:
        save_finding(conn, make_finding(summary=f"{name} {i}", source_ref=name), today=TODAY)
    except Exception as exc:
        errors.append(repr(exc))
    waits.append(time.perf_counter() - t)
print(json.dumps({"seconds": time.perf_counter() - began, "max_wait": max(waits),
                  "errors": errors}), flush=True)
"""


def test_two_writers_lose_nothing_and_never_see_locked(tmp_path: Path) -> None:
    import time

    db_path = tmp_path / "shared.db"
    open_db(db_path).close()
    per_writer = 200
    start_at = str(time.time() + 2.0)
    procs = [child(WRITER, str(db_path), name, str(per_writer), start_at) for name in "AB"]
    results = []
    for proc in procs:
        out, err = proc.communicate(timeout=300)
        assert proc.returncode == 0, err
        results.append(json.loads(out.strip().splitlines()[-1]))
    assert all(r["errors"] == [] for r in results), results
    db = open_db(db_path)
    try:
        counts = dict(db.execute("SELECT source_ref, count(*) FROM findings GROUP BY 1"))
        assert counts == {"A": per_writer, "B": per_writer}
        assert db.execute("SELECT count(*) FROM history").fetchone()[0] == 2 * per_writer
    finally:
        db.close()
    assert_healthy(db_path)
    total_seconds = max(r["seconds"] for r in results)
    print(
        f"\nconcurrency: {2 * per_writer} saves by 2 processes in {total_seconds:.2f} s "
        f"({2 * per_writer / total_seconds:.0f} writes/s); longest single save "
        f"{max(r['max_wait'] for r in results) * 1000:.0f} ms"
    )


@pytest.fixture
def seeded_db_path(seeded_db: object, tmp_path: Path) -> Path:
    return tmp_path / "leap.db"
