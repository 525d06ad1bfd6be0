"""``leap moderate``: start a moderation round for a second coder, and report its agreement."""

from __future__ import annotations

import argparse
import json
import sys
from typing import TYPE_CHECKING, Any

from tui.cli import iso_date

if TYPE_CHECKING:
    from findings.agreement import Agreement
    from findings.moderation import ModerationRound


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """``leap moderate start ...`` and ``leap moderate report ...``."""
    actions = parser.add_subparsers(dest="moderate_action", metavar="ACTION", required=True)
    start = actions.add_parser(
        "start",
        help="draw a random sample of a period's findings for a second coder",
        description="Draw a random sample of a period's findings (stratified by source type) "
        "for a second coder to code blind in the app. The period is a panel's (the latest by "
        "default) or --from/--to.",
    )
    period = start.add_mutually_exclusive_group()
    period.add_argument("--panel", metavar="PANEL", help="the panel's date (YYYY-MM-DD) or id")
    period.add_argument(
        "--from", dest="date_from", type=iso_date, metavar="YYYY-MM-DD",
        help="first day of the period (with --to)",
    )  # fmt: skip
    start.add_argument(
        "--to", dest="date_to", type=iso_date, metavar="YYYY-MM-DD",
        help="last day of the period (with --from)",
    )  # fmt: skip
    start.add_argument("--size", type=int, default=20, metavar="N", help="findings (default 20)")
    start.add_argument("--coder", required=True, metavar="NAME", help="the second coder's name")
    start.add_argument(
        "--seed", type=int, default=None, metavar="N", help="draw with this seed (default: random)"
    )
    report = actions.add_parser(
        "report",
        help="agreement of a round: per theme, overall, tagger against each coder",
        description="The agreement of a moderation round (the latest by default).",
    )
    report.add_argument("round", nargs="?", type=int, default=None, metavar="ROUND")
    report.add_argument("--format", choices=["table", "json"], default="table")


def run(args: argparse.Namespace) -> int:
    """Start a round or print a report."""
    if args.moderate_action == "start":
        return _start(args)
    return _report(args)


def _start(args: argparse.Namespace) -> int:
    from db.connection import open_db
    from db.moderation_store import start_round
    from db.panels_store import find_panel
    from findings.panel_cycle import period_text
    from tui.cli import resolve_db

    if (args.date_from is None) != (args.date_to is None):
        print("leap: give both --from and --to (or --panel)", file=sys.stderr)
        return 2
    db = open_db(resolve_db(args))
    try:
        panel_id = None
        if args.date_from is not None:
            start, end = args.date_from, args.date_to
        else:
            panel = find_panel(db, args.panel)
            start, end, panel_id = panel.period_start, panel.period_end, str(panel.id)
        started = start_round(
            db,
            period_start=start,
            period_end=end,
            coder=args.coder,
            size=args.size,
            seed=args.seed,
            panel_id=panel_id,
        )
    finally:
        db.close()
    r = started.round
    print(
        f"Started moderation round {r.id}: {len(r.items)} findings from "
        f"{period_text(r.period_start, r.period_end)} for {r.coder} to code blind "
        f"(seed {r.seed}, stratified by source type)."
    )
    for message in started.messages:
        print(message)
    print("The coder codes them in the app: Moderation (key 6), then Enter on the round.")
    return 0


def _report(args: argparse.Namespace) -> int:
    from db.base import open_for_reading
    from db.moderation_store import ModerationError, get_round, list_rounds
    from db.reference import theme_names
    from tui.cli import resolve_db

    db = open_for_reading(resolve_db(args))
    try:
        if args.round is None:
            rounds = list_rounds(db)
            if not rounds:
                raise ModerationError(
                    "There are no moderation rounds yet: start one with `leap moderate start`."
                )
            moderation_round = rounds[0]
        else:
            moderation_round = get_round(db, args.round)
        names = theme_names(db)
    finally:
        db.close()
    if args.format == "json":
        print(json.dumps(round_to_json(moderation_round), ensure_ascii=False, indent=1))
    else:
        print(render_round(moderation_round, names))
    return 0


def _agreement_json(agreement: Agreement) -> dict[str, Any]:
    return {
        "first": agreement.first,
        "second": agreement.second,
        "findings": agreement.findings,
        "kappa": agreement.kappa,
        "micro_f1": agreement.micro_f1,
        "polarity_agreed": agreement.polarity_agreed,
        "polarity_kappa": agreement.polarity_kappa,
        "themes": [
            {
                "theme": t.slug,
                "both": t.both,
                "first_only": t.first_only,
                "second_only": t.second_only,
                "neither": t.neither,
                "kappa": t.kappa,
                "too_few_to_judge": t.too_few,
            }
            for t in agreement.themes
        ],
    }


def round_to_json(moderation_round: ModerationRound) -> dict[str, Any]:
    """A round, its progress and (once complete) its agreement, as JSON-ready data."""
    from findings.moderation import round_agreement

    r = moderation_round
    data: dict[str, Any] = {
        "round": r.id,
        "period_start": r.period_start.isoformat(),
        "period_end": r.period_end.isoformat(),
        "coder": r.coder,
        "seed": r.seed,
        "size_requested": r.size_requested,
        "sample": len(r.items),
        "coded": r.coded_count,
        "status": r.status,
        "note": r.note,
        "skipped_deleted": [i.finding_id for i in r.skipped],
        "disagreements": len(r.disagreements),
        "moderated": sum(1 for i in r.disagreements if i.moderated),
    }
    if r.complete:
        agreement = round_agreement(r)
        data["coders"] = _agreement_json(agreement.coders)
        data["tagger_first"] = _agreement_json(agreement.tagger_first)
        data["tagger_second"] = _agreement_json(agreement.tagger_second)
    return data


def render_agreement(title: str, agreement: Agreement, names: dict[str, str]) -> str:
    """One comparison as text: the overall figures, then a table of themes."""
    from findings.agreement import format_kappa
    from tui.commands.search import render_table

    lines = [
        f"{title}: {agreement.findings} findings, overall kappa {format_kappa(agreement.kappa)}, "
        f"micro-F1 {format_kappa(agreement.micro_f1)}; polarity agreed on "
        f"{agreement.polarity_agreed} of {agreement.findings} "
        f"(kappa {format_kappa(agreement.polarity_kappa)})."
    ]
    if agreement.themes:
        rows = [
            [
                names.get(t.slug, t.slug),
                str(t.both),
                str(t.first_only),
                str(t.second_only),
                str(t.neither),
                t.kappa_text,
            ]
            for t in agreement.themes
        ]
        headers = ["Theme", "Both", f"{agreement.first} only", f"{agreement.second} only"]
        lines.append(render_table([*headers, "Neither", "Kappa"], rows, max_width=40))
    return "\n".join(lines)


def render_round(moderation_round: ModerationRound, names: dict[str, str]) -> str:
    """A round as plain text: what was drawn, progress, and the agreement once complete."""
    from findings.moderation import round_agreement
    from findings.panel_cycle import period_text

    r = moderation_round
    lines = [
        f"Moderation round {r.id}: {period_text(r.period_start, r.period_end)}, coded blind by "
        f"{r.coder}; {r.progress} coded, {r.status} (seed {r.seed}, {r.size_requested} asked for).",
    ]
    if r.note:
        lines.append(r.note)
    if r.skipped:
        lines.append(
            f"Skipped, deleted since the draw: {', '.join(i.finding_id[:8] for i in r.skipped)}."
        )
    if not r.complete:
        lines.append(f"Agreement is worked out once all {len(r.live)} findings are coded.")
        return "\n".join(lines)
    agreement = round_agreement(r)
    moderated = sum(1 for i in r.disagreements if i.moderated)
    lines += [
        f"Disagreements: {len(r.disagreements)} ({moderated} moderated).",
        "",
        render_agreement("First coder against second coder", agreement.coders, names),
        "",
        render_agreement("Tagger against first coder", agreement.tagger_first, names),
        "",
        render_agreement("Tagger against second coder", agreement.tagger_second, names),
    ]
    low = agreement.low_themes
    if low:
        lines.append("")
        lines.append(
            "Kappa below 0.6 (treat trends with care): "
            + ", ".join(names.get(t.slug, t.slug) for t in low)
            + "."
        )
    return "\n".join(lines)
