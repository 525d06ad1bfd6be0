"""Contributory levels: model, suggestion rules, migration, theme x level counts, import."""

from __future__ import annotations

import csv
import uuid
from datetime import date
from pathlib import Path

import pytest
import sqlite_utils
from pydantic import ValidationError

from db.bulk import bulk_insert_findings
from db.connection import open_db
from db.exporter import export
from db.findings_store import (
    count_findings,
    delete_finding,
    get_finding,
    restore_finding,
    save_finding,
)
from db.importer import import_file
from db.levels_store import LevelError, level_names, rename_level, theme_level_report
from db.schema import MIGRATIONS
from findings.filters import FindingFilter
from findings.levels import (
    LevelParseError,
    parse_levels,
    suggest_levels,
)
from findings.models import Finding, Level, LevelTag, TagOrigin, ThemeTag
from tests.factories import TODAY, make_finding
from tests.recurrence_data import PERIOD
from tests.test_import import write_csv

P, S, ORG, N = Level.PRACTICE, Level.SUPERVISION, Level.ORGANISATION, Level.PARTNERSHIP


def levelled(day: date, themes: tuple[str, ...], levels: tuple[Level, ...], **kw: object) -> object:
    return make_finding(
        id=uuid.uuid4(),
        event_date=day,
        recorded_date=day,
        themes=[ThemeTag(slug=s) for s in themes],
        levels=[LevelTag(level=lv, origin=TagOrigin.CONFIRMED) for lv in levels],
        **kw,
    )


# -- model ---------------------------------------------------------------------------------


def test_levels_are_kept_in_documented_order_and_refused_twice() -> None:
    finding = make_finding(levels=[LevelTag(level=N), LevelTag(level=P)])
    assert finding.level_values == [P, N]
    with pytest.raises(ValidationError, match="level 'practice' is attached twice"):
        make_finding(levels=[LevelTag(level=P), LevelTag(level=P, origin="suggested")])
    with pytest.raises(ValidationError, match="levels"):
        make_finding(levels=[{"level": "management"}])


def test_a_strength_may_carry_levels(fresh_db: sqlite_utils.Database) -> None:
    strength = make_finding(polarity="strength", themes=[], levels=[LevelTag(level=S)])
    stored = save_finding(fresh_db, strength, today=TODAY)
    again = get_finding(fresh_db, stored.id)
    assert again is not None and again.levels == [LevelTag(level=S)]


# -- suggestion rules ------------------------------------------------------------------------


def test_themes_lean_to_their_levels_with_the_reason() -> None:
    found = suggest_levels(
        ["workload", "training", "information_sharing", "management_oversight"],
        theme_names={"workload": "Workload and staffing pressure"},
    )
    assert [s.level for s in found] == [S, ORG, N]
    org = found[1]
    assert org.reason == "theme Workload and staffing pressure; theme training"
    assert suggest_levels(["risk_assessment"])[0].level is P


def test_text_cues_add_levels_and_name_the_words() -> None:
    found = suggest_levels(
        ["risk_assessment"],
        "The SPO did not countersign the plan; police were not asked about call-outs. "
        "The officer had a caseload of 70.",
    )
    by_level = {s.level: s.reason for s in found}
    assert set(by_level) == {P, S, ORG, N}
    assert by_level[S] == 'words "countersign", "spo"'
    assert by_level[ORG] == 'words "caseload"'
    assert by_level[N] == 'words "police"'


def test_no_themes_and_no_cues_suggest_nothing_and_words_are_whole() -> None:
    assert suggest_levels([], "He kept a healthy routine and attended.") == []
    assert suggest_levels(["user_theme"], "") == []


def test_parse_levels_takes_values_or_names_and_names_a_bad_one() -> None:
    assert parse_levels(" Partnership; practice;") == [P, N]
    assert parse_levels("Frontline", {P: "Frontline"}) == [P]
    with pytest.raises(LevelParseError, match="unknown level 'management'"):
        parse_levels("practice; management")


# -- store -----------------------------------------------------------------------------------


def test_levels_round_trip_and_filter(fresh_db: sqlite_utils.Database) -> None:
    saved = save_finding(fresh_db, levelled(date(2026, 9, 2), ("workload",), (ORG, S)), today=TODAY)
    save_finding(fresh_db, levelled(date(2026, 9, 3), ("mappa",), (N,)), today=TODAY)
    loaded = get_finding(fresh_db, saved.id)
    assert loaded is not None
    assert [(t.level, t.origin) for t in loaded.levels] == [
        (S, TagOrigin.CONFIRMED),
        (ORG, TagOrigin.CONFIRMED),
    ]
    assert count_findings(fresh_db, FindingFilter(levels=[ORG])) == 1
    assert count_findings(fresh_db, FindingFilter(levels=[ORG, N])) == 2
    assert count_findings(fresh_db, FindingFilter(levels=[P])) == 0
    assert FindingFilter(levels=[ORG]).describe() == "level Organisation"


def test_level_names_are_editable_and_unique(fresh_db: sqlite_utils.Database) -> None:
    assert level_names(fresh_db)[P] == "Practice"
    rename_level(fresh_db, P, "Frontline practice")
    assert level_names(fresh_db)[P] == "Frontline practice"
    with pytest.raises(LevelError, match="already called 'Supervision'"):
        rename_level(fresh_db, ORG, "supervision")
    with pytest.raises(LevelError, match="1 to 200 characters"):
        rename_level(fresh_db, ORG, "  ")


# -- migration of existing files -----------------------------------------------------------


def test_existing_files_get_suggested_levels_never_confirmed(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    db = sqlite_utils.Database(path)
    MIGRATIONS.apply(db, stop_before="m010_levels")
    assert "finding_levels" not in db.table_names()
    old = [
        ("sfo_review", "weakness", ("workload", "management_oversight", "training")),
        ("audit", "weakness", ("information_sharing",)),
        ("audit", "weakness", ()),
        ("inspection", "strength", ()),
    ]
    for number, (source, polarity, themes) in enumerate(old, start=1):
        db.execute(
            "INSERT INTO findings (seq, id, source_type, source_ref, pdu, event_date, "
            "recorded_date, stage, polarity, summary, created_at, updated_at) VALUES "
            "(?, ?, ?, 'REF', 'oxfordshire', '2026-09-10', '2026-09-10', 'assessment', ?, "
            "'old finding', '2026-09-10T00:00:00', '2026-09-10T00:00:00')",
            [number, str(uuid.UUID(int=number)), source, polarity],
        )
        for slug in themes:
            db.execute("INSERT INTO finding_themes VALUES (?, ?, 'confirmed')", [number, slug])
    db.conn.commit()
    db.close()

    db = open_db(path)
    first = get_finding(db, uuid.UUID(int=1))
    second = get_finding(db, uuid.UUID(int=2))
    no_themes = get_finding(db, uuid.UUID(int=3))
    strength = get_finding(db, uuid.UUID(int=4))
    assert first and second and no_themes and strength
    assert [(t.level, t.origin) for t in first.levels] == [
        (S, TagOrigin.SUGGESTED),
        (ORG, TagOrigin.SUGGESTED),
    ]
    assert [(t.level, t.origin) for t in second.levels] == [(N, TagOrigin.SUGGESTED)]
    assert no_themes.levels == [] and strength.levels == []
    report = theme_level_report(db, *PERIOD)
    assert report.weakness_findings == 3
    assert report.unconfirmed == 2 and report.unplaced == 1
    assert "nobody has confirmed yet" in report.sentence()
    db.close()


# -- the theme x level report against hand counts ------------------------------------------


def seed_levels(db: sqlite_utils.Database) -> None:
    """Findings of PERIOD (1 Sep to 31 Oct 2026) and the period before, with levels."""
    rows = [
        # In the period: six weakness findings.
        (date(2026, 9, 1), ("risk_assessment", "management_oversight"), (P, S), {}),
        (date(2026, 9, 20), ("risk_assessment",), (P,), {}),
        (date(2026, 10, 2), ("risk_assessment", "workload"), (ORG,), {"pdu": "bucks_mk"}),
        (date(2026, 10, 9), ("information_sharing",), (N, P), {}),
        (date(2026, 10, 31), ("workload",), (ORG,), {}),
        (date(2026, 10, 30), ("recording",), (), {}),
        # Not counted: a strength, and a finding outside the period.
        (date(2026, 9, 5), (), (P,), {"polarity": "strength"}),
        (date(2026, 11, 1), ("workload",), (ORG,), {}),
        # The previous period (2 Jul to 31 Aug): four weakness findings.
        (date(2026, 8, 31), ("risk_assessment",), (P,), {}),
        (date(2026, 8, 1), ("risk_assessment",), (P,), {}),
        (date(2026, 7, 2), ("workload",), (ORG,), {}),
        (date(2026, 7, 20), ("workload",), (ORG,), {}),
    ]
    for day, themes, levels, extra in rows:
        save_finding(db, levelled(day, themes, levels, **extra), today=date(2026, 12, 1))


def test_theme_by_level_counts_match_hand_counts(fresh_db: sqlite_utils.Database) -> None:
    seed_levels(fresh_db)
    report = theme_level_report(fresh_db, *PERIOD)
    assert report.weakness_findings == 6
    assert report.previous_weakness_findings == 4
    by_theme = {t.slug: t for t in report.themes}
    ra = by_theme["risk_assessment"]
    assert ra.findings == 3
    assert dict(ra.at_level) == {P: 2, S: 1, ORG: 1, N: 0}
    assert ra.share(P) == pytest.approx(2 / 3)
    assert dict(by_theme["workload"].at_level) == {P: 0, S: 0, ORG: 2, N: 0}
    assert dict(by_theme["information_sharing"].at_level) == {P: 1, S: 0, ORG: 0, N: 1}
    assert dict(by_theme["recording"].at_level) == {P: 0, S: 0, ORG: 0, N: 0}
    assert [t.slug for t in report.themes][:2] == ["risk_assessment", "workload"]
    assert dict(report.level_findings) == {P: 3, S: 1, ORG: 2, N: 1}
    assert report.unplaced == 1 and report.unconfirmed == 0
    assert dict(report.previous_level_findings) == {P: 2, S: 0, ORG: 2, N: 0}
    assert report.leading_level is P
    assert report.sentence() == (
        "Practice carries most of the period's weaknesses: 3 of 6 weakness findings (50%) sit "
        "at that level, the same share as the previous period (2 of 4)."
    )
    one_pdu = theme_level_report(fresh_db, *PERIOD, pdu="bucks_mk")
    assert one_pdu.weakness_findings == 1
    assert dict(one_pdu.level_findings) == {P: 0, S: 0, ORG: 1, N: 0}


def test_counts_follow_edits_deletes_and_bulk_loads(fresh_db: sqlite_utils.Database) -> None:
    seed_levels(fresh_db)
    finding = levelled(date(2026, 9, 9), ("mappa",), (N,))
    stored = save_finding(fresh_db, finding, today=TODAY)
    assert theme_level_report(fresh_db, *PERIOD).level_findings[N] == 2
    moved = stored.model_copy(update={"levels": [LevelTag(level=S)], "themes": []})
    save_finding(fresh_db, moved, today=TODAY)
    report = theme_level_report(fresh_db, *PERIOD)
    assert (report.level_findings[N], report.level_findings[S]) == (1, 2)
    assert "mappa" not in {t.slug for t in report.themes}
    delete_finding(fresh_db, stored.id)
    assert theme_level_report(fresh_db, *PERIOD).level_findings[S] == 1
    restore_finding(fresh_db, stored.id)
    assert theme_level_report(fresh_db, *PERIOD).level_findings[S] == 2
    bulk_insert_findings(
        fresh_db,
        [levelled(date(2026, 10, 1), ("workload",), (ORG, N), polarity="weakness")] * 1
        + [levelled(date(2026, 10, 1), ("workload",), (), polarity="weakness")],
    )
    report = theme_level_report(fresh_db, *PERIOD)
    assert report.weakness_findings == 9
    assert report.level_findings[ORG] == 3 and report.unplaced == 2
    assert {t.slug: t.findings for t in report.themes}["workload"] == 4


def test_the_leading_level_sentence_says_how_it_moved(fresh_db: sqlite_utils.Database) -> None:
    for day in (date(2026, 9, 10), date(2026, 9, 11), date(2026, 9, 12)):
        save_finding(fresh_db, levelled(day, ("workload",), (ORG,)), today=TODAY)
    save_finding(fresh_db, levelled(date(2026, 9, 13), ("mappa",), (N,)), today=TODAY)
    save_finding(fresh_db, levelled(date(2026, 8, 10), ("workload",), (ORG,)), today=TODAY)
    save_finding(fresh_db, levelled(date(2026, 8, 11), ("mappa",), (N,)), today=TODAY)
    report = theme_level_report(fresh_db, *PERIOD)
    assert report.sentence() == (
        "Organisation carries most of the period's weaknesses: 3 of 4 weakness findings (75%) "
        "sit at that level, up from 50% in the previous period (1 of 2)."
    )
    empty = theme_level_report(fresh_db, date(2025, 1, 1), date(2025, 2, 28))
    assert empty.sentence() == "No weakness finding of the period has a level yet."


# -- import and export -----------------------------------------------------------------------

IMPORT_HEADERS = ["Summary", "PDU", "Date", "Source", "Reference", "Stage", "Themes", "Levels"]


def test_import_reads_levels_and_names_an_unknown_one(
    fresh_db: sqlite_utils.Database, tmp_path: Path
) -> None:
    rows = [
        ["Plan not countersigned", "Oxfordshire", "2026-03-01", "SFO", "SFO-1", "Planning",
         "management_oversight", "Supervision; practice:suggested"],
        ["Caseloads too high", "Oxfordshire", "2026-03-02", "Audit", "AUD-1", "Organisational",
         "workload", "organisation, management"],
    ]  # fmt: skip
    path = write_csv(tmp_path / "in.csv", rows, IMPORT_HEADERS)
    report = import_file(fresh_db, path, today=TODAY)
    assert not report.committed
    assert [(p.row, p.column, p.reason) for p in report.problems] == [
        (3, "Levels", "unknown level 'management' (use practice, supervision, organisation, "
         "partnership)")
    ]  # fmt: skip
    rows[1][7] = "organisation"
    report = import_file(
        fresh_db, write_csv(tmp_path / "in.csv", rows, IMPORT_HEADERS), today=TODAY
    )
    assert report.committed and report.imported == 2
    assert count_findings(fresh_db, FindingFilter(levels=[S])) == 1
    first_id = fresh_db.execute("SELECT id FROM findings WHERE source_ref = 'SFO-1'").fetchone()[0]
    first = get_finding(fresh_db, first_id)
    assert first is not None
    assert [(t.level, t.origin) for t in first.levels] == [
        (P, TagOrigin.SUGGESTED),
        (S, TagOrigin.MANUAL),
    ]


def test_import_without_levels_suggests_them_unconfirmed(
    fresh_db: sqlite_utils.Database, tmp_path: Path
) -> None:
    rows = [["Police not asked", "Oxfordshire", "2026-03-01", "SFO", "SFO-1", "Assessment",
             "information_sharing"]]  # fmt: skip
    import_file(fresh_db, write_csv(tmp_path / "in.csv", rows, IMPORT_HEADERS[:-1]), today=TODAY)
    finding = get_finding(fresh_db, fresh_db.execute("SELECT id FROM findings").fetchone()[0])
    assert finding is not None
    assert [(t.level, t.origin) for t in finding.levels] == [(N, TagOrigin.SUGGESTED)]


def test_export_writes_a_levels_column(fresh_db: sqlite_utils.Database, tmp_path: Path) -> None:
    finding = levelled(date(2026, 9, 2), ("workload",), (ORG,))
    finding.levels.append(LevelTag(level=S, origin=TagOrigin.SUGGESTED))
    save_finding(fresh_db, finding, today=TODAY)
    out = tmp_path / "out.csv"
    export(fresh_db, out, fmt="csv")
    with out.open(encoding="utf-8") as handle:
        row = next(csv.DictReader(handle))
    assert row["Levels"] == "supervision:suggested; organisation:confirmed"


# -- the briefing ----------------------------------------------------------------------------


def test_briefing_says_where_the_failures_sit(
    fresh_db: sqlite_utils.Database, tmp_path: Path
) -> None:
    from docx import Document

    from panels.briefing import build_briefing
    from panels.docx_writer import LEVELS_HEADING, write_briefing
    from tests.panel_factories import seed_panel_period

    panel = seed_panel_period(fresh_db)
    # Without levels the section says so, and draws no table or chart.
    empty = Document(
        str(write_briefing(build_briefing(fresh_db, panel, TODAY), tmp_path / "a.docx"))
    )
    texts = [p.text for p in empty.paragraphs]
    assert (
        texts[texts.index(LEVELS_HEADING) + 1]
        == "No weakness finding of the period has a level yet."
    )
    assert len(empty.inline_shapes) == 2

    seed_levels(fresh_db)  # six more weakness findings in the panel's period, with levels
    briefing = build_briefing(fresh_db, panel, TODAY)
    path = write_briefing(briefing, tmp_path / "b.docx")
    doc = Document(str(path))
    texts = [p.text for p in doc.paragraphs]
    at = texts.index(LEVELS_HEADING)
    assert doc.paragraphs[at].style.name == "Heading 2"
    assert texts[at + 1] == (
        "Practice carries most of the period's weaknesses: 3 of 18 weakness findings (17%) sit "
        "at that level, down from 33% in the previous period (2 of 6)."
    )
    assert len(doc.inline_shapes) == 3  # themes, where the failures sit, scorecard
    table = next(
        t
        for t in doc.tables
        if t.rows[0].cells[0].text == "Theme" and t.rows[0].cells[2].text == "Practice"
    )
    cells = [[c.text for c in row.cells] for row in table.rows]
    assert cells[0] == [
        "Theme",
        "Findings",
        "Practice",
        "Supervision",
        "Organisation",
        "Partnership",
    ]
    # The recurring themes only (risk assessment, from one source type, does not recur).
    by_theme = {row[0]: row[1:] for row in cells[1:]}
    assert list(by_theme) == [
        "Lack of professional curiosity",
        "Poor multi-agency information sharing",
        "All weakness findings",
    ]
    assert by_theme["Poor multi-agency information sharing"] == [
        "5", "1 (20%)", "0 (0%)", "0 (0%)", "1 (20%)"
    ]  # fmt: skip
    assert by_theme["All weakness findings"] == ["18", "3 (17%)", "1 (6%)", "2 (11%)", "1 (6%)"]
    assert "Figure 2. Where the failures of the themes above sit" in "\n".join(texts)


# -- the app ---------------------------------------------------------------------------------


async def test_form_suggests_levels_with_reasons_and_saves_the_choice(
    fresh_db: sqlite_utils.Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from textual.widgets import Button, Static

    from findings import suggest
    from tests.recording_helpers import fill, settle, wait_until
    from tests.test_recording_form import fake_suggester
    from tui.app import make_app
    from tui.screens.finding_form import FindingFormScreen

    monkeypatch.setattr(suggest, "suggest_themes", fake_suggester)
    app = make_app(tmp_path / "leap.db", today=TODAY)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        await pilot.press("n")
        await wait_until(app, pilot, lambda: isinstance(app.screen, FindingFormScreen))
        form = app.screen
        assert isinstance(form, FindingFormScreen)
        fill(
            form,
            source_type="audit",
            audit_name="Risk audit",
            source_ref="AUD-9",
            pdu="oxfordshire",
            event_date="2026-01-05",
            stage="assessment",
            summary="Police not asked",
            narrative="The police were not asked and the SPO did not countersign the plan.",
        )
        await wait_until(app, pilot, lambda: "information_sharing" in form.choices.tags)
        assert form.level_choices.tags == {
            "supervision": TagOrigin.SUGGESTED,
            "partnership": TagOrigin.SUGGESTED,
        }
        await settle(app, pilot)
        shown = [str(s.render()) for s in form.query("#level-rows Static").results(Static)]
        assert shown[0] == "· Practice"
        assert shown[1] == '? Supervision  — words "countersign", "spo"'
        assert shown[3].startswith("? Partnership  — theme Poor multi-agency information")
        confirm = next(
            b for b in form.query(Button).results(Button) if b.name == "level-confirm:partnership"
        )
        confirm.press()
        await pilot.pause()
        form.change_level("level-reject", "supervision")
        form.change_level("level-add", "organisation")
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert not isinstance(app.screen, FindingFormScreen)
    [row] = query_findings_all(fresh_db)
    assert [(t.level, t.origin) for t in row.levels] == [
        (ORG, TagOrigin.MANUAL),
        (N, TagOrigin.CONFIRMED),
    ]


def query_findings_all(db: sqlite_utils.Database) -> list[Finding]:
    from db.findings_store import load_findings, query_findings

    return load_findings(db, [r.id for r in query_findings(db)])


async def test_recurrence_screen_shows_themes_by_level(
    fresh_db: sqlite_utils.Database, tmp_path: Path
) -> None:
    from textual.widgets import DataTable, Static, TabbedContent

    from tests.test_recurrence_screen import settle
    from tui.app import make_app
    from tui.screens.recurrence import RecurrenceScreen

    # The last two months of TODAY (26 Nov 2026): three workload findings, one at two levels.
    for day, levels in ((date(2026, 10, 1), (ORG,)), (date(2026, 10, 2), (ORG, S)),
                        (date(2026, 11, 3), (P,))):  # fmt: skip
        save_finding(fresh_db, levelled(day, ("workload",), levels), today=TODAY)
    rename_level(fresh_db, ORG, "Organisational")
    app = make_app(tmp_path / "leap.db", today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("2")
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, RecurrenceScreen)
        screen.query_one("#recurrence-tabs", TabbedContent).active = "recurrence-levels-tab"
        await settle(app, pilot)
        table = screen.query_one("#recurrence-levels", DataTable)
        assert [str(c.label) for c in table.columns.values()][2:] == [
            "Practice", "Supervision", "Organisational", "Partnership"
        ]  # fmt: skip
        assert [str(c) for c in table.get_row("workload")] == [
            "Workload and staffing pressure", "3", "1 of 3", "1 of 3", "2 of 3", "0 of 3"
        ]  # fmt: skip
        note = str(screen.query_one("#recurrence-levels-note", Static).render())
        assert note.startswith("Organisational carries most of the period's weaknesses: 2 of 3")


async def test_detail_shows_levels_and_filters_find_them(
    fresh_db: sqlite_utils.Database, tmp_path: Path
) -> None:
    from textual.widgets import SelectionList, Static

    from tests.recording_helpers import settle, wait_for_table, wait_until
    from tui.app import make_app
    from tui.screens.filters import FiltersScreen
    from tui.screens.finding_detail import FindingDetailScreen

    tagged = levelled(date(2026, 10, 1), ("mappa",), (N,))
    tagged.levels[0] = LevelTag(level=N, origin=TagOrigin.SUGGESTED)
    save_finding(fresh_db, tagged, today=TODAY)
    save_finding(fresh_db, levelled(date(2026, 10, 2), ("workload",), (ORG,)), today=TODAY)
    app = make_app(tmp_path / "leap.db", today=TODAY)
    async with app.run_test(size=(100, 40)) as pilot:
        await wait_for_table(app, pilot, "#findings-table", 2)
        await pilot.press("f")
        await wait_until(app, pilot, lambda: isinstance(app.screen, FiltersScreen))
        app.screen.query_one("#flt-level", SelectionList).select("partnership")
        await pilot.press("ctrl+s")
        await wait_for_table(app, pilot, "#findings-table", 1)
        await pilot.press("enter")
        await wait_until(app, pilot, lambda: isinstance(app.screen, FindingDetailScreen))
        await settle(app, pilot)
        body = str(app.screen.query_one("#detail-body", Static).render())
        assert "Levels (where the failure sat)" in body
        assert "• Partnership (suggested by leap, not confirmed yet)" in body


async def test_level_names_are_renamed_from_the_taxonomy_section(
    fresh_db: sqlite_utils.Database, tmp_path: Path
) -> None:
    from textual.widgets import Input

    from tests.recording_helpers import settle, wait_until
    from tui.app import make_app
    from tui.screens.level_names import LevelNamesScreen

    app = make_app(tmp_path / "leap.db", today=TODAY)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("5")
        await settle(app, pilot)
        await pilot.press("l")
        await wait_until(app, pilot, lambda: isinstance(app.screen, LevelNamesScreen))
        screen = app.screen
        screen.query_one("#level-name-practice", Input).value = "Supervision"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, LevelNamesScreen)  # two levels cannot share a name
        screen.query_one("#level-name-practice", Input).value = "Frontline practice"
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert not isinstance(app.screen, LevelNamesScreen)
    assert level_names(fresh_db)[P] == "Frontline practice"


def test_demo_levels_follow_the_sources() -> None:
    from collections import Counter

    from findings.demo import DEMO_SEED, generate_findings
    from findings.models import SOUTH_CENTRAL, SourceType

    findings = list(
        generate_findings(
            DEMO_SEED,
            6000,
            pdus=[p.code for p in SOUTH_CENTRAL.pdus],
            start=date(2025, 11, 1),
            end=date(2026, 10, 31),
        )
    )
    weak = [f for f in findings if f.polarity.value == "weakness"]
    assert all(f.levels for f in weak)
    assert any(f.levels for f in findings if f.polarity.value == "strength")
    assert any(t.origin is TagOrigin.SUGGESTED for f in weak for t in f.levels)

    def share(source: SourceType, level: Level) -> float:
        of_source = [f for f in weak if f.source_type is source]
        return sum(level in f.level_values for f in of_source) / len(of_source)

    sfo = Counter(
        lv for f in weak if f.source_type is SourceType.SFO_REVIEW for lv in f.level_values
    )
    assert [lv for lv, _ in sfo.most_common(2)] == [P, S]
    assert share(SourceType.INSPECTION, ORG) > 2 * share(SourceType.SFO_REVIEW, ORG)
    assert share(SourceType.AUDIT, ORG) > share(SourceType.SFO_REVIEW, ORG)
    assert share(SourceType.DEATH_UNDER_SUPERVISION, N) > 0.5
    assert share(SourceType.DEATH_UNDER_SUPERVISION, N) > 2 * share(SourceType.SFO_REVIEW, N)


def test_leap_merge_carries_levels_and_their_counts(tmp_path: Path) -> None:
    from db.merge import merge_files
    from findings.models import region_code
    from findings.regions import REGIONS

    region = REGIONS[0]
    regional = tmp_path / "north_east.db"
    db = open_db(regional, region=region)
    try:
        finding = levelled(date(2026, 9, 9), ("mappa",), (N, S), pdu=region.pdus[0].code)
        stored = save_finding(db, finding, today=TODAY)
    finally:
        db.close()
    national = open_db(tmp_path / "national.db")
    try:
        merge_files(national, [regional])
        merged = get_finding(national, stored.id)
        assert merged is not None
        assert [(t.level, t.origin) for t in merged.levels] == [
            (S, TagOrigin.CONFIRMED),
            (N, TagOrigin.CONFIRMED),
        ]
        report = theme_level_report(national, *PERIOD)
        assert report.weakness_findings == 1
        assert dict(report.level_findings) == {P: 0, S: 1, ORG: 0, N: 1}
        by_region = theme_level_report(national, *PERIOD, region=region_code(region.name))
        assert by_region.weakness_findings == 1 and by_region.level_findings[N] == 1
    finally:
        national.close()


def test_leap_check_finds_a_theme_by_level_table_out_of_step(
    fresh_db: sqlite_utils.Database,
) -> None:
    from db.checks import run_checks

    seed_levels(fresh_db)
    assert "The theme x level table agrees with the findings." in run_checks(fresh_db).passed
    fresh_db.execute("UPDATE weakness_levels SET mask = 8 WHERE seq = 1")
    fresh_db.conn.commit()
    problems = run_checks(fresh_db).problems
    assert any("1 row(s) of the theme x level table differ" in p for p in problems)


def test_a_filter_is_described_with_names_and_a_phrase_keeps_its_own_quotes() -> None:
    flt = FindingFilter(
        text='"face value"', pdus=["oxfordshire"], themes=["professional_curiosity"]
    )
    names = ({"oxfordshire": "Oxfordshire"}, {"professional_curiosity": "Professional curiosity"})
    assert flt.describe(*names) == (
        'text "face value"; PDU Oxfordshire; theme Professional curiosity'
    )
    assert FindingFilter(text="face value").describe() == 'text "face value"'
