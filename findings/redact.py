"""Redaction of personal data in free text: identifiers, contact details, addresses and names."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache

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

# SFO review references: "SFO-2026-005", "SFO/2026/017", "SFO 2026-05", "SFO review 26/017".
SFO_REF_RE = re.compile(
    r"\bSFO(?:[ _/-]?(?:review|ref(?:erence)?)\.?)?[ _/-]*(?:no\.?\s*)?"
    r"[0-9]{2,4}(?:[_/-][0-9]{1,4})+[A-Za-z]?\b",
    re.IGNORECASE,
)
SFO_REF = "SFO review ref"
"""The kind of a span that is an SFO review reference (one placeholder for them all)."""
# Roles written before a name in case notes ("PO Whitfield"): probation, police and court.
_ROLES = (
    "PO SPO PSO PQiP PP PoP POP OM COM POM HOM ACO DI DS DC DCI PC Sgt Insp Judge HHJ Cllr Prof"
)
ROLES: frozenset[str] = frozenset(_ROLES.split())
_CAPITALISED = rf"{_NAME_WORD}(?![\w])"  # a capitalised word, not before a digit ("Q1")
# Capitalised words one after another: a space or two between, or an initial's full stop.
_CAPITALISED_RUN_RE = re.compile(
    rf"(?=[{_UPPER}])(?<![\w'’-]){_CAPITALISED}"
    rf"(?:(?:(?<=\b[{_UPPER}])\.)?[ \t]{{1,2}}{_CAPITALISED})*"
)
_CAPITALISED_RE = re.compile(_CAPITALISED)
_PART_SPLIT = re.compile(r"['’-]")
_PLAIN_PART = re.compile(r"[^\W\d_][^\W\d_A-ZÀ-ÖØ-Þ]*|[^\W\d_A-ZÀ-ÖØ-Þ]+")
_SURNAME_PREFIX = re.compile(r"(?:Mc|Mac|Fitz)(?=[A-Z])")
_SENTENCE_END = ".!?:;\n•*–—-"
_BEFORE_WORD = " \t\"'‘“(["

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
# Towns of the region (not people, even though some are also surnames).
_PLACES += (
    " Thames Valley Oxford Banbury Bicester Abingdon Witney Didcot Aylesbury Wycombe Slough "
    "Reading Bracknell Newbury Windsor Maidenhead Wokingham Winchester Basingstoke Andover "
    "Aldershot Fareham Gosport Havant Newport Ryde Solent London Britain Scotland Ireland UK"
)
# What probation text capitalises that is not a person: months, weekdays, agencies, services,
# programmes and roles (acronyms need no listing: a word in capitals is never a name).
_CAPITALISED_NOT_NAMES = (
    "January February March April May June July August September October November December "
    "Jan Feb Mar Apr Jun Jul Aug Sep Sept Oct Nov Dec Mon Tue Tues Wed Thu Thur Thurs Fri Sat Sun "
    "Monday Tuesday Wednesday Thursday Friday Saturday Sunday "
    "Police Constabulary Probation Service Services Children's Social Care Crown Magistrates "
    "Court Approved Premises Youth Offending Team Justice Ministry Home Office Delius Jobcentre "
    "Plus Citizens Advice Samaritans Nacro Barnardo's Seetec Sodexo Interserve Humankind Shelter "
    "Refuge Aid Mind Rethink NHS Trust Foundation Borough Hospital Liaison Diversion "
    "Safeguarding Hub Multi-Agency Integrated Offender Management Commissioned Rehabilitative "
    "Interventions Alliance Kaizen Horizon Giles Parole Board Tribunal Coroner Inquest "
    "Officer Manager Practitioner Head Director Inspector Chief Sergeant Constable Detective "
    "Councillor Professor Sgt Insp Cllr Prof Recorder Judge Governor Chair Deputy Assistant "
    "Mr Mrs Ms Miss Mx Dr Sir Dame Lord Lady Rev Revd "
    "Furthermore Moreover However Similarly Additionally Consequently Nevertheless Nonetheless "
    "Subsequently Accordingly Meanwhile Therefore Thus Hence Notably Overall Firstly Secondly "
    "Thirdly Lastly Finally Conversely Alternatively Likewise Instead Otherwise Indeed Whilst "
    "English Welsh Scottish Irish British European Polish Romanian Albanian Lithuanian Urdu "
    "Punjabi Arabic Muslim Christian Jewish Sikh Hindu Asian Black Quick "
    "Covid Midlands Yorkshire Humber Greater Manchester Kent Surrey Sussex Ingeus "
    "Tel Mob Mobile Email Fax Ref No Nos Re Fwd Cc Attn Note Notes Section Part Appendix Annex "
    "Table Figure Page Para Item Tier Level Category Person Name I I'm I've I'd I'll"
)
NOT_NAMES: frozenset[str] = frozenset(w.lower() for w in _NOT_NAMES.split())
"""Capitalised words that end a titled name ("Dr The ..." is not a person)."""
PROTECTED_WORDS: frozenset[str] = NOT_NAMES | {w.lower() for w in _PLACES.split()}
"""Words never redacted on their own, even after they appeared in a name (Mr West)."""
NOT_STREETS: frozenset[str] = frozenset(w.lower() for w in _VOCABULARY.split())
"""Words that make "2 Probation Way" practice text rather than an address, when all are these."""
COURT_NAMES: frozenset[str] = frozenset(w.lower() for w in _COURTS.split())
"""Words that make "3 Crown Court" or "2 High Court hearings" a court rather than an address."""
KEPT_WORDS: frozenset[str] = (
    PROTECTED_WORDS | COURT_NAMES | {w.lower() for w in _CAPITALISED_NOT_NAMES.split()}
)
"""Capitalised words that are never part of a name found without a title: months, weekdays,
agencies, services, roles, places and inspection vocabulary."""

_NAME, _ORDINARY, _KEPT, _INITIAL, _ACRONYM = range(5)
"""What a capitalised word is: a name (not an ordinary word), an ordinary word (may be part of
a name beside one: "Karen Young"), a word never part of a name, an initial, an acronym."""


@lru_cache(maxsize=65_536)
def _capitalised_kind(word: str) -> int:
    """Which of _NAME, _ORDINARY, _KEPT, _INITIAL or _ACRONYM a capitalised word is."""
    from findings.common_words import common_words, word_key

    key = word_key(word)
    if len(key) == 1:
        return _INITIAL if key != "i" else _KEPT
    parts = [p for p in _PART_SPLIT.split(key if word.islower() else word) if p]
    shapes = [_SURNAME_PREFIX.sub("", p, count=1) for p in parts]
    if not all(_PLAIN_PART.fullmatch(p) for p in shapes):
        return _ACRONYM  # SPO, RoSH, OASys: capitals inside a word
    if key in KEPT_WORDS:
        return _KEPT
    common = common_words()
    if all(_ordinary(p, common) for p in _PART_SPLIT.split(key) if p):
        return _ORDINARY
    return _NAME


_INFLECTIONS: tuple[tuple[str, str], ...] = (
    *(("s", ""), ("es", ""), ("ed", ""), ("ed", "e"), ("ing", ""), ("ing", "e")),
    *(("ly", ""), ("ily", "y"), ("ly", "le")),
)
"""Endings (and what the stem ends in without them) of plain inflections of a common word."""


def _ordinary(key: str, common: frozenset[str]) -> bool:
    """Whether a lower-case word is a common word or a plain inflection of one ("reviews",
    "reviewed", "similarly", "happily", "disappointingly")."""
    if key in common:
        return True
    return any(
        key.endswith(suffix)
        and len(key) - len(suffix) >= 3
        and key[: len(key) - len(suffix)] + stem_end in common
        for suffix, stem_end in _INFLECTIONS
    )


PERSON = "Person"
"""The kind of a span that is a titled or listed person (lettered, not numbered)."""
NAME = "Name"
"""The kind of a span that is a name found by its shape alone, which may be a place as well as
a person ("[Name C]"); lettered in the same series as persons."""
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


def _without_possessive(name: str) -> str:
    """'Smith' for "Smith's" (the placeholder keeps the "'s")."""
    return re.sub(r"['’]s?$", "", name)


def _starts_sentence(text: str, start: int) -> bool:
    """Whether the word at ``start`` begins a sentence, a line or a list item."""
    before = text[max(0, start - 40) : start].rstrip(_BEFORE_WORD)
    return (not before and start <= 40) or (bool(before) and before[-1] in _SENTENCE_END)


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
    _pattern_words: set[str] = field(default_factory=set, init=False)  # learnt ordinary words
    _titled_keys: set[str] = field(default_factory=set, init=False)  # listed or titled people

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
                self._titled_keys.add(_person_key(name))

    # -- placeholders ---------------------------------------------------------------------------

    def _person(self, key: str, kind: str = PERSON) -> str:
        """The placeholder of a person, lettered: "[Person A]" for one listed or seen with a
        title, "[Name A]" for a name found by its shape alone (it may be a place)."""
        if key in self._titled_keys:
            kind = PERSON
        if key not in self._people:
            self._people[key] = f"[{kind} {_letters(len(self._people))}]"
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
                if _capitalised_kind(word) != _NAME:
                    # Only an ordinary word needs the pattern ("Mr Will Green": "Will"); a
                    # name-shaped one is found anyway and takes its key from _known_words.
                    self._pattern_words.add(word)
                    self._known_pattern = None

    # -- finding spans --------------------------------------------------------------------------

    def _identifier_spans(self, text: str) -> Iterator[_Span]:
        """Numbers, codes, contact details, addresses and dates of birth in ``text``."""
        if "@" in text:
            for m in EMAIL_RE.finditer(text):
                yield m.start(), m.end(), "email", m[0]
        if not _DIGIT.search(text):
            return  # everything below has a digit in it; most findings have none
        for m in SFO_REF_RE.finditer(text):
            yield m.start(), m.end(), SFO_REF, SFO_REF
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
        """Listed names, titled names, names after a role, names found by their shape, and
        bare words of names seen so far in ``text``."""
        if self._listed is not None:
            for m in self._listed.finditer(text):
                yield m.start(), m.end(), PERSON, _person_key(m[0])
        yield from self._titled_name_spans(text)
        yield from self._untitled_name_spans(text)
        known = self._known_words_pattern()
        if known is not None:
            for m in known.finditer(text):
                yield m.start(), m.end(), PERSON, self._known_words[m[0]]

    def _name_key(self, name: str) -> str:
        """The key of a name found without a title: that of a person already seen with the
        same last word ("PO Whitfield" after "Karen Whitfield"), else its own; learnt."""
        words = re.findall(_NAME_WORD, name)
        key = self._known_words.get(words[-1]) if words else None
        key = key or _person_key(name)
        self._learn_words(name, key)
        return key

    def _untitled_name_spans(self, text: str) -> Iterator[_Span]:
        """Names found by their shape: runs of capitalised words at least one of which is no
        ordinary word ("John Smith", "Liam", "Smith's"), with an initial or one ordinary word
        either side ("Karen Young"), except a sentence's first ("Although Smith..."); and the
        name after a role, even an ordinary word ("PO Will"; the role stays)."""
        for run in _CAPITALISED_RUN_RE.finditer(text):
            if " " not in run[0] and "\t" not in run[0]:
                # One word (most runs): a name or nothing.
                if _capitalised_kind(run[0]) == _NAME:
                    name = _without_possessive(run[0])
                    yield run.start(), run.start() + len(name), NAME, self._name_key(name)
                continue
            words = [(run.start() + m.start(), m[0]) for m in _CAPITALISED_RE.finditer(run[0])]
            yield from self._names_in_run(text, words)

    def _names_in_run(self, text: str, run: list[tuple[int, str]]) -> Iterator[_Span]:
        """The name spans of adjacent capitalised words, each given with where it starts."""
        kinds = [_capitalised_kind(word) for _, word in run]
        for index, (_, word) in enumerate(run[:-1]):
            if word in ROLES:  # up to two words after it, not "PO Box" or "SPO Team"
                for after in range(index + 1, min(index + 3, len(run))):
                    if kinds[after] in (_KEPT, _ACRONYM) or run[after][1] == "Box":
                        break
                    kinds[after] = _NAME
        if _NAME not in kinds:
            return
        if kinds[0] == _ORDINARY and _starts_sentence(text, run[0][0]):
            kinds[0] = _KEPT
        index = 0
        while index < len(run):
            if kinds[index] != _NAME:
                index += 1
                continue
            first = last = index
            while last + 1 < len(run) and kinds[last + 1] in (_NAME, _INITIAL):
                last += 1
            while first > 0 and kinds[first - 1] == _INITIAL:
                first -= 1
            if first > 0 and kinds[first - 1] == _ORDINARY:
                first -= 1
            if last + 1 < len(run) and kinds[last + 1] == _ORDINARY:
                last += 1
            start, end = run[first][0], run[last][0] + len(run[last][1])
            name = _without_possessive(text[start:end])
            yield start, start + len(name), NAME, self._name_key(name)
            index = last + 1

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
            self._titled_keys.add(key)
            yield m.start(), end, PERSON, key

    def _known_words_pattern(self) -> re.Pattern[str] | None:
        """One pattern for every name word learnt so far, rebuilt only when a word is added."""
        if self._known_pattern is None and self._pattern_words:
            words = "|".join(
                re.escape(w) for w in sorted(self._pattern_words, key=len, reverse=True)
            )
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
                if kind in (PERSON, NAME):
                    placeholder = self._person(key, kind)
                elif kind == SFO_REF:
                    placeholder = f"[{SFO_REF}]"
                else:
                    placeholder = self._numbered_placeholder(kind, key)
                kept.append((start, end, placeholder))
                pos = end
        return kept

    def learn(self, text: str) -> None:
        """Read ``text`` for names without redacting it, so a bare 'Smith' in an earlier
        field or row is caught once 'Mr John Smith' appears later in the document."""
        if text:
            for _ in self._titled_name_spans(text):
                pass  # finding a name is what learns it
            for _ in self._untitled_name_spans(text):
                pass

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
