"""The built-in theme taxonomy, loaded from packaged data."""

from __future__ import annotations

import json
from functools import cache
from importlib import resources

from findings.models import Stage, Theme


@cache
def _raw_builtin() -> list[dict[str, object]]:
    text = resources.files("findings.data").joinpath("themes.json").read_text(encoding="utf-8")
    data: list[dict[str, object]] = json.loads(text)
    return data


def builtin_themes() -> list[Theme]:
    """The twenty built-in themes of the taxonomy, in their documented order."""
    return [
        Theme(
            slug=str(row["slug"]),
            name=str(row["name"]),
            description=str(row["description"]),
            stage=Stage(str(row["stage"])),
            builtin=True,
        )
        for row in _raw_builtin()
    ]


def builtin_slugs() -> list[str]:
    """Slugs of the built-in themes, in order."""
    return [str(row["slug"]) for row in _raw_builtin()]


def typical_wording(slug: str) -> list[str]:
    """The typical wording the taxonomy gives for a built-in theme (for help text)."""
    for row in _raw_builtin():
        if row["slug"] == slug:
            wording = row.get("wording", [])
            return [str(w) for w in wording] if isinstance(wording, list) else []
    return []
