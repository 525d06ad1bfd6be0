"""Safe export of 100k demo findings to csv: how much redaction costs (wall and CPU, median).

The database holds ``--size`` demo findings (about one in nine with a CRN, some naming a person
or quoting the CRN in the text). Each run exports every finding in-process, once safe
(redacted) and once not, so the difference is what redaction costs; CPU time is given too
because wall time swings on a shared machine.

    python benchmarks/bench_export.py [--size 100000] [--runs 3] [--folder DIR]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

START = date(2016, 1, 1)
END = date(2026, 11, 26)


def build(path: Path, size: int) -> None:
    """A database of ``size`` demo findings spread over ten years."""
    from db.bulk import bulk_insert_findings
    from db.connection import open_db
    from db.reference import list_pdus
    from findings.demo import DEMO_SEED, generate_findings

    db = open_db(path)
    try:
        pdus = [p.code for p in list_pdus(db)]
        bulk_insert_findings(
            db, generate_findings(DEMO_SEED, size, pdus=pdus, start=START, end=END)
        )
        db.execute("ANALYZE")
    finally:
        db.close()


def one_run(db_path: Path, out: Path, *, safe: bool) -> tuple[float, float, int]:
    """(wall, cpu, rows) of one export of every finding."""
    from db.connection import open_db
    from db.exporter import export

    db = open_db(db_path)
    try:
        wall, cpu = time.perf_counter(), time.process_time()
        result = export(db, out, fmt="csv", safe=safe)
        return time.perf_counter() - wall, time.process_time() - cpu, result.rows
    finally:
        db.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--size", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--folder", type=Path, default=Path("/tmp/leap-bench-export"))
    args = parser.parse_args()
    args.folder.mkdir(parents=True, exist_ok=True)
    db = args.folder / f"export-{args.size}.db"
    if not db.exists():
        started = time.perf_counter()
        build(db, args.size)
        print(f"built {db} in {time.perf_counter() - started:.0f} s", file=sys.stderr)
    out = args.folder / "export.csv"
    one_run(db, out, safe=False)  # warm the file cache once; not counted
    print(f"{'export':>8} {'rows':>8} {'median s':>9} {'best s':>7} {'cpu s':>6}")
    cpu_by_mode: dict[str, float] = {}
    for mode in ("plain", "safe"):
        runs = [one_run(db, out, safe=mode == "safe") for _ in range(args.runs)]
        walls = [w for w, _, _ in runs]
        cpus = [c for _, c, _ in runs]
        cpu_by_mode[mode] = statistics.median(cpus)
        print(
            f"{mode:>8} {runs[0][2]:>8,} {statistics.median(walls):>9.2f} {min(walls):>7.2f} "
            f"{cpu_by_mode[mode]:>6.2f}"
        )
    print(f"redaction costs {cpu_by_mode['safe'] - cpu_by_mode['plain']:.2f} s of CPU (median)")


if __name__ == "__main__":
    main()
