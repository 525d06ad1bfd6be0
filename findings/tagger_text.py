"""Text handling for the theme tagger: evening out quotes and dashes, sentences and clauses."""

from __future__ import annotations

import re

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
_CONTROL = re.compile("[\x00-\x1f\x7f]")  # what str.isprintable() refuses in ASCII text


def normalise(text: str) -> tuple[str, str]:
    """The text with quotes and dashes evened out (for sentences) and its lower-cased twin.

    Both keep every character's offset, so matches map straight back to the original words.
    """
    if text.isascii():  # the common case, without translate's per-character lookups
        cased = text.replace("-", " ").replace("`", "'")
        low = cased.lower()
        # the white space to even out is all control characters (isprintable() is slower)
        return cased, low.translate(_WHITESPACE_MAP) if _CONTROL.search(low) else low
    cased = text.translate(_CHAR_MAP)
    low = cased.lower()
    if len(low) != len(cased):  # a few characters lower-case to two; keep offsets aligned
        low = "".join(c.lower()[:1] for c in cased)
    return cased, low.translate(_WHITESPACE_MAP)


_SENTENCE_BREAK = re.compile(
    r"(?<=[.!?])[\"')\]]*(?:\d{1,2}(?=\s))?\s+(?=[^a-z\s])|\n\s*(?:[-*\u2022\u25cf]\s+)?"
)
_SENTENCE_END = re.compile(r"[.!?\n]")
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
_BREAK_WORD = re.compile(r"however|but\b|whereas|despite|in spite|notwithstanding")
_BREAK_WORDS = ("however", "but", "whereas", "despite", "in spite", "notwithstanding")
"""The letters each _BREAK_WORD alternative starts with: str.find looks for them faster."""
_COMMA = re.compile(r"[,;]")
_OPENING_CONCESSION = re.compile(
    r"^\W*(?:(?P<np>despite|in spite of|notwithstanding)"
    r"|although|though|even though|while|whilst)\b"
)
FINITE_VERB = re.compile(
    r"\b(?:was|were|is|are|had|has|have|did|does|do|been|can|could|may|might|will|would|shall"
    r"|should|must|[a-z]{3,}ed)\b"
)


def sentences(cased: str) -> list[tuple[int, int]]:
    """Start and end offsets of each sentence (or line) of the text."""
    # A break starts right after . ! ? or at a line break, so it is tried only there: the same
    # matches as scanning the text with _SENTENCE_BREAK, without trying every character.
    if "!" in cased or "?" in cased or "\n" in cased:
        marks = [m.start() for m in _SENTENCE_END.finditer(cased)]
    else:  # full stops only, which str.find finds faster
        marks = []
        mark = cased.find(".")
        while mark != -1:
            marks.append(mark)
            mark = cased.find(".", mark + 1)
    spans, start, resume = [], 0, 0
    match = _SENTENCE_BREAK.match
    for mark in marks:
        pos = mark if cased[mark] == "\n" else mark + 1
        if pos < resume:
            continue
        m = match(cased, pos)
        if m is None:
            continue
        if pos > start:
            spans.append((start, pos))
        start = resume = m.end()
    if start < len(cased):
        spans.append((start, len(cased)))
    return spans


def clause_table(
    low: str, spans: list[tuple[int, int]]
) -> tuple[list[int], list[int], list[str], list[int]]:
    """The clauses of all the sentences as parallel lists: start, end, kind, sentence."""
    # only commas, semicolons and contrast words can break a sentence; most texts have no
    # contrast word at all, which one look at the whole text tells
    contrast = _has_break_word(low)
    if not contrast and "," not in low and ";" not in low:
        return (
            [s for s, _ in spans],
            [e for _, e in spans],
            ["start"] * len(spans),
            [*range(len(spans))],
        )
    starts: list[int] = []
    ends: list[int] = []
    kinds: list[str] = []
    sentence_of: list[int] = []
    for index, (start, end) in enumerate(spans):
        for c_start, c_end, kind in clauses(low, start, end, contrast):
            starts.append(c_start)
            ends.append(c_end)
            kinds.append(kind)
            sentence_of.append(index)
    return starts, ends, kinds, sentence_of


def _has_break_word(text: str, start: int = 0) -> bool:
    """Whether a (lower-case) text holds, from start, a contrast word that can break a
    sentence (str.find's look for the words rules out most texts faster than the regex)."""
    for word in _BREAK_WORDS:
        if word in text:
            return _BREAK_WORD.search(text, start) is not None
    return False


def clauses(low: str, start: int, end: int, contrast: bool = True) -> list[tuple[int, int, str]]:
    """Split one sentence into clauses: (start, end, the kind of break that opened it).

    ``contrast=False`` says the text holds no contrast word, so only commas and semicolons are
    looked for.
    """
    sentence = low[start:end]
    if "," not in sentence and ";" not in sentence and not (contrast and _has_break_word(sentence)):
        return [(start, end, "start")] if sentence else []
    cuts: list[tuple[int, int, str]] = []  # (cut start, next clause start, kind)
    opening = _OPENING_CONCESSION.match(sentence)
    if opening:
        # "Although X had improved, Y ..." ends at the first comma after a verb;
        # "Despite X, Y ..." at the first comma.
        pos = opening.end()
        while (comma := sentence.find(",", pos)) != -1:
            if opening.group("np") or FINITE_VERB.search(sentence, opening.end(), comma):
                cuts.append((comma, comma + 1, "main"))
                break
            pos = comma + 1
    last = cuts[0][1] if cuts else 0
    verb_seen, checked = False, last  # whether the clause so far has a verb, checked up to where
    # without a contrast word ahead, only commas and semicolons can break the sentence
    candidates = _BREAK_CANDIDATE if contrast and _has_break_word(sentence, last) else _COMMA
    for candidate in candidates.finditer(sentence, last):
        if candidate.start() < last:
            continue
        m = _CLAUSE_BREAK.match(sentence, candidate.start())
        if m is None:
            continue
        kind = m.lastgroup or "contrast"
        if kind == "also":
            verb_seen = verb_seen or bool(FINITE_VERB.search(sentence, checked, m.start()))
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
