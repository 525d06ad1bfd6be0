"""``leap demo-data``: write synthetic demo data of any size to a database."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path


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
    parser.add_argument(
        "--regions",
        type=int,
        default=None,
        metavar="K",
        help="a national demo: K regions (1-12), --findings each, merged into the database "
        "(or written one file per region with --split FOLDER)",
    )
    parser.add_argument(
        "--split",
        type=Path,
        default=None,
        metavar="FOLDER",
        help="with --regions: write one regional file per region into FOLDER instead",
    )


def run(args: argparse.Namespace) -> int:
    """Write the demo data and report how long it took."""
    from db.connection import open_db
    from findings.demo import DEMO_SEED
    from panels.demo_region import load_demo
    from tui.cli import resolve_db

    if args.findings < 0:
        print("leap: --findings must be 0 or more", file=sys.stderr)
        return 2
    path = resolve_db(args)
    started = time.perf_counter()
    seed = DEMO_SEED if args.seed is None else args.seed
    if args.regions is not None or args.split is not None:
        return _regional(args, path, seed, started)
    db = open_db(path)
    try:
        written = load_demo(db, findings=args.findings, seed=seed)
    finally:
        db.close()
    if not args.quiet:
        print(f"Wrote {written:,} findings to {path} in {time.perf_counter() - started:.1f} s.")
    return 0


def _regional(args: argparse.Namespace, path: Path, seed: int, started: float) -> int:
    """Regional demo files (--split), or one national file merged from them."""
    import tempfile

    from panels.demo_region import write_regional_demo

    regions = 12 if args.regions is None else args.regions
    if not 1 <= regions <= 12:
        print("leap: --regions must be between 1 and 12", file=sys.stderr)
        return 2
    if args.split is not None:
        files = write_regional_demo(args.split, regions=regions, findings=args.findings, seed=seed)
        if not args.quiet:
            print(
                f"Wrote {len(files)} regional files of {args.findings:,} findings each to "
                f"{args.split} in {time.perf_counter() - started:.1f} s."
            )
        return 0
    from db.connection import open_db
    from db.merge import merge_files
    from findings.regions import REGIONS

    with tempfile.TemporaryDirectory(prefix="leap-demo-") as scratch:
        files = write_regional_demo(
            Path(scratch), regions=regions, findings=args.findings, seed=seed
        )
        # A new file takes the first demo region as its own, so that it holds no empty region
        # (the default, South Central, would be counted as one more region without findings).
        db = open_db(path, region=REGIONS[0])
        try:
            merge_files(db, files, actor="demo")
        finally:
            db.close()
    if not args.quiet:
        print(
            f"Wrote a national file of {regions} regions, {args.findings:,} findings each, to "
            f"{path} in {time.perf_counter() - started:.1f} s."
        )
    return 0
