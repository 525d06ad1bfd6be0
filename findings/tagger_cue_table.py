"""How the built-in cues can begin, and their compiled regex programs, worked out from the rules
ahead of time and shipped (findings/data/tagger_cue_openings.json and
tagger_cue_programs.json.gz), so `leap tag` neither parses every cue's regex at start-up nor
compiles the ones it tries. Regenerate after changing the rules (the programs with the Python
that runs leap): ``python -m findings.tagger_cue_table``."""

from __future__ import annotations

import json
import zlib
from functools import cache
from pathlib import Path

from findings.cue_index import cue_regex
from findings.cue_openings import Opening, openings
from findings.regex_programs import ENGINE, program

SHIPPED = Path(__file__).with_name("data") / "tagger_cue_openings.json"
PROGRAMS = SHIPPED.with_name("tagger_cue_programs.json.gz")
_GZIP = 31
"""zlib's window bits for reading and writing the gzip format."""

Openings = frozenset[Opening] | None
"""A cue's openings as findings.cue_openings.openings gives them (None: it may begin anywhere)."""


def _builtin_patterns() -> list[str]:
    """The cue patterns of the built-in rules."""
    from findings.tagger import Tagger

    return sorted({pattern for pattern, _, _ in Tagger(model=False)._cues._patterns})


def fresh_table() -> dict[str, list[list[str]] | None]:
    """Each built-in cue pattern's openings as JSON data, worked out now from the rules."""
    table: dict[str, list[list[str]] | None] = {}
    for pattern in _builtin_patterns():
        keys = openings(pattern)
        table[pattern] = None if keys is None else sorted(map(list, keys))
    return table


@cache
def shipped_openings() -> dict[str, Openings]:
    """The shipped openings by pattern ({} when the file is missing: then all are worked out)."""
    try:
        data = json.loads(SHIPPED.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    return {
        pattern: None if keys is None else frozenset(map(tuple, keys))
        for pattern, keys in data.items()
    }


def fresh_programs() -> dict[str, str | None]:
    """Each built-in cue pattern's compiled program (findings.regex_programs), made now."""
    return {pattern: program(cue_regex(pattern)) for pattern in _builtin_patterns()}


@cache
def shipped_programs() -> dict[str, str | None]:
    """The shipped programs by cue pattern; {} when the file is missing or damaged or was made
    by another Python (then the cues are compiled as they are first tried)."""
    try:
        data = json.loads(zlib.decompress(PROGRAMS.read_bytes(), _GZIP))
    except (OSError, zlib.error, ValueError):
        return {}
    if not isinstance(data, dict) or data.get("engine") != ENGINE:
        return {}
    programs = data.get("programs")
    return programs if isinstance(programs, dict) else {}


def main() -> int:
    """Write the shipped tables from the current rules."""
    lines = [
        f"{json.dumps(pattern)}: {json.dumps(keys, separators=(',', ':'))}"
        for pattern, keys in fresh_table().items()
    ]
    SHIPPED.write_text("{\n" + ",\n".join(lines) + "\n}\n", encoding="utf-8")
    print(f"wrote {SHIPPED}")
    programs = {"engine": ENGINE, "programs": fresh_programs()}
    packer = zlib.compressobj(9, zlib.DEFLATED, _GZIP)
    text = json.dumps(programs, indent=0, sort_keys=True).encode()
    PROGRAMS.write_bytes(packer.compress(text) + packer.flush())
    print(f"wrote {PROGRAMS} (for {ENGINE})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
