"""A panel's briefing as plain data: every figure, extract and item, redacted, ready to render."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import TYPE_CHECKING, cast

from findings.actions import ActionLine, ActionsDigest
from findings.levels import ThemeLevelReport, ThemeLevels
from findings.models import INSPECTION_BASELINE, KEY_QUESTIONS, SourceType
from findings.panel_cycle import long_date, next_panel_date, period_text
from findings.panels import FindingText, Panel, PanelItemKind, QuestionTally
from findings.recurrence import previous_period
from panels.summary import attribution, decision_items, summarise
from panels.text import (
    Scrubber,
    keywords,
    one_line,
    quotable,
    share,
    source_label,
    truncate,
    without_label,
)

if TYPE_CHECKING:
    import sqlite_utils

    from db.base import Reader
    from findings.recurrence import RegionComparison
    from panels.consistency import LowAgreement

Progress = Callable[[str, float], None]
"""Told what the builder is doing and how far along it is (0 to 1)."""

TOP_THEMES_QUOTED = 4
LEVEL_THEMES_SHOWN = 8
"""Themes in the 'where the failures sit' table and chart when none recurs (else the recurring)."""
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
    """A finding counted in this briefing, by leap's own reference only: never the source's
    reference, which for an SFO review, complaint or death names the case."""

    ref: str
    event_date: date
    source: str
    pdu: str
    polarity: str
    themes: str


@dataclass
class Briefing:
    """Everything a panel briefing says, in the order it says it.

    An ad-hoc briefing (of any period, for no panel) has no ``panel_date``; its
    ``next_panel_on`` is the next planned panel's date or, with ``next_panel_planned`` False,
    two months from today (the window for actions falling due).
    """

    region: str
    panel_date: date | None
    chair: str
    status: str
    period_start: date
    period_end: date
    previous_start: date
    previous_end: date
    next_panel_on: date
    today: date
    next_panel_planned: bool = True
    summary: str = ""
    sources: list[str] = field(default_factory=list)
    source_rows: list[SourceRow] = field(default_factory=list)
    total: int = 0
    previous_total: int = 0
    weaknesses: int = 0
    strengths: int = 0
    themes: list[ThemeRow] = field(default_factory=list)
    recurrence_rule: str = ""
    recurrence_note: str = ""
    levels: ThemeLevelReport | None = None
    """Where the period's weaknesses sit: by theme and contributory level."""
    level_themes: list[ThemeLevels] = field(default_factory=list)
    """The themes the levels table and chart show: the recurring ones (or the commonest)."""
    scorecard: list[ScoreRow] = field(default_factory=list)
    cases: int = 0
    previous_cases: int = 0
    good_practice: list[Extract] = field(default_factory=list)
    more_good_practice: int = 0
    actions: ActionsDigest = field(default_factory=ActionsDigest)
    decision_items: list[DecisionItem] = field(default_factory=list)
    appendix: list[AppendixRow] = field(default_factory=list)
    consistency: str = ""
    """One sentence on the latest completed moderation round ('' when there is none)."""
    low_agreement: list[LowAgreement] = field(default_factory=list)
    """Themes coders agree on too little (kappa below 0.6 over the latest rounds)."""
    regions: RegionComparison | None = None
    """For a national briefing: every region's themes per 100 weakness findings."""
    region_scope: str = ""
    """In a file of more than one region, which of them the figures cover ('' in a file of one)."""

    @property
    def adhoc(self) -> bool:
        """True for a briefing of any period prepared for no panel."""
        return self.panel_date is None

    @property
    def title(self) -> str:
        """The document's title."""
        if self.regions is not None:
            return f"National LEAP briefing: {period_text(self.period_start, self.period_end)}"
        if self.panel_date is None:
            return f"LEAP briefing (ad hoc): {period_text(self.period_start, self.period_end)}"
        return f"LEAP briefing: panel of {long_date(self.panel_date)}"

    @property
    def empty(self) -> bool:
        """True when nothing was recorded in the period."""
        return self.total == 0 and self.cases == 0

    @property
    def quoted_themes(self) -> list[ThemeRow]:
        """The top themes, each with its quoted extracts."""
        return [t for t in self.themes if t.extracts]


def _quote(
    text: FindingText, words: frozenset[str], scrub: Scrubber, pdu_names: dict[str, str]
) -> Extract:
    quoted = quotable(scrub(text.narrative), words, EXTRACT_LIMIT, fallback=scrub(text.summary))
    return Extract(text=quoted, attribution=attribution(text, pdu_names))


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
    db: Reader,
    panel: Panel,
    today: date,
    *,
    extra_names: Iterable[str] = (),
    progress: Progress | None = None,
) -> Briefing:
    """Assemble the briefing for ``panel`` from the store; free text comes out redacted.

    In a file of more than one region, every figure, extract and action is the panel's region's.
    """
    from db.panels_store import panel_scope_region

    return _assemble(
        db,
        (panel.period_start, panel.period_end),
        today,
        panel=panel,
        region=panel_scope_region(db, panel.id),
        extra_names=extra_names,
        progress=progress,
    )


def build_adhoc_briefing(
    db: Reader,
    period: tuple[date, date],
    today: date,
    *,
    region: str | None = None,
    extra_names: Iterable[str] = (),
    progress: Progress | None = None,
) -> Briefing:
    """A briefing of any period for no panel: nothing is marked for discussion, the period is
    compared with the same number of days before it, and actions due are those due before the
    next planned panel (or within two months when none is planned).

    ``region`` (a code) narrows it to one region of a national file; without it the briefing
    covers every region in the file. An unknown code raises ValueError naming the file's regions.
    """
    if period[1] < period[0]:
        raise ValueError(
            f"the period ends ({period[1].isoformat()}) before it starts ({period[0].isoformat()})"
        )
    if region is not None:
        from db.reference import unknown_region_message

        problem = unknown_region_message(db, [region])
        if problem:
            raise ValueError(problem)
    return _assemble(
        db,
        period,
        today,
        panel=None,
        region=region,
        extra_names=extra_names,
        progress=progress,
    )


def _assemble(
    db: Reader,
    period: tuple[date, date],
    today: date,
    *,
    panel: Panel | None,
    region: str | None,
    extra_names: Iterable[str],
    progress: Progress | None,
) -> Briefing:
    """The briefing of a period (a panel's, or ad hoc); with ``region`` (a code), of that
    region's findings, assessments, actions and panels only."""
    from db import panels_store as store
    from db.base import region_label
    from db.reference import pdu_names as load_pdu_names
    from db.reference import region_names, theme_names
    from panels.sources import actions_digest_for, recurrence_for

    def step(what: str, fraction: float) -> None:
        if progress:
            progress(what, fraction)

    from db.redact_store import redact_names

    scrub = Scrubber([*extra_names, *redact_names(cast("sqlite_utils.Database", db))])
    start, end = period
    prev_start, prev_end = previous_period(start, end)
    # The panel after this one; for an ad-hoc briefing, the first one from today on.
    following = store.next_panel(
        db, panel.held_on if panel else today - timedelta(days=1), region=region
    )
    pdu_names = load_pdu_names(db)
    regions = region_names(db)
    briefing = Briefing(
        region=region_label(db) if region is None else regions.get(region, region),
        panel_date=panel.held_on if panel else None,
        chair="",
        status=panel.status.value if panel else "",
        period_start=start,
        period_end=end,
        previous_start=prev_start,
        previous_end=prev_end,
        next_panel_on=following.held_on
        if following
        else next_panel_date(panel.held_on if panel else today),
        next_panel_planned=following is not None or panel is not None,
        today=today,
        region_scope=_region_scope(regions, region),
    )

    step("Counting findings in the period", 0.1)
    refs = store.finding_refs(db, start, end, region=region)
    previous_by_pdu = Counter(
        r.pdu for r in store.finding_refs(db, prev_start, prev_end, region=region)
    )
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
            source=source_label(r.source_type),
            pdu=pdu_names.get(r.pdu, r.pdu),
            polarity=r.polarity,
            themes=", ".join(r.themes),
        )
        for r in refs
    ]

    step("Finding recurring themes", 0.3)
    report = recurrence_for(db, start, end, region=region)
    was_recurring = {
        t.slug
        for t in recurrence_for(db, prev_start, prev_end, region=region).themes
        if t.recurring
    }
    ordered = sorted(
        (t for t in report.themes if t.count or t.previous_count),
        key=lambda t: (not t.recurring, -t.count, -t.previous_count, t.name),
    )
    quoted = {
        t.slug: store.theme_texts(db, t.slug, start, end, limit=EXTRACTS_PER_THEME, region=region)
        for t in [t for t in ordered if t.count][:TOP_THEMES_QUOTED]
    }
    strengths = store.strength_texts(db, start, end, limit=GOOD_PRACTICE_SHOWN + 1, region=region)
    digest = actions_digest_for(
        db,
        period_start=start,
        period_end=end,
        next_panel_on=briefing.next_panel_on,
        today=today,
        region=region,
    )
    if region is None:
        digest = _actions_with_regions(db, digest)
    marked = store.list_items(db, panel.id) if panel else []
    marked_texts = store.texts_by_ids(
        db, [i.ref for i in marked if i.kind is PanelItemKind.FINDING]
    )
    # Learn every name first, so each person has one placeholder wherever they appear.
    everything = [*(t for texts in quoted.values() for t in texts), *strengths, *marked_texts]
    chair = panel.chair if panel else ""
    scrub.learn(chair, *(f"{t.summary}\n{t.narrative}" for t in everything))
    scrub.learn(*(i.note for i in marked))
    for line in [*digest.overdue, *digest.due, *digest.completed]:
        scrub.learn(line.title, line.owner, line.evidence, line.impact_summary)
    briefing.chair = scrub(one_line(chair))
    rows = []
    for theme in ordered:
        extracts: tuple[Extract, ...] = ()
        if theme.slug in quoted:
            words = keywords(theme.name, _theme_wording(theme.slug))
            extracts = tuple(_quote(t, words, scrub, pdu_names) for t in quoted[theme.slug])
        rows.append(
            ThemeRow(
                slug=theme.slug,
                name=theme.name or themes_named.get(theme.slug, theme.slug),
                count=theme.count,
                previous=theme.previous_count,
                trend=str(theme.trend),
                source_types=tuple(source_label(s) for s in theme.source_types),
                pdus=tuple(pdu_names.get(p, p) for p in theme.pdus),
                recurring=theme.recurring,
                extracts=extracts,
            )
        )
    briefing.themes = rows
    briefing.recurrence_rule = report.rules.describe()
    briefing.recurrence_note = report.panel_rule_note
    from panels.consistency import consistency_for

    briefing.consistency, briefing.low_agreement = consistency_for(db, themes_named)

    step("Placing the failures at levels", 0.4)
    _place_levels(db, briefing, region)

    step("Scoring the key questions", 0.5)
    now_tallies = store.question_tallies(db, start, end, region=region)
    before_tallies = store.question_tallies(db, prev_start, prev_end, region=region)
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
    briefing.good_practice = [
        Extract(
            text=truncate(scrub(without_label(one_line(s.summary))), 200) + _detail(s, scrub),
            attribution=attribution(s, pdu_names),
        )
        for s in strengths[:GOOD_PRACTICE_SHOWN]
    ]
    briefing.more_good_practice = max(0, briefing.strengths - len(briefing.good_practice))

    step("Reading learning actions", 0.7)
    briefing.actions = _redacted_actions(digest, scrub)

    step("Listing items for decision", 0.8)
    briefing.decision_items = decision_items(
        briefing, marked, marked_texts, was_recurring, scrub, pdu_names
    )
    briefing.summary = summarise(briefing)
    return briefing


def _region_scope(regions: dict[str, str], region: str | None) -> str:
    """Which regions of a national file a briefing covers ('' in a file of one region)."""
    if len(regions) < 2:
        return ""
    if region is None:
        return f"Every region in the file ({len(regions)})"
    return f"{regions.get(region, region)} only (one of {len(regions)} regions in the file)"


def _place_levels(db: Reader, briefing: Briefing, region: str | None) -> None:
    """The theme x level report of the period (one region's), and the themes its table and
    chart show."""
    from db.levels_store import theme_level_report

    report = theme_level_report(db, briefing.period_start, briefing.period_end, region=region)
    recurring = {t.slug for t in briefing.themes if t.recurring}
    shown = [t for t in report.themes if t.slug in recurring]
    briefing.levels = report
    briefing.level_themes = shown or report.themes[:LEVEL_THEMES_SHOWN]


def _theme_wording(slug: str) -> str:
    from findings.themes import typical_wording

    return " ".join(typical_wording(slug))


def _detail(strength: FindingText, scrub: Scrubber) -> str:
    if not strength.narrative.strip():
        return ""
    # The sentence that best matches the summary says what was good, not the case's background.
    sentence = quotable(scrub(strength.narrative), keywords(strength.summary), EXTRACT_LIMIT)
    return f": “{sentence}”"


def _actions_with_regions(db: Reader, digest: ActionsDigest) -> ActionsDigest:
    """In a briefing of every region of a national file, each action's title says whose it
    is ("... (London)"): twelve regions' actions of the same name read as one repeated."""
    from dataclasses import replace

    from db.actions_store import regions_of_actions
    from db.reference import region_names

    lines = [*digest.overdue, *digest.due, *digest.completed]
    regions = regions_of_actions(db, [line.id for line in lines])  # all None in a file of one
    names = region_names(db)

    def labelled(items: list[ActionLine]) -> list[ActionLine]:
        return [
            replace(a, title=f"{a.title} ({names[code]})")
            if (code := regions.get(a.id)) in names
            else a
            for a in items
        ]

    return ActionsDigest(
        overdue=labelled(digest.overdue),
        due=labelled(digest.due),
        completed=labelled(digest.completed),
    )


def _redacted_actions(digest: ActionsDigest, scrub: Scrubber) -> ActionsDigest:
    from dataclasses import replace

    def clean(value: str | None) -> str | None:
        return scrub(one_line(value)) if value else value

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


def build_national_briefing(
    db: Reader,
    period_start: date,
    period_end: date,
    today: date,
    *,
    extra_names: Iterable[str] = (),
) -> Briefing:
    """An ad-hoc briefing over every region in the file for any period, the regions compared."""
    from db.recurrence_store import region_comparison

    briefing = build_adhoc_briefing(db, (period_start, period_end), today, extra_names=extra_names)
    briefing.regions = region_comparison(db, period_start, period_end)
    briefing.region = f"National view ({len(briefing.regions.regions)} regions)"
    return briefing
