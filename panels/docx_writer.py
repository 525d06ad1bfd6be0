"""Rendering a Briefing to a Word document a chair can circulate (python-docx, matplotlib)."""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from findings.actions import ActionLine, Escalation
from findings.panel_cycle import long_date, period_text
from panels.briefing import QUESTION_LABELS, Briefing, baseline_row
from panels.docx_base import (
    add_page_numbers,
    add_table,
    add_toc,
    new_document,
    save_atomically,
    set_properties,
    text_width,
)
from panels.text import xml_safe

SOURCE_SHORT = {
    "sfo_review": "SFO",
    "audit": "Audit",
    "inspection": "Inspection",
    "complaint": "Complaint",
    "death_under_supervision": "Death",
    "case_assessment": "Case assessment",
}
SOURCE_WIDTH_CM = {
    "sfo_review": 1.2,
    "audit": 1.3,
    "inspection": 1.9,
    "complaint": 1.9,
    "death_under_supervision": 1.4,
    "case_assessment": 2.2,
}
SECTIONS = [
    (1, "1. Summary"),
    (1, "2. Findings in scope"),
    (1, "3. Recurring themes"),
    (1, "4. Key-question scorecard"),
    (1, "5. Good practice to share"),
    (1, "6. Learning actions"),
    (1, "7. Items for the panel's decision"),
    (1, "8. Appendix: every finding counted"),
]
ADHOC_DECISIONS = "7. Items a panel may want to decide"
"""Section 7 of an ad-hoc briefing: nothing was marked, but some things still need a panel."""


def sections(b: Briefing) -> list[tuple[int, str]]:
    """The briefing's numbered sections, as its contents list shows them."""
    if not b.adhoc:
        return SECTIONS
    return [(1, ADHOC_DECISIONS) if text == SECTIONS[6][1] else (1, text) for _, text in SECTIONS]


class Writer:
    """Adds paragraphs in named styles, falling back to Normal when a template lacks one."""

    def __init__(self, doc: Any) -> None:
        self.doc = doc
        self._style_ids: dict[str, str | None] = {}
        self.figures: dict[str, tuple[Any, Any]] = {}

    def style_id(self, name: str) -> str | None:
        """The id of a paragraph style by name, or None if the document lacks it (cached)."""
        if name not in self._style_ids:
            try:
                self._style_ids[name] = self.doc.styles[name].style_id
            except KeyError:
                self._style_ids[name] = None
        return self._style_ids[name]

    def has_style(self, name: str) -> bool:
        return self.style_id(name) is not None

    def para(self, text: str = "", style: str | None = None, *, italic: bool = False) -> Any:
        paragraph = self.doc.add_paragraph()
        style_id = self.style_id(style) if style else None
        if style_id:
            # Setting the id directly: python-docx's name lookup rescans every style each time.
            paragraph._p.style = style_id
        if text:
            run = paragraph.add_run(xml_safe(text))
            run.italic = italic or None
        return paragraph

    def heading(self, text: str, level: int) -> Any:
        return self.para(text, f"Heading {level}")

    def labelled(self, label: str, text: str, style: str | None = None) -> Any:
        paragraph = self.para(style=style)
        paragraph.add_run(xml_safe(label)).bold = True
        paragraph.add_run(xml_safe(text))
        return paragraph

    def table(
        self,
        headers: Sequence[str] | None,
        rows: Sequence[Sequence[str]],
        widths: Sequence[float],
        **options: Any,
    ) -> Any:
        from docx.shared import Pt

        table = add_table(self.doc, headers, rows, widths, **options)
        spacer = self.doc.add_paragraph()
        spacer.paragraph_format.space_after = Pt(0)
        spacer.paragraph_format.line_spacing = Pt(8)
        return table

    def figure(self, key: str, caption: str) -> None:
        """A place for a chart drawn later (charts may be drawn while the text is written)."""
        from docx.enum.text import WD_ALIGN_PARAGRAPH

        holder = self.doc.add_paragraph()
        holder.alignment = WD_ALIGN_PARAGRAPH.CENTER
        self.figures[key] = (holder, self.para(caption, "Caption"))

    def place_figures(self, pngs: dict[str, bytes | None]) -> None:
        """Put each chart in its place; drop the place (and caption) of a chart not drawn."""
        for key, (holder, caption) in self.figures.items():
            png = pngs.get(key)
            if png:
                holder.add_run().add_picture(io.BytesIO(png), width=text_width(self.doc))
            else:
                for paragraph in (holder, caption):
                    paragraph._p.getparent().remove(paragraph._p)

    def page_break(self) -> None:
        from docx.enum.text import WD_BREAK

        self.doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)


def write_briefing(
    briefing: Briefing,
    path: Path,
    *,
    template: Path | None = None,
    now: datetime | None = None,
    progress: Callable[[str, float], None] | None = None,
    charts: Callable[[Briefing], dict[str, bytes | None]] | None = None,
) -> Path:
    """Render ``briefing`` to ``path`` (.docx); the file appears only once it is complete.

    ``charts`` draws the figures (default: here, with matplotlib); the command line passes one
    that collects them from a process that drew them while this one wrote the text.
    """
    from panels.charts import draw_charts

    charts = charts or draw_charts

    def step(what: str, fraction: float) -> None:
        if progress:
            progress(what, fraction)

    step("Starting the document", 0.82)
    doc = new_document(template)
    out = Writer(doc)
    set_properties(
        doc,
        title=briefing.title,
        subject=f"{briefing.region} LEAP: "
        + period_text(briefing.period_start, briefing.period_end),
        now=now or datetime.now(),
    )
    add_page_numbers(doc, _footer_label(briefing))
    _cover(out, briefing)
    numbered = sections(briefing)
    if briefing.empty:
        _actions(out, briefing, "2. Learning actions")
        _decisions(out, briefing, numbered[6][1].replace("7.", "3.", 1))
    else:
        out.para("Contents", "TOC Heading" if out.has_style("TOC Heading") else "Heading 2")
        add_toc(doc, numbered)
        out.page_break()
        _sources(out, briefing)
        _themes(out, briefing)
        if briefing.regions is not None:
            _regions(out, briefing)
        _scorecard(out, briefing)
        _good_practice(out, briefing)
        _actions(out, briefing, numbered[5][1])
        _decisions(out, briefing, numbered[6][1])
        step("Listing every finding counted", 0.88)
        _appendix(out, briefing)
        step("Drawing the charts", 0.92)
        out.place_figures(charts(briefing))
    step("Saving", 0.97)
    saved = save_atomically(doc, path)
    step("Done", 1.0)
    return saved


def _footer_label(b: Briefing) -> str:
    if b.panel_date is None:
        return f"LEAP ad-hoc briefing {b.period_start.isoformat()} to {b.period_end.isoformat()}"
    return f"LEAP briefing {b.panel_date.isoformat()}"


def _cover(out: Writer, b: Briefing) -> None:
    national = "National " if b.regions is not None else ""
    out.para(f"{national}LEAP briefing (ad hoc)" if b.adhoc else "LEAP briefing", "Title")
    out.para(
        f"Learning, Effectiveness and Accountability Panel · {b.region or 'Region'}", "Subtitle"
    )
    compared = period_text(b.previous_start, b.previous_end)
    if b.panel_date is None:
        out.labelled(
            "Ad-hoc briefing, for no panel. ",
            "It covers a period chosen for it: nothing was marked for a panel's discussion, and "
            "the figures are compared with the same number of days just before.",
        )
        first = [("Briefing", "Ad hoc (not for a panel)")]
        if b.regions is not None:
            first.append(
                ("Scope", f"Every region in the file, side by side ({len(b.regions.regions)})")
            )
        compared += " (the same length, just before)"
        following = long_date(b.next_panel_on) if b.next_panel_planned else "none planned"
    else:
        planned = " (planned)" if b.status == "planned" else ""
        first = [
            ("Panel date", long_date(b.panel_date) + planned),
            ("Chair", b.chair or "to be confirmed"),
        ]
        following = long_date(b.next_panel_on)
    if b.region_scope and b.regions is None:
        first.append(("Scope", b.region_scope))
    details = [
        *first,
        ("Period covered", period_text(b.period_start, b.period_end)),
        ("Compared with", compared),
        ("Next panel", following),
        ("Prepared", f"{long_date(b.today)} by leap"),
    ]
    out.table(None, details, [4.0, 12.0], font_pt=10, bold_columns=[0])
    out.para(
        "This briefing names no one and carries no case reference numbers: quoted extracts are "
        "redacted, and the appendix cites findings by leap's own reference only (never a review "
        "or case reference).",
        italic=True,
    )
    out.heading(SECTIONS[0][1], 1)
    out.para(b.summary)


def _sources(out: Writer, b: Briefing) -> None:
    out.heading(SECTIONS[1][1], 1)
    out.para(
        f"{b.total} findings had an event date in the period ({b.weaknesses} weaknesses, "
        f"{b.strengths} good practice), against {b.previous_total} in the previous period "
        f"({period_text(b.previous_start, b.previous_end)}). By PDU and source:"
    )
    headers = ["PDU", *[SOURCE_SHORT.get(s, s) for s in b.sources], "Total", "Previous"]
    rows = [
        [
            r.pdu,
            *[str(r.by_source.get(s, 0) or "–") for s in b.sources],
            str(r.total),
            str(r.previous_total),
        ]
        for r in b.source_rows
    ]
    totals = [sum(r.by_source.get(s, 0) for r in b.source_rows) for s in b.sources]
    rows.append(["All PDUs", *map(str, totals), str(b.total), str(b.previous_total)])
    widths = [SOURCE_WIDTH_CM.get(s, 1.6) for s in b.sources] + [1.3, 1.7]
    out.table(
        headers,
        rows,
        [max(4.2, 17.0 - sum(widths)), *widths],
        font_pt=8,
        bold_rows=[len(rows) - 1],
    )
    if "sfo_review" in b.sources or "death_under_supervision" in b.sources:
        out.para("SFO: serious further offence review. Death: death under supervision.", "Caption")


def _themes(out: Writer, b: Briefing) -> None:
    out.heading(SECTIONS[2][1], 1)
    if not b.themes:
        out.para("No weakness findings were tagged with a theme in this period.")
        return
    out.para(
        "Weakness findings tagged with each theme, this period and the previous one. Themes in "
        "bold meet the rule for recurring; trend compares the two periods. "
        + " ".join(filter(None, [b.recurrence_rule, b.recurrence_note]))
    )
    rows = [
        [
            t.name,
            str(t.count),
            str(t.previous),
            t.trend,
            ", ".join(t.source_types),
            ", ".join(t.pdus),
        ]
        for t in b.themes
    ]
    bold = [i for i, t in enumerate(b.themes) if t.recurring]
    out.table(
        ["Theme", "Count", "Previous", "Trend", "Source types", "PDUs"],
        rows,
        [4.4, 1.5, 1.8, 1.5, 3.1, 4.7],
        font_pt=8,
        bold_rows=bold,
    )
    for flagged in b.low_agreement:
        out.para(flagged.text[:1].upper() + flagged.text[1:], italic=True)
    out.figure("themes", "Figure 1. Themes this period against the previous period.")
    _levels(out, b)
    quoted = b.quoted_themes
    if quoted:
        out.heading("What the findings say", 2)
        for theme in quoted:
            out.para(theme.name, "Heading 3")
            for extract in theme.extracts:
                paragraph = out.para(f"“{extract.text}”", "Quote")
                paragraph.add_run(f" ({xml_safe(extract.attribution)})").italic = True


LEVELS_HEADING = "Where the failures sit"


def _levels(out: Writer, b: Briefing) -> None:
    """The theme x level table and chart, with the sentence on the leading level."""
    report = b.levels
    if report is None or not report.weakness_findings:
        return
    out.heading(LEVELS_HEADING, 2)
    out.para(report.sentence())
    if report.leading_level is None:
        return
    which = (
        "each recurring theme's" if any(t.recurring for t in b.themes) else "the commonest themes'"
    )
    out.para(
        f"The table places {which} weakness findings at the level of the system where the "
        "failure sat: practice (the practitioner's own work), supervision (SPO oversight, "
        "case discussion), organisation (workload, staffing, training, systems, policy) or "
        "partnership (police, children's services, prisons, health and other agencies). A "
        "finding may sit at several levels, so a row's shares can add up to more than 100%."
    )
    rows = report.table_rows(b.level_themes)
    out.table(
        report.headers(),
        rows,
        [5.0, 1.8, 2.55, 2.55, 2.55, 2.55],
        font_pt=8,
        bold_rows=[len(rows) - 1],
    )
    out.figure(
        "levels",
        "Figure 2. Where the failures of the themes above sit: weakness findings at each level "
        "(a finding may count at several).",
    )


REGION_THEMES = 12
"""Themes shown in the national briefing's region comparison (highest national rate first)."""


def _regions(out: Writer, b: Briefing) -> None:
    """The national briefing's comparison: themes per 100 weakness findings, region by region."""
    from findings.regions import region_abbreviation

    comparison = b.regions
    assert comparison is not None
    out.heading("Regions compared", 2)
    out.para(
        "Each figure is the number of weakness findings showing the theme per 100 weakness "
        "findings of that region in the period, so large and small regions compare fairly. "
        "A dash means the region recorded no weakness findings. The themes whose rates differ "
        "most between regions are listed after the table."
    )
    codes = [code for code, _ in comparison.regions]
    headers = ["Theme", *(region_abbreviation(n) for _, n in comparison.regions), "All"]
    rows = [
        [
            "Weakness findings",
            *(str(comparison.weakness_findings[c]) for c in codes),
            str(sum(comparison.weakness_findings.values())),
        ]
    ]
    for slug in comparison.themes[:REGION_THEMES]:
        rates = [comparison.rate(slug, c) for c in codes] + [comparison.overall_rate(slug)]
        rows.append(
            [comparison.names.get(slug, slug), *("–" if r is None else f"{r:.0f}" for r in rates)]
        )
    column = min(1.1, 12.5 / (len(codes) + 1))
    out.table(headers, rows, [4.2, *([column] * (len(codes) + 1))], font_pt=7, bold_columns=[0])
    out.para(
        "Regions: "
        + "; ".join(f"{region_abbreviation(n)} {n}" for _, n in comparison.regions)
        + ".",
        italic=True,
    )
    uneven = sorted(comparison.themes, key=lambda s: -comparison.spread(s))[:3]
    for slug in uneven:
        rated = [
            (rate, name)
            for code, name in comparison.regions
            if (rate := comparison.rate(slug, code)) is not None
        ]
        if not rated:
            continue
        high, low = max(rated), min(rated)
        out.para(
            f"{comparison.names.get(slug, slug)}: {high[0]:.0f} per 100 in {high[1]}, "
            f"{low[0]:.0f} in {low[1]} (all regions {comparison.overall_rate(slug) or 0:.0f}).",
            "List Bullet",
        )
    out.figure("regions", "Figure: themes per 100 weakness findings, region by region")


def _scorecard(out: Writer, b: Briefing) -> None:
    out.heading(SECTIONS[3][1], 1)
    if not b.scorecard:
        out.para("No case assessments were recorded in this period or the one before.")
        return
    out.para(
        f"% of cases answered Yes to each key question, from {b.cases} case assessments in the "
        f"period ({b.previous_cases} in the previous one). Cases where a question did not apply "
        "are left out. Figures on fewer than 5 cases show counts, not percentages."
    )
    questions = list(QUESTION_LABELS)
    rows = []
    for row in b.scorecard:
        cells = [f"{row.label} ({row.cases})"]
        for q in questions:
            now, before = row.now.get(q), row.previous.get(q)
            text = now.text if now else "–"
            if before and before.answered:
                text += f"\nbefore: {before.text}"
            cells.append(text)
        rows.append(cells)
    baseline = baseline_row()
    rows.append(["Inspection baseline", *[f"{baseline[q]}%" for q in questions]])
    out.table(
        ["PDU (cases)", *[QUESTION_LABELS[q] for q in questions]],
        rows,
        [4.4, 3.15, 3.15, 3.15, 3.15],
        font_pt=8,
        bold_rows=[len(rows) - 2, len(rows) - 1],
    )
    out.figure(
        "scorecard", "Figure 3. Key questions answered Yes, region-wide, against the baseline."
    )


def _good_practice(out: Writer, b: Briefing) -> None:
    out.heading(SECTIONS[4][1], 1)
    if not b.good_practice:
        out.para("No good practice was recorded in this period.")
        return
    for extract in b.good_practice:
        paragraph = out.para(extract.text, "List Bullet")
        paragraph.add_run(f" ({xml_safe(extract.attribution)})").italic = True
    if b.more_good_practice:
        out.para(f"A further {b.more_good_practice} examples are listed in the appendix.")


def _action_rows(lines: list[ActionLine], kind: str) -> list[list[str]]:
    rows = []
    for a in lines:
        if kind == "overdue":
            escalation = {
                Escalation.OVERDUE_TWO_PANELS: "Overdue at two panels: for the chair",
                Escalation.OVERDUE: "Overdue",
            }.get(a.escalation, a.escalation.value.replace("_", " "))
            rows.append([a.title, a.owner, long_date(a.due_date), str(a.days_overdue), escalation])
        elif kind == "due":
            rows.append([a.title, a.owner, long_date(a.due_date), a.status.label])
        else:
            done = long_date(a.completed_on) if a.completed_on else ""
            rows.append([a.title, done, a.evidence or "", a.impact_summary or "Not yet measured"])
    return rows


def _actions(out: Writer, b: Briefing, heading: str) -> None:
    out.heading(heading, 1)
    digest = b.actions
    out.heading("Overdue", 2)
    if digest.overdue:
        out.table(
            ["Action", "Owner", "Due", "Days overdue", "Escalation"],
            _action_rows(digest.overdue, "overdue"),
            [6.0, 3.2, 2.6, 1.6, 3.6],
            font_pt=8,
        )
    else:
        out.para("No learning actions are overdue.")
    window = "before the next panel" if b.next_panel_planned else "in the next two months"
    by = "" if b.next_panel_planned else "by "
    out.heading(f"Due {window} ({by}{long_date(b.next_panel_on)})", 2)
    if digest.due:
        out.table(
            ["Action", "Owner", "Due", "Status"],
            _action_rows(digest.due, "due"),
            [7.4, 3.6, 3.0, 3.0],
            font_pt=8,
        )
    else:
        out.para(f"No learning actions fall due {window}.")
    out.heading("Completed in the period", 2)
    if digest.completed:
        out.table(
            ["Action", "Completed", "Evidence", "Measured impact"],
            _action_rows(digest.completed, "completed"),
            [4.6, 2.6, 5.0, 4.8],
            font_pt=8,
        )
    else:
        out.para("No learning actions were completed in the period.")


def _decisions(out: Writer, b: Briefing, heading: str) -> None:
    out.heading(heading, 1)
    if b.adhoc:
        out.para(
            "This briefing was prepared for no panel, so nothing was marked for discussion. "
            + (
                "These are the items leap would put to the next panel:"
                if b.decision_items
                else "Nothing in it calls for a panel's decision."
            )
        )
    elif not b.decision_items:
        out.para("Nothing has been marked for the panel's decision.")
    if not b.decision_items:
        return
    for item in b.decision_items:
        paragraph = out.labelled(f"{item.heading}. ", item.detail, "List Number")
        paragraph.paragraph_format.keep_together = True


APPENDIX_LIMIT = 1000
"""Past this many findings the appendix says how to list them rather than listing them: a
national quarter of 15,000 rows made a document of hundreds of pages that would not open."""


def _appendix(out: Writer, b: Briefing) -> None:
    out.heading(SECTIONS[7][1], 1)
    if len(b.appendix) > APPENDIX_LIMIT:
        start, end = b.period_start.isoformat(), b.period_end.isoformat()
        out.para(
            f"The {len(b.appendix):,} findings counted in this briefing are too many to list "
            f"here. In leap, `leap search --from {start} --to {end}` lists them (add "
            "`--region CODE` for one region, `--format json` for a file), and the findings "
            "screen's filters show the same."
        )
        return
    out.para(
        f"The {len(b.appendix)} findings counted in this briefing, by reference. Search for the "
        "reference in leap to open a finding. W/S: weakness or strength (good practice)."
    )
    rows = [
        [
            r.ref,
            r.event_date.isoformat(),
            r.source,
            r.pdu,
            "S" if r.polarity == "strength" else "W",
            r.themes.replace("_", " "),
        ]
        for r in b.appendix
    ]
    out.table(
        ["Ref", "Date", "Source", "PDU", "W/S", "Themes"],
        rows,
        [2.0, 2.0, 2.6, 3.6, 1.0, 5.8],
        font_pt=7,
    )
