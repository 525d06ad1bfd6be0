"""Every kind of personal data planted in a finding is gone from the safe export, the briefing
and the bulletin, each read back from the file a user would circulate."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import sqlite_utils

from db.exporter import export
from db.findings_store import save_finding
from db.panels_store import set_item_marked
from findings.panels import PanelItem, PanelItemKind
from panels.briefing import build_briefing
from panels.bulletin import build_bulletin, write_bulletin
from panels.docx_writer import write_briefing
from tests.factories import TODAY
from tests.panel_factories import document_text, seed_panel_period, weakness

SECRETS = {
    "Person": "Pemberton-Hale",
    "CRN": "X123456",
    "NI number": "QQ 12 34 56 C",
    "prison number": "A1234BC",
    "DOB": "3rd March 1990",
    "address": "14 Acacia Road",
    "postcode": "SO14 2AB",
    "phone": "07700 900123",
    "email": "jo.bloggs@example.com",
}
SUMMARY = (
    "Mr Jonathan Pemberton-Hale (X123456, QQ 12 34 56 C, A1234BC, born on 3rd March 1990) "
    "of Flat 3, 14 Acacia Road, SO14 2AB; tel 07700 900123, jo.bloggs@example.com"
)
NARRATIVE = (
    "The practitioner accepted at face value that Mr Jonathan Pemberton-Hale (CRN X123456, NI "
    "QQ 12 34 56 C, prison number A1234BC, born on 3rd March 1990) lived at Flat 3, 14 Acacia "
    "Road, SO14 2AB, and did not check 07700 900123 or jo.bloggs@example.com with police."
)


def planted(db: sqlite_utils.Database, day: date) -> str:
    """Save the newest curiosity weakness, carrying every kind of personal data; its id."""
    finding = weakness(day, 1, summary=SUMMARY, narrative=NARRATIVE, crn="X123456")
    save_finding(db, finding, today=TODAY)
    return str(finding.id)


def assert_nothing_personal(text: str) -> None:
    for kind, secret in SECRETS.items():
        assert secret not in text, kind
    for part in ("Jonathan", "Acacia", "07700", "900123", "bloggs", "1234BC", "March 1990"):
        assert part not in text, part


def test_safe_export_removes_every_kind(fresh_db: sqlite_utils.Database, tmp_path: Path) -> None:
    planted(fresh_db, date(2026, 10, 30))
    out = tmp_path / "safe.csv"
    export(fresh_db, out, fmt="csv")
    text = out.read_text(encoding="utf-8-sig")
    assert_nothing_personal(text)
    for kind in SECRETS:
        placeholder = "[Person A]" if kind == "Person" else f"[{kind} 1]"
        assert placeholder in text, placeholder  # the same placeholder in summary and narrative


def test_briefing_removes_every_kind(fresh_db: sqlite_utils.Database, tmp_path: Path) -> None:
    panel = seed_panel_period(fresh_db)
    finding_id = planted(fresh_db, date(2026, 10, 30))
    marked = PanelItem(kind=PanelItemKind.FINDING, ref=finding_id)
    set_item_marked(fresh_db, panel.id, marked, True)
    path = write_briefing(build_briefing(fresh_db, panel, TODAY), tmp_path / "briefing.docx")
    text = document_text(path)
    assert_nothing_personal(text)
    assert "[address 1]" in text and "[phone 1]" in text  # quoted, and redacted


def test_bulletin_removes_every_kind(fresh_db: sqlite_utils.Database, tmp_path: Path) -> None:
    seed_panel_period(fresh_db)
    planted(fresh_db, TODAY)
    bulletin = build_bulletin(fresh_db, "professional_curiosity", TODAY)
    text = document_text(write_bulletin(bulletin, tmp_path / "bulletin.docx"))
    assert_nothing_personal(text)
    assert "[address 1]" in text  # quoted, and redacted


def test_a_quote_cut_short_never_keeps_part_of_a_number(
    fresh_db: sqlite_utils.Database, tmp_path: Path
) -> None:
    # The phone number straddles the bulletin's 200-character quote limit: redacting only the
    # trimmed sentence would leave "07700" behind.
    narrative = (
        "The practitioner accepted his account at face value and did not request police call-out "
        "information or check with the family, the school or the housing provider before "
        "visits; his mobile was 07700 900123 and he gave no other."
    )
    seed_panel_period(fresh_db)
    save_finding(fresh_db, weakness(TODAY, 1, narrative=narrative), today=TODAY)
    bulletin = build_bulletin(fresh_db, "professional_curiosity", TODAY)
    text = document_text(write_bulletin(bulletin, tmp_path / "bulletin.docx"))
    assert "housing provider" in text  # the sentence is quoted
    assert "07700" not in text and "900123" not in text


UNTITLED = (
    "John Smith lived with Sarah Jones and her son Liam (aged 4). PO Karen Whitfield accepted "
    "his account at face value and did not check with police. His brother Dave said he had "
    "moved out; Mohammed Ali and his partner Emma were seen by Daniel (PO)."
)
UNTITLED_NAMES = ("John", "Smith", "Sarah", "Jones", "Liam", "Karen", "Whitfield", "Dave",
                  "Mohammed", "Ali", "Emma", "Daniel")  # fmt: skip


def planted_untitled(db: sqlite_utils.Database, day: date) -> str:
    """Save a curiosity weakness of an SFO review naming people without titles; its id."""
    finding = weakness(
        day,
        3,
        source_type="sfo_review",
        source_ref="SFO/2026/017 John Smith",
        summary="SFO-2026-005: Assessed as medium RoSH despite police call-outs to the address",
        narrative=UNTITLED,
    )
    save_finding(db, finding, today=TODAY)
    return str(finding.id)


def assert_no_names_or_case_refs(text: str) -> None:
    for name in UNTITLED_NAMES:
        assert name not in text, name
    assert "SFO-2026" not in text and "SFO/2026" not in text
    assert "[Name" in text  # placeholders, not silent deletion


def test_briefing_names_no_one_found_without_a_title(
    fresh_db: sqlite_utils.Database, tmp_path: Path
) -> None:
    panel = seed_panel_period(fresh_db)
    finding_id = planted_untitled(fresh_db, date(2026, 10, 30))
    marked = PanelItem(kind=PanelItemKind.FINDING, ref=finding_id)
    set_item_marked(fresh_db, panel.id, marked, True)
    path = write_briefing(build_briefing(fresh_db, panel, TODAY), tmp_path / "briefing.docx")
    text = document_text(path)
    assert_no_names_or_case_refs(text)
    assert "PO [Name" in text  # the role stays
    # Theme names, agencies and practice words survive.
    for kept in ("Lack of professional curiosity", "South Central", "Assessed as medium RoSH"):
        assert kept in text, kept


def test_bulletin_names_no_one_found_without_a_title(
    fresh_db: sqlite_utils.Database, tmp_path: Path
) -> None:
    seed_panel_period(fresh_db)
    planted_untitled(fresh_db, TODAY)
    bulletin = build_bulletin(fresh_db, "professional_curiosity", TODAY)
    text = document_text(write_bulletin(bulletin, tmp_path / "bulletin.docx"))
    assert_no_names_or_case_refs(text)
    assert "accepted his account at face value" in text
