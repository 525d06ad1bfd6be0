"""A regional panel's briefing and scope in a national file (its own region's records only), and
planning a panel of a chosen region."""

from __future__ import annotations

import uuid
from datetime import date
from pathlib import Path

import pytest
from textual.widgets import DataTable, Input, Select, Static

from db.actions_store import create_action
from db.assessments_store import save_case_assessment
from db.base import StoreError
from db.connection import open_db
from db.findings_store import save_finding
from db.panels_store import create_panel, list_panels, panel_regions, update_panel
from db.reference import home_region
from findings.models import CaseAssessment
from findings.panels import PanelStatus
from findings.regions import REGIONS
from panels.briefing import Briefing, build_adhoc_briefing, build_briefing
from tests.factories import TODAY, make_action, make_finding, merged_file, save_region_weaknesses
from tests.panel_factories import all_no, all_yes, document_text
from tests.recording_helpers import wait_for_table, wait_until
from tui.app import LeapApp, make_app
from tui.cli import main

PERIOD = (date(2026, 9, 1), date(2026, 10, 31))
LONDON, WALES = REGIONS[11], REGIONS[7]


def _regional(path: Path, index: int, themes: list[str], held_on: date, yes: bool) -> Path:
    """One region's file: a weakness finding per theme and a strength, all in the period; five
    case assessments (all Yes or all No); an overdue action; a panel covering the period."""
    region = REGIONS[index]
    db = open_db(path, region=region)
    try:
        save_region_weaknesses(db, index, [[slug] for slug in themes])
        save_finding(
            db,
            make_finding(
                id=uuid.UUID(int=index * 1000 + 999),
                pdu=region.pdus[0].code,
                event_date=date(2026, 10, 20),
                recorded_date=date(2026, 10, 21),
                polarity="strength",
                summary=f"Good practice in {region.name}: police checks made early",
                themes=[],
            ),
            today=TODAY,
        )
        for _ in range(5):
            save_case_assessment(
                db,
                CaseAssessment(
                    audit_ref="QA sample",
                    pdu=region.pdus[0].code,
                    assessed_on=date(2026, 9, 20),
                    answers=all_yes() if yes else all_no(),
                ),
                today=TODAY,
            )
        create_action(
            db,
            make_action(
                title=f"Workload review in {region.name}",
                themes=[themes[0]],
                created_on=date(2026, 8, 1),
                due_date=date(2026, 10, 1),
            ),
        )
        create_panel(
            db, held_on, chair=f"Chair of {region.name}", period=PERIOD, status=PanelStatus.HELD
        )
    finally:
        db.close()
    return path


@pytest.fixture
def national(tmp_path: Path) -> Path:
    """London (3 workload findings, 1 risk assessment; all Yes) and Wales (2 recording; all No),
    each with a strength, an action and a panel, merged into a South Central file."""
    london = _regional(
        tmp_path / "london.db",
        11,
        ["workload", "workload", "workload", "risk_assessment"],
        date(2026, 11, 2),
        yes=True,
    )
    wales = _regional(
        tmp_path / "wales.db", 7, ["recording", "recording"], date(2026, 11, 4), yes=False
    )
    return merged_file(tmp_path / "national.db", [london, wales])


def _briefing_of(path: Path, chair: str) -> Briefing:
    """The briefing of the panel this chair chairs in the file at ``path``."""
    db = open_db(path)
    try:
        panel = next(p for p in list_panels(db) if p.chair == chair)
        return build_briefing(db, panel, TODAY)
    finally:
        db.close()


def test_a_regional_panels_briefing_counts_only_its_region(national: Path) -> None:
    briefing = _briefing_of(national, "Chair of London")
    assert briefing.region == "London"
    assert briefing.region_scope == "London only (one of 3 regions in the file)"
    assert (briefing.total, briefing.weaknesses, briefing.strengths) == (5, 4, 1)
    assert [(t.slug, t.count) for t in briefing.themes] == [
        ("workload", 3),
        ("risk_assessment", 1),
    ]
    london_pdus = {p.name for p in LONDON.pdus}
    wales_pdus = {p.name for p in WALES.pdus}
    extracts = [e for t in briefing.themes for e in t.extracts]
    assert extracts and all(any(n in e.attribution for n in london_pdus) for e in extracts)
    assert not any(n in e.attribution for e in extracts for n in wales_pdus)
    assert [g.text.split(":")[0] for g in briefing.good_practice] == ["Good practice in London"]
    assert [a.title for a in briefing.actions.overdue] == ["Workload review in London"]
    assert briefing.levels is not None and briefing.levels.weakness_findings == 4
    region_row = briefing.scorecard[-1]
    assert region_row.label == "London (all PDUs)" and briefing.cases == 5
    assert region_row.now["assessment"].text.startswith("100%")
    # The Wales panel sees Wales only.
    other = _briefing_of(national, "Chair of Wales")
    assert (other.region, other.total, other.cases) == ("Wales", 3, 5)
    assert [t.slug for t in other.themes if t.count] == ["recording"]
    assert [a.title for a in other.actions.overdue] == ["Workload review in Wales"]
    assert other.scorecard[-1].now["assessment"].text.startswith("0%")


def test_an_adhoc_briefing_covers_every_region_or_the_one_asked(national: Path) -> None:
    db = open_db(national)
    try:
        everywhere = build_adhoc_briefing(db, PERIOD, TODAY)
        wales = build_adhoc_briefing(db, PERIOD, TODAY, region="wales")
        with pytest.raises(ValueError, match=r"unknown region 'atlantis'.*london \(London\)"):
            build_adhoc_briefing(db, PERIOD, TODAY, region="atlantis")
    finally:
        db.close()
    assert (everywhere.total, everywhere.cases) == (8, 10)
    assert everywhere.region == "National view (3 regions)"
    assert everywhere.region_scope == "Every region in the file (3)"
    assert len(everywhere.actions.overdue) == 2
    assert (wales.region, wales.total, wales.weaknesses) == ("Wales", 3, 2)
    assert [a.title for a in wales.actions.overdue] == ["Workload review in Wales"]


def test_brief_from_to_region_cli(
    national: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["--db", str(national), "brief", "--from", "2026-09-01", "--to", "2026-10-31"]
    args += ["--today", TODAY.isoformat()]
    out = tmp_path / "wales.docx"
    assert main([*args, "--region", "wales", "--out", str(out)]) == 0
    said = capsys.readouterr().out
    assert "for Wales" in said and "3 findings in the period" in said
    text = document_text(out)
    assert "Learning, Effectiveness and Accountability Panel · Wales" in text
    assert "Wales only (one of 3 regions in the file)" in text
    assert "Workload review in Wales" in text and "Workload review in London" not in text
    everywhere = tmp_path / "all.docx"
    assert main([*args, "--out", str(everywhere)]) == 0
    said = capsys.readouterr().out
    assert "of every region in the file" in said and "8 findings in the period" in said
    assert "Every region in the file (3)" in document_text(everywhere)
    refused = tmp_path / "refused.docx"
    assert main([*args, "--region", "atlantis", "--out", str(refused)]) == 2
    err = capsys.readouterr().err
    assert "unknown region 'atlantis'" in err and "wales (Wales)" in err
    assert not refused.exists()
    assert main(["--db", str(national), "brief", "--region", "wales"]) == 2
    assert "--region is for an ad-hoc briefing" in capsys.readouterr().err


async def test_panels_screen_counts_the_panels_own_region(national: Path) -> None:
    app = make_app(national, today=TODAY)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_until(app, pilot, lambda: app.db_ready)
        await pilot.press("3")
        await wait_for_table(app, pilot, "#panels-table", 2)
        screen = app.screen
        screen.query_one("#panels-region", Select).value = "london"
        await wait_for_table(app, pilot, "#panels-table", 1)

        def status() -> str:
            return str(screen.query_one("#panels-status", Static).render())

        # The first panel's scope (Wales, under "All regions") may land after the choice.
        await wait_until(app, pilot, lambda: "(London)" in status())
        assert "5 findings in scope (London)" in status()
        await wait_until(
            app, pilot, lambda: screen.query_one("#scope-findings", DataTable).row_count == 5
        )


def _planned(path: Path) -> list[tuple[str, str, str, str]]:
    """Every planned panel: its date, region, chair and period start."""
    db = open_db(path)
    try:
        regions = panel_regions(db)
        return sorted(
            (p.held_on.isoformat(), regions[str(p.id)], p.chair, p.period_start.isoformat())
            for p in list_panels(db)
            if p.status is PanelStatus.PLANNED
        )
    finally:
        db.close()


def _status(app: LeapApp) -> str:
    return str(app.screen.query_one("#panels-status", Static).render())


async def test_planning_from_the_screen_offers_the_highlighted_panels_region(
    national: Path,
) -> None:
    app = make_app(national, today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until(app, pilot, lambda: app.db_ready)
        await pilot.press("3")
        await wait_for_table(app, pilot, "#panels-table", 2)
        # Under "All regions": Wales (4 November) first, then London (2 November).
        await pilot.press("down")
        await wait_until(app, pilot, lambda: "2026-11-02" in _status(app))
        await pilot.press("n")
        await wait_until(app, pilot, lambda: app.screen.query("#plan-region"))
        form = app.screen
        region = form.query_one("#plan-region", Select)
        held_on, chair = form.query_one("#plan-date", Input), form.query_one("#plan-chair", Input)
        assert (region.value, held_on.value, chair.value) == (
            "london",
            "2027-01-02",
            "Chair of London",
        )
        region.value = "wales"  # the form offers Wales's next panel instead
        await wait_until(app, pilot, lambda: held_on.value == "2027-01-04")
        assert chair.value == "Chair of Wales"
        chair.value = "Deputy Director Wales"
        await pilot.click("#save")
        await wait_until(app, pilot, lambda: bool(_planned(national)))
        assert _planned(national) == [
            ("2027-01-04", "wales", "Deputy Director Wales", "2026-11-04")
        ]
        await wait_until(app, pilot, lambda: "2027-01-04" in _status(app))
        assert any("Panel of Wales planned" in n.message for n in app._notifications)


def test_plan_a_panel_of_a_region_from_the_shell(
    national: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = ["--db", str(national)]
    assert main(["panel", "plan", "2027-01-06", "--region", "wales", *db]) == 0
    said = capsys.readouterr().out
    assert "Planned the panel of 6 January 2027 for Wales" in said
    assert "covering 4 November 2026 to 5 January 2027" in said
    # Another region may meet the same day; the same region may not.
    assert main(["panel", "plan", "2027-01-06", "--region", "london", *db]) == 0
    assert main(["panel", "plan", "2027-01-06", "--region", "wales", *db]) == 2
    assert "already a panel of Wales on 2027-01-06" in capsys.readouterr().err
    assert main(["panel", "plan", "2027-01-08", "--region", "atlantis", *db]) == 2
    err = capsys.readouterr().err
    assert "--region: unknown region 'atlantis'" in err and "wales (Wales)" in err
    assert [(day, code) for day, code, _, _ in _planned(national)] == [
        ("2027-01-06", "london"),
        ("2027-01-06", "wales"),
    ]


def test_two_regions_panels_may_share_a_day_but_one_regions_may_not(national: Path) -> None:
    db = open_db(national)
    try:
        london = next(p for p in list_panels(db) if p.chair == "Chair of London")
        wales_day = date(2026, 11, 4)
        moved = update_panel(db, london.model_copy(update={"held_on": wales_day}))
        assert moved.held_on == wales_day
        with pytest.raises(StoreError, match="already a panel of London on 2026-11-04"):
            create_panel(db, wales_day, region="london")
        own = create_panel(db, wales_day)  # the file's own region's first panel
        assert panel_regions(db)[str(own.id)] == home_region(db) == "south_central"
    finally:
        db.close()
