"""Time ``leap merge`` of twelve regional files into an empty file, and the national report.

Run from the project root: ``python benchmarks/bench_merge.py [--findings 10000]``. The twelve
regional demo files (``--findings`` each) are written once and cached under /tmp (again when
leap's schema has moved on); pass ``--rebuild`` to write them again. Each run merges them into
a fresh empty file (one transaction), then times the recurrence report of the merged file for
two months, over all regions and for one region (fresh connection each time, median of
``--repeats``).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from db.base import schema_is_current  # noqa: E402
from db.connection import open_db  # noqa: E402
from db.merge import merge_files  # noqa: E402
from db.recurrence_store import recurrence_report, region_comparison  # noqa: E402
from findings.recurrence import period_ending  # noqa: E402
from panels.demo_region import write_regional_demo  # noqa: E402

TODAY = date(2026, 11, 26)
CACHE = Path("/tmp/leap-bench-merge")


def regional_files(findings: int, rebuild: bool) -> list[Path]:
    """The twelve cached regional files of ``findings`` findings each (written on first use)."""
    folder = CACHE / str(findings)
    files = sorted(folder.glob("*.db"))
    if len(files) == 12 and not rebuild and all(schema_is_current(f) for f in files):
        return files  # (older files would be upgraded in a copy first, which is not timed here)
    for old in folder.glob("*"):
        old.unlink()
    started = time.perf_counter()
    files = write_regional_demo(folder, regions=12, findings=findings, today=TODAY)
    print(
        f"wrote 12 regional files of {findings:,} findings in {time.perf_counter() - started:.0f} s"
    )
    return files


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--findings", type=int, default=10_000)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--rebuild", action="store_true")
    args = parser.parse_args()
    files = regional_files(args.findings, args.rebuild)
    with tempfile.TemporaryDirectory(prefix="leap-bench-merge-") as scratch:
        target = Path(scratch) / "national.db"
        db = open_db(target)
        began, began_cpu = time.perf_counter(), time.process_time()
        report = merge_files(db, files)
        wall, cpu = time.perf_counter() - began, time.process_time() - began_cpu
        again = time.perf_counter()
        second = merge_files(db, files)
        again = time.perf_counter() - again
        db.close()
        added = report.table("findings").added
        print(
            f"merge 12 x {args.findings:,} findings into an empty file: {wall:.1f} s wall, "
            f"{cpu:.1f} s cpu ({added:,} findings added)"
        )
        print(f"merge the same files again: {again:.1f} s, changed anything: {second.changed}")
        start, end = period_ending(TODAY, 2)
        for label, region in (("all regions", None), ("one region", "london")):
            timings, cpu_times = [], []
            for _ in range(args.repeats):
                db = open_db(target, migrate=False)
                try:
                    began, began_cpu = time.perf_counter(), time.process_time()
                    result = recurrence_report(db, start, end, region=region, include_ids=False)
                    timings.append(time.perf_counter() - began)
                    cpu_times.append(time.process_time() - began_cpu)
                finally:
                    db.close()
            print(
                f"national recurrence report, 2 months, {label}: "
                f"{statistics.median(timings) * 1000:.0f} ms wall, "
                f"{statistics.median(cpu_times) * 1000:.0f} ms cpu "
                f"({result.weakness_findings:,} weakness findings in the period)"
            )
        db = open_db(target, migrate=False)
        try:
            began = time.perf_counter()
            region_comparison(db, start, end)
            print(f"region comparison, 2 months: {(time.perf_counter() - began) * 1000:.0f} ms")
        finally:
            db.close()


if __name__ == "__main__":
    main()
