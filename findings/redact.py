"""Redaction of personal data in free text: identifiers, contact details, addresses and names."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
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
_DIGIT = re.compile(r"[0-9]")
_ORDINAL_INWARD = re.compile(r"[0-9](?:st|nd|rd|th)$")
_MONTH = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|"
    r"Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)"
)
_ORDINAL_WORD = (
    r"(?:first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|eleventh|twelfth|"
    r"thirteenth|fourteenth|fifteenth|sixteenth|seventeenth|eighteenth|nineteenth|twentieth|"
    r"thirtieth|(?:twenty|thirty)[\s-](?:first|second|third|fourth|fifth|sixth|seventh|eighth|"
    r"ninth))"
)
_DAY = rf"(?:[0-9]{{1,2}}(?:st|nd|rd|th)?|{_ORDINAL_WORD})"
_ORDINALS = [
    "first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth",
    "eleventh", "twelfth", "thirteenth", "fourteenth", "fifteenth", "sixteenth", "seventeenth",
    "eighteenth", "nineteenth", "twentieth",
]  # fmt: skip
_ORDINAL_DAYS = {
    **{word: n for n, word in enumerate(_ORDINALS, start=1)},
    **{f"{tens}-{word}": base + n for tens, base in (("twenty", 20), ("thirty", 30))
       for n, word in enumerate(_ORDINALS[:9], start=1)},
    "thirtieth": 30,
}  # fmt: skip
_MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
_DATE_PART = re.compile(rf"[0-9]+|{_ORDINAL_WORD}|[a-z]+", re.IGNORECASE)
_DATE = (
    r"(?:[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}"
    r"|[0-9]{1,2}[/.-][0-9]{1,2}[/.-][0-9]{2,4}"
    rf"|(?:the\s+)?{_DAY}\s+(?:of\s+)?{_MONTH}\.?,?\s+[0-9]{{2,4}}"
    rf"|{_MONTH}\.?\s+(?:the\s+)?{_DAY},?\s+[0-9]{{4}}"
    rf"|(?<=in ){_MONTH}\.?,?\s+[0-9]{{4}}"
    r"|(?<=in )[0-9]{4})"
)
DOB_RE = re.compile(
    r"\b(?:d\.?\s?o\.?\s?b\b\.?|date\s+of\s+birth|born(?:\s+on|\s+in)?)"
    r"\s*(?:[:=(\-–]|is|was)?\s*"
    rf"(?P<date>{_DATE})",
    re.IGNORECASE,
)
EMAIL_RE = re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)*\.[A-Za-z]{2,}\b")
# UK numbers: +44 / 0044 / 0, then 9 or 10 digits in groups split by single spaces or hyphens,
# the area code optionally in brackets: 07700 900123, +44 (0)20 7946 0958, (01632) 960 001.
PHONE_RE = re.compile(
    r"(?<![\w+/.])(?:(?:\+|00)44[ -]?(?:\(0\)[ -]?)?\(?|\(?0)"
    r"[1-9][0-9]{1,4}\)?(?:[ -]?[0-9]){5,8}(?![0-9/])"
)
_PHONE_PREFIX = re.compile(r"^(?:\+|00)44|\(0\)|\D")
# National Insurance numbers: two letters, six digits (often in pairs), an optional suffix A-D.
# Any two capitals are taken (not only HMRC's prefixes), so the usual "QQ 12 34 56 C" goes too.
NI_RE = re.compile(r"\b[A-Z]{2} ?[0-9]{2} ?[0-9]{2} ?[0-9]{2}(?: ?[A-D])?\b")
# Prison numbers: a letter, four digits and two letters (A1234BC).
PRISON_NUMBER_RE = re.compile(r"\b[A-Z][0-9]{4}[A-Z]{2}\b", re.IGNORECASE)
_STREET_TYPE = (
    r"(?:Road|Rd|Street|St|Avenue|Ave|Close|Lane|Drive|Way|Court|Crescent|Place|Gardens|"
    r"Terrace|Grove|Square|Mews|Walk|Hill|Row|Parade|Rise|Vale|Green|Park|View|Boulevard|"
    r"Wharf|Yard|Approach|Hollow|Chase|Croft|Meadows?|Fields?)"
)
_STREET_WORD = r"(?:St\.?|[A-Z][a-z]+(?:['’][a-z]*)?(?:-[A-Z]?[a-z]+)*)"
# A house number and one to three capitalised words ending in a street type, optionally after
# a flat ("Flat 3, 14 Acacia Road"); the type may be lower case ("14 Acacia road").
ADDRESS_RE = re.compile(
    r"(?<![\w/.-])(?:(?i:Flat|Apartment|Apt|Unit|Room)\.?\s*[0-9]{1,4}[A-Za-z]?,?\s+)?"
    r"[0-9]{1,3}[A-Za-z]?(?:-[0-9]{1,3}[A-Za-z]?)?,?\s+"
    rf"(?P<street>{_STREET_WORD}(?:\s+{_STREET_WORD}){{0,2}})\s+"
    rf"(?P<type>(?i:{_STREET_TYPE}))\b"
)
TITLED_NAME_RE = re.compile(
    rf"\b(?P<title>{_TITLE})\.?\s+"
    rf"(?P<name>(?:[{_UPPER}]\.?\s+){{0,2}}{_NAME_WORD}(?:\s+{_NAME_WORD})?)",
)

_TITLES = {"mr", "mrs", "ms", "miss", "mx", "dr"}

_VOCABULARY = (
    # inspection and probation vocabulary
    "MAPPA ViSOR RoSH OASys SFO SPO PO PSO PQiP CRS RAR HMIP HMPPS NPS LEAP PDU CRN PNC DOB "
    "Probation Officer Officers Service Services Senior Practitioner Manager Police Court "
    "Prison Custody Community Building Choices Thinking Skills Programme Approved Premises "
    "Children Social Care Council Team Unit Region Regional Panel Inspectorate Inspection "
    "Review Audit Assessment Planning Reviewing Level Tier "
)
_NOT_NAMES = (
    _VOCABULARY
    # words that follow a title without being a name
    + "The A An And Or Of In On At To For With Who Which That This He She They His Her Their"
)
_COURTS = (
    "Crown Magistrates Magistrates' County Youth Family Coroner's Coroners Royal Appeal High "
    "Supreme District Sheriff"
)
_PLACES = (
    "Oxfordshire Buckinghamshire Milton Keynes West East North South Berkshire Hampshire "
    "Southampton Eastleigh New Forest Portsmouth Isle Wight Central England Wales"
)
NOT_NAMES: frozenset[str] = frozenset(w.lower() for w in _NOT_NAMES.split())
"""Capitalised words that end a titled name ("Dr The ..." is not a person)."""
PROTECTED_WORDS: frozenset[str] = NOT_NAMES | {w.lower() for w in _PLACES.split()}
"""Words never redacted on their own, even after they appeared in a name (Mr West)."""
NOT_STREETS: frozenset[str] = frozenset(w.lower() for w in _VOCABULARY.split())
"""Words that make "2 Probation Way" practice text rather than an address, when all are these."""
COURT_NAMES: frozenset[str] = frozenset(w.lower() for w in _COURTS.split())
"""Words that make "3 Crown Court" or "2 High Court hearings" a court rather than an address."""


PERSON = "Person"
"""The kind of a span that is a person (lettered, not numbered)."""
_Span = tuple[int, int, str, str]  # start, end, kind, and the person key or the matched value
_NUMBERED_KINDS = (
    ("PNC", PNC_RE),
    ("CRN", CRN_RE),
    ("NI number", NI_RE),
    ("prison number", PRISON_NUMBER_RE),
)


def _practice_words(street: list[str], street_type: str) -> bool:
    """Whether an address-shaped match is a court or practice vocabulary, not a street."""
    if street_type == "court" and street[-1] in COURT_NAMES:
        return True
    return all(w.strip(".") in NOT_STREETS for w in street)


def _date_key(written: str) -> str:
    """'1990-03-03' for '3rd March 1990', 'the third of March 1990', '03/03/1990' or
    'March 3, 1990', so one date of birth keeps one placeholder however it is written;
    anything else (a two-digit year, a year alone) is keyed as written."""
    day = month = year = 0
    numbers: list[int] = []
    for part in _DATE_PART.findall(written.lower()):
        if part.isdigit():
            numbers.append(int(part))
        elif part[:3] in _MONTHS:
            month = _MONTHS.index(part[:3]) + 1
        else:
            day = _ORDINAL_DAYS.get(re.sub(r"\s+", "-", part), day)
    if month:
        day = day or next((n for n in numbers if n <= 31), 0)
        year = next((n for n in numbers if n > 31), 0)
    elif len(numbers) == 3:
        year, month, day = numbers if numbers[0] > 31 else reversed(numbers)
    if year >= 1000 and 1 <= month <= 12 and 1 <= day <= 31:
        return f"{year:04d}-{month:02d}-{day:02d}"
    return written


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
    _known_pattern: re.Pattern[str] | None = field(default=None, init=False)

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
            if (
                len(word) >= 3
                and word.lower() not in PROTECTED_WORDS
                and word not in self._known_words
            ):
                self._known_words[word] = key
                self._known_pattern = None

    # -- finding spans --------------------------------------------------------------------------

    def _identifier_spans(self, text: str) -> Iterator[_Span]:
        """Numbers, codes, contact details, addresses and dates of birth in ``text``."""
        if "@" in text:
            for m in EMAIL_RE.finditer(text):
                yield m.start(), m.end(), "email", m[0]
        if not _DIGIT.search(text):
            return  # everything below has a digit in it; most findings have none
        for m in DOB_RE.finditer(text):
            yield m.start("date"), m.end("date"), "DOB", _date_key(m["date"])
        for kind, pattern in _NUMBERED_KINDS:
            for m in pattern.finditer(text):
                yield m.start(), m.end(), kind, m[0]
        for m in POSTCODE_RE.finditer(text):
            if _ORDINAL_INWARD.search(m[0]) or not _DIGIT.search(m[0], 0, 4):
                continue
            yield m.start(), m.end(), "postcode", m[0]
        for m in PHONE_RE.finditer(text):
            national = _PHONE_PREFIX.sub("", m[0]).removeprefix("0")
            if len(national) in (9, 10):
                yield m.start(), m.end(), "phone", national  # +44 7700... is 07700...
        for m in ADDRESS_RE.finditer(text):
            if not _practice_words(m["street"].lower().split(), m["type"].lower()):
                yield m.start(), m.end(), "address", m[0]

    def _name_spans(self, text: str) -> Iterator[_Span]:
        """Listed names, titled names, and bare words of names seen so far in ``text``."""
        if self._listed is not None:
            for m in self._listed.finditer(text):
                yield m.start(), m.end(), PERSON, _person_key(m[0])
        yield from self._titled_name_spans(text)
        known = self._known_words_pattern()
        if known is not None:
            for m in known.finditer(text):
                yield m.start(), m.end(), PERSON, self._known_words[m[0]]

    def _titled_name_spans(self, text: str) -> Iterator[_Span]:
        """Names after a title ("Mr John Smith"), learning their words as they are found."""
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
            yield m.start(), end, PERSON, key

    def _known_words_pattern(self) -> re.Pattern[str] | None:
        """One pattern for every name word learnt so far, rebuilt only when a word is added."""
        if self._known_pattern is None and self._known_words:
            words = "|".join(re.escape(w) for w in sorted(self._known_words, key=len, reverse=True))
            self._known_pattern = re.compile(rf"(?<![\w'’-])(?:{words})(?![\w-])")
        return self._known_pattern

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

    def matches(self, text: str) -> list[tuple[str, str]]:
        """(original, placeholder) for each piece of personal data ``redact`` would replace."""
        return [(text[start:end], placeholder) for start, end, placeholder in self._resolved(text)]

    def redact(self, text: str) -> str:
        """``text`` with personal data replaced by this redactor's placeholders."""
        if not text:
            return text
        out: list[str] = []
        pos = 0
        for start, end, placeholder in self._resolved(text):
            out.append(text[pos:start])
            out.append(placeholder)
            pos = end
        out.append(text[pos:])
        return "".join(out)

    def _resolved(self, text: str) -> list[tuple[int, int, str]]:
        """Non-overlapping (start, end, placeholder) in order: of overlapping matches the one
        starting first wins, and of those starting together the longest. Placeholders are
        numbered only for what is kept, in the order it appears."""
        if not text:
            return []
        spans = [*self._identifier_spans(text), *self._name_spans(text)]
        spans.sort(key=lambda s: (s[0], -(s[1] - s[0])))
        kept: list[tuple[int, int, str]] = []
        pos = 0
        for start, end, kind, key in spans:
            if start >= pos:
                placeholder = (
                    self._person(key) if kind == PERSON else self._numbered_placeholder(kind, key)
                )
                kept.append((start, end, placeholder))
                pos = end
        return kept

    def learn(self, text: str) -> None:
        """Read ``text`` for names without redacting it, so a bare 'Smith' in an earlier
        field or row is caught once 'Mr John Smith' appears later in the document."""
        if text:
            for _ in self._titled_name_spans(text):
                pass  # finding a titled name is what learns it

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
