"""Pydantic models of the findings domain: findings, themes, PDUs and case assessments."""

from __future__ import annotations

import re
import unicodedata
import uuid
from collections.abc import Mapping
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationInfo,
    field_validator,
    model_validator,
)


class SourceType(StrEnum):
    """Where a finding came from."""

    SFO_REVIEW = "sfo_review"
    AUDIT = "audit"
    INSPECTION = "inspection"
    COMPLAINT = "complaint"
    DEATH_UNDER_SUPERVISION = "death_under_supervision"
    CASE_ASSESSMENT = "case_assessment"

    @property
    def label(self) -> str:
        return SOURCE_LABELS[self]


SOURCE_LABELS: dict[SourceType, str] = {
    SourceType.SFO_REVIEW: "SFO review",
    SourceType.AUDIT: "Audit",
    SourceType.INSPECTION: "Inspection",
    SourceType.COMPLAINT: "Complaint",
    SourceType.DEATH_UNDER_SUPERVISION: "Death under supervision",
    SourceType.CASE_ASSESSMENT: "Case assessment",
}

CASE_LEVEL_SOURCES: frozenset[SourceType] = frozenset(
    {
        SourceType.SFO_REVIEW,
        SourceType.COMPLAINT,
        SourceType.DEATH_UNDER_SUPERVISION,
        SourceType.CASE_ASSESSMENT,
    }
)
"""Sources about one person's case: their references identify the case, so safe exports and
briefings leave them out (an audit's or inspection's reference stays)."""


class Stage(StrEnum):
    """Practice stage of the inspection framework, or organisational."""

    ASSESSMENT = "assessment"
    PLANNING = "planning"
    IMPLEMENTATION_DELIVERY = "implementation_delivery"
    REVIEWING = "reviewing"
    ORGANISATIONAL = "organisational"

    @property
    def label(self) -> str:
        if self is Stage.IMPLEMENTATION_DELIVERY:
            return "Implementation and delivery"
        return self.value.capitalize()


class Polarity(StrEnum):
    """Whether a finding records practice falling short or good practice."""

    WEAKNESS = "weakness"
    STRENGTH = "strength"


class Rosh(StrEnum):
    """Risk of serious harm level."""

    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"
    VERY_HIGH = "very_high"
    UNKNOWN = "unknown"

    @property
    def label(self) -> str:
        return self.value.replace("_", " ").capitalize()


class TagOrigin(StrEnum):
    """How a theme came to be attached to a finding."""

    SUGGESTED = "suggested"
    CONFIRMED = "confirmed"
    MANUAL = "manual"
    MODERATED = "moderated"
    """Agreed by a QA lead after two coders disagreed in a moderation round."""


class Level(StrEnum):
    """The level of the system a finding's failure (or success) sits at (see findings.levels)."""

    PRACTICE = "practice"
    SUPERVISION = "supervision"
    ORGANISATION = "organisation"
    PARTNERSHIP = "partnership"

    @property
    def label(self) -> str:
        return self.value.capitalize()


LEVEL_ORDER: dict[Level, int] = {level: i for i, level in enumerate(Level)}
"""Levels in their documented order, from the practitioner outwards."""


class KeyAnswer(StrEnum):
    """An answer to one key question of a case assessment."""

    YES = "yes"
    NO = "no"
    NOT_APPLICABLE = "n/a"


KEY_QUESTIONS: dict[str, str] = {
    "assessment": "Does assessment focus sufficiently on keeping other people safe?",
    "planning": "Does planning focus sufficiently on keeping other people safe?",
    "implementation_delivery": (
        "Does the implementation and delivery of services effectively support the safety of "
        "other people?"
    ),
    "reviewing": "Does reviewing focus sufficiently on keeping other people safe?",
}
"""The four key questions, keyed by practice stage, as the inspection framework words them."""

INSPECTION_BASELINE: dict[str, int] = {
    "assessment": 34,
    "planning": 46,
    "implementation_delivery": 36,
    "reviewing": 42,
}
"""South Central's inspection baseline, % Yes per key question."""

CRN_PATTERN = re.compile(r"^[A-Z][0-9]{6}$")
SLUG_PATTERN = re.compile(r"^[a-z][a-z0-9_]{1,48}$")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")  # not XML-safe either

MAX_SUMMARY = 200
MAX_NARRATIVE = 200_000
MAX_SHORT = 200


def clean_text(value: str, *, multiline: bool) -> str:
    """Normalise user text: NFC, no control characters, trimmed; newlines kept if multiline."""
    if value.isascii() and value.isprintable():
        return value.strip()  # nothing to normalise, replace or remove (the common case)
    value = unicodedata.normalize("NFC", value)
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    if not multiline:
        value = value.replace("\n", " ").replace("\t", " ")
    return _CONTROL.sub("", value).strip()


def _today(info: ValidationInfo) -> date:
    context = info.context or {}
    today = context.get("today")
    return today if isinstance(today, date) else date.today()


def check_slug(value: str, what: str) -> str:
    """Refuse an identifier that is not lower-case letters, digits and _ (starting a letter)."""
    if not SLUG_PATTERN.match(value):
        raise ValueError(f"'{value}' is not {what} (lower-case letters, digits and _)")
    return value


def check_crn(value: Any) -> Any:
    """Normalise a case reference number (upper case) or refuse a malformed one."""
    if value is None or not isinstance(value, str):
        return value
    value = value.strip().upper()
    if not value:
        return None
    if not CRN_PATTERN.match(value):
        raise ValueError("a case reference number is one letter and six digits, e.g. X123456")
    return value


def check_known_pdu(value: str, info: ValidationInfo) -> str:
    """Refuse a PDU code the region does not have, when the context lists the known ones."""
    known = (info.context or {}).get("pdus")
    if known is not None and value not in known:
        raise ValueError(f"unknown PDU '{value}'")
    return value


class LeapModel(BaseModel):
    """Base for leap's models: strict about unknown fields, trims strings."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, defer_build=True)


class ThemeTag(LeapModel):
    """One theme attached to a finding, with how it got there."""

    slug: str
    origin: TagOrigin = TagOrigin.MANUAL

    @field_validator("slug")
    @classmethod
    def _slug_shape(cls, value: str) -> str:
        return check_slug(value, "a theme slug")


class LevelTag(LeapModel):
    """One contributory level attached to a finding, with how it got there."""

    level: Level
    origin: TagOrigin = TagOrigin.MANUAL


class Finding(LeapModel):
    """What one review, audit, inspection, complaint or case assessment found.

    Validation context (``model_validate(data, context=...)``) may carry ``pdus`` (the set of
    known PDU codes), ``themes`` (the set of known theme slugs) and ``today`` (the clock); the
    store always supplies them so a finding is checked the same way wherever it enters.
    """

    id: uuid.UUID = Field(default_factory=uuid.uuid4)
    source_type: SourceType
    source_ref: str = Field(min_length=1, max_length=MAX_SHORT)
    pdu: str = Field(min_length=1, max_length=MAX_SHORT)
    event_date: date
    recorded_date: date = Field(default_factory=date.today)
    stage: Stage
    polarity: Polarity
    summary: str = Field(min_length=1, max_length=MAX_SUMMARY)
    narrative: str = Field(default="", max_length=MAX_NARRATIVE)
    rosh: Rosh = Rosh.UNKNOWN
    crn: str | None = None
    themes: list[ThemeTag] = Field(default_factory=list)
    rejected_themes: list[str] = Field(default_factory=list)
    """Themes a person rejected (or removed) for this finding: never suggested for it again."""
    levels: list[LevelTag] = Field(default_factory=list)
    details: dict[str, str] = Field(default_factory=dict)
    recorded_by: str = Field(default="", max_length=MAX_SHORT)
    version: int = Field(default=1, ge=1)
    updated_at: datetime | None = None
    deleted_at: datetime | None = None

    @field_validator("source_ref", "pdu", "summary", "recorded_by", mode="before")
    @classmethod
    def _single_line(cls, value: Any) -> Any:
        return clean_text(value, multiline=False) if isinstance(value, str) else value

    @field_validator("narrative", mode="before")
    @classmethod
    def _multi_line(cls, value: Any) -> Any:
        if value is None:
            return ""
        return clean_text(value, multiline=True) if isinstance(value, str) else value

    @field_validator("crn", mode="before")
    @classmethod
    def _crn_format(cls, value: Any) -> Any:
        return check_crn(value)

    @field_validator("pdu")
    @classmethod
    def _known_pdu(cls, value: str, info: ValidationInfo) -> str:
        return check_known_pdu(value, info)

    @field_validator("event_date", "recorded_date")
    @classmethod
    def _not_future(cls, value: date, info: ValidationInfo) -> date:
        if value > _today(info):
            raise ValueError(f"{value.isoformat()} is in the future")
        return value

    @field_validator("themes")
    @classmethod
    def _known_unique_themes(cls, value: list[ThemeTag], info: ValidationInfo) -> list[ThemeTag]:
        known = (info.context or {}).get("themes")
        seen: set[str] = set()
        for tag in value:
            if known is not None and tag.slug not in known:
                raise ValueError(f"unknown theme '{tag.slug}'")
            if tag.slug in seen:
                raise ValueError(f"theme '{tag.slug}' is attached twice")
            seen.add(tag.slug)
        return value

    @field_validator("rejected_themes")
    @classmethod
    def _rejected_slugs(cls, value: list[str]) -> list[str]:
        # Not checked against the active themes: a theme switched off since stays rejected.
        return sorted({check_slug(slug, "a theme slug") for slug in value})

    @field_validator("levels")
    @classmethod
    def _unique_levels(cls, value: list[LevelTag]) -> list[LevelTag]:
        seen: set[Level] = set()
        for tag in value:
            if tag.level in seen:
                raise ValueError(f"level '{tag.level}' is attached twice")
            seen.add(tag.level)
        return sorted(value, key=lambda t: LEVEL_ORDER[t.level])

    @field_validator("details")
    @classmethod
    def _clean_details(cls, value: dict[str, str]) -> dict[str, str]:
        return {
            clean_text(k, multiline=False)[:MAX_SHORT]: clean_text(v, multiline=True)[
                : MAX_SHORT * 10
            ]
            for k, v in value.items()
            if v is not None
        }

    @field_validator("recorded_date")
    @classmethod
    def _recorded_after_event(cls, value: date, info: ValidationInfo) -> date:
        # A field check (event_date is validated first), so the error names the recorded date.
        event_date = info.data.get("event_date")
        if event_date is not None and value < event_date:
            raise ValueError(f"{value:%Y-%m-%d} is before the event date ({event_date:%Y-%m-%d})")
        return value

    @model_validator(mode="after")
    def _attached_theme_not_rejected(self) -> Finding:
        """Attaching a theme (by hand, at moderation...) clears its rejection."""
        attached = set(self.theme_slugs)
        if attached.intersection(self.rejected_themes):
            self.rejected_themes = [s for s in self.rejected_themes if s not in attached]
        return self

    @property
    def theme_slugs(self) -> list[str]:
        return [t.slug for t in self.themes]

    @property
    def level_values(self) -> list[Level]:
        return [t.level for t in self.levels]


class Theme(LeapModel):
    """A practice-weakness theme of the taxonomy (built in or added by a user)."""

    slug: str
    name: str = Field(min_length=1, max_length=MAX_SHORT)
    description: str = Field(default="", max_length=2000)
    stage: Stage = Stage.ORGANISATIONAL
    builtin: bool = False
    active: bool = True
    cues: list[str] = Field(default_factory=list)
    merged_into: str | None = None

    @field_validator("slug")
    @classmethod
    def _slug_shape(cls, value: str) -> str:
        return check_slug(value, "a valid slug")

    @field_validator("name", "description", mode="before")
    @classmethod
    def _clean(cls, value: Any) -> Any:
        return clean_text(value, multiline=False) if isinstance(value, str) else value

    @field_validator("cues")
    @classmethod
    def _clean_cues(cls, value: list[str]) -> list[str]:
        cues = [clean_text(c, multiline=False).lower() for c in value]
        return [c for c in cues if c]


def slugify(name: str) -> str:
    """A theme or PDU slug from a display name."""
    slug = re.sub(r"[^a-z0-9]+", "_", clean_text(name, multiline=False).lower()).strip("_")
    if not slug or not slug[0].isalpha():
        slug = "t_" + slug
    return slug[:48]


class Pdu(LeapModel):
    """A probation delivery unit of the region (reference data, editable)."""

    code: str
    name: str = Field(min_length=1, max_length=MAX_SHORT)
    active: bool = True

    @field_validator("code")
    @classmethod
    def _code_shape(cls, value: str) -> str:
        return check_slug(value, "a valid PDU code")


class CaseAssessment(LeapModel):
    """One case assessed in an audit, with its answers to the four key questions."""

    id: uuid.UUID = Field(default_factory=uuid.uuid4)
    audit_ref: str = Field(min_length=1, max_length=MAX_SHORT)
    pdu: str
    assessed_on: date
    rosh: Rosh = Rosh.UNKNOWN
    crn: str | None = None
    answers: dict[str, KeyAnswer]
    finding_ids: list[uuid.UUID] = Field(default_factory=list)
    recorded_by: str = ""

    @field_validator("crn", mode="before")
    @classmethod
    def _crn_format(cls, value: Any) -> Any:
        return check_crn(value)

    @field_validator("pdu")
    @classmethod
    def _known_pdu(cls, value: str, info: ValidationInfo) -> str:
        return check_known_pdu(value, info)

    @field_validator("assessed_on")
    @classmethod
    def _not_future(cls, value: date, info: ValidationInfo) -> date:
        if value > _today(info):
            raise ValueError(f"{value.isoformat()} is in the future")
        return value

    @field_validator("answers")
    @classmethod
    def _four_questions(cls, value: dict[str, KeyAnswer]) -> dict[str, KeyAnswer]:
        unknown = set(value) - set(KEY_QUESTIONS)
        if unknown:
            raise ValueError(f"unknown key question(s): {', '.join(sorted(unknown))}")
        missing = set(KEY_QUESTIONS) - set(value)
        if missing:
            raise ValueError(f"no answer for: {', '.join(sorted(missing))}")
        return {k: value[k] for k in KEY_QUESTIONS}


class Region(LeapModel):
    """The region this database belongs to and its PDUs."""

    name: str
    pdus: list[Pdu]


def region_code(name: str) -> str:
    """A region's short code from its name ('South Central' -> 'south_central')."""
    code = "_".join(re.findall(r"[a-z0-9]+", name.lower()))
    return code or "region"


SOUTH_CENTRAL = Region(
    name="South Central",
    pdus=[
        Pdu(code="oxfordshire", name="Oxfordshire"),
        Pdu(code="bucks_mk", name="Buckinghamshire and Milton Keynes"),
        Pdu(code="west_berkshire", name="West Berkshire"),
        Pdu(code="east_berkshire", name="East Berkshire"),
        Pdu(code="hampshire_ne", name="Hampshire North and East"),
        Pdu(code="southampton_ef", name="Southampton, Eastleigh and New Forest"),
        Pdu(code="portsmouth_iow", name="Portsmouth and the Isle of Wight"),
    ],
)
"""The default region: South Central and its seven PDUs."""


def describe_errors(exc: Exception) -> list[str]:
    """Plain-words messages naming the field, from a pydantic ValidationError (or any error)."""
    from pydantic import ValidationError

    if not isinstance(exc, ValidationError):
        return [str(exc)]
    messages = []
    for err in exc.errors():
        field = ".".join(str(p) for p in err.get("loc", ()))
        message = plain_error(err)
        messages.append(f"{field}: {message}" if field else message)
    return messages


def plain_error(error: Mapping[str, Any]) -> str:
    """One pydantic error in plain words, without the field's name ('at most 200 characters
    (this one has 245)' rather than 'String should have at most 200 characters')."""
    kind = error.get("type", "")
    value = error.get("input")
    if kind == "string_too_long" and isinstance(value, str):
        limit = (error.get("ctx") or {}).get("max_length")
        return f"at most {limit} characters (this one has {len(value):,})"
    return str(error.get("msg", "invalid")).removeprefix("Value error, ")
