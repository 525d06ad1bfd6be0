"""Learning actions: lifecycle, refusals, escalation across panel dates and impact."""

from __future__ import annotations

import uuid
from datetime import date, timedelta

import pytest
import sqlite_utils
from pydantic import ValidationError

from db.actions_store import (
    ActionRefused,
    ActionVersionConflict,
    action_impact,
    action_updates,
    action_warnings,
    actions_digest,
    add_note,
    cancel_action,
    change_due_date,
    create_action,
    get_action,
    list_actions,
    move_action_themes,
    set_status,
)
from db.bulk import bulk_insert_findings
from db.findings_store import delete_finding
from db.history import history_for
from findings.actions import (
    ActionFilter,
    ActionStatus,
    Escalation,
    ImpactVerdict,
    UpdateKind,
    assess_impact,
    escalation,
)
from tests.factories import TODAY, make_action, make_finding

# --- lifecycle and refusals --------------------------------------------------------------------


def test_lifecycle_create_progress_note_due_change_done(fresh_db: sqlite_utils.Database) -> None:
    action = create_action(fresh_db, make_action(), actor="qa")
    assert get_action(fresh_db, action.id) == action
    action = set_status(
        fresh_db, action.id, ActionStatus.IN_PROGRESS, expected_version=1, today=TODAY, actor="qa"
    )
    assert action.status is ActionStatus.IN_PROGRESS and action.version == 2
    add_note(fresh_db, action.id, "Two of seven PDUs trained", actor="qa")
    action = change_due_date(
        fresh_db,
        action.id,
        date(2026, 10, 15),
        "Trainer off sick in August",
        expected_version=2,
        actor="qa",
    )
    assert action.due_date == date(2026, 10, 15)
    action = set_status(
        fresh_db,
        action.id,
        ActionStatus.DONE,
        expected_version=3,
        today=TODAY,
        evidence="Attendance register: 96% of POs trained",
        completed_on=date(2026, 10, 10),
        actor="qa",
    )
    assert action.status is ActionStatus.DONE and action.completed_on == date(2026, 10, 10)
    log = action_updates(fresh_db, action.id)
    assert [u.kind for u in log] == [
        UpdateKind.CREATED,
        UpdateKind.STATUS,
        UpdateKind.NOTE,
        UpdateKind.DUE_DATE,
        UpdateKind.STATUS,
    ]
    moved = log[3]
    assert (moved.old_value, moved.new_value) == ("2026-09-01", "2026-10-15")
    assert "Trainer off sick" in moved.describe()
    assert [h.action for h in history_for(fresh_db, "action", str(action.id))] == [
        "create",
        "status",
        "note",
        "due_date",
        "status",
    ]


def test_bad_input_refused_with_clear_messages(seeded_db: sqlite_utils.Database) -> None:
    with pytest.raises(ValidationError, match="due date 2026-05-01 is before"):
        make_action(due_date=date(2026, 5, 1))
    with pytest.raises(ValidationError, match="owner"):
        make_action(owner="   ")
    action = create_action(seeded_db, make_action())
    with pytest.raises(ActionRefused, match="Evidence of completion is required"):
        set_status(seeded_db, action.id, ActionStatus.DONE, expected_version=1, today=TODAY)
    with pytest.raises(ActionRefused, match="reason"):
        change_due_date(seeded_db, action.id, date(2026, 12, 1), " ", expected_version=1)
    with pytest.raises(ActionRefused, match="before the date the action was created"):
        change_due_date(seeded_db, action.id, date(2026, 1, 1), "typo", expected_version=1)
    with pytest.raises(ActionRefused, match="reason for cancelling"):
        cancel_action(seeded_db, action.id, "", expected_version=1, today=TODAY)
    with pytest.raises(ActionRefused, match="theme 'no_such_theme' does not exist"):
        create_action(seeded_db, make_action(themes=["no_such_theme"]))
    with pytest.raises(ActionRefused, match="scope 'atlantis'"):
        create_action(seeded_db, make_action(scope="atlantis"))
    finding_id = str(uuid.UUID(int=2))
    delete_finding(seeded_db, finding_id)
    with pytest.raises(ActionRefused, match="finding Audit Q1 .* was deleted"):
        create_action(seeded_db, make_action(source_kind="finding", source_ref=finding_id))
    assert get_action(seeded_db, action.id).version == 1  # type: ignore[union-attr]


def test_stale_save_refused(fresh_db: sqlite_utils.Database) -> None:
    action = create_action(fresh_db, make_action())
    set_status(fresh_db, action.id, ActionStatus.IN_PROGRESS, expected_version=1, today=TODAY)
    with pytest.raises(ActionVersionConflict, match="changed by someone else"):
        change_due_date(fresh_db, action.id, date(2026, 12, 1), "later", expected_version=1)


def test_deleted_finding_and_merged_theme_are_flagged_not_orphaned(
    seeded_db: sqlite_utils.Database,
) -> None:
    finding_id = str(uuid.UUID(int=2))
    action = create_action(
        seeded_db,
        make_action(source_kind="finding", source_ref=finding_id, themes=["information_sharing"]),
    )
    assert action_warnings(seeded_db, action) == []
    delete_finding(seeded_db, finding_id)
    assert action_warnings(seeded_db, action) == [
        "finding Audit Q1 ('Police checks not requested') was deleted"
    ]
    seeded_db.execute(
        "UPDATE themes SET active = 0, merged_into = 'domestic_abuse' "
        "WHERE slug = 'information_sharing'"
    )
    warnings = action_warnings(seeded_db, get_action(seeded_db, action.id))  # type: ignore[arg-type]
    assert any("merged into 'domestic_abuse'" in w for w in warnings)
    assert move_action_themes(seeded_db, "information_sharing", "domestic_abuse") == 1
    moved = get_action(seeded_db, action.id)
    assert moved is not None and moved.themes == ["domestic_abuse"] and moved.version == 2
    assert action_updates(seeded_db, action.id)[-1].kind is UpdateKind.THEME_MOVED


def test_list_filters(fresh_db: sqlite_utils.Database) -> None:
    create_action(fresh_db, make_action(title="A", owner="SPO Oxfordshire", scope="oxfordshire"))
    late = create_action(
        fresh_db, make_action(title="B", owner="Head of Quality", due_date=date(2026, 7, 1))
    )
    create_action(fresh_db, make_action(title="C", themes=["workload"], due_date=TODAY))

    def titles(**kw: object) -> list[str]:
        return [a.title for a in list_actions(fresh_db, ActionFilter(**kw), today=TODAY)]  # type: ignore[arg-type]

    assert titles(owner="oxford") == ["A"]
    assert titles(scope="oxfordshire") == ["A"]
    assert titles(theme="workload") == ["C"]
    assert titles(overdue_only=True) == ["B", "A"]
    set_status(fresh_db, late.id, ActionStatus.IN_PROGRESS, expected_version=1, today=TODAY)
    assert titles(statuses=(ActionStatus.IN_PROGRESS,)) == ["B"]


# --- escalation --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("due", "expected"),
    [
        (TODAY + timedelta(days=15), Escalation.NONE),
        (TODAY + timedelta(days=14), Escalation.DUE_SOON),
        (TODAY, Escalation.DUE_SOON),
        (TODAY - timedelta(days=1), Escalation.OVERDUE),
    ],
)
def test_due_soon_boundary_and_overdue(due: date, expected: Escalation) -> None:
    action = make_action(due_date=due)
    assert escalation(action, TODAY, []) is expected


def test_overdue_at_two_panels_in_a_row() -> None:
    panels = [date(2026, 7, 15), date(2026, 9, 16), date(2026, 11, 18), date(2027, 1, 20)]
    before_previous = make_action(due_date=date(2026, 9, 1))
    between = make_action(due_date=date(2026, 10, 1))
    after_latest = make_action(due_date=date(2026, 11, 20))
    assert escalation(before_previous, TODAY, panels) is Escalation.OVERDUE_TWO_PANELS
    assert escalation(between, TODAY, panels) is Escalation.OVERDUE
    assert escalation(after_latest, TODAY, panels) is Escalation.OVERDUE
    # Overdue at the September panel only: not yet two in a row until November's has met.
    assert escalation(before_previous, date(2026, 11, 1), panels) is Escalation.OVERDUE
    done = make_action(
        due_date=date(2026, 9, 1), status="done", evidence="x", completed_on=date(2026, 10, 1)
    )
    assert escalation(done, TODAY, panels) is Escalation.NONE


def test_without_panels_two_cycles_overdue_counts_as_two_panels() -> None:
    action = make_action(due_date=TODAY - timedelta(days=122))
    assert escalation(action, TODAY, []) is Escalation.OVERDUE_TWO_PANELS
    assert escalation(action, TODAY - timedelta(days=1), []) is Escalation.OVERDUE


# --- impact ------------------------------------------------------------------------------------


def test_assess_impact_verdicts() -> None:
    done = date(2026, 6, 1)
    early = assess_impact(
        completed_on=done,
        today=date(2026, 8, 1),
        before_findings=40,
        before_with_themes=8,
        after_findings=20,
        after_with_themes=1,
    )
    assert early.verdict is ImpactVerdict.TOO_EARLY and early.days_to_go == 29
    assert "too early to judge" in early.summary().lower() and "29 days to go" in early.summary()
    fell = assess_impact(
        completed_on=done,
        today=TODAY,
        before_findings=40,
        before_with_themes=8,
        after_findings=50,
        after_with_themes=2,
    )
    assert fell.verdict is ImpactVerdict.FELL
    assert fell.before_rate == 20.0 and fell.after_rate == 4.0
    assert "20.0 per 100 before (8 of 40 findings) vs 4.0 after (2 of 50)" in fell.summary()
    few = assess_impact(
        completed_on=done,
        today=TODAY,
        before_findings=9,
        before_with_themes=3,
        after_findings=50,
        after_with_themes=2,
    )
    assert few.verdict is ImpactVerdict.TOO_FEW
    assert "Too few findings to judge" in few.summary() and "3 of 9" in few.summary()


def _findings_with_theme(
    start: date, count: int, every: int, theme: str, pdu: str = "oxfordshire"
) -> list:
    return [
        make_finding(
            source_ref=f"A-{start}-{i}",
            event_date=start + timedelta(days=i % 80),
            recorded_date=start + timedelta(days=i % 80),
            pdu=pdu,
            themes=[{"slug": theme if i % every == 0 else "recording"}],
        )
        for i in range(count)
    ]


def test_action_impact_counts_findings_in_scope(fresh_db: sqlite_utils.Database) -> None:
    done_on = date(2026, 6, 1)
    bulk_insert_findings(
        fresh_db,
        _findings_with_theme(date(2026, 3, 5), 40, 2, "home_visits")  # 20 of 40 before
        + _findings_with_theme(date(2026, 6, 2), 40, 8, "home_visits")  # 5 of 40 after
        + _findings_with_theme(date(2026, 6, 2), 30, 1, "home_visits", pdu="bucks_mk"),
    )
    action = create_action(fresh_db, make_action(scope="oxfordshire", created_on=date(2026, 3, 1)))
    action = set_status(
        fresh_db,
        action.id,
        ActionStatus.DONE,
        expected_version=1,
        today=TODAY,
        evidence="Refresher delivered",
        completed_on=done_on,
    )
    impact = action_impact(fresh_db, action, today=TODAY)
    assert impact is not None and impact.verdict is ImpactVerdict.FELL
    assert (impact.before_with_themes, impact.before_findings) == (20, 40)
    assert (impact.after_with_themes, impact.after_findings) == (5, 40)
    region = action_impact(fresh_db, action.model_copy(update={"scope": "region"}), today=TODAY)
    assert region is not None and region.after_findings == 70


def test_action_impact_too_few_findings(seeded_db: sqlite_utils.Database) -> None:
    action = create_action(seeded_db, make_action(created_on=date(2026, 3, 1)))
    action = set_status(
        seeded_db,
        action.id,
        ActionStatus.DONE,
        expected_version=1,
        today=TODAY,
        evidence="Done",
        completed_on=date(2026, 5, 1),
    )
    impact = action_impact(seeded_db, action, today=TODAY)
    assert impact is not None and impact.verdict is ImpactVerdict.TOO_FEW


# --- the panel's digest ------------------------------------------------------------------------


def test_actions_digest_for_a_panel(fresh_db: sqlite_utils.Database) -> None:
    now = TODAY
    for held in (date(2026, 7, 15), date(2026, 9, 16), date(2026, 11, 18)):
        fresh_db.execute(
            "INSERT INTO panels (id, held_on, period_start, period_end, status, created_at, "
            "updated_at) VALUES (?, ?, ?, ?, 'held', '', '')",
            [str(uuid.uuid4()), held.isoformat(), held.isoformat(), held.isoformat()],
        )
    chair = create_action(fresh_db, make_action(title="Chair", due_date=date(2026, 9, 1)))
    late = create_action(fresh_db, make_action(title="Late", due_date=date(2026, 10, 1)))
    due = create_action(fresh_db, make_action(title="Due", due_date=date(2027, 1, 10)))
    later = create_action(fresh_db, make_action(title="Later", due_date=date(2027, 6, 1)))
    done = create_action(fresh_db, make_action(title="Done"))
    set_status(
        fresh_db,
        done.id,
        ActionStatus.DONE,
        expected_version=1,
        today=now,
        evidence="Register of attendance",
        completed_on=date(2026, 10, 20),
    )
    digest = actions_digest(
        fresh_db,
        period_start=date(2026, 9, 17),
        period_end=date(2026, 11, 18),
        next_panel_on=date(2027, 1, 20),
        today=now,
    )
    assert [a.title for a in digest.overdue] == ["Chair", "Late"]
    assert digest.overdue[0].escalation is Escalation.OVERDUE_TWO_PANELS
    assert digest.overdue[0].days_overdue == (now - date(2026, 9, 1)).days
    assert [a.title for a in digest.for_the_chair] == ["Chair"]
    assert [a.title for a in digest.due] == ["Due"]
    assert later.title not in [a.title for a in digest.due]
    [completed] = digest.completed
    assert completed.evidence == "Register of attendance"
    assert completed.impact_summary and "Too early to judge" in completed.impact_summary
    assert {chair.id, late.id, due.id}  # created


def test_demo_actions_cover_every_state(fresh_db: sqlite_utils.Database) -> None:
    from db.actions_store import add_demo_actions, panel_dates

    assert add_demo_actions(fresh_db, TODAY) == 10
    actions = list_actions(fresh_db, today=TODAY)
    states = {a.status for a in actions}
    assert states == set(ActionStatus)
    escalations = {escalation(a, TODAY, panel_dates(fresh_db, until=TODAY)) for a in actions}
    assert escalations == set(Escalation)
    moved = next(a for a in actions if "unallocated" in a.title)
    assert any(u.kind is UpdateKind.DUE_DATE for u in action_updates(fresh_db, moved.id))


def test_demo_actions_show_a_theme_that_fell_and_one_that_did_not(tmp_path: object) -> None:
    pytest.importorskip("findings.demo")
    from db.actions_store import add_demo_actions
    from db.connection import open_db
    from panels.demo_region import load_demo

    db = open_db(":memory:")
    load_demo(db, today=TODAY)
    add_demo_actions(db, TODAY)
    verdicts = {
        a.themes[0]: impact.verdict
        for a in list_actions(db, ActionFilter(statuses=(ActionStatus.DONE,)), today=TODAY)
        if (impact := action_impact(db, a, today=TODAY)) is not None
    }
    assert verdicts["home_visits"] is ImpactVerdict.FELL
    assert verdicts["information_sharing"] in (ImpactVerdict.ROSE, ImpactVerdict.NO_CHANGE)
    assert verdicts["recording"] is ImpactVerdict.TOO_EARLY
