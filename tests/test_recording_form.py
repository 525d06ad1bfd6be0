"""Recording a finding through the form: validation, suggested themes, bad input, DB errors."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
import sqlite_utils
from textual.widgets import Button, Static

from db.findings_store import FindingFilter, get_finding, query_findings
from findings import suggest
from findings.models import TagOrigin
from findings.suggest import Suggestion
from tests.factories import TODAY
from tests.recording_helpers import fill, settle, wait_for_table, wait_until
from tui.app import make_app
from tui.screens.confirm import ConfirmScreen
from tui.screens.finding_form import FindingFormScreen


def fake_suggester(
    text: str,
    user_themes: object = (),
    model_text: str | None = None,
    model_packed: bytes | None = None,
) -> list[Suggestion]:
    found = []
    if "face value" in text:
        found.append(Suggestion("professional_curiosity", 1.0, ("accepted at face value",)))
    if "police" in text:
        found.append(Suggestion("information_sharing", 0.8, ("police checks not requested",)))
    return found


def error_text(screen: FindingFormScreen, name: str) -> str:
    node = screen.query_one(f"#e-{name}", Static)
    return str(node.render()) if node.display else ""


async def open_form(app, pilot) -> FindingFormScreen:  # type: ignore[no-untyped-def]
    await wait_for_table(app, pilot, "#findings-table", 3)
    await pilot.press("n")
    await wait_until(app, pilot, lambda: isinstance(app.screen, FindingFormScreen))
    return app.screen  # type: ignore[return-value]


async def test_errors_beside_fields_then_saved_with_theme_origins(
    seeded_db: sqlite_utils.Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(suggest, "suggest_themes", fake_suggester)
    app = make_app(tmp_path / "leap.db", today=TODAY)
    async with app.run_test(size=(120, 40)) as pilot:
        form = await open_form(app, pilot)
        # Leaving a field checks it: a bad date and a future date get messages beside them.
        form.query_one("#f-event_date").focus()
        await pilot.press(*"2026-13-01", "tab")
        await pilot.pause()
        assert "date like" in error_text(form, "event_date")
        fill(form, event_date="2027-01-01")
        form.query_one("#f-event_date").focus()
        await pilot.press("tab")
        await pilot.pause()
        assert "future" in error_text(form, "event_date")
        # Save is refused while anything is wrong; every problem is shown.
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert app.screen is form
        assert error_text(form, "source_type") == "Required."
        assert error_text(form, "summary") == "Required."
        # SFO review brings its own required fields.
        fill(form, source_type="sfo_review")
        await pilot.pause()
        assert form.query_one("#row-charge").display
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert "Required for this source" in error_text(form, "charge")
        fill(
            form,
            charge="manslaughter",
            offence_category="violent",
            source_ref="SFO-2026-099 🙂",
            pdu="east_berkshire",
            event_date="2026-10-01",
            stage="assessment",
            summary="Account accepted at face value — אמון",
            narrative="She accepted his account at face value and police checks were not "
            "requested.\x07",
        )

        def first_row() -> str:
            return str(form.query_one("#theme-rows").query(Static).first().render())

        # the rows are remounted after the suggestions arrive: the placeholder goes only then
        await wait_until(
            app, pilot, lambda: len(form.choices.tags) == 2 and "None yet" not in first_row()
        )
        rows = first_row()
        assert "face value" in rows
        form.confirm_theme("professional_curiosity")
        form.reject_theme("information_sharing")
        form.query_one("#theme-add").focus()
        await pilot.press(*"worklod", "enter")  # fuzzy: a typo still finds Workload
        await pilot.pause()
        assert form.choices.tags["workload"] is TagOrigin.MANUAL
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert not isinstance(app.screen, FindingFormScreen)
    rows = query_findings(seeded_db, FindingFilter(text="SFO-2026-099 OR manslaughter"))
    assert rows == []  # operators are words, not syntax
    [row] = query_findings(seeded_db, FindingFilter(pdus=["east_berkshire"]))
    stored = get_finding(seeded_db, row.id)
    assert stored is not None
    assert stored.source_ref == "SFO-2026-099 🙂"
    assert stored.summary.endswith("אמון")
    assert "\x07" not in stored.narrative
    assert stored.details == {"offence_category": "violent", "charge": "manslaughter"}
    assert {t.slug: t.origin for t in stored.themes} == {
        "professional_curiosity": TagOrigin.CONFIRMED,
        "workload": TagOrigin.MANUAL,
    }
    assert stored.recorded_by


async def test_unconfirmed_suggestion_stored_as_suggested_and_long_text_kept(
    fresh_db: sqlite_utils.Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(suggest, "suggest_themes", fake_suggester)
    narrative = ("The police were not asked. " * 4000)[:100_000]
    app = make_app(tmp_path / "leap.db", today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("n")
        await wait_until(app, pilot, lambda: isinstance(app.screen, FindingFormScreen))
        form = app.screen
        assert isinstance(form, FindingFormScreen)
        fill(
            form,
            source_type="inspection",
            source_ref="HMIP",
            pdu="oxfordshire",
            event_date="2026-01-05",
            stage="organisational",
            summary="Police [b]not[/b] asked",
            narrative=narrative,
        )
        await wait_until(app, pilot, lambda: "information_sharing" in form.choices.tags)
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert not isinstance(app.screen, FindingFormScreen)
    [row] = query_findings(fresh_db)
    stored = get_finding(fresh_db, row.id)
    assert stored is not None and len(stored.narrative) == len(narrative.strip())
    assert stored.summary == "Police [b]not[/b] asked"
    assert [(t.slug, t.origin) for t in stored.themes] == [
        ("information_sharing", TagOrigin.SUGGESTED)
    ]


async def test_database_error_keeps_form_open_with_text(
    seeded_db: sqlite_utils.Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from db import findings_store

    def locked(*args: object, **kwargs: object) -> None:
        raise sqlite3.OperationalError("database is locked")

    monkeypatch.setattr(findings_store, "save_finding", locked)
    monkeypatch.setattr(
        suggest,
        "suggest_themes",
        lambda text, user_themes=(), model_text=None, model_packed=None: [],
    )
    app = make_app(tmp_path / "leap.db", today=TODAY)
    async with app.run_test(size=(120, 40)) as pilot:
        form = await open_form(app, pilot)
        fill(
            form,
            source_type="inspection",
            source_ref="HMIP",
            pdu="oxfordshire",
            event_date="2026-01-05",
            stage="organisational",
            summary="Typed carefully",
        )
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert app.screen is form
        assert "database is locked" in str(form.query_one("#form-banner", Static).render())
        assert form.query_one("#f-summary").value == "Typed carefully"  # type: ignore[attr-defined]
        assert not form.query_one("#form-save", Button).disabled
        # Escape asks before throwing the typed work away.
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("n")
        await pilot.pause()
        assert app.screen is form
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
        assert not isinstance(app.screen, (FindingFormScreen, ConfirmScreen))


async def test_form_messages_name_the_dates_and_the_summary_limit_in_plain_words(
    seeded_db: sqlite_utils.Database, tmp_path: Path
) -> None:
    app = make_app(tmp_path / "leap.db", today=TODAY)
    async with app.run_test(size=(120, 40)) as pilot:
        form = await open_form(app, pilot)
        fill(form, event_date="2026-03-01", recorded_date="2026-02-01", summary="x" * 245)
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        recorded = error_text(form, "recorded_date")
        assert recorded == "2026-02-01 is before the event date (2026-03-01)."
        assert error_text(form, "summary") == "At most 200 characters (this one has 245)."


async def test_messages_and_the_banner_follow_the_fixes(
    seeded_db: sqlite_utils.Database, tmp_path: Path
) -> None:
    app = make_app(tmp_path / "leap.db", today=TODAY)
    async with app.run_test(size=(120, 40)) as pilot:
        form = await open_form(app, pilot)

        def banner() -> str:
            return str(form.query_one("#form-banner", Static).render())

        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert banner() == "Not saved: 6 field(s) need attention."
        # SFO review is one fix, and brings two required fields of its own.
        fill(form, source_type="sfo_review")
        await pilot.pause()
        assert banner() == "Not saved: 7 field(s) need attention."
        assert error_text(form, "charge") == "Required for this source."
        # Typing a summary clears its message at once, without leaving the field.
        form.query_one("#f-summary").focus()
        await pilot.press(*"Checks")
        await pilot.pause()
        assert error_text(form, "summary") == ""
        assert banner() == "Not saved: 6 field(s) need attention."
        # A field not yet wrong gets no message while it is typed in.
        form.query_one("#f-summary").value = ""
        await pilot.pause()
        assert error_text(form, "summary") == ""
        assert banner() == "Not saved: 7 field(s) need attention."
        fill(
            form,
            summary="Checks not done",
            charge="manslaughter",
            offence_category="violent",
            source_ref="SFO-1",
            pdu="east_berkshire",
            event_date="2026-10-01",
            stage="assessment",
        )
        await pilot.pause()
        assert banner() == "Nothing needs attention now: Ctrl+S saves."
