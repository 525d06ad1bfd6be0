"""How the built-in cues can begin, worked out from the rules ahead of time and shipped
(findings/data/tagger_cue_openings.json), so `leap tag` does not parse every cue's regex at
start-up. Regenerate after changing the rules: ``python -m findings.tagger_cue_table``."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

from findings.cue_openings import Opening, openings

SHIPPED = Path(__file__).with_name("data") / "tagger_cue_openings.json"

Openings = frozenset[Opening] | None
"""A cue's openings as findings.cue_openings.openings gives them (None: it may begin anywhere)."""


def fresh_table() -> dict[str, list[list[str]] | None]:
    """Each built-in cue pattern's openings as JSON data, worked out now from the rules."""
    from findings.tagger import Tagger

    patterns = sorted({pattern for pattern, _, _ in Tagger(model=False)._cues._patterns})
    table: dict[str, list[list[str]] | None] = {}
    for pattern in patterns:
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


def main() -> int:
    """Write the shipped table from the current rules."""
    lines = [
        f"{json.dumps(pattern)}: {json.dumps(keys, separators=(',', ':'))}"
        for pattern, keys in fresh_table().items()
    ]
    SHIPPED.write_text("{\n" + ",\n".join(lines) + "\n}\n", encoding="utf-8")
    print(f"wrote {SHIPPED}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
