"""Moderation rounds: a second coder codes a random sample of findings blind (the domain part).

The sample is stratified by source type: each type gets its share of the sample in proportion
to the findings it holds in the period (largest remainders decide the odd places), and the
findings within a type are drawn with a seeded random generator, so anyone holding the seed and
the same findings can draw the same sample again and see that it was fair.
"""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

from findings.agreement import Agreement, ThemeAgreement, compare

DEFAULT_SIZE = 20
"""Findings in a round unless told otherwise."""

MAX_SIZE = 500
"""A round larger than this would not be coded by one person; it is refused."""

ROUNDS_FOR_FLAGS = 3
"""Themes are flagged on their kappa pooled over this many of the latest completed rounds."""


def same_person(first: str, second: str) -> bool:
    """Whether two recorded names are the same person (case and spacing ignored)."""
    return " ".join(first.split()).casefold() == " ".join(second.split()).casefold()


def allocate(strata: Mapping[str, int], size: int) -> dict[str, int]:
    """How many to draw from each stratum: proportional, largest remainders, never more
    than a stratum holds; the whole of every stratum when ``size`` covers them all."""
    total = sum(strata.values())
    if size >= total:
        return dict(strata)
    exact = {key: size * count / total for key, count in strata.items()}
    shares = {key: int(value) for key, value in exact.items()}
    left = size - sum(shares.values())
    by_remainder = sorted(strata, key=lambda k: (-(exact[k] - shares[k]), k))
    for key in by_remainder[:left]:
        shares[key] += 1
    return shares


def draw_sample(strata: Mapping[str, Sequence[str]], size: int, seed: int) -> list[str]:
    """A stratified random sample of ids (``strata``: ids by source type, in a stable order).

    The same strata, size and seed always give the same sample, in the same order.
    """
    rng = random.Random(seed)
    shares = allocate({key: len(ids) for key, ids in strata.items()}, size)
    drawn: list[str] = []
    for key in sorted(strata):
        drawn.extend(rng.sample(list(strata[key]), shares[key]))
    rng.shuffle(drawn)
    return drawn


def new_seed() -> int:
    """A fresh random seed for a round's draw (stored with the round)."""
    return random.SystemRandom().randrange(1, 2**31)


@dataclass(frozen=True)
class SampleItem:
    """One finding of a round's sample: the first coding as drawn, and the second, if done."""

    position: int
    finding_id: str
    source_type: str
    first_coder: str
    first_themes: frozenset[str]
    first_polarity: str
    tagger_themes: frozenset[str]
    tagger_polarity: str
    summary: str = ""
    narrative: str = ""
    deleted: bool = False
    """The finding was deleted after the draw: it is skipped and reported."""
    second_themes: frozenset[str] | None = None
    second_polarity: str | None = None
    agreed_themes: frozenset[str] | None = None
    agreed_polarity: str | None = None
    note: str = ""

    @property
    def coded(self) -> bool:
        """True once the second coder has coded this finding."""
        return self.second_themes is not None

    @property
    def disagreement(self) -> bool:
        """True when the two coders chose different themes or polarity."""
        return self.coded and (
            self.second_themes != self.first_themes or self.second_polarity != self.first_polarity
        )

    @property
    def moderated(self) -> bool:
        """True once the lead has recorded the agreed coding."""
        return self.agreed_themes is not None


@dataclass(frozen=True)
class ModerationRound:
    """A sample of a period's findings given to a second coder."""

    id: int
    period_start: date
    period_end: date
    coder: str
    seed: int
    size_requested: int
    created_at: datetime
    panel_id: str | None = None
    note: str = ""
    items: list[SampleItem] = field(default_factory=list)

    @property
    def live(self) -> list[SampleItem]:
        """The sample without findings deleted since the draw."""
        return [i for i in self.items if not i.deleted]

    @property
    def skipped(self) -> list[SampleItem]:
        """Findings deleted since the draw: not coded, not counted."""
        return [i for i in self.items if i.deleted]

    @property
    def coded_count(self) -> int:
        """Live findings the second coder has coded."""
        return sum(1 for i in self.live if i.coded)

    @property
    def complete(self) -> bool:
        """True when every live finding of the sample is coded."""
        return bool(self.live) and all(i.coded for i in self.live)

    @property
    def progress(self) -> str:
        """'7 of 20'."""
        return f"{self.coded_count} of {len(self.live)}"

    @property
    def next_item(self) -> SampleItem | None:
        """The first live finding not yet coded (where coding resumes)."""
        return next((i for i in self.live if not i.coded), None)

    @property
    def disagreements(self) -> list[SampleItem]:
        """Coded live findings where the coders differ."""
        return [i for i in self.live if i.disagreement]

    @property
    def status(self) -> str:
        """'in progress', 'complete' or 'moderated' (every disagreement settled)."""
        if not self.complete:
            return "in progress"
        disagreements = self.disagreements
        if disagreements and all(i.moderated for i in disagreements):
            return "moderated"
        return "complete"


@dataclass(frozen=True)
class RoundAgreement:
    """A completed round's agreement: coder against coder, and the tagger against each."""

    round: ModerationRound
    coders: Agreement
    tagger_first: Agreement
    tagger_second: Agreement

    @property
    def low_themes(self) -> list[ThemeAgreement]:
        """Themes judged in this round whose coder-against-coder kappa is below 0.6."""
        return [t for t in self.coders.themes if t.low]


def round_agreement(moderation_round: ModerationRound) -> RoundAgreement:
    """The agreement figures of a round over its coded, live findings."""
    coded = [i for i in moderation_round.live if i.coded]
    first = [i.first_themes for i in coded]
    second = [i.second_themes or frozenset() for i in coded]
    tagger = [i.tagger_themes for i in coded]
    first_pol = [i.first_polarity for i in coded]
    second_pol = [i.second_polarity or "" for i in coded]
    tagger_pol = [i.tagger_polarity for i in coded]
    second_name = moderation_round.coder
    return RoundAgreement(
        round=moderation_round,
        coders=compare(
            first,
            second,
            first_name="first coder",
            second_name=second_name,
            first_polarity=first_pol,
            second_polarity=second_pol,
        ),
        tagger_first=compare(
            tagger,
            first,
            first_name="tagger",
            second_name="first coder",
            first_polarity=tagger_pol,
            second_polarity=first_pol,
        ),
        tagger_second=compare(
            tagger,
            second,
            first_name="tagger",
            second_name=second_name,
            first_polarity=tagger_pol,
            second_polarity=second_pol,
        ),
    )
