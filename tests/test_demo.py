"""Tests of the synthetic demo-data generator."""

from __future__ import annotations

import re
from collections import Counter
from datetime import date

import pytest

from findings.demo import (
    DEMO_SEED,
    _construct,
    generate_case_assessments,
    generate_findings,
    theme_weights,
    theme_weights_at,
)
from findings.models import (
    CRN_PATTERN,
    SOUTH_CENTRAL,
    CaseAssessment,
    Finding,
    KeyAnswer,
    Polarity,
    SourceType,
    TagOrigin,
    ThemeTag,
)
from findings.themes import builtin_slugs

PDUS = [p.code for p in SOUTH_CENTRAL.pdus]
START = date(2026, 1, 1)
END = date(2026, 10, 31)
CONTEXT = {"today": END, "pdus": set(PDUS), "themes": set(builtin_slugs())}

# Loose cues a tagger would look for: every tagged theme should be expressed in the narrative.
CUES: dict[str, tuple[str, ...]] = {
    "risk_assessment": ("assess", "underestimated", "set too low"),
    "professional_curiosity": (
        "face value", "did not question", "not verified", "corroborate", "without checking",
        "professional curiosity", "nobody asked", "did not probe",
    ),
    "optimism_bias": (
        "optimistic", "too much weight", "focused on compliance", "reduced risk",
        "risk had reduced",
    ),
    "planning": ("plan",),
    "contingency_planning": ("contingenc", "no clear actions"),
    "information_sharing": ("information", "police checks", "share concerns"),
    "domestic_abuse": ("domestic abuse",),
    "safeguarding_children": ("safeguarding", "children"),
    "home_visits": ("home visit",),
    "interventions": ("referr", "waited months", "not delivered"),
    "enforcement": ("recall", "enforcement", "breach"),
    "mappa": ("mappa", "visor"),
    "victim": ("victim",),
    "untimely_review": ("review", "not updated"),
    "management_oversight": ("oversight", "spo"),
    "transfers": ("transfer", "handover", "reallocated", "moved between", "receiving pdu"),
    "workload": ("workload", "vacanc", "staff", "unallocated", "red site"),
    "training": ("trained", "training", "unprepared", "knowledge", "skills"),
    "recording": ("record",),
    "diversity": (
        "diversity", "adaptation", "individual needs", "autism", "learning disability", "adhd",
        "english", "carer", "hearing", "mental health",
    ),
}  # fmt: skip
NEGATIVE = ("was not", "were not", "did not", "no home visit", "face value", "lack of", "delayed")


def sample(count: int = 300, seed: int = DEMO_SEED) -> list[Finding]:
    return list(generate_findings(seed, count, pdus=PDUS, start=START, end=END))


@pytest.fixture(scope="module")
def findings() -> list[Finding]:
    return sample()


def test_same_seed_same_findings(findings: list[Finding]) -> None:
    again = sample()
    assert [f.model_dump() for f in again] == [f.model_dump() for f in findings]


def test_different_seed_different_findings(findings: list[Finding]) -> None:
    other = sample(seed=DEMO_SEED + 1)
    assert {f.id for f in other}.isdisjoint({f.id for f in findings})
    assert [f.narrative for f in other] != [f.narrative for f in findings]


@pytest.mark.parametrize("count", [0, 1, 2, 7, 300])
def test_exact_counts(count: int) -> None:
    assert len(sample(count)) == count
    assessments = generate_case_assessments(1, count, pdus=PDUS, start=START, end=END)
    assert len(list(assessments)) == count


def test_zero_needs_no_pdus() -> None:
    assert list(generate_findings(1, 0, pdus=[], start=START, end=END)) == []


def test_bad_arguments_are_refused() -> None:
    with pytest.raises(ValueError):
        generate_findings(1, -1, pdus=PDUS, start=START, end=END)
    with pytest.raises(ValueError):
        generate_findings(1, 5, pdus=PDUS, start=END, end=START)
    with pytest.raises(ValueError):
        generate_findings(1, 5, pdus=[], start=START, end=END)


def test_one_day_period() -> None:
    day = date(2026, 3, 3)
    found = list(generate_findings(3, 50, pdus=PDUS[:1], start=day, end=day))
    assert {(f.event_date, f.recorded_date, f.pdu) for f in found} == {(day, day, PDUS[0])}


def test_all_sources_and_pdus_present(findings: list[Finding]) -> None:
    assert {f.source_type for f in findings} == set(SourceType)
    assert {f.pdu for f in findings} == set(PDUS)


def test_proportions_are_plausible() -> None:
    many = sample(5000, seed=7)
    polarity = Counter(f.polarity for f in many)
    assert 0.62 < polarity[Polarity.WEAKNESS] / len(many) < 0.78
    per_pdu = Counter(f.pdu for f in many)
    assert max(per_pdu.values()) > 1.5 * min(per_pdu.values())  # uneven on purpose
    sources = Counter(f.source_type for f in many)
    assert sources[SourceType.DEATH_UNDER_SUPERVISION] < sources[SourceType.SFO_REVIEW]
    high = sum(f.rosh.value in ("medium", "high", "very_high") for f in many)
    assert high / len(many) > 0.75


def test_sample_validates(findings: list[Finding]) -> None:
    for finding in findings[::3]:
        validated = Finding.model_validate(finding.model_dump(), context=CONTEXT)
        assert validated.model_dump() == finding.model_dump()


def test_case_assessments_validate() -> None:
    for a in generate_case_assessments(DEMO_SEED, 200, pdus=PDUS, start=START, end=END):
        validated = CaseAssessment.model_validate(a.model_dump(), context=CONTEXT)
        assert validated.model_dump() == a.model_dump()
        assert re.fullmatch(r"RCAT-2026-Q[1-4]", a.audit_ref)
        assert START <= a.assessed_on <= END


def test_fast_construct_matches_model_construct(findings: list[Finding]) -> None:
    for finding in findings[:20]:
        values = {name: getattr(finding, name) for name in Finding.model_fields}
        reference = Finding.model_construct(**values)
        fast = _construct(Finding, dict(values))
        assert fast == reference
        assert fast.model_fields_set == reference.model_fields_set
        assert fast.model_dump_json() == reference.model_dump_json()
    tag = _construct(ThemeTag, {"slug": "planning", "origin": TagOrigin.SUGGESTED})
    assert tag == ThemeTag.model_construct(slug="planning", origin=TagOrigin.SUGGESTED)


def test_dates_in_bounds() -> None:
    for f in sample(2000, seed=11):
        assert START <= f.event_date <= f.recorded_date <= END


def test_narratives_are_varied(findings: list[Finding]) -> None:
    narratives = [f.narrative for f in findings]
    assert len(set(narratives)) >= 0.9 * len(narratives)
    summaries = Counter(f.summary for f in findings)
    assert max(summaries.values()) <= 5
    assert len(summaries) >= 0.6 * len(findings)


def test_narrative_and_summary_shape(findings: list[Finding]) -> None:
    for f in findings:
        sentences = [s for s in re.split(r"(?<=\.) ", f.narrative) if s]
        assert 2 <= len(sentences) <= 4, f.narrative
        assert "{" not in f.narrative and "{" not in f.summary
        assert "  " not in f.narrative
        assert 0 < len(f.summary) < 120 and "\n" not in f.summary
        assert f.summary[0].isupper() or f.summary[0].isdigit()


def test_weaknesses_express_their_themes(findings: list[Finding]) -> None:
    for f in findings:
        if f.polarity is not Polarity.WEAKNESS:
            continue
        assert 1 <= len(f.themes) <= 3
        assert len(set(f.theme_slugs)) == len(f.themes)
        text = f.narrative.lower()
        for slug in f.theme_slugs:
            assert any(cue in text for cue in CUES[slug]), (slug, f.narrative)


def test_tag_origins_mostly_confirmed() -> None:
    origins = Counter(t.origin for f in sample(2000, seed=5) for t in f.themes)
    total = sum(origins.values())
    assert origins[TagOrigin.CONFIRMED] / total > 0.6
    assert origins[TagOrigin.SUGGESTED] and origins[TagOrigin.MANUAL]


def test_strengths_carry_no_themes_and_read_as_good_practice(findings: list[Finding]) -> None:
    strengths = [f for f in findings if f.polarity is Polarity.STRENGTH]
    assert strengths
    for f in strengths:
        assert f.themes == []
        assert not any(neg in f.narrative.lower() for neg in NEGATIVE), f.narrative


def test_source_details(findings: list[Finding]) -> None:
    for f in findings:
        if f.source_type is SourceType.SFO_REVIEW:
            assert re.fullmatch(r"SFO-2026-\d{3,}", f.source_ref)
            assert f.details["offence_category"] in {
                "murder", "manslaughter", "rape", "attempted murder", "other listed offence",
            }  # fmt: skip
        elif f.source_type is SourceType.COMPLAINT:
            assert f.details["outcome"] in {"upheld", "partly upheld", "not upheld"}
        elif f.source_type is SourceType.AUDIT:
            assert f.details["audit_name"]
        assert all(isinstance(v, str) for v in f.details.values())


def test_crns_and_names_are_synthetic_and_few() -> None:
    many = sample(3000, seed=13)
    crns = [f.crn for f in many if f.crn is not None]
    assert crns and all(CRN_PATTERN.fullmatch(c) for c in crns)
    assert 0.05 < len(crns) / len(many) < 0.2
    named = [f for f in many if re.search(r"\b(Mr|Ms) [A-Z][a-z]+", f.narrative)]
    assert named and len(named) / len(many) < 0.12


def test_theme_trends_rise_and_fall() -> None:
    early, late = theme_weights(0.0), theme_weights(1.0)
    assert late["optimism_bias"] > 2 * early["optimism_bias"]
    assert late["information_sharing"] > early["information_sharing"]
    assert late["home_visits"] < 0.5 * theme_weights(0.4)["home_visits"]
    assert set(early) == set(builtin_slugs())
    assert theme_weights_at(START, START, END) == early
    many = sample(6000, seed=17)

    def share(slug: str, months: range) -> float:
        within = [f for f in many if f.event_date.month in months]
        return sum(slug in f.theme_slugs for f in within) / len(within)

    assert share("optimism_bias", range(8, 11)) > share("optimism_bias", range(1, 4))
    assert share("home_visits", range(8, 11)) < share("home_visits", range(1, 4))


def test_key_question_scores_start_near_baseline_and_improve() -> None:
    rows = list(generate_case_assessments(DEMO_SEED, 6000, pdus=PDUS, start=START, end=END))

    def yes_rate(question: str, months: range) -> float:
        answers = [r.answers[question] for r in rows if r.assessed_on.month in months]
        applicable = [a for a in answers if a is not KeyAnswer.NOT_APPLICABLE]
        return 100 * sum(a is KeyAnswer.YES for a in applicable) / len(applicable)

    for question, baseline in {"assessment": 34, "planning": 46, "reviewing": 42}.items():
        assert abs(yes_rate(question, range(1, 3)) - baseline) < 6
        assert yes_rate(question, range(9, 11)) > yes_rate(question, range(1, 3))
    assert any(a is KeyAnswer.NOT_APPLICABLE for r in rows for a in r.answers.values())


def test_speed_smoke() -> None:
    """Generates a sizeable batch quickly enough for the suite; no timing assertion."""
    count = sum(1 for _ in generate_findings(1, 20_000, pdus=PDUS, start=START, end=END))
    assert count == 20_000
