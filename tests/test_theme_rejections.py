"""A theme rejected for a finding stays rejected: stored with the finding, never attached again
as a suggestion, counted as a negative when the tagger is retrained, carried by merges."""

from __future__ import annotations

import uuid
from datetime import date
from pathlib import Path

import pytest
import sqlite_utils

from db.base import StoreError
from db.connection import open_db
from db.exporter import export
from db.findings_store import delete_finding, get_finding, restore_finding, save_finding
from db.history import history_for
from db.importer import import_file
from db.merge import merge_files
from db.recurrence_store import recurrence_report
from db.schema import MIGRATIONS
from db.tagger_store import training_rows
from db.themes_store import add_user_theme, merge_themes, set_theme_active
from findings import suggest
from findings.models import Finding, TagOrigin, ThemeTag
from findings.regions import REGIONS
from findings.suggest import Suggestion, ThemeChoices
from findings.tagger_fit import examples_from_records
from tests.factories import TODAY, make_finding
from tests.recording_helpers import fill, settle, wait_for_table, wait_until
from tui.app import make_app
from tui.screens.finding_detail import change_lines
from tui.screens.finding_form import FindingFormScreen
from tui.screens.findings import FindingsScreen

CURIOSITY, SHARING = "professional_curiosity", "information_sharing"
PERIOD = (date(2026, 9, 1), date(2026, 10, 31))


def rejections(db: sqlite_utils.Database) -> list[tuple[object, ...]]:
    return db.execute(
        "SELECT finding_seq, theme_slug, rejected_at, rejected_by FROM theme_rejections "
        "ORDER BY finding_seq, theme_slug"
    ).fetchall()


def sharing_count(db: sqlite_utils.Database) -> int:
    report = recurrence_report(db, *PERIOD)
    return next((t.count for t in report.themes if t.slug == SHARING), 0)


# -- the store ------------------------------------------------------------------------------


def test_saved_rejections_come_back_and_keep_who_and_when(fresh_db: sqlite_utils.Database) -> None:
    finding = make_finding(rejected_themes=[SHARING, "workload", SHARING])
    stored = save_finding(fresh_db, finding, actor="QA lead", today=TODAY)
    assert stored.rejected_themes == [SHARING, "workload"]
    [(seq, slug, at, by), _] = rejections(fresh_db)
    assert (slug, by) == (SHARING, "QA lead") and at
    reopened = get_finding(fresh_db, finding.id)
    assert reopened is not None and reopened.rejected_themes == [SHARING, "workload"]
    # Saved again by someone else: the first rejection keeps its author and time.
    save_finding(fresh_db, reopened.model_copy(update={"summary": "Edited"}), actor="Other")
    assert rejections(fresh_db)[0] == (seq, SHARING, at, "QA lead")


def test_attaching_a_rejected_theme_by_hand_clears_its_rejection(
    fresh_db: sqlite_utils.Database,
) -> None:
    finding = save_finding(fresh_db, make_finding(rejected_themes=[SHARING]), today=TODAY)
    tags = [*finding.themes, ThemeTag(slug=SHARING, origin=TagOrigin.MANUAL)]
    again = save_finding(fresh_db, finding.model_copy(update={"themes": tags}), today=TODAY)
    assert again.rejected_themes == []
    assert rejections(fresh_db) == []
    reopened = get_finding(fresh_db, finding.id)
    assert reopened is not None and SHARING in reopened.theme_slugs
    # The history says what changed, as it does for tags.
    last = history_for(fresh_db, "finding", str(finding.id))[-1]
    assert f"Rejected themes: {SHARING} → none" in change_lines(last)


def test_rejection_of_unknown_theme_refused_and_nothing_written(
    seeded_db: sqlite_utils.Database,
) -> None:
    finding = get_finding(seeded_db, uuid.UUID(int=1))
    assert finding is not None
    with pytest.raises(StoreError, match="rejected_themes: unknown theme 'no_such_theme'"):
        save_finding(seeded_db, finding.model_copy(update={"rejected_themes": ["no_such_theme"]}))
    unchanged = get_finding(seeded_db, uuid.UUID(int=1))
    assert unchanged is not None and unchanged.version == finding.version


def test_theme_switched_off_since_stays_rejected_and_the_finding_still_saves(
    fresh_db: sqlite_utils.Database,
) -> None:
    finding = save_finding(fresh_db, make_finding(rejected_themes=["workload"]), today=TODAY)
    set_theme_active(fresh_db, "workload", False)
    saved = save_finding(fresh_db, finding.model_copy(update={"summary": "Later"}), today=TODAY)
    assert saved.rejected_themes == ["workload"]


def test_rejections_survive_delete_and_restore_and_go_with_the_finding(
    fresh_db: sqlite_utils.Database,
) -> None:
    finding = save_finding(fresh_db, make_finding(rejected_themes=[SHARING]), today=TODAY)
    delete_finding(fresh_db, finding.id)
    restore_finding(fresh_db, finding.id)
    restored = get_finding(fresh_db, finding.id)
    assert restored is not None and restored.rejected_themes == [SHARING]
    with fresh_db.conn:
        fresh_db.execute("DELETE FROM findings WHERE id = ?", [str(finding.id)])
    assert rejections(fresh_db) == []


def test_theme_merge_moves_rejections_unless_the_finding_carries_the_target(
    fresh_db: sqlite_utils.Database,
) -> None:
    add_user_theme(fresh_db, "Police checks", cues=["police checks"])
    plain = save_finding(fresh_db, make_finding(rejected_themes=["police_checks"]), today=TODAY)
    tagged = save_finding(
        fresh_db,
        make_finding(
            source_ref="SFO-2026-002",
            themes=[ThemeTag(slug=SHARING, origin=TagOrigin.CONFIRMED)],
            rejected_themes=["police_checks"],
        ),
        today=TODAY,
    )
    merge_themes(fresh_db, "police_checks", SHARING)
    moved, kept = get_finding(fresh_db, plain.id), get_finding(fresh_db, tagged.id)
    assert moved is not None and moved.rejected_themes == [SHARING]
    assert moved.version == plain.version + 1  # a form opened before cannot save it back
    assert kept is not None and kept.rejected_themes == [] and SHARING in kept.theme_slugs
    assert [r[1] for r in rejections(fresh_db)] == [SHARING]


# -- the choices a form keeps --------------------------------------------------------------


def test_choices_from_a_stored_finding_never_suggest_a_rejected_theme_again() -> None:
    choices = ThemeChoices.from_tags([ThemeTag(slug=CURIOSITY, origin="confirmed")], [SHARING])
    suggestions = [Suggestion(CURIOSITY, 1.0, ()), Suggestion(SHARING, 0.9, ("police",))]
    choices.apply(suggestions, {CURIOSITY, SHARING})
    assert choices.tags == {CURIOSITY: TagOrigin.CONFIRMED}
    choices.add(SHARING)
    assert choices.tags[SHARING] is TagOrigin.MANUAL and choices.rejected == set()


# -- the form ------------------------------------------------------------------------------


def both_themes(
    text: str,
    user_themes: object = (),
    model_text: str | None = None,
    model_packed: bytes | None = None,
) -> list[Suggestion]:
    if "police" not in text:
        return []
    return [
        Suggestion(CURIOSITY, 1.0, ("face value",), "likely"),
        Suggestion(SHARING, 0.9, ("police checks",), "likely"),
    ]


async def test_rejected_theme_not_offered_when_edited_and_counts_do_not_move(
    seeded_db: sqlite_utils.Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(suggest, "suggest_themes", both_themes)
    before = sharing_count(seeded_db)
    app = make_app(tmp_path / "leap.db", today=TODAY)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for_table(app, pilot, "#findings-table", 3)
        await pilot.press("n")
        await wait_until(app, pilot, lambda: isinstance(app.screen, FindingFormScreen))
        form = app.screen
        assert isinstance(form, FindingFormScreen)
        fill(
            form,
            source_type="audit",
            audit_name="Q3 sample",
            source_ref="Audit Q3",
            pdu="oxfordshire",
            event_date="2026-09-15",
            stage="assessment",
            summary="Account taken at face value",
            narrative="His account was taken at face value and police checks were not made.",
        )
        await wait_until(app, pilot, lambda: len(form.choices.tags) == 2)
        form.confirm_theme(CURIOSITY)
        form.reject_theme(SHARING)
        assert form.is_dirty()  # a rejection is the user's work: Escape would ask
        await pilot.press("ctrl+s")
        await wait_until(app, pilot, lambda: isinstance(app.screen, FindingsScreen))
        table = await wait_for_table(app, pilot, "#findings-table", 4)
        saved_id = next(
            f.id
            for f in (get_finding(seeded_db, uuid.UUID(str(k.value))) for k in table.rows)
            if f and f.source_ref == "Audit Q3"
        )
        saved = get_finding(seeded_db, saved_id)
        assert saved is not None and saved.rejected_themes == [SHARING]
        assert sharing_count(seeded_db) == before

        table.move_cursor(row=table.get_row_index(str(saved_id)))
        await pilot.press("e")
        await wait_until(app, pilot, lambda: isinstance(app.screen, FindingFormScreen))
        edit = app.screen
        assert isinstance(edit, FindingFormScreen)
        # The tagger has spoken (its evidence is in) and the rejected theme is not offered.
        await wait_until(app, pilot, lambda: SHARING in edit.choices.evidence)
        await settle(app, pilot)
        assert edit.choices.tags == {CURIOSITY: TagOrigin.CONFIRMED}
        shown = " ".join(str(s.render()) for s in edit.query("#theme-rows .theme-text"))
        assert "?" not in shown and "information" not in shown.lower()
        await pilot.press("ctrl+s")
        await wait_until(app, pilot, lambda: isinstance(app.screen, FindingsScreen))
        await settle(app, pilot)
    again = get_finding(seeded_db, saved_id)
    assert again is not None and again.version == saved.version + 1
    assert [(t.slug, t.origin) for t in again.themes] == [(CURIOSITY, TagOrigin.CONFIRMED)]
    assert again.rejected_themes == [SHARING]
    assert sharing_count(seeded_db) == before


# -- retraining ----------------------------------------------------------------------------


def test_retraining_reads_a_stored_rejection_as_a_negative(
    seeded_db: sqlite_utils.Database,
) -> None:
    # Every suggestion rejected: no theme is left, yet a person said which do not apply.
    save_finding(
        seeded_db,
        make_finding(
            source_ref="SFO-2026-010",
            narrative="Police checks were made but nobody asked about the children.",
            themes=[],
            rejected_themes=[SHARING],
        ),
        today=TODAY,
    )
    # Only a suggestion nobody looked at: still left out, as before.
    save_finding(
        seeded_db,
        make_finding(
            source_ref="SFO-2026-011",
            narrative="A suggestion nobody looked at.",
            themes=[ThemeTag(slug="workload", origin="suggested")],
        ),
        today=TODAY,
    )
    rows = training_rows(seeded_db)
    [row] = [r for r in rows if "nobody asked" in r["text"]]
    assert row["themes"] == []
    assert not any("nobody looked" in r["text"] for r in rows)
    [example] = examples_from_records([row], "database")
    assert SHARING not in example.themes  # the fit reads it as a negative for that theme


# -- merging files and upgrading old ones --------------------------------------------------


def test_leap_merge_carries_rejections_and_takes_over_edited_ones(tmp_path: Path) -> None:
    region = REGIONS[0]
    regional, national = tmp_path / "north.db", tmp_path / "national.db"
    finding = make_finding(pdu=region.pdus[0].code, rejected_themes=[SHARING])
    db = open_db(regional, region=region)
    try:
        stored = save_finding(db, finding, today=TODAY)
    finally:
        db.close()
    target = open_db(national)
    try:
        merge_files(target, [regional])
        merged = get_finding(target, finding.id)
        assert merged is not None and merged.rejected_themes == [SHARING]
        db = open_db(regional)
        try:
            save_finding(db, stored.model_copy(update={"rejected_themes": ["workload"]}))
        finally:
            db.close()
        merge_files(target, [regional])
        taken = get_finding(target, finding.id)
        assert taken is not None and taken.rejected_themes == ["workload"]
    finally:
        target.close()


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_export_then_import_into_another_file_keeps_rejections_apart_from_themes(
    fresh_db: sqlite_utils.Database, tmp_path: Path, fmt: str
) -> None:
    finding = save_finding(
        fresh_db, make_finding(rejected_themes=[SHARING, "workload"]), today=TODAY
    )
    out = tmp_path / f"all.{fmt}"
    export(fresh_db, out, fmt=fmt, safe=False)
    other = open_db(tmp_path / "other.db")
    try:
        report = import_file(other, out, today=TODAY, actor="Importer")
        assert report.committed and report.imported == 1, report.problems
        copy = get_finding(other, finding.id)
        assert copy is not None and copy.theme_slugs == [CURIOSITY]
        assert copy.rejected_themes == [SHARING, "workload"]
        assert {r[3] for r in rejections(other)} == {"Importer"}
    finally:
        other.close()


def test_existing_file_upgrades_and_then_keeps_rejections(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    db = sqlite_utils.Database(path)
    MIGRATIONS.apply(db, stop_before="m013_theme_rejections")
    assert "theme_rejections" not in db.table_names()
    save_finding(db, make_finding(id=uuid.UUID(int=7)), today=TODAY)
    db.close()

    db = open_db(path)
    try:
        old = get_finding(db, uuid.UUID(int=7))
        assert isinstance(old, Finding) and old.rejected_themes == []
        save_finding(db, old.model_copy(update={"rejected_themes": [SHARING]}), today=TODAY)
        reopened = get_finding(db, uuid.UUID(int=7))
        assert reopened is not None and reopened.rejected_themes == [SHARING]
    finally:
        db.close()
