"""The tagger's own model in the database (the meta table) and the findings it learns from."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any, NamedTuple

from db.base import write_transaction

if TYPE_CHECKING:
    import sqlite_utils

    from db.base import Reader

MODEL_KEY = "tagger_model"
PACKED_KEY = "tagger_model_packed"
"""The stored model packed for a fast load (findings.tagger_model.packed_file): a cache of the
JSON under MODEL_KEY, used only when it was made from that JSON by the Python reading it."""
REVIEWED_ORIGINS = ("confirmed", "manual", "moderated")
"""Tags a person has stood behind (confirmed, added by hand, or agreed at moderation); a
rejected suggestion is not among them but kept apart, in theme_rejections."""


class TaggerTheme(NamedTuple):
    """What the tagger needs of a theme of the database (read without pydantic: `leap tag`
    starts in a tenth of a second rather than half a second)."""

    slug: str
    name: str
    builtin: bool
    active: bool
    cues: list[str]
    merged_into: str | None


def tagger_themes(db: Reader) -> list[TaggerTheme]:
    """Every theme of the database, inactive ones included, as the tagger reads them."""
    rows = db.execute(
        "SELECT slug, name, builtin, active, cues, merged_into FROM themes ORDER BY sort, name"
    ).fetchall()
    return [
        TaggerTheme(slug, name, bool(builtin), bool(active), json.loads(cues or "[]"), merged)
        for slug, name, builtin, active, cues, merged in rows
    ]


def stored_model(db: Reader) -> tuple[str | None, bytes | None]:
    """The database's fitted tagger model: its JSON text and its packed companion (each None
    when missing)."""
    rows = dict(
        db.execute(
            "SELECT key, value FROM meta WHERE key IN (?, ?)", [MODEL_KEY, PACKED_KEY]
        ).fetchall()
    )
    packed = rows.get(PACKED_KEY)
    return rows.get(MODEL_KEY), packed if isinstance(packed, bytes) else None


def save_model_text(
    db: sqlite_utils.Database,
    text: str,
    summary: str,
    *,
    packed: bytes | None = None,
    actor: str | None = None,
) -> None:
    """Store a newly fitted model (replacing any earlier one, and its packed companion) and
    note it in the history."""
    from db.history import record_change  # pydantic: kept off the path of `leap tag`

    with write_transaction(db):
        db.execute(
            "INSERT INTO meta (key, value) VALUES (?, ?) "
            "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            [MODEL_KEY, text],
        )
        db.execute("DELETE FROM meta WHERE key = ?", [PACKED_KEY])
        if packed:
            db.execute("INSERT INTO meta (key, value) VALUES (?, ?)", [PACKED_KEY, packed])
        record_change(
            db,
            entity="meta",
            entity_id=MODEL_KEY,
            action="update",
            before=None,
            after={"summary": summary},
            actor=actor,
        )


def training_rows(db: Reader) -> list[dict[str, Any]]:
    """Findings a person has reviewed, as coded sentences: their narrative (or summary),
    their confirmed and hand-added themes, their polarity, and their source as the group.

    A finding counts as reviewed when it has a confirmed, hand-added or moderated theme, a
    theme a person rejected for it (stored in theme_rejections), or it is recorded as a
    strength or neutral (which carry no themes). Every theme not attached to a reviewed
    finding is a negative for it: a stored rejection always so, even on a finding whose
    suggestions were all rejected (it has no theme left, yet a person said which do not
    apply); findings whose only tags are unconfirmed suggestions are left out.
    """
    reviewed = ", ".join("?" * len(REVIEWED_ORIGINS))
    rows = db.execute(
        f"""
        SELECT f.seq, f.narrative, f.summary, f.polarity, f.source_type, f.source_ref,
               group_concat(CASE WHEN ft.origin IN ({reviewed})
                            THEN ft.theme_slug END, char(31)),
               EXISTS (SELECT 1 FROM theme_rejections r WHERE r.finding_seq = f.seq)
        FROM findings f
        LEFT JOIN finding_themes ft ON ft.finding_seq = f.seq
        WHERE f.deleted_at IS NULL
        GROUP BY f.seq
        """,
        REVIEWED_ORIGINS,
    ).fetchall()
    out = []
    for _seq, narrative, summary, polarity, source_type, source_ref, themes, rejected in rows:
        slugs = sorted(set(themes.split("\x1f"))) if themes else []
        if not slugs and not rejected and polarity not in ("strength", "neutral"):
            continue
        text = (narrative or "").strip() or (summary or "").strip()
        if not text:
            continue
        out.append(
            {
                "text": text,
                "themes": slugs,
                "polarity": polarity,
                "source": f"database: {source_type} {source_ref}",
                "register": "database",
                "file": "database",
            }
        )
    return out
