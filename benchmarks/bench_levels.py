"""Time the theme x level report (bar: 200 ms for two months at 1,000,000 findings) and the
m010_levels migration of an existing file.

Run from the project root:

    python benchmarks/bench_levels.py [--db FILE] [--findings N] [--repeats N] [--migration]

``--db`` is a file written by ``leap demo-data --db FILE --findings 1000000`` (a year of
findings ending today, so two months hold about a sixth of them); without it a demo file of
``--findings`` findings is built once under /tmp. ``--migration`` copies the file, takes it back
to the schema before levels existed (the levels tables, triggers and migration record removed;
the findings' themes kept) and times the upgrade.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from db.connection import open_db  # noqa: E402
from db.levels_store import theme_level_report  # noqa: E402
from db.schema import MIGRATIONS  # noqa: E402
from findings.recurrence import period_ending  # noqa: E402

CACHE = Path("/tmp/leap-bench-levels")


def demo_file(findings: int) -> Path:
    """A cached demo database of ``findings`` findings (built on first use)."""
    from panels.demo_region import load_demo

    CACHE.mkdir(parents=True, exist_ok=True)
    path = CACHE / f"demo-{findings}.db"
    if not path.exists():
        started = time.perf_counter()
        db = open_db(path)
        try:
            load_demo(db, findings=findings)
        finally:
            db.close()
        print(f"built {path} in {time.perf_counter() - started:.0f} s")
    return path


def time_report(path: Path, months: int, pdu: str | None, repeats: int) -> tuple[float, float, int]:
    """Median wall and CPU seconds of the report (fresh connection each time), and the period's
    weakness findings."""
    db = open_db(path, migrate=False)
    try:
        latest = db.execute("SELECT max(event_date) FROM findings").fetchone()[0]
    finally:
        db.close()
    start, end = period_ending(date.fromisoformat(latest), months)
    walls, cpus, findings = [], [], 0
    for _ in range(repeats):
        db = open_db(path, migrate=False)
        try:
            began, began_cpu = time.perf_counter(), time.process_time()
            report = theme_level_report(db, start, end, pdu=pdu)
            walls.append(time.perf_counter() - began)
            cpus.append(time.process_time() - began_cpu)
            findings = report.weakness_findings
        finally:
            db.close()
    return statistics.median(walls), statistics.median(cpus), findings


def time_migration(path: Path) -> None:
    """Copy ``path``, take the copy back to before m010_levels, and time the upgrade."""
    copy = CACHE / "migration-copy.db"
    CACHE.mkdir(parents=True, exist_ok=True)
    for suffix in ("", "-wal", "-shm"):
        Path(f"{copy}{suffix}").unlink(missing_ok=True)
    db = open_db(path, migrate=False)
    try:
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        db.close()
    shutil.copyfile(path, copy)
    import sqlite_utils

    db = sqlite_utils.Database(copy)
    try:
        triggers = db.execute(
            "SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'weakness_levels%'"
        ).fetchall()
        for (name,) in triggers:
            db.execute(f'DROP TRIGGER "{name}"')
        for table in ("weakness_levels", "finding_levels", "levels"):
            db.execute(f"DROP TABLE {table}")
        db.execute("DELETE FROM _sqlite_migrations WHERE name = 'm010_levels'")
        db.conn.commit()
        tags = db.execute("SELECT count(*) FROM finding_themes").fetchone()[0]
        findings = db.execute("SELECT count(*) FROM findings").fetchone()[0]
        began = time.perf_counter()
        MIGRATIONS.apply(db)
        seconds = time.perf_counter() - began
        suggested = db.execute("SELECT count(*) FROM finding_levels").fetchone()[0]
    finally:
        db.close()
    for suffix in ("", "-wal", "-shm"):
        Path(f"{copy}{suffix}").unlink(missing_ok=True)
    print(
        f"m010_levels on {findings:,} findings ({tags:,} theme tags): {seconds:.1f} s, "
        f"{suggested:,} suggested (unconfirmed) levels written"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, help="a demo file (leap demo-data) to time against")
    parser.add_argument("--findings", type=int, default=1_000_000)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--migration", action="store_true", help="also time m010_levels")
    args = parser.parse_args()
    path = args.db or demo_file(args.findings)
    print(f"{'period':>7} {'scope':>12} {'weakness findings':>18} {'wall ms':>8} {'cpu ms':>7}")
    for months in (2, 12):
        for pdu in (None, "oxfordshire"):
            wall, cpu, findings = time_report(path, months, pdu, args.repeats)
            print(
                f"{months:>5}mo {pdu or 'region':>12} {findings:>18,} "
                f"{wall * 1000:>8.0f} {cpu * 1000:>7.0f}"
            )
    if args.migration:
        time_migration(path)


if __name__ == "__main__":
    main()
