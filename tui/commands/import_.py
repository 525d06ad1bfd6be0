"""``leap import``: findings from a .csv or .xlsx file, checked row by row; or a template."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from db.importer import ImportReport

MAX_LISTED = 50
"""Rejected rows printed in full; the rest are counted (all are in the rejects file)."""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Options of ``leap import``."""
    parser.add_argument("file", nargs="?", type=Path, help="the .csv or .xlsx file to import")
    parser.add_argument(
        "--template",
        type=Path,
        metavar="FILE.xlsx",
        help="write an empty template spreadsheet with the right columns and an example row",
    )
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument(
        "--all-or-nothing",
        dest="skip_invalid",
        action="store_false",
        help="import nothing unless every row is valid (the default)",
    )
    mode.add_argument(
        "--skip-invalid",
        dest="skip_invalid",
        action="store_true",
        help="import the valid rows; write the rejected ones to --rejects to fix and re-import",
    )
    parser.add_argument(
        "--rejects",
        type=Path,
        metavar="FILE.csv",
        help="with --skip-invalid: where to write the rejected rows with their problems "
        "(a workbook if FILE ends in .xlsx, else CSV)",
    )
    parser.add_argument(
        "--map",
        action="append",
        default=[],
        metavar="COLUMN=FIELD",
        help="use this column for this field: a column name of the template ('Source', "
        "'Event date'...), or 'detail' or 'ignore'; repeatable",
    )
    parser.add_argument("--quiet", action="store_true", help="print only problems")
    parser.set_defaults(skip_invalid=False)
    parser.epilog = (
        "Columns are matched to fields by name (case and spaces ignored; 'PDU', 'Probation "
        "delivery unit', 'Date', 'Theme(s)' ... all work). Rows already imported are skipped, "
        "so importing a file twice adds nothing. Exit status: 0 imported, 1 rows rejected, "
        "2 the file could not be read."
    )


def run(args: argparse.Namespace) -> int:
    """Import the file (or write the template) and print the report."""
    from db.connection import open_db
    from tui.cli import resolve_db

    if args.template:
        return _write_template(args)
    if args.file is None:
        print("leap: name a file to import, or use --template FILE.xlsx", file=sys.stderr)
        return 2
    if args.rejects and not args.skip_invalid:
        print("leap: --rejects needs --skip-invalid", file=sys.stderr)
        return 2
    db = open_db(resolve_db(args))
    try:
        from db.importer import import_file, read_sheet
        from findings.spreadsheet import match_columns

        mapping = None
        if args.map:
            mapping = _apply_map(match_columns(read_sheet(args.file).headers), args.map)
            if mapping is None:
                return 2
        report = import_file(
            db,
            args.file,
            mapping=mapping,
            skip_invalid=args.skip_invalid,
            rejects_path=args.rejects,
        )
    finally:
        db.close()
    return print_report(report, quiet=args.quiet)


def _apply_map(mapping, pairs: list[str]):  # noqa: ANN001, ANN202 - ColumnMapping
    from findings.spreadsheet import mapping_target, words

    for pair in pairs:
        column, _, name = pair.rpartition("=")
        try:
            target = mapping_target(name)
        except ValueError as exc:
            print(f"leap: --map {pair}: {exc}", file=sys.stderr)
            return None
        indexes = [i for i, h in enumerate(mapping.headers) if words(h) == words(column)]
        if not indexes:
            named = ", ".join(h for h in mapping.headers if h)
            print(
                f"leap: --map {pair}: no column named '{column}' (the file has: {named})",
                file=sys.stderr,
            )
            return None
        mapping = mapping.use(indexes[0], target)
    return mapping


def print_report(report: ImportReport, *, quiet: bool = False) -> int:
    """Print an import report a user can act on; returns the exit status."""
    from findings.spreadsheet import FIELD_LABELS

    out = sys.stdout
    if report.fatal:
        print(f"leap: {report.file}: {report.fatal}", file=sys.stderr)
        return 2
    if not quiet:
        columns = ", ".join(
            f"{report.mapping.headers[i]} → {FIELD_LABELS[f]}"
            for i, f in sorted(report.mapping.fields.items())
        )
        print(f"Columns: {columns}", file=out)
        for note in report.notes:
            print(note, file=out)
    if report.rejected:
        stream = sys.stderr if not report.committed else out
        print(f"{len(report.rejected):,} row(s) rejected:", file=stream)
        for problem in report.problems[:MAX_LISTED]:
            print(f"  row {problem.row}, {problem.column or 'row'}: {problem.reason}", file=stream)
        if len(report.problems) > MAX_LISTED:
            print(f"  … and {len(report.problems) - MAX_LISTED:,} more problem(s).", file=stream)
    if not report.committed:
        print(
            f"Nothing was imported from {report.file}: fix the rows above and import again, "
            "or use --skip-invalid --rejects FILE.csv to import the valid rows now.",
            file=sys.stderr,
        )
        return 1
    skipped = []
    if report.already_present:
        skipped.append(f"{report.already_present:,} already in the database")
    if report.duplicates_in_file:
        skipped.append(f"{report.duplicates_in_file:,} repeated in the file")
    print(
        f"Imported {report.imported:,} finding(s) from {report.file} in {report.seconds:.1f} s"
        + (f" (skipped {' and '.join(skipped)})" if skipped else "")
        + ".",
        file=out,
    )
    if report.rejects_file:
        print(
            f"The {len(report.rejected):,} rejected row(s) are in {report.rejects_file}: fix "
            "them there and import that file.",
            file=out,
        )
        return 1
    return 1 if report.rejected else 0


def _write_template(args: argparse.Namespace) -> int:
    from db.connection import open_db
    from db.import_template import write_template
    from tui.cli import resolve_db

    path: Path = args.template
    if path.suffix.lower() != ".xlsx":
        print("leap: the template is an .xlsx file (name it FILE.xlsx)", file=sys.stderr)
        return 2
    db_path = resolve_db(args)
    if db_path.exists():
        db = open_db(db_path)
        try:
            write_template(path, db)
        finally:
            db.close()
    else:
        write_template(path, None)
    print(f"Wrote the import template to {path}.")
    return 0
