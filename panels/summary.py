"""The briefing's plain-English summary and the items it puts to the panel for decision."""

from __future__ import annotations

from typing import TYPE_CHECKING

from findings.actions import Escalation
from panels.cycle import long_date, period_text
from panels.models import FindingText, PanelItem, PanelItemKind
from panels.text import Scrubber, one_line, source_label, truncate

if TYPE_CHECKING:
    from panels.briefing import Briefing, DecisionItem


def attribution(text: FindingText, pdu_names: dict[str, str]) -> str:
    """'SFO review, Oxfordshire, March 2026': where a quotation came from, naming no one."""
    source = source_label(text.source_type)
    return f"{source}, {pdu_names.get(text.pdu, text.pdu)}, {text.event_date:%B %Y}"


def decision_items(
    briefing: Briefing,
    marked: list[PanelItem],
    marked_texts: list[FindingText],
    was_recurring: set[str],
    scrub: Scrubber,
    pdu_names: dict[str, str],
) -> list[DecisionItem]:
    """Marked themes and findings, actions overdue at two panels, newly recurring themes."""
    from panels.briefing import DecisionItem

    rows_by_slug = {t.slug: t for t in briefing.themes}
    items: list[DecisionItem] = []
    for item in (i for i in marked if i.kind is PanelItemKind.THEME):
        row = rows_by_slug.get(item.ref)
        detail = (
            f"{row.count} findings this period ({row.previous} before), trend {row.trend}."
            if row
            else "No findings of this theme in the period."
        )
        if item.note:
            detail += " " + scrub(one_line(item.note))
        label = row.name if row else item.ref
        items.append(DecisionItem(f"Theme marked for discussion: {label}", detail))
    for text in marked_texts:
        summary = scrub(truncate(one_line(text.summary), 200))
        items.append(
            DecisionItem(
                f"Finding marked for discussion: {str(text.id)[:8]}",
                f"{summary} ({attribution(text, pdu_names)}).",
            )
        )
    for action in briefing.actions.overdue:
        if action.escalation is Escalation.OVERDUE_TWO_PANELS:
            items.append(
                DecisionItem(
                    f"Overdue at two panels: {action.title}",
                    f"Owner {action.owner}; due {long_date(action.due_date)}, "
                    f"{action.days_overdue} days overdue. The panel should agree a new date, "
                    "a new owner or escalation.",
                )
            )
    for theme in briefing.themes:
        if theme.recurring and theme.slug not in was_recurring:
            items.append(
                DecisionItem(
                    f"Newly recurring theme: {theme.name}",
                    f"{_plural(theme.count, 'finding')} from "
                    f"{_plural(len(theme.source_types), 'source type')} in "
                    f"{_plural(len(theme.pdus), 'PDU')}. Does it need a learning action?",
                )
            )
    return items


def _plural(count: int, singular: str, plural: str | None = None) -> str:
    return f"{count} {singular if count == 1 else (plural or singular + 's')}"


def summarise(briefing: Briefing) -> str:
    """One plain-English paragraph: what rose, what recurs, what is overdue."""
    period = period_text(briefing.period_start, briefing.period_end)
    if briefing.empty:
        return (
            f"No findings or case assessments were recorded in the period {period}, so this "
            "briefing has no figures to compare. " + _actions_sentence(briefing)
        ).strip()
    change = briefing.total - briefing.previous_total
    movement = (
        "the same number as"
        if change == 0
        else f"{'up' if change > 0 else 'down'} from {briefing.previous_total} in"
    )
    if briefing.today < briefing.period_end:
        period += f" (so far: figures run to {long_date(briefing.today)})"
    parts = [
        f"In the period {period}, {_plural(briefing.total, 'finding')} "
        f"{'was' if briefing.total == 1 else 'were'} recorded "
        f"({briefing.weaknesses} about weaknesses, {briefing.strengths} about good practice), "
        f"{movement} the previous period."
    ]
    rising = sorted(
        (t for t in briefing.themes if t.count > t.previous), key=lambda t: t.previous - t.count
    )[:3]
    if rising:
        parts.append(
            "Themes that rose most: "
            + "; ".join(f"{t.name.lower()} ({t.count}, from {t.previous})" for t in rising)
            + "."
        )
    recurring = [t for t in briefing.themes if t.recurring]
    if recurring:
        parts.append(
            f"{_plural(len(recurring), 'theme')} {'meets' if len(recurring) == 1 else 'meet'} "
            "the rule for recurring: "
            + ", ".join(t.name.lower() for t in recurring[:5])
            + (f" and {len(recurring) - 5} more" if len(recurring) > 5 else "")
            + "."
        )
    else:
        parts.append("No theme meets the rule for recurring this period.")
    parts.append(briefing.consistency)
    parts.append(_actions_sentence(briefing))
    return " ".join(p for p in parts if p)


def _actions_sentence(briefing: Briefing) -> str:
    overdue = briefing.actions.overdue
    if not overdue:
        return "No learning actions are overdue."
    twice = sum(1 for a in overdue if a.escalation is Escalation.OVERDUE_TWO_PANELS)
    verb = "is" if len(overdue) == 1 else "are"
    text = f"{_plural(len(overdue), 'learning action')} {verb} overdue"
    if twice:
        text += f", {twice} of them at two panels in a row"
    return text + "."
