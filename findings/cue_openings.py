"""How a cue can begin: its first word, the next word's first letters, whether it stays inside.

A cue is tried at many words of a text, and most tries fail at once ("compromised" tried at
"completed") or at the second word ("not recorded" tried at "not completed"). Knowing which
first words a cue can have, and the second word's first letters, lets the cue index skip those
tries; knowing that a cue cannot leave the word it starts at lets it answer from the word alone.
The analysis is conservative: every way the pattern can begin is kept, so a cue is never
skipped where it could match.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from re import _parser as _sre  # type: ignore[attr-defined]
from typing import Any

from findings.regex_speed import _Unsupported, literal_chars, unparse

_KEY_LEN = 4
_FIRST_WORD_LIMIT = 24
_REPEAT_LIMIT = 12
_WORD_CHARS = frozenset("abcdefghijklmnopqrstuvwxyz0123456789'")
_SPACE_CHARS = frozenset(" \t\n\r\f\v")

# (first word, second word, whether a space came between, whether settled)
_State = tuple[str, str, bool, bool]
_States = frozenset[_State]

Opening = tuple[str, ...]
"""("p", prefix): the first word starts with prefix; ("w", word): the first word is word;
("w2", word, prefix): the first word is word and the next starts with prefix."""


class _Unknown(Exception):
    """The first word of the pattern cannot be told."""


def openings(pattern: str) -> frozenset[Opening] | None:
    """Every way the pattern can begin; None when it could begin with anything."""
    try:
        states = _sequence(_sre.parse(pattern), frozenset({("", "", False, False)}))
    except (_Unknown, re.error, RecursionError, TypeError, ValueError):
        return None
    keys: set[Opening] = set()
    for first, second, spaced, done in states:
        if not first:
            return None
        if spaced:
            keys.add(("w2", first, second) if second else ("w", first))
        elif done and len(first) < _KEY_LEN:
            keys.add(("w", first))
        else:
            keys.add(("p", first[:_KEY_LEN]))
    return frozenset(keys)


def fits(keys: frozenset[Opening], word: str, next_word: str) -> bool:
    """Whether a pattern with these openings may match at word, followed by next_word."""
    for key in keys:
        kind = key[0]
        if kind == "p":
            if word.startswith(key[1]):
                return True
        elif word == key[1] and (kind == "w" or next_word.startswith(key[2])):
            return True
    return False


def _sequence(items: Any, states: _States) -> _States:
    for op, av in items:
        if all(state[3] for state in states):
            break
        states = _step(op, av, states)
    return states


def _step(op: Any, av: Any, states: _States) -> _States:
    if op in (_sre.ASSERT, _sre.ASSERT_NOT, _sre.AT):
        return states
    if op is _sre.SUBPATTERN:
        return _sequence(av[-1], states)
    if op is _sre.BRANCH:
        out: set[_State] = set()
        for branch in av[1]:
            out |= _sequence(branch, states)
        return frozenset(out)
    if op in (_sre.MAX_REPEAT, _sre.MIN_REPEAT, getattr(_sre, "POSSESSIVE_REPEAT", None)):
        return _repeat(av, states)
    chars = literal_chars(op, av)
    out = {state for state in states if state[3]}
    for first, second, spaced, _ in (state for state in states if not state[3]):
        if chars is None:  # any character: the second word is known only this far
            if not spaced:
                if len(first) < _KEY_LEN:
                    raise _Unknown
                out.add((first, second, False, True))  # a long first word: its first letters
                continue
            out.add((first, second, True, True))
            continue
        for ch in chars:
            out.add(_next_state(first, second, spaced, ch))
    return frozenset(out)


def _next_state(first: str, second: str, spaced: bool, ch: str) -> _State:
    if ch in _WORD_CHARS:
        if not spaced:
            first += ch
            return first, "", False, len(first) >= _FIRST_WORD_LIMIT
        second += ch
        return first, second, True, len(second) >= _KEY_LEN
    if not first:
        raise _Unknown  # the pattern may begin with a space or a sign
    if ch in _SPACE_CHARS and not spaced and len(first) < _FIRST_WORD_LIMIT:
        return first, "", True, False  # a first word, then white space
    if spaced and not second and ch in _SPACE_CHARS:
        return first, "", True, False  # more white space
    return first, second, spaced, True


def _repeat(av: Any, states: _States) -> _States:
    low, high, body = av
    out = set(states) if low == 0 else set()
    current = states
    for count in range(1, min(high, _REPEAT_LIMIT) + 1):
        following = _sequence(body, current)
        if count >= low or following == current or all(s[3] for s in following):
            out |= following
        if following == current or all(s[3] for s in following):
            return frozenset(out)  # further passes change nothing
        current = following
    if high > _REPEAT_LIMIT:
        raise _Unknown
    return frozenset(out)


# --- the first word ---------------------------------------------------------------------------

_NOT_A_WORD_CHAR = r"(?![a-z0-9'])"


def first_word_test(pattern: str) -> Any:
    """A test of a word (followed by one space) that passes whenever the pattern may match
    where that word starts, whatever follows it; None when it cannot be told.

    The pattern is cut where its match may leave the first word: up to there it must match the
    word's own letters, and a cut at white space or punctuation means the word ends there.
    Assertions are dropped, so the test only ever passes more often than the pattern would.
    """
    try:
        tree = _sre.parse(pattern)
        if tree.state.flags & ~_sre.SRE_FLAG_UNICODE:
            return None
        items, _ = _within_word(list(tree.data), top=True)
        return re.compile(unparse(items)).match
    except (_Unsupported, re.error, RecursionError, TypeError, ValueError):
        return None


def _within_word(items: list[Any], top: bool = False) -> tuple[list[Any], bool]:
    """The items as far as they stay inside the first word, and whether all of them do
    (top: the items are the whole pattern, which a letter or digit may not follow)."""
    out: list[Any] = []
    for k, (op, av) in enumerate(items):
        if op in (_sre.ASSERT, _sre.ASSERT_NOT, _sre.AT):
            continue  # dropping a condition only lets the test pass more often
        if op in (_sre.LITERAL, _sre.IN):
            chars = _class_chars(op, av)
            if chars is not None and chars <= _WORD_CHARS:
                out.append((op, av))
                continue
            if chars is not None and chars.isdisjoint(_WORD_CHARS):
                # the match leaves the word here, so the word ends here
                out.extend(_sre.parse(_NOT_A_WORD_CHAR).data)
            return out, False
        if op is _sre.SUBPATTERN:
            if av[1] or av[2]:
                raise _Unsupported  # inline flags
            body, whole = _within_word(list(av[-1]))
            out.append((_sre.SUBPATTERN, (None, 0, 0, _sub(body))))
        elif op is _sre.BRANCH:
            results = [_within_word(list(branch)) for branch in av[1]]
            out.append((_sre.BRANCH, (None, [_sub(body) for body, _ in results])))
            whole = all(whole for _, whole in results)
        elif op in (_sre.MAX_REPEAT, _sre.MIN_REPEAT, getattr(_sre, "POSSESSIVE_REPEAT", None)):
            low, high, body = av
            inner, whole = _within_word(list(body))
            if not whole:
                # the repeat may leave the word: its first pass, then whatever follows;
                # or, when it may not run at all, what comes after it
                if low:
                    return out + inner, False
                rest, _ = _within_word(items[k + 1 :], top)
                return out + [(_sre.BRANCH, (None, [_sub(inner), _sub(rest)]))], False
            out.append((_sre.MAX_REPEAT, (low, high, _sub(inner))))
        else:
            return out, False  # anything else: accept whatever follows
        if not whole:
            return out, False
    if top:
        out.extend(_sre.parse("(?![a-z0-9])").data)
    return out, True


def _class_chars(op: Any, av: Any) -> frozenset[str] | None:
    """Every character a one-character item can match, when it can be listed."""
    if op is _sre.LITERAL:
        return frozenset(chr(av))
    chars: set[str] = set()
    for item_op, item_av in av:
        if item_op is _sre.LITERAL:
            chars.add(chr(item_av))
        elif item_op is _sre.RANGE and item_av[1] - item_av[0] < 512:
            chars.update(chr(c) for c in range(item_av[0], item_av[1] + 1))
        elif item_op is _sre.CATEGORY and item_av is _sre.CATEGORY_SPACE:
            chars.update(_SPACE_CHARS)
        else:
            return None
    return frozenset(chars)


def _sub(items: list[Any]) -> Any:
    return _sre.SubPattern(_sre.State(), items)


def in_word_test(pattern: str) -> Callable[[str], bool]:
    """A test of a word: whether every match of the pattern where that word starts lies
    inside the word and depends on nothing around it (the pattern's alternatives that could
    leave the word cannot begin with it)."""
    try:
        tree = _sre.parse(pattern)
        if tree.state.flags & ~_sre.SRE_FLAG_UNICODE:
            return _never
        data = list(tree.data)
        branches = data[0][1][1] if len(data) == 1 and data[0][0] is _sre.BRANCH else [data]
        leaving = []  # first-word tests of the alternatives that may leave the word
        for branch in branches:
            if not _in_word(list(branch)):
                test = first_word_test(unparse(list(branch)))
                if test is None:
                    return _never
                leaving.append(test)
    except (_Unsupported, re.error, RecursionError, TypeError, ValueError):
        return _never
    if not leaving:
        return _always
    return lambda word: not any(test(word + " ") for test in leaving)


def _never(word: str) -> bool:
    return False


def _always(word: str) -> bool:
    return True


def _in_word(items: list[Any]) -> bool:
    for op, av in items:
        if op in (_sre.LITERAL, _sre.IN):
            chars = _class_chars(op, av)
            if chars is None or not chars <= _WORD_CHARS:
                return False
        elif op is _sre.SUBPATTERN:
            if av[1] or av[2] or not _in_word(list(av[-1])):
                return False
        elif op is _sre.BRANCH:
            if not all(_in_word(list(branch)) for branch in av[1]):
                return False
        elif op in (_sre.MAX_REPEAT, _sre.MIN_REPEAT, getattr(_sre, "POSSESSIVE_REPEAT", None)):
            if not _in_word(list(av[2])):
                return False
        else:
            return False
    return True
