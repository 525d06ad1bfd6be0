"""Weighted cue patterns indexed by how they can begin, tried only at fitting word starts."""

from __future__ import annotations

import re
from collections.abc import Hashable
from re import _parser as _sre  # type: ignore[attr-defined]
from typing import Any

Span = tuple[int, int, float]
"""A match in the text: start, end and the weight of the cue that matched."""

_KEY_LEN = 4
_WORD_CHARS = frozenset("abcdefghijklmnopqrstuvwxyz0123456789'")
_TOKEN = re.compile(r"[a-z0-9']+")
_State = frozenset[tuple[str, bool]]  # (opening letters so far, whether the opening is settled)


def _step(op: Any, av: Any, states: _State) -> _State | None:
    """The openings after one parsed regex item; None when it could begin with anything."""
    settled = {s for s in states if s[1]}
    open_ = [s for s, done in states if not done]
    if not open_:
        return states
    if op in (_sre.ASSERT, _sre.ASSERT_NOT, _sre.AT):
        return states
    if op is _sre.SUBPATTERN:
        return _sequence(av[-1], states)
    if op is _sre.BRANCH:
        out: set[tuple[str, bool]] = set()
        for branch in av[1]:
            result = _sequence(branch, states)
            if result is None:
                return None
            out |= result
        return frozenset(out)
    if op in (_sre.MAX_REPEAT, _sre.MIN_REPEAT, getattr(_sre, "POSSESSIVE_REPEAT", None)):
        low, high, body = av
        out = set(states) if low == 0 else set()
        current: _State | None = states
        for count in range(1, min(high, max(low, _KEY_LEN + 1)) + 1):
            current = _sequence(body, current) if current is not None else None
            if current is None:
                return None
            if count >= low:
                out |= current
            if all(done for _, done in current):
                break
        return frozenset(out)
    chars = _chars(op, av)
    if chars is None:
        return None
    for prefix in open_:
        for ch in chars:
            if ch in _WORD_CHARS:
                longer = prefix + ch
                settled.add((longer, len(longer) >= _KEY_LEN))
            else:
                settled.add((prefix, True))
    return frozenset(settled)


def _chars(op: Any, av: Any) -> set[str] | None:
    """The characters one item can match, if few and known."""
    if op is _sre.LITERAL:
        return {chr(av)}
    if op is not _sre.IN:
        return None
    chars: set[str] = set()
    for item_op, item_av in av:
        if item_op is _sre.LITERAL:
            chars.add(chr(item_av))
        elif item_op is _sre.RANGE and item_av[1] - item_av[0] < 12:
            chars.update(chr(c) for c in range(item_av[0], item_av[1] + 1))
        elif item_op is _sre.CATEGORY and item_av is _sre.CATEGORY_SPACE:
            chars.add(" ")
        else:
            return None
    return chars


def _sequence(items: Any, states: _State) -> _State | None:
    current: _State | None = states
    for op, av in items:
        current = _step(op, av, current) if current is not None else None
        if current is None or all(done for _, done in current):
            break
    return current


def opening_keys(pattern: str) -> list[tuple[str, str]] | None:
    """How a pattern's match can begin: ("w", word) for a whole word, ("p", prefix) for a
    word's first letters; None when it could begin anywhere."""
    try:
        states = _sequence(_sre.parse(pattern), frozenset({("", False)}))
    except (re.error, RecursionError, TypeError, ValueError):
        return None
    if states is None or any(not prefix for prefix, _ in states):
        return None
    keys = set()
    for prefix, done in states:
        # settled by a space or punctuation before the key length: the whole first word
        whole = done and len(prefix) < _KEY_LEN
        keys.add(("w", prefix) if whole else ("p", prefix[:_KEY_LEN]))
    return sorted(keys)


class CueIndex:
    """Cue patterns of several categories, matched in one pass over the words of a text."""

    def __init__(self) -> None:
        self._patterns: list[tuple[re.Pattern[str], Hashable, float]] = []
        self._by_word: dict[str, list[int]] = {}
        self._by_prefix: dict[int, dict[str, list[int]]] = {}
        self._anywhere: list[int] = []
        # memo: word -> (match, category, weight) of the cues that may start at it
        self._candidates: dict[str, tuple[tuple[Any, Hashable, float], ...]] = {}

    def add(self, pattern: str, category: Hashable, weight: float) -> None:
        """Add one cue; it matches whole words only (a letter or digit may not follow it)."""
        self._candidates.clear()
        index = len(self._patterns)
        self._patterns.append((re.compile(f"(?:{pattern})(?![a-z0-9])"), category, weight))
        keys = opening_keys(pattern)
        if keys is None:
            self._anywhere.append(index)
            return
        for kind, key in keys:
            if kind == "w":
                self._by_word.setdefault(key, []).append(index)
            else:
                self._by_prefix.setdefault(len(key), {}).setdefault(key, []).append(index)

    def scan(self, text: str) -> dict[Hashable, list[Span]]:
        """Every category's matches, leftmost-longest and not overlapping within a category."""
        found: dict[Hashable, dict[int, Span]] = {}
        memo = self._candidates
        if len(memo) > 100_000:  # odd input (random bytes) must not grow the memo forever
            memo.clear()
        for token in _TOKEN.finditer(text):
            word, pos = token.group(), token.start()
            candidates = memo.get(word)
            if candidates is None:
                candidates = memo[word] = self._candidates_for(word)
            for match, category, weight in candidates:
                m = match(text, pos)
                if m is None or m.end() == pos:
                    continue
                at = found.setdefault(category, {})
                old = at.get(pos)
                if old is None or (m.end(), weight) > (old[1], old[2]):
                    at[pos] = (pos, m.end(), weight)
        return _leftmost_longest(found)

    def _candidates_for(self, word: str) -> tuple[tuple[Any, Hashable, float], ...]:
        indexes = set(self._anywhere)
        indexes.update(self._by_word.get(word, ()))
        for length, table in self._by_prefix.items():
            if len(word) >= length:
                indexes.update(table.get(word[:length], ()))
        chosen = [self._patterns[i] for i in sorted(indexes)]
        return tuple((regex.match, category, weight) for regex, category, weight in chosen)


def _leftmost_longest(found: dict[Hashable, dict[int, Span]]) -> dict[Hashable, list[Span]]:
    """Per category, drop matches that start inside an earlier kept match."""
    result: dict[Hashable, list[Span]] = {}
    for category, at in found.items():
        kept: list[Span] = []
        for span in sorted(at.values()):
            if not kept or span[0] >= kept[-1][1]:
                kept.append(span)
        result[category] = kept
    return result
