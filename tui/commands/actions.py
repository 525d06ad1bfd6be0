"""``leap actions``: learning actions with their escalation, as a table or as CSV."""

from __future__ import annotations

import argparse
import csv
import os
import sys
from datetime import date
from typing import TYPE_CHECKING

from tui.cli import iso_date

if TYPE_CHECKING:
    from findings.actions import ActionLine

STATUSES = ["open", "in_progress", "done", "cancelled"]

CSV_HEADERS = [
    "id",
    "title",
    "owner",
    "scope",
    "themes",
    "status",
    "due_date",
    "days_overdue",
    "escalation",
    "completed_on",
    "evidence",
    "impact",
]


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Options of ``leap actions``: the list's filters and its format."""
    parser.add_argument("--overdue", action="store_true", help="only actions past their due date")
    parser.add_argument("--owner", default="", metavar="TEXT", help="owner contains TEXT")
    parser.add_argument(
        "--status", action="append", default=[], choices=STATUSES, help="status; repeatable"
    )
    parser.add_argument("--theme", default="", metavar="SLUG", help="addresses this theme")
    parser.add_argument("--scope", default="", metavar="SCOPE", help="'region' or a PDU code")
    parser.add_argument(
        "--region", default="", metavar="CODE", help="only actions of this region (national file)"
    )
    parser.add_argument("--format", choices=["table", "csv"], default="table")
    parser.add_argument(
        "--today",
        type=iso_date,
        default=None,
        metavar="YYYY-MM-DD",
        help="judge escalation as on this date (default: today)",
    )


def run(args: argparse.Namespace) -> int:
    """Print the matching actions; exits 0 whatever their state (for cron e-mails)."""
    try:
        return _run(args)
    except BrokenPipeError:
        # The reader (`| head`) stopped early: not an error. Silence the flush at exit.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0


def _run(args: argparse.Namespace) -> int:
    from db.actions_impact import action_lines
    from db.actions_store import list_actions
    from db.connection import open_db
    from db.reference import unknown_region_message
    from findings.actions import ActionFilter, ActionStatus, Escalation
    from tui.cli import resolve_db
    from tui.commands.search import render_table

    today = args.today or date.today()
    flt = ActionFilter(
        owner=args.owner.strip(),
        statuses=tuple(ActionStatus(s) for s in args.status),
        theme=args.theme.strip(),
        scope=args.scope.strip(),
        region=args.region.strip(),
        overdue_only=args.overdue,
    )
    db = open_db(resolve_db(args))
    try:
        wrong = unknown_region_message(db, [flt.region] if flt.region else [])
        if wrong:
            print(f"leap actions: --region: {wrong}", file=sys.stderr)
            return 2
        lines = action_lines(db, list_actions(db, flt, today=today), today=today, with_impact=True)
    finally:
        db.close()
    if args.format == "csv":
        write_csv(lines)
        return 0
    if not lines:
        print(f"No learning actions match ({flt.describe()}).")
        return 0
    print(
        render_table(
            ["Due", "Late", "Escalation", "Status", "Title", "Owner", "Scope", "Themes"],
            [
                [
                    line.due_date.isoformat(),
                    f"{line.days_overdue}d" if line.days_overdue else "",
                    line.escalation.label,
                    line.status.label,
                    line.title,
                    line.owner,
                    line.scope,
                    ", ".join(line.themes),
                ]
                for line in lines
            ],
            max_width=40,
        )
    )
    overdue = sum(1 for line in lines if line.days_overdue)
    chair = sum(1 for line in lines if line.escalation is Escalation.OVERDUE_TWO_PANELS)
    soon = sum(1 for line in lines if line.escalation is Escalation.DUE_SOON)
    print(
        f"{len(lines)} action{'s' if len(lines) != 1 else ''} ({flt.describe()}) on "
        f"{today.isoformat()}: {overdue} overdue, {chair} overdue at two panels (for the "
        f"chair), {soon} due within 14 days."
    )
    return 0


def _cell(text: str) -> str:
    # A spreadsheet would run a cell starting with = + - @ as a formula: keep it as text.
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def write_csv(lines: list[ActionLine]) -> None:
    """The actions as CSV on standard output, quoted by the csv module, formula-safe."""
    writer = csv.writer(sys.stdout, lineterminator="\n")
    writer.writerow(CSV_HEADERS)
    for line in lines:
        writer.writerow(
            [
                line.id,
                _cell(line.title),
                _cell(line.owner),
                line.scope,
                ";".join(line.themes),
                line.status.value,
                line.due_date.isoformat(),
                line.days_overdue,
                line.escalation.value,
                line.completed_on.isoformat() if line.completed_on else "",
                _cell(line.evidence or ""),
                line.impact_summary or "",
            ]
        )
