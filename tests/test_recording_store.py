"""Store pieces behind the recording screens: saved views, capped counts and suggestions."""

from __future__ import annotations

import json
import uuid
from datetime import date
from pathlib import Path

import pytest
import sqlite_utils

from db.findings_store import count_findings_capped, delete_finding, save_finding
from db.views_store import ViewError, delete_view, get_view, list_views, save_view
from findings.filters import FindingFilter
from findings.models import Theme
from findings.suggest import suggest_themes
from tests.factories import TODAY, make_finding


def test_view_saved_recalled_replaced_and_deleted(fresh_db: sqlite_utils.Database) -> None:
    flt = FindingFilter(pdus=["oxfordshire"], themes=["workload"], text='"face value"')
    save_view(fresh_db, "  Oxford workload  ", flt)
    assert get_view(fresh_db, "oxford WORKLOAD").filter == flt
    save_view(fresh_db, "Oxford workload", FindingFilter(polarity="strength"))
    assert [v.name for v in list_views(fresh_db)] == ["Oxford workload"]
    assert get_view(fresh_db, "Oxford workload").filter.polarity == "strength"
    delete_view(fresh_db, "Oxford workload")
    with pytest.raises(ViewError):
        get_view(fresh_db, "Oxford workload")
    with pytest.raises(ViewError):
        save_view(fresh_db, "\x00\n ", flt)


def test_capped_count(seeded_db: sqlite_utils.Database) -> None:
    assert count_findings_capped(seeded_db).label == "3"
    capped = count_findings_capped(seeded_db, FindingFilter(polarity="weakness"), cap=1)
    assert capped.capped and capped.label == "1+"
    assert count_findings_capped(seeded_db, FindingFilter(text='"" OR (')).value == 0


def test_user_theme_cues_suggested() -> None:
    remand = Theme(slug="remand", name="Remand", cues=["bail information"])
    found = {s.slug: s for s in suggest_themes("No bail information was sought.", [remand])}
    assert any("bail information" in e for e in found["remand"].evidence)
    assert suggest_themes("   ") == []


def test_search_command_uses_saved_view(
    seeded_db: sqlite_utils.Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from tui.cli import main

    save_view(seeded_db, "Bucks", FindingFilter(pdus=["bucks_mk"]))
    db = str(tmp_path / "leap.db")
    assert main(["search", "--db", db, "--view", "bucks", "--format", "json"]) == 0
    payload = json.loads(capsys.readouterr().out)
    assert payload["total"] == 1 and payload["findings"][0]["pdu"] == "bucks_mk"
    assert main(["search", "--db", db, "--view", "Bucks", "--pdu", "oxfordshire"]) == 0
    assert "Accepted account" in capsys.readouterr().out
    assert main(["search", "--db", db, "--view", "nope"]) == 2
    assert "no saved view called 'nope'" in capsys.readouterr().err


def test_broad_text_search_gives_same_results(
    seeded_db: sqlite_utils.Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    from db import findings_store

    flt = FindingFilter(text="police", pdus=["bucks_mk", "oxfordshire"])
    save_finding(seeded_db, make_finding(summary="Police again", id=uuid.UUID(int=4)), today=TODAY)
    assert findings_store.count_findings_capped(seeded_db, flt).label == "3"  # sees the write
    delete_finding(seeded_db, uuid.UUID(int=4))
    narrow = [r.id for r in findings_store.query_findings(seeded_db, flt)]
    assert findings_store.count_findings_capped(seeded_db, flt).label == "2"
    monkeypatch.setattr(findings_store, "BROAD_TEXT", 1)
    # Too common: only the newest match is searched, and the count says "at least".
    broad_ids = [r.id for r in findings_store.query_findings(seeded_db, flt)]
    assert len(broad_ids) <= 1 and set(broad_ids) <= set(narrow)
    broad = findings_store.count_findings_capped(seeded_db, flt)
    assert broad.capped and broad.label.endswith("+")


def test_a_search_alone_counts_and_pages_like_any_other_filter(
    fresh_db: sqlite_utils.Database,
) -> None:
    from db import findings_store
    from db.bulk import bulk_insert_findings

    findings = [
        make_finding(
            id=uuid.UUID(int=n + 1),
            summary=f"Finding {n}",
            narrative="The waiting list was long." if n % 3 else "Nothing of note.",
            event_date=date(2026, 2, 1 + n % 28),
        )
        for n in range(300)
    ]
    bulk_insert_findings(fresh_db, findings)
    delete_finding(fresh_db, uuid.UUID(int=2))  # one match deleted: neither counted nor listed
    search = FindingFilter(text='"waiting list"')
    # The same search plus a filter that keeps everything goes the general way.
    general = search.model_copy(update={"pdus": ["oxfordshire", "bucks_mk", "kent"]})
    assert findings_store._search_only_hits(fresh_db, search) is not None
    assert findings_store._search_only_hits(fresh_db, general) is None
    assert count_findings_capped(fresh_db, search).label == "199"
    assert count_findings_capped(fresh_db, search) == count_findings_capped(fresh_db, general)
    assert count_findings_capped(fresh_db, search, cap=50).label == "50+"
    # Many matches: the first page walks the date index; a deep page does not.
    assert findings_store._walk_dates(fresh_db, search, 20)
    assert not findings_store._walk_dates(fresh_db, search, 250)
    for offset in (0, 150):
        page = findings_store.query_findings(fresh_db, search, limit=20, offset=offset)
        same = findings_store.query_findings(fresh_db, general, limit=20, offset=offset)
        assert [r.id for r in page] == [r.id for r in same] and len(page) == 20
    assert uuid.UUID(int=2) not in {
        r.id for r in findings_store.query_findings(fresh_db, search, limit=300)
    }
