"""The words a theme model reads in one sentence: stemmed words, pairs, negated words, concepts.

Fitting (findings.tagger_fit) and tagging (findings.tagger_model) both call :func:`features`,
so the model sees exactly the features it was fitted on. Pure Python, no heavy imports.
"""

from __future__ import annotations

import re
from itertools import pairwise

from findings.tagger_concepts import CONCEPTS, SIGNALS

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
_LETTERS_KEPT = bytes(
    c if 97 <= c <= 122 or chr(c) in ",;:()" else 35 if 48 <= c <= 57 or c == 39 else 32
    for c in range(256)
)
"""A byte table for ASCII text: letters and clause marks kept, digits and apostrophes made "#"
(the text then needs the careful reading), all else a space."""
_CLAUSE_MARKS = [(mark.encode(), f" {mark} ".encode()) for mark in ",;:()"]


def words(low: str) -> list[str]:
    """The stemmed words and clause marks of a lower-cased sentence ("n't" read as "not")."""
    if low.isascii():
        spaced = low.encode().translate(_LETTERS_KEPT)
        if b"#" not in spaced:  # the usual case, in C: split at spaces, clause marks set apart
            for mark, apart in _CLAUSE_MARKS:
                if mark in spaced:
                    spaced = spaced.replace(mark, apart)
            return list(map(_WORDS.__getitem__, spaced.decode().split()))
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
SIGNAL_PREFIX = "signal:"


def _concept_index() -> dict[str, list[tuple[tuple[str, ...], str]]]:
    """Each concept and signal phrase as stems, filed under its first stem."""
    index: dict[str, list[tuple[tuple[str, ...], str]]] = {}
    for prefix, lexicon in ((CONCEPT_PREFIX, CONCEPTS), (SIGNAL_PREFIX, SIGNALS)):
        for name, phrases in lexicon.items():
            for phrase in phrases.split(";"):
                stems = tuple(words(phrase.strip()))
                entry = (stems, prefix + name)
                if stems and entry not in index.get(stems[0], ()):
                    index.setdefault(stems[0], []).append(entry)
    return index


_CONCEPTS = _concept_index()
_THEME, _SHORTFALL_SIGNAL, _PRAISE_SIGNAL, _OTHER_SIGNAL = 0, 1, 2, 3
_SORTS = {SIGNAL_PREFIX + "shortfall": _SHORTFALL_SIGNAL, SIGNAL_PREFIX + "praise": _PRAISE_SIGNAL}


def _sort_of(name: str) -> int:
    """Whether a concept or signal names a theme, a shortfall, praise or something else."""
    return _THEME if name.startswith(CONCEPT_PREFIX) else _SORTS.get(name, _OTHER_SIGNAL)


_Found = tuple[tuple[str, int], ...]
"""Concepts and signals a phrase is, each with its sort."""
_Pairs = dict[str, tuple[_Found, tuple[tuple[list[str], str, int], ...]]]


def _matching_tables() -> tuple[dict[str, _Found], _Pairs]:
    """The phrases as looked up while reading a sentence: under a stem, the concepts and
    signals it is a one-word phrase of (with their sort); under a pair of stems (as the pair
    feature, "risk manag"), those it is a two-word phrase of, and the longer phrases it
    begins (their stems, concept or signal, sort)."""
    one_word: dict[str, _Found] = {}
    pairs: _Pairs = {}
    for first, entries in _CONCEPTS.items():
        for stems, name in entries:
            if len(stems) == 1:
                one_word[first] = (*one_word.get(first, ()), (name, _sort_of(name)))
                continue
            pair = stems[0] + " " + stems[1]
            two_words, longer = pairs.get(pair, ((), ()))
            if len(stems) == 2:
                two_words = (*two_words, (name, _sort_of(name)))
            else:
                longer = (*longer, (list(stems), name, _sort_of(name)))
            pairs[pair] = two_words, longer
    return one_word, pairs


_ONE_WORD, _PAIR_PHRASES = _matching_tables()
_CLAUSE_END, _SCOPE_END, _NEGATOR = 1, 2, 3
_ROLES = {
    **dict.fromkeys(_STEMMED_NEGATORS, _NEGATOR),
    **dict.fromkeys(_STEMMED_SCOPE_ENDS, _SCOPE_END),
    **dict.fromkeys(_PUNCTUATION, _CLAUSE_END),
}
"""What a word does to a negation and a clause: a clause mark ends both, a contrast word
("but", "although") ends both but is read as a word, a negator opens (or undoes) a negation."""
_SPECIAL = {word: (_ROLES.get(word), _ONE_WORD.get(word, ())) for word in {*_ROLES, *_ONE_WORD}}
"""The words with a role or a one-word phrase: (role or None, the one-word phrases)."""
_PLAIN = (None, ())


def features(low: str) -> set[str]:
    """The features of one lower-cased sentence.

    Each stemmed word, each pair of neighbouring words ("not visit"), each pair with one word
    between them ("not _ visit" in "not always visited": worth +0.011 grouped-CV micro-F1,
    0.754 -> 0.765), and each word that stands
    after a negation in the same clause, marked with "~" ("~visit"), so "not visited" and
    "visited" read differently; a negation stops at a comma or "but", and a second negation
    undoes the first ("no lack of curiosity"). And each theme concept or polarity signal one of
    whose phrases occurs ("concept:workload", "~concept:workload" when negated, "signal:praise";
    findings.tagger_concepts).

    Clause by clause (a clause ends at punctuation or a contrast word), each concept is marked
    with what its clause says of practice: "concept:workload@short" when the clause holds a
    shortfall signal or negated wording (unless what is negated is a shortfall: "not
    underestimated"), "@praise" when it praises; and a sentence with a
    praising clause and a shortfall clause gets "clauses:praise and shortfall" (mixed); one
    with no shortfall clause "clauses:no shortfall", with no praising clause "clauses:no
    praise", and with neither "clauses:neither" too.
    """
    tokens = words(low)
    tokens.append(",")  # the last clause ends like any other
    # every word and every pair of neighbours, at once (a clause mark is neither: see below)
    pairs = list(map(" ".join, pairwise(tokens)))
    found = set(tokens)
    found.update(pairs)
    # and every pair with one word between them, kept once the loop has struck those that
    # reach over a clause mark (which may read like a pair found elsewhere in the sentence)
    skips: list[str | None] = list(map(" _ ".join, zip(tokens, tokens[2:], strict=False)))
    add = found.add
    negated = False
    # the clause so far: theme concepts in it, whether it says practice fell short or praises it
    in_clause: list[str] = []
    short = praised = cleared = spent = False
    kinds: set[str] = set()
    specials = list(map(_SPECIAL.get, tokens))  # each word's role and one-word phrases
    phrases = list(map(_PAIR_PHRASES.get, pairs))  # the phrases of two words or more there
    phrases.append(None)
    for position, special in enumerate(specials):
        phrase = phrases[position]
        if special is None:
            if phrase is None:  # a plain word: it only matters under a negation
                if negated:
                    add("~" + tokens[position])
                    short = True
                continue
            special = _PLAIN
        role, matched = special
        if role is not None and role != _NEGATOR:  # the clause ends
            if in_clause or short or praised:
                kind = (
                    "short"
                    if short and not cleared
                    else "praise"
                    if praised
                    else "cleared"
                    if cleared
                    else ""
                )
                if kind:
                    kinds.add(kind)
                    for concept in in_clause:
                        add(concept + "@" + kind)
                in_clause = []
                short = praised = cleared = spent = False
            if role == _CLAUSE_END:  # a clause mark is no word and pairs with none
                found.discard(tokens[position])
                if position:
                    found.discard(pairs[position - 1])
                if position < len(pairs):
                    found.discard(pairs[position])
                for reaching in range(max(position - 2, 0), min(position + 1, len(skips))):
                    skips[reaching] = None
                negated = False
                continue
        if phrase is not None:
            two_words, longer = phrase
            matched = matched + two_words
            for stems, concept, sort in longer:
                if tokens[position : position + len(stems)] == stems:
                    matched = (*matched, (concept, sort))
        for concept, sort in matched:
            add("~" + concept if negated else concept)
            if sort == _THEME:
                in_clause.append(concept)
            elif sort == _SHORTFALL_SIGNAL:
                if negated:
                    # "not underestimated" falls short of nothing, and the negation ends
                    # there: "no concerns about the plan" does not negate the plan
                    cleared = spent = True
                else:
                    short = True
            elif sort == _PRAISE_SIGNAL:
                if negated:
                    short = True
                else:
                    praised = True
        if role == _SCOPE_END:
            negated = False
        elif role == _NEGATOR:
            negated = not negated  # "no lack of curiosity" is no shortfall
        elif negated:
            add("~" + tokens[position])
            short = True
            if spent:
                negated = spent = False
    found.update(filter(None, skips))
    if "short" in kinds and "praise" in kinds:
        add("clauses:praise and shortfall")
    if "cleared" in kinds:
        add("clauses:shortfall negated")
    # what no clause says: a linear model cannot read an absence from the words alone
    if "short" not in kinds:
        add("clauses:no shortfall")
    if "praise" not in kinds:
        add("clauses:no praise")
    if not kinds:
        add("clauses:neither")
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
    feature = feature.lstrip("~").partition("@")[0]
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
