"""The newest findings as plain text lines, read with sqlite3 alone for the app's first paint.

The findings screen shows these while the full list (models, filters, the interactive table)
is still being prepared, so nothing here may import pydantic or sqlite-utils.
"""

from __future__ import annotations

import json
import sqlite3
from typing import NamedTuple

from findings.theme_names import short_names, theme_list


class PreviewLine(NamedTuple):
    """One finding as the list shows it."""

    event_date: str
    source_type: str
    pdu_name: str
    strength: bool
    summary: str
    themes: str
    """The finding's themes by short name, as the list's cell shows them."""


def newest_findings(db: sqlite3.Connection, limit: int) -> tuple[list[PreviewLine], int]:
    """The ``limit`` newest live findings (as the list's default order) and how many live."""
    (live,) = db.execute(
        "SELECT (SELECT count(*) FROM findings) "
        "- (SELECT count(*) FROM findings WHERE deleted_at IS NOT NULL)"
    ).fetchone()
    # The page comes back as one JSON value: a statement hands the GIL back and forth once
    # per row it returns, and at start-up the UI thread is busy, so fetching 100 rows one by
    # one from this thread took ~75 ms; one row of JSON takes a millisecond.
    # The themes' names come in the same row.
    page, names = db.execute(
        "SELECT (SELECT coalesce(json_group_array(json_array("
        " event_date, source_type, pdu_name, polarity, summary, json(themes))), '[]') FROM ("
        "SELECT f.event_date, f.source_type, coalesce(p.name, f.pdu) AS pdu_name, f.polarity, "
        "f.summary, (SELECT json_group_array(theme_slug) FROM finding_themes "
        " WHERE finding_seq = f.seq) AS themes "
        "FROM findings f LEFT JOIN pdus p ON p.code = f.pdu WHERE f.deleted_at IS NULL "
        "ORDER BY f.event_date DESC, f.seq DESC LIMIT ?)), "
        "(SELECT json_group_object(slug, name) FROM themes)",
        [limit],
    ).fetchone()
    labels = short_names(json.loads(names))
    lines = [
        PreviewLine(
            date,
            source,
            pdu_name,
            polarity == "strength",
            summary,
            theme_list(themes, labels),
        )  # fmt: skip
        for date, source, pdu_name, polarity, summary, themes in json.loads(page)
    ]
    return lines, int(live)
