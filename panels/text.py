"""Text that is safe to circulate: redacted, XML-compatible, and short where it must be."""

from __future__ import annotations

import re
from collections.abc import Iterable

from findings.models import SOURCE_LABELS, SourceType

# Characters XML 1.0 forbids (python-docx refuses them): C0 controls except tab/newline/CR,
# DEL and C1 controls, lone surrogates and the two non-characters U+FFFE/U+FFFF.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
_SPACES = re.compile(r"[ \t]+")


def xml_safe(text: str) -> str:
    """The text without characters an XML document cannot hold."""
    return _NOT_XML.sub("", text)


def one_line(text: str) -> str:
    """XML-safe text on one line with runs of white space collapsed."""
    return _SPACES.sub(" ", xml_safe(text).replace("\r", " ").replace("\n", " ")).strip()


def truncate(text: str, limit: int) -> str:
    """At most ``limit`` characters, cut at a word boundary with an ellipsis when cut."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    space = cut.rfind(" ")
    if space > limit // 2:
        cut = cut[:space]
    if cut.rfind("[") > cut.rfind("]"):
        cut = cut[: cut.rfind("[")]  # never half a placeholder ("[Person…")
    return cut.rstrip(" ,;:.-") + "…"


def first_sentences(text: str, limit: int) -> str:
    """Whole sentences from the start of ``text`` up to about ``limit`` characters."""
    text = one_line(text)
    sentences = re.split(r"(?<=[.!?])\s+", text)
    out = ""
    for sentence in sentences:
        candidate = f"{out} {sentence}".strip()
        if len(candidate) > limit:
            break
        out = candidate
    return out or truncate(text, limit)


class Scrubber:
    """One redactor for everything that leaves together, so a person keeps one placeholder.

    ``learn`` every text that will be quoted first: a surname seen with a title anywhere
    ("Mr Aldana") is then removed even where it appears bare ("Aldana said...").
    """

    def __init__(self, extra_names: Iterable[str] = ()) -> None:
        from findings.redact import Redactor

        self._redactor = Redactor(extra_names=[n for n in extra_names if n and n.strip()])

    def learn(self, *texts: str | None) -> None:
        """Remember the names these texts mention."""
        for text in texts:
            if text:
                self._redactor.learn(xml_safe(text))

    def __call__(self, text: str) -> str:
        """The text with personal data replaced (what ``findings.redact`` finds)."""
        return xml_safe(self._redactor.redact(xml_safe(text)))


def share(count: int, total: int) -> str:
    """'3 of 4' on small numbers, else '42% (17 of 40)' (the recurrence work's rule)."""
    from findings.recurrence import format_share

    return format_share(count, total)


_WORD = re.compile(r"[a-z]{4,}")
_COMMON = frozenset(
    {
        *("that", "with", "were", "have", "this", "from", "when", "what", "there", "their"),
        *("which", "about", "would", "could", "should", "applies", "says", "text", "other"),
        *("people", "case", "cases", "practice", "work"),
    }
)


def keywords(*texts: str) -> frozenset[str]:
    """The distinctive words (four letters or more, stem-trimmed) of some describing text."""
    words: set[str] = set()
    for text in texts:
        words.update(w[:6] for w in _WORD.findall(text.lower()) if w not in _COMMON)
    return frozenset(words)


def relevance(text: str, words: frozenset[str]) -> int:
    """How many of ``words`` appear in ``text`` (by their stem)."""
    return len({w[:6] for w in _WORD.findall(text.lower())} & words)


_CONNECTIVE = re.compile(
    r"^(?:furthermore|moreover|in addition|additionally|separately|linked to this|also|"
    r"as a result|in turn|similarly|likewise|at the same time),\s+(?=\w)",
    re.IGNORECASE,
)
"""A sentence's opening that points back to the one before it: out of place in a quote."""


def quotable(text: str, words: frozenset[str], limit: int, fallback: str = "") -> str:
    """The sentence of ``text`` that best matches ``words``, trimmed to about ``limit``.

    When ``text`` is empty or no sentence of it names any of ``words`` (a narrative of the
    case's context, its point in other words), ``fallback`` (the finding's summary, which
    states the point) is quoted instead; and an opening that points back ("Furthermore, ...")
    is dropped.
    """
    text = one_line(text)
    sentences = [s for s in re.split(r"(?<=[.!?])\s+", text) if s]
    if not sentences:
        return quotable(fallback, words, limit) if fallback else ""
    best = max(sentences, key=lambda s: (relevance(s, words), -sentences.index(s)))
    if fallback and relevance(best, words) == 0:
        return quotable(fallback, words, limit)
    opening = _CONNECTIVE.match(best)
    if opening:
        rest = best[opening.end() :]
        best = rest[:1].upper() + rest[1:]
    return truncate(best, limit)


def source_label(source_type: str) -> str:
    """'SFO review' for 'sfo_review'; anything unrecognised is shown as given."""
    try:
        return SOURCE_LABELS[SourceType(source_type)]
    except ValueError:
        return source_type


def without_label(summary: str) -> str:
    """A strength's summary without a 'Good practice:' label (the section already says so)."""
    while True:
        head, sep, rest = summary.partition(":")
        label = head.strip().lower() in ("good practice", "strength", "good")
        reference = " " not in head.strip() and any(c.isdigit() for c in head)
        if not (sep and rest.strip() and (label or reference)):
            return summary
        summary = rest.strip()[:1].upper() + rest.strip()[1:]
