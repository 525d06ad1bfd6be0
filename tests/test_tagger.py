"""Tests of the theme tagger's user-visible behaviour and of its evaluation arithmetic."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import pytest

from findings.models import Theme
from findings.tagger import Tagger, TagResult, default_tagger
from findings.tagger_eval import evaluate
from findings.themes import builtin_slugs

DEV_SET = Path(__file__).parents[1].parent / "shared/data/tagging_dev.jsonl"


def tag(text: str) -> TagResult:
    return default_tagger().tag(text)


# --- reading like a practitioner -------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "slug"),
    [
        ("The practitioner accepted his account at face value.", "professional_curiosity"),
        ("His self-report about where he was living was never verified.", "professional_curiosity"),
        ("Staff were professionally optimistic about his progress.", "optimism_bias"),
        ("The plan lacked sufficient analysis of the risks he posed.", "planning"),
        ("Contingency plans were generic.", "contingency_planning"),
        ("Police checks were not requested before sentence.", "information_sharing"),
        ("No home visit was undertaken.", "home_visits"),
        ("He waited months on a waiting list for the programme.", "interventions"),
        ("Recall was delayed for three weeks.", "enforcement"),
        ("The case should have been managed at MAPPA level 2.", "mappa"),
        ("There was no consideration of the victim's safety.", "victim"),
        ("The assessment was not reviewed following his arrest.", "untimely_review"),
        ("There was no evidence of SPO oversight of the case.", "management_oversight"),
        ("The transfer of the case took four months.", "transfers"),
        ("Practitioners described unmanageable caseloads.", "workload"),
        ("Newly qualified officers had not been trained in risk assessment.", "training"),
        ("Key decisions were not recorded on the case management system.", "recording"),
        ("His learning disability was not considered.", "diversity"),
        ("The risk of serious harm was underestimated.", "risk_assessment"),
        ("Domestic abuse enquiries with the police were not completed.", "domestic_abuse"),
        ("The practitioner did not liaise with children's services.", "safeguarding_children"),
    ],
)
def test_each_theme_is_recognised_from_typical_wording(text: str, slug: str) -> None:
    result = tag(text)
    assert slug in result.slugs
    assert result.polarity == "weakness"


def test_paraphrase_without_the_theme_name() -> None:
    assert (
        "professional_curiosity"
        in tag("She took his explanation for the missed appointments at face value.").slugs
    )
    assert "workload" in tag("The team had a vacancy rate of 30 per cent.").slugs


def test_weight_on_compliance_is_optimism_bias() -> None:
    assert (
        "optimism_bias"
        in tag("Too much weight was placed on his compliance with appointments.").slugs
    )


def test_praise_gives_a_strength_and_no_weakness_theme() -> None:
    result = tag("There was good evidence of professional curiosity.")
    assert result.themes == ()
    assert result.polarity == "strength"


def test_negated_concern_is_not_a_weakness() -> None:
    result = tag("There were no concerns about the contingency plan.")
    assert result.themes == ()
    assert result.polarity == "strength"
    assert tag("Workloads were not unreasonable.").themes == ()


def test_not_accepting_an_account_at_face_value_is_praise() -> None:
    result = tag("The practitioner did not accept his account at face value.")
    assert "professional_curiosity" not in result.slugs


def test_several_themes_in_one_sentence() -> None:
    result = tag(
        "Contingency planning and enforcement were inconsistent, information sharing was "
        "limited, and management oversight insufficient."
    )
    likely = {s.slug for s in result.themes if s.confidence == "likely"}
    assert {
        "contingency_planning",
        "enforcement",
        "information_sharing",
        "management_oversight",
    } <= likely


def test_a_strength_sentence_in_a_narrative_adds_no_theme_and_makes_it_mixed() -> None:
    result = tag(
        "Home visits were thorough and well planned. "
        "However, police checks were not requested at the start of the order."
    )
    assert result.slugs == ["information_sharing"]
    assert result.polarity == "mixed"


@pytest.mark.xfail(
    strict=True,
    reason="the sentence now reads as mixed, but training, named in the conceded clause, is "
    "still suggested: marking concepts in a conceded clause lowered grouped-CV micro-F1 "
    "(0.687 -> 0.682), so it was left out (a known gap)",
)
def test_concession_then_weakness_is_mixed() -> None:
    result = tag("Although the region had invested in training, caseloads remained high.")
    assert result.polarity == "mixed"
    assert result.slugs == ["workload"]


def test_but_this_was_not_consistent_refers_back() -> None:
    result = tag("There was good multi-agency work, but this was not consistent across cases.")
    assert result.polarity == "mixed"
    assert "information_sharing" in result.slugs


@pytest.mark.xfail(
    strict=True,
    reason="the model reads 'domestic abuse' as a theme of its own where the rules knew it "
    "was only the subject of the training (a known gap of the fitted model)",
)
def test_training_on_a_subject_is_not_a_weakness_in_that_subject() -> None:
    result = tag("There were gaps in training on domestic abuse and safeguarding.")
    assert result.slugs == ["training"]


def test_evidence_quotes_the_words_that_triggered_a_theme() -> None:
    text = "Home visits were not completed in most cases."
    suggestion = tag(text).themes[0]
    assert suggestion.slug == "home_visits"
    assert 0.5 <= suggestion.score <= 1.0
    assert suggestion.evidence
    assert all(words in text for words in suggestion.evidence)
    assert any("Home visits" in words for words in suggestion.evidence)


def test_suggestions_are_built_in_slugs_strongest_first() -> None:
    result = tag(
        "Risk was underestimated and the plan was generic; home visits were not completed."
    )
    assert set(result.slugs) <= set(builtin_slugs())
    scores = [s.score for s in result.themes]
    assert scores == sorted(scores, reverse=True)


# --- users' themes -------------------------------------------------------------------------


def test_user_theme_takes_part_through_its_cues() -> None:
    interpreters = Theme(slug="interpreters", name="Interpreter access", cues=["interpreter"])
    tagger = Tagger([interpreters])
    result = tagger.tag("No interpreter was booked for the induction appointment.")
    assert "interpreters" in result.slugs
    assert any("interpreter" in e for s in result.themes for e in s.evidence)
    # a user cue in praise is not a weakness either
    assert "interpreters" not in tagger.tag("A good interpreter was booked promptly.").slugs
    # the default tagger knows nothing of it
    assert "interpreters" not in tag("No interpreter was booked.").slugs


def test_user_can_switch_off_or_merge_a_builtin_theme() -> None:
    text = "Key decisions were not recorded on nDelius."
    off = Theme(slug="recording", name="Case recording gaps", builtin=True, active=False)
    assert "recording" not in Tagger([off]).tag(text).slugs
    merged = Theme(
        slug="recording",
        name="Case recording gaps",
        builtin=True,
        merged_into="management_oversight",
    )
    assert "management_oversight" in Tagger([merged]).tag(text).slugs


# --- robustness ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   \n\t  ",
        "\x00\x01\x02\xff" * 500,
        os.urandom(4000).decode("latin-1"),
        "没有进行家访。风险评估不完整。",
        "Nid oedd digon o oruchwyliaeth reoli.",
        "-" * 50_000,
        ", and " * 20_000,
        "a " * 50_000,
        "(" * 10_000 + ")" * 10_000,
    ],
)
def test_odd_input_never_raises(text: str) -> None:
    result = tag(text)
    assert result.polarity in {"weakness", "strength", "mixed", "neutral"}
    if not any(c.isascii() and c.isalpha() for c in text):
        assert result.themes == ()


def test_non_string_input_is_coerced() -> None:
    assert tag(b"No home visit was undertaken.").slugs == ["home_visits"]  # type: ignore[arg-type]


def test_megabyte_text_is_capped_and_quick() -> None:
    text = "Home visits were not completed. " * 32_000  # about 1 MB
    start = time.perf_counter()
    result = tag(text)
    assert time.perf_counter() - start < 10  # generous: shared CI machines are slow
    assert result.slugs[0] == "home_visits"


# --- evaluation ----------------------------------------------------------------------------


class _Fixed:
    """A stand-in tagger that answers from a table."""

    def __init__(self, answers: dict[str, TagResult]) -> None:
        self.answers = answers

    def tag(self, text: str) -> TagResult:
        return self.answers[text]


def _result(polarity: str, *slugs: str) -> TagResult:
    from findings.tagger import ThemeSuggestion

    return TagResult(tuple(ThemeSuggestion(s, 1.0, ()) for s in slugs), polarity)


def test_evaluate_arithmetic_on_a_tiny_set() -> None:
    tagger = _Fixed(
        {
            "a": _result("weakness", "workload", "training"),  # tp workload, fp training
            "b": _result("weakness", "mappa"),  # tp mappa, fn recording
            "c": _result("strength"),  # correct: nothing
            "d": _result("weakness", "workload"),  # fn training, fp workload; polarity wrong
        }
    )
    records = [
        {"text": "a", "themes": ["workload"], "polarity": "weakness"},
        {"text": "b", "themes": ["mappa", "recording"], "polarity": "weakness"},
        {"text": "c", "themes": [], "polarity": "strength"},
        {"text": "d", "themes": ["training"], "polarity": "mixed"},
    ]
    report = evaluate(tagger, records)  # type: ignore[arg-type]
    assert (report.tp, report.fp, report.fn) == (2, 2, 2)
    assert report.precision == pytest.approx(0.5)
    assert report.recall == pytest.approx(0.5)
    assert report.f1 == pytest.approx(0.5)
    assert report.polarity_correct == 3 and report.polarity_total == 4
    assert report.polarity_accuracy == pytest.approx(0.75)
    by_slug = {t.slug: t for t in report.per_theme}
    assert (by_slug["workload"].tp, by_slug["workload"].fp) == (1, 1)
    assert by_slug["workload"].precision == pytest.approx(0.5)
    assert by_slug["training"].support == 1
    assert by_slug["training"].recall == 0.0
    assert by_slug["mappa"].f1 == pytest.approx(1.0)
    assert len(report.mistakes) == 3
    text = report.format()
    assert "workload" in text and "polarity accuracy: 0.750" in text


def test_evaluate_on_nothing_is_zero_not_an_error() -> None:
    report = evaluate(default_tagger(), [])
    assert report.records == 0 and report.f1 == 0.0 and report.polarity_accuracy == 0.0
    assert "records: 0" in report.format()


@pytest.mark.skipif(not DEV_SET.exists(), reason="the shared dev set is not present")
def test_dev_set_bar() -> None:
    records = [json.loads(line) for line in DEV_SET.read_text("utf-8").splitlines() if line]
    report = evaluate(default_tagger(), records)
    assert report.f1 >= 0.85, report.format()
    assert report.polarity_accuracy >= 0.85, report.format()
