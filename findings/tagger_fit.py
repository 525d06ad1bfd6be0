"""Fitting the theme model with scikit-learn: per-theme and polarity classifiers, thresholds.

Imported only to fit or to cross-validate (``leap tag --train``, the benchmarks); tagging reads
the fitted weights with findings.tagger_model and never imports scikit-learn or numpy.
Thresholds are chosen on held-out folds grouped by source document, never on the sentences a
classifier was fitted on.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

POLARITIES = ("weakness", "strength", "mixed", "neutral")
MODEL_VERSION = 1
REGULARISATION = 16.0
"""Inverse regularisation strength (scikit-learn's C) of every classifier. Picked by hand
among 1, 4, 16 and 32 (with WEIGHT_FLOOR among 0.15, 0.3 and 0.4) by a few grouped-CV runs of
benchmarks/bench_tagger_cv.py: a light selection outside the nested folds, unlike the
thresholds, which are chosen inside them."""
MIN_DOCUMENT_COUNT = 2
"""A feature must occur in this many training sentences to get a weight."""
WEIGHT_FLOOR = 0.3
"""Weights smaller than this are dropped from the shipped model (it changes no decision)."""
FOLDS = 5
LIKELY_PRECISION = 0.8
"""A suggestion is "likely" above the score where held-out precision reaches this."""

Progress = Callable[[float, str], None]
Featurise = Callable[[str], set[str]]


@dataclass(frozen=True)
class Example:
    """One coded sentence: its text, themes, polarity and the document (group) it came from."""

    text: str
    themes: frozenset[str]
    polarity: str
    group: str
    register: str = ""
    file: str = ""


def examples_from_records(records: Sequence[dict[str, Any]], default_group: str) -> list[Example]:
    """Coded sentences from JSON records with text, themes, polarity and (maybe) source."""
    out = []
    for record in records:
        polarity = record.get("polarity")
        out.append(
            Example(
                text=str(record["text"]),
                themes=frozenset(record.get("themes") or ()),
                polarity=polarity if polarity in POLARITIES else "weakness",
                group=str(record.get("source") or default_group),
                register=str(record.get("register") or ""),
                file=str(record.get("file") or ""),
            )
        )
    return out


class _Matrix:
    """Feature sets as scikit-learn rows: each present feature valued 1/sqrt(all features)."""

    def __init__(self, feature_sets: Sequence[set[str]]) -> None:
        counts: dict[str, int] = {}
        for found in feature_sets:
            for feature in found:
                counts[feature] = counts.get(feature, 0) + 1
        names = sorted(f for f, n in counts.items() if n >= MIN_DOCUMENT_COUNT)
        self.names = names
        self.column = {name: i for i, name in enumerate(names)}

    def rows(self, feature_sets: Sequence[set[str]]) -> Any:
        from scipy.sparse import csr_matrix

        data: list[float] = []
        indices: list[int] = []
        pointers = [0]
        column = self.column
        for found in feature_sets:
            value = 1.0 / math.sqrt(len(found)) if found else 0.0
            cols = sorted(column[f] for f in found if f in column)
            indices.extend(cols)
            data.extend([value] * len(cols))
            pointers.append(len(indices))
        return csr_matrix(
            (data, indices, pointers), shape=(len(feature_sets), len(self.names)), dtype=float
        )


def _binary(x: Any, y: list[int]) -> Any:
    """A fitted binary classifier, or None when one class is missing."""
    from sklearn.linear_model import LogisticRegression

    if len(set(y)) < 2:
        return None
    model = LogisticRegression(C=REGULARISATION, class_weight="balanced", solver="liblinear")
    return model.fit(x, y)


def _fit_raw(
    examples: Sequence[Example], themes: Sequence[str], feature_sets: Sequence[set[str]]
) -> tuple[_Matrix, list[Any], Any]:
    """Fitted per-theme classifiers and the polarity classifier (scikit-learn objects)."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.multiclass import OneVsRestClassifier

    matrix = _Matrix(feature_sets)
    x = matrix.rows(feature_sets)
    classifiers = [_binary(x, [int(t in e.themes) for e in examples]) for t in themes]
    polarity = OneVsRestClassifier(
        LogisticRegression(C=REGULARISATION, class_weight="balanced", solver="liblinear")
    )
    polarity.fit(x, [e.polarity for e in examples])
    return matrix, classifiers, polarity


def _raw_scores(
    fitted: tuple[_Matrix, list[Any], Any], feature_sets: Sequence[set[str]]
) -> tuple[list[list[float]], list[str]]:
    """Each sentence's theme probabilities and its predicted polarity."""
    matrix, classifiers, polarity = fitted
    x = matrix.rows(feature_sets)
    columns = []
    for classifier in classifiers:
        if classifier is None:
            columns.append([0.0] * len(feature_sets))
        else:
            columns.append(list(classifier.predict_proba(x)[:, 1]))
    scores = [list(row) for row in zip(*columns, strict=True)] if columns else []
    return scores, list(polarity.predict(x))


def grouped_folds(
    examples: Sequence[Example], folds: int = FOLDS
) -> list[tuple[list[int], list[int]]]:
    """Train/test index lists where no group (source document) is on both sides."""
    from sklearn.model_selection import GroupKFold

    groups = [e.group for e in examples]
    n = min(folds, len(set(groups)))
    if n < 2:
        return []
    splitter = GroupKFold(n_splits=n)
    return [
        (list(train), list(test))
        for train, test in splitter.split(list(range(len(examples))), groups=groups)
    ]


@dataclass
class HeldOut:
    """Scores for every sentence from classifiers that never saw its document."""

    scores: list[list[float]]
    polarity: list[str]


def held_out(
    examples: Sequence[Example],
    themes: Sequence[str],
    feature_sets: Sequence[set[str]],
    folds: int = FOLDS,
    progress: Progress | None = None,
) -> HeldOut:
    """Out-of-fold scores over grouped folds."""
    scores: list[list[float]] = [[0.0] * len(themes) for _ in examples]
    polarity = ["neutral"] * len(examples)
    splits = grouped_folds(examples, folds)
    for done, (train, test) in enumerate(splits):
        fitted = _fit_raw([examples[i] for i in train], themes, [feature_sets[i] for i in train])
        fold_scores, fold_polarity = _raw_scores(fitted, [feature_sets[i] for i in test])
        for i, row, pol in zip(test, fold_scores, fold_polarity, strict=True):
            scores[i], polarity[i] = row, pol
        if progress:
            progress((done + 1) / (len(splits) + 1), f"held-out fold {done + 1} of {len(splits)}")
    return HeldOut(scores, polarity)


def gated(polarity: str) -> bool:
    """Whether a sentence of this polarity may carry themes (strengths and neutral do not)."""
    return polarity in ("weakness", "mixed")


def choose_thresholds(
    examples: Sequence[Example], themes: Sequence[str], out: HeldOut
) -> dict[str, tuple[float, float]]:
    """Per theme: the score that maximises held-out F1 ("possible") and a stricter score
    where held-out precision reaches LIKELY_PRECISION ("likely")."""
    chosen = {}
    for t, slug in enumerate(themes):
        pairs = sorted(
            (
                (out.scores[i][t] if gated(out.polarity[i]) else 0.0, slug in e.themes)
                for i, e in enumerate(examples)
            ),
            reverse=True,
        )
        positives = sum(1 for _, y in pairs if y)
        best_f1, possible = -1.0, 0.5
        likely = None
        hits = 0
        for rank, (score, y) in enumerate(pairs, start=1):
            hits += y
            if rank < len(pairs) and pairs[rank][0] == score:
                continue
            f1 = 2 * hits / (rank + positives) if positives else 0.0
            if f1 > best_f1 and score > 0:
                best_f1, possible = f1, score
            if hits / rank >= LIKELY_PRECISION and hits >= 3:
                likely = score
        possible = max(0.2, min(possible, 0.9))
        likely = max(possible, likely if likely is not None else possible + 0.2)
        chosen[slug] = (round(possible - 1e-6, 4), round(min(likely, 0.97), 4))
    return chosen


def micro_f1(
    examples: Sequence[Example],
    themes: Sequence[str],
    out: HeldOut,
    thresholds: dict[str, tuple[float, float]],
    chosen: Sequence[int],
) -> float:
    """Micro-F1 of the held-out scores over some sentences, at the chosen thresholds."""
    hits = suggested = wanted = 0
    for i in chosen:
        expected = examples[i].themes
        wanted += len(expected)
        if not gated(out.polarity[i]):
            continue
        for t, slug in enumerate(themes):
            if out.scores[i][t] >= thresholds[slug][0]:
                suggested += 1
                hits += slug in expected
    return 2 * hits / (suggested + wanted) if suggested + wanted else 0.0


def _parts(examples: Sequence[Example]) -> dict[str, list[int]]:
    """All sentences, and those of each file, by index."""
    parts: dict[str, list[int]] = {"all": list(range(len(examples)))}
    for i, example in enumerate(examples):
        parts.setdefault(example.file or "unnamed", []).append(i)
    return parts


def fit_model(
    examples: Sequence[Example],
    themes: Sequence[str],
    featurise: Featurise,
    progress: Progress | None = None,
    folds: int = FOLDS,
    weight_floor: float | None = None,
) -> dict[str, Any]:
    """The fitted model as a plain dict (what findings.tagger_model reads): weights of every
    feature that matters, per theme and per polarity, and thresholds from held-out folds."""
    feature_sets = [featurise(e.text) for e in examples]
    out = held_out(examples, themes, feature_sets, folds, progress)
    thresholds = choose_thresholds(examples, themes, out)
    held_out_f1 = {
        name: round(micro_f1(examples, themes, out, thresholds, chosen), 3)
        for name, chosen in _parts(examples).items()
    }
    matrix, classifiers, polarity = _fit_raw(examples, themes, feature_sets)
    classes = list(polarity.classes_)
    outputs = [*themes, *(f"polarity:{c}" for c in classes)]
    weights: dict[str, list[list[float]]] = {}
    biases = []
    rows: list[Any] = []
    for classifier in classifiers:
        if classifier is None:
            rows.append(None)
            biases.append(-30.0)
        else:
            rows.append(classifier.coef_[0])
            biases.append(float(classifier.intercept_[0]))
    for estimator in polarity.estimators_:
        rows.append(estimator.coef_[0])
        biases.append(float(estimator.intercept_[0]))
    for index, row in enumerate(rows):
        if row is None:
            continue
        for column, weight in enumerate(row):
            if abs(weight) >= (WEIGHT_FLOOR if weight_floor is None else weight_floor):
                weights.setdefault(matrix.names[column], []).append(
                    [index, round(float(weight), 2)]
                )
    if progress:
        progress(1.0, "fitted")
    return {
        "version": MODEL_VERSION,
        "outputs": outputs,
        "bias": [round(b, 4) for b in biases],
        "thresholds": {slug: list(pair) for slug, pair in thresholds.items()},
        "sentences": len(examples),
        "held_out_f1": held_out_f1,
        "weights": weights,
    }
