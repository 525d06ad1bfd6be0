"""``leap themes``: the recurring-themes report for a period, as a table or as JSON."""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import asdict
from datetime import date
from typing import TYPE_CHECKING, Any

from tui.cli import iso_date

if TYPE_CHECKING:
    from db.base import Reader
    from findings.recurrence import RecurrenceReport, RegionComparison


MAX_MONTHS = 120
"""The longest --months period: ten years (findings older than that are not recurrence)."""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Options of ``leap themes``: the period, the scope and the output format."""
    period = parser.add_mutually_exclusive_group()
    period.add_argument(
        "--from",
        dest="date_from",
        type=iso_date,
        metavar="YYYY-MM-DD",
        help="first day of the period (with --to, default today)",
    )
    period.add_argument(
        "--months",
        type=int,
        default=None,
        metavar="N",
        help=f"the last N months up to --to (default 2, at most {MAX_MONTHS})",
    )
    parser.add_argument(
        "--to",
        dest="date_to",
        type=iso_date,
        metavar="YYYY-MM-DD",
        help="last day of the period (default today)",
    )
    parser.add_argument(
        "--pdu", metavar="CODE", help="one PDU (code or name) instead of the whole region"
    )
    parser.add_argument(
        "--by-level",
        action="store_true",
        help="where the weaknesses sit: each theme's findings at each contributory level",
    )
    parser.add_argument(
        "--region",
        metavar="CODE",
        help="one region of a national file (default: every region in the file)",
    )
    parser.add_argument(
        "--by-region",
        action="store_true",
        help="compare regions side by side: each theme per 100 weakness findings of a region",
    )
    parser.add_argument("--format", choices=["table", "json"], default="table")


def resolve_period(args: argparse.Namespace, today: date) -> tuple[date, date]:
    """The period asked for: --from/--to, or the last --months (2) months up to --to."""
    from findings.recurrence import period_ending

    end = args.date_to or today
    if args.date_from is not None:
        if args.date_from > end:
            raise ValueError("--from is after --to")
        return args.date_from, end
    months = 2 if args.months is None else args.months
    if not 1 <= months <= MAX_MONTHS:
        raise ValueError(
            f"--months {months}: give 1 to {MAX_MONTHS} months (or --from and --to for a "
            "period of your own)"
        )
    return period_ending(end, months)


def run(args: argparse.Namespace) -> int:
    """Print the recurrence report."""
    from db.connection import open_db
    from db.recurrence_store import recurrence_report
    from db.reference import pdu_names, region_names, theme_names
    from tui.cli import resolve_db

    try:
        start, end = resolve_period(args, date.today())
    except ValueError as exc:
        print(f"leap: {exc}", file=sys.stderr)
        return 2
    if args.by_level:
        return _print_by_level(args, start, end)
    db = open_db(resolve_db(args))
    try:
        try:
            pdu = _pdu_code(db, args.pdu)
        except ValueError as exc:
            print(f"leap: {exc}", file=sys.stderr)
            return 2
        if args.by_region:
            from db.recurrence_store import region_comparison

            comparison = region_comparison(db, start, end)
            if args.format == "json":
                print(json.dumps(comparison_to_json(comparison), ensure_ascii=False, indent=1))
            else:
                print(render_comparison(comparison))
            return 0
        report = recurrence_report(
            db, start, end, pdu=pdu, region=args.region, include_ids=args.format == "json"
        )
        pdus = pdu_names(db)
        names = theme_names(db)
        regions = region_names(db)
    finally:
        db.close()
    if args.format == "json":
        print(json.dumps(report_to_json(report), ensure_ascii=False, indent=1))
    else:
        print(render_report(report, pdus, names, regions))
    return 0


def _pdu_code(db: Reader, given: str | None) -> str | None:
    """The code of the --pdu given by code or name (None for the whole region)."""
    from db.reference import pdu_codes

    return None if given is None else pdu_codes(db, [given])[0]


def _print_by_level(args: argparse.Namespace, start: date, end: date) -> int:
    """Print the theme x level report for the period."""
    from db.connection import open_db
    from db.levels_store import theme_level_report
    from db.reference import pdu_names
    from tui.cli import resolve_db
    from tui.commands.search import render_table

    db = open_db(resolve_db(args))
    try:
        pdus = pdu_names(db)
        try:
            pdu = _pdu_code(db, args.pdu)
        except ValueError as exc:
            print(f"leap: {exc}", file=sys.stderr)
            return 2
        report = theme_level_report(db, start, end, pdu=pdu)
    finally:
        db.close()
    if args.format == "json":
        print(json.dumps(report.to_json(), ensure_ascii=False, indent=1))
        return 0
    scope = pdus[pdu] if pdu else "the region"
    print(f"Where the weaknesses sit in {scope}, {_day(start)} to {_day(end)}")
    print("(a finding may sit at several levels; shares are of each theme's findings)")
    print()
    print(render_table(report.headers(), report.table_rows(), max_width=48))
    print()
    print(report.sentence())
    return 0


def report_to_json(report: RecurrenceReport) -> dict[str, Any]:
    """The report as JSON-ready data (dates in ISO form, the rules also in words)."""
    data = asdict(report)
    data["rules"]["description"] = report.rules.describe()
    data["rising"] = [t.slug for t in report.rising]
    data["recurring"] = [t.slug for t in report.recurring]
    return json.loads(json.dumps(data, default=str))


def comparison_to_json(comparison: RegionComparison) -> dict[str, Any]:
    """The region comparison as JSON-ready data, rates per 100 weakness findings."""
    codes = [code for code, _ in comparison.regions]
    return {
        "period_start": comparison.period_start.isoformat(),
        "period_end": comparison.period_end.isoformat(),
        "regions": [{"code": c, "name": n} for c, n in comparison.regions],
        "weakness_findings": comparison.weakness_findings,
        "themes": [
            {
                "slug": slug,
                "name": comparison.names.get(slug, slug),
                "counts": {c: comparison.counts[slug].get(c, 0) for c in codes},
                "per_100": {c: comparison.rate(slug, c) for c in codes},
                "per_100_all": comparison.overall_rate(slug),
            }
            for slug in comparison.themes
        ],
    }


def _day(day: date) -> str:
    return f"{day.day} {day:%b %Y}"


def render_report(
    report: RecurrenceReport,
    pdus: dict[str, str],
    names: dict[str, str],
    regions: dict[str, str] | None = None,
) -> str:
    """The report as plain text: a table of themes, then rising themes, pairs and the rules."""
    from findings.recurrence import format_share
    from tui.commands.search import render_table

    regions = regions or {}
    if report.pdu:
        scope = pdus.get(report.pdu, report.pdu)
    elif report.region:
        scope = regions.get(report.region, report.region)
    elif len(regions) > 1:
        scope = f"all {len(regions)} regions"
    else:
        scope = "the region"
    lines = [
        f"Recurring themes in {scope}, {_day(report.period_start)} to {_day(report.period_end)}",
        f"against {_day(report.previous_start)} to {_day(report.previous_end)}: "
        f"{report.weakness_findings} weakness findings (previously "
        f"{report.previous_weakness_findings}).",
        "",
    ]
    shown = [t for t in report.themes if t.count or t.previous_count]
    if shown:
        rows = [
            [
                t.name,
                str(t.count),
                format_share(t.count, report.weakness_findings),
                str(t.previous_count),
                f"{t.trend.arrow} {t.trend.value}",
                str(len(t.source_types)),
                str(len(t.pdus)),
                ("yes: " if t.recurring else "no: ") + t.recurring_reason,
            ]
            for t in shown
        ]
        headers = ["Theme", "Count", "Share", "Prev", "Trend", "Sources", "PDUs", "Recurring"]
        lines.append(render_table(headers, rows, max_width=48))
    else:
        lines.append("No weakness findings were tagged in this period or the one before.")
    hidden = len(report.themes) - len(shown)
    if hidden and shown:
        themes_were = "theme was" if hidden == 1 else "themes were"
        lines.append(f"({hidden} other {themes_were} not seen in either period.)")
    lines.append("")
    rising = report.rising
    lines.append("Rising:" + ("" if rising else " none"))
    lines += [f"  {t.name}: {t.previous_count} → {t.count}" for t in rising[:8]]
    lines.append("Found together:" + ("" if report.pairs else " no two themes in one finding"))
    lines += [
        f"  {names.get(p.first, p.first)} + {names.get(p.second, p.second)}: {p.count}"
        for p in report.pairs[:8]
    ]
    lines.append("")
    lines.append("Rules: " + report.rules.describe())
    note = report.panel_rule_note
    if note:
        lines.append(note)
    return "\n".join(lines)


def render_comparison(comparison: RegionComparison) -> str:
    """Regions side by side: each theme per 100 weakness findings of each region."""
    from findings.regions import region_abbreviation
    from tui.commands.search import render_table

    lines = [
        f"Themes by region, {_day(comparison.period_start)} to {_day(comparison.period_end)}: "
        "weakness findings showing each theme per 100 weakness findings of the region.",
        "",
    ]
    codes = [code for code, _ in comparison.regions]
    headers = ["Theme", *(region_abbreviation(n) for _, n in comparison.regions), "All"]
    rows = [["Weakness findings", *(str(comparison.weakness_findings[c]) for c in codes)]]
    rows[0].append(str(sum(comparison.weakness_findings.values())))
    for slug in comparison.themes:
        rates = [comparison.rate(slug, c) for c in codes] + [comparison.overall_rate(slug)]
        rows.append(
            [
                comparison.names.get(slug, slug),
                *("–" if r is None else f"{r:.0f}" for r in rates),
            ]
        )
    if len(rows) == 1:
        lines.append("No weakness findings were tagged in this period.")
    else:
        lines.append(render_table(headers, rows, max_width=40))
    lines.append("")
    lines.append(
        "Regions: "
        + "; ".join(f"{region_abbreviation(n)} {n}" for _, n in comparison.regions)
        + ". – means no weakness findings in that region."
    )
    return "\n".join(lines)
