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
Setting = tuple[float, str | None]
"""A classifier's inverse regularisation strength (scikit-learn's C) and class weighting."""
SETTINGS: tuple[Setting, ...] = ((4.0, "balanced"), (16.0, "balanced"), (64.0, "balanced"))
"""The settings tried for every theme and for polarity; each gets the one with the best
held-out score on grouped folds of its training sentences (as its thresholds are chosen).
The fitted model keeps what was chosen ("settings"), and a refit with a database's findings
reuses it rather than trying them all again (three times the work)."""
DEFAULT_SETTING: Setting = (16.0, "balanced")
"""The setting of a theme no earlier fit chose one for (a user's own theme)."""
POLARITY_KEY = "polarity"
NB_MIX = 0.5
"""How far a classifier's features are scaled by their log-count ratio (0: not at all; 1:
fully, as in NB-SVM). Theme classifiers, grouped CV micro-F1: 0 -> 0.695, 0.25 -> 0.703,
0.5 -> 0.702, 1 -> 0.700; polarity classifiers (each polarity against the rest), accuracy:
0 -> 0.812, 0.5 -> 0.827, 1 -> 0.809. A fixed value, not tuned in the nested folds."""
MIN_DOCUMENT_COUNT = 2
"""A feature must occur in this many training sentences to get a weight."""
WEIGHT_FLOOR = 0.3
"""Weights smaller than this are dropped from the shipped model: a fixed value for its size,
not tuned on held-out scores. Grouped CV micro-F1 / polarity with floors 0, 0.15, 0.3 and
0.5: 0.720/0.826, 0.719/0.825, 0.721/0.827, 0.719/0.824 (flat); weights file 1.64 MB, 496 KB,
361 KB, less."""
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
    weight: float = 1.0
    """How much the sentence counts in fitting (see findings.tagger_training.CODED_WEIGHT)."""


def examples_from_records(
    records: Sequence[dict[str, Any]], default_group: str, weight: float = 1.0
) -> list[Example]:
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
                weight=weight,
            )
        )
    return out


class _Corpus:
    """Every sentence's features as one sparse matrix, built once: each present feature valued
    1/sqrt(all the sentence's features), a column for every feature met. A fit on some rows
    keeps the columns of the features found in MIN_DOCUMENT_COUNT of those rows (as a matrix
    built from those rows alone would), so the folds share the work of building it."""

    def __init__(self, feature_sets: Sequence[set[str]]) -> None:
        from scipy.sparse import csr_matrix

        names = sorted(set().union(*feature_sets))
        column = {name: i for i, name in enumerate(names)}
        data: list[float] = []
        indices: list[int] = []
        pointers = [0]
        for found in feature_sets:
            value = 1.0 / math.sqrt(len(found)) if found else 0.0
            indices.extend(sorted(map(column.__getitem__, found)))
            data.extend([value] * len(found))
            pointers.append(len(indices))
        self.names = names
        self.x = csr_matrix(
            (data, indices, pointers), shape=(len(feature_sets), len(names)), dtype=float
        )

    def kept_columns(self, rows_x: Any) -> Any:
        """The columns of the features that occur in MIN_DOCUMENT_COUNT of some rows (given as
        their slice of the matrix)."""
        import numpy as np

        counts = np.bincount(rows_x.indices, minlength=len(self.names))
        return np.flatnonzero(counts >= MIN_DOCUMENT_COUNT)


def gated(polarity: str) -> bool:
    """Whether a sentence of this polarity may carry themes (strengths and neutral do not)."""
    return polarity in ("weakness", "mixed")


def _setting(stored: Any) -> Setting:
    """A setting as a stored model gives it, or DEFAULT_SETTING when it gives none usable."""
    if isinstance(stored, list | tuple) and len(stored) == 2:
        strength, weighting = stored
        if isinstance(strength, int | float) and strength > 0 and weighting in ("balanced", None):
            return float(strength), weighting
    return DEFAULT_SETTING


def _classifier(setting: Setting) -> Any:
    from sklearn.linear_model import LogisticRegression

    # the dual problem: far quicker where features outnumber sentences (same optimum); liblinear
    # visits the sentences in a random order, so a fixed seed makes a refit give the same model
    return LogisticRegression(
        C=setting[0],
        class_weight=setting[1],
        solver="liblinear",
        dual=True,
        max_iter=1000,
        random_state=0,
    )


class _ScaledClassifier:
    """A logistic classifier fitted on columns scaled by how unevenly each feature falls
    between the two classes (NB-SVM, Wang and Manning 2012): 1 - NB_MIX + NB_MIX * |r|, r the
    smoothed log-count ratio. Its weights are given on the unscaled features."""

    def __init__(self, x: Any, y: list[int], setting: Setting, weights: Any) -> None:
        import numpy as np

        present = (x > 0).astype(float)
        labels = np.asarray(y)
        positive = 1.0 + np.asarray(present[labels == 1].sum(axis=0)).ravel()
        negative = 1.0 + np.asarray(present[labels == 0].sum(axis=0)).ravel()
        ratio = np.log((positive / positive.sum()) / (negative / negative.sum()))
        self.scale = 1.0 - NB_MIX + NB_MIX * np.abs(ratio)
        self.model = _classifier(setting).fit(self._scaled(x), y, sample_weight=weights)
        self.coef_ = self.model.coef_ * self.scale
        self.intercept_ = self.model.intercept_

    def _scaled(self, x: Any) -> Any:
        return x.multiply(self.scale[None, :]).tocsr()

    def predict_proba(self, x: Any) -> Any:
        return self.model.predict_proba(self._scaled(x))

    def decision_function(self, x: Any) -> Any:
        return self.model.decision_function(self._scaled(x))


class _OneVsRest:
    """The polarity classifier: one scaled binary classifier per polarity, the polarity whose
    classifier scores highest wins (as findings.tagger_model reads it)."""

    def __init__(self, x: Any, labels: list[str], setting: Setting, weights: Any) -> None:
        self.classes_ = sorted(set(labels))
        self.estimators_ = [
            _ScaledClassifier(x, [int(label == c) for label in labels], setting, weights)
            for c in self.classes_
        ]

    def predict(self, x: Any) -> list[str]:
        import numpy as np

        scores = np.column_stack([e.decision_function(x) for e in self.estimators_])
        return [self.classes_[i] for i in scores.argmax(axis=1)]


def _binary(x: Any, y: list[int], setting: Setting, weights: Any) -> _ScaledClassifier | None:
    """A fitted binary classifier, or None when one class is missing."""
    if len(set(y)) < 2:
        return None
    return _ScaledClassifier(x, y, setting, weights)


@dataclass
class _Fitted:
    """Fitted scikit-learn classifiers: per theme, one for each setting tried; per setting,
    one polarity classifier; and the corpus columns they read."""

    columns: Any
    themes: list[list[Any]]
    polarity: list[Any]


def _fit_raw(
    corpus: _Corpus,
    examples: Sequence[Example],
    rows: Sequence[int],
    themes: Sequence[str],
    theme_settings: Sequence[Sequence[Setting]],
    polarity_settings: Sequence[Setting],
) -> _Fitted:
    """Per-theme classifiers (one for each of that theme's settings) and polarity classifiers.

    A theme classifier learns from the weakness and mixed sentences only: which shortfall a
    sentence names, once the polarity classifier has read it as naming one (strengths and
    neutral sentences carry no themes, so they would only teach it that a subject is no theme).
    """
    examples = [examples[i] for i in rows]
    rows_x = corpus.x[list(rows)]
    columns = corpus.kept_columns(rows_x)
    x = rows_x[:, columns]
    shortfalls = [i for i, e in enumerate(examples) if gated(e.polarity)]
    x_shortfalls = x[shortfalls]
    weights = [e.weight for e in examples]
    shortfall_weights = [weights[i] for i in shortfalls]
    classifiers = []
    for slug, settings in zip(themes, theme_settings, strict=True):
        y = [int(slug in examples[i].themes) for i in shortfalls]
        classifiers.append(
            [_binary(x_shortfalls, y, setting, shortfall_weights) for setting in settings]
        )
    labels = [e.polarity for e in examples]
    polarity = [_OneVsRest(x, labels, setting, weights) for setting in polarity_settings]
    return _Fitted(columns, classifiers, polarity)


def _raw_scores(
    corpus: _Corpus, fitted: _Fitted, rows: Sequence[int]
) -> tuple[list[list[list[float]]], list[list[str]]]:
    """Each theme's probabilities for some sentences under each setting, and the predicted
    polarity of each under each polarity setting."""
    x = corpus.x[list(rows)][:, fitted.columns]
    scores = [
        [
            [0.0] * len(rows)
            if classifier is None
            else [float(p) for p in classifier.predict_proba(x)[:, 1]]
            for classifier in per_setting
        ]
        for per_setting in fitted.themes
    ]
    return scores, [list(classifier.predict(x)) for classifier in fitted.polarity]


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


@dataclass
class _GridHeldOut:
    """Held-out scores under every setting tried: theme x setting x sentence, and the
    polarity of every sentence under each polarity setting."""

    scores: list[list[list[float]]]
    polarity: list[list[str]]


def _held_out_grid(
    corpus: _Corpus,
    examples: Sequence[Example],
    themes: Sequence[str],
    folds: int,
    progress: Progress | None,
    theme_grid: Sequence[Sequence[Setting]],
    polarity_grid: Sequence[Setting],
) -> _GridHeldOut:
    """Out-of-fold scores over grouped folds, for every setting tried."""
    n = len(examples)
    scores = [[[0.0] * n for _ in settings] for settings in theme_grid]
    polarity = [["neutral"] * n for _ in polarity_grid]
    splits = grouped_folds(examples, folds)
    for done, (train, test) in enumerate(splits):
        fitted = _fit_raw(corpus, examples, train, themes, theme_grid, polarity_grid)
        fold_scores, fold_polarity = _raw_scores(corpus, fitted, test)
        for t, per_setting in enumerate(fold_scores):
            for k, column in enumerate(per_setting):
                for i, value in zip(test, column, strict=True):
                    scores[t][k][i] = value
        for k, column_labels in enumerate(fold_polarity):
            for i, label in zip(test, column_labels, strict=True):
                polarity[k][i] = label
        if progress:
            progress((done + 1) / (len(splits) + 1), f"held-out fold {done + 1} of {len(splits)}")
    return _GridHeldOut(scores, polarity)


def _best_cut(scores: Sequence[float], wanted: Sequence[bool]) -> tuple[float, float, float]:
    """Held-out F1 at the best score to cut at, that score ("possible") and a stricter one
    where held-out precision reaches LIKELY_PRECISION ("likely")."""
    pairs = sorted(zip(scores, wanted, strict=True), reverse=True)
    positives = sum(wanted)
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
    return best_f1, round(possible - 1e-6, 4), round(min(likely, 0.97), 4)


@dataclass
class _Choice:
    """The setting chosen for each theme and for polarity, by held-out scores, with the
    held-out scores under those settings and each theme's thresholds."""

    themes: list[Setting]
    polarity: Setting
    out: HeldOut
    thresholds: dict[str, tuple[float, float]]


def _choose(
    examples: Sequence[Example],
    themes: Sequence[str],
    grid: _GridHeldOut,
    theme_grid: Sequence[Sequence[Setting]],
    polarity_grid: Sequence[Setting],
) -> _Choice:
    """Per theme the setting (and thresholds) with the best held-out F1; for polarity the
    setting with the best held-out accuracy. Themes are read only in sentences whose held-out
    polarity may carry them."""
    hits = [
        sum(p == e.polarity for p, e in zip(column, examples, strict=True))
        for column in grid.polarity
    ]
    k_polarity = max(range(len(polarity_grid)), key=lambda k: (hits[k], -k))
    polarity = grid.polarity[k_polarity]
    open_to_themes = [gated(p) for p in polarity]
    chosen: list[Setting] = []
    thresholds = {}
    columns = []
    for t, slug in enumerate(themes):
        wanted = [slug in e.themes for e in examples]
        best: tuple[float, int, tuple[float, float]] | None = None
        for k, column in enumerate(grid.scores[t]):
            seen = [s if ok else 0.0 for s, ok in zip(column, open_to_themes, strict=True)]
            f1, possible, likely = _best_cut(seen, wanted)
            if best is None or f1 > best[0]:
                best = (f1, k, (possible, likely))
        assert best is not None
        chosen.append(theme_grid[t][best[1]])
        thresholds[slug] = best[2]
        columns.append(grid.scores[t][best[1]])
    scores = [list(row) for row in zip(*columns, strict=True)] if columns else []
    return _Choice(chosen, polarity_grid[k_polarity], HeldOut(scores, polarity), thresholds)


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
    settings: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """The fitted model as a plain dict (what findings.tagger_model reads): weights of every
    feature that matters, per theme and per polarity, and thresholds from held-out folds.

    Each classifier's setting is chosen among SETTINGS on the held-out folds, unless
    ``settings`` (an earlier model's "settings") gives it."""
    corpus = _Corpus([featurise(e.text) for e in examples])
    if settings is None:
        theme_grid: list[Sequence[Setting]] = [SETTINGS] * len(themes)
        polarity_grid: Sequence[Setting] = SETTINGS
    else:
        theme_grid = [[_setting(settings.get(slug))] for slug in themes]
        polarity_grid = [_setting(settings.get(POLARITY_KEY))]
    grid = _held_out_grid(corpus, examples, themes, folds, progress, theme_grid, polarity_grid)
    choice = _choose(examples, themes, grid, theme_grid, polarity_grid)
    thresholds = choice.thresholds
    held_out_f1 = {
        name: round(micro_f1(examples, themes, choice.out, thresholds, chosen), 3)
        for name, chosen in _parts(examples).items()
    }
    every = range(len(examples))
    fitted = _fit_raw(
        corpus, examples, every, themes, [[s] for s in choice.themes], [choice.polarity]
    )
    names = [corpus.names[c] for c in fitted.columns]
    polarity = fitted.polarity[0]
    classifiers = [per_setting[0] for per_setting in fitted.themes]
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
                weights.setdefault(names[column], []).append([index, round(float(weight), 2)])
    if progress:
        progress(1.0, "fitted")
    return {
        "version": MODEL_VERSION,
        "outputs": outputs,
        "bias": [round(b, 4) for b in biases],
        "thresholds": {slug: list(pair) for slug, pair in thresholds.items()},
        "sentences": len(examples),
        "held_out_f1": held_out_f1,
        "settings": {
            **{slug: list(setting) for slug, setting in zip(themes, choice.themes, strict=True)},
            POLARITY_KEY: list(choice.polarity),
        },
        "weights": weights,
    }
