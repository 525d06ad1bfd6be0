"""Hostile input through the models and the store: stored data or a clear error, never a crash."""

from __future__ import annotations

from datetime import date
from typing import Any

import sqlite_utils
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from db.findings_store import get_finding, save_finding
from db.reference import validation_context
from findings.models import Finding, describe_errors
from tests.factories import TODAY

HOSTILE_TEXT = st.one_of(
    st.text(max_size=300),
    st.text(alphabet=st.characters(max_codepoint=0x1F), max_size=50),  # control characters
    st.sampled_from(
        [
            "'; DROP TABLE findings; --",
            'x" OR 1=1 --',
            "NEAR(a b) AND NOT c*",
            "\x00\x1b[31mred\x1b[0m",
            '=HYPERLINK("http://x")',
            "\u202eevil",
            "a" * 250,
            "Zoë\u0301 ﬁ",
        ]
    ),
    st.just("x" * 300_000),  # bigger than any field allows
)
ANY_VALUE = st.one_of(
    HOSTILE_TEXT,
    st.none(),
    st.integers(),
    st.floats(allow_nan=True),
    st.booleans(),
    st.dates(min_value=date(1, 1, 1)),
    st.lists(st.integers(), max_size=3),
    st.dictionaries(st.text(max_size=5), st.text(max_size=5), max_size=3),
)
FIELDS = ["source_type", "source_ref", "pdu", "event_date", "recorded_date", "stage",
          "polarity", "summary", "narrative", "rosh", "crn", "themes", "details",
          "recorded_by", "version", "id"]  # fmt: skip
VALID: dict[str, Any] = {
    "source_type": "audit",
    "source_ref": "A-1",
    "pdu": "oxfordshire",
    "event_date": date(2026, 1, 1),
    "recorded_date": date(2026, 1, 2),
    "stage": "planning",
    "polarity": "weakness",
    "summary": "s",
}


@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(st.dictionaries(st.sampled_from(FIELDS), ANY_VALUE, max_size=6))
def test_hostile_fields_are_stored_or_refused_clearly(
    fresh_db: sqlite_utils.Database, overrides: dict[str, Any]
) -> None:
    db = fresh_db  # shared by the examples: each stores a new finding or none
    context = validation_context(db, today=TODAY)
    try:
        finding = Finding.model_validate({**VALID, **overrides}, context=context)
    except ValidationError as exc:
        messages = describe_errors(exc)
        assert messages and all(isinstance(m, str) and m for m in messages)
        return
    stored = save_finding(db, finding, today=TODAY)
    again = get_finding(db, stored.id)
    assert again is not None
    assert again.summary == finding.summary and again.narrative == finding.narrative
    assert again.details == finding.details


@settings(
    max_examples=100,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    summary=HOSTILE_TEXT,
    narrative=HOSTILE_TEXT,
    details=st.dictionaries(HOSTILE_TEXT, HOSTILE_TEXT, max_size=2),
)
def test_hostile_text_round_trips_through_the_store(
    fresh_db: sqlite_utils.Database, summary: str, narrative: str, details: dict[str, str]
) -> None:
    data = {**VALID, "summary": summary, "narrative": narrative, "details": details}
    try:
        finding = Finding.model_validate(data, context=validation_context(fresh_db, today=TODAY))
    except ValidationError as exc:
        assert describe_errors(exc)
        return
    save_finding(fresh_db, finding, today=TODAY)
    again = get_finding(fresh_db, finding.id)
    assert again is not None and again.model_dump() == {
        **finding.model_dump(),
        "updated_at": again.updated_at,
    }
