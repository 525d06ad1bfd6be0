"""Hand-made test data shared by the test modules (synthetic only)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from findings.models import Finding, ThemeTag

if TYPE_CHECKING:
    from sqlite_utils import Database

    from findings.actions import LearningAction

TODAY = date(2026, 11, 26)


def make_finding(**overrides: object) -> Finding:
    """A valid finding with sensible defaults, overridable field by field."""
    data: dict[str, object] = {
        "source_type": "sfo_review",
        "source_ref": "SFO-2026-001",
        "pdu": "oxfordshire",
        "event_date": date(2026, 3, 1),
        "recorded_date": date(2026, 3, 20),
        "stage": "assessment",
        "polarity": "weakness",
        "summary": "Risk of serious harm was underestimated",
        "narrative": "The practitioner accepted his account at face value and did not request "
        "police call-out information.",
        "rosh": "high",
        "themes": [ThemeTag(slug="professional_curiosity", origin="confirmed")],
    }
    data.update(overrides)
    return Finding.model_validate(data)


SEED_FINDINGS = [
    make_finding(
        summary="Accepted account at face value", source_ref="SFO-2026-001", id=uuid.UUID(int=1)
    ),
    make_finding(
        summary="Police checks not requested",
        source_type="audit",
        source_ref="Audit Q1",
        id=uuid.UUID(int=2),
        pdu="bucks_mk",
        stage="implementation_delivery",
        event_date=date(2026, 5, 2),
        recorded_date=date(2026, 5, 9),
        narrative="Domestic abuse call-out checks were not requested from the police.",
        themes=[ThemeTag(slug="information_sharing"), ThemeTag(slug="domestic_abuse")],
    ),
    make_finding(
        summary="Good home visit practice",
        polarity="strength",
        source_type="inspection",
        id=uuid.UUID(int=3),
        source_ref="HMIP 2025",
        pdu="west_berkshire",
        stage="implementation_delivery",
        event_date=date(2026, 6, 10),
        recorded_date=date(2026, 6, 12),
        narrative="A prompt home visit identified new risks to a child.",
        themes=[],
    ),
]


def make_action(**overrides: object) -> LearningAction:
    """A valid learning action (a home visit refresher owned by the Head of Quality), with any
    field overridden."""
    from findings.actions import LearningAction

    data: dict[str, object] = {
        "title": "Home visit refresher for all PDUs",
        "owner": "Head of Quality",
        "themes": ["home_visits"],
        "created_on": date(2026, 6, 1),
        "due_date": date(2026, 9, 1),
    }
    data.update(overrides)
    return LearningAction.model_validate(data)


def save_region_weaknesses(db: Database, index: int, themes: Sequence[Sequence[str]]) -> None:
    """In demo region REGIONS[index]'s file, one weakness finding per entry of ``themes``
    carrying those themes: events from 3 September 2026, PDUs and sources (audit, SFO review)
    taking turns."""
    from db.findings_store import save_finding
    from findings.regions import REGIONS

    region = REGIONS[index]
    for n, slugs in enumerate(themes):
        save_finding(
            db,
            make_finding(
                id=uuid.UUID(int=index * 1000 + n + 1),
                pdu=region.pdus[n % 2].code,
                event_date=date(2026, 9, 3 + n),
                recorded_date=date(2026, 10, 10),
                source_type=("audit", "sfo_review")[n % 2],
                themes=[ThemeTag(slug=s) for s in slugs],
            ),
            today=TODAY,
        )


def merged_file(path: Path, sources: list[Path]) -> Path:
    """A new leap file at ``path`` holding the regional files ``sources``, merged in order."""
    from db.connection import open_db
    from db.merge import merge_files

    db = open_db(path)
    try:
        merge_files(db, sources)
    finally:
        db.close()
    return path
