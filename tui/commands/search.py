"""``leap search``: find findings from the shell, as a table (names, as the app shows them) or
as JSON (codes and slugs, for other tools)."""

from __future__ import annotations

import argparse
import json
import sys

from tui.cli import iso_date


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Options of ``leap search``: the query and the same filters as the app."""
    parser.add_argument(
        "query", nargs="?", default="", help='words to find; "quoted phrase"; prefix*'
    )
    parser.add_argument(
        "--source",
        action="append",
        default=[],
        metavar="TYPE",
        help="source type (sfo_review, audit, inspection, complaint, "
        "death_under_supervision, case_assessment); repeatable",
    )
    parser.add_argument(
        "--pdu", action="append", default=[], metavar="CODE", help="PDU code or name; repeatable"
    )
    parser.add_argument(
        "--region",
        action="append",
        default=[],
        metavar="CODE",
        help="region code of a national file; repeatable",
    )
    parser.add_argument(
        "--stage", action="append", default=[], metavar="STAGE", help="practice stage; repeatable"
    )
    parser.add_argument(
        "--theme",
        action="append",
        default=[],
        metavar="SLUG",
        help="theme slug or name; repeatable",
    )
    parser.add_argument(
        "--level",
        action="append",
        default=[],
        metavar="L",
        help="contributory level (practice, supervision, organisation, partnership); repeatable",
    )
    parser.add_argument("--polarity", choices=["weakness", "strength"])
    parser.add_argument(
        "--rosh",
        action="append",
        default=[],
        metavar="LEVEL",
        help="RoSH level (low, medium, high, very_high, unknown); repeatable",
    )
    parser.add_argument("--from", dest="date_from", type=iso_date, metavar="YYYY-MM-DD")
    parser.add_argument("--to", dest="date_to", type=iso_date, metavar="YYYY-MM-DD")
    parser.add_argument(
        "--view",
        metavar="NAME",
        help="start from a view saved in the app; other options given here replace its parts",
    )
    parser.add_argument("--limit", type=int, default=50, help="at most this many (default 50)")
    parser.add_argument("--format", choices=["table", "json"], default="table")


def run(args: argparse.Namespace) -> int:
    """Print the matching findings."""
    from pydantic import ValidationError

    from db.connection import open_db
    from db.findings_store import count_findings, query_findings
    from db.reference import (
        pdu_codes,
        pdu_names,
        theme_names,
        theme_slugs,
        unknown_region_message,
    )
    from findings.filters import FindingFilter
    from findings.models import Level, describe_errors
    from findings.theme_names import short_names, theme_list
    from tui.cli import resolve_db

    known_levels = [level.value for level in Level]
    for level in args.level:
        if level not in known_levels:
            raise ValueError(f"--level: unknown level '{level}' (use {', '.join(known_levels)})")
    given = {
        "text": args.query,
        "source_types": args.source,
        "pdus": args.pdu,
        "regions": args.region,
        "stages": args.stage,
        "themes": args.theme,
        "levels": args.level,
        "polarity": args.polarity,
        "rosh": args.rosh,
        "date_from": args.date_from,
        "date_to": args.date_to,
    }
    db = open_db(resolve_db(args))
    try:
        wrong = unknown_region_message(db, args.region)
        if wrong:
            print(f"leap search: --region: {wrong}", file=sys.stderr)
            return 2
        try:
            given.update(pdus=pdu_codes(db, args.pdu), themes=theme_slugs(db, args.theme))
        except ValueError as exc:
            print(f"leap search: {exc}", file=sys.stderr)
            return 2
        base: dict[str, object] = {}
        if args.view:
            from db.views_store import get_view

            base = get_view(db, args.view).filter.model_dump()
        try:
            flt = FindingFilter.model_validate(
                {**base, **{k: v for k, v in given.items() if v not in (None, "", [])}}
            )
        except ValidationError as exc:
            for message in describe_errors(exc):
                print(f"leap search: {message}", file=sys.stderr)
            return 2
        total = count_findings(db, flt)
        rows = query_findings(db, flt, limit=max(0, args.limit))
        pdus = pdu_names(db)
        themes = short_names(theme_names(db))
    finally:
        db.close()
    if args.format == "json":
        payload = {"total": total, "findings": [r.model_dump(mode="json") for r in rows]}
        print(json.dumps(payload, ensure_ascii=False, indent=1))
        return 0
    print(
        render_table(
            ["Date", "Source", "PDU", "Summary", "Themes"],
            [
                [
                    r.event_date.isoformat(),
                    r.source_type.label,
                    pdus.get(r.pdu, r.pdu),
                    r.summary,
                    theme_list(r.themes, themes),
                ]
                for r in rows
            ],
        )
    )
    print(f"{len(rows)} shown of {total} matching ({flt.describe(pdus, themes)}).")
    return 0


def render_table(headers: list[str], rows: list[list[str]], max_width: int = 60) -> str:
    """A plain-text table with columns padded to their content (capped at ``max_width``)."""
    cells = [[h for h in headers]] + [[str(c) for c in row] for row in rows]
    cells = [[c if len(c) <= max_width else c[: max_width - 1] + "…" for c in row] for row in cells]
    widths = [max(len(row[i]) for row in cells) for i in range(len(headers))]
    lines = [
        "  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip() for row in cells
    ]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)
