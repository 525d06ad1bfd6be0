"""Theme tagger: suggests practice-weakness themes and a polarity for a finding's text."""

from __future__ import annotations

import json
import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any

from findings.cue_index import CueIndex, Span
from findings.models import Theme
from findings.tagger_eval import EvaluationReport, ThemeScore, evaluate

__all__ = [
    "POLARITIES",
    "EvaluationReport",
    "TagResult",
    "Tagger",
    "ThemeScore",
    "ThemeSuggestion",
    "default_tagger",
    "evaluate",
]

POLARITIES = ("weakness", "strength", "mixed", "neutral")
"""The polarities a tag result can have."""


@dataclass(frozen=True)
class ThemeSuggestion:
    """One suggested theme: its slug, a score in 0..1 and the words that triggered it."""

    slug: str
    score: float
    evidence: tuple[str, ...]


@dataclass(frozen=True)
class TagResult:
    """The themes suggested for a text (strongest first) and the text's polarity."""

    themes: tuple[ThemeSuggestion, ...]
    polarity: str

    @property
    def slugs(self) -> list[str]:
        """Slugs of the suggested themes, strongest first."""
        return [t.slug for t in self.themes]


# --- compiling the rules ----------------------------------------------------------------------

_LOOKBEHIND = re.compile(r"\(\?<[!=][^)]*\)")


def _expand_spaces(pattern: str) -> str:
    """A space in a rule matches any run of white space, " ?" an optional one (lookbehinds
    must stay fixed-width, so they keep their single spaces)."""

    def expand(part: str) -> str:
        return part.replace(" ?", r"\s*").replace(" ", r"\s+")

    out, pos = [], 0
    for m in _LOOKBEHIND.finditer(pattern):
        out.append(expand(pattern[pos : m.start()]))
        out.append(m.group())
        pos = m.end()
    out.append(expand(pattern[pos:]))
    return "".join(out)


def _literal_cue(phrase: str) -> str:
    """A user's cue phrase as a pattern: matched literally, hyphens read as spaces."""
    words = _normalise(phrase)[1].split()
    return " ".join(re.escape(w) for w in words)


@dataclass(frozen=True)
class _ThemeRules:
    """One theme of the tagger and whether its cues absorb the subjects that follow them."""

    slug: str
    absorbs: bool


@cache
def _raw_rules() -> dict[str, Any]:
    text = resources.files("findings.data").joinpath("tagger_rules.json").read_text("utf-8")
    data: dict[str, Any] = json.loads(text)
    return data


# --- text handling ----------------------------------------------------------------------------

_CHAR_MAP = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201b": "'",
        "\u2032": "'",
        "`": "'",
        "\u201c": '"',
        "\u201d": '"',
        "-": " ",
        "\u2010": " ",
        "\u2011": " ",
        "\u2012": " ",
        "\u2013": " ",
        "\u2014": " ",
        "\u2015": " ",
        "\u2212": " ",
        "\u00a0": " ",
    }
)
_WHITESPACE_MAP = str.maketrans({c: " " for c in "\t\n\r\f\v\x1c\x1d\x1e\x85\u2028\u2029"})


def _normalise(text: str) -> tuple[str, str]:
    """The text with quotes and dashes evened out (for sentences) and its lower-cased twin.

    Both keep every character's offset, so matches map straight back to the original words.
    """
    cased = text.translate(_CHAR_MAP)
    low = cased.lower()
    if len(low) != len(cased):  # a few characters lower-case to two; keep offsets aligned
        low = "".join(c.lower()[:1] for c in cased)
    return cased, low.translate(_WHITESPACE_MAP)


_SENTENCE_BREAK = re.compile(
    r"(?<=[.!?])[\"')\]]*(?:\d{1,2}(?=\s))?\s+(?=[^a-z\s])|\n\s*(?:[-*\u2022\u25cf]\s+)?"
)
_CLAUSE_BREAK = re.compile(
    r"(?P<contrast>;\s*however\b,?|(?:^|[,;]\s*|(?<!\s)\s+)however,|(?:,|(?<![\s,]))\s+but\s+(?!also\b)"
    r"|[,;]\s*yet\s+|(?:,|(?<![\s,]))\s*whereas\b|,\s*(?:while|whilst)\b|;)"
    r"|(?P<concessive>,\s*(?:although|though|even though)\b"
    r"|(?<!\s)\s+(?:despite|in spite of|notwithstanding)\b)"
    r"|(?P<relative>,\s*(?:which|who|whom|whose)\b)"
    r"|(?P<also>,\s*and\b)"
)
_BREAK_CANDIDATE = re.compile(
    r"[,;]|(?<!\s)\s+(?=however|but\b|whereas|despite|in spite|notwithstanding)"
)
_OPENING_CONCESSION = re.compile(
    r"^\W*(?:(?P<np>despite|in spite of|notwithstanding)"
    r"|although|though|even though|while|whilst)\b"
)
_FINITE_VERB = re.compile(
    r"\b(?:was|were|is|are|had|has|have|did|does|do|been|can|could|may|might|will|would|shall"
    r"|should|must|[a-z]{3,}ed)\b"
)
_TOKEN = re.compile(r"[a-z0-9']+")
_STOPWORDS = frozenset(
    re.findall(
        r"\w+",
        "the a an of to in on at for with by and or as that this these those their his her its"
        " they it was were is are be been had has have which who from into than there",
    )
)
_FORWARD = re.compile(r"\s+(?:in|of|to|with|at|around|within|between|for|on)\b")
_COPULA_BEFORE = re.compile(r"\b(?:was|were|is|are|been|be|remained|remains)\s+$")
_SCOPE_END = re.compile(r",|;|" + _FINITE_VERB.pattern)
_OPENING_VERB = re.compile(r"^[^a-z]*(?:[a-z]+ly\s+)?([a-z]+)")
_OPENING_WORDS = re.compile(r"^[^a-z]*([a-z]+)\s+([a-z']+)")
_NOT_IMPERATIVE_NEXT = frozenset(
    {"of", "was", "were", "is", "are", "has", "had", "and", "or", "to", "in", "for", "activity"}
)
_PAST_COPULA = re.compile(r"\b(?:was|were|had been|has been|have been)\b")


def _sentences(cased: str) -> list[tuple[int, int]]:
    """Start and end offsets of each sentence (or line) of the text."""
    spans, start = [], 0
    for m in _SENTENCE_BREAK.finditer(cased):
        if m.start() > start:
            spans.append((start, m.start()))
        start = m.end()
    if start < len(cased):
        spans.append((start, len(cased)))
    return spans


def _clauses(low: str, start: int, end: int) -> list[tuple[int, int, str]]:
    """Split one sentence into clauses: (start, end, the kind of break that opened it)."""
    sentence = low[start:end]
    cuts: list[tuple[int, int, str]] = []  # (cut start, next clause start, kind)
    opening = _OPENING_CONCESSION.match(sentence)
    if opening:
        # "Although X had improved, Y ..." ends at the first comma after a verb;
        # "Despite X, Y ..." at the first comma.
        pos = opening.end()
        while (comma := sentence.find(",", pos)) != -1:
            if opening.group("np") or _FINITE_VERB.search(sentence, opening.end(), comma):
                cuts.append((comma, comma + 1, "main"))
                break
            pos = comma + 1
    last = cuts[0][1] if cuts else 0
    verb_seen, checked = False, last  # whether the clause so far has a verb, checked up to where
    for candidate in _BREAK_CANDIDATE.finditer(sentence, last):
        if candidate.start() < last:
            continue
        m = _CLAUSE_BREAK.match(sentence, candidate.start())
        if m is None:
            continue
        kind = m.lastgroup or "contrast"
        if kind == "also":
            verb_seen = verb_seen or bool(_FINITE_VERB.search(sentence, checked, m.start()))
            checked = m.end()
            if not verb_seen:
                continue  # ", and" inside a list of nouns: the list shares one predicate
        cuts.append((m.start(), m.end(), kind))
        last, verb_seen, checked = m.end(), False, m.end()
    clauses, pos, kind = [], 0, "start"
    for cut_start, cut_end, cut_kind in cuts:
        if cut_start > pos:
            clauses.append((start + pos, start + cut_start, kind))
        pos, kind = cut_end, cut_kind
    if pos < len(sentence):
        clauses.append((start + pos, end, kind))
    return clauses


def _merge(spans: Iterable[Span]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for s, e, _ in sorted(spans):
        if merged and s <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], e))
        else:
            merged.append((s, e))
    return merged


def _outside(spans: list[Span], masks: list[tuple[int, int]]) -> list[Span]:
    """The spans that do not overlap any of the (merged, sorted) masks."""
    if not masks:
        return spans
    starts = [s for s, _ in masks]
    kept = []
    for span in spans:
        i = bisect_left(starts, span[1]) - 1
        if i >= 0 and masks[i][1] > span[0]:
            continue
        kept.append(span)
    return kept


def _by_clause(spans: list[Span], clause_starts: list[int]) -> dict[int, list[Span]]:
    grouped: dict[int, list[Span]] = {}
    for span in spans:
        grouped.setdefault(bisect_right(clause_starts, span[0]) - 1, []).append(span)
    return grouped


def _combine(polarities: Iterable[str]) -> str:
    seen = set(polarities)
    weak = "weakness" in seen or "mixed" in seen
    strong = "strength" in seen or "mixed" in seen
    if weak and strong:
        return "mixed"
    return "weakness" if weak else "strength" if strong else "neutral"


# --- the tagger -------------------------------------------------------------------------------


class Tagger:
    """Suggests weakness themes and a polarity from the packaged rules plus users' theme cues.

    The text is split into sentences and clauses. A clause is a weakness when it holds deficit
    wording ("not", "insufficient", "delays in"...), praise when it holds only good-practice
    wording, and neutral when it is a recommendation. Only weakness clauses suggest themes: a
    theme's own weakness wording ("accepted at face value") counts alone; its subject wording
    ("home visits") counts when a deficit stands within a few words of it.
    """

    def __init__(self, extra_themes: Iterable[Theme] = ()) -> None:
        rules = _raw_rules()
        settings: dict[str, Any] = rules["settings"]
        self.threshold = float(settings["threshold"])
        self.window = int(settings["window"])
        self.max_chars = int(settings["max_chars"])
        self._min_deficit = float(settings["min_deficit"])
        self._min_positive = float(settings["min_positive"])
        self._imperatives = frozenset(rules["imperatives"])
        self._binding = re.compile("(?:" + "|".join(rules["binding_deficits"]) + ")")
        self._cues = CueIndex()
        for category, weights in [
            ("deficit", rules["deficit"]),
            ("positive", rules["positive"]),
            ("neutral", dict.fromkeys(rules["neutralisers"], 0.8)),
            ("hypothetical", dict.fromkeys(rules["hypothetical"], 1.0)),
            ("anaphora", dict.fromkeys(rules["anaphora"], 1.0)),
            ("recommendation", dict.fromkeys(rules["recommendation"], 1.0)),
        ]:
            for pattern, weight in weights.items():
                self._cues.add(_expand_spaces(pattern), category, float(weight))
        self._themes: list[_ThemeRules] = []
        for slug, spec in self._theme_specs(rules["themes"], list(extra_themes)).items():
            index = len(self._themes)
            self._themes.append(_ThemeRules(slug, spec["absorbs"]))
            for kind in ("self", "topic"):
                for pattern, weight in spec[kind].items():
                    self._cues.add(_expand_spaces(pattern), (kind, index), float(weight))

    @staticmethod
    def _theme_specs(builtin: dict[str, Any], extra: list[Theme]) -> dict[str, dict[str, Any]]:
        """The built-in themes' cues merged with users' themes (added, disabled or merged)."""
        specs: dict[str, dict[str, Any]] = {
            slug: {
                "self": dict(spec.get("self", {})),
                "topic": dict(spec.get("topic", {})),
                "absorbs": bool(spec.get("absorbs")),
            }
            for slug, spec in builtin.items()
        }
        for theme in extra:
            if not theme.active:
                specs.pop(theme.slug, None)
                continue
            target = theme.merged_into or theme.slug
            spec = specs.setdefault(target, {"self": {}, "topic": {}, "absorbs": False})
            if theme.merged_into and theme.slug in specs:
                merged = specs.pop(theme.slug)
                for kind in ("self", "topic"):
                    spec[kind].update(merged[kind])
            cues = theme.cues or ([theme.name] if not theme.builtin else [])
            for cue in cues:
                pattern = _literal_cue(cue)
                if pattern:
                    spec["topic"][pattern] = 1.0
        return {slug: spec for slug, spec in specs.items() if spec["self"] or spec["topic"]}

    def tag(self, text: str) -> TagResult:
        """Suggest themes and a polarity for one finding's text; never raises on odd input."""
        if not isinstance(text, str):
            text = text.decode("utf-8", "replace") if isinstance(text, bytes) else str(text)
        return _Analysis(self, text[: self.max_chars]).result()

    def opens_with_verb(self, clause: str) -> bool:
        """Whether a (lower-cased) clause opens with a recommending verb, adverbs aside."""
        m = _OPENING_VERB.match(clause)
        return bool(m and m.group(1) in self._imperatives)

    def is_imperative(self, sentence: str) -> bool:
        """Whether a (lower-cased) sentence is a recommendation opening with a verb."""
        m = _OPENING_WORDS.match(sentence)
        return bool(
            m
            and m.group(1) in self._imperatives
            and m.group(2) not in _NOT_IMPERATIVE_NEXT
            and not _PAST_COPULA.search(sentence)
        )


@dataclass
class _Clause:
    """One clause of the text and the cues found in it."""

    start: int
    end: int
    kind: str  # the break that opened it: start, main, contrast, concessive, relative, also
    sentence: int
    deficits: list[Span] = field(default_factory=list)
    positives: list[Span] = field(default_factory=list)
    recommended: bool = False
    selfs: dict[int, list[Span]] = field(default_factory=dict)  # theme index -> spans
    topics: dict[int, list[Span]] = field(default_factory=dict)


class _Analysis:
    """The work of tagging one text: scan every cue set once, then reason clause by clause."""

    def __init__(self, tagger: Tagger, source: str) -> None:
        self.tagger = tagger
        self.source = source
        cased, low = _normalise(source)
        self.low = low
        self.clauses: list[_Clause] = []
        for index, (start, end) in enumerate(_sentences(cased)):
            imperative = tagger.is_imperative(low[start:end])
            for c_start, c_end, kind in _clauses(low, start, end):
                self.clauses.append(_Clause(c_start, c_end, kind, index, recommended=imperative))
        if not self.clauses:
            return
        found = tagger._cues.scan(low)
        neutral = found.get("neutral", [])
        anaphora = found.get("anaphora", [])
        masks = _merge(neutral + found.get("hypothetical", []) + anaphora)
        starts = [c.start for c in self.clauses]
        for i, spans in _by_clause(_outside(found.get("deficit", []), masks), starts).items():
            self.clauses[i].deficits = spans
        positives = _outside(found.get("positive", []), _merge(anaphora)) + neutral
        for i, spans in _by_clause(positives, starts).items():
            self.clauses[i].positives = spans
        for i in _by_clause(found.get("recommendation", []), starts):
            self.clauses[i].recommended = True
        for category, spans in found.items():
            if not isinstance(category, tuple):
                continue
            kind, t = category
            for i, in_clause in _by_clause(_outside(spans, masks), starts).items():
                clause = self.clauses[i]
                (clause.selfs if kind == "self" else clause.topics)[t] = in_clause
        # distances count content words only ("the", "of", "was"... are free)
        self.token_starts = [m.start() for m in _TOKEN.finditer(low) if m.group() not in _STOPWORDS]

    def token(self, pos: int) -> int:
        return bisect_right(self.token_starts, pos) - 1

    def result(self) -> TagResult:
        credits: dict[int, list[tuple[float, str]]] = {}
        polarities: dict[int, list[str]] = {}
        previous: _Clause | None = None
        for clause in self.clauses:
            same_sentence = previous is not None and previous.sentence == clause.sentence
            if (
                same_sentence
                and clause.kind == "also"
                and previous
                and previous.recommended
                and self.tagger.opens_with_verb(self.low[clause.start : clause.end])
            ):
                clause.recommended = True  # "must strengthen X, and rigorously evaluate Y"
            polarity = self.polarity(clause)
            if polarity == "weakness":
                self.credit(clause, previous if same_sentence else None, credits)
            polarities.setdefault(clause.sentence, []).append(polarity)
            previous = clause
        polarity = _combine(_combine(p) for p in polarities.values())
        return TagResult(self.suggestions(credits), polarity)

    def polarity(self, clause: _Clause) -> str:
        tagger = self.tagger
        if clause.recommended:
            return "neutral"
        if clause.selfs or any(w >= tagger._min_deficit for _, _, w in clause.deficits):
            return "weakness"
        # a trailing "even though it helps" or "despite agreements" states a standard, not praise
        praise = sum(w for _, _, w in clause.positives)
        if clause.kind != "concessive" and praise >= tagger._min_positive:
            return "strength"
        return "neutral"

    def credit(
        self,
        clause: _Clause,
        previous: _Clause | None,
        credits: dict[int, list[tuple[float, str]]],
    ) -> None:
        """Credit the themes of one weakness clause."""
        themes = self.tagger._themes
        # "gaps in training on domestic abuse": what follows a training cue is its content
        absorbing = sorted(
            e
            for t, spans in [*clause.selfs.items(), *clause.topics.items()]
            if themes[t].absorbs
            for _, e, _ in spans
        )
        for t, spans in clause.selfs.items():
            for s, e, w in spans:
                credits.setdefault(t, []).append((w, _words(self.source, s, e)))
        # a subject inside another theme's own wording ("the assessment was not reviewed")
        # is explained by that wording
        explained = [(s, e, t) for t, spans in clause.selfs.items() for s, e, _ in spans]
        for t, spans in clause.topics.items():
            for s, e, w in spans:
                if any(t2 != t and s2 <= s and e <= e2 for s2, e2, t2 in explained):
                    continue
                after = 0
                if absorbing and not themes[t].absorbs:
                    i = bisect_right(absorbing, s) - 1
                    after = absorbing[i] if i >= 0 else 0
                best = self.nearest_deficit(s, e, clause, after)
                if best is not None:
                    ds, de, dw = best
                    credits.setdefault(t, []).append((w * dw, _evidence(self.source, s, e, ds, de)))
        if clause.kind == "contrast" and previous and not clause.selfs and not clause.topics:
            # "X was good, but this was not consistent": the weakness is about X
            strongest = max((w for _, _, w in clause.deficits), default=0.0)
            for t, spans in previous.topics.items():
                for s, e, w in spans:
                    credits.setdefault(t, []).append((w * strongest, _words(self.source, s, e)))

    def nearest_deficit(self, start: int, end: int, clause: _Clause, after: int) -> Span | None:
        """The strongest deficit that bears on a subject cue at start..end, if any."""
        first, last = self.token(start), self.token(end - 1)
        best: Span | None = None
        best_key = (0.0, 0)
        for span in clause.deficits:
            ds, de, _ = span
            if ds < after:
                continue
            d_first, d_last = self.token(ds), self.token(de - 1)
            gap = max(0, d_first - last - 1, first - d_last - 1)
            if gap > self.tagger.window:
                continue
            if not self.reaches(span, start, clause.end):
                continue
            key = (span[2], -gap)
            if best is None or key > best_key:
                best, best_key = span, key
        return best

    def reaches(self, deficit: Span, target: int, clause_end: int) -> bool:
        """Whether a deficit before a subject cue bears on it.

        "Delays in X", "gaps in X", "lack of X" bind to their own complement only, up to the
        next comma or verb; a plain deficit ("X and Y were not done") reaches either side.
        """
        ds, de, _ = deficit
        low = self.low
        forward = _FORWARD.match(low, de)
        if (
            not forward
            or not self.tagger._binding.fullmatch(low, ds, de)
            or _COPULA_BEFORE.search(low, max(0, ds - 16), ds)
        ):
            return True
        if target < de:
            return False
        stop = _SCOPE_END.search(low, forward.end(), clause_end)
        return stop is None or target < stop.start()

    def suggestions(
        self, credits: dict[int, list[tuple[float, str]]]
    ) -> tuple[ThemeSuggestion, ...]:
        merged: dict[str, list[tuple[float, str]]] = {}
        for t, found in credits.items():
            merged.setdefault(self.tagger._themes[t].slug, []).extend(found)
        suggestions = []
        for slug, found in merged.items():
            missing = 1.0
            for credit, _ in found:
                missing *= 1.0 - min(credit, 1.0)
            score = round(1.0 - missing, 3)
            if score >= self.tagger.threshold:
                evidence = tuple(dict.fromkeys(words for _, words in found))
                suggestions.append(ThemeSuggestion(slug, score, evidence))
        suggestions.sort(key=lambda s: (-s.score, s.slug))
        return tuple(suggestions)


def _words(source: str, start: int, end: int) -> str:
    return " ".join(source[start:end].split())


def _evidence(source: str, s: int, e: int, ds: int, de: int) -> str:
    """The words from a subject cue to its deficit, or both apart when they stand far apart."""
    lo, hi = min(s, ds), max(e, de)
    if hi - lo <= 80:
        return _words(source, lo, hi)
    return f"{_words(source, s, e)} … {_words(source, ds, de)}"


@cache
def default_tagger() -> Tagger:
    """A shared tagger with the built-in rules only."""
    return Tagger()
