"""The fitted theme model read as plain Python: per-feature weights, scores, thresholds.

The weights come from findings.tagger_fit (scikit-learn, at fitting time only) as a JSON-able
dict; the shipped one is ``findings/data/tagger_model.json``, a database may hold its own.
Scoring a sentence is a few dictionary look-ups per word, so tagging stays fast.
"""

from __future__ import annotations

import json
import math
import struct
from functools import cache
from itertools import accumulate, chain, repeat
from operator import itemgetter, lshift, mul
from pathlib import Path
from typing import Any, NamedTuple

MODEL_VERSION = 1
"""The model layout this code reads; a stored model of another version is ignored."""
POLARITY_PREFIX = "polarity:"
_UNITS = 100
"""Weights are stored to two decimals: held as whole hundredths."""
_LIMIT = 1 << 20
"""A weight's hundredths must stay below this."""
_NARROW = (32, 1 << 15, "I")
_WIDE = (64, _LIMIT, "Q")
"""Packings: bits per output, the offset raising each, the struct code reading one. Narrow
(half the integer to add up per feature) when the weights are small and few enough that a
sentence's sums cannot overflow 32 bits; every fitted model so far is."""
_CARRIES_THEMES = frozenset({"weakness", "mixed"})
"""Strengths and neutral sentences carry no themes (the coding guide, rule 2). Letting a
sentence read as neutral keep themes over their "likely" threshold, as a weakness, cost more
than it won in grouped cross-validation (micro-F1 0.721 -> 0.726, polarity 0.827 -> 0.833
without it): it turned 30 neutral or strength sentences into weaknesses for 14 it got right."""


class ModelError(ValueError):
    """A stored model that cannot be used (damaged, or from another version)."""


def _logit(p: float) -> float:
    p = min(max(p, 1e-6), 1 - 1e-6)
    return math.log(p / (1 - p))


class SentenceScore(NamedTuple):
    """What the model reads in one sentence: themes above threshold and a polarity.

    ``themes`` holds (theme index, probability, likely) for each theme over its threshold.
    (A named tuple: one is made for every sentence tagged, and a tuple is made fastest.)
    """

    themes: tuple[tuple[int, float, bool], ...]
    polarity: str


class ThemeModel:
    """Per-theme and polarity classifiers over sentence features, with per-theme thresholds.

    A feature's weights for all outputs (in hundredths, as stored) are packed into one integer,
    a field of 32 (or 64) bits per output plus one counting the feature, each field raised by
    an offset so it stays positive: a sentence's totals for every output are then one sum of
    integers, exact whatever the order, and unpacked by one struct call.
    """

    def __init__(self, data: Any) -> None:
        try:
            self._load(data)
        except (KeyError, TypeError, ValueError, IndexError, AttributeError) as exc:
            raise ModelError(f"the stored model is damaged ({exc})") from exc

    def _load(self, data: Any) -> None:
        if not isinstance(data, dict):
            raise ModelError("the stored model is not a JSON object")
        if data.get("version") != MODEL_VERSION:
            raise ModelError(
                f"the stored model is version {data.get('version')!r}, this leap reads "
                f"version {MODEL_VERSION}"
            )
        outputs = [str(o) for o in data["outputs"]]
        bias = [float(b) for b in data["bias"]]
        if len(bias) != len(outputs):
            raise ModelError("the stored model's outputs and biases do not match")
        self.themes = [o for o in outputs if not o.startswith(POLARITY_PREFIX)]
        if outputs[: len(self.themes)] != self.themes:
            raise ModelError("the stored model lists polarity classes before themes")
        self.theme_set = frozenset(self.themes)
        self.polarity_index = {
            i: o[len(POLARITY_PREFIX) :] for i, o in enumerate(outputs) if o not in self.themes
        }
        if not self.polarity_index:
            raise ModelError("the stored model has no polarity classes")
        self.bias = bias
        thresholds = data["thresholds"]
        self.possible = [_logit(float(thresholds[t][0])) for t in self.themes]
        self.likely = [_logit(float(thresholds[t][1])) for t in self.themes]
        limit = len(outputs)
        self.outputs = limit
        weights: dict[str, Any] = data["weights"]
        # every feature's (output, weight) pairs in one list: checked and scaled in C
        pairs = list(chain.from_iterable(weights.values()))
        if pairs and set(map(len, pairs)) != {2}:
            raise ModelError("the stored model's weights are not (output, weight) pairs")
        indexes = list(map(int, map(itemgetter(0), pairs)))
        units = list(map(round, map(mul, map(float, map(itemgetter(1), pairs)), repeat(_UNITS))))
        largest = max(map(abs, units), default=0)
        if indexes and not (min(indexes) >= 0 and max(indexes) < limit) or largest >= _LIMIT:
            _name_bad_weight(weights, limit)
        narrow = largest < _NARROW[1] and (len(weights) + 1) * 2 * _NARROW[1] < 1 << _NARROW[0]
        field, self._offset, code = _NARROW if narrow else _WIDE
        self._field = field
        self._unpack = struct.Struct(f"<{limit + 1}{code}").unpack  # every output, the count
        self._packed_bytes = (field // 8) * (limit + 1)
        empty = sum(self._offset << (field * i) for i in range(limit)) + (1 << field * limit)
        shifted = list(map(lshift, units, map(mul, indexes, repeat(field))))
        ends = list(accumulate(map(len, weights.values())))
        starts = [0, *ends[:-1]]
        packed = [empty + sum(shifted[start:end]) for start, end in zip(starts, ends, strict=True)]
        self.weights = dict(zip(map(str, weights), packed, strict=True))
        self.sentences = int(data.get("sentences", 0))
        self.data = data

    def score(self, found: set[str]) -> SentenceScore:
        """Themes and polarity of one sentence, from its features."""
        if not found:
            return SentenceScore((), "neutral")
        total = sum(map(self.weights.get, found, repeat(0)))
        fields = self._unpack(total.to_bytes(self._packed_bytes, "little"))
        base = fields[-1] * self._offset  # the last field counts the features
        scale = 1.0 / math.sqrt(len(found))
        bias = self.bias
        # an output's z is its bias plus its total, in units (field - base) / _UNITS, scaled
        best, polarity = -math.inf, "neutral"
        for index, name in self.polarity_index.items():
            z = bias[index] + (fields[index] - base) / _UNITS * scale
            if z > best:
                best, polarity = z, name
        themes = []
        if polarity in _CARRIES_THEMES:
            likely, possible = self.likely, self.possible
            for index in range(len(likely)):
                z = bias[index] + (fields[index] - base) / _UNITS * scale
                if z >= possible[index]:
                    themes.append((index, 1.0 / (1.0 + math.exp(-z)), z >= likely[index]))
        return SentenceScore(tuple(themes), polarity)

    def contributions(self, found: set[str], theme: int) -> list[tuple[float, str]]:
        """The features that pushed a theme up, largest first."""
        out = []
        shift, mask = self._field * theme, (1 << self._field) - 1
        for feature in found:
            packed = self.weights.get(feature)
            if packed is not None:
                units = ((packed >> shift) & mask) - self._offset
                if units > 0:
                    out.append((units / _UNITS, feature))
        out.sort(reverse=True)
        return out

    def to_json(self) -> str:
        """The model as JSON text, as stored in a database."""
        return json.dumps(self.data, separators=(",", ":"))


def _name_bad_weight(weights: dict[str, Any], outputs: int) -> None:
    """Raise ModelError naming the first feature whose weights point nowhere or are too large."""
    for feature, pairs in weights.items():
        for index, weight in pairs:
            if not 0 <= int(index) < outputs:
                raise ModelError(f"the stored model's weights for {feature!r} point nowhere")
            if abs(round(float(weight) * _UNITS)) >= _LIMIT:
                raise ModelError(f"the stored model's weight for {feature!r} is too large")


@cache
def shipped_model() -> ThemeModel:
    """The model fitted on the shipped training sentences."""
    text = Path(__file__).with_name("data").joinpath("tagger_model.json").read_text("utf-8")
    return ThemeModel(json.loads(text))


def load_stored_model(text: str | None) -> tuple[ThemeModel | None, str]:
    """A database's stored model, or None and why it cannot be used (never raises)."""
    if not text:
        return None, ""
    try:
        return ThemeModel(json.loads(text)), ""
    except (ValueError, RecursionError) as exc:  # ModelError is a ValueError, as is bad JSON
        return None, (
            f"the tagger model stored in this database cannot be used ({exc}); "
            "the shipped model is used instead (run `leap tag --train` to refit)"
        )
