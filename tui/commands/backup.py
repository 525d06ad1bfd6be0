"""``leap backup``: a consistent copy of the database, taken while it may be in use."""

from __future__ import annotations

import argparse
from pathlib import Path


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Options of ``leap backup``."""
    parser.add_argument(
        "path",
        nargs="?",
        type=Path,
        help="where to write the backup (default: beside the database, with the date and time "
        "in its name); a folder puts it there under that name",
    )


def run(args: argparse.Namespace) -> int:
    """Copy the database with SQLite's online backup and check the copy."""
    import sys

    from db.checks import run_checks
    from db.connection import backup_path_for, backup_to, open_db
    from tui.cli import resolve_db

    source = resolve_db(args)
    if not source.exists():
        print(f"leap: {source} does not exist; there is nothing to back up.", file=sys.stderr)
        return 2
    default = backup_path_for(source, "backup")
    target: Path = args.path.expanduser() if args.path else default
    if target.is_dir():
        target = target / default.name
    if target.resolve() == source.resolve():
        print("leap: the backup cannot overwrite the database itself.", file=sys.stderr)
        return 2
    db = open_db(source, migrate=False)
    try:
        backup_to(db, target)
    finally:
        db.close()
    copy = open_db(target, migrate=False)
    try:
        report = run_checks(copy, target)
    finally:
        copy.close()
    if not report.ok:
        print(f"leap: the backup at {target} failed its check:", file=sys.stderr)
        for line in report.problems:
            print(f"  {line}", file=sys.stderr)
        return 1
    print(f"Backed up {source.name} to {target} (readable by you only).")
    return 0
