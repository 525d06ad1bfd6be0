"""Agreement figures against values worked out by hand (and against scikit-learn, if installed)."""

from __future__ import annotations

import random

import pytest

from findings.agreement import (
    ThemeAgreement,
    agreement_band,
    category_kappa,
    cohen_kappa,
    compare,
    low_agreement_words,
    pooled_themes,
)
from findings.moderation import allocate, draw_sample


def test_perfect_agreement_is_kappa_one_and_f1_one() -> None:
    codings = [{"risk_assessment"}, {"planning", "risk_assessment"}, set(), {"planning"}] * 3
    agreement = compare(codings, codings)
    assert agreement.kappa == pytest.approx(1.0)
    assert agreement.micro_f1 == pytest.approx(1.0)
    table = agreement.theme("risk_assessment")
    assert table is not None
    assert (table.both, table.first_only, table.second_only, table.neither) == (6, 0, 0, 6)
    assert table.kappa == pytest.approx(1.0)


def test_agreement_no_better_than_chance_is_kappa_zero() -> None:
    # 20 findings; each coder tags 10; they share 5. Observed agreement (5 + 5) / 20 = 0.5,
    # expected 0.5 * 0.5 + 0.5 * 0.5 = 0.5, so kappa = 0.
    first = [{"victim"}] * 5 + [{"victim"}] * 5 + [set()] * 5 + [set()] * 5
    second = [{"victim"}] * 5 + [set()] * 5 + [{"victim"}] * 5 + [set()] * 5
    table = compare(first, second).theme("victim")
    assert table is not None
    assert (table.both, table.first_only, table.second_only, table.neither) == (5, 5, 5, 5)
    assert table.kappa == pytest.approx(0.0)
    assert compare(first, second).micro_f1 == pytest.approx(0.5)  # 2*5 / (2*5 + 5 + 5)


def test_a_worked_example() -> None:
    # both 4, first only 3, second only 1, neither 32 (n = 40):
    # observed 36/40 = 0.9; first says yes 7/40, second 5/40;
    # expected 0.175 * 0.125 + 0.825 * 0.875 = 0.74375; kappa = 0.15625 / 0.25625.
    assert cohen_kappa(4, 3, 1, 32) == pytest.approx(0.15625 / 0.25625)
    assert cohen_kappa(4, 3, 1, 32) == pytest.approx(0.6098, abs=1e-4)
    # Systematic disagreement is below zero: 0 both, 5 and 5 one-sided, 0 neither.
    assert cohen_kappa(0, 5, 5, 0) == pytest.approx(-1.0)


def test_too_few_to_judge_below_five_occurrences() -> None:
    four = ThemeAgreement("mappa", 2, 1, 1, 16)
    five = ThemeAgreement("mappa", 3, 1, 1, 15)
    assert four.too_few and four.kappa_text == "too few to judge" and not four.low
    assert not five.too_few and five.kappa_text == f"{five.kappa:.2f}"
    # Too rare to judge is never flagged, however badly the coders agree.
    assert ThemeAgreement("mappa", 0, 2, 2, 16).kappa is not None
    assert not ThemeAgreement("mappa", 0, 2, 2, 16).low
    assert ThemeAgreement("mappa", 1, 2, 2, 15).low


def test_undefined_kappa_when_nobody_varies() -> None:
    assert cohen_kappa(0, 0, 0, 0) is None
    assert cohen_kappa(10, 0, 0, 0) is None  # both tagged every finding: no variation
    assert compare([set(), set()], [set(), set()]).kappa is None
    assert compare([set(), set()], [set(), set()]).micro_f1 is None


def test_overall_kappa_pools_every_finding_theme_decision() -> None:
    # Theme a: both 2, first only 1, neither 1; theme b: both 1, second only 1, neither 2.
    first = [{"a", "b"}, {"a"}, {"a"}, set()]
    second = [{"a", "b"}, {"a", "b"}, set(), set()]
    agreement = compare(first, second)
    # Pooled over 8 decisions: both 3, first only 1, second only 1, neither 3.
    # observed 6/8; both coders say yes 4/8; expected 0.5; kappa (0.75 - 0.5) / 0.5 = 0.5.
    assert agreement.kappa == pytest.approx(0.5)
    assert agreement.micro_f1 == pytest.approx(6 / 8)  # 2*3 / (2*3 + 1 + 1)


def test_polarity_kappa_by_hand() -> None:
    first = ["weakness"] * 6 + ["strength"] * 4
    second = ["weakness"] * 5 + ["strength"] + ["strength"] * 3 + ["weakness"]
    # observed 8/10; expected 0.6 * 0.6 + 0.4 * 0.4 = 0.52; kappa 0.28 / 0.48.
    assert category_kappa(first, second) == pytest.approx(0.28 / 0.48)
    agreement = compare([set()] * 10, [set()] * 10, first_polarity=first, second_polarity=second)
    assert agreement.polarity_agreed == 8


def test_pooled_rounds_count_unused_themes_as_neither() -> None:
    one = compare([{"a"}] * 3 + [set()] * 2, [{"a"}] * 2 + [set()] * 3)
    two = compare([{"b"}, set()], [{"b"}, {"b"}])
    pooled = pooled_themes([one, two])
    assert (pooled["a"].both, pooled["a"].first_only, pooled["a"].neither) == (2, 1, 4)
    assert (pooled["b"].both, pooled["b"].second_only, pooled["b"].neither) == (1, 1, 5)


def test_against_scikit_learn_when_installed() -> None:
    metrics = pytest.importorskip("sklearn.metrics")
    rng = random.Random(7)
    for _ in range(50):
        n = rng.randint(5, 60)
        first = [rng.random() < 0.3 for _ in range(n)]
        second = [f if rng.random() < 0.7 else rng.random() < 0.4 for f in first]
        if len(set(first) | set(second)) < 2:
            continue
        table = compare(
            [{"t"} if f else set() for f in first], [{"t"} if s else set() for s in second]
        )
        ours = table.theme("t")
        assert ours is not None and ours.kappa is not None
        assert ours.kappa == pytest.approx(metrics.cohen_kappa_score(first, second))
        labels = [rng.choice(["weakness", "strength"]) for _ in range(n)]
        other = [x if rng.random() < 0.8 else "weakness" for x in labels]
        if len(set(labels) | set(other)) == 2:
            assert category_kappa(labels, other) == pytest.approx(
                metrics.cohen_kappa_score(labels, other)
            )
        assert compare(
            [{"t"} if f else set() for f in first], [{"t"} if s else set() for s in second]
        ).micro_f1 == pytest.approx(metrics.f1_score(first, second, zero_division=0))


def test_allocation_is_proportional_with_largest_remainders() -> None:
    assert allocate({"audit": 50, "sfo_review": 30, "complaint": 20}, 10) == {
        "audit": 5,
        "sfo_review": 3,
        "complaint": 2,
    }
    # 7 of 3 strata of 10: 2.33 each; the odd place goes to the first by name.
    assert allocate({"b": 10, "a": 10, "c": 10}, 7) == {"a": 3, "b": 2, "c": 2}
    assert allocate({"a": 3, "b": 1}, 20) == {"a": 3, "b": 1}


def test_same_seed_same_sample_different_seed_different_sample() -> None:
    strata = {"audit": [f"a{i}" for i in range(40)], "sfo_review": [f"s{i}" for i in range(20)]}
    first = draw_sample(strata, 12, seed=11)
    assert first == draw_sample(strata, 12, seed=11)
    assert first != draw_sample(strata, 12, seed=12)
    assert sum(1 for x in first if x.startswith("a")) == 8
    assert len(set(first)) == 12


@pytest.mark.parametrize(
    ("kappa", "band"),
    [(-0.1, "poor"), (0.0, "slight"), (0.17, "slight"), (0.204, "slight"), (0.206, "fair"),
     (0.40, "fair"), (0.41, "moderate"), (0.6, "moderate"), (0.61, "substantial"),
     (0.81, "almost perfect"), (1.0, "almost perfect")],
)  # fmt: skip
def test_kappa_bands_are_landis_and_kochs(kappa: float, band: str) -> None:
    assert agreement_band(kappa) == band


def test_a_low_kappa_is_called_what_it_is() -> None:
    assert low_agreement_words(0.17) == "coders' agreement on this theme is only slight"
    assert low_agreement_words(0.45) == "coders' agreement on this theme is only moderate"
    assert low_agreement_words(-0.05) == "coders agree on this theme no better than chance"
