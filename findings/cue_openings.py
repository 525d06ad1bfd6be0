"""How a cue can begin: its first word (or as much of it as is known), or the first word and
the next word's first letters.

A cue is tried at many words of a text, and most tries fail at once ("compromised" tried at
"completed", "underestimat[a-z]*" at "understood") or at the second word ("not recorded" tried
at "not completed"). Knowing which first words a cue can have, and the second word's first
letters, lets the cue index skip those tries. The analysis is conservative: every way the
pattern can begin is kept, so a cue is never skipped where it could match.
"""

from __future__ import annotations

from re import _parser as _sre  # type: ignore[attr-defined]
from typing import Any

_KEY_LEN = 4
_FIRST_WORD_LIMIT = 24
_REPEAT_LIMIT = 12
_WORD_CHARS = frozenset("abcdefghijklmnopqrstuvwxyz0123456789'")
_SPACE_CHARS = frozenset(" \t\n\r\f\v")

# (first word, second word, whether a space came between, whether settled)
_State = tuple[str, str, bool, bool]
_States = frozenset[_State]

Opening = tuple[str, ...]
"""("p", prefix): the first word starts with prefix (all of the first word the pattern tells,
at least _KEY_LEN letters); ("w", word): the first word is word;
("w2", word, prefix): the first word is word and the next starts with prefix."""


class _Unknown(Exception):
    """The first word of the pattern cannot be told."""


def openings(pattern: str) -> frozenset[Opening] | None:
    """Every way the pattern can begin; None when it could begin with anything.

    The pattern is read as a cue (findings.cue_index.cue_regex): no letter or digit may
    follow its match. Raises re.error when the pattern is not a regular expression.
    """
    tree = _sre.parse(pattern)
    try:
        states = _sequence(tree, frozenset({("", "", False, False)}))
    except (_Unknown, RecursionError, TypeError, ValueError):
        return None
    keys: set[Opening] = set()
    for first, second, spaced, done in states:
        if not first:
            return None
        if spaced:
            keys.add(("w2", first, second) if second else ("w", first))
        elif done and len(first) < _KEY_LEN:
            keys.add(("w", first))
        elif not done:
            # the pattern ends inside its first word, and a cue's guard lets no letter or digit
            # follow: the word is this one, or this one and an apostrophe ("no" is not tried
            # at "not" or "nothing")
            keys.add(("w", first))
            keys.add(("p", first + "'"))
        else:
            keys.add(("p", first))
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


def literal_chars(op: Any, av: Any) -> set[str] | None:
    """The characters one parsed regex item can match, if few and known (" ": any space)."""
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
