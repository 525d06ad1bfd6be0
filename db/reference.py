"""Reference data in the store: the region, its PDUs and the theme taxonomy."""

from __future__ import annotations

import json
from datetime import date
from typing import TYPE_CHECKING, Any

from db.base import region_name as region_name  # the light core has it; re-exported here
from findings.models import Pdu, Stage, Theme

if TYPE_CHECKING:
    import sqlite_utils

    from db.base import Reader


def list_pdus(db: Reader, *, include_inactive: bool = False) -> list[Pdu]:
    """The region's PDUs in their display order."""
    where = "" if include_inactive else " WHERE active = 1"
    return [
        Pdu(code=code, name=name, active=bool(active))
        for code, name, active in db.execute(
            f"SELECT code, name, active FROM pdus{where} ORDER BY sort, name"
        ).fetchall()
    ]


def pdu_names(db: Reader) -> dict[str, str]:
    """PDU code to display name, inactive PDUs included (old findings still name them)."""
    return {p.code: p.name for p in list_pdus(db, include_inactive=True)}


def region_names(db: Reader) -> dict[str, str]:
    """Region code to name for every region whose records this file holds, in name order."""
    return dict(db.execute("SELECT code, name FROM regions ORDER BY name").fetchall())


def unknown_region_message(db: Reader, codes: list[str]) -> str | None:
    """What is wrong with ``codes`` as region codes of this file (None when all are known)."""
    known = region_names(db)
    unknown = [code for code in codes if code not in known]
    if not unknown:
        return None
    return f"unknown region {', '.join(repr(c) for c in unknown)}; this file holds " + ", ".join(
        f"{code} ({name})" for code, name in known.items()
    )


def pdu_codes(db: Reader, given: list[str]) -> list[str]:
    """The codes of PDUs given by code or name (case ignored: 'Oxfordshire' or 'oxfordshire').

    Raises ValueError naming each unknown one and listing the file's PDU codes.
    """
    return _codes_named(given, pdu_names(db), "PDU", "code")


def theme_slugs(db: Reader, given: list[str]) -> list[str]:
    """The slugs of themes given by slug or name (case ignored), inactive themes included.

    Raises ValueError naming each unknown one and listing the themes' slugs.
    """
    return _codes_named(given, theme_names(db), "theme", "slug")


def _codes_named(given: list[str], names: dict[str, str], kind: str, code_word: str) -> list[str]:
    from findings.spreadsheet import words

    index = {words(name): code for code, name in names.items()}
    index.update({words(code): code for code in names})
    found = [index.get(words(text)) for text in given]
    unknown = [text for text, code in zip(given, found, strict=True) if code is None]
    if unknown:
        listed = ", ".join(repr(u) for u in unknown)
        raise ValueError(
            f"unknown {kind}{'s' if len(unknown) > 1 else ''} {listed}; use a {code_word} or name: "
            + ", ".join(f"{code} ({name})" for code, name in names.items())
        )
    return [code for code in found if code is not None]


def pdu_regions(db: Reader) -> dict[str, str]:
    """PDU code to the code of the region it belongs to."""
    return dict(db.execute("SELECT code, region FROM pdus").fetchall())


def home_region(db: Reader) -> str:
    """The code of this file's own region (set once, when the file was made or upgraded)."""
    row = db.execute("SELECT value FROM meta WHERE key = 'region_code'").fetchone()
    return str(row[0]) if row else ""


def save_pdu(db: sqlite_utils.Database, pdu: Pdu) -> None:
    """Add a PDU or rename/(de)activate an existing one."""
    db.execute(
        "INSERT INTO pdus (code, name, active) VALUES (?, ?, ?) ON CONFLICT(code) DO UPDATE "
        "SET name = excluded.name, active = excluded.active",
        [pdu.code, pdu.name, int(pdu.active)],
    )


def _row_to_theme(row: tuple[Any, ...]) -> Theme:
    slug, name, description, stage, builtin, active, cues, merged_into = row
    return Theme(
        slug=slug,
        name=name,
        description=description,
        stage=Stage(stage),
        builtin=bool(builtin),
        active=bool(active),
        cues=json.loads(cues or "[]"),
        merged_into=merged_into,
    )


def list_themes(db: Reader, *, include_inactive: bool = False) -> list[Theme]:
    """The taxonomy: built-in themes in their documented order, then user themes by name."""
    where = "" if include_inactive else " WHERE active = 1"
    rows = db.execute(
        "SELECT slug, name, description, stage, builtin, active, cues, merged_into "
        f"FROM themes{where} ORDER BY sort, name"
    ).fetchall()
    return [_row_to_theme(r) for r in rows]


def theme_names(db: Reader) -> dict[str, str]:
    """Theme slug to display name, inactive themes included."""
    return {t.slug: t.name for t in list_themes(db, include_inactive=True)}


def validation_context(db: Reader, today: date | None = None) -> dict[str, Any]:
    """The context models are validated with: known PDUs and active themes, and the clock."""
    context: dict[str, Any] = {
        "pdus": {p.code for p in list_pdus(db, include_inactive=True)},
        "themes": {t.slug for t in list_themes(db, include_inactive=False)},
    }
    if today is not None:
        context["today"] = today
    return context
