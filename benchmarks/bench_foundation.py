"""Foundation benchmark: `leap demo-data` at several sizes, and opening a page of findings.

Builds each database with the real command (cached under --cache so later benchmarks can reuse
them), then times what the app does to show its first page: count (capped at 10,000+ as the
screen shows it), fetch 100 rows, PDU names.
Usage:

    python benchmarks/bench_foundation.py [--sizes 10000 100000 1000000] [--cache /tmp/leap-bench]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from db.base import connect_raw  # noqa: E402
from db.findings_store import count_findings_capped, query_findings  # noqa: E402
from db.reference import pdu_names  # noqa: E402
from findings.filters import FindingFilter  # noqa: E402


def build(path: Path, size: int) -> float | None:
    """Run `leap demo-data` for ``size`` findings; seconds taken, or None if cached."""
    if path.exists():
        return None
    started = time.perf_counter()
    subprocess.run(
        [
            sys.executable,
            "-m",
            "tui",
            "demo-data",
            "--db",
            str(path),
            "--findings",
            str(size),
            "--quiet",
        ],
        cwd=ROOT,
        check=True,
    )
    return time.perf_counter() - started


def first_page(path: Path, flt: FindingFilter) -> float:
    """Seconds to count matches and fetch the first page, as the findings screen does."""
    started = time.perf_counter()
    conn = connect_raw(path)
    try:
        count_findings_capped(conn, flt)
        query_findings(conn, flt, limit=100)
        pdu_names(conn)
    finally:
        conn.close()
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--cache", type=Path, default=Path("/tmp/leap-bench"))
    args = parser.parse_args()
    args.cache.mkdir(parents=True, exist_ok=True)
    print(f"{'findings':>10}  {'demo-data s':>12}  {'first page ms':>14}  {'page (PDU) ms':>14}")
    for size in args.sizes:
        path = args.cache / f"demo-{size}.db"
        built = build(path, size)
        first_page(path, FindingFilter())  # warm the page cache
        plain = statistics.median(first_page(path, FindingFilter()) for _ in range(5))
        pdu = statistics.median(
            first_page(path, FindingFilter(pdus=["oxfordshire"])) for _ in range(5)
        )
        shown = f"{built:12.1f}" if built is not None else f"{'(cached)':>12}"
        print(f"{size:>10,}  {shown}  {plain * 1000:14.1f}  {pdu * 1000:14.1f}")


if __name__ == "__main__":
    main()
