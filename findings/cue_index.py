"""Weighted cue patterns indexed by how they can begin, tried only at fitting word starts."""

from __future__ import annotations

import re
from collections.abc import Callable, Hashable
from itertools import accumulate, compress, count
from operator import add, not_
from re import _parser as _sre  # type: ignore[attr-defined]
from typing import Any

from findings.cue_openings import Opening, first_word_test, fits, in_word_test, openings
from findings.regex_speed import faster, literal_chars

Span = tuple[int, int, float]
"""A match in the text: start, end and the weight of the cue that matched."""

_KEY_LEN = 4
_WORD_CHARS = frozenset("abcdefghijklmnopqrstuvwxyz0123456789'")
_WORD_SPLIT = re.compile(r"([a-z0-9']+)")
_SPACE_OUT = str.maketrans({chr(c): chr(c) if chr(c) in _WORD_CHARS else " " for c in range(128)})
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
    chars = literal_chars(op, av)
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


class CueIndex:
    """Cue patterns of several categories, matched in one pass over the words of a text.

    The cues that may start at a word are tried together: one regex per set of cues holds each
    cue in an optional lookahead with a capturing group, so one match per word finds where
    every one of them ends (the engine restores a group whose lookahead fails). A cue is
    tried only at words it may begin with, told by the word itself, and cues of several words
    also by how the next word begins. Where every cue to try stays inside the word, what they
    find there is worked out once per word, without a regex call in the text.
    """

    def __init__(self, stopwords: frozenset[str] = frozenset()) -> None:
        self._patterns: list[tuple[str, Hashable, float]] = []
        self._openings: list[frozenset[Opening] | None] = []
        self._first_word: list[Any] = []  # per cue: a test of the word it may start at, or None
        # per cue: whether, where a word starts, it matches inside that word only
        self._in_word: list[Callable[[str], bool]] = []
        # whether a cue's openings and tests above are worked out: each is, the first time a
        # word it may begin with is met (most texts meet few cues; start-up stays short)
        self._analysed: list[bool] = []
        self._by_word: dict[str, list[int]] = {}
        self._by_prefix: dict[int, dict[str, list[int]]] = {}
        self._anywhere: list[int] = []
        self._stopwords = stopwords
        # memo: word -> (combined matcher, its slots; or None and the matches known from the
        # word alone; the choice by the next word when some cues depend on it), or False when
        # no cue may begin with the word
        self._memo: dict[str, _Entry] = {}
        self._combined: dict[tuple[int, ...], _Matcher] = {}
        # word -> (cues always tried there, cues tried when the next word fits, the choice
        # by how the next word starts)
        self._by_next: dict[str, tuple[tuple[int, ...], tuple[int, ...], dict[str, _Matcher]]] = {}

    def add(self, pattern: str, category: Hashable, weight: float) -> None:
        """Add one cue; it matches whole words only (a letter or digit may not follow it)."""
        self._memo.clear()
        self._combined.clear()
        self._by_next.clear()
        index = len(self._patterns)
        re.compile(pattern)  # a broken cue fails here
        self._patterns.append((pattern, category, weight))
        self._openings.append(None)
        self._first_word.append(None)
        self._in_word.append(bool)
        self._analysed.append(False)
        keys = opening_keys(pattern)
        if keys is None:
            self._anywhere.append(index)
            return
        for kind, key in keys:
            if kind == "w":
                self._by_word.setdefault(key, []).append(index)
            else:
                self._by_prefix.setdefault(len(key), {}).setdefault(key, []).append(index)

    def scan(self, text: str) -> tuple[dict[Hashable, list[Span]], list[int]]:
        """Every category's matches, leftmost-longest and not overlapping within a category,
        and where each word other than a stopword starts."""
        found: dict[Hashable, list[Span]] = {}
        # per-word work in C (split, map, compress): only words where cues may start reach
        # Python
        words, starts = split_words(text)
        word_starts = list(compress(starts, map(not_, map(self._stopwords.__contains__, words))))
        memo = self._memo
        if len(memo) > 100_000:  # odd input (random bytes) must not grow the memo forever
            memo.clear()
        entries: list[Any] = list(map(memo.get, words))
        if None in entries:
            for word in set(words).difference(memo):
                memo[word] = self._entry(word)
            entries = list(map(memo.get, words))
        get_found = found.get
        count = len(words)
        words.append("")  # what follows the last word
        for i in compress(range(count), entries):
            match, slots, by_next = entries[i]
            if by_next is not None:  # the cues to try depend on the next word
                chosen = by_next.get(words[i + 1])
                if chosen is _NOTHING:  # no cue can start here before that word
                    continue
                if chosen is None:
                    chosen = self._choose(words[i], words[i + 1])
                match, slots = chosen
            if match is None:
                if slots:  # cues that match inside the word: where they end is known
                    pos = starts[i]
                    for length, category, weight in slots:
                        end = pos + length
                        kept = get_found(category)
                        if kept is None:
                            found[category] = [(pos, end, weight)]
                        elif pos >= kept[-1][1]:
                            kept.append((pos, end, weight))
                continue
            m = match(text, starts[i])
            if m is None:  # no cue matched
                continue
            pos = starts[i]
            if len(slots) == 1:  # a lone cue, matched as it is
                end = m.end()
                if end > pos:
                    category, weight = slots[0]
                    kept = get_found(category)
                    if kept is None:
                        found[category] = [(pos, end, weight)]
                    elif pos >= kept[-1][1]:  # leftmost-longest, as words come in order
                        kept.append((pos, end, weight))
                continue
            groups = m.groups()  # per cue its words, None where it did not match
            if groups.count(None) == len(groups) - 1:
                # one cue matched, the usual case: the last group that matched is its group
                group = m.lastindex - 1
                category, weight = slots[group]
                end = pos + len(groups[group])
                if end > pos:
                    kept = get_found(category)
                    if kept is None:
                        found[category] = [(pos, end, weight)]
                    elif pos >= kept[-1][1]:
                        kept.append((pos, end, weight))
                continue
            # several cues matched: the longest (then weightiest) of each category counts
            best: dict[Hashable, tuple[int, float]] = {}
            for (category, weight), words_matched in compress(
                zip(slots, groups, strict=True), groups
            ):
                if category is not None:
                    end = pos + len(words_matched)
                    old = best.get(category)
                    if old is None or (end, weight) > old:
                        best[category] = (end, weight)
            for category, (end, weight) in best.items():
                kept = get_found(category)
                if kept is None:
                    found[category] = [(pos, end, weight)]
                elif pos >= kept[-1][1]:
                    kept.append((pos, end, weight))
        return found, word_starts

    def _entry(self, word: str) -> _Entry:
        indexes = set(self._anywhere)
        indexes.update(self._by_word.get(word, ()))
        for length, table in self._by_prefix.items():
            if len(word) >= length:
                indexes.update(table.get(word[:length], ()))
        always, by_next = [], []
        spaced = word + " "
        for index in sorted(indexes):
            if not self._analysed[index]:
                self._analyse(index)
            test = self._first_word[index]
            if test is not None and test(spaced) is None:
                continue  # the cue cannot match where this word starts
            keys = self._openings[index]
            if keys is None or fits(keys, word, ""):
                always.append(index)
            elif any(key[0] == "w2" and key[1] == word for key in keys):
                by_next.append(index)
            # else: the cue cannot begin with this word
        if by_next:
            self._by_next[word] = (tuple(always), tuple(by_next), {})
            return None, (), {}
        matcher = self._matcher(word, tuple(always))
        return (*matcher, None) if matcher[0] is not None or matcher[1] else False

    def _analyse(self, index: int) -> None:
        """Work out how a cue can begin and whether it stays inside its first word."""
        pattern = self._patterns[index][0]
        self._openings[index] = openings(pattern)
        self._first_word[index] = first_word_test(pattern)
        self._in_word[index] = in_word_test(pattern)
        self._analysed[index] = True

    def _choose(self, word: str, next_word: str) -> _Matcher:
        """The cues to try at a word whose cues depend on how the next word starts."""
        entry: Any = self._memo[word]
        chosen = entry[2]  # by the whole next word: its hash is already worked out
        if len(chosen) > 10_000:
            chosen.clear()
        always, by_next, by_start = self._by_next[word]
        start = next_word[:_KEY_LEN]
        matcher = by_start.get(start)
        if matcher is None:
            if len(by_start) > 10_000:  # odd input must not grow it forever
                by_start.clear()
            openings = self._openings
            fitting = [i for i in by_next if fits(openings[i] or frozenset(), word, start)]
            matcher = by_start[start] = self._matcher(word, tuple(sorted((*always, *fitting))))
        chosen[next_word] = matcher
        return matcher

    def _matcher(self, word: str, indexes: tuple[int, ...]) -> _Matcher:
        """The matcher of some cues at a word; when all of them match inside the word, no
        matcher but what they find there: (None, ((length, category, weight), ...))."""
        matcher = self.combined(indexes)
        match, slots = matcher
        if match is None or not all(self._in_word[i](word) for i in indexes):
            return matcher
        m = match(word)  # the word alone: the cues look at nothing else
        if m is None:
            return _NOTHING
        if len(slots) == 1:
            found = [(m.end(), *slots[0])]
        else:
            best: dict[Hashable, tuple[int, float]] = {}
            for (category, weight), words_matched in zip(slots, m.groups(), strict=True):
                if category is not None and words_matched:
                    old = best.get(category)
                    if old is None or (len(words_matched), weight) > old:
                        best[category] = (len(words_matched), weight)
            found = [(end, category, weight) for category, (end, weight) in best.items()]
        found = [(end, category, weight) for end, category, weight in found if end]
        return (None, tuple(found)) if found else _NOTHING

    def combined(self, indexes: tuple[int, ...]) -> _Matcher:
        """The combined matcher of some cues (None for none) and the category and weight
        of each of its groups."""
        if not indexes:
            return _NOTHING
        combined = self._combined.get(indexes)
        if combined is None:
            combined = self._combined[indexes] = self._combine(indexes)
        return combined

    def _combine(self, indexes: tuple[int, ...]) -> _Matcher:
        """One regex that tries every chosen cue at a position and records where each ends;
        it fails where none of them matches.

        The slots line up with the regex's groups: (category, weight) for the group of a cue,
        (None, 0.0) for a group of the cue's own pattern. A lone cue without groups of its
        own is matched as it is, with one slot.
        """
        if len(indexes) == 1:
            pattern, category, weight = self._patterns[indexes[0]]
            if not re.compile(pattern).groups:
                lone = re.compile(f"(?:{faster(pattern)})(?![a-z0-9])")
                return lone.match, ((category, weight),)
        parts: list[str] = []
        slots: list[tuple[Hashable, float]] = []
        none_matched = "(?!)"
        for index in indexes:
            pattern, category, weight = self._patterns[index]
            parts.append(f"(?:(?=((?:{faster(pattern)})(?![a-z0-9])))|)")
            slots.append((category, weight))
            none_matched = f"(?({len(slots)})|{none_matched})"
            slots.extend([_INNER] * re.compile(pattern).groups)
        return re.compile("".join(parts) + none_matched).match, tuple(slots)


_Slots = tuple[tuple[Hashable, float], ...]
_Matcher = tuple[Any, tuple[Any, ...]]  # a regex (or None) and its slots (or what it found)
_Entry = tuple[Any, _Slots, dict[str, _Matcher] | None] | bool
_INNER: Any = (None, 0.0)  # the slot of a group inside a cue
_NOTHING: _Matcher = (None, ())  # no cue to try
