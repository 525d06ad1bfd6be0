"""The ordinary words of probation text, shipped as findings/data/common_words.txt so redaction
can tell a capitalised name ("Liam") from a capitalised ordinary word ("Inspectors").

The list is every word that occurs in lower case in text the project owns and that names no one:
the tagger's training sentences (findings/data/tagger_train.jsonl.gz and
tagger_train_general.jsonl), the theme taxonomy (findings/data/themes.json) and, when the
project's shared folder is there, its tagging data (data/**/*.jsonl) and domain notes
(domain/*.md). A word seen only capitalised (a name, a place) never enters it. Regenerate after
that text changes: ``python -m findings.common_words [SHARED_FOLDER]``.
"""

from __future__ import annotations

import gzip
import json
import re
import sys
from collections.abc import Iterable, Iterator
from functools import cache
from importlib import resources
from pathlib import Path

DATA = Path(__file__).with_name("data")
SHIPPED = DATA / "common_words.txt"
DEFAULT_SHARED = Path("/work/shared")

_WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")
_POSSESSIVE = re.compile(r"'s?$")


def word_key(word: str) -> str:
    """How a word is looked up: lower case, one kind of apostrophe, no possessive ending."""
    return _POSSESSIVE.sub("", word.lower().replace("’", "'"))


def lower_case_words(texts: Iterable[str]) -> set[str]:
    """The keys of every word written wholly in lower case in ``texts``."""
    words: set[str] = set()
    for text in texts:
        for word in _WORD.findall(text):
            if word.islower():
                key = word_key(word)
                words.add(key)
                words.update(re.split(r"[-']", key))  # "multi-agency": "multi", "agency" too
    words.discard("")
    return words


def _jsonl_texts(lines: Iterable[str]) -> Iterator[str]:
    for line in lines:
        if line.strip():
            yield json.loads(line)["text"]


def shipped_texts() -> Iterator[str]:
    """The sentences and theme wording packaged with leap."""
    with gzip.open(DATA / "tagger_train.jsonl.gz", "rt", encoding="utf-8") as handle:
        yield from _jsonl_texts(handle)
    yield from _jsonl_texts((DATA / "tagger_train_general.jsonl").read_text("utf-8").splitlines())
    for theme in json.loads((DATA / "themes.json").read_text("utf-8")):
        yield theme["name"]
        yield theme["description"]
        yield from theme["wording"]


def shared_texts(shared: Path) -> Iterator[str]:
    """The tagging data and domain notes of the project's shared folder (none if absent)."""
    for path in sorted(shared.glob("data/**/*.jsonl")):
        yield from _jsonl_texts(path.read_text("utf-8").splitlines())
    for path in sorted(shared.glob("domain/*.md")):
        yield path.read_text("utf-8")


@cache
def common_words() -> frozenset[str]:
    """The shipped list of ordinary words (their ``word_key``s)."""
    text = resources.files("findings.data").joinpath(SHIPPED.name).read_text("utf-8")
    return frozenset(text.split())


def main(argv: list[str] | None = None) -> int:
    """Write findings/data/common_words.txt from the shipped text and the shared folder."""
    args = sys.argv[1:] if argv is None else argv
    shared = Path(args[0]) if args else DEFAULT_SHARED
    words = lower_case_words(shipped_texts())
    if shared.is_dir():
        words |= lower_case_words(shared_texts(shared))
    else:
        print(f"{shared} not found: only the shipped text was read", file=sys.stderr)
    SHIPPED.write_text("".join(f"{w}\n" for w in sorted(words)), encoding="utf-8")
    print(f"{len(words)} words written to {SHIPPED}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
