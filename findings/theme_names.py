"""The built-in taxonomy's raw data and the short names lists show themes by.

Standard library only and no importlib.resources (12 ms): the findings list's first drawing,
made while the app starts, names themes through ``short_name``.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from functools import cache
from pathlib import Path

THEMES_JSON = Path(__file__).with_name("data") / "themes.json"


@cache
def builtin_theme_data() -> list[dict[str, object]]:
    """The built-in themes as packaged (slug, name, short name, description, stage, wording)."""
    data: list[dict[str, object]] = json.loads(THEMES_JSON.read_text(encoding="utf-8"))
    return data


@cache
def _builtin_names() -> dict[str, tuple[str, str]]:
    """Slug -> (name, short name) of each built-in theme."""
    return {
        str(row["slug"]): (str(row["name"]), str(row["short_name"])) for row in builtin_theme_data()
    }


def short_name(slug: str, name: str) -> str:
    """How a list names a theme: a built-in theme's short name ("Management oversight"), unless
    it has been renamed; any other theme by its ``name``."""
    builtin = _builtin_names().get(slug)
    return builtin[1] if builtin is not None and builtin[0] == name else name


def short_names(names: dict[str, str]) -> dict[str, str]:
    """Slug -> short name, for every theme of ``names`` (slug -> name)."""
    return {slug: short_name(slug, name) for slug, name in names.items()}


def theme_list(slugs: Iterable[str], labels: dict[str, str]) -> str:
    """Themes as a list's cell shows them: their labels, in alphabetical order."""
    return ", ".join(sorted(labels.get(slug, slug) for slug in slugs))
