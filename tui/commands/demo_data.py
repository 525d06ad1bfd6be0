"""``leap demo-data``: write synthetic demo data of any size to a database."""

from __future__ import annotations

import argparse
import sys
import time


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Options of ``leap demo-data``."""
    parser.add_argument(
        "--findings",
        type=int,
        default=300,
        metavar="N",
        help="how many findings to write (default 300)",
    )
    parser.add_argument("--seed", type=int, default=None, help="random seed (default: fixed)")
    parser.add_argument("--quiet", action="store_true", help="print nothing but errors")


def run(args: argparse.Namespace) -> int:
    """Write the demo data and report how long it took."""
    from db.connection import open_db
    from db.demo import load_demo
    from findings.demo import DEMO_SEED
    from tui.cli import resolve_db

    if args.findings < 0:
        print("leap: --findings must be 0 or more", file=sys.stderr)
        return 2
    path = resolve_db(args)
    started = time.perf_counter()
    db = open_db(path)
    try:
        written = load_demo(
            db, findings=args.findings, seed=DEMO_SEED if args.seed is None else args.seed
        )
    finally:
        db.close()
    if not args.quiet:
        print(f"Wrote {written:,} findings to {path} in {time.perf_counter() - started:.1f} s.")
    return 0
