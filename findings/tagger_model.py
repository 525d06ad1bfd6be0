"""The fitted theme model read as plain Python: per-feature weights, scores, thresholds.

The weights come from findings.tagger_fit (scikit-learn, at fitting time only) as a JSON-able
dict; the shipped one is ``findings/data/tagger_model.json``, a database may hold its own.
Scoring a sentence is a few dictionary look-ups per word, so tagging stays fast.

Parsing and packing the shipped JSON costs a cold start over 0.1 s, so it is also shipped
packed, ready to score with (``tagger_model.packed``, marshal, written with the JSON by
findings.tagger_training and alone by ``python -m findings.tagger_model``); it is used only when
it was made from the same JSON by the same Python, else the JSON is read (a test fails when the
shipped one is stale).
"""

from __future__ import annotations

import json
import marshal
import math
import struct
import sys
import zlib
from functools import cache, cached_property
from itertools import accumulate, chain, compress, count, repeat
from operator import ge, itemgetter, lshift, mul, sub
from pathlib import Path
from typing import Any, NamedTuple

MODEL_VERSION = 1
"""The model layout this code reads; a stored model of another version is ignored."""
SHIPPED = Path(__file__).with_name("data") / "tagger_model.json"
SHIPPED_PACKED = SHIPPED.with_name("tagger_model.packed")
"""The shipped model ready to score with, as :func:`write_packed` makes it from the JSON."""
PACKED_ENGINE = f"{sys.implementation.cache_tag}/marshal-{marshal.version}"
"""The Python whose marshal format a packed file is in: any other reads the JSON."""
_PACKED_FORMAT = 1
"""The layout of a packed file's state (_Packed): raise it when that changes."""
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


class _Packed(NamedTuple):
    """A model ready to score with: what ThemeModel works out from its JSON data (and what
    the shipped model's packed companion file holds, see :func:`write_packed`)."""

    outputs: list[str]
    bias: list[float]
    possible: list[float]
    """Each theme's "possible" threshold, as a logit."""
    likely: list[float]
    field: int
    """Bits per output in a packed weight (32 or 64)."""
    weights: dict[str, int]
    """Each feature's weights for every output, packed into one integer (see ThemeModel)."""
    sentences: int


def _outputs_read(outputs: list[str]) -> tuple[list[str], dict[int, str]]:
    """A model's themes, and its polarity classes by output index."""
    themes = [o for o in outputs if not o.startswith(POLARITY_PREFIX)]
    if outputs[: len(themes)] != themes:
        raise ModelError("the stored model lists polarity classes before themes")
    polarity_index = {
        i: o[len(POLARITY_PREFIX) :] for i, o in enumerate(outputs) if i >= len(themes)
    }
    if not polarity_index:
        raise ModelError("the stored model has no polarity classes")
    return themes, polarity_index


def _packing(data: Any) -> _Packed:
    """A model's JSON data checked and packed, ready to score with."""
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
    themes, _ = _outputs_read(outputs)
    thresholds = data["thresholds"]
    possible = [_logit(float(thresholds[t][0])) for t in themes]
    likely = [_logit(float(thresholds[t][1])) for t in themes]
    limit = len(outputs)
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
    field, offset, _ = _NARROW if narrow else _WIDE
    empty = sum(offset << (field * i) for i in range(limit)) + (1 << field * limit)
    shifted = list(map(lshift, units, map(mul, indexes, repeat(field))))
    ends = list(accumulate(map(len, weights.values())))
    starts = [0, *ends[:-1]]
    packed = [empty + sum(shifted[start:end]) for start, end in zip(starts, ends, strict=True)]
    return _Packed(
        outputs,
        bias,
        possible,
        likely,
        field,
        dict(zip(map(str, weights), packed, strict=True)),
        int(data.get("sentences", 0)),
    )


class ThemeModel:
    """Per-theme and polarity classifiers over sentence features, with per-theme thresholds.

    A feature's weights for all outputs (in hundredths, as stored) are packed into one integer,
    a field of 32 (or 64) bits per output plus one counting the feature, each field raised by
    an offset so it stays positive: a sentence's totals for every output are then one sum of
    integers, exact whatever the order, and unpacked by one struct call.
    """

    _source: bytes
    """The JSON text of a model read packed (its data is parsed from it if asked for)."""

    def __init__(self, data: Any) -> None:
        try:
            self._adopt(_packing(data))
        except (KeyError, TypeError, ValueError, IndexError, AttributeError) as exc:
            raise ModelError(f"the stored model is damaged ({exc})") from exc
        self.data = data

    @classmethod
    def _from_packed(cls, packed: _Packed, source: bytes) -> ThemeModel:
        """A model from its packed state, made ahead of time from the JSON ``source``."""
        model = cls.__new__(cls)
        model._adopt(packed)
        model._source = source
        return model

    @cached_property
    def data(self) -> Any:
        """The model as its JSON data (parsed only when asked for, for a model read packed)."""
        return json.loads(self._source)

    def _adopt(self, packed: _Packed) -> None:
        outputs = packed.outputs
        self.themes, self.polarity_index = _outputs_read(outputs)
        self.theme_set = frozenset(self.themes)
        self.bias, self.possible, self.likely = packed.bias, packed.possible, packed.likely
        self._polarities = [(i, name, self.bias[i]) for i, name in self.polarity_index.items()]
        self._lowest_units: dict[int, list[int]] = {}
        limit = len(outputs)
        self.outputs = limit
        field, self._offset, code = _NARROW if packed.field == _NARROW[0] else _WIDE
        self._field = field
        self._unpack = struct.Struct(f"<{limit + 1}{code}").unpack  # every output, the count
        self._packed_bytes = (field // 8) * (limit + 1)
        self.weights = packed.weights
        self.sentences = packed.sentences

    def score(self, found: set[str]) -> SentenceScore:
        """Themes and polarity of one sentence, from its features."""
        features = len(found)
        if not features:
            return SentenceScore((), "neutral")
        total = sum(filter(None, map(self.weights.get, found)))  # none: no big-int add of 0
        fields = self._unpack(total.to_bytes(self._packed_bytes, "little"))
        base = fields[-1] * self._offset  # the last field counts the features
        scale = 1.0 / math.sqrt(features)
        # an output's z is its bias plus its total, in units (field - base) / _UNITS, scaled
        best, polarity = -math.inf, "neutral"
        for index, name, class_bias in self._polarities:
            z = class_bias + (fields[index] - base) / _UNITS * scale
            if z > best:
                best, polarity = z, name
        if polarity not in _CARRIES_THEMES:
            return SentenceScore((), polarity)
        # the themes over their "possible" threshold, found by comparing whole units in C
        lowest = self._lowest_units.get(features) or self._lowest_units_for(features)
        over = compress(count(), map(ge, map(sub, fields, repeat(base)), lowest))
        themes = []
        bias, likely = self.bias, self.likely
        for index in over:
            z = bias[index] + (fields[index] - base) / _UNITS * scale
            themes.append((index, 1.0 / (1.0 + math.exp(-z)), z >= likely[index]))
        return SentenceScore(tuple(themes), polarity)

    def _lowest_units_for(self, features: int) -> list[int]:
        """For a sentence of so many features, each theme's fewest units (field - base) whose
        z reaches its "possible" threshold, as :meth:`score` works z out in floats.

        z only grows with the units (each float step rounds monotonically), so comparing whole
        units instead of z gives the same themes to the last bit; the estimate from the
        threshold is moved a unit at a time until it is exactly the boundary.
        """
        if len(self._lowest_units) > 10_000:  # one list per sentence length: few in practice
            self._lowest_units.clear()
        scale = 1.0 / math.sqrt(features)
        lowest = []
        for bias, possible in zip(self.bias, self.possible, strict=False):
            units = math.ceil((possible - bias) * _UNITS / scale)
            while bias + (units - 1) / _UNITS * scale >= possible:
                units -= 1
            while bias + units / _UNITS * scale < possible:
                units += 1
            lowest.append(units)
        self._lowest_units[features] = lowest
        return lowest

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


def _packed_header(source: bytes, payload: bytes | memoryview) -> bytes:
    """The first line of the packed companion file: the packing's format, the Python that made
    it, and the size and checksum of the JSON it was made from and of the packed state."""
    return (
        f"leap-model-packed {_PACKED_FORMAT} {PACKED_ENGINE} {len(source)} "
        f"{zlib.crc32(source):08x} {zlib.crc32(payload):08x}\n"
    ).encode()


def packed_file(source: bytes) -> bytes:
    """The packed companion file of a model's JSON text (raises ModelError if it is damaged)."""
    state = _packing(json.loads(source))
    payload = marshal.dumps(tuple(state))
    return _packed_header(source, payload) + payload


def read_packed(source: bytes, path: Path) -> ThemeModel | None:
    """The model packed in ``path`` when it was made from ``source`` by this Python, else None
    (a missing, stale or damaged file is passed over)."""
    try:
        content = path.read_bytes()
    except OSError:
        return None
    return unpacked(source, content)


def unpacked(source: bytes, content: bytes) -> ThemeModel | None:
    """The model in a packed companion (:func:`packed_file`) when it was made from ``source``
    by this Python, else None (stale or damaged)."""
    payload = memoryview(content)[content.find(b"\n") + 1 :]  # not copied: megabytes
    if content[: len(content) - len(payload)] != _packed_header(source, payload):
        return None  # another JSON or Python, or damaged (the payload's checksum differs)
    try:
        return ThemeModel._from_packed(_Packed._make(marshal.loads(payload)), source)
    except (ValueError, TypeError, EOFError, KeyError, IndexError, AttributeError):
        return None


@cache
def shipped_model() -> ThemeModel:
    """The model fitted on the shipped training sentences (read from its packed companion
    file when that was made from the same JSON by this Python: a cold start need not parse
    and pack a megabyte of JSON)."""
    source = SHIPPED.read_bytes()
    return read_packed(source, SHIPPED_PACKED) or ThemeModel(json.loads(source))


def write_packed() -> None:
    """Write the shipped model's packed companion file from its JSON, for this Python."""
    SHIPPED_PACKED.write_bytes(packed_file(SHIPPED.read_bytes()))
    print(f"wrote {SHIPPED_PACKED} (for {PACKED_ENGINE})")


def load_stored_model(
    text: str | None, packed: bytes | None = None
) -> tuple[ThemeModel | None, str]:
    """A database's stored model, or None and why it cannot be used (never raises); read from
    its packed companion when that was made from the same JSON by this Python."""
    if not text:
        return None, ""
    if packed:
        model = unpacked(text.encode(), packed)
        if model is not None:
            return model, ""
    try:
        return ThemeModel(json.loads(text)), ""
    except (ValueError, RecursionError) as exc:  # ModelError is a ValueError, as is bad JSON
        return None, (
            f"the tagger model stored in this database cannot be used ({exc}); "
            "the shipped model is used instead (run `leap tag --train` to refit)"
        )


if __name__ == "__main__":
    write_packed()
