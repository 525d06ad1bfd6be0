"""The national view: region scope on recurrence numbers, regions compared, national briefing."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from docx import Document

from db.connection import open_db
from db.recurrence_store import recurrence_report, region_comparison
from findings.regions import REGIONS, region_abbreviation
from tests.factories import TODAY, merged_file, save_region_weaknesses
from tui.cli import main

PERIOD = (date(2026, 9, 1), date(2026, 10, 31))


def _regional(path: Path, index: int, themes: list[list[str]]) -> Path:
    db = open_db(path, region=REGIONS[index])
    try:
        save_region_weaknesses(db, index, themes)
    finally:
        db.close()
    return path


@pytest.fixture
def national(tmp_path: Path) -> Path:
    """A national file: London (4 findings, 3 about workload), Wales (2, none about workload)."""
    london = _regional(
        tmp_path / "london.db",
        11,
        [["workload"], ["workload", "training"], ["workload"], ["risk_assessment"]],
    )
    wales = _regional(tmp_path / "wales.db", 7, [["recording"], ["recording", "training"]])
    return merged_file(tmp_path / "national.db", [london, wales])


def test_region_scope_on_the_recurrence_numbers(national: Path) -> None:
    db = open_db(national)
    try:
        everywhere = recurrence_report(db, *PERIOD)
        london = recurrence_report(db, *PERIOD, region="london")
        wales = recurrence_report(db, *PERIOD, region="wales")
        assert (everywhere.weakness_findings, london.weakness_findings) == (6, 4)
        assert wales.weakness_findings == 2
        for slug, counts in {"workload": (3, 3, 0), "training": (2, 1, 1)}.items():
            figures = (everywhere.theme(slug), london.theme(slug), wales.theme(slug))
            assert tuple(f.count if f else 0 for f in figures) == counts
        training = london.theme("training")
        assert training is not None and training.pdus == (REGIONS[11].pdus[1].code,)
        assert [(p.first, p.second, p.count) for p in wales.pairs] == [("recording", "training", 1)]
        with pytest.raises(ValueError, match=r"unknown region 'atlantis'.*london \(London\)"):
            recurrence_report(db, *PERIOD, region="atlantis")
        comparison = region_comparison(db, *PERIOD)
        assert comparison.rate("workload", "london") == 75.0
        assert comparison.rate("workload", "wales") is None or (
            comparison.rate("workload", "wales") == 0.0
        )
        assert comparison.rate("recording", "wales") == 100.0
        assert comparison.overall_rate("training") == pytest.approx(100 * 2 / 6)
    finally:
        db.close()


def test_themes_by_region_and_region_scope_cli(
    national: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["--db", str(national), "themes", "--from", "2026-09-01", "--to", "2026-10-31"]
    assert main([*args, "--by-region"]) == 0
    out = capsys.readouterr().out
    header = next(line for line in out.splitlines() if line.startswith("Theme "))
    # the file's own region holds no finding (all came from merged files): no empty column
    assert header.split() == ["Theme", "L", "W", "All"]
    workload = next(line for line in out.splitlines() if line.startswith("Workload"))
    assert workload.split()[-3:] == ["75", "0", "50"]
    assert main([*args, "--by-region", "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["weakness_findings"] == {"london": 4, "wales": 2}
    assert main([*args, "--region", "wales"]) == 0
    out = capsys.readouterr().out
    assert "Recurring themes in Wales" in out and "2 weakness findings" in out
    assert main([*args]) == 0
    assert "Recurring themes in all 3 regions" in capsys.readouterr().out
    assert region_abbreviation("Kent, Surrey and Sussex") == "KSS"


def test_national_briefing_compares_regions(national: Path, tmp_path: Path) -> None:
    out = tmp_path / "national.docx"
    code = main(
        [
            "--db",
            str(national),
            "brief",
            "--national",
            "--from",
            "2026-09-01",
            "--to",
            "2026-10-31",
            "--today",
            "2026-11-26",
            "--out",
            str(out),
        ]
    )
    assert code == 0
    doc = Document(str(out))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "National view (2 regions)" in text and "Regions compared" in text
    assert "Workload and staffing pressure: 75 per 100 in London" in text
    table = next(t for t in doc.tables if t.rows[0].cells[-1].text == "All")
    assert [c.text for c in table.rows[0].cells] == ["Theme", "L", "W", "All"]
    assert len(doc.inline_shapes) >= 2  # the themes chart and the regions grid
    assert main(["--db", str(national), "brief", "--national", "--out", str(out)]) == 2


async def test_recurrence_screen_scopes_to_a_region(national: Path) -> None:
    from textual.widgets import DataTable, Select, Static

    from tui.app import make_app
    from tui.screens.findings import FindingsScreen
    from tui.screens.recurrence import RecurrenceScreen

    app = make_app(national, today=date(2026, 10, 31))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("2")
        for _ in range(5):
            await app.workers.wait_for_complete()
            await pilot.pause()
        assert app.sub_title.startswith("National view (3 regions)")
        screen = app.screen
        assert isinstance(screen, RecurrenceScreen)
        table = screen.query_one("#recurrence-table", DataTable)
        assert str(table.get_cell("training", "count")) == "2"
        scope = screen.query_one("#recurrence-scope", Select)
        labels = [str(option[0]) for option in scope._options]
        assert labels[:4] == ["All regions", "London", "South Central", "Wales"]
        scope.value = "region:wales"
        for _ in range(5):
            await app.workers.wait_for_complete()
            await pilot.pause()
        assert screen.scope_region == "wales"
        assert str(table.get_cell("training", "count")) == "1"
        assert str(table.get_cell("workload", "count")) == "0"
        assert "Wales" in str(screen.query_one("#recurrence-status", Static).render())
        table.focus()
        table.move_cursor(row=table.get_row_index("training"))
        await pilot.press("f")
        for _ in range(5):
            await app.workers.wait_for_complete()
            await pilot.pause()
        findings = app.screen
        assert isinstance(findings, FindingsScreen)
        assert sorted(findings.filter.pdus) == sorted(p.code for p in REGIONS[7].pdus)
        rows = findings.query_one("#findings-table", DataTable)
        assert rows.row_count == 1


def test_national_demo_holds_only_the_regions_asked_for(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from db.reference import home_region, region_names
    from panels.briefing import build_national_briefing

    path = tmp_path / "demo.db"
    assert main(["--db", str(path), "demo-data", "--regions", "3", "--findings", "100"]) == 0
    assert "national file of 3 regions" in capsys.readouterr().out
    db = open_db(path)
    try:
        # The new file is the first demo region's, not an empty South Central beside them.
        assert sorted(region_names(db)) == ["north_east", "north_west", "yorkshire_and_the_humber"]
        assert home_region(db) == "north_east"
        briefing = build_national_briefing(db, *PERIOD, TODAY)
    finally:
        db.close()
    assert briefing.region == "National view (3 regions)"
    assert main(["--db", str(path), "themes", "--by-region", "--format", "json"]) == 0
    by_region = json.loads(capsys.readouterr().out)
    assert "South Central" not in json.dumps(by_region)


def test_a_small_national_demo_is_written_without_the_rounds_it_cannot_draw(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # 30 findings a region can leave the latest panel's period empty: no round is drawn there.
    path = tmp_path / "small.db"
    assert main(["--db", str(path), "demo-data", "--regions", "3", "--findings", "30"]) == 0
    assert "national file of 3 regions" in capsys.readouterr().out
    db = open_db(path)
    try:
        assert db.execute("SELECT count(*) FROM findings").fetchone()[0] == 90
    finally:
        db.close()


def test_a_briefing_of_too_many_findings_says_how_to_list_them(
    national: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A national quarter counts thousands of findings: the appendix points to `leap search`
    rather than listing them all (a document of hundreds of pages would not open)."""
    from panels import docx_writer

    monkeypatch.setattr(docx_writer, "APPENDIX_LIMIT", 3)
    out = tmp_path / "national.docx"
    args = ["--db", str(national), "brief", "--national", "--from", "2026-09-01"]
    assert main([*args, "--to", "2026-10-31", "--today", "2026-11-26", "--out", str(out)]) == 0
    doc = Document(str(out))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "are too many to list here" in text
    assert "leap search --from 2026-09-01 --to 2026-10-31" in text
    assert not any(t.rows[0].cells[0].text == "Ref" for t in doc.tables)
