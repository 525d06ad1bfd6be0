"""`leap brief` end to end on 10k, 100k and 1M findings (bar: < 2 s at 100k, 1M within 1.5x of 10k).

Every database holds the same recent year of the region's work (3,000 findings, case assessments
and the demo panels); what grows is the history before it, spread over the ten years earlier. A
briefing reads only its panel's period (and the one before), so its cost should follow the
period, not the size of the file. Each run is a fresh `python -m tui brief` process, as a user
would type it; the table gives the best and the median of the runs (wall clock) and the CPU time.

    python benchmarks/bench_brief.py [--sizes 10000 100000 1000000] [--runs 5] [--folder DIR]
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

TODAY = date(2026, 11, 26)
RECENT_FINDINGS = 3_000
RECENT_ASSESSMENTS = 600
HISTORY_YEARS = 10


def build(path: Path, size: int) -> None:
    """A database of ``size`` findings: one busy recent year and a long history before it."""
    from db.actions_demo import write_demo_actions
    from db.bulk import bulk_insert_case_assessments, bulk_insert_findings
    from db.connection import open_db
    from db.reference import list_pdus
    from findings.demo import DEMO_SEED, generate_case_assessments, generate_findings
    from panels.demo import add_demo_panels

    db = open_db(path)
    try:
        pdus = [p.code for p in list_pdus(db)]
        recent_start = TODAY - timedelta(days=365)
        history_end = recent_start - timedelta(days=1)
        history_start = history_end - timedelta(days=365 * HISTORY_YEARS)
        older = max(0, size - RECENT_FINDINGS)
        if older:
            bulk_insert_findings(
                db,
                generate_findings(
                    DEMO_SEED + 1, older, pdus=pdus, start=history_start, end=history_end
                ),
            )
            bulk_insert_case_assessments(
                db,
                generate_case_assessments(
                    DEMO_SEED + 1, older // 20, pdus=pdus, start=history_start, end=history_end
                ),
            )
        bulk_insert_findings(
            db,
            generate_findings(
                DEMO_SEED, min(size, RECENT_FINDINGS), pdus=pdus, start=recent_start, end=TODAY
            ),
        )
        bulk_insert_case_assessments(
            db,
            generate_case_assessments(
                DEMO_SEED, RECENT_ASSESSMENTS, pdus=pdus, start=recent_start, end=TODAY
            ),
        )
        add_demo_panels(db, TODAY)
        write_demo_actions(db, TODAY)
        db.execute("ANALYZE")
    finally:
        db.close()


def one_run(db: Path, out: Path) -> tuple[float, float]:
    """(wall, cpu) seconds of one `leap brief` process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "tui",
            "brief",
            "--db",
            str(db),
            "--out",
            str(out),
            "--today",
            TODAY.isoformat(),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    if done.returncode:
        sys.exit(f"leap brief failed on {db}:\n{done.stderr}")
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def in_period(db_path: Path) -> int:
    """Findings in the latest panel's period (what the briefing lists)."""
    from db.connection import open_db
    from db.panels_store import find_panel

    db = open_db(db_path)
    try:
        panel = find_panel(db)
        row = db.execute(
            "SELECT count(*) FROM findings WHERE event_date BETWEEN ? AND ?",
            [panel.period_start.isoformat(), panel.period_end.isoformat()],
        ).fetchone()
        return int(row[0])
    finally:
        db.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--folder", type=Path, default=Path("/tmp/leap-bench-brief"))
    args = parser.parse_args()
    args.folder.mkdir(parents=True, exist_ok=True)
    results = []
    for size in args.sizes:
        db = args.folder / f"brief-{size}.db"
        if not db.exists():
            started = time.perf_counter()
            build(db, size)
            print(f"built {db} in {time.perf_counter() - started:.0f} s", file=sys.stderr)
        out = args.folder / f"brief-{size}.docx"
        one_run(db, out)  # warm the file cache once; not counted
        runs = [one_run(db, out) for _ in range(args.runs)]
        walls = [w for w, _ in runs]
        cpus = [c for _, c in runs]
        results.append(
            (
                size,
                db.stat().st_size,
                in_period(db),
                min(walls),
                statistics.median(walls),
                min(cpus),
            )
        )
    print(
        f"{'findings':>10} {'file MB':>8} {'in period':>9} {'best s':>7} {'median s':>9} "
        f"{'cpu s':>6}"
    )
    for size, file_size, period, best, median, cpu in results:
        print(
            f"{size:>10,} {file_size / 1e6:>8.0f} {period:>9,} {best:>7.2f} {median:>9.2f} "
            f"{cpu:>6.2f}"
        )
    if len(results) > 1:
        first, last = results[0], results[-1]
        print(
            f"ratio {last[0]:,} / {first[0]:,}: best {last[3] / first[3]:.2f}, "
            f"cpu {last[5] / first[5]:.2f} (bar: < 1.5)"
        )


if __name__ == "__main__":
    main()
