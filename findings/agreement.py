"""Inter-coder agreement on themes: Cohen's kappa per theme and overall, and micro-F1.

Each theme is a yes/no decision per finding, so two codings of the same sample give, for every
theme, a two-by-two table: both coders tagged it, only the first, only the second, neither.
Cohen's kappa is the agreement beyond what the coders' own rates would give by chance:
``(observed - expected) / (1 - expected)``. The overall kappa pools every theme's table (each
finding-theme decision counted once); micro-F1 is ``2 * both / (2 * both + first only + second
only)`` over the same pooled decisions.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

TOO_FEW = 5
"""A theme tagged (by either coder) on fewer findings of the sample than this is not judged."""

MODERATE = 0.6
"""Below this kappa agreement is at best moderate: trends in the theme need care."""

AGREEMENT_BANDS: tuple[tuple[float, str], ...] = (
    (0.0, "poor"),
    (0.21, "slight"),
    (0.41, "fair"),
    (0.61, "moderate"),
    (0.81, "substantial"),
)
"""Landis and Koch's bands: a kappa (to two decimals) below each bound has its name; 0.81 and
above is almost perfect."""


def agreement_band(kappa: float) -> str:
    """The Landis and Koch name of a kappa: poor, slight, fair, moderate, substantial or almost
    perfect (0.17 is slight, 0.45 moderate)."""
    shown = round(kappa, 2)  # as format_kappa shows it: 0.206, shown 0.21, reads as fair
    return next((name for bound, name in AGREEMENT_BANDS if shown < bound), "almost perfect")


def low_agreement_words(kappa: float | None) -> str:
    """How little coders agree on a theme, in words beside its kappa: 'coders' agreement on
    this theme is only slight' (the recurrence screen and the briefing add "treat trends with
    care")."""
    if kappa is None:
        return "coders' agreement on this theme cannot be judged"
    band = agreement_band(kappa)
    if band == "poor":
        return "coders agree on this theme no better than chance"
    return f"coders' agreement on this theme is only {band}"


def cohen_kappa(both: int, first_only: int, second_only: int, neither: int) -> float | None:
    """Cohen's kappa of a two-by-two table, or None when it is undefined (no variation)."""
    n = both + first_only + second_only + neither
    if n == 0:
        return None
    observed = (both + neither) / n
    first_yes = (both + first_only) / n
    second_yes = (both + second_only) / n
    expected = first_yes * second_yes + (1 - first_yes) * (1 - second_yes)
    if expected >= 1:
        return None
    return (observed - expected) / (1 - expected)


def category_kappa(first: Sequence[str], second: Sequence[str]) -> float | None:
    """Cohen's kappa of two codings into any categories (polarity), or None if undefined."""
    n = len(first)
    if n == 0 or n != len(second):
        return None
    observed = sum(a == b for a, b in zip(first, second, strict=True)) / n
    expected = sum((first.count(c) / n) * (second.count(c) / n) for c in set(first) | set(second))
    if expected >= 1:
        return None
    return (observed - expected) / (1 - expected)


@dataclass(frozen=True)
class ThemeAgreement:
    """One theme's two-by-two table over a sample and its kappa."""

    slug: str
    both: int
    first_only: int
    second_only: int
    neither: int

    @property
    def occurrences(self) -> int:
        """Findings of the sample that either coder tagged with the theme."""
        return self.both + self.first_only + self.second_only

    @property
    def too_few(self) -> bool:
        """True when the theme occurs too rarely in the sample for its kappa to mean much."""
        return self.occurrences < TOO_FEW

    @property
    def kappa(self) -> float | None:
        """Cohen's kappa for the theme (None when undefined)."""
        return cohen_kappa(self.both, self.first_only, self.second_only, self.neither)

    @property
    def low(self) -> bool:
        """True when the theme is judged and its kappa is below MODERATE."""
        kappa = self.kappa
        return not self.too_few and kappa is not None and kappa < MODERATE

    def plus(self, other: ThemeAgreement) -> ThemeAgreement:
        """The table of two samples pooled."""
        return ThemeAgreement(
            self.slug,
            self.both + other.both,
            self.first_only + other.first_only,
            self.second_only + other.second_only,
            self.neither + other.neither,
        )

    @property
    def kappa_text(self) -> str:
        """'0.62', 'too few to judge', or 'no variation'."""
        if self.too_few:
            return "too few to judge"
        kappa = self.kappa
        return "no variation" if kappa is None else f"{kappa:.2f}"


@dataclass(frozen=True)
class Agreement:
    """How far two codings of one sample agree: per theme, overall, and on polarity."""

    first: str
    second: str
    findings: int
    themes: list[ThemeAgreement] = field(default_factory=list)
    polarity_agreed: int = 0
    polarity_kappa: float | None = None

    def _pooled(self) -> tuple[int, int, int, int]:
        return (
            sum(t.both for t in self.themes),
            sum(t.first_only for t in self.themes),
            sum(t.second_only for t in self.themes),
            sum(t.neither for t in self.themes),
        )

    @property
    def kappa(self) -> float | None:
        """Kappa over every finding-theme decision of the themes either coder used."""
        return cohen_kappa(*self._pooled())

    @property
    def micro_f1(self) -> float | None:
        """Micro-averaged F1 of one coding against the other (symmetric), None if no tags."""
        both, first_only, second_only, _ = self._pooled()
        tagged = 2 * both + first_only + second_only
        return 2 * both / tagged if tagged else None

    def theme(self, slug: str) -> ThemeAgreement | None:
        """One theme's table, if the theme was used in the sample."""
        return next((t for t in self.themes if t.slug == slug), None)


def compare(
    first: Sequence[Iterable[str]],
    second: Sequence[Iterable[str]],
    *,
    first_name: str = "first coder",
    second_name: str = "second coder",
    first_polarity: Sequence[str] = (),
    second_polarity: Sequence[str] = (),
) -> Agreement:
    """Compare two codings of the same findings (the i-th set of each is one finding's themes)."""
    if len(first) != len(second):
        raise ValueError("the two codings must cover the same findings")
    first_sets = [frozenset(s) for s in first]
    second_sets = [frozenset(s) for s in second]
    n = len(first_sets)
    used = set().union(*first_sets, *second_sets) if n else set()
    themes = []
    for slug in used:
        both = sum(1 for a, b in zip(first_sets, second_sets, strict=True) if slug in a & b)
        first_only = sum(1 for a, b in zip(first_sets, second_sets, strict=True) if slug in a - b)
        second_only = sum(1 for a, b in zip(first_sets, second_sets, strict=True) if slug in b - a)
        themes.append(
            ThemeAgreement(slug, both, first_only, second_only, n - both - first_only - second_only)
        )
    themes.sort(key=lambda t: (-t.occurrences, t.slug))
    polarity_agreed = 0
    polarity_kappa = None
    if first_polarity and len(first_polarity) == len(second_polarity) == n:
        polarity_agreed = sum(a == b for a, b in zip(first_polarity, second_polarity, strict=True))
        polarity_kappa = category_kappa(list(first_polarity), list(second_polarity))
    return Agreement(
        first=first_name,
        second=second_name,
        findings=n,
        themes=themes,
        polarity_agreed=polarity_agreed,
        polarity_kappa=polarity_kappa,
    )


def pooled_themes(agreements: Sequence[Agreement]) -> dict[str, ThemeAgreement]:
    """Each theme's table summed over several rounds (in a round where no one used a theme,
    every finding of the round counts as 'neither' for it)."""
    slugs = {t.slug for a in agreements for t in a.themes}
    pooled = {slug: ThemeAgreement(slug, 0, 0, 0, 0) for slug in slugs}
    for agreement in agreements:
        for slug in slugs:
            table = agreement.theme(slug) or ThemeAgreement(slug, 0, 0, 0, agreement.findings)
            pooled[slug] = pooled[slug].plus(table)
    return pooled


def format_kappa(value: float | None) -> str:
    """A kappa or F1 to two decimals, or a dash when undefined."""
    return "–" if value is None else f"{value:.2f}"
