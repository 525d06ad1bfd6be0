"""The words a theme model reads in one sentence: stemmed words, pairs, negated words, concepts.

Fitting (findings.tagger_fit) and tagging (findings.tagger_model) both call :func:`features`,
so the model sees exactly the features it was fitted on. Pure Python, no heavy imports.
"""

from __future__ import annotations

import re

from findings.tagger_concepts import CONCEPTS

_TOKEN = re.compile(r"[a-z]+(?:'[a-z]+)?|\d+(?:[.,]\d+)?|[,;:()]")
_NEGATORS = frozenset(
    re.findall(
        r"\w+",
        "not no never nor without neither nobody nothing none cannot lack lacked lacking absence"
        " failed fail failure unable insufficient",
    )
)
_SCOPE_ENDS = frozenset(",;:()") | frozenset(
    re.findall(r"\w+", "but however although though whereas while whilst despite yet because so")
)
_CONTRACTIONS = {"n't": "not", "'s": "", "'d": "", "'re": "", "'ve": "", "'ll": ""}
_STEM_LENGTH = 7
_stems: dict[str, str] = {}


def _stem(word: str) -> str:
    """A crude, fast stem: plural and verb endings off, then at most seven letters."""
    stem = _stems.get(word)
    if stem is not None:
        return stem
    base = word
    if base[0].isdigit():
        stem = "0"
    else:
        if base.endswith("ies") and len(base) > 4:
            base = base[:-3] + "y"
        elif base.endswith("s") and not base.endswith(("ss", "us", "is")) and len(base) > 3:
            base = base[:-1]
        if base.endswith("ing") and len(base) > 5:
            base = base[:-3]
        elif base.endswith("ed") and len(base) > 4:
            base = base[:-2]
        elif base.endswith("e") and len(base) > 4:
            base = base[:-1]
        stem = base[:_STEM_LENGTH]
        if stem in _NEGATORS and word not in _NEGATORS:  # "noted" is no "not"
            stem = word[:_STEM_LENGTH]
    if len(_stems) > 200_000:
        _stems.clear()
    _stems[word] = stem
    return stem


class _Words(dict[str, str]):
    """What each plain token (no digit, no apostrophe) reads as: a clause mark or a word that
    ends a negation as it is, any other word stemmed; worked out the first time it is met."""

    def __missing__(self, token: str) -> str:
        if len(self) > 200_000:  # odd input must not grow it forever
            self.clear()
        word = self[token] = token if token in _SCOPE_ENDS else _stem(token)
        return word


_WORDS = _Words()
_SPACED_TOKENS = str.maketrans(
    {c: c if "a" <= c <= "z" else f" {c} " if c in ",;:()" else " " for c in map(chr, range(128))}
)
"""ASCII text with its letters kept, each clause mark set apart and all else a space: without
digits or apostrophes, its pieces between spaces are the tokens _TOKEN finds."""
_DIGIT_OR_APOSTROPHE = re.compile(r"[0-9']")


def words(low: str) -> list[str]:
    """The stemmed words and clause marks of a lower-cased sentence ("n't" read as "not")."""
    if low.isascii() and not _DIGIT_OR_APOSTROPHE.search(low):  # the usual case, in C
        return list(map(_WORDS.__getitem__, low.translate(_SPACED_TOKENS).split()))
    out = []
    for token in _TOKEN.findall(low):
        if "'" in token:
            head, _, tail = token.partition("'")
            tail = "'" + tail
            if token.endswith("n't"):
                head, tail = token[:-3], "n't"
            if head:
                out.append(_stem(head))
            replacement = _CONTRACTIONS.get(tail)
            if replacement:
                out.append(replacement)
        else:
            out.append(_WORDS[token])
    return out


_STEMMED_NEGATORS = frozenset(_stem(w) for w in _NEGATORS)
_STEMMED_SCOPE_ENDS = frozenset(_stem(w) if w.isalpha() else w for w in _SCOPE_ENDS)
_PUNCTUATION = frozenset(",;:()")


CONCEPT_PREFIX = "concept:"


def _concept_index() -> dict[str, list[tuple[tuple[str, ...], str]]]:
    """Each concept phrase as stems, filed under its first stem."""
    index: dict[str, list[tuple[tuple[str, ...], str]]] = {}
    for slug, phrases in CONCEPTS.items():
        for phrase in phrases.split(";"):
            stems = tuple(words(phrase.strip()))
            entry = (stems, CONCEPT_PREFIX + slug)
            if stems and entry not in index.get(stems[0], ()):
                index.setdefault(stems[0], []).append(entry)
    return index


_CONCEPTS = _concept_index()


def features(low: str) -> set[str]:
    """The features of one lower-cased sentence.

    Each stemmed word, each pair of neighbouring words ("not visit"), and each word that stands
    after a negation in the same clause, marked with "~" ("~visit"), so "not visited" and
    "visited" read differently; a negation stops at a comma or "but", and a second negation
    undoes the first ("no lack of curiosity"). And each theme concept one of whose phrases occurs
    ("concept:workload", "~concept:workload" when negated; findings.tagger_concepts).
    """
    tokens = words(low)
    found: set[str] = set()
    add = found.add
    previous = ""
    negated = False
    concepts = _CONCEPTS
    for position, token in enumerate(tokens):
        if token in _PUNCTUATION:
            previous = ""
            negated = False
            continue
        add(token)
        if previous:
            add(previous + " " + token)
        for stems, concept in concepts.get(token, ()):
            if tuple(tokens[position : position + len(stems)]) == stems:
                add("~" + concept if negated else concept)
        if token in _STEMMED_SCOPE_ENDS:
            negated = False
        elif token in _STEMMED_NEGATORS:
            negated = not negated  # "no lack of curiosity" is no shortfall
        elif negated:
            add("~" + token)
        previous = token
    return found


def _concept_phrases() -> dict[str, list[list[str]]]:
    """Each concept's phrases as stems, longest first (the longest that occurs is shown)."""
    phrases: dict[str, list[list[str]]] = {}
    for entries in _CONCEPTS.values():
        for stems, concept in entries:
            phrases.setdefault(concept, []).append(list(stems))
    return {c: sorted(p, key=len, reverse=True) for c, p in phrases.items()}


_CONCEPT_PHRASES = _concept_phrases()


def _phrases_of(feature: str) -> list[list[str]]:
    """The stemmed word sequences a word, pair or concept feature stands for."""
    feature = feature.lstrip("~")
    if feature.startswith(CONCEPT_PREFIX):
        return _CONCEPT_PHRASES.get(feature, [])
    return [feature.split(" ")]


def original_words(sentence: str, wanted: list[str]) -> list[str]:
    """The sentence's own words behind some features, in that order: "~visit" -> "visited",
    a concept -> the phrase of it that occurs."""
    tokens = [m for m in _TOKEN.finditer(sentence.lower()) if m.group()[0] not in ",;:()"]
    stems = [
        _WORDS[token] if token.isascii() and token.isalpha() else (words(token) or [""])[0]
        for token in (m.group() for m in tokens)
    ]
    starts: dict[str, list[int]] = {}
    for i, stem in enumerate(stems):
        starts.setdefault(stem, []).append(i)
    out = []
    for feature in wanted:
        for parts in _phrases_of(feature):
            size = len(parts)
            match = next(
                (i for i in starts.get(parts[0], ()) if stems[i : i + size] == parts), None
            )
            if match is not None:
                words_found = tokens[match : match + size]
                out.append(" ".join(sentence[m.start() : m.end()] for m in words_found))
                break
    return list(dict.fromkeys(out))
