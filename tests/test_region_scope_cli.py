"""leap search, export, actions and the findings filter narrowed to regions of a national file."""

from __future__ import annotations

import csv
import json
from datetime import date
from pathlib import Path

import pytest
import sqlite_utils
from textual.widgets import SelectionList

from db.actions_store import create_action
from db.connection import open_db
from db.merge import merge_files
from findings.models import region_code
from findings.regions import REGIONS
from tests.factories import TODAY, make_action
from tests.recording_helpers import wait_for_table, wait_until
from tests.test_merge import regional_file
from tui.app import make_app
from tui.screens.filters import FiltersScreen

NORTH_EAST, LONDON = region_code(REGIONS[0].name), region_code(REGIONS[11].name)


@pytest.fixture
def national(tmp_path: Path) -> str:
    """A national file of six North East and four London findings, and an action of each."""
    path = tmp_path / "national.db"
    db = open_db(path)
    try:
        merge_files(
            db,
            [
                regional_file(tmp_path / "north_east.db", 0),
                regional_file(tmp_path / "london.db", 11, count=4),
            ],
        )
        for region in (NORTH_EAST, LONDON):
            action = create_action(
                db,
                make_action(
                    title=f"Workload review {region}",
                    themes=["workload"],
                    created_on=date(2026, 9, 1),
                    due_date=date(2026, 12, 31),
                ),
            )
            db.execute("UPDATE actions SET region = ? WHERE id = ?", [region, str(action.id)])
        db.conn.commit()
    finally:
        db.close()
    return str(path)


def test_search_by_region(national: str, capsys: pytest.CaptureFixture[str]) -> None:
    from tui.cli import main

    assert main(["search", "--db", national, "--region", LONDON, "--format", "json"]) == 0
    found = json.loads(capsys.readouterr().out)
    assert found["total"] == 4
    assert main(["search", "--db", national, "--region", NORTH_EAST]) == 0
    assert f"6 shown of 6 matching (region {NORTH_EAST})" in capsys.readouterr().out
    assert main(["search", "--db", national, "--region", "atlantis"]) == 2
    err = capsys.readouterr().err
    assert "unknown region 'atlantis'" in err and f"{LONDON} (London)" in err


def test_export_by_region(
    national: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from tui.cli import main

    out = tmp_path / "london.csv"
    assert main(["export", "--db", national, "--out", str(out), "--region", LONDON]) == 0
    with out.open(newline="", encoding="utf-8-sig") as handle:
        assert len(list(csv.DictReader(handle))) == 4
    refused = tmp_path / "refused.csv"
    args = ["export", "--db", national, "--out", str(refused), "--what", "actions"]
    assert main([*args, "--region", LONDON]) == 2
    assert "findings exports only" in capsys.readouterr().err
    assert main(["export", "--db", national, "--out", str(refused), "--region", "nowhere"]) == 2
    assert not refused.exists()


def test_actions_by_region(national: str, capsys: pytest.CaptureFixture[str]) -> None:
    from tui.cli import main

    assert main(["actions", "--db", national, "--region", LONDON]) == 0
    out = capsys.readouterr().out
    assert f"Workload review {LONDON}" in out and f"Workload review {NORTH_EAST}" not in out
    assert f"1 action (region {LONDON})" in out
    assert main(["actions", "--db", national, "--region", "nowhere"]) == 2


async def _region_choices(path: Path, rows: int) -> SelectionList[str] | None:
    """Open the filters of the findings list of ``path``; its Region list (None when absent),
    after applying the filter with London ticked."""
    app = make_app(path, today=TODAY)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for_table(app, pilot, "#findings-table", rows)
        await pilot.press("f")
        await wait_until(app, pilot, lambda: isinstance(app.screen, FiltersScreen))
        choices = app.screen.query("#flt-region")
        if not choices:
            return None
        region_list: SelectionList[str] = choices.only_one(SelectionList)
        region_list.select(LONDON)
        await pilot.press("ctrl+s")
        await wait_for_table(app, pilot, "#findings-table", 4)
        assert app.screen.active_filter.regions == [LONDON]  # type: ignore[attr-defined]
        return region_list


async def test_findings_filter_offers_regions_only_in_a_national_file(
    national: str, seeded_db: sqlite_utils.Database, tmp_path: Path
) -> None:
    region_list = await _region_choices(Path(national), 10)
    # The national file's own (empty) region, North East and London.
    assert region_list is not None and region_list.option_count == 3
    assert await _region_choices(tmp_path / "leap.db", 3) is None


def _panel_per_region(path: str) -> None:
    """A panel of North East (2026-10-05) and one of London (2026-11-02) in the file."""
    from db.panels_store import create_panel

    db = open_db(Path(path))
    try:
        for held_on, region in ((date(2026, 10, 5), NORTH_EAST), (date(2026, 11, 2), LONDON)):
            panel = create_panel(db, held_on, chair=f"Chair of {region}")
            db.execute("UPDATE panels SET region = ? WHERE id = ?", [region, str(panel.id)])
        db.conn.commit()
    finally:
        db.close()


def test_panels_by_region(national: str, capsys: pytest.CaptureFixture[str]) -> None:
    from db.panels_store import list_panels
    from tui.cli import main

    _panel_per_region(national)
    db = open_db(Path(national))
    try:
        assert [p.chair for p in list_panels(db, region=LONDON)] == [f"Chair of {LONDON}"]
        assert len(list_panels(db)) == 2
    finally:
        db.close()
    assert main(["panel", "list", "--db", national, "--region", NORTH_EAST]) == 0
    out = capsys.readouterr().out
    assert "2026-10-05" in out and "2026-11-02" not in out
    assert main(["panel", "list", "--db", national, "--region", LONDON, "--format", "json"]) == 0
    assert [p["held_on"] for p in json.loads(capsys.readouterr().out)] == ["2026-11-02"]
    # The national file's own region (it has none of these panels).
    assert main(["panel", "list", "--db", national, "--region", "south_central"]) == 0
    assert "No panels of region south_central" in capsys.readouterr().out
    assert main(["panel", "list", "--db", national, "--region", "atlantis"]) == 2
    assert "unknown region 'atlantis'" in capsys.readouterr().err


def test_panel_list_of_every_region_names_each_panels_region(
    national: str, capsys: pytest.CaptureFixture[str]
) -> None:
    from tui.cli import main

    _panel_per_region(national)
    assert main(["panel", "list", "--db", national]) == 0
    table = capsys.readouterr().out.splitlines()
    assert table[0].split()[:3] == ["Date", "Region", "Status"]
    assert table[2].split()[:3] == ["2026-11-02", "London", "planned"]
    assert table[3].split()[:4] == ["2026-10-05", "North", "East", "planned"]
    assert main(["panel", "list", "--db", national, "--format", "json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert [(p["held_on"], p["region"]) for p in listed] == [
        ("2026-11-02", LONDON),
        ("2026-10-05", NORTH_EAST),
    ]
    # One region asked for: no column (every row is that region's).
    assert main(["panel", "list", "--db", national, "--region", LONDON]) == 0
    assert capsys.readouterr().out.split()[:2] == ["Date", "Status"]


def test_bulletin_by_region(
    national: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from panels.bulletin import build_bulletin
    from tests.panel_factories import document_text
    from tui.cli import main

    db = open_db(Path(national))
    try:
        everywhere = build_bulletin(db, "workload", TODAY)
        london = build_bulletin(db, "workload", TODAY, region=LONDON)
    finally:
        db.close()
    # Workload is on every second finding: three of North East's six, two of London's four.
    assert (everywhere.findings, london.findings) == (5, 2)
    assert london.region == "London" and len(london.extracts) == 2
    assert london.actions == [f"Workload review {LONDON} (due 31 December 2026)"]
    assert len(everywhere.actions) == 2
    out = tmp_path / "london.docx"
    args = ["bulletin", "workload", "--db", national, "--out", str(out)]
    assert main([*args, "--region", LONDON, "--today", TODAY.isoformat()]) == 0
    text = document_text(out)
    assert "London" in text and f"Workload review {NORTH_EAST}" not in text
    refused = tmp_path / "refused.docx"
    assert (
        main(["bulletin", "workload", "--db", national, "--out", str(refused), "--region", "x"])
        == 2
    )
    assert "unknown region 'x'" in capsys.readouterr().err and not refused.exists()


async def test_panels_screen_lists_the_chosen_regions_panels(
    national: str, seeded_db: sqlite_utils.Database, tmp_path: Path
) -> None:
    from textual.widgets import Select, Static

    _panel_per_region(national)
    app = make_app(Path(national), today=TODAY)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_until(app, pilot, lambda: app.db_ready)
        await pilot.press("3")
        table = await wait_for_table(app, pilot, "#panels-table", 2)
        choice = app.screen.query_one("#panels-region", Select)
        assert choice.display and choice.value == "__all__"
        # Each panel says whose it is.
        assert [str(table.get_row_at(i)[1]) for i in (0, 1)] == ["London", "North East"]
        choice.value = LONDON
        await wait_for_table(app, pilot, "#panels-table", 1)
        assert table.get_row_at(0)[0] == "2026-11-02"
        choice.value = "south_central"
        await wait_for_table(app, pilot, "#panels-table", 0)
        status = str(app.screen.query_one("#panels-status", Static).render())
        assert "No panels of South Central yet" in status
        assert not app.screen.query_one("#panel-tabs").display
    # A file of one region offers no region choice.
    app = make_app(tmp_path / "leap.db", today=TODAY)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_until(app, pilot, lambda: app.db_ready)
        await pilot.press("3")
        await wait_until(
            app,
            pilot,
            lambda: "No panels yet" in str(app.screen.query_one("#panels-status", Static).render()),
        )
        assert not app.screen.query_one("#panels-region", Select).display
