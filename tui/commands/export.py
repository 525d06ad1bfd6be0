"""``leap export``: findings (or assessments, actions, panels) to .csv, .xlsx or .json."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from tui.cli import iso_date


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Options of ``leap export``: format, file, what, safety and the search filters."""
    parser.formatter_class = argparse.RawDescriptionHelpFormatter
    parser.add_argument("--format", choices=["csv", "xlsx", "json"], help="default: from --out")
    parser.add_argument("--out", type=Path, required=True, metavar="FILE", help="file to write")
    parser.add_argument(
        "--what",
        choices=["findings", "assessments", "actions", "panels", "moderation"],
        default="findings",
        help="what to export (default findings)",
    )
    safety = parser.add_mutually_exclusive_group()
    safety.add_argument(
        "--safe",
        dest="safe",
        action="store_true",
        help="remove names, case numbers, contact details and addresses (the default)",
    )
    safety.add_argument(
        "--unsafe",
        dest="safe",
        action="store_false",
        help="keep personal data: for moving data between leap databases, never to circulate",
    )
    parser.set_defaults(safe=True)
    parser.add_argument("--text", default="", help="only findings matching these words")
    parser.add_argument("--source", action="append", default=[], metavar="TYPE")
    parser.add_argument("--pdu", action="append", default=[], metavar="CODE")
    parser.add_argument(
        "--region",
        action="append",
        default=[],
        metavar="CODE",
        help="region code of a national file; repeatable (findings exports)",
    )
    parser.add_argument("--stage", action="append", default=[], metavar="STAGE")
    parser.add_argument("--theme", action="append", default=[], metavar="SLUG")
    parser.add_argument("--polarity", choices=["weakness", "strength"])
    parser.add_argument("--rosh", action="append", default=[], metavar="LEVEL")
    parser.add_argument("--from", dest="date_from", type=iso_date, metavar="YYYY-MM-DD")
    parser.add_argument("--to", dest="date_to", type=iso_date, metavar="YYYY-MM-DD")
    parser.add_argument(
        "--include-deleted", action="store_true", help="include findings moved to deleted"
    )
    parser.epilog = (
        "Exports are SAFE by default: CRNs, PNC, NI and prison numbers, dates of birth,\n"
        "street addresses, postcodes, phone numbers, email addresses and personal names\n"
        "(titles plus names, and the names listed in settings) are replaced\n"
        "with placeholders in every field, narratives included; the CRN and 'recorded by'\n"
        "columns are left empty. Use --unsafe only to move data between leap databases: an\n"
        "--unsafe export imports back unchanged. The file is written whole or not at all."
    )


def run(args: argparse.Namespace) -> int:
    """Write the export and say how many rows went out, and whether safely."""
    from pydantic import ValidationError

    from db.connection import open_db
    from db.exporter import export
    from db.reference import pdu_codes, theme_slugs, unknown_region_message
    from findings.filters import FindingFilter
    from findings.models import describe_errors
    from tui.cli import resolve_db

    fmt = args.format or args.out.suffix.lower().lstrip(".")
    if fmt not in ("csv", "xlsx", "json"):
        print("leap: give --format csv, xlsx or json (or name --out FILE.csv ...)", file=sys.stderr)
        return 2
    try:
        flt = FindingFilter(
            text=args.text,
            source_types=args.source,
            pdus=args.pdu,
            regions=args.region,
            stages=args.stage,
            themes=args.theme,
            polarity=args.polarity,
            rosh=args.rosh,
            date_from=args.date_from,
            date_to=args.date_to,
            include_deleted=args.include_deleted,
        )
    except ValidationError as exc:
        for message in describe_errors(exc):
            print(f"leap export: {message}", file=sys.stderr)
        return 2
    if not args.safe:
        print(
            "leap: warning: --unsafe keeps CRNs and names in the file. Do not circulate it; "
            "delete it once imported.",
            file=sys.stderr,
        )
    db = open_db(resolve_db(args))
    try:
        wrong = unknown_region_message(db, args.region)
        if args.region and args.what != "findings":
            wrong = f"narrows findings exports only, not {args.what}"
        if wrong:
            print(f"leap export: --region: {wrong}; nothing was written", file=sys.stderr)
            return 2
        try:
            named = {"pdus": pdu_codes(db, args.pdu), "themes": theme_slugs(db, args.theme)}
        except ValueError as exc:
            print(f"leap export: {exc}; nothing was written", file=sys.stderr)
            return 2
        flt = flt.model_copy(update=named)
        result = export(db, args.out, fmt=fmt, what=args.what, flt=flt, safe=args.safe)
    finally:
        db.close()
    kind = "safe (personal data removed)" if result.safe else "UNSAFE (personal data kept)"
    what = "moderation rows" if args.what == "moderation" else args.what
    print(f"Exported {result.rows:,} {what} to {result.path}, {kind}.")
    return 0
