"""``leap panel``: plan a LEAP panel and list the panels from the shell, without the app."""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date
from typing import TYPE_CHECKING

from tui.cli import iso_date

if TYPE_CHECKING:
    from findings.panels import Panel


def date_range(text: str) -> tuple[date, date]:
    """FROM:TO, two YYYY-MM-DD dates, the second not before the first."""
    start_text, colon, end_text = text.partition(":")
    if not colon:
        raise argparse.ArgumentTypeError(
            f"'{text}' is not a period; give FROM:TO, for example 2026-01-05:2026-03-04"
        )
    start, end = iso_date(start_text), iso_date(end_text)
    if end < start:
        raise argparse.ArgumentTypeError(
            f"the period ends ({end.isoformat()}) before it starts ({start.isoformat()})"
        )
    return start, end


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """``leap panel plan`` and ``leap panel list``."""
    actions = parser.add_subparsers(dest="panel_action", metavar="ACTION", required=True)
    plan = actions.add_parser(
        "plan",
        help="plan a panel on a date",
        description="Plan a LEAP panel. Its period runs from the previous panel's date to the "
        "day before this one (the two months before it for the first panel) unless given.",
    )
    plan.add_argument("held_on", type=iso_date, metavar="DATE", help="the panel's date")
    plan.add_argument("--chair", default="", metavar="NAME", help="who chairs it")
    plan.add_argument(
        "--period",
        type=date_range,
        default=None,
        metavar="FROM:TO",
        help="the days it covers, both inclusive (default: since the previous panel)",
    )
    plan.add_argument(
        "--region",
        default=None,
        metavar="CODE",
        help="a national file: the region whose panel it is (default: the file's own region)",
    )
    listing = actions.add_parser("list", help="list the panels, the latest first")
    listing.add_argument("--format", choices=["table", "json"], default="table")
    listing.add_argument(
        "--region", default=None, metavar="CODE", help="a national file: this region's panels"
    )
    from tui.cli import _add_db_option

    for sub in (plan, listing):  # --db after the action too: leap panel list --db X
        _add_db_option(sub, top=False)


def run(args: argparse.Namespace) -> int:
    """Plan a panel or list them."""
    if args.panel_action == "plan":
        return _plan(args)
    return _list(args)


def _plan(args: argparse.Namespace) -> int:
    from db.base import StoreError
    from db.connection import open_db
    from db.panels_store import create_panel, panel_region
    from db.reference import region_names, unknown_region_message
    from findings.panel_cycle import long_date, period_text
    from tui.cli import resolve_db

    if args.period and args.period[1] > args.held_on:
        print(
            f"leap: the period ends ({args.period[1].isoformat()}) after the panel meets "
            f"({args.held_on.isoformat()}); a panel looks back on the days before it",
            file=sys.stderr,
        )
        return 2
    region = args.region.strip() if args.region is not None else None
    db = open_db(resolve_db(args))
    try:
        wrong = unknown_region_message(db, [region] if region is not None else [])
        if wrong:
            print(f"leap panel plan: --region: {wrong}", file=sys.stderr)
            return 2
        panel = create_panel(db, args.held_on, chair=args.chair, period=args.period, region=region)
        regions = region_names(db)
        region_name = regions[panel_region(db, panel.id)] if len(regions) > 1 else ""
    except StoreError as exc:
        print(f"leap: {exc}", file=sys.stderr)
        return 2
    finally:
        db.close()
    chair = f", chaired by {panel.chair}" if panel.chair else ""
    whose = f" for {region_name}" if region_name else ""
    # In a national file other regions' panels may share the date: name this one by its id.
    ref = str(panel.id)[:8] if region_name else panel.held_on.isoformat()
    print(
        f"Planned the panel of {long_date(panel.held_on)}{whose}{chair}, covering "
        f"{period_text(panel.period_start, panel.period_end)}.\n"
        f"Write its briefing with: leap brief {ref} --out FILE.docx"
    )
    return 0


def _list(args: argparse.Namespace) -> int:
    from db.base import open_for_reading
    from db.panels_store import list_panels, panel_regions
    from db.reference import region_names, unknown_region_message
    from tui.cli import resolve_db

    region = args.region.strip() if args.region is not None else None
    db = open_for_reading(resolve_db(args))
    try:
        wrong = unknown_region_message(db, [region] if region is not None else [])
        if wrong:
            print(f"leap panel list: --region: {wrong}", file=sys.stderr)
            return 2
        panels = list_panels(db, region=region)
        # A national file: each panel's region (its code in JSON, its name in the table).
        regions = region_names(db)
        regions_of = panel_regions(db) if len(regions) > 1 else {}
    finally:
        db.close()
    if args.format == "json":
        listed = [panel_to_json(p, regions_of.get(str(p.id))) for p in panels]
        print(json.dumps(listed, ensure_ascii=False, indent=1))
    elif not panels and region is not None:
        print(f"No panels of region {region}.")
    elif not panels:
        print("No panels yet. Plan one with: leap panel plan YYYY-MM-DD [--chair NAME]")
    elif region is None and regions_of:
        print(render_panels(panels, {k: regions.get(c, c) for k, c in regions_of.items()}))
    else:
        print(render_panels(panels))
    return 0


def panel_to_json(panel: Panel, region: str | None = None) -> dict[str, object]:
    """One panel as JSON-ready data (dates in ISO form, decisions counted; its region's code
    when given)."""
    return {
        "id": str(panel.id),
        "held_on": panel.held_on.isoformat(),
        **({"region": region} if region is not None else {}),
        "status": panel.status.value,
        "chair": panel.chair,
        "period_start": panel.period_start.isoformat(),
        "period_end": panel.period_end.isoformat(),
        "decisions": len(panel.decisions),
    }


def render_panels(panels: list[Panel], region_of: dict[str, str] | None = None) -> str:
    """The panels as a plain-text table, the latest first; with a Region column when
    ``region_of`` (panel id to region name) is given."""
    from findings.panel_cycle import period_text
    from tui.commands.search import render_table

    rows = [
        [
            p.held_on.isoformat(),
            *([region_of.get(str(p.id), "")] if region_of is not None else []),
            p.status.value,
            p.chair or "–",
            period_text(p.period_start, p.period_end),
            str(len(p.decisions)),
            str(p.id)[:8],
        ]
        for p in panels
    ]
    region_heading = ["Region"] if region_of is not None else []
    return render_table(
        ["Date", *region_heading, "Status", "Chair", "Period", "Decisions", "Id"], rows
    )
