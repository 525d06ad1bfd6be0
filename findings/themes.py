"""The built-in theme taxonomy, loaded from packaged data."""

from __future__ import annotations

from findings.models import Stage, Theme
from findings.theme_names import builtin_theme_data


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
        for row in builtin_theme_data()
    ]


def builtin_slugs() -> list[str]:
    """Slugs of the built-in themes, in order."""
    return [str(row["slug"]) for row in builtin_theme_data()]


def typical_wording(slug: str) -> list[str]:
    """The typical wording the taxonomy gives for a built-in theme (for help text)."""
    for row in builtin_theme_data():
        if row["slug"] == slug:
            wording = row.get("wording", [])
            return [str(w) for w in wording] if isinstance(wording, list) else []
    return []
