"""Managing the theme taxonomy: user themes with cues, rename, deactivate, merge, counts."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from db.base import StoreError, write_transaction
from db.findings_store import filter_where
from db.history import current_actor, now_utc, record_change
from db.reference import list_themes
from findings.filters import FindingFilter
from findings.models import Stage, Theme, slugify

if TYPE_CHECKING:
    import sqlite_utils


class ThemeError(StoreError):
    """A theme change that cannot be made, worded for the user."""


def _theme_row(db: sqlite_utils.Database, slug: str) -> Theme:
    for theme in list_themes(db, include_inactive=True):
        if theme.slug == slug:
            return theme
    raise ThemeError(f"There is no theme '{slug}'.")


def _snapshot(theme: Theme) -> dict[str, Any]:
    return theme.model_dump(mode="json")


def get_theme(db: sqlite_utils.Database, slug: str) -> Theme | None:
    """The theme with this slug (inactive ones included), or None."""
    try:
        return _theme_row(db, slug)
    except ThemeError:
        return None


def add_user_theme(
    db: sqlite_utils.Database,
    name: str,
    *,
    description: str = "",
    stage: Stage = Stage.ORGANISATIONAL,
    cues: list[str] | None = None,
    actor: str | None = None,
) -> Theme:
    """Add a theme of the user's own (with cue phrases for the tagger); returns it."""
    theme = Theme(
        slug=slugify(name),
        name=name,
        description=description,
        stage=stage,
        builtin=False,
        cues=cues or [],
    )
    with write_transaction(db):
        clash = db.execute(
            "SELECT slug, name FROM themes WHERE slug = ? OR lower(name) = lower(?)",
            [theme.slug, theme.name],
        ).fetchone()
        if clash:
            raise ThemeError(f"A theme called '{clash[1]}' already exists.")
        db.execute(
            "INSERT INTO themes (slug, name, description, stage, builtin, active, cues, sort) "
            "VALUES (?, ?, ?, ?, 0, 1, ?, 1000)",
            [
                theme.slug,
                theme.name,
                theme.description,
                theme.stage.value,
                json.dumps(theme.cues, ensure_ascii=False),
            ],
        )
        record_change(
            db,
            entity="theme",
            entity_id=theme.slug,
            action="create",
            before=None,
            after=_snapshot(theme),
            actor=actor,
        )
    return theme


def update_theme(
    db: sqlite_utils.Database,
    slug: str,
    *,
    name: str | None = None,
    description: str | None = None,
    cues: list[str] | None = None,
    actor: str | None = None,
) -> Theme:
    """Rename a theme, or change its description or cue phrases; the slug stays."""
    with write_transaction(db):
        before = _theme_row(db, slug)
        changes: dict[str, Any] = {}
        if name is not None:
            changes["name"] = name
        if description is not None:
            changes["description"] = description
        if cues is not None:
            changes["cues"] = cues
        after = Theme.model_validate({**before.model_dump(), **changes})
        if name is not None:
            clash = db.execute(
                "SELECT name FROM themes WHERE lower(name) = lower(?) AND slug != ?",
                [after.name, slug],
            ).fetchone()
            if clash:
                raise ThemeError(f"A theme called '{clash[0]}' already exists.")
        db.execute(
            "UPDATE themes SET name = ?, description = ?, cues = ? WHERE slug = ?",
            [after.name, after.description, json.dumps(after.cues, ensure_ascii=False), slug],
        )
        record_change(
            db,
            entity="theme",
            entity_id=slug,
            action="update",
            before=_snapshot(before),
            after=_snapshot(after),
            actor=actor,
        )
    return after


def set_theme_active(
    db: sqlite_utils.Database, slug: str, active: bool, *, actor: str | None = None
) -> Theme:
    """Deactivate a theme (no longer offered for new tags; old tags stay) or reactivate it."""
    with write_transaction(db):
        before = _theme_row(db, slug)
        if active and before.merged_into:
            raise ThemeError(
                f"'{before.name}' was merged into '{before.merged_into}'; it cannot be reactivated."
            )
        db.execute("UPDATE themes SET active = ? WHERE slug = ?", [int(active), slug])
        after = before.model_copy(update={"active": active})
        record_change(
            db,
            entity="theme",
            entity_id=slug,
            action="activate" if active else "deactivate",
            before=_snapshot(before),
            after=_snapshot(after),
            actor=actor,
        )
    return after


def merge_themes(
    db: sqlite_utils.Database, source: str, target: str, *, actor: str | None = None
) -> int:
    """Move every finding (and action) tagged ``source`` to ``target``; returns findings moved.

    One transaction: the tags (and rejections) move, ``source`` is deactivated with
    ``merged_into`` set, and the history records the merge with the findings it touched.
    """
    if source == target:
        raise ThemeError("Choose two different themes to merge.")
    actor = actor if actor is not None else current_actor(db)
    with write_transaction(db):
        src = _theme_row(db, source)
        dst = _theme_row(db, target)
        if not dst.active:
            raise ThemeError(f"'{dst.name}' is not active; merge into an active theme.")
        if src.merged_into:
            raise ThemeError(f"'{src.name}' was already merged into '{src.merged_into}'.")
        finding_ids = [
            r[0]
            for r in db.execute(
                "SELECT f.id FROM finding_themes ft JOIN findings f ON f.seq = ft.finding_seq "
                "WHERE ft.theme_slug = ? ORDER BY f.seq",
                [source],
            ).fetchall()
        ]
        # Bump the version so a form opened before the merge cannot save the old tag (or
        # rejection) back.
        db.execute(
            "UPDATE findings SET version = version + 1, updated_at = ? WHERE seq IN "
            "(SELECT finding_seq FROM finding_themes WHERE theme_slug = ? "
            "UNION SELECT finding_seq FROM theme_rejections WHERE theme_slug = ?)",
            [now_utc(), source, source],
        )
        # A finding tagged with both keeps its target tag; the source tag simply goes.
        db.execute(
            "INSERT OR IGNORE INTO finding_themes (finding_seq, theme_slug, origin) "
            "SELECT finding_seq, ?, origin FROM finding_themes WHERE theme_slug = ?",
            [target, source],
        )
        db.execute("DELETE FROM finding_themes WHERE theme_slug = ?", [source])
        # A theme rejected for a finding stays rejected under the theme it joins (unless the
        # finding carries that theme: an attached theme is never also rejected).
        db.execute(
            "INSERT OR IGNORE INTO theme_rejections "
            "(finding_seq, theme_slug, rejected_at, rejected_by) "
            "SELECT r.finding_seq, ?, r.rejected_at, r.rejected_by FROM theme_rejections r "
            "WHERE r.theme_slug = ? AND NOT EXISTS (SELECT 1 FROM finding_themes ft "
            "WHERE ft.finding_seq = r.finding_seq AND ft.theme_slug = ?)",
            [target, source, target],
        )
        db.execute("DELETE FROM theme_rejections WHERE theme_slug = ?", [source])
        # Learning actions move too, through their own store (it logs each one).
        from db.actions_store import move_action_themes

        move_action_themes(db, source, target, actor=actor)
        db.execute("UPDATE themes SET active = 0, merged_into = ? WHERE slug = ?", [target, source])
        record_change(
            db,
            entity="theme",
            entity_id=source,
            action="merge",
            before=_snapshot(src),
            after={"merged_into": target, "findings": finding_ids},
            actor=actor,
        )
        for finding_id in finding_ids:
            record_change(
                db,
                entity="finding",
                entity_id=finding_id,
                action="theme_merge",
                before={"theme": source},
                after={"theme": target},
                actor=actor,
            )
    return len(finding_ids)


def theme_counts(db: sqlite_utils.Database, flt: FindingFilter | None = None) -> dict[str, int]:
    """How many findings matching ``flt`` carry each theme (themes with none are left out)."""
    flt = flt or FindingFilter()
    if flt == FindingFilter():
        # Everything: the tags' own index holds the answer; take off the deleted findings' tags.
        counts = dict(
            db.execute(
                "SELECT theme_slug, count(*) FROM finding_themes GROUP BY theme_slug"
            ).fetchall()
        )
        for slug, n in db.execute(
            "SELECT ft.theme_slug, count(*) FROM findings f JOIN finding_themes ft "
            "ON ft.finding_seq = f.seq WHERE f.deleted_at IS NOT NULL GROUP BY ft.theme_slug"
        ).fetchall():
            counts[slug] -= n
        return {slug: int(n) for slug, n in counts.items() if n}
    where, params = filter_where(flt, db)
    # CROSS JOIN keeps the filtered findings (from their covering indexes) as the outer loop.
    rows = db.execute(
        "SELECT ft.theme_slug, count(*) FROM findings f CROSS JOIN finding_themes ft "
        f"ON ft.finding_seq = f.seq{where} GROUP BY ft.theme_slug",
        params,
    ).fetchall()
    return {slug: int(n) for slug, n in rows}


def user_themes(db: sqlite_utils.Database) -> list[Theme]:
    """The active themes users added (they carry their own cues for the tagger)."""
    return [t for t in list_themes(db) if not t.builtin]
