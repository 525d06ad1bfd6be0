"""Theme management in the store: user themes, rename, deactivate, merge and counts."""

from __future__ import annotations

import uuid

import pytest
import sqlite_utils

from db.findings_store import get_finding, save_finding
from db.history import history_for
from db.reference import list_themes
from db.themes_store import (
    ThemeError,
    add_user_theme,
    get_theme,
    merge_themes,
    set_theme_active,
    theme_counts,
    update_theme,
    user_themes,
)
from findings.filters import FindingFilter
from findings.models import ThemeTag
from tests.factories import TODAY, make_finding


def test_user_theme_added_with_cues_and_listed(fresh_db: sqlite_utils.Database) -> None:
    theme = add_user_theme(
        fresh_db, "Remand decisions", description="Bail info", cues=["Remand", "bail info"]
    )
    assert theme.slug == "remand_decisions"
    assert get_theme(fresh_db, "remand_decisions") == theme
    assert [t.slug for t in user_themes(fresh_db)] == ["remand_decisions"]
    assert theme.cues == ["remand", "bail info"]
    assert history_for(fresh_db, "theme", "remand_decisions")[0].action == "create"


def test_duplicate_theme_name_refused(fresh_db: sqlite_utils.Database) -> None:
    add_user_theme(fresh_db, "Remand")
    with pytest.raises(ThemeError, match="already exists"):
        add_user_theme(fresh_db, "remand")


def test_rename_keeps_slug_and_tags(seeded_db: sqlite_utils.Database) -> None:
    update_theme(seeded_db, "professional_curiosity", name="Curiosity lacking 🔍")
    assert get_theme(seeded_db, "professional_curiosity").name == "Curiosity lacking 🔍"  # type: ignore[union-attr]
    finding = get_finding(seeded_db, uuid.UUID(int=1))
    assert finding and finding.theme_slugs == ["professional_curiosity"]


def test_deactivated_theme_not_offered_but_tags_stay(seeded_db: sqlite_utils.Database) -> None:
    set_theme_active(seeded_db, "domestic_abuse", False)
    assert "domestic_abuse" not in {t.slug for t in list_themes(seeded_db)}
    finding = get_finding(seeded_db, uuid.UUID(int=2))
    assert finding and "domestic_abuse" in finding.theme_slugs


def test_merge_moves_findings_in_one_go(seeded_db: sqlite_utils.Database) -> None:
    both = make_finding(
        id=uuid.UUID(int=9),
        themes=[ThemeTag(slug="information_sharing"), ThemeTag(slug="professional_curiosity")],
    )
    save_finding(seeded_db, both, today=TODAY)
    moved = merge_themes(seeded_db, "professional_curiosity", "information_sharing")
    assert moved == 2
    merged = get_theme(seeded_db, "professional_curiosity")
    assert merged and not merged.active and merged.merged_into == "information_sharing"
    first = get_finding(seeded_db, uuid.UUID(int=1))
    assert first and first.theme_slugs == ["information_sharing"] and first.version == 2
    nine = get_finding(seeded_db, uuid.UUID(int=9))
    assert nine and nine.theme_slugs == ["information_sharing"]
    assert theme_counts(seeded_db).get("professional_curiosity") is None
    assert history_for(seeded_db, "theme", "professional_curiosity")[-1].action == "merge"
    assert history_for(seeded_db, "finding", str(uuid.UUID(int=1)))[-1].action == "theme_merge"
    with pytest.raises(ThemeError):
        set_theme_active(seeded_db, "professional_curiosity", True)


def test_merge_refuses_same_or_inactive_target(seeded_db: sqlite_utils.Database) -> None:
    with pytest.raises(ThemeError):
        merge_themes(seeded_db, "workload", "workload")
    set_theme_active(seeded_db, "training", False)
    with pytest.raises(ThemeError, match="not active"):
        merge_themes(seeded_db, "workload", "training")


def test_counts_follow_the_filter(seeded_db: sqlite_utils.Database) -> None:
    assert theme_counts(seeded_db)["information_sharing"] == 1
    assert theme_counts(seeded_db, FindingFilter(pdus=["oxfordshire"])) == {
        "professional_curiosity": 1
    }
