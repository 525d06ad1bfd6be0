"""A briefing on coding consistency: the latest moderation round, and themes with a low kappa."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from findings.agreement import format_kappa, low_agreement_words
from findings.panel_cycle import period_text

if TYPE_CHECKING:
    from db.base import Reader
    from findings.moderation import RoundAgreement


@dataclass(frozen=True)
class LowAgreement:
    """A theme coders agree on too little (kappa below 0.6), with its pooled kappa."""

    slug: str
    name: str
    kappa: float | None
    rounds: int

    @property
    def text(self) -> str:
        """'Lack of professional curiosity: treat trends with care: ... (kappa 0.41 over ...)'."""
        words = low_agreement_words(self.kappa)
        rounds = "round" if self.rounds == 1 else f"{self.rounds} rounds"
        kappa = format_kappa(self.kappa)
        return (
            f"{self.name}: treat trends with care: {words} "
            f"(kappa {kappa} over the latest {rounds})."
        )


def consistency_sentence(latest: RoundAgreement, names: dict[str, str]) -> str:
    """One sentence on the latest completed round (no one named)."""
    coders = latest.coders
    r = latest.round
    sentence = (
        f"In the latest moderation round, a second QA lead coded {coders.findings} findings from "
        f"{period_text(r.period_start, r.period_end)} blind: overall agreement on themes was "
        f"kappa {format_kappa(coders.kappa)} (micro-F1 {format_kappa(coders.micro_f1)})"
    )
    low = sorted(latest.low_themes, key=lambda t: t.kappa or 0)
    if low:
        sentence += ", lowest on " + ", ".join(
            f"{names.get(t.slug, t.slug).lower()} ({format_kappa(t.kappa)})" for t in low[:3]
        )
    return sentence + "."


def consistency_for(db: Reader, names: dict[str, str]) -> tuple[str, list[LowAgreement]]:
    """The summary's sentence on the latest completed round ('' if none) and the themes to flag."""
    from db.moderation_store import latest_completed, low_agreement_themes

    recent = latest_completed(db)
    if not recent:
        return "", []
    flagged = [
        LowAgreement(slug, names.get(slug, slug), table.kappa, len(recent))
        for slug, table in sorted(low_agreement_themes(db).items(), key=lambda kv: kv[1].kappa or 0)
    ]
    return consistency_sentence(recent[0], names), flagged
