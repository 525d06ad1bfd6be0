"""The tagger's cue index keeps every cue match while trying each cue only where it may begin."""

from __future__ import annotations

import json
import random
import re
import zlib
from pathlib import Path

import pytest

from findings import tagger_cue_table
from findings.cue_index import CueIndex, cue_regex
from findings.cue_openings import fits, openings
from findings.regex_programs import ENGINE, compiled, program
from findings.tagger import default_tagger
from findings.tagger_cue_table import (
    PROGRAMS,
    SHIPPED,
    fresh_programs,
    fresh_table,
    shipped_openings,
    shipped_programs,
)

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


def test_the_index_finds_what_trying_every_cue_at_every_word_finds(texts: list[str]) -> None:
    cues = default_tagger()._cues
    guarded = [
        (re.compile(f"(?:{pattern})(?![a-z0-9])"), category, weight)
        for pattern, category, weight in cues._patterns
    ]
    for text in texts:
        expected: dict[object, list[tuple[int, int, float]]] = {}
        for token in TOKEN.finditer(text):
            pos, best = token.start(), {}
            for regex, category, weight in guarded:
                m = regex.match(text, pos)
                if m and m.end() > pos and (m.end(), weight) > best.get(category, (0, 0.0)):
                    best[category] = (m.end(), weight)
            for category, (end, weight) in best.items():
                kept = expected.setdefault(category, [])
                if not kept or pos >= kept[-1][1]:
                    kept.append((pos, end, weight))
        assert cues.scan(text)[0] == expected, text


def test_openings_read_the_second_word_of_short_first_words() -> None:
    keys = openings(r"not\s+(?:recorded|documented)")
    assert keys == {("w2", "not", "reco"), ("w2", "not", "docu")}
    assert fits(keys, "not", "recorded") and not fits(keys, "not", "completed")
    assert openings(r"\s+x") is None


def test_openings_keep_all_of_a_long_first_word_the_pattern_tells() -> None:
    keys = openings(r"underestimat[a-z]*")
    assert ("p", "underestimat") in keys
    assert fits(keys, "underestimated", "") and not fits(keys, "understood", "")


def test_a_cue_ending_in_its_first_word_is_tried_only_at_that_word() -> None:
    keys = openings(r"no(?!\s+(?:longer|doubt))")
    assert keys == {("w", "no"), ("p", "no'")}
    assert fits(keys, "no", "") and fits(keys, "no's", "")
    assert not fits(keys, "not", "") and not fits(keys, "nothing", "")


def test_the_shipped_openings_are_those_of_the_current_rules() -> None:
    shipped = json.loads(SHIPPED.read_text(encoding="utf-8"))
    for pattern in shipped:  # shipped cues are compiled only when first tried
        re.compile(pattern)
    assert shipped == fresh_table(), (
        "findings/data/tagger_cue_openings.json is stale: run `python -m findings.tagger_cue_table`"
    )


def test_the_shipped_openings_are_used_and_a_new_cue_is_worked_out() -> None:
    tagger = default_tagger()
    table = shipped_openings()
    assert table and all(
        tagger._cues._openings[i] == table[pattern]
        for i, (pattern, _, _) in enumerate(tagger._cues._patterns)
    )
    index = CueIndex(known_openings=table)
    index.add(r"unheard\s+of\s+cue", "deficit", 1.0)
    assert index.scan("an unheard of cue here")[0] == {"deficit": [(3, 17, 1.0)]}


def test_the_shipped_programs_are_those_of_the_current_rules() -> None:
    shipped = json.loads(zlib.decompress(PROGRAMS.read_bytes(), 31))
    if shipped["engine"] != ENGINE:
        pytest.skip(f"the shipped programs are for {shipped['engine']}, this is {ENGINE}")
    assert shipped["programs"] == fresh_programs(), (
        "findings/data/tagger_cue_programs.json.gz is stale: "
        "run `python -m findings.tagger_cue_table`"
    )
    assert shipped_programs() and default_tagger()._cues._known_programs is shipped_programs()


def test_a_pattern_from_its_program_matches_as_the_pattern_compiled() -> None:
    pattern = cue_regex(r"(?:did\s+not|failed\s+to)\s+(visit|see)\s+(?:him|her)?")
    text = "she did  not visit him; failed to see"
    fresh, from_program = re.compile(pattern), compiled(pattern, program(pattern))
    assert from_program.pattern == fresh.pattern and from_program.groups == fresh.groups
    for pos in range(len(text)):
        got, want = from_program.match(text, pos), fresh.match(text, pos)
        if got is None or want is None:
            assert got is want
        else:
            assert (got.span(), got.groups()) == (want.span(), want.groups())


@pytest.mark.parametrize("damaged", ["", "x", "32 1 999 999", "32 1 17 4 0 0", 7])
def test_a_damaged_program_is_compiled_anew(damaged: object) -> None:
    pattern = cue_regex(r"not\s+recorded")
    assert compiled(pattern, damaged).match("not  recorded.").span() == (0, 13)  # type: ignore[arg-type]


def test_programs_from_another_python_or_a_damaged_file_are_not_used(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    table = tmp_path / "programs.json.gz"
    monkeypatch.setattr(tagger_cue_table, "PROGRAMS", table)
    read = tagger_cue_table.shipped_programs.__wrapped__
    packer = zlib.compressobj(9, zlib.DEFLATED, 31)
    other = json.dumps({"engine": "cpython-399/sre-1", "programs": {"x": "1 2 3"}}).encode()
    table.write_bytes(packer.compress(other) + packer.flush())
    assert read() == {}
    table.write_bytes(b"not gzip")
    assert read() == {}
    table.unlink()
    assert read() == {}
