"""Tagging one text: its clauses, the cues found in them, and the themes and polarity they give."""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterable
from operator import itemgetter
from typing import TYPE_CHECKING, NamedTuple

from findings.cue_index import Span
from findings.tagger_text import FINITE_VERB, clause_table, normalise, sentences

if TYPE_CHECKING:
    from findings.tagger import Tagger


class ThemeSuggestion(NamedTuple):
    """One suggested theme: its slug, a score in 0..1, the words that triggered it and how
    sure the tagger is ("likely", or "possible" below the theme's stricter threshold).

    Results are named tuples (immutable, compared by value, made fast: bulk tagging makes
    several per text), not dataclasses, which also keeps dataclasses off `leap tag`'s start-up.
    """

    slug: str
    score: float
    evidence: tuple[str, ...]
    confidence: str = "possible"


class TagResult(NamedTuple):
    """The themes suggested for a text (strongest first) and the text's polarity."""

    themes: tuple[ThemeSuggestion, ...]
    polarity: str

    @property
    def slugs(self) -> list[str]:
        """Slugs of the suggested themes, strongest first."""
        return [t.slug for t in self.themes]


_FORWARD = re.compile(r"\s+(?:in|of|to|with|at|around|within|between|for|on)\b")
_COPULA_BEFORE = re.compile(r"\b(?:was|were|is|are|been|be|remained|remains)\s+$")
_SCOPE_END = re.compile(r",|;|" + FINITE_VERB.pattern)


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
    """The spans grouped by the clause they start in (a span before the first clause counts
    for the last, replacing any of that clause's own, as it always has)."""
    if len(spans) == 1:
        i = bisect_right(clause_starts, spans[0][0]) - 1
        return {len(clause_starts) - 1 if i == -1 else i: spans}
    grouped: dict[int, list[Span]] = {}
    for span in spans:
        i = bisect_right(clause_starts, span[0]) - 1
        spans_in = grouped.get(i)
        if spans_in is None:
            grouped[i] = [span]
        else:
            spans_in.append(span)
    if -1 in grouped:
        last = len(clause_starts) - 1
        grouped = {last if i == -1 else i: spans_in for i, spans_in in grouped.items()}
    return grouped


class Analysis:
    """The work of tagging one text: scan every cue set once, then reason clause by clause.

    Clauses are parallel lists (start, end, kind, sentence) and the cues found in them dicts
    keyed by clause number, so clauses without cues cost next to nothing.
    """

    __slots__ = (
        "tagger",
        "source",
        "explain",
        "low",
        "sentences",
        "ends",
        "kinds",
        "deficits",
        "selfs",
        "topics",
        "_words",
        "_token_starts",
    )

    ends: list[int]
    kinds: list[str]
    deficits: dict[int, list[Span]]  # clause -> deficit spans
    selfs: dict[int, dict[int, list[Span]]]  # clause -> theme index -> own-wording spans
    topics: dict[int, dict[int, list[Span]]]  # clause -> theme index -> subject spans
    _words: tuple[list[str], list[int]]  # the words of the text and where each starts
    _token_starts: list[int] | None  # where each non-stopword starts, worked out when needed

    def __init__(self, tagger: Tagger, source: str, explain: bool = True) -> None:
        self.tagger = tagger
        self.source = source
        self.explain = explain  # without it, no evidence is quoted (bulk tagging is faster)
        cased, low = normalise(source)
        self.low = low
        self.sentences = sentences(cased)

    def result(self) -> TagResult:
        """The themes and polarity of the whole text."""
        walked = self._walk()
        if walked is None:
            return TagResult((), "neutral")
        credits: dict[int, list[tuple[float, str]]] = {}
        for sentence_credits in walked[0]:
            for t, found in sentence_credits.items():
                credits.setdefault(t, []).extend(found)
        weak, strong = any(walked[1]), any(walked[2])
        if weak:
            polarity = "mixed" if strong else "weakness"
        else:
            polarity = "strength" if strong else "neutral"
        return TagResult(self.suggestions(credits) if credits else (), polarity)

    def per_sentence(self) -> list[TagResult]:
        """The themes and polarity of each sentence (as :func:`sentences` splits the text)."""
        walked = self._walk()
        if walked is None:
            return [_NEUTRAL] * len(self.sentences)
        out = []
        for credits, weak, strong in zip(*walked, strict=True):
            if weak:
                polarity = "mixed" if strong else "weakness"
            else:
                polarity = "strength" if strong else "neutral"
            out.append(TagResult(self.suggestions(credits) if credits else (), polarity))
        return out

    def _walk(
        self,
    ) -> tuple[list[dict[int, list[tuple[float, str]]]], list[bool], list[bool]] | None:
        """Each sentence's theme credits, and whether it holds a weakness and praise; None
        when no clause can be a weakness or praise."""
        low = self.low
        starts, ends, kinds, sentence_of = clause_table(low, self.sentences)
        self.ends, self.kinds = ends, kinds
        if not starts:
            return None
        tagger = self.tagger
        found, words, word_starts = tagger._cues.scan(low)
        self._words = words, word_starts
        self._token_starts = None
        get = found.get
        neutral = get("neutral", _NO_SPANS)
        anaphora = get("anaphora", _NO_SPANS)
        hypothetical = get("hypothetical", _NO_SPANS)
        masks = (
            _merge([*neutral, *hypothetical, *anaphora])
            if neutral or hypothetical or anaphora
            else []
        )
        deficit = get("deficit")
        deficits = self.deficits = _by_clause(_outside(deficit, masks), starts) if deficit else {}
        positive = get("positive", _NO_SPANS)
        if anaphora:
            positive = _outside(positive, _merge(anaphora))
        if neutral:
            positive = [*positive, *neutral]
        positives: dict[int, list[Span]] | None = None  # grouped when first asked for
        recommendation = get("recommendation")
        flagged = _by_clause(recommendation, starts) if recommendation else {}
        selfs: dict[int, dict[int, list[Span]]] = {}
        topics: dict[int, dict[int, list[Span]]] = {}
        self.selfs, self.topics = selfs, topics
        last_clause = len(starts) - 1
        for category, spans in found.items():
            if category.__class__ is not tuple:
                continue
            if masks:
                spans = _outside(spans, masks)
                if not spans:
                    continue
            kind, t = category
            by_clause = selfs if kind == "self" else topics
            if len(spans) == 1:  # the usual case, without grouping
                i = bisect_right(starts, spans[0][0]) - 1
                grouped = ((last_clause if i == -1 else i, spans),)
            else:
                grouped = _by_clause(spans, starts).items()  # type: ignore[assignment]
            for i, in_clause in grouped:
                in_by_clause = by_clause.get(i)
                if in_by_clause is None:
                    by_clause[i] = {t: in_clause}
                else:
                    in_by_clause[t] = in_clause
        min_deficit, min_positive = tagger._min_deficit, tagger._min_positive
        if not deficits and not selfs and not positive and min_positive > 0:
            return None  # no clause can be a weakness or praise

        count = len(self.sentences)
        all_credits: list[dict[int, list[tuple[float, str]]]] = [{} for _ in range(count)]
        weak_in, strong_in = [False] * count, [False] * count
        previous_recommended = False
        previous_sentence = -1
        imperative = False
        for i, sentence in enumerate(sentence_of):
            same_sentence = sentence == previous_sentence
            if not same_sentence:  # the clauses of a sentence come together
                imperative = tagger.is_imperative_at(low, *self.sentences[sentence])
            recommended = imperative
            if not recommended:
                if i in flagged:
                    recommended = True
                elif (
                    same_sentence
                    and previous_recommended
                    and kinds[i] == "also"
                    and tagger.opens_with_verb(low[starts[i] : ends[i]])
                ):
                    recommended = True  # "must strengthen X, and rigorously evaluate Y"
            previous_recommended, previous_sentence = recommended, sentence
            if recommended:
                continue
            weakness = i in selfs
            if not weakness and i in deficits:
                for span in deficits[i]:
                    if span[2] >= min_deficit:
                        weakness = True
                        break
            if weakness:
                weak_in[sentence] = True
                self.credit(i, i - 1 if same_sentence else None, all_credits[sentence])
            elif kinds[i] != "concessive":
                # a trailing "even though it helps" or "despite agreements" states a standard
                if positives is None:
                    positives = _by_clause(positive, starts) if positive else {}
                praised = positives.get(i)
                praise = sum(map(_weight, praised)) if praised else 0
                if praise >= min_positive:
                    strong_in[sentence] = True
        return all_credits, weak_in, strong_in

    def credit(
        self, clause: int, previous: int | None, credits: dict[int, list[tuple[float, str]]]
    ) -> None:
        """Credit the themes of one weakness clause."""
        source = self.source
        words = _words if self.explain else _no_words
        selfs = self.selfs.get(clause, _NONE)
        topics = self.topics.get(clause)
        for t, spans in selfs.items():
            credit = credits.get(t)
            if credit is None:
                credit = credits[t] = []
            for s, e, w in spans:
                credit.append((w, words(source, s, e)))
        deficits = self.deficits.get(clause)
        if topics and deficits:  # a subject needs a deficit of its own clause
            self.credit_topics(clause, selfs, topics, deficits, credits)
        if previous is not None and not selfs and not topics and self.kinds[clause] == "contrast":
            # "X was good, but this was not consistent": the weakness is about X
            strongest = max((w for _, _, w in deficits or ()), default=0.0)
            for t, spans in self.topics.get(previous, {}).items():
                credit = credits.setdefault(t, [])
                for s, e, w in spans:
                    credit.append((w * strongest, words(source, s, e)))

    def credit_topics(
        self,
        clause: int,
        selfs: dict[int, list[Span]],
        topics: dict[int, list[Span]],
        deficits: list[Span],
        credits: dict[int, list[tuple[float, str]]],
    ) -> None:
        """Credit each subject cue of a clause with the strongest deficit that bears on it."""
        tagger = self.tagger
        token_starts = self._token_starts
        if token_starts is None:
            token_starts = self._token_starts = tagger._cues.content_word_starts(*self._words)
        # "gaps in training on domestic abuse": what follows a training cue is its content
        absorbing_themes = tagger._absorbing
        absorbing: list[int] = []
        if not (absorbing_themes.isdisjoint(topics) and absorbing_themes.isdisjoint(selfs)):
            for t, spans in [*selfs.items(), *topics.items()]:
                if t in absorbing_themes:
                    for _, e, _ in spans:
                        absorbing.append(e)
            absorbing.sort()
        # a subject inside another theme's own wording ("the assessment was not reviewed")
        # is explained by that wording
        explained: list[tuple[int, int, int]] = []
        for t, spans in selfs.items():
            for s, e, _ in spans:
                explained.append((s, e, t))
        # per deficit: its first and last word and how far it reaches (worked out once)
        words = []
        for ds, de, _ in deficits:
            words.append(
                (bisect_right(token_starts, ds) - 1, bisect_right(token_starts, de - 1) - 1)
            )
        reach: list[tuple[int, int] | None] = [None] * len(deficits)
        window = tagger.window
        source = self.source
        for t, spans in topics.items():
            absorbs = t in absorbing_themes
            for s, e, w in spans:
                if explained and any(t2 != t and s2 <= s and e <= e2 for s2, e2, t2 in explained):
                    continue
                after = 0
                if absorbing and not absorbs:
                    i = bisect_right(absorbing, s) - 1
                    after = absorbing[i] if i >= 0 else 0
                first = bisect_right(token_starts, s) - 1
                last = bisect_right(token_starts, e - 1) - 1
                best = -1
                best_weight, best_gap = 0.0, 0
                k = -1
                for ds, de, dw in deficits:
                    k += 1
                    if ds < after:
                        continue
                    # the words between the subject and the deficit
                    d_first, d_last = words[k]
                    if d_first > last:
                        gap = d_first - last - 1
                    elif first > d_last:
                        gap = first - d_last - 1
                    else:
                        gap = 0
                    if gap > window:
                        continue
                    bounds = reach[k]
                    if bounds is None:
                        bounds = reach[k] = self.reach(ds, de, self.ends[clause])
                    if not bounds[0] <= s < bounds[1]:
                        continue
                    # the strongest deficit, then the nearest, then the first
                    if best < 0 or dw > best_weight or (dw == best_weight and gap < best_gap):
                        best, best_weight, best_gap = k, dw, gap
                if best >= 0:
                    ds, de, dw = deficits[best]
                    credit = credits.get(t)
                    if credit is None:
                        credit = credits[t] = []
                    evidence = _evidence(source, s, e, ds, de) if self.explain else ""
                    credit.append((w * dw, evidence))

    def reach(self, ds: int, de: int, clause_end: int) -> tuple[int, int]:
        """Where a subject cue may start for the deficit at ds..de to bear on it: from..to.

        "Delays in X", "gaps in X", "lack of X" bind to their own complement only, up to the
        next comma or verb; a plain deficit ("X and Y were not done") reaches either side.
        """
        low = self.low
        forward = _FORWARD.match(low, de)
        if (
            not forward
            or not self.tagger._binding.fullmatch(low, ds, de)
            or _COPULA_BEFORE.search(low, max(0, ds - 16), ds)
        ):
            return _EVERYWHERE
        stop = _SCOPE_END.search(low, forward.end(), clause_end)
        return de, _EVERYWHERE[1] if stop is None else stop.start()

    def suggestions(
        self, credits: dict[int, list[tuple[float, str]]]
    ) -> tuple[ThemeSuggestion, ...]:
        slugs = self.tagger._slugs
        threshold = self.tagger.threshold
        ranked = []
        for t, found in credits.items():
            missing = 1.0
            for credit, _ in found:
                missing *= 1.0 - (1.0 if credit > 1.0 else credit)
            score = _rounded(1.0 - missing)
            if score >= threshold:
                ranked.append((-score, slugs[t], found))
        if len(ranked) > 1:
            ranked.sort(key=_first_two)  # strongest first, then by slug
        suggestions = []
        explain = self.explain
        for negated, slug, found in ranked:
            evidence: tuple[str, ...] = ()
            if explain:
                if len(found) == 1:
                    evidence = (found[0][1],)
                else:
                    evidence = tuple(dict.fromkeys(map(_second, found)))
            suggestions.append(ThemeSuggestion(slug, -negated, evidence))
        return tuple(suggestions)


_EVERYWHERE = (-(2**62), 2**62)
_NEUTRAL = TagResult((), "neutral")
_NO_SPANS: list[Span] = []  # never changed: a default for categories not found
_NONE: dict[int, list[Span]] = {}
_first_two = itemgetter(0, 1)
_second = itemgetter(1)
_weight = itemgetter(2)


_ROUNDED: dict[float, float] = {}


def _rounded(score: float) -> float:
    """round(score, 3), remembered: scores come from products of a few rule weights, and
    rounding a float to decimals is slow."""
    rounded = _ROUNDED.get(score)
    if rounded is None:
        if len(_ROUNDED) > 10_000:
            _ROUNDED.clear()
        rounded = _ROUNDED[score] = round(score, 3)
    return rounded


def _words(source: str, start: int, end: int) -> str:
    """The words of source[start:end], one space apart."""
    text = source[start:end]
    if (
        "  " not in text
        and text
        and text.isprintable()  # so its only white space is single plain spaces
        and text[0] != " "
        and text[-1] != " "
    ):
        return text
    return " ".join(text.split())


def _no_words(source: str, start: int, end: int) -> str:
    """No words: what a cue is credited with when no evidence is wanted."""
    return ""


def _evidence(source: str, s: int, e: int, ds: int, de: int) -> str:
    """The words from a subject cue to its deficit, or both apart when they stand far apart."""
    lo = s if s < ds else ds
    hi = e if e > de else de
    if hi - lo <= 80:
        return _words(source, lo, hi)
    return f"{_words(source, s, e)} … {_words(source, ds, de)}"
