"""``leap merge FILE [FILE ...]``: bring other leap files (other regions') into this one."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from db.merge import MergeReport


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Options of ``leap merge``."""
    parser.add_argument("files", nargs="+", type=Path, metavar="FILE", help="leap files to merge")
    parser.add_argument(
        "--dry-run", action="store_true", help="show what would change without writing anything"
    )
    parser.add_argument(
        "--all-conflicts", action="store_true", help="list every conflict, not the first 20"
    )
    parser.epilog = (
        "Records are matched by id; merging a file again adds nothing. A record changed in "
        "both files since they were last merged keeps the higher version (the other goes to "
        "the history) and is listed as a conflict. All files are merged or none."
    )


SHOWN_CONFLICTS = 20
"""Conflicts listed in full before the rest are counted."""


def format_report(report: MergeReport, *, all_conflicts: bool = False) -> list[str]:
    """The merge report as lines of text: a table of counts, then conflicts and notes."""
    lines = [
        f"{'Would merge' if report.dry_run else 'Merged'} {', '.join(report.sources)} "
        f"in {report.seconds:.1f} s{' (dry run: nothing was written)' if report.dry_run else ''}.",
        "",
        f"  {'table':<28} {'added':>8} {'updated':>8} {'unchanged':>10} {'conflicts':>10}",
    ]
    for name, table in report.tables.items():
        lines.append(
            f"  {name:<28} {table.added:>8,} {table.updated:>8,} {table.unchanged:>10,} "
            f"{len(table.conflicts):>10,}"
        )
    conflicts = [c for t in report.tables.values() for c in t.conflicts]
    shown = len(conflicts) if all_conflicts else SHOWN_CONFLICTS
    if conflicts:
        lines += ["", "Conflicts:"] + [f"  - {c}" for c in conflicts[:shown]]
        if len(conflicts) > shown:
            lines.append(
                f"  ... and {len(conflicts) - shown:,} more (each is in the history "
                "of its record; --all-conflicts lists them all)."
            )
    if report.notes:
        lines += ["", "Notes:"] + [f"  - {n}" for n in report.notes]
    if report.not_carried:
        lines += ["", "Not carried by this version of merge:"]
        lines += [f"  - {n.removeprefix('not carried: ')}" for n in report.not_carried]
    return lines


def run(args: argparse.Namespace) -> int:
    """Merge the files and print the report."""
    import contextlib
    import sys
    import tempfile

    from db.base import StoreError
    from db.connection import open_db
    from db.merge import merge_files
    from tui.cli import resolve_db

    path = resolve_db(args)
    files = [f.expanduser() for f in args.files]
    for file in files:
        if file.exists() and path.exists() and file.resolve() == path.resolve():
            print(f"leap: {file} is the database itself; nothing was merged.", file=sys.stderr)
            return 2
    with contextlib.ExitStack() as stack:
        if args.dry_run and not path.exists():
            # a dry run writes nothing, not even the new file: it merges into a scratch one
            path = Path(stack.enter_context(tempfile.TemporaryDirectory())) / path.name
        db = open_db(path)
        try:
            report = merge_files(db, files, dry_run=args.dry_run)
        except StoreError as exc:
            print(f"leap: {exc}", file=sys.stderr)
            return 2
        finally:
            db.close()
    print("\n".join(format_report(report, all_conflicts=args.all_conflicts)))
    return 0
