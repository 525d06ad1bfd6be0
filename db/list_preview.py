"""The newest findings as plain text lines, read with sqlite3 alone for the app's first paint.

The findings screen shows these while the full list (models, filters, the interactive table)
is still being prepared, so nothing here may import pydantic or sqlite-utils.
"""

from __future__ import annotations

import sqlite3
from typing import NamedTuple


class PreviewLine(NamedTuple):
    """One finding as the list shows it."""

    event_date: str
    source_type: str
    pdu_name: str
    strength: bool
    summary: str
    themes: str


def newest_findings(db: sqlite3.Connection, limit: int) -> tuple[list[PreviewLine], int]:
    """The ``limit`` newest live findings (as the list's default order) and how many live."""
    (live,) = db.execute(
        "SELECT (SELECT count(*) FROM findings) "
        "- (SELECT count(*) FROM findings WHERE deleted_at IS NOT NULL)"
    ).fetchone()
    rows = db.execute(
        "SELECT f.event_date, f.source_type, coalesce(p.name, f.pdu), f.polarity, f.summary, "
        "(SELECT group_concat(theme_slug, ', ') FROM "
        " (SELECT theme_slug FROM finding_themes WHERE finding_seq = f.seq ORDER BY theme_slug)) "
        "FROM findings f LEFT JOIN pdus p ON p.code = f.pdu WHERE f.deleted_at IS NULL "
        "ORDER BY f.event_date DESC, f.seq DESC LIMIT ?",
        [limit],
    ).fetchall()
    lines = [
        PreviewLine(date, source, pdu_name, polarity == "strength", summary, themes or "")
        for date, source, pdu_name, polarity, summary, themes in rows
    ]
    return lines, int(live)
