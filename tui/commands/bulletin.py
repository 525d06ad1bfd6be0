"""``leap bulletin``: write a one-page practitioner bulletin ('7-minute briefing') on a theme."""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Options of ``leap bulletin``."""
    from tui.commands.brief import add_document_options

    parser.add_argument("theme", metavar="THEME", help="the theme's slug (or its full name)")
    parser.add_argument(
        "--out",
        type=Path,
        default=None,
        metavar="FILE.docx",
        help="where to write the bulletin (default: leap-bulletin-THEME.docx here)",
    )
    parser.add_argument(
        "--months",
        type=int,
        default=12,
        metavar="N",
        help="draw on findings from the last N months (default 12)",
    )
    parser.add_argument(
        "--region",
        default=None,
        metavar="CODE",
        help="a national file: the findings and actions of this region only",
    )
    add_document_options(parser, "bulletin", today_means="the date the period ends")


def run(args: argparse.Namespace) -> int:
    """Build the bulletin from the database and write it."""
    from db.base import open_for_reading
    from db.reference import unknown_region_message
    from panels.bulletin import UnknownTheme, build_bulletin, write_bulletin
    from tui.cli import resolve_db
    from tui.commands.brief import check_output
    from tui.commands.themes import MAX_MONTHS

    if not 1 <= args.months <= MAX_MONTHS:
        print(f"leap: --months {args.months}: give 1 to {MAX_MONTHS} months", file=sys.stderr)
        return 2
    out = args.out or Path(f"leap-bulletin-{args.theme.strip().lower().replace(' ', '_')}.docx")
    problem = check_output(out) or (check_output(args.template) if args.template else None)
    if problem:
        print(f"leap: {problem}", file=sys.stderr)
        return 2
    if args.template and not args.template.is_file():
        print(f"leap: the template {args.template} does not exist", file=sys.stderr)
        return 2
    region = args.region.strip() if args.region is not None else None
    db = open_for_reading(resolve_db(args))
    try:
        wrong = unknown_region_message(db, [region] if region is not None else [])
        if wrong:
            print(f"leap bulletin: --region: {wrong}; nothing was written", file=sys.stderr)
            return 2
        try:
            bulletin = build_bulletin(
                db,
                args.theme,
                args.today or date.today(),
                months=args.months,
                extra_names=args.redact_name,
                region=region,
            )
        except UnknownTheme as exc:
            print(f"leap: {exc}", file=sys.stderr)
            return 2
    finally:
        db.close()
    try:
        written = write_bulletin(bulletin, out, template=args.template)
    except OSError as exc:
        print(f"leap: {exc}", file=sys.stderr)
        return 2
    print(f"Wrote the bulletin on {bulletin.theme.lower()} to {written}.")
    return 0
