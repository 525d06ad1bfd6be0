"""Synthetic panel data for the panel, briefing and bulletin tests, with planted personal data."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import sqlite_utils

from db.bulk import bulk_insert_case_assessments
from db.findings_store import save_finding
from db.panels_store import create_panel
from findings.models import CaseAssessment, ThemeTag
from findings.panels import Panel, PanelStatus
from tests.factories import TODAY, make_finding

PREVIOUS_PANEL = date(2026, 9, 1)
PANEL = date(2026, 11, 1)
"""The panel under test covers 1 September to 31 October 2026."""

PLANTED = [
    "Aldana",
    "Okafor",
    "Quince",
    "Bartholomew",
    "Patel",
    "X123456",
    "X654321",
    "Y777777",
    "OX1 2AB",
    "12/03/1985",
]
"""Names, CRNs, a postcode and a date of birth that must never reach a document."""
LISTED_NAMES = ["Bartholomew Quince"]
"""A name with no title: found only because the user lists it."""

THEME_ROTATION = ["risk_assessment", "information_sharing", "planning"]
SOURCES = ["sfo_review", "audit", "inspection"]
PDUS = ["oxfordshire", "bucks_mk"]


def weakness(day: date, index: int = 0, **overrides: Any) -> Any:
    """A weakness finding on ``day`` with planted personal data in its words."""
    data: dict[str, Any] = {
        "event_date": day,
        "recorded_date": max(day, date(2026, 11, 2)),
        "source_ref": f"SFO-2026-{index:03d}",
        "source_type": SOURCES[index % 3],
        "pdu": PDUS[index % 2],
        "crn": "X123456",
        "summary": "Mr Aldana's account was accepted at face value",
        "narrative": (
            "Mr Aldana (CRN X123456, DOB 12/03/1985) lived at OX1 2AB with Mrs Jane Okafor. "
            "The practitioner accepted his account at face value and did not request police "
            "call-out information. Bartholomew Quince was not contacted."
        ),
        "themes": [
            ThemeTag(slug="professional_curiosity"),
            ThemeTag(slug=THEME_ROTATION[index % 3]),
        ],
    }
    data.update(overrides)
    return make_finding(**data)


def strength(day: date, **overrides: Any) -> Any:
    """A good-practice finding on ``day`` naming a member of staff."""
    data: dict[str, Any] = {
        "event_date": day,
        "recorded_date": date(2026, 11, 2),
        "polarity": "strength",
        "source_type": "audit",
        "source_ref": "Audit Y777777",
        "summary": "Police checks made before the first appointment by Ms Patel",
        "narrative": "Ms Patel requested police call-out information and verified the address "
        "with a home visit; the risk assessment drew on all available information.",
        "stage": "assessment",
        "themes": [],
        "crn": "Y777777",
    }
    data.update(overrides)
    return make_finding(**data)


def assessments(day: date, answers: list[dict[str, str]], pdu: str = "oxfordshire") -> list[Any]:
    """Case assessments on ``day`` with the given answers."""
    return [
        CaseAssessment(audit_ref="QA sample", pdu=pdu, assessed_on=day, answers=a, crn="X123456")
        for a in answers
    ]


def all_yes() -> dict[str, str]:
    return dict.fromkeys(("assessment", "planning", "implementation_delivery", "reviewing"), "yes")


def all_no() -> dict[str, str]:
    return dict.fromkeys(("assessment", "planning", "implementation_delivery", "reviewing"), "no")


def seed_panel_period(db: sqlite_utils.Database, findings: int = 12) -> Panel:
    """Two panels, findings in and before the later one's period, case assessments; the panel."""
    create_panel(db, PREVIOUS_PANEL, chair="Head of Public Protection", status=PanelStatus.HELD)
    panel = create_panel(db, PANEL, chair="Head of Public Protection")
    for i in range(findings):
        save_finding(db, weakness(date(2026, 9, 2 + i % 28), i), today=TODAY)
    for i in range(2):
        save_finding(db, weakness(date(2026, 7, 10 + i), 100 + i), today=TODAY)
    save_finding(db, strength(date(2026, 10, 5)), today=TODAY)
    bulk_insert_case_assessments(
        db,
        assessments(date(2026, 9, 15), [all_yes()] * 3 + [all_no()] * 3)
        + assessments(date(2026, 10, 1), [all_yes(), all_no(), all_no()], pdu="bucks_mk")
        + assessments(date(2026, 7, 15), [all_no()] * 6),
    )
    return panel


def document_text(path: Path) -> str:
    """Every piece of text in a .docx: body, tables, headers, footers and core properties."""
    from docx import Document
    from docx.oxml.ns import qn

    doc = Document(str(path))
    parts = [t.text or "" for t in doc.element.body.iter(qn("w:t"))]
    for section in doc.sections:
        for part in (section.header, section.footer):
            parts += [t.text or "" for t in part._element.iter(qn("w:t"))]
    props = doc.core_properties
    parts += [props.title or "", props.subject or "", props.author or "", props.keywords or ""]
    return "\n".join(parts)


def field_codes(path: Path) -> str:
    """The instruction text of every field in the body and footers (TOC, PAGE...)."""
    from docx import Document
    from docx.oxml.ns import qn

    doc = Document(str(path))
    codes = [t.text or "" for t in doc.element.body.iter(qn("w:instrText"))]
    for section in doc.sections:
        codes += [t.text or "" for t in section.footer._element.iter(qn("w:instrText"))]
    return "\n".join(codes)
