"""Scoring a theme tagger against labelled sentences: micro and per-theme P/R/F1, polarity."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from findings.tagger import Tagger


def _ratio(num: int, den: int) -> float:
    return num / den if den else 0.0


def _f1(precision: float, recall: float) -> float:
    return 2 * precision * recall / (precision + recall) if precision + recall else 0.0


@dataclass(frozen=True)
class ThemeScore:
    """Precision, recall and F1 of one theme; support is how many records carry it."""

    slug: str
    tp: int
    fp: int
    fn: int

    @property
    def support(self) -> int:
        return self.tp + self.fn

    @property
    def precision(self) -> float:
        return _ratio(self.tp, self.tp + self.fp)

    @property
    def recall(self) -> float:
        return _ratio(self.tp, self.tp + self.fn)

    @property
    def f1(self) -> float:
        return _f1(self.precision, self.recall)


@dataclass(frozen=True)
class Mistake:
    """A record the tagger got wrong (themes or polarity)."""

    text: str
    expected: tuple[str, ...]
    suggested: tuple[str, ...]
    expected_polarity: str | None
    polarity: str


@dataclass(frozen=True)
class EvaluationReport:
    """How well a tagger's suggestions match labelled records."""

    records: int
    tp: int
    fp: int
    fn: int
    per_theme: tuple[ThemeScore, ...]
    polarity_correct: int
    polarity_total: int
    mistakes: tuple[Mistake, ...]

    @property
    def precision(self) -> float:
        """Micro-averaged precision over every (record, theme) pair."""
        return _ratio(self.tp, self.tp + self.fp)

    @property
    def recall(self) -> float:
        """Micro-averaged recall over every (record, theme) pair."""
        return _ratio(self.tp, self.tp + self.fn)

    @property
    def f1(self) -> float:
        """Micro-averaged F1."""
        return _f1(self.precision, self.recall)

    @property
    def polarity_accuracy(self) -> float:
        """Share of records with a labelled polarity whose polarity the tagger matched."""
        return _ratio(self.polarity_correct, self.polarity_total)

    def format(self) -> str:
        """The report as a plain-text table for a terminal."""
        lines = [
            f"records: {self.records}",
            f"themes (micro): precision {self.precision:.3f}  recall {self.recall:.3f}  "
            f"F1 {self.f1:.3f}  (tp {self.tp}, fp {self.fp}, fn {self.fn})",
        ]
        if self.polarity_total:
            lines.append(
                f"polarity accuracy: {self.polarity_accuracy:.3f} "
                f"({self.polarity_correct}/{self.polarity_total})"
            )
        if self.per_theme:
            width = max(24, *(len(t.slug) for t in self.per_theme))
            lines += ["", f"{'theme':<{width}}  {'P':>5}  {'R':>5}  {'F1':>5}  {'support':>7}"]
            for t in self.per_theme:
                lines.append(
                    f"{t.slug:<{width}}  {t.precision:5.2f}  {t.recall:5.2f}  {t.f1:5.2f}  "
                    f"{t.support:>7}"
                )
        return "\n".join(lines)


def _labels(value: Any) -> set[str]:
    if isinstance(value, str):
        return {value} if value else set()
    if isinstance(value, Iterable):
        return {str(v) for v in value if v}
    return set()


def evaluate(tagger: Tagger, records: Iterable[dict[str, Any]]) -> EvaluationReport:
    """Score the tagger on records of the form {"text", "themes": [slugs], "polarity"?}."""
    counts: dict[str, list[int]] = {}  # slug -> [tp, fp, fn]
    n = polarity_correct = polarity_total = 0
    mistakes = []
    for record in records:
        n += 1
        text = str(record.get("text") or "")
        expected = _labels(record.get("themes"))
        result = tagger.tag(text)
        suggested = set(result.slugs)
        for slug in expected | suggested:
            row = counts.setdefault(slug, [0, 0, 0])
            if slug in expected and slug in suggested:
                row[0] += 1
            elif slug in suggested:
                row[1] += 1
            else:
                row[2] += 1
        expected_polarity = record.get("polarity")
        polarity_ok = True
        if expected_polarity:
            polarity_total += 1
            polarity_ok = result.polarity == expected_polarity
            polarity_correct += polarity_ok
        if expected != suggested or not polarity_ok:
            mistakes.append(
                Mistake(
                    text,
                    tuple(sorted(expected)),
                    tuple(result.slugs),
                    expected_polarity,
                    result.polarity,
                )
            )
    per_theme = tuple(
        ThemeScore(slug, *row)
        for slug, row in sorted(counts.items(), key=lambda kv: (-(kv[1][0] + kv[1][2]), kv[0]))
    )
    return EvaluationReport(
        records=n,
        tp=sum(t.tp for t in per_theme),
        fp=sum(t.fp for t in per_theme),
        fn=sum(t.fn for t in per_theme),
        per_theme=per_theme,
        polarity_correct=polarity_correct,
        polarity_total=polarity_total,
        mistakes=tuple(mistakes),
    )
