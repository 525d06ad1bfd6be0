"""The panel briefing: its figures as data, and the .docx reopened and read back."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
import sqlite_utils
from docx import Document

from db.findings_store import save_finding
from db.panels_store import add_decision, create_panel, set_item_marked
from db.redact_store import set_redact_names
from findings.actions import ActionLine, ActionsDigest, ActionStatus, Escalation
from findings.panels import PanelItem, PanelItemKind
from panels.briefing import build_briefing
from panels.docx_base import DocumentWriteError
from panels.docx_writer import write_briefing
from tests.factories import TODAY
from tests.panel_factories import (
    LISTED_NAMES,
    PANEL,
    PLANTED,
    document_text,
    field_codes,
    seed_panel_period,
    strength,
    weakness,
)

EXPECTED_HEADINGS = [
    "1. Summary",
    "2. Findings in scope",
    "3. Recurring themes",
    "4. Key-question scorecard",
    "5. Good practice to share",
    "6. Learning actions",
    "7. Items for the panel's decision",
    "8. Appendix: every finding counted",
]


def headings(path: Path) -> list[str]:
    doc = Document(str(path))
    return [p.text for p in doc.paragraphs if p.style.name.startswith("Heading")]


def digest() -> ActionsDigest:
    """Learning actions as the actions store would report them (built by hand)."""

    def line(title: str, **overrides: object) -> ActionLine:
        data: dict[str, object] = {
            "id": title,
            "title": title,
            "owner": "Head of Learning",
            "scope": "region",
            "themes": ("professional_curiosity",),
            "status": ActionStatus.OPEN,
            "due_date": date(2026, 8, 1),
            "escalation": Escalation.NONE,
        }
        data.update(overrides)
        return ActionLine(**data)  # type: ignore[arg-type]

    return ActionsDigest(
        overdue=[
            line(
                "Curiosity refresher for Mr Aldana's team",
                escalation=Escalation.OVERDUE_TWO_PANELS,
                days_overdue=117,
            )
        ],
        due=[line("Audit DA call-out checks", due_date=date(2026, 12, 1))],
        completed=[
            line(
                "Police checks reminder",
                status=ActionStatus.DONE,
                completed_on=date(2026, 9, 20),
                evidence="Briefing delivered to 120 staff",
                impact_summary="Information-sharing findings fell from 9 to 4",
            )
        ],
    )


@pytest.fixture
def panel_db(fresh_db: sqlite_utils.Database, monkeypatch: pytest.MonkeyPatch):
    panel = seed_panel_period(fresh_db)
    monkeypatch.setattr("panels.sources.actions_digest_for", lambda db, **kw: digest())
    return fresh_db, panel


def test_briefing_document_has_every_section_table_and_figure(panel_db, tmp_path: Path) -> None:
    db, panel = panel_db
    briefing = build_briefing(db, panel, TODAY)
    path = write_briefing(briefing, tmp_path / "briefing.docx")
    doc = Document(str(path))
    found = headings(path)
    for heading in EXPECTED_HEADINGS:
        assert heading in found
    assert "What the findings say" in found
    assert len(doc.inline_shapes) == 2  # the themes chart and the scorecard chart
    # cover, sources, themes, scorecard, three action tables, appendix
    assert len(doc.tables) == 8
    appendix = doc.tables[-1]
    assert len(appendix.rows) == 1 + briefing.total
    assert appendix.rows[0].cells[0].text == "Ref"
    codes = field_codes(path)
    assert "TOC" in codes and "PAGE" in codes and "NUMPAGES" in codes
    section = doc.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    assert doc.core_properties.author == "leap"
    assert "LEAP briefing" in doc.core_properties.title
    assert doc.core_properties.created is not None
    styles = {t.style.name for t in doc.tables}
    assert styles <= {"Light Grid Accent 1", "Table Grid"}


def test_briefing_figures_compare_with_previous_period(panel_db) -> None:
    db, panel = panel_db
    briefing = build_briefing(db, panel, TODAY)
    assert briefing.total == 13 and briefing.weaknesses == 12 and briefing.strengths == 1
    assert briefing.previous_total == 2
    curiosity = next(t for t in briefing.themes if t.slug == "professional_curiosity")
    assert (curiosity.count, curiosity.previous) == (12, 2)
    assert curiosity.recurring and 1 <= len(curiosity.extracts) <= 3
    assert "rose" in briefing.summary and "overdue" in briefing.summary
    region = briefing.scorecard[-1]
    assert region.now["assessment"].text.endswith("(4 of 9)")
    assert region.previous["assessment"].percent == 0


def test_briefing_carries_no_names_or_crns(panel_db, tmp_path: Path) -> None:
    db, panel = panel_db
    marked = PanelItem(kind=PanelItemKind.THEME, ref="professional_curiosity", note="Mr Aldana")
    set_item_marked(db, panel.id, marked, True)
    finding = weakness(date(2026, 10, 20), 7, source_ref="SFO X654321")
    save_finding(db, finding, today=TODAY)
    set_item_marked(db, panel.id, PanelItem(kind=PanelItemKind.FINDING, ref=str(finding.id)), True)
    # A bare surname (learnt from "Mr Aldana" elsewhere) and a name listed in the settings.
    save_finding(
        db,
        strength(date(2026, 10, 6), summary="Aldana was seen at home within a week"),
        today=TODAY,
    )
    set_redact_names(db, ["Zebedee Quarrington"])
    save_finding(
        db,
        weakness(date(2026, 10, 7), 8, narrative="Zebedee Quarrington accepted it at face value."),
        today=TODAY,
    )
    briefing = build_briefing(db, panel, TODAY, extra_names=LISTED_NAMES)
    path = write_briefing(briefing, tmp_path / "briefing.docx")
    text = document_text(path)
    assert "accepted his account at face value" in text  # extracts are there, redacted
    for planted in [*PLANTED, "Zebedee", "Quarrington"]:
        assert planted not in text, planted
    assert "[Person" in text  # placeholders, not silent deletion


def test_decision_items_list_marked_items_overdue_and_newly_recurring(panel_db) -> None:
    db, panel = panel_db
    set_item_marked(db, panel.id, PanelItem(kind=PanelItemKind.THEME, ref="planning"), True)
    headings_ = [i.heading for i in build_briefing(db, panel, TODAY).decision_items]
    assert any(
        h.startswith("Theme marked for discussion: Weak risk management plan") for h in headings_
    )
    assert any(h.startswith("Overdue at two panels") for h in headings_)
    assert any(
        h.startswith("Newly recurring theme: Lack of professional curiosity") for h in headings_
    )


def test_panel_period_includes_first_and_last_day_only(fresh_db: sqlite_utils.Database) -> None:
    create_panel(fresh_db, date(2026, 9, 1))
    panel = create_panel(fresh_db, PANEL)
    assert (panel.period_start, panel.period_end) == (date(2026, 9, 1), date(2026, 10, 31))
    days = [date(2026, 8, 31), date(2026, 9, 1), date(2026, 10, 31), date(2026, 11, 1)]
    for i, day in enumerate(days):
        save_finding(fresh_db, weakness(day, i, source_ref=f"REF-{day}"), today=TODAY)
    briefing = build_briefing(fresh_db, panel, TODAY)
    assert [r.event_date for r in briefing.appendix] == [date(2026, 9, 1), date(2026, 10, 31)]
    assert briefing.previous_total == 1


def test_the_appendix_never_shows_a_review_or_case_reference(
    fresh_db: sqlite_utils.Database, tmp_path: Path
) -> None:
    """An SFO review's reference names the case: the appendix cites leap's own reference."""
    panel = create_panel(fresh_db, PANEL)
    saved = save_finding(
        fresh_db, weakness(date(2026, 10, 1), 0, source_ref="SFO-2026-013"), today=TODAY
    )
    path = write_briefing(build_briefing(fresh_db, panel, TODAY), tmp_path / "b.docx")
    text = document_text(path)
    assert "SFO-2026-013" not in text
    assert str(saved.id)[:8] in text


def test_empty_period_gives_a_short_briefing_that_says_so(
    fresh_db: sqlite_utils.Database, tmp_path: Path
) -> None:
    panel = create_panel(fresh_db, PANEL)
    briefing = build_briefing(fresh_db, panel, TODAY)
    assert briefing.empty
    path = write_briefing(briefing, tmp_path / "empty.docx")
    doc = Document(str(path))
    assert "No findings or case assessments were recorded" in document_text(path)
    assert "8. Appendix: every finding counted" not in headings(path)
    assert len(doc.inline_shapes) == 0
    assert len(doc.paragraphs) < 30


def test_template_styles_headers_kept_and_body_replaced(panel_db, tmp_path: Path) -> None:
    from docx.shared import Pt

    template = Document()
    template.styles["Heading 1"].font.name = "Georgia"
    template.styles["Heading 1"].font.size = Pt(20)
    template.sections[0].header.paragraphs[0].text = "Example Region Probation Service"
    template.add_paragraph("Template body text that must not survive")
    template_path = tmp_path / "org.docx"
    template.save(str(template_path))

    db, panel = panel_db
    path = write_briefing(
        build_briefing(db, panel, TODAY), tmp_path / "styled.docx", template=template_path
    )
    doc = Document(str(path))
    assert doc.styles["Heading 1"].font.name == "Georgia"
    assert doc.sections[0].header.paragraphs[0].text == "Example Region Probation Service"
    text = document_text(path)
    assert "Template body text" not in text
    assert "1. Summary" in headings(path)


def test_unreadable_template_is_reported(panel_db, tmp_path: Path) -> None:
    db, panel = panel_db
    bogus = tmp_path / "bogus.docx"
    bogus.write_text("not a word file")
    with pytest.raises(DocumentWriteError, match="template"):
        write_briefing(build_briefing(db, panel, TODAY), tmp_path / "x.docx", template=bogus)


def test_unwritable_path_leaves_nothing_behind(panel_db, tmp_path: Path) -> None:
    db, panel = panel_db
    briefing = build_briefing(db, panel, TODAY)
    missing = tmp_path / "no such folder" / "briefing.docx"
    with pytest.raises(DocumentWriteError, match="does not exist"):
        write_briefing(briefing, missing)
    assert not missing.parent.exists()
    with pytest.raises(DocumentWriteError, match="folder"):
        write_briefing(briefing, tmp_path)


def test_failed_save_keeps_the_old_file_and_no_temporary(
    panel_db, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db, panel = panel_db
    target = tmp_path / "briefing.docx"
    target.write_bytes(b"the previous briefing")

    def broken_save(self: object, path: str) -> None:
        Path(path).write_bytes(b"half a document")
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("docx.document.Document.save", broken_save)
    with pytest.raises(DocumentWriteError, match="No space left"):
        write_briefing(build_briefing(db, panel, TODAY), target)
    assert target.read_bytes() == b"the previous briefing"
    assert sorted(p.name for p in tmp_path.iterdir() if ".docx" in p.name) == ["briefing.docx"]


def test_control_characters_and_very_long_text_still_make_a_document(
    fresh_db: sqlite_utils.Database, tmp_path: Path
) -> None:
    create_panel(fresh_db, date(2026, 9, 1))
    panel = create_panel(fresh_db, PANEL)
    long_sentence = "The plan was generic " + "and lacked analysis " * 3000 + "."
    finding = weakness(
        date(2026, 9, 10), 0, narrative="Bell\x07 escape\x1b null\x00 " + long_sentence
    )
    # Bypass model cleaning to store raw control characters, as an old import might have.
    save_finding(fresh_db, finding, today=TODAY)
    fresh_db.execute(
        "UPDATE findings SET narrative = ?, summary = ?",
        ["Bell\x07 escape\x1b null\x00 \ufffe " + long_sentence, "Summary \x0b with \x0c controls"],
    )
    briefing = build_briefing(fresh_db, panel, TODAY)
    extracts = [e.text for t in briefing.themes for e in t.extracts]
    assert extracts and all(len(text) <= 260 for text in extracts)
    path = write_briefing(briefing, tmp_path / "odd.docx")
    # the narrative never names the theme, so its summary is quoted, its controls removed
    assert "Summary" in document_text(path) and "\x0b" not in document_text(path)


def test_hundreds_of_findings_fill_the_appendix(
    fresh_db: sqlite_utils.Database, tmp_path: Path
) -> None:
    from db.bulk import bulk_insert_findings

    create_panel(fresh_db, date(2026, 9, 1))
    panel = create_panel(fresh_db, PANEL)
    bulk_insert_findings(
        fresh_db, (weakness(date(2026, 9, 1 + i % 60 // 2), i) for i in range(400))
    )
    path = write_briefing(build_briefing(fresh_db, panel, TODAY), tmp_path / "big.docx")
    assert len(Document(str(path)).tables[-1].rows) == 401


def test_small_numbers_show_counts_not_percentages(fresh_db: sqlite_utils.Database) -> None:
    from db.bulk import bulk_insert_case_assessments
    from tests.panel_factories import all_no, all_yes, assessments

    panel = create_panel(fresh_db, PANEL)
    bulk_insert_case_assessments(
        fresh_db, assessments(date(2026, 10, 1), [all_yes(), all_no(), all_yes()])
    )
    briefing = build_briefing(fresh_db, panel, TODAY)
    cell = briefing.scorecard[0].now["assessment"]
    assert cell.text == "2 of 3" and cell.percent is None


def test_decision_recorded_with_action_links_both(fresh_db: sqlite_utils.Database) -> None:
    from findings.actions import LearningAction

    panel = create_panel(fresh_db, PANEL)
    action = LearningAction(
        title="Curiosity workshop",
        owner="Head of Learning",
        themes=["professional_curiosity"],
        created_on=TODAY,
        due_date=date(2027, 2, 1),
    )
    decision, created = add_decision(fresh_db, panel.id, "Run a workshop", action=action)
    assert created is not None
    row = fresh_db.execute("SELECT panel_id, decision_id FROM actions").fetchone()
    assert row == (str(panel.id), str(decision.id))


def test_learning_actions_come_from_the_actions_store(
    fresh_db: sqlite_utils.Database, tmp_path: Path
) -> None:
    from db.actions_store import create_action
    from findings.actions import LearningAction

    panel = seed_panel_period(fresh_db)
    create_action(
        fresh_db,
        LearningAction(
            title="Professional curiosity refresher",
            owner="Head of Learning and Development",
            themes=["professional_curiosity"],
            created_on=date(2026, 5, 1),
            due_date=date(2026, 8, 1),
        ),
    )
    briefing = build_briefing(fresh_db, panel, TODAY)
    assert [a.title for a in briefing.actions.overdue] == ["Professional curiosity refresher"]
    assert briefing.actions.overdue[0].days_overdue == (TODAY - date(2026, 8, 1)).days
    text = document_text(write_briefing(briefing, tmp_path / "actions.docx"))
    assert "Professional curiosity refresher" in text and "1 learning action is overdue" in text
