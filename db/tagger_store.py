"""The tagger's own model in the database (the meta table) and the findings it learns from."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from db.base import write_transaction
from db.history import record_change

if TYPE_CHECKING:
    import sqlite_utils

    from db.base import Reader

MODEL_KEY = "tagger_model"
REVIEWED_ORIGINS = ("confirmed", "manual", "moderated")
"""Tags a person has stood behind (confirmed, added by hand, or agreed at moderation); a
rejected suggestion is simply not among them."""


def stored_model_text(db: Reader) -> str | None:
    """The JSON text of the database's fitted tagger model, if it has one."""
    row = db.execute("SELECT value FROM meta WHERE key = ?", [MODEL_KEY]).fetchone()
    return row[0] if row else None


def save_model_text(
    db: sqlite_utils.Database, text: str, summary: str, *, actor: str | None = None
) -> None:
    """Store a newly fitted model (replacing any earlier one) and note it in the history."""
    with write_transaction(db):
        db.execute(
            "INSERT INTO meta (key, value) VALUES (?, ?) "
            "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            [MODEL_KEY, text],
        )
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

    A finding counts as reviewed when it has a confirmed, hand-added or moderated theme, or it is
    recorded as a strength or neutral (which carry no themes). Every theme not attached to a
    reviewed finding, a rejected suggestion among them, is a negative for it; findings whose
    only tags are unconfirmed suggestions are left out.
    """
    reviewed = ", ".join("?" * len(REVIEWED_ORIGINS))
    rows = db.execute(
        f"""
        SELECT f.seq, f.narrative, f.summary, f.polarity, f.source_type, f.source_ref,
               group_concat(CASE WHEN ft.origin IN ({reviewed})
                            THEN ft.theme_slug END, char(31))
        FROM findings f
        LEFT JOIN finding_themes ft ON ft.finding_seq = f.seq
        WHERE f.deleted_at IS NULL
        GROUP BY f.seq
        """,
        REVIEWED_ORIGINS,
    ).fetchall()
    out = []
    for _seq, narrative, summary, polarity, source_type, source_ref, themes in rows:
        slugs = sorted(set(themes.split("\x1f"))) if themes else []
        if not slugs and polarity not in ("strength", "neutral"):
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
