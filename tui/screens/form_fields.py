"""What the finding and assessment forms are made of: the fields each source type adds, the
reference data loaded for them, and short messages for validation errors."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from findings.levels import LEVEL_NAMES
from findings.models import Level, Pdu, SourceType, Theme, plain_error

if TYPE_CHECKING:
    import sqlite_utils


@dataclass(frozen=True)
class DetailField:
    """A field only some source types have, stored in ``Finding.details``."""

    key: str
    label: str
    choices: tuple[tuple[str, str], ...] = ()


DETAIL_FIELDS: dict[SourceType, tuple[DetailField, ...]] = {
    SourceType.SFO_REVIEW: (
        DetailField(
            "offence_category", "Offence category", (("Violent", "violent"), ("Sexual", "sexual"))
        ),
        DetailField(
            "charge",
            "Charge",
            (
                ("Murder", "murder"),
                ("Manslaughter", "manslaughter"),
                ("Rape", "rape"),
                ("Another listed offence", "other_listed"),
            ),
        ),
    ),
    SourceType.COMPLAINT: (
        DetailField(
            "outcome",
            "Outcome",
            (
                ("Upheld", "upheld"),
                ("Partly upheld", "partly_upheld"),
                ("Not upheld", "not_upheld"),
                ("Withdrawn", "withdrawn"),
            ),
        ),
    ),
    SourceType.AUDIT: (DetailField("audit_name", "Audit name"),),
}
"""The extra fields of each source type; every one is required for its type."""

REFERENCE_LABELS: dict[SourceType, str] = {
    SourceType.SFO_REVIEW: "Review reference",
    SourceType.AUDIT: "Audit reference",
    SourceType.INSPECTION: "Inspection report",
    SourceType.COMPLAINT: "Complaint ref.",
    SourceType.DEATH_UNDER_SUPERVISION: "Review reference",
    SourceType.CASE_ASSESSMENT: "Assessment ref.",
}

ALL_DETAILS = {f.key: f for fields in DETAIL_FIELDS.values() for f in fields}
SHARED_INPUTS = ("source_ref", "event_date", "recorded_date", "crn", "summary")
SELECTS = ("source_type", "pdu", "stage", "polarity", "rosh")
FIELD_ORDER = (
    "source_type",
    *ALL_DETAILS,
    "source_ref",
    "pdu",
    "event_date",
    "recorded_date",
    "stage",
    "polarity",
    "rosh",
    "crn",
    "summary",
    "narrative",
    "themes",
    "levels",
)


@dataclass(frozen=True)
class FormContext:
    """What the form needs from the database, loaded by the caller's worker."""

    pdus: list[Pdu]
    themes: list[Theme]
    validation: dict[str, Any]
    today: date
    user_themes: list[Theme] = field(default_factory=list)
    actor: str = ""
    level_names: dict[Level, str] = field(default_factory=lambda: dict(LEVEL_NAMES))
    tagger_model: str | None = None
    """The database's own fitted tagger model (JSON), when `leap tag --train` stored one."""
    tagger_model_packed: bytes | None = None
    """That model's packed companion, read instead of the JSON when it fits."""


def load_form_context(db: sqlite_utils.Database, today: date) -> FormContext:
    """Reference data for the forms (call from a worker)."""
    from db.history import current_actor
    from db.levels_store import level_names
    from db.reference import list_pdus, list_themes, validation_context
    from db.tagger_store import stored_model

    themes = list_themes(db)
    model_text, model_packed = stored_model(db)
    return FormContext(
        pdus=list_pdus(db),
        themes=themes,
        validation=validation_context(db, today=today),
        today=today,
        user_themes=[t for t in themes if not t.builtin],
        actor=current_actor(db),
        level_names=level_names(db),
        tagger_model=model_text,
        tagger_model_packed=model_packed,
    )


def friendly(error: dict[str, Any]) -> str:
    """A short message for one pydantic error."""
    kind = error.get("type", "")
    if kind in {"missing", "string_too_short"}:
        return "Required."
    if kind.startswith("date"):
        return "Use a date like 2026-03-01."
    if kind == "enum":
        return "Choose one of the options."
    text = plain_error(error)
    return text[:1].upper() + text[1:] + ("" if text.endswith(".") else ".")
