"""Case assessment results: saving with attached findings, listing and key-question scores."""

from __future__ import annotations

import uuid
from datetime import date

import pytest
import sqlite_utils
from pydantic import ValidationError

from db.assessments_store import (
    get_case_assessment,
    key_question_scores,
    list_case_assessments,
    save_case_assessment,
)
from db.connection import StoreError
from db.history import history_for
from findings.models import CaseAssessment
from tests.factories import TODAY


def make_assessment(**overrides: object) -> CaseAssessment:
    data: dict[str, object] = {
        "audit_ref": "RCA 2026 Q3",
        "pdu": "oxfordshire",
        "assessed_on": date(2026, 9, 1),
        "rosh": "high",
        "answers": {
            "assessment": "yes",
            "planning": "no",
            "implementation_delivery": "n/a",
            "reviewing": "yes",
        },
    }
    data.update(overrides)
    return CaseAssessment.model_validate(data)


def test_saved_with_findings_and_listed(seeded_db: sqlite_utils.Database) -> None:
    saved = save_case_assessment(
        seeded_db, make_assessment(finding_ids=[uuid.UUID(int=1)]), today=TODAY
    )
    loaded = get_case_assessment(seeded_db, saved.id)
    assert loaded == saved
    assert list_case_assessments(seeded_db, date(2026, 1, 1), TODAY) == [saved]
    assert history_for(seeded_db, "case_assessment", str(saved.id))[0].action == "create"


def test_unknown_finding_or_pdu_refused(fresh_db: sqlite_utils.Database) -> None:
    with pytest.raises(StoreError):
        save_case_assessment(fresh_db, make_assessment(finding_ids=[uuid.uuid4()]), today=TODAY)
    with pytest.raises(ValidationError, match="unknown PDU"):
        save_case_assessment(fresh_db, make_assessment(pdu="atlantis"), today=TODAY)
    assert list_case_assessments(fresh_db) == []


def test_key_question_scores_count_each_answer(fresh_db: sqlite_utils.Database) -> None:
    save_case_assessment(fresh_db, make_assessment(), today=TODAY)
    save_case_assessment(
        fresh_db,
        make_assessment(
            answers={
                "assessment": "no",
                "planning": "no",
                "implementation_delivery": "yes",
                "reviewing": "yes",
            }
        ),
        today=TODAY,
    )
    save_case_assessment(
        fresh_db, make_assessment(pdu="bucks_mk", assessed_on=date(2025, 1, 1)), today=TODAY
    )
    scores = key_question_scores(fresh_db, date(2026, 1, 1), TODAY)
    assert (scores["assessment"].yes, scores["assessment"].no) == (1, 1)
    assert scores["assessment"].percent_yes == 50
    assert scores["implementation_delivery"].not_applicable == 1
    assert scores["reviewing"].percent_yes == 100
    by_pdu = key_question_scores(fresh_db, date(2020, 1, 1), TODAY, pdu="bucks_mk")
    assert by_pdu["planning"].no == 1
    empty = key_question_scores(fresh_db, date(2010, 1, 1), date(2010, 2, 1))
    assert empty["planning"].percent_yes is None
