"""Reading findings from spreadsheet rows: header matching, dates, labels and import keys (pure)."""

from __future__ import annotations

import functools
import hashlib
import re
import uuid
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from findings.levels import parse_level_tags
from findings.models import (
    LevelTag,
    Polarity,
    Rosh,
    SourceType,
    Stage,
    TagOrigin,
    ThemeTag,
    clean_text,
)

IMPORT_NAMESPACE = uuid.UUID("6f1c2a8e-3c1d-5b8e-9a55-1ea9000c0de7")
"""Namespace of the import keys of rows without an id (uuid5, so a re-import finds them)."""

IMPORT_FIELDS: tuple[str, ...] = (
    "id",
    "source_type",
    "source_ref",
    "pdu",
    "event_date",
    "recorded_date",
    "stage",
    "polarity",
    "summary",
    "narrative",
    "rosh",
    "crn",
    "themes",
    "recorded_by",
    "details",
    "levels",
    "rejected_themes",
)
"""The columns leap reads and writes, in the order of its template and exports."""

REQUIRED_FIELDS = ("source_type", "source_ref", "pdu", "event_date", "stage", "summary")

FIELD_LABELS: dict[str, str] = {
    "id": "ID",
    "source_type": "Source",
    "source_ref": "Source reference",
    "pdu": "PDU",
    "event_date": "Event date",
    "recorded_date": "Recorded date",
    "stage": "Stage",
    "polarity": "Polarity",
    "summary": "Summary",
    "narrative": "Narrative",
    "rosh": "RoSH",
    "crn": "CRN",
    "themes": "Themes",
    "recorded_by": "Recorded by",
    "details": "Details",
    "levels": "Levels",
    "rejected_themes": "Rejected themes",
}

_SYNONYMS: dict[str, str] = {
    "id": "id|finding id|uuid|import key|leap id",
    "source_type": "source type|source|type|type of source|source of learning|learning source",
    "source_ref": "source ref|source reference|reference|ref|review ref|review reference|report",
    "pdu": "pdu|probation delivery unit|delivery unit|pdu code|pdu name|area",
    "event_date": "event date|date|date of event|review date|incident date|offence date",
    "recorded_date": "recorded date|date recorded|recorded|recorded on|date added|date logged",
    "stage": "stage|practice stage|inspection stage",
    "polarity": "polarity|weakness or strength|strength or weakness|finding type|kind",
    "summary": "summary|finding|title|headline|learning point|key finding",
    "narrative": "narrative|description|notes|text|full text|finding detail|finding narrative",
    "rosh": "rosh|rosh level|risk of serious harm|risk level|risk",
    "crn": "crn|case reference number|case reference|case ref",
    "themes": "themes|theme|theme s|tags|weaknesses|theme slugs",
    "recorded_by": "recorded by|author|entered by|qa lead|reviewer",
    "details": "details|details json|extra",
    "levels": "levels|level|contributory levels|contributory level|system level|levels of failure",
    "rejected_themes": "rejected themes|rejected theme|themes rejected",
}
"""Header names (and common synonyms) of each field, '|'-separated."""

IGNORED_HEADERS = frozenset({"leap problems", "leap source row"})
"""Columns leap adds to a rejects file; ignored when it is imported again."""

_SOURCE_WORDS: dict[str, SourceType] = {
    "sfo": SourceType.SFO_REVIEW,
    "sfo review": SourceType.SFO_REVIEW,
    "serious further offence": SourceType.SFO_REVIEW,
    "serious further offence review": SourceType.SFO_REVIEW,
    "hmip": SourceType.INSPECTION,
    "inspectorate": SourceType.INSPECTION,
    "dus": SourceType.DEATH_UNDER_SUPERVISION,
    "death": SourceType.DEATH_UNDER_SUPERVISION,
    "death in custody": SourceType.DEATH_UNDER_SUPERVISION,
    "assessment": SourceType.CASE_ASSESSMENT,
    "case audit": SourceType.AUDIT,
    "quality audit": SourceType.AUDIT,
}
_STAGE_WORDS: dict[str, Stage] = {
    "implementation": Stage.IMPLEMENTATION_DELIVERY,
    "delivery": Stage.IMPLEMENTATION_DELIVERY,
    "implementation delivery": Stage.IMPLEMENTATION_DELIVERY,
    "implementation and delivery": Stage.IMPLEMENTATION_DELIVERY,
    "review": Stage.REVIEWING,
    "organizational": Stage.ORGANISATIONAL,
    "organisation": Stage.ORGANISATIONAL,
}
_POLARITY_WORDS: dict[str, Polarity] = {
    "good practice": Polarity.STRENGTH,
    "strength": Polarity.STRENGTH,
    "positive": Polarity.STRENGTH,
    "area for improvement": Polarity.WEAKNESS,
    "improvement": Polarity.WEAKNESS,
    "weakness": Polarity.WEAKNESS,
    "concern": Polarity.WEAKNESS,
    "negative": Polarity.WEAKNESS,
}
_ROSH_WORDS: dict[str, Rosh] = {"vh": Rosh.VERY_HIGH, "": Rosh.UNKNOWN, "not known": Rosh.UNKNOWN}


def words(text: str) -> str:
    """Lower-case words separated by single spaces: '  Theme(s) ' -> 'theme s'."""
    text = text.replace("&", " and ").lower()
    return " ".join(re.findall(r"[a-z0-9]+", text))


def _token_key(text: str) -> tuple[str, ...]:
    # Order and plurals ignored: "Dates (event)" names the same field as "Event date".
    return tuple(
        sorted(w[:-1] if len(w) > 3 and w.endswith("s") else w for w in words(text).split())
    )


_HEADER_INDEX: dict[tuple[str, ...], str] = {
    _token_key(synonym): name
    for name, synonyms in _SYNONYMS.items()
    for synonym in synonyms.split("|")
}
for _name in IMPORT_FIELDS:
    _HEADER_INDEX.setdefault(_token_key(_name.replace("_", " ")), _name)
    _HEADER_INDEX.setdefault(_token_key(FIELD_LABELS[_name]), _name)


def field_for_header(header: str) -> str | None:
    """The finding field a column header names, or None (case, spaces and order ignored)."""
    return _HEADER_INDEX.get(_token_key(header))


@dataclass
class ColumnMapping:
    """Which column feeds which field; unmatched named columns are kept as details."""

    headers: list[str]
    fields: dict[int, str] = field(default_factory=dict)
    """Column index -> finding field."""
    details: dict[int, str] = field(default_factory=dict)
    """Column index -> details key, for named columns that match no field."""

    ignored: set[int] = field(default_factory=set)
    """Column indexes the user chose to leave out."""

    def column_of(self, field_name: str) -> str:
        """The header of the column feeding a field ('' if none)."""
        for index, name in self.fields.items():
            if name == field_name:
                return self.headers[index] or f"column {index + 1}"
        return ""

    def missing_required(self) -> list[str]:
        """Required fields no column feeds."""
        mapped = set(self.fields.values())
        return [f for f in REQUIRED_FIELDS if f not in mapped]

    def target_of(self, index: int) -> str:
        """What column ``index`` feeds: a field name, DETAIL or IGNORE."""
        if index in self.fields:
            return self.fields[index]
        return DETAIL if index in self.details else IGNORE

    def use(self, index: int, target: str) -> ColumnMapping:
        """A copy with column ``index`` feeding ``target``: a field, DETAIL or IGNORE."""
        fields = {i: f for i, f in self.fields.items() if i != index and f != target}
        ignored = self.ignored - {index}
        if target in IMPORT_FIELDS:
            fields[index] = target
        elif target == IGNORE:
            ignored.add(index)
        details = {
            i: h or f"column {i + 1}"
            for i, h in enumerate(self.headers)
            if i not in fields
            and i not in ignored
            and words(h) not in IGNORED_HEADERS
            and (h or i == index or i in self.details)
        }
        return ColumnMapping(list(self.headers), fields, details, ignored)


DETAIL = "detail"
"""Mapping target: keep the column in the finding's details under its header."""
IGNORE = "ignore"
"""Mapping target: leave the column out."""


def mapping_target(name: str) -> str:
    """The mapping target a user names: a field by its template label ('Source', 'Event
    date') or its internal name ('source_type'), or 'detail' or 'ignore' (case ignored).

    Raises ValueError naming the name and the valid choices.
    """
    key = words(name)
    for target in (*IMPORT_FIELDS, DETAIL, IGNORE):
        if key in (words(target), words(FIELD_LABELS.get(target, target))):
            return target
    choices = ", ".join(FIELD_LABELS[f] for f in IMPORT_FIELDS)
    raise ValueError(
        f"'{clean_text(name, multiline=False)[:60]}' is not a field: use one of {choices}, "
        f"{DETAIL} or {IGNORE}"
    )


def match_columns(headers: Sequence[str]) -> ColumnMapping:
    """Match headers to fields by name; the first column wins when two name the same field."""
    fields: dict[int, str] = {}
    details: dict[int, str] = {}
    taken: set[str] = set()
    for index, header in enumerate(headers):
        if not header or words(header) in IGNORED_HEADERS:
            continue
        name = field_for_header(header)
        if name and name not in taken:
            fields[index] = name
            taken.add(name)
        else:
            details[index] = header
    return ColumnMapping(headers=list(headers), fields=fields, details=details)


def cell_text(value: Any) -> str:
    """A cell as text: None is '', whole floats lose their '.0', dates become ISO."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time() else value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return str(value).strip()


def find_header_row(rows: Sequence[Sequence[Any]]) -> tuple[int, list[str]]:
    """The index of the header among the first rows, and its headers.

    Picks the row naming the most fields. A title row merged above it, or a group header
    ("Dates" over "Event" and "Recorded"), is combined with it when that names more fields.
    """
    best_index, best_headers, best_score = 0, [], -1
    for index, row in enumerate(rows):
        headers = [cell_text(v) for v in row]
        candidates = [headers]
        if index > 0:
            above = _forward_filled([cell_text(v) for v in rows[index - 1]])
            combined = [
                f"{a} {h}".strip() if h and field_for_header(h) is None else h
                for a, h in zip(above + [""] * len(headers), headers, strict=False)
            ]
            candidates.append(combined)
        for candidate in candidates:
            score = len({field_for_header(h) for h in candidate if h} - {None})
            if score > best_score:
                best_index, best_headers, best_score = index, candidate, score
    return best_index, best_headers


def _forward_filled(cells: list[str]) -> list[str]:
    """Merged cells read as a value then blanks: spread the value over the blanks."""
    out, last = [], ""
    for cell in cells:
        last = cell or last
        out.append(last)
    return out


_FULL_MONTHS = [date(2000, m, 1).strftime("%B").lower() for m in range(1, 13)]
_MONTHS = {name[:3]: i for i, name in enumerate(_FULL_MONTHS, start=1)}
_NUMERIC_DATE = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{2}|\d{4})(?:[ t].*)?$")
_ISO_DATE = re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[ t].*)?$")
_DAY_MONTH_YEAR = re.compile(r"^(\d{1,2})(?:st|nd|rd|th)?(?:\s+of)?\s+([a-z]+)\.?,?\s+(\d{4})$")
_MONTH_DAY_YEAR = re.compile(r"^([a-z]+)\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})$")
_EXCEL_EPOCH = date(1899, 12, 30)
DATE_HINT = "use 2026-03-01, 01/03/2026 or 1 March 2026"


def parse_date(value: Any) -> date | None:
    """A date from a cell: a date, an Excel serial number, or UK/ISO text; None if blank.

    Raises ValueError, in plain words, for anything else. Numeric text is read day first
    (01/03/2026 is 1 March), as in England and Wales.
    """
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        return _from_excel_serial(float(value))
    return _parse_date_text(str(value).strip().lower(), str(value))


@functools.lru_cache(maxsize=4096)
def _parse_date_text(text: str, value: str) -> date | None:
    # Cached: a sheet repeats the same few hundred dates thousands of times.
    if not text:
        return None
    try:
        if len(text) == 10 and text[4] == "-":
            return date.fromisoformat(text)
        if m := _ISO_DATE.match(text):
            return date(int(m[1]), int(m[2]), int(m[3]))
        if m := _NUMERIC_DATE.match(text):
            year = int(m[3])
            year += 2000 if year < 100 else 0
            return date(year, int(m[2]), int(m[1]))
        if m := _DAY_MONTH_YEAR.match(text):
            return date(int(m[3]), _month(m[2]), int(m[1]))
        if m := _MONTH_DAY_YEAR.match(text):
            return date(int(m[3]), _month(m[1]), int(m[2]))
        if re.fullmatch(r"\d{5}(\.\d+)?", text):
            return _from_excel_serial(float(text))
    except ValueError:
        pass
    raise ValueError(
        f"'{clean_text(str(value), multiline=False)[:40]}' is not a date ({DATE_HINT})"
    )


def _month(name: str) -> int:
    """1-12 from a month's name or its abbreviation (sept included)."""
    number = _MONTHS.get(name[:3])
    full = _FULL_MONTHS[number - 1] if number else ""
    if number is None or not (full.startswith(name) or name == "sept"):
        raise ValueError(name)
    return number


def _from_excel_serial(number: float) -> date:
    if not 1 <= number < 2_958_466:  # Excel's own range: 1900-01-01 to 9999-12-31
        raise ValueError(f"{number:g} is not a date ({DATE_HINT})")
    return _EXCEL_EPOCH + timedelta(days=int(number))


def _lookup(text: str, enum: type[Any], extra: Mapping[str, Any], kind: str, hint: str) -> Any:
    key = words(text)
    if key in extra:
        return extra[key]
    for member in enum:
        if key in (words(member.value), words(getattr(member, "label", member.value))):
            return member
    raise ValueError(f"unknown {kind} '{clean_text(text, multiline=False)[:60]}' ({hint})")


@functools.lru_cache(maxsize=1024)
def parse_source(text: str) -> SourceType:
    """A source type from its code, label or a common name (SFO, HMIP...)."""
    return _lookup(
        text,
        SourceType,
        _SOURCE_WORDS,
        "source",
        "use SFO review, audit, inspection, complaint, death under supervision or case assessment",
    )


@functools.lru_cache(maxsize=1024)
def parse_stage(text: str) -> Stage:
    """A practice stage from its code or label."""
    return _lookup(
        text,
        Stage,
        _STAGE_WORDS,
        "stage",
        "use assessment, planning, implementation and delivery, reviewing or organisational",
    )


@functools.lru_cache(maxsize=1024)
def parse_polarity(text: str) -> Polarity:
    """Weakness or strength, also from 'good practice' / 'area for improvement'."""
    return _lookup(text, Polarity, _POLARITY_WORDS, "polarity", "use weakness or strength")


@functools.lru_cache(maxsize=1024)
def parse_rosh(text: str) -> Rosh:
    """A RoSH level; blank is unknown."""
    return _lookup(text, Rosh, _ROSH_WORDS, "RoSH level", "use low, medium, high or very high")


_ORIGINS = frozenset(o.value for o in TagOrigin)


@dataclass(frozen=True)
class Lookups:
    """What the database knows, for turning names into codes."""

    pdus: Mapping[str, str]
    """PDU code -> name."""
    themes: Mapping[str, str]
    """Theme slug -> name (active themes)."""
    _pdu_cache: dict[str, str] = field(default_factory=dict, compare=False, repr=False)
    _theme_cache: dict[str, list[ThemeTag] | ValueError] = field(
        default_factory=dict, compare=False, repr=False
    )
    _caches: dict[str, dict[str, Any]] = field(default_factory=dict, compare=False, repr=False)

    def pdu_code(self, text: str) -> str:
        """The code of a PDU given by code or name (case and punctuation ignored).

        An unknown PDU is returned as typed, so validation names it in its message.
        """
        code = self._pdu_cache.get(text)
        if code is None:
            index = self._index("pdu", self.pdus)
            code = self._pdu_cache[text] = index.get(words(text), clean_text(text, multiline=False))
        return code

    def _cache(self, name: str) -> dict[str, Any]:
        return self._caches.setdefault(name, {})

    def _index(self, name: str, names: Mapping[str, str]) -> dict[str, str]:
        """Words of each code and name -> code, built once."""
        index = self._cache("index:" + name)
        if not index:
            for code, label in names.items():
                index[words(code)] = code
                index[words(label)] = code
        return index

    def theme_tags(self, text: str) -> list[ThemeTag]:
        """Theme tags from 'slug; Name, slug:origin' text; raises ValueError naming unknowns.

        Each distinct text is read and its tags validated once; the same ThemeTag objects are
        then given to every row with that text (a finding's validation keeps them as they are,
        which saves building two or three small models per row of a large import).
        """
        found = self._theme_cache.get(text)
        if found is None:
            try:
                found = self._theme_cache[text] = self._theme_tags(text)
            except ValueError as exc:
                found = self._theme_cache[text] = exc
        if isinstance(found, ValueError):
            raise ValueError(str(found))
        return found

    def level_tags(self, text: str) -> list[LevelTag]:
        """Level tags from 'practice; supervision:suggested' text, read once per distinct text;
        raises ValueError naming an unknown level."""
        cache = self._cache("level_tags")
        found = cache.get(text)
        if found is None:
            try:
                found = cache[text] = parse_level_tags(text)
            except ValueError as exc:
                found = cache[text] = exc
        if isinstance(found, ValueError):
            raise ValueError(str(found))
        return list(found)

    def _theme_tags(self, text: str) -> list[ThemeTag]:
        index = self._index("themes", self.themes)
        tags: list[dict[str, str]] = []
        unknown: list[str] = []
        seen: set[str] = set()
        parts: list[str] = []
        for chunk in re.split(r"[;|\n]", text):
            # Theme names may hold commas ("Enforcement, breach or recall ..."): whole first.
            head, _, tail = chunk.rpartition(":")
            name_only = head if head and tail.strip().lower() in _ORIGINS else chunk
            if words(name_only) in index:
                parts.append(chunk)
            else:
                parts.extend(re.split(r"[,/]", chunk))
        for part in parts:
            part = part.strip()
            if not part:
                continue
            origin = TagOrigin.MANUAL.value
            name, _, maybe_origin = part.rpartition(":")
            if name and maybe_origin.strip().lower() in _ORIGINS:
                part, origin = name.strip(), maybe_origin.strip().lower()
            found = index.get(words(part))
            if found is None:
                unknown.append(clean_text(part, multiline=False)[:60])
            elif found not in seen:
                seen.add(found)
                tags.append({"slug": found, "origin": origin})
        if unknown:
            raise ValueError(
                "unknown theme"
                + ("s " if len(unknown) > 1 else " ")
                + ", ".join(f"'{u}'" for u in unknown)
            )
        return [ThemeTag.model_validate(tag) for tag in tags]


def import_key(source_ref: str, event_date: date | None, summary: str, narrative: str) -> str:
    """The stable id (a UUID5, as text) of a row imported without one.

    The same row always gets the same id; case and runs of white space are ignored, so
    re-saving the sheet does not change it.
    """
    text = "\x1f".join(
        (
            _squeezed(source_ref.lower()),
            _iso_date(event_date) if event_date else "",
            _squeezed(summary),
            _squeezed(narrative),
        )
    )
    # uuid.uuid5 by hand: building a UUID object per row costs more than the hash itself.
    hasher = _NAMESPACE_SHA1.copy()
    hasher.update(text.encode())
    h = hasher.hexdigest()
    # Version 5 in the 13th hex digit, the RFC 4122 variant (8, 9, a or b) in the 17th.
    return f"{h[:8]}-{h[8:12]}-5{h[13:16]}-{_VARIANT_DIGIT[h[16]]}{h[17:20]}-{h[20:32]}"


_NAMESPACE_SHA1 = hashlib.sha1(IMPORT_NAMESPACE.bytes)
_VARIANT_DIGIT = {f"{n:x}": f"{(n & 0x3) | 0x8:x}" for n in range(16)}


def _squeezed(text: str) -> str:
    """Text with runs of white space as single spaces and none at either end."""
    # Every white space character but the plain space is unprintable, so printable text
    # without double or outer spaces is already squeezed (most cells): skip the split.
    if text.isprintable() and "  " not in text and text[:1] != " " and text[-1:] != " ":
        return text
    return " ".join(text.split())


@functools.lru_cache(maxsize=4096)
def _iso_date(day: date) -> str:
    return day.isoformat()


def id_from_cell(text: str) -> uuid.UUID:
    """The id of a row that has one: a UUID as is, any other reference hashed to a UUID."""
    try:
        return uuid.UUID(text)
    except ValueError:
        return uuid.uuid5(IMPORT_NAMESPACE, "id:" + text.strip())


def is_blank(row: Iterable[Any]) -> bool:
    """True when every cell is empty."""
    if type(row) is list:
        try:
            return not "".join(row).strip()  # a CSV row: all text, one pass in C
        except TypeError:
            pass
    return all(v is None or (isinstance(v, str) and not v.strip()) for v in row)


@dataclass(frozen=True)
class RowProblem:
    """Why one row cannot be imported: its row number, the column and the reason."""

    row: int
    column: str
    reason: str


_PARSERS = {
    "source_type": parse_source,
    "stage": parse_stage,
    "polarity": parse_polarity,
    "rosh": parse_rosh,
}


def finding_data_from_row(
    values: Sequence[Any], mapping: ColumnMapping, lookups: Lookups
) -> tuple[dict[str, Any], dict[str, str]]:
    """The finding fields of one row, and {field: reason} for cells that could not be read.

    Blank cells are left out so the model's defaults (or its 'required' message) apply.
    """
    data: dict[str, Any] = {}
    problems: dict[str, str] = {}
    width = len(values)
    converters = lookups._caches.get("converters") or _converters(lookups)
    for index, name in mapping.fields.items():
        raw = values[index] if index < width else None
        text = raw.strip() if type(raw) is str else cell_text(raw)  # cell_text, inlined
        if not text:
            continue
        convert = converters.get(name)
        if convert is None:
            data[name] = text  # a text field: the model cleans and checks it
            continue
        try:
            data[name] = convert(raw, text)
        except ValueError as exc:
            problems[name] = str(exc)
    if mapping.details:
        extra = {
            header[:200]: cell_text(values[index])
            for index, header in mapping.details.items()
            if index < width and cell_text(values[index])
        }
        if extra:
            data["details"] = {**extra, **data.get("details", {})}
    return data, problems


def _converters(lookups: Lookups) -> dict[str, Callable[[Any, str], Any]]:
    """Field -> function(raw cell, cell text) giving the model's input; built once.

    Fields without one (the text fields) take the cell's text as it is.
    """
    cache = lookups._cache("converters")
    if not cache:
        cache["event_date"] = cache["recorded_date"] = _date_from_cell
        for name, parser in _PARSERS.items():
            cache[name] = lambda raw, text, parser=parser: parser(text)
        cache["pdu"] = lambda raw, text: lookups.pdu_code(text)
        cache["themes"] = lambda raw, text: lookups.theme_tags(text)
        cache["id"] = lambda raw, text: id_from_cell(text)
        cache["details"] = lambda raw, text: _details_from_cell(text)
        cache["levels"] = lambda raw, text: lookups.level_tags(text)
        cache["rejected_themes"] = lambda raw, text: [t.slug for t in lookups.theme_tags(text)]
    return cache


def _date_from_cell(raw: Any, text: str) -> date | None:
    return _date_from_text_cell(raw) if type(raw) is str else parse_date(raw)


@functools.lru_cache(maxsize=4096)
def _date_from_text_cell(raw: str) -> date | None:
    # A sheet repeats the same few hundred dates thousands of times; errors are not cached.
    return parse_date(raw)


def _details_from_cell(text: str) -> dict[str, str]:
    import json

    if text.startswith("{"):
        try:
            loaded = json.loads(text)
        except json.JSONDecodeError:
            raise ValueError(
                "details is not valid JSON (export it from leap, or leave blank)"
            ) from None
        if isinstance(loaded, dict):
            return {str(k): cell_text(v) for k, v in loaded.items() if v is not None}
    return {"details": text}


CSV_ESCAPED_STARTS = ("=", "+", "-", "@", "'")
"""A CSV cell starting with one of these is written with a ' in front (see csv_escape)."""


def csv_escape(text: str) -> str:
    """Text for a CSV cell that a spreadsheet program shows as text, never runs as a formula."""
    return "'" + text if text.startswith(CSV_ESCAPED_STARTS) else text


def csv_unescape(text: str) -> str:
    """The text :func:`csv_escape` was given."""
    return text[1:] if text[:1] == "'" and text[1:2] and text[1] in CSV_ESCAPED_STARTS else text
