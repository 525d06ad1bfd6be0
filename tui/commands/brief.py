"""``leap brief``: write a LEAP panel's briefing as a Word document."""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path
from typing import Any


def add_document_options(
    parser: argparse.ArgumentParser, document: str, *, today_means: str
) -> None:
    """--template, --redact-name and --today, shared by the briefing and the bulletin."""
    parser.add_argument(
        "--template",
        type=Path,
        default=None,
        metavar="FILE.docx",
        help=f"a Word document whose styles, headers and footers the {document} uses",
    )
    parser.add_argument(
        "--redact-name",
        action="append",
        default=[],
        metavar="NAME",
        help="a name to remove from quoted text as well as those found automatically; repeatable",
    )
    parser.add_argument(
        "--today",
        type=date.fromisoformat,
        default=None,
        metavar="YYYY-MM-DD",
        help=f"{today_means}; default: today",
    )


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Options of ``leap brief``."""
    parser.add_argument(
        "panel",
        nargs="?",
        default=None,
        metavar="PANEL",
        help="the panel's date (YYYY-MM-DD) or id; default: the latest panel",
    )
    parser.add_argument(
        "--out",
        type=Path,
        default=None,
        metavar="FILE.docx",
        help="where to write the briefing (default: leap-briefing-DATE.docx here)",
    )
    add_document_options(
        parser, "briefing", today_means="the date to reason from (overdue actions)"
    )
    parser.add_argument(
        "--national",
        action="store_true",
        help="a national briefing over every region in the file, with the regions compared "
        "(needs --from and --to)",
    )
    parser.add_argument(
        "--from",
        dest="national_from",
        type=date.fromisoformat,
        default=None,
        metavar="YYYY-MM-DD",
        help="with --national: first day of the period",
    )
    parser.add_argument(
        "--to",
        dest="national_to",
        type=date.fromisoformat,
        default=None,
        metavar="YYYY-MM-DD",
        help="with --national: last day of the period",
    )


def check_output(path: Path) -> str | None:
    """Why ``path`` cannot take a .docx, or None if it can be tried."""
    if path.suffix.lower() != ".docx":
        return f"{path} does not end in .docx; give a Word file name"
    return None


def run(args: argparse.Namespace) -> int:
    """Build the briefing from the database and write it."""
    from panels.charts import ChartProcess

    with ChartProcess() as charts:
        return _run(args, charts)


def _run(args: argparse.Namespace, charts: Any) -> int:
    from db.base import StoreError, open_for_reading
    from db.panels_store import find_panel
    from panels.briefing import build_briefing
    from panels.cycle import long_date
    from panels.docx_writer import write_briefing
    from tui.cli import resolve_db

    today = args.today or date.today()
    if args.national:
        return _national(args, charts, today)
    db = open_for_reading(resolve_db(args))
    try:
        try:
            panel = find_panel(db, args.panel)
        except StoreError as exc:
            print(f"leap: {exc}", file=sys.stderr)
            return 2
        out = args.out or Path(f"leap-briefing-{panel.held_on.isoformat()}.docx")
        problem = check_output(out) or (check_output(args.template) if args.template else None)
        if problem:
            print(f"leap: {problem}", file=sys.stderr)
            return 2
        if args.template and not args.template.is_file():
            print(f"leap: the template {args.template} does not exist", file=sys.stderr)
            return 2
        briefing = build_briefing(db, panel, today, extra_names=args.redact_name)
        charts.submit(briefing)
    finally:
        db.close()
    try:
        written = write_briefing(briefing, out, template=args.template, charts=charts.draw)
    except OSError as exc:
        print(f"leap: {exc}", file=sys.stderr)
        return 2
    print(
        f"Wrote the briefing for the panel of {long_date(panel.held_on)} to {written} "
        f"({briefing.total} findings in the period)."
    )
    return 0


def _national(args: argparse.Namespace, charts: Any, today: date) -> int:
    """``leap brief --national --from D --to D``: every region, side by side."""
    from db.base import open_for_reading
    from panels.briefing import build_national_briefing
    from panels.docx_writer import write_briefing
    from tui.cli import resolve_db

    start, end = args.national_from, args.national_to
    if start is None or end is None:
        print("leap: a national briefing needs --from and --to", file=sys.stderr)
        return 2
    if start > end:
        print("leap: --from is after --to", file=sys.stderr)
        return 2
    out = args.out or Path(f"leap-national-briefing-{end.isoformat()}.docx")
    problem = check_output(out) or (check_output(args.template) if args.template else None)
    if problem:
        print(f"leap: {problem}", file=sys.stderr)
        return 2
    db = open_for_reading(resolve_db(args))
    try:
        briefing = build_national_briefing(db, start, end, today, extra_names=args.redact_name)
        charts.submit(briefing)
    finally:
        db.close()
    try:
        written = write_briefing(briefing, out, template=args.template, charts=charts.draw)
    except OSError as exc:
        print(f"leap: {exc}", file=sys.stderr)
        return 2
    regions = len(briefing.regions.regions) if briefing.regions else 0
    print(
        f"Wrote the national briefing ({regions} regions, {briefing.total} findings in the "
        f"period) to {written}."
    )
    return 0
