"""Regular expressions kept as CPython's compiled programs, so a cold start need not compile them.

``re.compile`` parses and compiles a pattern in Python code, then hands the program it made (a
list of integers) to the C engine, _sre; for the tagger's long cue patterns that is most of a
cold start's regex cost. A program is only valid for the interpreter that made it, so a table
of programs records its :data:`ENGINE` and is used only by the same one: any other Python
compiles the patterns as usual (see findings.tagger_cue_table).
"""

from __future__ import annotations

import _sre
import re
import sys
from re import _compiler, _parser  # type: ignore[attr-defined]

ENGINE = f"{sys.implementation.cache_tag}/sre-{_sre.MAGIC}"
"""The interpreter and regex engine whose programs a table holds."""


def program(pattern: str) -> str | None:
    """A pattern's compiled program as text ("flags groups code..."), or None for a pattern
    with named groups (which this table does not carry)."""
    tree = _parser.parse(pattern, 0)
    if tree.state.groupdict:
        return None
    code = _compiler._code(tree, 0)
    return " ".join(map(str, [int(tree.state.flags), tree.state.groups, *map(int, code)]))


def compiled(pattern: str, text: str | None) -> re.Pattern[str]:
    """The pattern from its program made by :func:`program` (as re.compile would make it), or
    compiled anew when there is none."""
    if text is not None:
        try:
            flags, groups, *code = map(int, text.split(" "))
            return _sre.compile(pattern, flags, code, groups - 1, {}, (None,) * groups)
        except (AttributeError, ValueError, TypeError, RuntimeError):  # damaged: _sre refuses it
            pass
    return re.compile(pattern)
