"""Demo moderation: one completed round with realistic disagreements, moderated in part, and one
round a second coder is part way through."""

from __future__ import annotations

import random
from collections import Counter
from datetime import date
from typing import TYPE_CHECKING

from db.moderation_store import (
    ModerationError,
    get_round,
    record_decision,
    save_coding,
    start_round,
)
from findings.moderation import ModerationRound, SampleItem

if TYPE_CHECKING:
    import sqlite_utils

DEMO_CODER = "QA lead B (demo)"
"""The demo's second coder (synthetic)."""
COMPLETED_SIZE = 40
COMPLETED_MONTHS = 6
"""The completed round samples the six months to the end of the last held panel's period."""
IN_PROGRESS_SIZE = 20
IN_PROGRESS_CODED = 7
MODERATED = 4
"""Disagreements of the completed round the lead has already settled."""

# Themes easy to confuse: a second coder often reads a finding the first tagged with one as the
# other ("did not verify" is both a gap in curiosity and an assessment drawing on too little;
# a missing police call-out check is both information sharing and domestic abuse). The sample's
# most tagged theme is read as its partner two times in three, so the completed round always
# has a theme below 0.6 whatever day the demo is built on; other confusions are left to chance.
_PARTNERS = {
    "risk_assessment": "professional_curiosity",
    "professional_curiosity": "risk_assessment",
    "optimism_bias": "risk_assessment",
    "information_sharing": "domestic_abuse",
    "domestic_abuse": "information_sharing",
    "management_oversight": "untimely_review",
    "untimely_review": "management_oversight",
    "planning": "contingency_planning",
    "contingency_planning": "planning",
}
_CONFUSED = 0.3
"""Chance that the second coder reads any other confusable theme as its partner."""
_DROP = 0.06
"""Chance that the second coder misses any other theme the first applied."""
_FLIP_POLARITY = 0.04


class _SecondCoder:
    """How a second coder plausibly codes the findings a first coder coded."""

    def __init__(self, seed: int, *, muddled: str | None) -> None:
        self.rng = random.Random(seed)
        self.muddled = muddled
        self.seen = 0

    def code(self, item: SampleItem) -> tuple[set[str], str]:
        rng = self.rng
        themes: set[str] = set()
        for slug in sorted(item.first_themes):
            partner = _PARTNERS.get(slug, "risk_assessment")
            if slug == self.muddled:
                self.seen += 1
                themes.add(slug if self.seen % 3 == 1 else partner)
            elif self.muddled and slug in _PARTNERS and rng.random() < _CONFUSED:
                themes.add(partner)
            elif rng.random() >= _DROP:
                themes.add(slug)
        polarity = item.first_polarity
        if rng.random() < _FLIP_POLARITY:
            polarity = "strength" if polarity == "weakness" else "weakness"
        if polarity == "strength":
            themes.clear()
        return themes, polarity


def _most_tagged(items: list[SampleItem]) -> str | None:
    counts = Counter(slug for item in items for slug in item.first_themes)
    return min(counts, key=lambda slug: (-counts[slug], slug)) if counts else None


def write_demo_moderation(db: sqlite_utils.Database, today: date) -> int:
    """Write the demo rounds over the last held panel's period and the next panel's; returns
    how many rounds were written (none if the database already has some or has no panels)."""
    if db.execute("SELECT 1 FROM moderation_rounds LIMIT 1").fetchone():
        return 0
    panels = db.execute(
        "SELECT id, period_start, period_end, status FROM panels ORDER BY held_on DESC LIMIT 2"
    ).fetchall()
    if len(panels) < 2:
        return 0
    upcoming, last_held = panels
    from findings.recurrence import period_ending

    done = _demo_round(
        db,
        (
            period_ending(date.fromisoformat(last_held[2]), COMPLETED_MONTHS)[0],
            date.fromisoformat(last_held[2]),
        ),
        size=COMPLETED_SIZE,
        seed=20260,
        panel_id=last_held[0],
    )
    if done is None:
        return 0
    coder = _SecondCoder(2026, muddled=_most_tagged(done.items))
    for item in done.items:
        themes, polarity = coder.code(item)
        save_coding(db, done.id, item.position, themes, polarity)
    for item in get_round(db, done.id).disagreements[:MODERATED]:
        assert item.second_themes is not None
        agreed = item.first_themes | item.second_themes
        record_decision(
            db,
            done.id,
            item.position,
            agreed,
            item.first_polarity,
            note="Both readings are supported by the narrative; both themes kept.",
            actor="demo",
            today=today,
        )
    end = min(date.fromisoformat(upcoming[2]), today)
    ongoing = _demo_round(
        db,
        (date.fromisoformat(upcoming[1]), end),
        size=IN_PROGRESS_SIZE,
        seed=20261,
        panel_id=upcoming[0],
    )
    if ongoing is None:
        return 1
    coder = _SecondCoder(2027, muddled=None)
    for item in ongoing.items[:IN_PROGRESS_CODED]:
        themes, polarity = coder.code(item)
        save_coding(db, ongoing.id, item.position, themes, polarity)
    return 2


def _demo_round(
    db: sqlite_utils.Database, period: tuple[date, date], *, size: int, seed: int, panel_id: str
) -> ModerationRound | None:
    """A demo round drawn over ``period`` by the demo's second coder; None when the period
    holds no findings to draw (a small demo can leave one empty: that round is left out)."""
    try:
        return start_round(
            db,
            period_start=period[0],
            period_end=period[1],
            coder=DEMO_CODER,
            size=size,
            seed=seed,
            panel_id=panel_id,
            actor="demo",
        ).round
    except ModerationError:
        return None
