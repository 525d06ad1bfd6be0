"""Rewrites a regular expression into an equivalent one that Python's engine backtracks less in.

Python's ``re`` is a backtracking engine that runs patterns as written. Three rewrites keep every
match (same start, same end, same branch chosen first) and save it work:

* an optional group ``(?:X)?`` becomes ``(?:X|)``: the same order of trials, without the
  bookkeeping of a general repeat;
* a short bounded repeat ``(?:X){0,3}`` is unrolled into nested optionals ``(?:X(?:X(?:X|)|)|)``
  (when X cannot match empty, greedy repetition is exactly that);
* a one-character repeat that can never give characters back usefully becomes possessive:
  in ``[a-z']+\\s+was`` the letters cannot be followed by anything but white space, so trying
  shorter runs of letters can only fail (``[a-z']++\\s+was``).

Patterns with capturing groups, inline flags or constructs this does not know are left alone.
"""

from __future__ import annotations

import re
from functools import cache
from re import _constants as _c  # type: ignore[attr-defined]
from re import _parser as _p  # type: ignore[attr-defined]
from typing import Any

_UNROLL_LIMIT = 12
_ENUMERABLE_LIMIT = 512
_SINGLE_CHAR = (_c.LITERAL, _c.NOT_LITERAL, _c.IN, _c.ANY)
_AT = {
    _c.AT_BEGINNING: "^",
    _c.AT_BEGINNING_STRING: r"\A",
    _c.AT_END: "$",
    _c.AT_END_STRING: r"\Z",
    _c.AT_BOUNDARY: r"\b",
    _c.AT_NON_BOUNDARY: r"\B",
}
_CATEGORY = {
    _c.CATEGORY_SPACE: r"\s",
    _c.CATEGORY_NOT_SPACE: r"\S",
    _c.CATEGORY_DIGIT: r"\d",
    _c.CATEGORY_NOT_DIGIT: r"\D",
    _c.CATEGORY_WORD: r"\w",
    _c.CATEGORY_NOT_WORD: r"\W",
}

Items = list[tuple[Any, Any]]
Atom = tuple[Any, Any]  # a set of characters: the single-character regex item that matches it
First = list[Atom] | None  # the characters a match may begin with; None when unknown


class _Unsupported(Exception):
    """A construct the rewriter leaves to the engine as written."""


@cache
def faster(pattern: str) -> str:
    """An equivalent pattern that backtracks less, or the pattern itself if it cannot tell."""
    try:
        tree = _p.parse(pattern)
        if tree.state.groups > 1 or tree.state.flags & ~_c.SRE_FLAG_UNICODE:
            return pattern
        rewritten = unparse(_sequence(list(tree.data), None, tree.state))
        re.compile(rewritten)
    except (_Unsupported, re.error, RecursionError):
        return pattern
    return rewritten


# --- rewriting --------------------------------------------------------------------------------


def _sequence(items: Items, follow: First, state: Any) -> Items:
    """The items rewritten; follow: what may come right after them."""
    out: Items = []
    for i, (op, av) in enumerate(items):
        out.extend(_item(op, av, _first(items[i + 1 :], follow), state))
    return out


def _item(op: Any, av: Any, follow: First, state: Any) -> Items:
    if op in _SINGLE_CHAR or op is _c.AT:
        return [(op, av)]
    if op is _c.BRANCH:
        alternatives = [_sub(_sequence(list(alt), follow, state), state) for alt in av[1]]
        return [(op, (None, alternatives))]
    if op is _c.SUBPATTERN:
        group, add_flags, del_flags, body = av
        if group is not None or add_flags or del_flags:
            raise _Unsupported
        return _sequence(list(body), follow, state)
    if op is _c.ASSERT or op is _c.ASSERT_NOT:
        direction, body = av
        if direction < 0:  # lookbehinds must keep a fixed width: leave them as written
            return [(op, av)]
        return [(op, (direction, _sub(_sequence(list(body), None, state), state)))]
    if op is _c.MAX_REPEAT:
        return _repeat(av, follow, state)
    if op in (_c.MIN_REPEAT, getattr(_c, "POSSESSIVE_REPEAT", None)):
        low, high, body = av
        return [(op, (low, high, _sub(_sequence(list(body), None, state), state)))]
    raise _Unsupported


def _repeat(av: Any, follow: First, state: Any) -> Items:
    low, high, body = av
    items = list(body)
    if len(items) == 1 and items[0][0] in _SINGLE_CHAR:
        if follow is not None and _disjoint(items[0], follow):
            return [(_c.POSSESSIVE_REPEAT, (low, high, body))]
        return [(_c.MAX_REPEAT, av)]
    own = _first(items, [])
    # after one pass of the body may come another pass or what follows the repeat
    inner_follow = None if own is None or follow is None else own + follow
    rewritten = _sequence(items, inner_follow, state)
    if high == _c.MAXREPEAT or high - low > _UNROLL_LIMIT or _width(items, state) == 0:
        return [(_c.MAX_REPEAT, (low, high, _sub(rewritten, state)))]
    optional: Items = []
    for _ in range(high - low):
        optional = [(_c.BRANCH, (None, [_sub(rewritten + optional, state), _sub([], state)]))]
    return rewritten * low + optional


def _sub(items: Items, state: Any) -> Any:
    return _p.SubPattern(state, items)


def _width(items: Items, state: Any) -> int:
    return int(_sub(items, state).getwidth()[0])


# --- which characters can come first ----------------------------------------------------------


def _first(items: Items, follow: First) -> First:
    """The characters a match of items (then follow) may begin with."""
    atoms: list[Atom] = []
    for op, av in items:
        if op in _SINGLE_CHAR:
            return [*atoms, (op, av)]
        if op is _c.AT or op is _c.ASSERT or op is _c.ASSERT_NOT:
            continue  # zero width: the next item consumes the first character
        if op is _c.BRANCH:
            alternatives = [_first(list(alt), []) for alt in av[1]]
            if any(a is None for a in alternatives):
                return None
            atoms += [atom for alt in alternatives for atom in alt or []]
            if all(_p.SubPattern(None, list(alt)).getwidth()[0] > 0 for alt in av[1]):
                return atoms
            continue
        if op is _c.SUBPATTERN:
            body = list(av[3])
        elif op in (_c.MAX_REPEAT, _c.MIN_REPEAT, getattr(_c, "POSSESSIVE_REPEAT", None)):
            body = list(av[2]) if av[0] > 0 else []
            if av[0] == 0:
                inner = _first(list(av[2]), [])
                if inner is None:
                    return None
                atoms += inner
                continue
        else:
            return None
        inner = _first(body, [])
        if inner is None:
            return None
        atoms += inner
        if _p.SubPattern(None, body).getwidth()[0] > 0:
            return atoms
    return None if follow is None else atoms + follow


def _disjoint(repeated: Atom, follow: list[Atom]) -> bool:
    """Whether no character of the repeated item can begin what follows it."""
    return all(_atoms_disjoint(repeated, atom) for atom in follow)


def _atoms_disjoint(a: Atom, b: Atom) -> bool:
    chars_a, chars_b = _enumerate(a), _enumerate(b)
    if chars_a is not None and chars_b is not None:
        return chars_a.isdisjoint(chars_b)
    if chars_a is not None:
        return not any(_matcher(b)(ch) for ch in chars_a)
    if chars_b is not None:
        return not any(_matcher(a)(ch) for ch in chars_b)
    return False


def _enumerate(atom: Atom) -> frozenset[str] | None:
    op, av = atom
    if op is _c.LITERAL:
        return frozenset(chr(av))
    if op is not _c.IN:
        return None
    chars: set[str] = set()
    for item_op, item_av in av:
        if item_op is _c.LITERAL:
            chars.add(chr(item_av))
        elif item_op is _c.RANGE and item_av[1] - item_av[0] < _ENUMERABLE_LIMIT:
            chars.update(chr(c) for c in range(item_av[0], item_av[1] + 1))
        else:
            return None
    return frozenset(chars)


def _matcher(atom: Atom) -> Any:
    return re.compile(unparse([atom])).fullmatch


# --- back to text -----------------------------------------------------------------------------


def unparse(items: Items) -> str:
    """Pattern text for parsed regex items (the subset the rewriter produces)."""
    return "".join(_unparse_item(op, av) for op, av in items)


def _unparse_item(op: Any, av: Any) -> str:
    if op is _c.LITERAL:
        return re.escape(chr(av))
    if op is _c.NOT_LITERAL:
        return f"[^{re.escape(chr(av))}]"
    if op is _c.ANY:
        return "."
    if op is _c.IN:
        return "[" + "".join(_unparse_class_item(o, a) for o, a in av) + "]"
    if op is _c.AT:
        return _AT[av]
    if op is _c.BRANCH:
        return "(?:" + "|".join(unparse(list(alt)) for alt in av[1]) + ")"
    if op is _c.SUBPATTERN and av[0] is None and not av[1] and not av[2]:
        return "(?:" + unparse(list(av[3])) + ")"
    if op is _c.ASSERT or op is _c.ASSERT_NOT:
        direction, body = av
        opener = {
            (True, 1): "(?=",
            (True, -1): "(?<=",
            (False, 1): "(?!",
            (False, -1): "(?<!",
        }[(op is _c.ASSERT, direction)]
        return opener + unparse(list(body)) + ")"
    if op in (_c.MAX_REPEAT, _c.MIN_REPEAT, getattr(_c, "POSSESSIVE_REPEAT", None)):
        low, high, body = av
        if (low, high) == (0, 1):
            quantifier = "?"
        elif (low, high) == (0, _c.MAXREPEAT):
            quantifier = "*"
        elif (low, high) == (1, _c.MAXREPEAT):
            quantifier = "+"
        elif high == _c.MAXREPEAT:
            quantifier = f"{{{low},}}"
        else:
            quantifier = f"{{{low},{high}}}"
        suffix = "?" if op is _c.MIN_REPEAT else "+" if op is not _c.MAX_REPEAT else ""
        return "(?:" + unparse(list(body)) + ")" + quantifier + suffix
    raise _Unsupported


def _unparse_class_item(op: Any, av: Any) -> str:
    if op is _c.LITERAL:
        return re.escape(chr(av))
    if op is _c.RANGE:
        return re.escape(chr(av[0])) + "-" + re.escape(chr(av[1]))
    if op is _c.NEGATE:
        return "^"
    if op is _c.CATEGORY and av in _CATEGORY:
        return _CATEGORY[av]
    raise _Unsupported


def literal_chars(op: Any, av: Any) -> set[str] | None:
    """The characters one parsed regex item can match, if few and known (" ": any space)."""
    if op is _p.LITERAL:
        return {chr(av)}
    if op is not _p.IN:
        return None
    chars: set[str] = set()
    for item_op, item_av in av:
        if item_op is _p.LITERAL:
            chars.add(chr(item_av))
        elif item_op is _p.RANGE and item_av[1] - item_av[0] < 12:
            chars.update(chr(c) for c in range(item_av[0], item_av[1] + 1))
        elif item_op is _p.CATEGORY and item_av is _p.CATEGORY_SPACE:
            chars.add(" ")
        else:
            return None
    return chars
