"""``leap check``: SQLite's integrity check and leap's own, reported in plain words."""

from __future__ import annotations

import argparse


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """``leap check [--recount]``."""
    parser.epilog = "Exit status: 0 when all is well, 1 when a problem was found."
    parser.add_argument(
        "--recount",
        action="store_true",
        help="first rebuild the kept theme counts (recurrence figures) from the findings",
    )


def run(args: argparse.Namespace) -> int:
    """Run every check and print what passed and what did not."""
    import sys

    from db.checks import run_checks
    from db.connection import open_db
    from tui.cli import resolve_db

    path = resolve_db(args)
    if not path.exists():
        print(f"leap: {path} does not exist.", file=sys.stderr)
        return 2
    db = open_db(path, migrate=False)
    try:
        if args.recount:
            from db.base import write_transaction
            from db.theme_counts import rebuild_counts

            with write_transaction(db):
                rebuild_counts(db)
            print("  Rebuilt the theme counts from the findings.")
        report = run_checks(db, path)
    finally:
        db.close()
    for line in report.passed:
        print(f"  ok  {line}")
    for line in report.problems:
        print(f"  !!  {line}")
    if report.ok:
        print(f"{path.name}: no problems found.")
        return 0
    print(f"{path.name}: {len(report.problems)} problem(s) found.")
    return 1
