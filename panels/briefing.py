"""A panel's briefing as plain data: every figure, extract and item, redacted, ready to render."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date

import sqlite_utils

from findings.actions import ActionLine, ActionsDigest, Escalation
from findings.models import INSPECTION_BASELINE, KEY_QUESTIONS, SOURCE_LABELS, SourceType
from panels.cycle import next_panel_date, previous_period
from panels.models import FindingText, Panel, PanelItemKind, QuestionTally
from panels.text import keywords, one_line, quotable, redact_text, share, truncate

Progress = Callable[[str, float], None]
"""Told what the builder is doing and how far along it is (0 to 1)."""

TOP_THEMES_QUOTED = 4
EXTRACTS_PER_THEME = 3
EXTRACT_LIMIT = 240
GOOD_PRACTICE_SHOWN = 8
SMALL_NUMBERS = 5
QUESTION_LABELS = {
    "assessment": "Assessment",
    "planning": "Planning",
    "implementation_delivery": "Implementation and delivery",
    "reviewing": "Reviewing",
}


@dataclass(frozen=True)
class Extract:
    """A short quotation from a finding and where it came from (no person named)."""

    text: str
    attribution: str


@dataclass(frozen=True)
class ThemeRow:
    """One line of the recurring-themes table."""

    slug: str
    name: str
    count: int
    previous: int
    trend: str
    source_types: tuple[str, ...]
    pdus: tuple[str, ...]
    recurring: bool
    extracts: tuple[Extract, ...] = ()


@dataclass(frozen=True)
class Score:
    """% Yes to one key question: Yes answers out of cases where it applied."""

    yes: int
    answered: int

    @property
    def percent(self) -> float | None:
        """The percentage, or None when too few cases for a percentage to mean anything."""
        if self.answered < SMALL_NUMBERS:
            return None
        return 100 * self.yes / self.answered

    @property
    def text(self) -> str:
        """'42% (17 of 40)', or '3 of 4' on small numbers, or a dash with no cases."""
        return share(self.yes, self.answered) if self.answered else "–"


@dataclass(frozen=True)
class ScoreRow:
    """The four key questions for one PDU (or the region), now and in the previous period."""

    label: str
    now: dict[str, Score]
    previous: dict[str, Score]
    cases: int


@dataclass(frozen=True)
class SourceRow:
    """Findings in the period from one PDU, by source type, with the previous period's total."""

    pdu: str
    by_source: dict[str, int]
    total: int
    previous_total: int


@dataclass(frozen=True)
class DecisionItem:
    """Something the panel is asked to decide on."""

    heading: str
    detail: str


@dataclass(frozen=True)
class AppendixRow:
    """A finding counted in this briefing, by reference only."""

    ref: str
    event_date: date
    source: str
    source_ref: str
    pdu: str
    polarity: str
    themes: str


@dataclass
class Briefing:
    """Everything a panel briefing says, in the order it says it."""

    region: str
    panel_date: date
    chair: str
    status: str
    period_start: date
    period_end: date
    previous_start: date
    previous_end: date
    next_panel_on: date
    today: date
    summary: str = ""
    sources: list[str] = field(default_factory=list)
    source_rows: list[SourceRow] = field(default_factory=list)
    total: int = 0
    previous_total: int = 0
    weaknesses: int = 0
    strengths: int = 0
    themes: list[ThemeRow] = field(default_factory=list)
    scorecard: list[ScoreRow] = field(default_factory=list)
    cases: int = 0
    previous_cases: int = 0
    good_practice: list[Extract] = field(default_factory=list)
    more_good_practice: int = 0
    actions: ActionsDigest = field(default_factory=ActionsDigest)
    decision_items: list[DecisionItem] = field(default_factory=list)
    appendix: list[AppendixRow] = field(default_factory=list)

    @property
    def title(self) -> str:
        """The document's title."""
        return f"LEAP briefing: panel of {long_date(self.panel_date)}"

    @property
    def empty(self) -> bool:
        """True when nothing was recorded in the period."""
        return self.total == 0 and self.cases == 0

    @property
    def quoted_themes(self) -> list[ThemeRow]:
        """The top themes, each with its quoted extracts."""
        return [t for t in self.themes if t.extracts]


def long_date(day: date) -> str:
    """'5 March 2026'."""
    return f"{day.day} {day:%B %Y}"


def period_text(start: date, end: date) -> str:
    """'15 January to 14 March 2026'."""
    if start.year == end.year:
        return f"{start.day} {start:%B} to {long_date(end)}"
    return f"{long_date(start)} to {long_date(end)}"


def _attribution(text: FindingText, pdu_names: dict[str, str]) -> str:
    source = SOURCE_LABELS.get(SourceType(text.source_type), text.source_type)
    return f"{source}, {pdu_names.get(text.pdu, text.pdu)}, {text.event_date:%B %Y}"


def _quote(
    text: FindingText, words: frozenset[str], names: Iterable[str], pdu_names: dict[str, str]
) -> Extract:
    extra = [*names, *([text.crn] if text.crn else [])]
    body = text.narrative if text.narrative.strip() else text.summary
    quoted = redact_text(quotable(body, words, EXTRACT_LIMIT), extra_names=extra)
    return Extract(text=quoted, attribution=_attribution(text, pdu_names))


def _scores(tallies: list[QuestionTally]) -> dict[str, dict[str, Score]]:
    by_pdu: dict[str, dict[str, list[int]]] = {}
    for tally in tallies:
        for key in (tally.pdu, ""):
            cell = by_pdu.setdefault(key, {}).setdefault(tally.question, [0, 0])
            cell[0] += tally.yes
            cell[1] += tally.answered
    return {
        pdu: {q: Score(yes, answered) for q, (yes, answered) in questions.items()}
        for pdu, questions in by_pdu.items()
    }


def _cases(tallies: list[QuestionTally]) -> int:
    seen: Counter[str] = Counter()
    for tally in tallies:
        if tally.question == "assessment":
            seen[tally.pdu] += tally.yes + tally.no + tally.not_applicable
    return sum(seen.values())


def baseline_row() -> dict[str, int]:
    """The inspection baseline, % Yes per key question."""
    return {q: INSPECTION_BASELINE[q] for q in KEY_QUESTIONS}


def build_briefing(
    db: sqlite_utils.Database,
    panel: Panel,
    today: date,
    *,
    extra_names: Iterable[str] = (),
    progress: Progress | None = None,
) -> Briefing:
    """Assemble the briefing for ``panel`` from the store; free text comes out redacted."""
    from db import panels_store as store
    from db.reference import pdu_names as load_pdu_names
    from db.reference import region_name, theme_names
    from panels.sources import actions_digest_for, recurrence_for

    def step(what: str, fraction: float) -> None:
        if progress:
            progress(what, fraction)

    names = [n for n in extra_names if n.strip()]
    start, end = panel.period_start, panel.period_end
    prev_start, prev_end = previous_period(start, end)
    following = store.next_panel(db, panel.held_on)
    pdu_names = load_pdu_names(db)
    briefing = Briefing(
        region=region_name(db),
        panel_date=panel.held_on,
        chair=redact_text(one_line(panel.chair), extra_names=names),
        status=panel.status.value,
        period_start=start,
        period_end=end,
        previous_start=prev_start,
        previous_end=prev_end,
        next_panel_on=following.held_on if following else next_panel_date(panel.held_on),
        today=today,
    )

    step("Counting findings in the period", 0.1)
    refs = store.finding_refs(db, start, end)
    previous_by_pdu = Counter(r.pdu for r in store.finding_refs(db, prev_start, prev_end))
    briefing.total = len(refs)
    briefing.previous_total = sum(previous_by_pdu.values())
    briefing.weaknesses = sum(1 for r in refs if r.polarity == "weakness")
    briefing.strengths = briefing.total - briefing.weaknesses
    present = {r.source_type for r in refs}
    briefing.sources = [s.value for s in SourceType if s.value in present]
    by_pdu: dict[str, Counter[str]] = {}
    for ref in refs:
        by_pdu.setdefault(ref.pdu, Counter())[ref.source_type] += 1
    pdus = [p for p in pdu_names if p in by_pdu or p in previous_by_pdu]
    pdus += sorted((set(by_pdu) | set(previous_by_pdu)) - set(pdus))
    briefing.source_rows = [
        SourceRow(
            pdu=pdu_names.get(p, p),
            by_source=dict(by_pdu.get(p, Counter())),
            total=sum(by_pdu.get(p, Counter()).values()),
            previous_total=previous_by_pdu.get(p, 0),
        )
        for p in pdus
    ]
    themes_named = theme_names(db)
    briefing.appendix = [
        AppendixRow(
            ref=r.short_ref,
            event_date=r.event_date,
            source=SOURCE_LABELS.get(SourceType(r.source_type), r.source_type),
            source_ref=redact_text(one_line(r.source_ref), extra_names=names),
            pdu=pdu_names.get(r.pdu, r.pdu),
            polarity=r.polarity,
            themes=", ".join(r.themes),
        )
        for r in refs
    ]

    step("Finding recurring themes", 0.3)
    report = recurrence_for(db, start, end)
    was_recurring = {t.slug for t in recurrence_for(db, prev_start, prev_end).themes if t.recurring}
    ordered = sorted(
        (t for t in report.themes if t.count or t.previous_count),
        key=lambda t: (not t.recurring, -t.count, -t.previous_count, t.name),
    )
    rows = []
    for index, theme in enumerate(ordered):
        extracts: tuple[Extract, ...] = ()
        if index < TOP_THEMES_QUOTED and theme.count:
            words = keywords(theme.name, _theme_wording(theme.slug))
            texts = store.theme_texts(db, theme.slug, start, end, limit=EXTRACTS_PER_THEME)
            extracts = tuple(_quote(t, words, names, pdu_names) for t in texts)
        rows.append(
            ThemeRow(
                slug=theme.slug,
                name=theme.name or themes_named.get(theme.slug, theme.slug),
                count=theme.count,
                previous=theme.previous_count,
                trend=str(theme.trend),
                source_types=tuple(SOURCE_LABELS.get(SourceType(s), s) for s in theme.source_types),
                pdus=tuple(pdu_names.get(p, p) for p in theme.pdus),
                recurring=theme.recurring,
                extracts=extracts,
            )
        )
    briefing.themes = rows

    step("Scoring the key questions", 0.5)
    now_tallies = store.question_tallies(db, start, end)
    before_tallies = store.question_tallies(db, prev_start, prev_end)
    briefing.cases, briefing.previous_cases = _cases(now_tallies), _cases(before_tallies)
    now_scores, before_scores = _scores(now_tallies), _scores(before_tallies)
    case_counts = Counter(
        {t.pdu: t.yes + t.no + t.not_applicable for t in now_tallies if t.question == "assessment"}
    )
    score_pdus = [p for p in pdu_names if p in now_scores or p in before_scores]
    briefing.scorecard = [
        ScoreRow(
            label=pdu_names.get(p, p),
            now=now_scores.get(p, {}),
            previous=before_scores.get(p, {}),
            cases=case_counts.get(p, 0),
        )
        for p in score_pdus
    ]
    if briefing.cases or briefing.previous_cases:
        briefing.scorecard.append(
            ScoreRow(
                label=f"{briefing.region or 'Region'} (all PDUs)",
                now=now_scores.get("", {}),
                previous=before_scores.get("", {}),
                cases=briefing.cases,
            )
        )

    step("Gathering good practice", 0.6)
    strengths = store.strength_texts(db, start, end, limit=GOOD_PRACTICE_SHOWN + 1)
    briefing.good_practice = [
        Extract(
            text=redact_text(
                truncate(_without_prefix(one_line(s.summary)), 200),
                extra_names=[*names, *filter(None, [s.crn])],
            )
            + _detail(s, names),
            attribution=_attribution(s, pdu_names),
        )
        for s in strengths[:GOOD_PRACTICE_SHOWN]
    ]
    briefing.more_good_practice = max(0, briefing.strengths - len(briefing.good_practice))

    step("Reading learning actions", 0.7)
    briefing.actions = _redacted_actions(
        actions_digest_for(
            db,
            period_start=start,
            period_end=end,
            next_panel_on=briefing.next_panel_on,
            today=today,
        ),
        names,
    )

    step("Listing items for decision", 0.8)
    briefing.decision_items = _decision_items(db, panel, briefing, report, was_recurring, names)
    briefing.summary = summarise(briefing)
    return briefing


def _without_prefix(summary: str) -> str:
    """A strength's summary without a 'Good practice:' label (the section already says so)."""
    while True:
        head, sep, rest = summary.partition(":")
        label = head.strip().lower() in ("good practice", "strength", "good")
        reference = " " not in head.strip() and any(c.isdigit() for c in head)
        if not (sep and rest.strip() and (label or reference)):
            return summary
        summary = rest.strip()[:1].upper() + rest.strip()[1:]


def _theme_wording(slug: str) -> str:
    from findings.themes import typical_wording

    return " ".join(typical_wording(slug))


def _detail(strength: FindingText, names: list[str]) -> str:
    if not strength.narrative.strip():
        return ""
    # The sentence that best matches the summary says what was good, not the case's background.
    sentence = quotable(strength.narrative, keywords(strength.summary), EXTRACT_LIMIT)
    extra = [*names, *filter(None, [strength.crn])]
    return f": “{redact_text(sentence, extra_names=extra)}”"


def _redacted_actions(digest: ActionsDigest, names: list[str]) -> ActionsDigest:
    from dataclasses import replace

    def clean(value: str | None) -> str | None:
        return redact_text(one_line(value), extra_names=names) if value else value

    def lines(items: list[ActionLine]) -> list[ActionLine]:
        return [
            replace(
                a,
                title=clean(a.title) or "",
                owner=clean(a.owner) or "",
                evidence=clean(a.evidence),
                impact_summary=clean(a.impact_summary),
            )
            for a in items
        ]

    return ActionsDigest(
        overdue=lines(digest.overdue), due=lines(digest.due), completed=lines(digest.completed)
    )


def _decision_items(
    db: sqlite_utils.Database,
    panel: Panel,
    briefing: Briefing,
    report: object,
    was_recurring: set[str],
    names: list[str],
) -> list[DecisionItem]:
    from db import panels_store as store

    rows_by_slug = {t.slug: t for t in briefing.themes}
    items: list[DecisionItem] = []
    marked = store.list_items(db, panel.id)
    for item in (i for i in marked if i.kind is PanelItemKind.THEME):
        row = rows_by_slug.get(item.ref)
        detail = (
            f"{row.count} findings this period ({row.previous} before), trend {row.trend}."
            if row
            else "No findings of this theme in the period."
        )
        if item.note:
            detail += " " + redact_text(one_line(item.note), extra_names=names)
        label = row.name if row else item.ref
        items.append(DecisionItem(f"Theme marked for discussion: {label}", detail))
    finding_ids = [i.ref for i in marked if i.kind is PanelItemKind.FINDING]
    for text in store.texts_by_ids(db, finding_ids):
        summary = redact_text(
            truncate(one_line(text.summary), 200), extra_names=[*names, *filter(None, [text.crn])]
        )
        items.append(
            DecisionItem(
                f"Finding marked for discussion: {str(text.id)[:8]}",
                f"{summary} ({_attribution(text, {})}).",
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
                    f"{theme.count} findings from {len(theme.source_types)} source types in "
                    f"{len(theme.pdus)} PDUs. Does it need a learning action?",
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
