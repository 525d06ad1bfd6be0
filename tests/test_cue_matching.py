"""The tagger's speed-ups keep every cue match: regex rewrites, and which cues are tried where."""

from __future__ import annotations

import random
import re

import pytest

from findings.cue_openings import first_word_test, fits, in_word_test, openings
from findings.regex_speed import faster
from findings.tagger import default_tagger

TOKEN = re.compile(r"[a-z0-9']+")


@pytest.fixture(scope="module")
def patterns() -> list[str]:
    return [pattern for pattern, _, _ in default_tagger()._cues._patterns]


@pytest.fixture(scope="module")
def texts(patterns: list[str]) -> list[str]:
    """Word salad from the cues' own words, so that cues match often and fail late."""
    words = sorted({w for p in patterns for w in re.findall(r"[a-z']+", p)})
    extra = ["a", "the", "of", "was", "not", "no", "s", "1", "'", "risk", "plan"]
    separators = [" ", " ", " ", "  ", ", ", ". ", "\t", "", "; "]
    rng = random.Random(20260126)
    out = []
    for _ in range(400):
        parts = []
        for _ in range(rng.randint(1, 12)):
            parts.append(rng.choice(words) if rng.random() < 0.8 else rng.choice(extra))
            parts.append(rng.choice(separators))
        out.append("".join(parts))
    return out


def test_rewritten_cues_match_exactly_where_the_rules_do(
    patterns: list[str], texts: list[str]
) -> None:
    for pattern in patterns:
        plain = re.compile(f"(?:{pattern})(?![a-z0-9])")
        quick = re.compile(f"(?:{faster(pattern)})(?![a-z0-9])")
        for text in texts:
            for token in TOKEN.finditer(text):
                a, b = plain.match(text, token.start()), quick.match(text, token.start())
                assert (a and a.span()) == (b and b.span()), (pattern, text, token.start())


def test_next_word_choice_never_skips_a_cue_that_matches(
    patterns: list[str], texts: list[str]
) -> None:
    for pattern in patterns:
        keys = openings(pattern)
        if keys is None:
            continue
        regex = re.compile(f"(?:{pattern})(?![a-z0-9])")
        for text in texts:
            tokens = list(TOKEN.finditer(text))
            for i, token in enumerate(tokens):
                m = regex.match(text, token.start())
                if m and m.end() > token.start():
                    following = tokens[i + 1].group()[:4] if i + 1 < len(tokens) else ""
                    assert fits(keys, token.group(), following), (pattern, text)


def test_first_word_test_never_skips_a_cue_that_matches(
    patterns: list[str], texts: list[str]
) -> None:
    for pattern in patterns:
        test = first_word_test(pattern)
        if test is None:
            continue
        regex = re.compile(f"(?:{pattern})(?![a-z0-9])")
        for text in texts:
            for token in TOKEN.finditer(text):
                m = regex.match(text, token.start())
                if m and m.end() > token.start():
                    assert test(token.group() + " "), (pattern, text, token.start())


def test_a_cue_said_to_match_inside_a_word_matches_there_as_on_the_word_alone(
    patterns: list[str], texts: list[str]
) -> None:
    for pattern in patterns:
        inside = in_word_test(pattern)
        regex = re.compile(f"(?:{pattern})(?![a-z0-9])")
        for text in texts:
            for token in TOKEN.finditer(text):
                if inside(token.group()):
                    in_text = regex.match(text, token.start())
                    alone = regex.match(token.group())
                    assert (in_text and in_text.end() - token.start()) == (alone and alone.end())


@pytest.mark.parametrize(
    ("pattern", "word", "inside"),
    [
        ("insufficient(?:ly)?|inadequate", "insufficiently", True),
        (r"workloads?|case\s+loads?", "workloads", True),
        (r"workloads?|case\s+loads?", "case", False),  # "case loads" goes on to the next word
        (r"(?<!contingency )planning", "planning", False),  # looks at the words before
        (r"no(?!\s+longer)", "no", False),  # and after
    ],
)
def test_in_word_test(pattern: str, word: str, inside: bool) -> None:
    assert in_word_test(pattern)(word) is inside


@pytest.mark.parametrize(
    ("pattern", "word", "may_match"),
    [
        (r"compromis(?:e|ed)|constrain(?:ed|s)?", "completed", False),
        (r"home\s+visits?", "home", True),
        (r"home\s+visits?", "homes", False),  # a space must follow "home"
        (r"without\s+delay", "with", False),
        (r"(?:the\s+)?risks?", "risky", False),
        (r"(?<!a )few", "few", True),  # assertions are left out of the test
        (r"no(?!\s+longer)", "no", True),
        (r"[^x]+", "anything", True),
    ],
)
def test_first_word_test_rejects_words_a_cue_cannot_start_at(
    pattern: str, word: str, may_match: bool
) -> None:
    test = first_word_test(pattern)
    assert test is not None
    assert bool(test(word + " ")) is may_match


@pytest.mark.parametrize(
    ("pattern", "rewritten"),
    [
        (r"(?:the\s+)?risk", r"(?:the(?:[\s])++|)risk"),
        # a short repeat unrolled; letters followed only by a space never give any back
        (
            r"plan(?:\s+[a-z']+){0,2}\s+was",
            r"plan(?:(?:[\s])++(?:[a-z'])++(?:(?:[\s])++(?:[a-z'])++|)|)(?:[\s])++was",
        ),
        (r"(a)b?", r"(a)b?"),  # capturing groups are left alone
        (r"(?i)abc", r"(?i)abc"),  # and so are flags
    ],
)
def test_rewrites(pattern: str, rewritten: str) -> None:
    assert faster(pattern) == rewritten


def test_openings_read_the_second_word_of_short_first_words() -> None:
    keys = openings(r"not\s+(?:recorded|documented)")
    assert keys == {("w2", "not", "reco"), ("w2", "not", "docu")}
    assert fits(keys, "not", "recorded") and not fits(keys, "not", "completed")
    assert openings(r"\s+x") is None
