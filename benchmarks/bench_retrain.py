"""Benchmark of `leap tag --train`: refitting the tagger's model with a database's reviewed
findings (issue bar: 5,000 findings in under 30 s), by wall and CPU time.

The findings come from the demo generator with every theme marked confirmed: they only give
the refit its size (the model is never scored or tuned on them).

    python benchmarks/bench_retrain.py [--findings 5000]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from db.connection import open_db  # noqa: E402
from db.findings_store import save_finding  # noqa: E402
from findings.demo import generate_findings  # noqa: E402
from findings.models import SOUTH_CENTRAL, TagOrigin  # noqa: E402
from tui.commands.tag import train_database  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--findings", type=int, default=5000)
    args = parser.parse_args(argv)
    pdus = [p.code for p in SOUTH_CENTRAL.pdus]
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder, "retrain.db")
        db = open_db(path)
        with db.conn:
            for finding in generate_findings(
                5, args.findings, pdus=pdus, start=date(2024, 1, 1), end=date(2026, 11, 1)
            ):
                confirmed = [
                    t.model_copy(update={"origin": TagOrigin.CONFIRMED}) for t in finding.themes
                ]
                save_finding(
                    db, finding.model_copy(update={"themes": confirmed}), today=date(2026, 12, 1)
                )
        db.close()
        wall, cpu = time.perf_counter(), time.process_time()
        retrained = train_database(path)
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    print(retrained.summary())
    print(f"refit on {retrained.findings:,} reviewed findings: wall {wall:.1f} s, cpu {cpu:.1f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
