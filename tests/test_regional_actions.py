"""Learning actions in a national file: each escalated by its own region's panels and judged on
its own region's findings (the store, ``leap actions`` and the actions screens)."""

from __future__ import annotations

import csv
import io
import uuid
from datetime import date, timedelta
from pathlib import Path

import pytest
from textual.widgets import Static

from db.actions_impact import action_lines, completed_impacts
from db.actions_store import action_impact, create_action, list_actions, set_status
from db.connection import open_db
from db.findings_store import save_finding
from db.panels_store import create_panel
from findings.actions import ActionStatus, Escalation, ImpactVerdict
from findings.models import ThemeTag
from findings.panels import PanelStatus
from findings.regions import REGIONS
from tests.factories import TODAY, make_action, make_finding, merged_file
from tests.recording_helpers import wait_for_table, wait_until
from tui.app import make_app
from tui.cli import main

COMPLETED = date(2026, 7, 1)  # before window 2026-04-02..06-30, after 2026-07-01..09-28


def _regional(path: Path, index: int, *, fell: bool, panels: list[date]) -> Path:
    """One region's file: ten weakness findings before COMPLETED and ten after, half the earlier
    ones showing workload and none of the later ones (``fell``) or the other way round; a done
    workload action completed on COMPLETED; an action overdue since 1 October; its panels."""
    region = REGIONS[index]
    db = open_db(path, region=region)
    try:
        for n in range(20):
            after = n >= 10
            workload = (not after and n % 2 == 0) if fell else after
            event = (COMPLETED + timedelta(days=n)) if after else date(2026, 5, 1) + timedelta(n)
            save_finding(
                db,
                make_finding(
                    id=uuid.UUID(int=index * 1000 + n + 1),
                    pdu=region.pdus[n % 2].code,
                    event_date=event,
                    recorded_date=event + timedelta(days=5),
                    themes=[ThemeTag(slug="workload" if workload else "planning")],
                ),
                today=TODAY,
            )
        done = create_action(
            db,
            make_action(
                title=f"Caseload cap in {region.name}",
                themes=["workload"],
                created_on=date(2026, 4, 1),
                due_date=date(2026, 7, 31),
            ),
        )
        set_status(
            db,
            done.id,
            ActionStatus.DONE,
            expected_version=1,
            today=TODAY,
            evidence="Caps in force",
            completed_on=COMPLETED,
        )
        create_action(
            db,
            make_action(
                title=f"Late review in {region.name}",
                themes=["planning"],
                created_on=date(2026, 8, 1),
                due_date=date(2026, 10, 1),
            ),
        )
        for held_on in panels:
            create_panel(db, held_on, chair=f"Chair of {region.name}", status=PanelStatus.HELD)
    finally:
        db.close()
    return path


@pytest.fixture
def national(tmp_path: Path) -> Path:
    """London (workload fell after its action; one panel since the late action was due) and
    Wales (workload rose; two panels since), merged into one file. Judged over both regions,
    workload rose after London's action and London's late action passed two panels."""
    london = _regional(tmp_path / "london.db", 11, fell=True, panels=[date(2026, 10, 20)])
    wales = _regional(
        tmp_path / "wales.db", 7, fell=False, panels=[date(2026, 10, 10), date(2026, 11, 10)]
    )
    return merged_file(tmp_path / "national.db", [london, wales])


def test_each_action_is_escalated_and_judged_in_its_own_region(national: Path) -> None:
    db = open_db(national)
    try:
        actions = list_actions(db, today=TODAY)
        lines = {line.title: line for line in action_lines(db, actions, today=TODAY)}
        impacts = {a.title: i for a, i in completed_impacts(db, today=TODAY)}
        london_done = next(a for a in actions if a.title == "Caseload cap in London")
        single = action_impact(db, london_done, today=TODAY)
    finally:
        db.close()
    # London has held one panel since 1 October (the file, three): overdue, not for the chair.
    assert lines["Late review in London"].escalation is Escalation.OVERDUE
    assert lines["Late review in Wales"].escalation is Escalation.OVERDUE_TWO_PANELS
    london, wales = impacts["Caseload cap in London"], impacts["Caseload cap in Wales"]
    assert london is not None and wales is not None and single is not None
    # Among London's findings only: 5 of 10 before, none after (both regions: 5/20 -> 10/20).
    assert (london.before_with_themes, london.before_findings) == (5, 10)
    assert (london.after_with_themes, london.after_findings) == (0, 10)
    assert london.verdict is ImpactVerdict.FELL and single.verdict is ImpactVerdict.FELL
    assert wales.verdict is ImpactVerdict.ROSE


def _csv_rows(capsys: pytest.CaptureFixture[str]) -> dict[str, dict[str, str]]:
    return {row["title"]: row for row in csv.DictReader(io.StringIO(capsys.readouterr().out))}


def test_leap_actions_uses_each_actions_region(
    national: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    base = ["--db", str(national), "actions", "--today", TODAY.isoformat()]
    assert main([*base, "--format", "csv"]) == 0
    rows = _csv_rows(capsys)
    assert rows["Late review in London"]["escalation"] == Escalation.OVERDUE.value
    assert rows["Late review in Wales"]["escalation"] == Escalation.OVERDUE_TWO_PANELS.value
    assert "fell" in rows["Caseload cap in London"]["impact"].lower()
    assert "rose" in rows["Caseload cap in Wales"]["impact"].lower()
    # Narrowed to one region: the same judgement.
    assert main([*base, "--format", "csv", "--region", "london"]) == 0
    only = _csv_rows(capsys)
    assert set(only) == {"Late review in London", "Caseload cap in London"}
    assert only["Late review in London"]["escalation"] == Escalation.OVERDUE.value
    assert main(base) == 0
    assert "1 overdue at two panels (for the chair)" in capsys.readouterr().out


async def test_actions_screens_use_each_actions_region(national: Path) -> None:
    app = make_app(national, today=TODAY)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("4")
        table = await wait_for_table(app, pilot, "#actions-table", 4)
        escalation = {
            str(table.get_cell_at((i, 3))): str(table.get_cell_at((i, 2)))
            for i in range(table.row_count)
        }
        assert escalation["Late review in London"] == "Overdue 56d"
        assert escalation["Late review in Wales"] == "⚑ CHAIR 56d"

        titles = [str(table.get_cell_at((i, 3))) for i in range(table.row_count)]
        for title, shows, hides in (
            ("Late review in London", "overdue", "for the chair"),
            ("Caseload cap in London", "fell", "rose"),
        ):
            table.move_cursor(row=titles.index(title))
            await pilot.press("enter")

            def body(title: str = title) -> str:
                shown = app.screen.query("#action-body")
                text = str(shown.first(Static).render()) if shown else ""
                return text if title in text else ""

            await wait_until(app, pilot, body)
            assert shows in body().lower()
            assert hides not in body().lower()
            await pilot.press("escape")
            await wait_for_table(app, pilot, "#actions-table", 4)

        await pilot.press("w")
        impact = await wait_for_table(app, pilot, "#impact-table", 2)
        verdicts = {
            str(impact.get_cell_at((i, 1))): str(impact.get_cell_at((i, 4)))
            for i in range(impact.row_count)
        }
        assert verdicts == {"Caseload cap in London": "Fell", "Caseload cap in Wales": "Rose"}
