"""The domain models refuse bad input with messages that name the field."""

from __future__ import annotations

from datetime import date

import pytest
from pydantic import ValidationError

from findings.models import CaseAssessment, Finding, Theme, describe_errors
from findings.themes import builtin_slugs, builtin_themes
from tests.factories import TODAY, make_finding


def errors_of(**overrides: object) -> list[str]:
    with pytest.raises(ValidationError) as info:
        Finding.model_validate(
            make_finding().model_dump() | overrides,
            context={"pdus": {"oxfordshire"}, "themes": set(builtin_slugs()), "today": TODAY},
        )
    return describe_errors(info.value)


def test_twenty_builtin_themes_with_documented_slugs() -> None:
    themes = builtin_themes()
    assert len(themes) == 20
    assert {"optimism_bias", "professional_curiosity", "management_oversight"} <= {
        t.slug for t in themes
    }
    assert all(t.builtin and t.name and t.description for t in themes)


@pytest.mark.parametrize(
    ("overrides", "field", "words"),
    [
        ({"pdu": "atlantis"}, "pdu", "unknown PDU"),
        ({"crn": "12345"}, "crn", "one letter and six digits"),
        ({"summary": "   "}, "summary", "at least 1"),
        (
            {"event_date": date(2027, 1, 1), "recorded_date": date(2027, 1, 2)},
            "event_date",
            "in the future",
        ),
        ({"themes": [{"slug": "made_up_theme"}]}, "themes", "unknown theme"),
        ({"source_type": "rumour"}, "source_type", "sfo_review"),
    ],
)
def test_bad_values_name_the_field(overrides: dict[str, object], field: str, words: str) -> None:
    messages = errors_of(**overrides)
    assert any(m.startswith(field) and words in m for m in messages), messages


def test_crn_is_normalised_and_blank_means_none() -> None:
    assert make_finding(crn=" x123456 ").crn == "X123456"
    assert make_finding(crn="").crn is None


def test_control_characters_are_stripped_and_unicode_kept() -> None:
    finding = make_finding(summary="Risk\x00 missed \u202eعربي 😀", narrative="a\x07b\nc")
    assert finding.summary == "Risk missed \u202eعربي 😀"
    assert finding.narrative == "ab\nc"


def test_recorded_before_event_is_refused() -> None:
    with pytest.raises(ValidationError) as info:
        make_finding(event_date=date(2026, 3, 1), recorded_date=date(2026, 2, 1))
    assert describe_errors(info.value) == [
        "recorded_date: 2026-02-01 is before the event date (2026-03-01)"
    ]


def test_too_long_summary_says_the_limit_and_its_length() -> None:
    assert errors_of(summary="x" * 245) == ["summary: at most 200 characters (this one has 245)"]


def test_duplicate_theme_is_refused() -> None:
    with pytest.raises(ValidationError, match="attached twice"):
        make_finding(themes=[{"slug": "planning"}, {"slug": "planning"}])


def test_case_assessment_needs_all_four_answers() -> None:
    with pytest.raises(ValidationError, match="no answer for"):
        CaseAssessment(
            audit_ref="RCAT",
            pdu="oxfordshire",
            assessed_on=date(2026, 1, 1),
            answers={"assessment": "yes"},
        )


def test_theme_slug_shape() -> None:
    with pytest.raises(ValidationError, match="slug"):
        Theme(slug="Bad Slug!", name="x")
