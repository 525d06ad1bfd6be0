"""Whether a learning action still points at things that exist: findings, themes, sources."""

from __future__ import annotations

from collections.abc import Iterable

import sqlite_utils

from findings.actions import ActionSource, LearningAction


def _theme_problem(db: sqlite_utils.Database, slug: str) -> str | None:
    row = db.execute(
        "SELECT name, active, merged_into FROM themes WHERE slug = ?", [slug]
    ).fetchone()
    if row is None:
        return f"theme '{slug}' does not exist"
    name, active, merged_into = row
    if merged_into:
        return f"theme '{slug}' ({name}) was merged into '{merged_into}'"
    if not active:
        return f"theme '{slug}' ({name}) is no longer in use"
    return None


def _finding_problem(db: sqlite_utils.Database, ref: str | None) -> str | None:
    row = db.execute(
        "SELECT source_ref, summary, deleted_at FROM findings WHERE id = ?", [ref or ""]
    ).fetchone()
    if row is None:
        return f"finding {ref} does not exist"
    if row[2]:
        return f"finding {row[0]} ('{row[1]}') was deleted"
    return None


def reference_problems(db: sqlite_utils.Database, action: LearningAction) -> list[str]:
    problems = [p for p in (_theme_problem(db, s) for s in action.themes) if p]
    if action.source_kind == ActionSource.FINDING:
        problem = _finding_problem(db, action.source_ref)
        if problem:
            problems.append(problem)
    elif action.source_kind == ActionSource.THEME and action.source_ref not in action.themes:
        problem = _theme_problem(db, action.source_ref or "")
        if problem:
            problems.append(problem)
    return problems


def action_warnings(db: sqlite_utils.Database, action: LearningAction) -> list[str]:
    """What the action points at that has gone: deleted findings, merged or retired themes."""
    return reference_problems(db, action)


def warnings_by_action(
    db: sqlite_utils.Database, actions: Iterable[LearningAction]
) -> dict[str, list[str]]:
    """Warnings for each action that has any, keyed by action id."""
    found = {str(a.id): action_warnings(db, a) for a in actions}
    return {k: v for k, v in found.items() if v}
