"""Demo learning actions in every state, dated to match the demo findings' trends."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import sqlite_utils

from findings.actions import ActionStatus, LearningAction


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


# The demo generator makes home visits fall after mid-year while optimism bias and information
# sharing rise: the home-visits action completed 130 days ago shows its theme falling, the
# information-sharing one completed 100 days ago shows its theme still rising (checked at 300,
# 1,000 and 3,000 demo findings), and the West Berkshire one has too few findings to judge.
DEMO_ACTIONS = (
    _Demo(
        "Home visits practice standard and spot-check audit",
        "Head of Quality",
        ("home_visits",),
        created=230,
        due=-140,
        status=ActionStatus.DONE,
        completed=130,
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
