"""A one-page '7-minute briefing' for practitioners on one theme: built as data, then written."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, cast

from findings.models import Stage, Theme
from findings.panel_cycle import add_months, long_date
from panels.briefing import Extract
from panels.bulletin_content import questions_for, why_it_matters
from panels.text import (
    Scrubber,
    keywords,
    one_line,
    quotable,
    relevance,
    source_label,
    truncate,
    without_label,
)

if TYPE_CHECKING:
    import sqlite_utils

    from db.base import Reader

EXTRACTS = 3
GOOD_PRACTICE = 2
QUOTE_LIMIT = 200


class UnknownTheme(ValueError):
    """No theme matches what the user asked for."""


@dataclass
class Bulletin:
    """What a practitioner bulletin on one theme says."""

    theme: str
    region: str
    start: date
    end: date
    findings: int = 0
    pdus: int = 0
    source_counts: dict[str, int] = field(default_factory=dict)
    extracts: list[Extract] = field(default_factory=list)
    why: str = ""
    description: str = ""
    good_practice: list[Extract] = field(default_factory=list)
    good_practice_note: str = ""
    questions: list[str] = field(default_factory=list)
    actions: list[str] = field(default_factory=list)

    @property
    def title(self) -> str:
        """The document's title."""
        return f"7-minute briefing: {self.theme}"


def find_theme(themes: Iterable[Theme], wanted: str) -> Theme:
    """The theme whose slug or name is ``wanted`` (case-insensitive)."""
    key = wanted.strip().lower()
    listed = list(themes)
    for theme in listed:
        if key in (theme.slug, theme.name.lower()):
            return theme
    close = [t.slug for t in listed if key and (key in t.slug or key in t.name.lower())]
    hint = f" Did you mean {', '.join(close[:3])}?" if close else ""
    raise UnknownTheme(f"no theme '{wanted}'.{hint} Give a theme's slug, e.g. risk_assessment.")


def build_bulletin(
    db: Reader,
    theme_ref: str,
    today: date,
    *,
    months: int = 12,
    extra_names: Iterable[str] = (),
    region: str | None = None,
) -> Bulletin:
    """Assemble a bulletin on one theme from the last ``months`` of findings (redacted): of
    the whole file, or of one region of a national file (``region``, a code)."""
    from db import panels_store as store
    from db.redact_store import redact_names
    from db.reference import list_themes, pdu_names, region_name, region_names

    theme = find_theme(list_themes(db, include_inactive=True), theme_ref)
    scrub = Scrubber([*extra_names, *redact_names(cast("sqlite_utils.Database", db))])
    start = add_months(today, -months)
    name = region_name(db) if region is None else region_names(db).get(region, region)
    bulletin = Bulletin(theme=theme.name, region=name, start=start, end=today)
    pdu_label = pdu_names(db)
    words = keywords(theme.name, theme.description, " ".join(_wording(theme.slug)))

    tallies = store.theme_tallies(db, start, today, region=region).get(theme.slug)
    if tallies:
        bulletin.findings, _, pdus = tallies
        bulletin.pdus = len(pdus)
    bulletin.source_counts = store.theme_source_counts(db, theme.slug, start, today, region=region)
    texts = store.theme_texts(db, theme.slug, start, today, limit=EXTRACTS, region=region)
    strengths = store.strength_texts(db, start, today, limit=500, region=region)
    actions = store.open_actions_for_theme(db, theme.slug, region=region)
    # Learn every name first, so a person mentioned anywhere is removed everywhere.
    scrub.learn(*(f"{t.summary}\n{t.narrative}" for t in [*texts, *strengths]))
    scrub.learn(*(title for title, _owner, _due in actions))
    for text in texts:
        bulletin.extracts.append(
            Extract(
                text=quotable(
                    scrub(text.narrative), words, QUOTE_LIMIT, fallback=scrub(text.summary)
                ),
                attribution=_attribution(
                    text.source_type, pdu_label.get(text.pdu, text.pdu), text.event_date
                ),
            )
        )
    bulletin.why = why_it_matters(theme.slug)
    bulletin.description = one_line(theme.description).replace(
        "Applies when the text says that", "We record it when a review finds that"
    )

    # Strengths carry no weakness tags: choose those whose words match the theme, else those
    # at the theme's practice stage, and say which.
    ranked = sorted(
        ((relevance(f"{s.summary} {s.narrative}", words), s) for s in strengths),
        key=lambda pair: -pair[0],
    )
    chosen = [s for score, s in ranked if score >= 2][:GOOD_PRACTICE]
    if chosen:
        bulletin.good_practice_note = "Recorded good practice that speaks to this theme:"
    elif theme.stage is not Stage.ORGANISATIONAL:
        chosen = [s for s in strengths if s.stage == theme.stage.value][:GOOD_PRACTICE]
        if chosen:
            bulletin.good_practice_note = (
                f"Recorded good practice at the same stage ({theme.stage.label.lower()}):"
            )
    if not chosen:
        bulletin.good_practice_note = (
            "No good practice on this theme has been recorded in the last "
            f"{months} months. If you see it, tell your QA lead so it can be shared."
        )
    for s in chosen:
        example = truncate(scrub(without_label(one_line(s.summary))), 120)
        if s.narrative.strip():
            example += ": " + quotable(scrub(s.narrative), words, QUOTE_LIMIT)
        bulletin.good_practice.append(
            Extract(
                text=example,
                attribution=_attribution(s.source_type, pdu_label.get(s.pdu, s.pdu), s.event_date),
            )
        )
    bulletin.questions = questions_for(theme.slug)
    bulletin.actions = [
        scrub(f"{one_line(title)} (due {long_date(due)})") for title, _owner, due in actions
    ]
    return bulletin


def _wording(slug: str) -> list[str]:
    from findings.themes import typical_wording

    return typical_wording(slug)


def _plural_label(source_type: str, count: int) -> str:
    label = source_label(source_type)
    label = label if label.startswith("SFO") else label.lower()
    if count == 1:
        return f"a{'n' if label[0] in 'aeiouAEIOS' else ''} {label}"
    return label.replace("Death under", "deaths under") if "under" in label else f"{label}s"


def _attribution(source_type: str, pdu: str, day: date) -> str:
    return f"{source_label(source_type)}, {pdu}, {day:%B %Y}"


def write_bulletin(
    bulletin: Bulletin, path: Path, *, template: Path | None = None, now: datetime | None = None
) -> Path:
    """Render the bulletin to one A4 page of .docx at ``path`` (written whole or not at all)."""
    from docx.shared import Mm

    from panels.docx_base import add_page_numbers, new_document, save_atomically, set_properties
    from panels.docx_writer import Writer

    doc = new_document(template)
    if template is None:
        for section in doc.sections:
            section.top_margin = section.bottom_margin = Mm(15)
    set_properties(
        doc,
        title=bulletin.title,
        subject="Practitioner learning bulletin",
        now=now or datetime.now(),
    )
    add_page_numbers(doc, f"{bulletin.region} · learning bulletin")
    out = Writer(doc)
    out.para(bulletin.title, "Title")
    out.para(
        f"For practitioners and managers · {bulletin.region or 'Region'} · "
        f"findings from {long_date(bulletin.start)} to {long_date(bulletin.end)}",
        "Subtitle",
    )
    out.para(
        "Take seven minutes to read this with your team or in supervision. It draws on what "
        "reviews, audits and inspections in the region keep finding.",
        italic=True,
    )
    out.heading("What we keep finding", 2)
    if bulletin.findings:
        sources = ", ".join(
            f"{count} from {_plural_label(s, count)}"
            for s, count in sorted(bulletin.source_counts.items(), key=lambda kv: -kv[1])
        )
        out.para(
            f"{bulletin.findings} findings in {bulletin.pdus} PDUs named this weakness ({sources})."
        )
    else:
        out.para("No findings named this weakness in the period.")
    for extract in bulletin.extracts:
        paragraph = out.para(f"“{extract.text}”", "Quote")
        paragraph.add_run(f" ({extract.attribution})").italic = True
    out.heading("Why it matters", 2)
    out.para(f"{bulletin.why} {bulletin.description}".strip())
    out.heading("What good looks like", 2)
    out.para(bulletin.good_practice_note)
    for extract in bulletin.good_practice:
        paragraph = out.para(extract.text, "List Bullet")
        paragraph.add_run(f" ({extract.attribution})").italic = True
    out.heading("Questions to ask yourself", 2)
    for question in bulletin.questions:
        out.para(question, "List Bullet")
    out.heading("What we are doing about it", 2)
    if bulletin.actions:
        for action in bulletin.actions:
            out.para(action, "List Bullet")
    else:
        out.para("No learning action on this theme is open at the moment.")
    return save_atomically(doc, path)
