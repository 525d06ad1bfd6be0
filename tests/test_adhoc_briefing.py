"""An ad-hoc briefing of any period, for no panel: same figures, marked as such, nothing marked."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
import sqlite_utils

from db.panels_store import create_panel, set_item_marked
from panels.briefing import build_adhoc_briefing, build_briefing
from panels.docx_writer import write_briefing
from panels.models import Panel, PanelItem, PanelItemKind
from tests.factories import TODAY
from tests.panel_factories import LISTED_NAMES, PLANTED, document_text, seed_panel_period
from tests.test_briefing import EXPECTED_HEADINGS, digest, headings

PERIOD = (date(2026, 9, 1), date(2026, 10, 31))
"""The seeded panel's period, asked for without the panel."""


@pytest.fixture
def panel_db(
    fresh_db: sqlite_utils.Database, monkeypatch: pytest.MonkeyPatch
) -> tuple[sqlite_utils.Database, Panel]:
    panel = seed_panel_period(fresh_db)
    monkeypatch.setattr("panels.sources.actions_digest_for", lambda db, **kw: digest())
    set_item_marked(fresh_db, panel.id, PanelItem(kind=PanelItemKind.THEME, ref="planning"), True)
    return fresh_db, panel


def test_same_figures_as_the_panel_but_nothing_marked(panel_db) -> None:
    db, panel = panel_db
    adhoc = build_adhoc_briefing(db, PERIOD, TODAY)
    for_panel = build_briefing(db, panel, TODAY)
    assert adhoc.adhoc and not for_panel.adhoc
    assert adhoc.title == "LEAP briefing (ad hoc): 1 September to 31 October 2026"
    assert (adhoc.total, adhoc.previous_total, adhoc.cases) == (
        for_panel.total,
        for_panel.previous_total,
        for_panel.cases,
    )
    assert [(t.slug, t.count, t.previous) for t in adhoc.themes] == [
        (t.slug, t.count, t.previous) for t in for_panel.themes
    ]
    assert adhoc.chair == "" and adhoc.status == ""
    # Compared with the same number of days just before.
    assert (adhoc.previous_start, adhoc.previous_end) == (date(2026, 7, 2), date(2026, 8, 31))
    items = [i.heading for i in adhoc.decision_items]
    assert not any("marked for discussion" in h for h in items)
    assert any(h.startswith("Overdue at two panels") for h in items)
    assert any(h.startswith("Newly recurring theme") for h in items)
    assert any("marked for discussion" in i.heading for i in for_panel.decision_items)


def test_next_panel_is_the_next_planned_one_or_two_months_on(panel_db) -> None:
    db, _ = panel_db
    none_planned = build_adhoc_briefing(db, PERIOD, TODAY)  # the seeded panels are past
    assert not none_planned.next_panel_planned
    assert none_planned.next_panel_on == date(2027, 1, 26)
    create_panel(db, date(2026, 12, 10))
    planned = build_adhoc_briefing(db, PERIOD, TODAY)
    assert planned.next_panel_planned and planned.next_panel_on == date(2026, 12, 10)


def test_the_document_says_it_is_ad_hoc_on_its_cover_and_footer(panel_db, tmp_path: Path) -> None:
    db, _ = panel_db
    briefing = build_adhoc_briefing(db, PERIOD, TODAY, extra_names=LISTED_NAMES)
    path = write_briefing(briefing, tmp_path / "adhoc.docx")
    expected = [*EXPECTED_HEADINGS]
    expected[6] = "7. Items a panel may want to decide"
    assert [h for h in headings(path) if h[:2] in {f"{n}." for n in range(1, 9)}] == expected
    text = document_text(path)
    for shown in [
        "LEAP briefing (ad hoc)",
        "Ad-hoc briefing, for no panel.",
        "Ad hoc (not for a panel)",
        "2 July to 31 August 2026 (the same length, just before)",
        "none planned",
        "Due in the next two months (by 26 January 2027)",
        "This briefing was prepared for no panel, so nothing was marked for discussion.",
        "LEAP ad-hoc briefing 2026-09-01 to 2026-10-31",
    ]:
        assert shown in text, shown
    assert "Panel date" not in text and "Items for the panel's decision" not in text
    for planted in PLANTED:
        assert planted not in text, planted


def test_a_period_ending_before_it_starts_is_refused(fresh_db: sqlite_utils.Database) -> None:
    with pytest.raises(ValueError, match=r"ends \(2026-08-01\) before it starts \(2026-09-01\)"):
        build_adhoc_briefing(fresh_db, (date(2026, 9, 1), date(2026, 8, 1)), TODAY)
