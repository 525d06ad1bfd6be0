"""The tagger's output stays exactly as recorded in the golden file (speed-ups change nothing)."""

from __future__ import annotations

import json

import pytest

from findings.tagger import Tagger
from tests import tagger_golden_corpus as corpus

# texts whose fingerprint is not in the golden file (the demo generator or the benchmark
# changed since it was written) are skipped; past this share the file must be regenerated
MAX_UNKNOWN_SHARE = 0.2


@pytest.fixture(scope="module")
def golden() -> dict:
    return json.loads(corpus.GOLDEN.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def groups() -> dict[str, tuple[Tagger, list[str]]]:
    return {name: (make(), texts) for name, make, texts in corpus.groups()}


@pytest.mark.parametrize("name", ["dev", "demo", "bench", "odd", "extra_themes"])
def test_outputs_match_the_golden_file(name: str, golden: dict, groups: dict) -> None:
    tagger, texts = groups[name]
    if not texts:
        pytest.skip(f"no texts for {name} on this machine")
    expected = corpus.unpack(golden["groups"][name])
    changed, unknown = [], 0
    for text in dict.fromkeys(texts):
        want = expected.get(corpus.text_key(text))
        if want is None:
            unknown += 1
        elif corpus.output_key(tagger.tag(text)) != want:
            changed.append(text)
    assert not changed, f"{len(changed)} outputs changed, first: {changed[0][:300]!r}"
    share = unknown / len(texts)
    assert share <= MAX_UNKNOWN_SHARE, (
        f"{unknown} {name} texts are not in the golden file: regenerate it from a checked "
        "tagger with `python -m tests.tagger_golden_corpus`"
    )


def test_full_examples_match(golden: dict, groups: dict) -> None:
    for example in golden["examples"]:
        tagger, _ = groups[example["group"]]
        assert corpus.output_record(tagger.tag(example["text"])) == example["output"]


def test_golden_file_stays_small() -> None:
    assert corpus.GOLDEN.stat().st_size < 200_000
