"""Redaction of personal data in free text: CRNs, PNC numbers, dates of birth, postcodes, names."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

# Letters that may start a name, accented capitals included; the rest of a name is any letter.
_UPPER = "A-ZÀ-ÖØ-Þ"
_NAME_WORD = rf"[{_UPPER}][^\W\d_]*(?:['’-][^\W\d_]+)*"
_TITLE = r"(?:Mrs|MRS|Mr|MR|Ms|Miss|MISS|Mx|MX|Dr|DR)"
# "MS" alone is left out: it is far more often Microsoft (MS Teams) than a title.

CRN_RE = re.compile(r"\b[A-Za-z][0-9]{6}\b")
PNC_RE = re.compile(r"\b(?:[0-9]{4}|[0-9]{2})/[0-9]{1,7}[A-Za-z]\b")
# UK postcodes (outward code, space optional, inward code); the letters follow Royal Mail's rules.
POSTCODE_RE = re.compile(
    r"\b(?:GIR ?0AA|[A-PR-UWYZ](?:[0-9][0-9A-HJKPSTUW]?|[A-HK-Y][0-9][0-9ABEHMNPRVWXY]?)"
    r" ?[0-9][ABD-HJLNP-UW-Z]{2})\b",
    re.IGNORECASE,
)
_ORDINAL_INWARD = re.compile(r"[0-9](?:st|nd|rd|th)$")
_MONTH = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|"
    r"Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)"
)
_DATE = (
    r"(?:[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}"
    r"|[0-9]{1,2}[/.-][0-9]{1,2}[/.-][0-9]{2,4}"
    rf"|[0-9]{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTH}\.?,?\s+[0-9]{{2,4}}"
    rf"|{_MONTH}\.?\s+[0-9]{{1,2}}(?:st|nd|rd|th)?,?\s+[0-9]{{4}}"
    r"|(?<=in )[0-9]{4})"
)
DOB_RE = re.compile(
    r"\b(?:d\.?\s?o\.?\s?b\b\.?|date\s+of\s+birth|born(?:\s+on|\s+in)?)"
    r"\s*(?:[:=(\-–]|is|was)?\s*"
    rf"(?P<date>{_DATE})",
    re.IGNORECASE,
)
TITLED_NAME_RE = re.compile(
    rf"\b(?P<title>{_TITLE})\.?\s+"
    rf"(?P<name>(?:[{_UPPER}]\.?\s+){{0,2}}{_NAME_WORD}(?:\s+{_NAME_WORD})?)",
)

_TITLES = {"mr", "mrs", "ms", "miss", "mx", "dr"}

_NOT_NAMES = (
    # inspection and probation vocabulary
    "MAPPA ViSOR RoSH OASys SFO SPO PO PSO PQiP CRS RAR HMIP HMPPS NPS LEAP PDU CRN PNC DOB "
    "Probation Officer Officers Service Services Senior Practitioner Manager Police Court "
    "Prison Custody Community Building Choices Thinking Skills Programme Approved Premises "
    "Children Social Care Council Team Unit Region Regional Panel Inspectorate Inspection "
    "Review Audit Assessment Planning Reviewing Level Tier "
    # words that follow a title without being a name
    "The A An And Or Of In On At To For With Who Which That This He She They His Her Their"
)
_PLACES = (
    "Oxfordshire Buckinghamshire Milton Keynes West East North South Berkshire Hampshire "
    "Southampton Eastleigh New Forest Portsmouth Isle Wight Central England Wales"
)
NOT_NAMES: frozenset[str] = frozenset(w.lower() for w in _NOT_NAMES.split())
"""Capitalised words that end a titled name ("Dr The ..." is not a person)."""
PROTECTED_WORDS: frozenset[str] = NOT_NAMES | {w.lower() for w in _PLACES.split()}
"""Words never redacted on their own, even after they appeared in a name (Mr West)."""


def _person_key(name: str) -> str:
    return " ".join(name.lower().replace(".", " ").split())


def _letters(index: int) -> str:
    """A, B, ... Z, AA, AB, ... for the index-th person."""
    out = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        out = chr(ord("A") + rem) + out
    return out


@dataclass
class Redactor:
    """Replaces personal data with placeholders that stay the same across one document.

    Use one instance for everything that leaves together (a briefing, an export): the same CRN
    or person gets the same placeholder in every field and row it appears in.
    """

    extra_names: Iterable[str] = ()
    _people: dict[str, str] = field(default_factory=dict, init=False)
    _numbered: dict[tuple[str, str], str] = field(default_factory=dict, init=False)
    _counts: dict[str, int] = field(default_factory=dict, init=False)
    _known_words: dict[str, str] = field(default_factory=dict, init=False)  # word -> person key
    _listed: re.Pattern[str] | None = field(default=None, init=False)

    def __post_init__(self) -> None:
        names = sorted(
            {" ".join(n.split()) for n in self.extra_names if n and n.strip()},
            key=len,
            reverse=True,
        )
        self.extra_names = tuple(names)
        if names:
            alternatives = "|".join(re.escape(n).replace(r"\ ", r"\s+") for n in names)
            self._listed = re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)", re.IGNORECASE)
            for name in names:
                self._learn_words(name, _person_key(name))

    # -- placeholders ---------------------------------------------------------------------------

    def _person(self, key: str) -> str:
        if key not in self._people:
            self._people[key] = f"[Person {_letters(len(self._people))}]"
        return self._people[key]

    def _numbered_placeholder(self, kind: str, value: str) -> str:
        key = (kind, re.sub(r"\s+", "", value).upper())
        if key not in self._numbered:
            self._counts[kind] = self._counts.get(kind, 0) + 1
            self._numbered[key] = f"[{kind} {self._counts[kind]}]"
        return self._numbered[key]

    def _learn_words(self, name: str, key: str) -> None:
        """Remember a name's words so a later bare 'Smith' becomes the same person."""
        for word in re.findall(_NAME_WORD, name):
            if len(word) >= 3 and word.lower() not in PROTECTED_WORDS:
                self._known_words.setdefault(word, key)

    # -- finding spans --------------------------------------------------------------------------

    def _spans(self, text: str) -> list[tuple[int, int, str]]:
        spans: list[tuple[int, int, str]] = []
        for m in DOB_RE.finditer(text):
            spans.append(
                (m.start("date"), m.end("date"), self._numbered_placeholder("DOB", m["date"]))
            )
        for m in PNC_RE.finditer(text):
            spans.append((m.start(), m.end(), self._numbered_placeholder("PNC", m[0])))
        for m in CRN_RE.finditer(text):
            spans.append((m.start(), m.end(), self._numbered_placeholder("CRN", m[0])))
        for m in POSTCODE_RE.finditer(text):
            if _ORDINAL_INWARD.search(m[0]) or not any(c.isdigit() for c in m[0][:4]):
                continue
            spans.append((m.start(), m.end(), self._numbered_placeholder("postcode", m[0])))
        if self._listed is not None:
            for m in self._listed.finditer(text):
                spans.append((m.start(), m.end(), self._person(_person_key(m[0]))))
        for m in TITLED_NAME_RE.finditer(text):
            words = m["name"].split()
            # Stop at vocabulary ("Dr Barnardo's Service" keeps "Service"); drop if nothing left.
            kept: list[str] = []
            for word in words:
                if word.lower().strip(".") in NOT_NAMES:
                    break
                kept.append(word)
            if not kept or not any(len(w.strip(".")) > 1 for w in kept):
                continue
            name = " ".join(kept)
            last_word = list(re.finditer(r"\S+", m["name"]))[len(kept) - 1]
            end = m.start("name") + last_word.end()
            key = self._match_known(m["title"], name) or _person_key(f"{m['title']} {name}")
            self._learn_words(name, key)
            spans.append((m.start(), end, self._person(key)))
        if self._known_words:
            words = "|".join(re.escape(w) for w in sorted(self._known_words, key=len, reverse=True))
            for m in re.finditer(rf"(?<![\w'’-])(?:{words})(?![\w-])", text):
                spans.append((m.start(), m.end(), self._person(self._known_words[m[0]])))
        return spans

    def _match_known(self, title: str, name: str) -> str | None:
        """The key of a person already seen with this surname (and no other title), if any."""
        key = self._known_words.get(name.split()[-1])
        if key is None:
            return None
        first = key.split()[0]
        if first in _TITLES and first != title.lower():
            return None  # Mrs Smith is not Mr Smith
        return key

    # -- public ---------------------------------------------------------------------------------

    def redact(self, text: str) -> str:
        """``text`` with personal data replaced by this redactor's placeholders."""
        if not text:
            return text
        spans = self._spans(text)
        if not spans:
            return text
        # Earliest first, then longest: overlapping matches collapse into the first one.
        spans.sort(key=lambda s: (s[0], -(s[1] - s[0])))
        out: list[str] = []
        pos = 0
        for start, end, placeholder in spans:
            if start < pos:
                continue
            out.append(text[pos:start])
            out.append(placeholder)
            pos = end
        out.append(text[pos:])
        return "".join(out)

    def learn(self, text: str) -> None:
        """Read ``text`` for names without redacting it, so a bare 'Smith' in an earlier
        field or row is caught once 'Mr John Smith' appears later in the document."""
        if text:
            self._spans(text)

    def redact_value(self, value: object) -> object:
        """Redact a string, or every string inside a list or dict; other values unchanged."""
        if isinstance(value, str):
            return self.redact(value)
        if isinstance(value, list):
            return [self.redact_value(v) for v in value]
        if isinstance(value, dict):
            return {k: self.redact_value(v) for k, v in value.items()}
        return value


def redact(text: str, *, extra_names: Iterable[str] = ()) -> str:
    """``text`` with CRNs, PNC numbers, dates of birth, postcodes and names replaced."""
    return Redactor(extra_names=extra_names).redact(text)
