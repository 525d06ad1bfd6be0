"""Saved views: a named set of findings filters a user can recall from the palette or shell."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from pydantic import ValidationError

from db.base import StoreError, write_transaction
from db.history import now_utc, record_change
from findings.filters import FindingFilter
from findings.models import MAX_SHORT, clean_text

if TYPE_CHECKING:
    import sqlite_utils

    from db.base import Reader


class ViewError(StoreError):
    """A saved view that cannot be saved or found, worded for the user."""


@dataclass(frozen=True)
class SavedView:
    """A named filter set."""

    name: str
    filter: FindingFilter


def clean_view_name(name: str) -> str:
    """The name as stored (single line, trimmed), or ViewError if nothing is left."""
    cleaned = clean_text(name, multiline=False)
    if not cleaned:
        raise ViewError("Give the view a name.")
    if len(cleaned) > MAX_SHORT:
        raise ViewError(f"A view name has at most {MAX_SHORT} characters.")
    return cleaned


def save_view(
    db: sqlite_utils.Database, name: str, flt: FindingFilter, *, actor: str | None = None
) -> SavedView:
    """Save (or replace) the filter set under ``name``."""
    name = clean_view_name(name)
    stored = flt.model_copy(update={"include_deleted": False, "only_deleted": False})
    payload = stored.model_dump_json()
    with write_transaction(db):
        before = db.execute("SELECT filters FROM saved_views WHERE name = ?", [name]).fetchone()
        db.execute(
            "INSERT INTO saved_views (name, filters, created_at) VALUES (?, ?, ?) "
            "ON CONFLICT(name) DO UPDATE SET filters = excluded.filters",
            [name, payload, now_utc()],
        )
        record_change(
            db,
            entity="saved_view",
            entity_id=name,
            action="update" if before else "create",
            before={"filters": before[0]} if before else None,
            after={"filters": payload},
            actor=actor,
        )
    return SavedView(name, stored)


def _parse(name: str, payload: str) -> SavedView | None:
    try:
        return SavedView(name, FindingFilter.model_validate_json(payload))
    except ValidationError:
        return None  # written by another version: skipped rather than crashing the palette


def list_views(db: Reader) -> list[SavedView]:
    """Every saved view, by name."""
    rows = db.execute("SELECT name, filters FROM saved_views ORDER BY name COLLATE NOCASE")
    return [v for v in (_parse(n, f) for n, f in rows.fetchall()) if v is not None]


def get_view(db: Reader, name: str) -> SavedView:
    """The view saved under ``name`` (exact, else case-insensitive); ViewError if none."""
    row = db.execute("SELECT name, filters FROM saved_views WHERE name = ?", [name]).fetchone()
    if row is None:
        row = db.execute(
            "SELECT name, filters FROM saved_views WHERE lower(name) = lower(?)", [name]
        ).fetchone()
    view = _parse(row[0], row[1]) if row else None
    if view is None:
        raise ViewError(f"There is no saved view called '{name}'.")
    return view


def delete_view(db: sqlite_utils.Database, name: str, *, actor: str | None = None) -> None:
    """Forget a saved view."""
    with write_transaction(db):
        row = db.execute("SELECT filters FROM saved_views WHERE name = ?", [name]).fetchone()
        if row is None:
            raise ViewError(f"There is no saved view called '{name}'.")
        db.execute("DELETE FROM saved_views WHERE name = ?", [name])
        record_change(
            db,
            entity="saved_view",
            entity_id=name,
            action="delete",
            before={"filters": row[0]},
            after=None,
            actor=actor,
        )
