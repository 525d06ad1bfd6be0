"""``leap brief``: write a LEAP panel's briefing as a Word document."""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path
from typing import Any

from tui.cli import iso_date


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
        type=iso_date,
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
        "--from",
        dest="date_from",
        type=iso_date,
        default=None,
        metavar="YYYY-MM-DD",
        help="an ad-hoc briefing of any period, for no panel: its first day (with --to)",
    )
    parser.add_argument(
        "--to",
        dest="date_to",
        type=iso_date,
        default=None,
        metavar="YYYY-MM-DD",
        help="the ad-hoc briefing's last day (with --from)",
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
        help="with --from and --to: a national briefing over every region in the file, with "
        "the regions compared",
    )
    parser.add_argument(
        "--region",
        metavar="CODE",
        default=None,
        help="with --from and --to in a national file: one region's ad-hoc briefing "
        "(default: every region in the file)",
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


def adhoc_period(args: argparse.Namespace) -> tuple[date, date] | None:
    """The ad-hoc briefing's period from --from and --to, None for a panel's briefing."""
    if args.date_from is None and args.date_to is None:
        return None
    if args.panel is not None:
        raise ValueError(
            f"give either a panel ({args.panel}) or --from and --to for an ad-hoc briefing, "
            "not both"
        )
    if args.date_from is None or args.date_to is None:
        missing = "--from" if args.date_from is None else "--to"
        raise ValueError(f"an ad-hoc briefing needs both --from and --to; {missing} is missing")
    if args.date_to < args.date_from:
        raise ValueError(
            f"--to ({args.date_to.isoformat()}) is before --from ({args.date_from.isoformat()})"
        )
    return args.date_from, args.date_to


NO_PANELS = (
    "There are no panels yet. Plan one with `leap panel plan YYYY-MM-DD`, or write an "
    "ad-hoc briefing of any period with `leap brief --from YYYY-MM-DD --to YYYY-MM-DD`."
)


def _run(args: argparse.Namespace, charts: Any) -> int:
    from db.base import StoreError, open_for_reading
    from db.panels_store import find_panel
    from db.reference import unknown_region_message
    from findings.panel_cycle import long_date, period_text
    from panels.briefing import build_adhoc_briefing, build_briefing
    from tui.cli import resolve_db

    today = args.today or date.today()
    try:
        period = adhoc_period(args)
    except ValueError as exc:
        print(f"leap: {exc}", file=sys.stderr)
        return 2
    if args.national:
        if period is None:
            print("leap: a national briefing needs --from and --to", file=sys.stderr)
            return 2
        if args.region is not None:
            print("leap: --national covers every region; leave out --region", file=sys.stderr)
            return 2
        return _national(args, charts, today, period)
    if args.region is not None and period is None:
        print(
            "leap: --region is for an ad-hoc briefing (with --from and --to); a panel's "
            "briefing is always its own region's",
            file=sys.stderr,
        )
        return 2
    db = open_for_reading(resolve_db(args))
    try:
        problem = unknown_region_message(db, [args.region]) if args.region else None
        if problem:
            print(f"leap: {problem}", file=sys.stderr)
            return 2
        panel = None
        if period is None:
            try:
                panel = find_panel(db, args.panel)
            except StoreError as exc:  # with no PANEL given, only when there are none at all
                print(f"leap: {NO_PANELS if args.panel is None else exc}", file=sys.stderr)
                return 2
            period = (panel.period_start, panel.period_end)
            named = panel.held_on.isoformat()
        else:
            named = f"{period[0].isoformat()}-to-{period[1].isoformat()}"
            named += f"-{args.region}" if args.region else ""
        out = args.out or Path(f"leap-briefing-{named}.docx")
        problem = check_output(out) or (check_output(args.template) if args.template else None)
        if problem:
            print(f"leap: {problem}", file=sys.stderr)
            return 2
        if args.template and not args.template.is_file():
            print(f"leap: the template {args.template} does not exist", file=sys.stderr)
            return 2
        if panel is None:
            briefing = build_adhoc_briefing(
                db, period, today, region=args.region, extra_names=args.redact_name
            )
        else:
            briefing = build_briefing(db, panel, today, extra_names=args.redact_name)
        charts.submit(briefing)
    finally:
        db.close()
    written = _written(briefing, out, args.template, charts)
    if written is None:
        return 2
    if panel is not None:
        what = f"the briefing for the panel of {long_date(panel.held_on)}"
    else:
        what = f"an ad-hoc briefing of {period_text(*period)}"
        if briefing.region_scope:
            what += f" for {briefing.region}" if args.region else " of every region in the file"
    print(f"Wrote {what} to {written} ({briefing.total} findings in the period).")
    return 0


def _national(args: argparse.Namespace, charts: Any, today: date, period: tuple[date, date]) -> int:
    """``leap brief --national --from D --to D``: every region, side by side."""
    from db.base import open_for_reading
    from panels.briefing import build_national_briefing
    from tui.cli import resolve_db

    start, end = period
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
    written = _written(briefing, out, args.template, charts)
    if written is None:
        return 2
    regions = len(briefing.regions.regions) if briefing.regions else 0
    print(
        f"Wrote the national briefing ({regions} regions, {briefing.total} findings in the "
        f"period) to {written}."
    )
    return 0


def _written(briefing: Any, out: Path, template: Path | None, charts: Any) -> Path | None:
    """Write the briefing's .docx (charts drawn meanwhile); where it went, or None after saying
    why it could not be written."""
    from panels.docx_writer import write_briefing

    try:
        return write_briefing(briefing, out, template=template, charts=charts.draw)
    except OSError as exc:
        print(f"leap: {exc}", file=sys.stderr)
        return None
