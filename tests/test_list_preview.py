"""Start-up's drawing of the findings list holds exactly the table's first page."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlite_utils
from textual.app import App, ComposeResult

from db.base import connect_raw
from db.connection import open_db
from db.findings_store import delete_finding, query_findings, save_finding
from db.list_preview import PreviewLine, newest_findings
from db.reference import pdu_names, theme_names
from findings.theme_names import short_names, theme_list
from panels.demo_region import load_demo
from tests.factories import TODAY, make_finding
from tests.recording_helpers import wait_until
from tui.app import make_app
from tui.first_read import FirstRead
from tui.fitted_table import FittedTable
from tui.screens.findings_preview import FindingsPreview


def test_newest_findings_match_the_lists_first_page(seeded_db: sqlite_utils.Database) -> None:
    save_finding(seeded_db, make_finding(polarity="strength", summary="Good plan"), today=TODAY)
    gone = save_finding(seeded_db, make_finding(summary="Deleted one"), today=TODAY)
    delete_finding(seeded_db, gone.id)
    names = pdu_names(seeded_db)
    labels = short_names(theme_names(seeded_db))
    expected = [
        PreviewLine(
            r.event_date.isoformat(),
            r.source_type.value,
            names[r.pdu],
            r.polarity.value == "strength",
            r.summary,
            theme_list(r.themes, labels),
        )
        for r in query_findings(seeded_db, limit=100)
    ]
    conn = connect_raw(seeded_db.conn.execute("PRAGMA database_list").fetchone()[2])
    try:
        lines, total = newest_findings(conn, 100)
    finally:
        conn.close()
    assert lines == expected and total == len(expected) == 4
    assert not any(line.summary == "Deleted one" for line in lines)
    assert "Information sharing" in {t for line in lines for t in line.themes.split(", ")}


class PreviewApp(App[None]):
    def compose(self) -> ComposeResult:
        yield FindingsPreview(id="preview")


async def test_preview_draws_the_rows_as_the_table_would() -> None:
    lines = [
        PreviewLine("2026-03-01", "sfo_review", "Oxfordshire", False, "Accepted account", "a, b"),
        PreviewLine("2026-02-01", "audit", "Kent", True, "Good plan " + "x" * 200, ""),
    ]
    app = PreviewApp()
    async with app.run_test(size=(80, 10)) as pilot:
        preview = app.query_one(FindingsPreview)
        preview.show(lines)
        await pilot.pause()
        drawn = [preview.render_line(y).text for y in range(3)]
    assert drawn[0].split() == ["Date", "Source", "PDU", "Summary", "Themes"]
    assert drawn[1].split()[:4] == ["2026-03-01", "SFO", "Oxfordshire", "Accepted"]
    assert "✓ Good plan" in drawn[2] and "Audit" in drawn[2]
    assert all(len(line) == 80 for line in drawn)  # long text is cut at the column's edge


def test_an_empty_file_has_no_newest_findings(fresh_db: sqlite_utils.Database) -> None:
    conn = connect_raw(fresh_db.conn.execute("PRAGMA database_list").fetchone()[2])
    try:
        assert newest_findings(conn, 100) == ([], 0)
    finally:
        conn.close()


@pytest.fixture
def demo_path(tmp_path: Path) -> Path:
    path = tmp_path / "leap.db"
    db = open_db(path)
    load_demo(db, today=TODAY)
    db.close()
    return path


@pytest.mark.parametrize("width", [80, 120, 200])
async def test_the_table_replaces_the_drawing_cell_for_cell(demo_path: Path, width: int) -> None:
    """The start-up drawing and the interactive table show the same columns at any width, so
    the swap from one to the other does not move a thing."""
    conn = connect_raw(demo_path)
    try:
        lines, _ = newest_findings(conn, 100)
    finally:
        conn.close()
    drawing = PreviewApp()
    async with drawing.run_test(size=(width, 12)) as pilot:
        preview = drawing.query_one(FindingsPreview)
        preview.show(lines)
        await pilot.pause()
        drawn = [preview.render_line(y).text.rstrip() for y in range(12)]
    app = make_app(demo_path, today=TODAY)
    async with app.run_test(size=(width, 16)) as pilot:
        await wait_until(app, pilot, lambda: bool(app.screen.query(FittedTable)))
        table = app.screen.query_one(FittedTable)
        await wait_until(app, pilot, lambda: table.row_count > 0 and table.size.width > 0)
        await pilot.pause()
        shown = [table.render_line(y).text.rstrip() for y in range(len(drawn))]
    assert shown == drawn
    assert "…" in "".join(drawn)  # long summaries are cut visibly, not silently


async def test_a_read_started_before_the_app_feeds_its_first_page(demo_path: Path) -> None:
    first = FirstRead(demo_path).start()
    app = make_app(demo_path, today=TODAY, first_read=first)
    async with app.run_test(size=(100, 16)) as pilot:
        await wait_until(app, pilot, lambda: app.db_ready)
        await wait_until(app, pilot, lambda: bool(app.screen.query(FittedTable)))
        table = app.screen.query_one(FittedTable)
        await wait_until(app, pilot, lambda: table.row_count == 100)
        assert app.region and "demo" not in app.sub_title


async def test_a_file_that_is_not_a_database_stops_the_app_in_plain_words(tmp_path: Path) -> None:
    path = tmp_path / "notes.db"
    path.write_text("these are not findings\n" * 10)
    first = FirstRead(path).start()
    app = make_app(path, first_read=first)
    async with app.run_test() as pilot:
        await pilot.pause(0.2)
    assert app.fatal_error is not None and "not a SQLite database" in app.fatal_error
    assert path.read_text().startswith("these are not findings")
