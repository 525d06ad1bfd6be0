"""Turning what a user types into a safe FTS5 query: phrases and prefixes, never syntax errors."""

from __future__ import annotations

import re

_TOKEN = re.compile(r'"([^"]*)"|(\S+)')
_WORD = re.compile(r"[\w']+", re.UNICODE)
_OPERATORS = {"AND", "OR", "NOT", "NEAR"}


def to_fts_query(text: str) -> str | None:
    """An FTS5 MATCH expression for ``text``, or None if it holds nothing searchable.

    Words are ANDed; "quoted words" stay a phrase; a trailing * keeps prefix search. Every token
    is re-quoted, so stray quotes, brackets, colons or operators are treated as plain text.
    """
    terms: list[str] = []
    for match in _TOKEN.finditer(text.replace("\x00", " ")):
        phrase, bare = match.group(1), match.group(2)
        if phrase is not None:
            words = _WORD.findall(phrase)
            if words:
                terms.append('"' + " ".join(words) + '"')
            continue
        prefix = bare.endswith("*")
        for i, word in enumerate(_WORD.findall(bare)):
            if word.upper() in _OPERATORS and len(bare) == len(word):
                continue
            word = word.replace("'", " ").strip()
            if not word:
                continue
            last = i == len(_WORD.findall(bare)) - 1
            terms.append(f'"{word}"' + ("*" if prefix and last else ""))
    return " ".join(terms) if terms else None
