"""Findings per second of the synthetic demo-data generator (default 100,000 findings).

Reports wall-clock and CPU rates (CPU is steadier on a busy machine), best of a few runs.
Usage:

    python benchmarks/bench_demo_generate.py [--count N] [--runs N]
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from findings.demo import DEMO_SEED, generate_case_assessments, generate_findings  # noqa: E402
from findings.models import SOUTH_CENTRAL  # noqa: E402

PDUS = [p.code for p in SOUTH_CENTRAL.pdus]
START, END = date(2025, 11, 1), date(2026, 10, 31)


def rate(make: Callable[..., Iterator[Any]], count: int) -> tuple[float, float]:
    """(wall, cpu) items per second for one full pass over the generator."""
    wall, cpu = time.perf_counter(), time.process_time()
    made = sum(1 for _ in make(DEMO_SEED, count, pdus=PDUS, start=START, end=END))
    assert made == count
    return count / (time.perf_counter() - wall), count / (time.process_time() - cpu)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    for label, make in (
        ("findings", generate_findings),
        ("case assessments", generate_case_assessments),
    ):
        runs = [rate(make, args.count) for _ in range(args.runs)]
        wall = max(r[0] for r in runs)
        cpu = max(r[1] for r in runs)
        print(
            f"{label}: {args.count:,} in best {args.count / wall:.2f} s -> "
            f"{wall:,.0f}/s wall, {cpu:,.0f}/s CPU"
        )


if __name__ == "__main__":
    main()
