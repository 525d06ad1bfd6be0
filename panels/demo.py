"""Demo panels: a year of bimonthly LEAPs with chairs, attendees and decisions, and the next one."""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING

from findings.panel_cycle import add_months
from findings.panels import PanelItem, PanelItemKind, PanelStatus

if TYPE_CHECKING:
    import sqlite_utils

HELD_PANELS = 6
CHAIRS = [
    "Head of Public Protection",
    "Regional Probation Director",
    "Head of Operations",
]
ATTENDEES = [
    "Head of Public Protection",
    "Head of Quality and Performance",
    "Quality Development Officer",
    "SFO Lead",
    "Head of PDU (Oxfordshire)",
    "Head of PDU (Portsmouth and the Isle of Wight)",
    "Senior Probation Officer representative",
    "Learning and Development Lead",
]
DECISIONS = [
    "Agreed a regional practice guide on checking self-reported information with police and "
    "children's services, to be briefed at every PDU team meeting.",
    "Domestic abuse call-out checks to be audited in two PDUs before the next panel.",
    "Asked the SFO lead to bring a milestone map of the two most recent SFO reviews.",
    "Contingency planning to be added to the management oversight checklist for SPOs.",
    "Agreed to sample twenty transfers between PDUs for continuity of risk information.",
    "Home visit expectations for high RoSH cases to be restated by Heads of PDU.",
    "Recall timeliness to be reported to the next panel with the reasons for delay.",
    "Learning from the recent inspection to be shared as a practitioner bulletin.",
    "MAPPA level reviews to be added to the quality development officer's audit.",
    "Newly qualified officers to be offered a refresher on risk of serious harm assessment.",
    "Recording standards for supervision notes to be re-issued with examples.",
    "The panel noted the improvement in reviewing scores and asked for it to be sustained.",
]
MINUTES = (
    "The panel reviewed the briefing: findings in scope, recurring themes and the key-question "
    "scorecard. Overdue learning actions were discussed with their owners. Good practice was "
    "noted for sharing in the next bulletin."
)


def demo_panel_dates(today: date) -> tuple[list[date], date]:
    """Six bimonthly held panel dates ending a few weeks before ``today``, and the next one."""
    upcoming = today + timedelta(days=24)
    held = [add_months(upcoming, -2 * k) for k in range(HELD_PANELS, 0, -1)]
    return held, upcoming


def add_demo_panels(db: sqlite_utils.Database, today: date) -> int:
    """Write the demo panels (skipped if the database already has panels); returns how many."""
    from db import panels_store as store

    if db.execute("SELECT 1 FROM panels LIMIT 1").fetchone():
        return 0
    held, upcoming = demo_panel_dates(today)
    written = 0
    for index, held_on in enumerate(held):
        panel = store.create_panel(
            db,
            held_on,
            chair=CHAIRS[index % len(CHAIRS)],
            status=PanelStatus.HELD,
            attendees=[a for i, a in enumerate(ATTENDEES) if (i + index) % 4 != 3],
            minutes=MINUTES,
            actor="demo",
        )
        for offset in range(2):
            text = DECISIONS[(2 * index + offset) % len(DECISIONS)]
            store.add_decision(db, panel.id, text, actor="demo")
        written += 1
    planned = store.create_panel(db, upcoming, chair=CHAIRS[0], actor="demo")
    top = sorted(
        store.theme_tallies(db, planned.period_start, planned.period_end).items(),
        key=lambda kv: -kv[1][0],
    )[:2]
    for slug, _ in top:
        store.set_item_marked(
            db, planned.id, PanelItem(kind=PanelItemKind.THEME, ref=slug), True, actor="demo"
        )
    return written + 1
