"""Weighted cue patterns indexed by how they can begin, tried only at fitting word starts."""

from __future__ import annotations

import re
from collections.abc import Callable, Hashable, Mapping
from itertools import accumulate, compress, count
from operator import add, not_
from typing import Any

from findings.cue_openings import Opening, fits, openings
from findings.regex_programs import compiled

Span = tuple[int, int, float]
"""A match in the text: start, end and the weight of the cue that matched."""

_KEY_LEN = 4
_WORD_CHARS = frozenset("abcdefghijklmnopqrstuvwxyz0123456789'")
_WORD_SPLIT = re.compile(r"([a-z0-9']+)")
_SPACE_OUT = str.maketrans({chr(c): chr(c) if chr(c) in _WORD_CHARS else " " for c in range(128)})
_MEMO_LIMIT = 100_000
"""Odd input (random bytes) must not grow a memo forever: past this many words it starts anew."""


def split_words(text: str) -> tuple[list[str], list[int]]:
    """The words of a lower-case text (runs of letters, digits and apostrophes) and where
    each starts."""
    if text.isascii():
        # every other character a space: then the text splits at each space, and piece k
        # starts where the pieces before it and their spaces end
        pieces = text.translate(_SPACE_OUT).split(" ")
        starts = compress(map(add, accumulate(map(len, pieces), initial=0), count()), pieces)
        return list(filter(None, pieces)), list(starts)
    # separator, word, separator, ...: word k starts where the pieces before it end
    pieces = _WORD_SPLIT.split(text)
    return pieces[1::2], list(accumulate(map(len, pieces)))[0:-1:2]


_Cue = tuple[int, Any, Hashable, float]
"""A cue as tried: its number (the order cues are tried in), its match, category and weight."""
_Tried = tuple[_Cue, ...]
_WordEntry = tuple[_Tried, tuple[tuple[int, tuple[str, ...]], ...], dict[str, _Tried]]
"""What a word tells of the cues that may begin there (see CueIndex._entry)."""


def cue_regex(pattern: str) -> str:
    """A cue's pattern as compiled: it matches whole words only (no letter or digit may follow)."""
    return f"(?:{pattern})(?![a-z0-9])"


class _PairMemo(dict[tuple[str, str], _Tried]):
    """The cues to try at a word followed by another, worked out when a pair is first met."""

    __slots__ = ("_work_out",)

    def __init__(self, work_out: Callable[[str, str], _Tried]) -> None:
        super().__init__()
        self._work_out = work_out

    def __missing__(self, pair: tuple[str, str]) -> _Tried:
        tried = self[pair] = self._work_out(*pair)
        return tried


class CueIndex:
    """Cue patterns of several categories, matched in one pass over the words of a text.

    Each cue is compiled once (a shipped one when first tried, from its shipped program when
    there is one: findings.regex_programs), with a guard that no letter or digit follows its
    match. A cue is tried only at words it may begin with
    (findings.cue_openings), told by the word itself and, for cues whose first word is short or
    common ("not recorded"), by how the next word begins; which cues those are is worked out
    once per word (and next-word opening) and remembered, so a text costs a few dictionary
    look-ups per word and one regex call per cue that may start there.
    """

    def __init__(
        self,
        stopwords: frozenset[str] = frozenset(),
        known_openings: Mapping[str, frozenset[Opening] | None] | None = None,
        known_programs: Mapping[str, str | None] | None = None,
    ) -> None:
        self._patterns: list[tuple[str, Hashable, float]] = []
        self._cues: list[_Cue | None] = []  # None: not compiled yet (see add)
        self._openings: list[frozenset[Opening] | None] = []
        self._by_word: dict[str, list[int]] = {}
        self._by_prefix: dict[str, list[int]] = {}
        self._anywhere: list[int] = []
        self._stopwords = stopwords
        self._known_openings = known_openings or {}  # worked out ahead of time, by pattern
        self._known_programs = known_programs or {}  # compiled ahead of time, by pattern
        self._first_words: dict[str, _WordEntry] = {}  # memo: see _entry
        self._pairs = _PairMemo(self._tried)

    def add(self, pattern: str, category: Hashable, weight: float) -> None:
        """Add one cue; it matches whole words only (a letter or digit may not follow it)."""
        known = self._known_openings
        index = len(self._cues)
        if pattern in known:  # a cue of the shipped rules: compiled when first tried
            keys, cue = known[pattern], None
        else:  # a new cue is checked now: a broken one fails here (re.error)
            keys = openings(pattern)
            cue = (index, re.compile(cue_regex(pattern)).match, category, weight)
        self._first_words.clear()
        self._pairs.clear()
        self._patterns.append((pattern, category, weight))
        self._cues.append(cue)
        self._openings.append(keys)
        if keys is None:
            self._anywhere.append(index)
            return
        for key in keys:
            if key[0] == "p":  # filed under its first letters; _entry checks the rest
                self._by_prefix.setdefault(key[1][:_KEY_LEN], []).append(index)
            else:
                self._by_word.setdefault(key[1], []).append(index)

    def scan(self, text: str) -> tuple[dict[Hashable, list[Span]], list[str], list[int]]:
        """Every category's matches, leftmost-longest and not overlapping within a category,
        and the words of the text and where each starts (see :meth:`content_word_starts`).

        At each word, of the cues of a category that match there the one reaching furthest
        counts (the weightier of two reaching as far), unless a match already kept for that
        category reaches past the word's start.
        """
        found: dict[Hashable, list[Span]] = {}
        words, starts = split_words(text)
        if not words:
            return found, words, starts
        following = words[1:]
        following.append("")  # what follows the last word
        pairs = self._pairs
        if len(pairs) > _MEMO_LIMIT:
            pairs.clear()
        # the cues to try at each word, by the word and the next: looked up without a Python
        # loop (a pair not met before is worked out by _PairMemo.__missing__), which then
        # visits only the words where some cue may begin
        tried_at = list(map(pairs.__getitem__, zip(words, following, strict=True)))
        get_found = found.get
        for i in compress(range(len(tried_at)), tried_at):
            pos = starts[i]
            for _, match, category, weight in tried_at[i]:
                m = match(text, pos)
                if m is None:
                    continue
                end = m.end()
                if end == pos:
                    continue
                kept = get_found(category)
                if kept is None:
                    found[category] = [(pos, end, weight)]
                    continue
                last = kept[-1]
                if pos >= last[1]:  # leftmost-longest, as words come in order
                    kept.append((pos, end, weight))
                elif last[0] == pos and (end, weight) > last[1:]:
                    kept[-1] = (pos, end, weight)  # another cue of the category, reaching further
        return found, words, starts

    def content_word_starts(self, words: list[str], starts: list[int]) -> list[int]:
        """Where each word other than a stopword starts, of the words :meth:`scan` gave (asked
        for only when cues are weighed by the words between them, which many texts never are)."""
        return list(compress(starts, map(not_, map(self._stopwords.__contains__, words))))

    def _cue(self, index: int) -> _Cue:
        """A cue as tried, compiled the first time it is needed."""
        cue = self._cues[index]
        if cue is None:
            pattern, category, weight = self._patterns[index]
            regex = compiled(cue_regex(pattern), self._known_programs.get(pattern))
            cue = self._cues[index] = (index, regex.match, category, weight)
        return cue

    def _tried(self, word: str, next_word: str) -> _Tried:
        """The cues to try at a word followed by next_word, in the order they were added."""
        entry = self._first_words.get(word)
        if entry is None:
            if len(self._first_words) > _MEMO_LIMIT:
                self._first_words.clear()
            entry = self._first_words[word] = self._entry(word)
        always, by_next, by_start = entry
        if not by_next:
            return always
        start = next_word[:_KEY_LEN]
        tried = by_start.get(start)
        if tried is None:
            if len(by_start) > _MEMO_LIMIT:
                by_start.clear()
            fitting = [self._cue(i) for i, next_starts in by_next if start.startswith(next_starts)]
            tried = by_start[start] = tuple(sorted((*always, *fitting)))
        return tried

    def _entry(self, word: str) -> _WordEntry:
        """The cues that may start at a word whatever follows, those that may start there
        when the next word begins with one of some openings, and a memo of the choice by how
        the next word begins."""
        indexes = set(self._anywhere)
        indexes.update(self._by_word.get(word, ()))
        for length in range(1, min(len(word), _KEY_LEN) + 1):
            indexes.update(self._by_prefix.get(word[:length], ()))
        always: list[_Cue] = []
        by_next: list[tuple[int, tuple[str, ...]]] = []
        for index in sorted(indexes):
            keys = self._openings[index]
            if keys is None or fits(keys, word, ""):
                always.append(self._cue(index))
                continue
            # the cue may begin here only if the next word starts with one of these
            next_starts = tuple(key[2] for key in keys if key[0] == "w2" and key[1] == word)
            if next_starts:
                by_next.append((index, next_starts))
            # else: the cue cannot begin with this word
        return tuple(always), tuple(by_next), {}
