"""Text of the panel screen's Overview and Decisions tabs, from a briefing and a panel."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from rich.markup import escape

from findings.actions import Escalation

if TYPE_CHECKING:
    from findings.panels import Panel
    from panels.briefing import Briefing


def overview_text(b: Briefing) -> str:
    """What is in scope for the panel: findings, themes, scores, good practice, actions."""
    from findings.panel_cycle import period_text
    from panels.briefing import QUESTION_LABELS, baseline_row
    from panels.text import source_label

    lines = [
        f"[b]Period[/b] {period_text(b.period_start, b.period_end)} · "
        f"compared with {period_text(b.previous_start, b.previous_end)}",
        f"[b]Findings[/b] {b.total} ({b.weaknesses} weaknesses, {b.strengths} good practice); "
        f"previous period {b.previous_total}",
        "",
        escape(b.summary),
        "",
        "[b]By source[/b] "
        + (
            " · ".join(
                f"{source_label(s)} {sum(r.by_source.get(s, 0) for r in b.source_rows)}"
                for s in b.sources
            )
            or "none"
        ),
        "[b]By PDU[/b]",
    ]
    for row in b.source_rows:
        lines.append(f"  {escape(row.pdu)}: {row.total} (before {row.previous_total})")
    recurring = [t for t in b.themes if t.recurring]
    lines += ["", f"[b]Recurring themes[/b] ({len(recurring)})"]
    lines += [
        f"  {escape(t.name)}: {t.count} (before {t.previous}, {t.trend})" for t in recurring
    ] or ["  none this period"]
    region = b.scorecard[-1] if b.scorecard else None
    lines += ["", f"[b]Key questions[/b] ({b.cases} cases; baseline in brackets)"]
    if region:
        baseline = baseline_row()
        for q, label in QUESTION_LABELS.items():
            score = region.now.get(q)
            lines.append(f"  {label}: {score.text if score else '–'} ({baseline[q]}%)")
    else:
        lines.append("  no case assessments in the period")
    lines += ["", f"[b]Good practice[/b] ({b.strengths})"]
    lines += [f"  • {escape(g.text)}" for g in b.good_practice[:5]] or ["  none recorded"]
    digest = b.actions
    lines += [
        "",
        f"[b]Learning actions[/b] {len(digest.overdue)} overdue · {len(digest.due)} due before "
        f"the next panel · {len(digest.completed)} completed",
    ]
    for action in digest.overdue:
        flag = (
            " [b]overdue at two panels[/b]"
            if (action.escalation is Escalation.OVERDUE_TWO_PANELS)
            else ""
        )
        lines.append(
            f"  ! {escape(action.title)} ({escape(action.owner)}), "
            f"{action.days_overdue} days overdue{flag}"
        )
    for action in digest.due:
        lines.append(f"  · {escape(action.title)} ({escape(action.owner)}), due {action.due_date}")
    for action in digest.completed:
        impact = f": {escape(action.impact_summary)}" if action.impact_summary else ""
        lines.append(f"  ✓ {escape(action.title)}, done {action.completed_on}{impact}")
    lines += ["", f"[b]For decision[/b] ({len(b.decision_items)})"]
    lines += [f"  • {escape(item.heading)}" for item in b.decision_items] or ["  nothing yet"]
    return "\n".join(lines)


def decisions_text(panel: Panel) -> str:
    """The panel's chair, attendees, decisions and minutes."""
    lines = [
        f"[b]Chair[/b] {escape(panel.chair or 'to be confirmed')} · [b]Status[/b] "
        f"{panel.status.value}",
        f"[b]Attendees[/b] {escape(', '.join(panel.attendees) or 'not recorded')}",
        "",
        f"[b]Decisions[/b] ({len(panel.decisions)}) · press d to record one",
    ]
    lines += [f"  {i}. {escape(d.text)}" for i, d in enumerate(panel.decisions, 1)] or [
        "  none recorded"
    ]
    lines += ["", "[b]Minutes[/b]", escape(panel.minutes or "not recorded (press h)")]
    return "\n".join(lines)


def short_period(start: date, end: date) -> str:
    """'1 Sep–31 Oct 2026' (the year once when both ends share it)."""
    if start.year == end.year:
        return f"{start.day} {start:%b}–{end.day} {end:%b %Y}"
    return f"{start.day} {start:%b %Y}–{end.day} {end:%b %Y}"
