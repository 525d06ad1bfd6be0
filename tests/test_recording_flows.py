"""Pilot flows on the findings list: edit conflict, delete and restore, filters, saved views,
awkward searches and case assessments; each asserts on what was stored."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest
import sqlite_utils
from textual.widgets import Input, Select, SelectionList, Static

from db.assessments_store import list_case_assessments
from db.findings_store import get_finding, save_finding
from db.views_store import get_view
from findings import suggest
from findings.filters import FindingFilter
from tests.factories import TODAY
from tests.recording_helpers import fill, settle, wait_for_table, wait_until
from tui.app import make_app
from tui.screens.assessment_form import AssessmentFormScreen
from tui.screens.confirm import ConfirmScreen
from tui.screens.deleted import DeletedScreen
from tui.screens.filters import FiltersScreen, SaveViewScreen
from tui.screens.finding_form import FindingFormScreen
from tui.screens.findings import FindingsScreen


@pytest.fixture(autouse=True)
def no_tagger(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(
        suggest,
        "suggest_themes",
        lambda text, user_themes=(), model_text=None, model_packed=None: [],
    )


def status(app: object) -> str:
    return str(app.screen.query_one("#findings-status", Static).render())  # type: ignore[attr-defined]


async def test_edit_conflict_refused_and_text_kept(
    seeded_db: sqlite_utils.Database, tmp_path: Path
) -> None:
    app = make_app(tmp_path / "leap.db", today=TODAY)
    async with app.run_test(size=(120, 40)) as pilot:
        table = await wait_for_table(app, pilot, "#findings-table", 3)
        table.move_cursor(row=table.get_row_index(str(uuid.UUID(int=1))))
        await pilot.press("e")
        await wait_until(app, pilot, lambda: isinstance(app.screen, FindingFormScreen))
        form = app.screen
        assert form.query_one("#f-summary", Input).value == "Accepted account at face value"
        # Someone else (another process) saves the same finding meanwhile.
        other = get_finding(seeded_db, uuid.UUID(int=1))
        assert other is not None
        save_finding(seeded_db, other.model_copy(update={"summary": "Theirs"}), today=TODAY)
        fill(form, summary="Mine")
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert app.screen is form
        banner = str(form.query_one("#form-banner", Static).render())
        assert "changed by someone else" in banner
        assert form.query_one("#f-summary", Input).value == "Mine"
    stored = get_finding(seeded_db, uuid.UUID(int=1))
    assert stored and stored.summary == "Theirs" and stored.version == 2


async def test_edit_saves_new_version(seeded_db: sqlite_utils.Database, tmp_path: Path) -> None:
    app = make_app(tmp_path / "leap.db", today=TODAY)
    async with app.run_test(size=(120, 40)) as pilot:
        table = await wait_for_table(app, pilot, "#findings-table", 3)
        table.move_cursor(row=table.get_row_index(str(uuid.UUID(int=2))))
        await pilot.press("e")
        await wait_until(app, pilot, lambda: isinstance(app.screen, FindingFormScreen))
        fill(app.screen, summary="Police checks never requested", audit_name="Q1 sample")
        await pilot.press("ctrl+s")
        await wait_until(app, pilot, lambda: isinstance(app.screen, FindingsScreen))
    stored = get_finding(seeded_db, uuid.UUID(int=2))
    assert stored and stored.summary == "Police checks never requested" and stored.version == 2
    assert stored.details == {"audit_name": "Q1 sample"}


async def test_delete_asks_then_restore_brings_back(
    seeded_db: sqlite_utils.Database, tmp_path: Path
) -> None:
    app = make_app(tmp_path / "leap.db", today=TODAY)
    async with app.run_test(size=(120, 40)) as pilot:
        table = await wait_for_table(app, pilot, "#findings-table", 3)
        target = str(table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value)
        await pilot.press("d")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("n")  # changed my mind
        await settle(app, pilot)
        assert get_finding(seeded_db, target).deleted_at is None  # type: ignore[union-attr]
        await pilot.press("d")
        await pilot.pause()
        await pilot.press("y")
        await wait_for_table(app, pilot, "#findings-table", 2)
        assert get_finding(seeded_db, target).deleted_at is not None  # type: ignore[union-attr]
        await pilot.press("u")
        await wait_until(app, pilot, lambda: isinstance(app.screen, DeletedScreen))
        await wait_for_table(app, pilot, "#deleted-table", 1)
        await pilot.press("r")
        await wait_for_table(app, pilot, "#deleted-table", 0)
        await pilot.press("escape")
        await wait_for_table(app, pilot, "#findings-table", 3)
    assert get_finding(seeded_db, target).deleted_at is None  # type: ignore[union-attr]


@pytest.mark.parametrize(
    "query",
    ['"unclosed', "police AND OR NOT", "(((", "face*", "col:on -x ^", "\x00\x1b[31m", "🙂 ‏שלום"],
)
async def test_awkward_searches_never_fail(
    seeded_db: sqlite_utils.Database, tmp_path: Path, query: str
) -> None:
    app = make_app(tmp_path / "leap.db", today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_table(app, pilot, "#findings-table", 3)
        search = app.screen.query_one("#search", Input)
        search.value = query
        await search.action_submit()
        await settle(app, pilot)
        text = status(app)
        assert "Could not load" not in text
        assert "of" in text or "No findings match" in text


async def test_filter_then_save_view_and_recall_from_palette(
    seeded_db: sqlite_utils.Database, tmp_path: Path
) -> None:
    app = make_app(tmp_path / "leap.db", today=TODAY)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for_table(app, pilot, "#findings-table", 3)
        await pilot.press("f")
        await wait_until(app, pilot, lambda: isinstance(app.screen, FiltersScreen))
        filters = app.screen
        filters.query_one("#flt-pdu", SelectionList).select("bucks_mk")
        filters.query_one("#flt-pdu", SelectionList).select("oxfordshire")
        filters.query_one("#flt-theme", SelectionList).select("domestic_abuse")
        filters.query_one("#flt-from", Input).value = "2026-01-01"
        filters.query_one("#flt-polarity", Select).value = "weakness"
        await pilot.press("ctrl+s")
        table = await wait_for_table(app, pilot, "#findings-table", 1)
        assert "Police checks" in str(table.get_row_at(0)[3])
        assert "of 1" in status(app)
        # PDUs and themes by name, as the table shows them, not by code.
        assert "PDU Buckinghamshire and Milton Keynes, Oxfordshire; theme Domestic abuse" in (
            status(app)
        )
        await pilot.press("s")
        await wait_until(app, pilot, lambda: isinstance(app.screen, SaveViewScreen))
        await pilot.press(*"DA in Bucks", "enter")
        await wait_until(app, pilot, lambda: "DA in Bucks" in app.saved_view_names)
        # Back to everything, then recall the view through the palette's command.
        app.screen.apply_filter(FindingFilter())  # type: ignore[attr-defined]
        await wait_for_table(app, pilot, "#findings-table", 3)
        commands = {c.title: c for c in app.get_system_commands(app.screen)}
        await commands["View: DA in Bucks"].callback()
        await wait_for_table(app, pilot, "#findings-table", 1)
    view = get_view(seeded_db, "DA in Bucks")
    assert view.filter.themes == ["domestic_abuse"]
    assert sorted(view.filter.pdus) == ["bucks_mk", "oxfordshire"]


async def test_bad_filter_date_refused_in_form(
    seeded_db: sqlite_utils.Database, tmp_path: Path
) -> None:
    app = make_app(tmp_path / "leap.db", today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_table(app, pilot, "#findings-table", 3)
        await pilot.press("f")
        await wait_until(app, pilot, lambda: isinstance(app.screen, FiltersScreen))
        app.screen.query_one("#flt-from", Input).value = "2026-09-01"
        app.screen.query_one("#flt-to", Input).value = "2026-01-01"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, FiltersScreen)
        error = app.screen.query_one("#filters-error", Static)
        assert "From (2026-09-01) is after To (2026-01-01)." in str(error.render())
        app.screen.query_one("#flt-from", Input).value = "2026-13-01"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, FiltersScreen)
        assert "From: '2026-13-01' is not a date like 2026-03-01." in str(error.render())


async def test_case_assessment_entered_with_finding(
    seeded_db: sqlite_utils.Database, tmp_path: Path
) -> None:
    app = make_app(tmp_path / "leap.db", today=TODAY)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for_table(app, pilot, "#findings-table", 3)
        await pilot.press("c")
        await wait_until(app, pilot, lambda: isinstance(app.screen, AssessmentFormScreen))
        form = app.screen
        form.query_one("#a-audit_ref", Input).value = "RCA Q3"
        form.query_one("#a-pdu", Select).value = "oxfordshire"
        form.query_one("#a-q_assessment", Select).value = "yes"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is form  # three questions unanswered
        assert form.query_one("#ae-q_planning").display
        form.query_one("#a-q_planning", Select).value = "no"
        form.query_one("#a-q_implementation_delivery", Select).value = "n/a"
        form.query_one("#a-q_reviewing", Select).value = "yes"
        form.query_one("#a-findings", SelectionList).select(str(uuid.UUID(int=1)))
        await pilot.press("ctrl+s")
        await wait_until(app, pilot, lambda: isinstance(app.screen, FindingsScreen))
    [saved] = list_case_assessments(seeded_db)
    assert saved.audit_ref == "RCA Q3" and saved.assessed_on == TODAY
    assert saved.answers["planning"] == "no" and saved.answers["implementation_delivery"] == "n/a"
    assert saved.finding_ids == [uuid.UUID(int=1)]
