"""Demo learning actions in every state, dated to match the demo findings' trends."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import sqlite_utils

from findings.actions import (
    IMPACT_WINDOW_DAYS,
    ActionStatus,
    ImpactVerdict,
    LearningAction,
    assess_impact,
    impact_windows,
)


@dataclass(frozen=True)
class _Demo:
    title: str
    owner: str
    themes: tuple[str, ...]
    created: int  # days before today
    due: int  # days from today (negative: in the past)
    status: ActionStatus = ActionStatus.OPEN
    completed: int | None = None  # days before today
    evidence: str = ""
    scope: str = "region"
    note: str = ""
    description: str = ""
    first_due: int | None = None  # the due date before it was moved (days from today)
    shows: frozenset[ImpactVerdict] = frozenset()  # impact to illustrate, if the data allow


# The demo generator makes home visits fall after mid-year while optimism bias and information
# sharing rise. The home-visits action should show its theme falling and the information-sharing
# one its theme not falling; since the synthetic findings are lumpy at small sizes, their
# completion dates are moved (within 95-260 days ago) to the nearest date where the data show it.
DEMO_ACTIONS = (
    _Demo(
        "Home visits practice standard and spot-check audit",
        "Head of Quality",
        ("home_visits",),
        created=230,
        due=-140,
        status=ActionStatus.DONE,
        completed=130,
        shows=frozenset({ImpactVerdict.FELL}),
        evidence="Practice standard issued to all PDUs; spot-check audit of 70 cases showed "
        "home visits recorded in 61 (QA report on the shared drive).",
        description="Issue a home-visit practice standard and audit compliance across PDUs.",
    ),
    _Demo(
        "Checklist for police checks at allocation",
        "Head of Public Protection",
        ("information_sharing",),
        created=200,
        due=-110,
        status=ActionStatus.DONE,
        completed=100,
        shows=frozenset({ImpactVerdict.ROSE, ImpactVerdict.NO_CHANGE}),
        evidence="Checklist added to the allocation form in all PDUs (form v3, issued by e-mail).",
    ),
    _Demo(
        "Victim contact audit",
        "SPO, West Berkshire",
        ("victim",),
        created=210,
        due=-120,
        status=ActionStatus.DONE,
        completed=120,
        scope="west_berkshire",
        evidence="Audit of 20 cases with victim liaison; findings shared at team meeting.",
    ),
    _Demo(
        "Case recording quick guide for new PQiPs",
        "Learning and Development lead",
        ("recording", "training"),
        created=70,
        due=-10,
        status=ActionStatus.DONE,
        completed=20,
        evidence="Quick guide published on the intranet and used at induction.",
    ),
    _Demo(
        "Police information-sharing protocol refresh",
        "Head of Public Protection",
        ("information_sharing", "domestic_abuse"),
        created=45,
        due=30,
        status=ActionStatus.IN_PROGRESS,
        note="Draft protocol shared with Thames Valley and Hampshire police.",
    ),
    _Demo(
        "Contingency planning guidance for SPOs",
        "Head of Quality",
        ("contingency_planning",),
        created=20,
        due=40,
    ),
    _Demo(
        "Domestic abuse call-out checks reminder",
        "SPO, Buckinghamshire and Milton Keynes",
        ("domestic_abuse",),
        created=30,
        due=7,
        scope="bucks_mk",
    ),
    _Demo(
        "MAPPA level-setting workshop",
        "MAPPA coordinator",
        ("mappa",),
        created=90,
        due=-20,
        status=ActionStatus.IN_PROGRESS,
        note="Venue booked; date not yet agreed with police colleagues.",
    ),
    _Demo(
        "Review of unallocated cases and caseload weighting",
        "Deputy Director",
        ("workload", "management_oversight"),
        created=200,
        due=-130,
        first_due=-160,
    ),
    _Demo(
        "Transfer checklist pilot",
        "SPO, Portsmouth and the Isle of Wight",
        ("transfers",),
        created=160,
        due=-60,
        status=ActionStatus.CANCELLED,
        scope="portsmouth_iow",
        note="Superseded by the national transfer policy.",
    ),
)


def write_demo_actions(db: sqlite_utils.Database, today: date) -> int:
    """Create the demo actions through the store (so logs and history are real)."""
    from db.actions_store import add_note, change_due_date, create_action, set_status

    known_pdus = {r[0] for r in db.execute("SELECT code FROM pdus").fetchall()}
    written = 0
    for demo in DEMO_ACTIONS:
        if demo.shows:
            demo = _completed_to_show(db, demo, today)
        created = today - timedelta(days=demo.created)
        due = today + timedelta(days=demo.due)
        first_due = today + timedelta(days=demo.first_due) if demo.first_due else due
        action = create_action(
            db,
            LearningAction(
                title=demo.title,
                owner=demo.owner,
                description=demo.description,
                scope=demo.scope if demo.scope in known_pdus else "region",
                themes=list(demo.themes),
                source_kind="theme",
                source_ref=demo.themes[0],
                created_on=created,
                due_date=first_due,
            ),
            actor="demo",
        )
        version = action.version
        if first_due != due:
            version = change_due_date(
                db,
                action.id,
                due,
                "Waiting for the workforce data from HR.",
                expected_version=version,
                actor="demo",
            ).version
        if demo.status is ActionStatus.IN_PROGRESS:
            set_status(
                db, action.id, demo.status, expected_version=version, today=today, actor="demo"
            )
            if demo.note:
                add_note(db, action.id, demo.note, actor="demo")
        elif demo.status is ActionStatus.DONE:
            assert demo.completed is not None
            set_status(
                db,
                action.id,
                demo.status,
                expected_version=version,
                today=today,
                evidence=demo.evidence,
                completed_on=today - timedelta(days=demo.completed),
                actor="demo",
            )
        elif demo.status is ActionStatus.CANCELLED:
            set_status(
                db,
                action.id,
                demo.status,
                expected_version=version,
                today=today,
                note=demo.note,
                actor="demo",
            )
        written += 1
    return written


def _completed_to_show(db: sqlite_utils.Database, demo: _Demo, today: date) -> _Demo:
    """The demo action moved to the nearest completion date whose impact shows ``demo.shows``."""
    from dataclasses import replace

    from db.actions_impact import count_theme_findings

    assert demo.completed is not None
    candidates = sorted(range(95, 261, 5), key=lambda days: abs(days - (demo.completed or 0)))
    for days in candidates:
        completed = today - timedelta(days=days)
        before_start, before_end, after_start, after_end = impact_windows(
            completed, IMPACT_WINDOW_DAYS
        )
        before = count_theme_findings(db, demo.themes, demo.scope, before_start, before_end)
        after = count_theme_findings(db, demo.themes, demo.scope, after_start, after_end)
        verdict = assess_impact(
            completed_on=completed,
            today=today,
            before_findings=before[0],
            before_with_themes=before[1],
            after_findings=after[0],
            after_with_themes=after[1],
        ).verdict
        if verdict in demo.shows:
            shift = days - demo.completed
            return replace(demo, completed=days, created=demo.created + shift, due=demo.due - shift)
    return demo
