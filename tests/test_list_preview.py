"""Start-up's drawing of the findings list holds exactly the table's first page."""

from __future__ import annotations

import sqlite_utils
from textual.app import App, ComposeResult

from db.base import connect_raw
from db.findings_store import delete_finding, query_findings, save_finding
from db.list_preview import PreviewLine, newest_findings
from db.reference import pdu_names
from tests.factories import TODAY, make_finding
from tui.screens.findings_preview import FindingsPreview


def test_newest_findings_match_the_lists_first_page(seeded_db: sqlite_utils.Database) -> None:
    save_finding(seeded_db, make_finding(polarity="strength", summary="Good plan"), today=TODAY)
    gone = save_finding(seeded_db, make_finding(summary="Deleted one"), today=TODAY)
    delete_finding(seeded_db, gone.id)
    names = pdu_names(seeded_db)
    expected = [
        PreviewLine(
            r.event_date.isoformat(),
            r.source_type.value,
            names[r.pdu],
            r.polarity.value == "strength",
            r.summary,
            ", ".join(r.themes),
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
        drawn = str(preview.render()).splitlines()
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
