"""Redaction: personal data in free text becomes stable placeholders; vocabulary survives."""

from __future__ import annotations

import pytest
import sqlite_utils

from db.history import history_for
from db.redact_store import redact_names, redactor_for, set_redact_names
from findings.redact import Redactor, redact


@pytest.mark.parametrize(
    ("text", "gone", "placeholder"),
    [
        ("CRN X123456 was allocated.", "X123456", "[CRN 1]"),
        ("crn x123456", "x123456", "[CRN 1]"),
        ("PNC 2019/0123456A held.", "2019/0123456A", "[PNC 1]"),
        ("PNC 19/123456Z held.", "19/123456Z", "[PNC 1]"),
        ("DOB 01/02/1990.", "01/02/1990", "DOB [DOB 1]"),
        ("d.o.b. 1990-02-01", "1990-02-01", "[DOB 1]"),
        ("Date of birth: 1 February 1990", "1 February 1990", "[DOB 1]"),
        ("He was born on 3rd March 1985 in Reading.", "3rd March 1985", "born on [DOB 1]"),
        ("Lives at OX1 2JD with his mother.", "OX1 2JD", "[postcode 1]"),
        ("moved to so15 2ab last year", "so15 2ab", "[postcode 1]"),
        ("Mr John Smith attended.", "Smith", "[Person A] attended"),
        ("Seen by Dr Patel.", "Patel", "[Person A]"),
        ("Mx Lee-Hart and Miss Zoë Ångström", "Ångström", "[Person B]"),
        ("Ms O'Brien declined.", "O'Brien", "[Person A]"),
        ("Mr J. Doe was seen.", "Doe", "[Person A] was seen"),
        ("MR SMITH refused.", "SMITH", "[Person A]"),
        ("Seen at 14 Acacia Road, SO14 2AB.", "14 Acacia Road", "at [address 1], [postcode 1]."),
        ("Lives at Flat 3, 14a St Mary's road", "Mary", "at [address 1]"),
        ("Call 07700 900123 today", "900123", "Call [phone 1] today"),
        ("Tel: +44 (0)20 7946 0958.", "7946", "Tel: [phone 1]."),
        ("Email jo.bloggs@example.co.uk now", "bloggs", "Email [email 1] now"),
        ("NI number QQ 12 34 56 C held", "QQ 12", "number [NI number 1] held"),
        ("Prison number A1234BC on release", "A1234BC", "[prison number 1] on release"),
        ("He was born on the third of March 1990.", "March 1990", "born on [DOB 1]."),
        ("DOB 3 March 1990", "3 March", "DOB [DOB 1]"),
        ("date of birth: 21st June 1985", "1985", "date of birth: [DOB 1]"),
        ("SFO-2026-005: Assessed as medium RoSH", "2026-005", "[SFO review ref]: Assessed as"),
        ("SFO/2026/017 John was seen", "017", "[SFO review ref] [Name A] was seen"),
        ("Learning from SFO 2026-05 was shared", "2026-05", "from [SFO review ref] was"),
        ("see SFO review 26/017.", "26/017", "see [SFO review ref]."),
    ],
)
def test_personal_data_is_replaced(text: str, gone: str, placeholder: str) -> None:
    out = redact(text)
    assert gone not in out
    assert placeholder in out


def test_same_value_gets_same_placeholder_within_one_document() -> None:
    out = redact(
        "Mr John Smith (X123456) met Mrs Jane Smith. John was late; X123456 and Y654321. "
        "Smith's phone was off. Mr Smith left."
    )
    assert out.count("[CRN 1]") == 2 and "[CRN 2]" in out
    assert out.count("[Person A]") == 4  # Mr John Smith, John, Smith's, Mr Smith
    assert "[Person B]" in out  # Mrs Jane Smith is someone else
    assert "John" not in out and "Smith" not in out


def test_redactor_keeps_placeholders_across_fields() -> None:
    redactor = Redactor()
    assert redactor.redact("Mr Adams, CRN A111111") == "[Person A], CRN [CRN 1]"
    assert redactor.redact("A111111 and Mr Brown") == "[CRN 1] and [Person B]"
    assert redactor.redact_value({"note": ["Adams again"]}) == {"note": ["[Person A] again"]}
    assert redact("Mr Brown") == "[Person A]"  # a fresh document starts again


def test_listed_names_are_removed_whole_and_in_part() -> None:
    out = redact(
        "Kelly Marsh called; kelly marsh again; Kelly later. MARSH?",
        extra_names=["Kelly Marsh", "  "],
    )
    assert "Kelly" not in out and "kelly" not in out
    assert out.startswith("[Person A] called; [Person A] again; [Person A] later")


@pytest.mark.parametrize(
    "text",
    [
        "MAPPA level 2 with RoSH high; ViSOR record updated by the SPO.",
        "Referred to Building Choices; the Probation Officer liaised with Police.",
        "Southampton, Eastleigh and New Forest PDU; Portsmouth and the Isle of Wight.",
        "Reviewed on 01/02/2026 after the arrest; 3 RAR days delivered.",
        "Use MS Teams on the 2nd floor in Q1 2026; PO Box returned.",
        "Dr The review found nothing.",
        "Moved to Approved Premises; seen at Crown Court, then Probation Way, within 14 days.",
        "Section 20 of the Children Act; Tier 3; MAPPA level 2; 3 Crown Court hearings.",
        "2 High Court judgments and 5 Magistrates Court lists were read.",
        "Recalled on 01/02/2026 with 2 Probation Way officers; 12 sessions of 90 minutes.",
        "In 2019 12,400 people were supervised; 0.5% were recalled within 28 days.",
        # agencies, services, months and weekdays
        "In June and on Monday the Probation Service, Children's Services, Police and the Crown "
        "Court met; the Approved Premises and the Youth Offending Team agreed in September.",
        # acronyms and roles
        "MAPPA, OASys, nDelius, HMPPS, NPS and CRC records; the PO, SPO, PSO and PP met. I asked.",
        # sentence openers that are ordinary words, and audit and inspection references
        "Inspectors found RoSH set too low. Furthermore, Overall and Similarly stay.",
        "Audit AUD-2026-Q1-001 and inspection HMIP-2026-01 found the Risk Management Plan weak.",
    ],
)
def test_inspection_vocabulary_is_kept(text: str) -> None:
    assert redact(text) == text


def test_empty_and_plain_text_unchanged() -> None:
    assert redact("") == ""
    assert redact("no personal data here") == "no personal data here"


def test_listed_names_are_stored_cleaned_and_recorded(fresh_db: sqlite_utils.Database) -> None:
    assert redact_names(fresh_db) == []
    stored = set_redact_names(fresh_db, ["Kelly Marsh", "kelly marsh", " ", "Ann\x00 Lee"])
    assert stored == ["Kelly Marsh", "Ann Lee"]
    assert redact_names(fresh_db) == stored
    assert redactor_for(fresh_db).redact("Ann Lee met Kelly") == "[Person A] met [Person B]"
    entries = history_for(fresh_db, "settings", "redact_names")
    assert entries and "Kelly" not in str(entries[-1].after)


def test_place_words_are_names_after_a_title_but_never_alone() -> None:
    assert redact("Mr West moved to West Berkshire.") == "[Person A] moved to West Berkshire."


def test_new_kinds_keep_one_placeholder_per_value_within_a_document() -> None:
    redactor = Redactor()
    first = redactor.redact("At 14 Acacia Road; call 07700 900123; 9 Elm Close.")
    again = redactor.redact("Still at 14 Acacia ROAD? Call 07700900123.")
    assert first == "At [address 1]; call [phone 1]; [address 2]."
    assert again == "Still at [address 1]? Call [phone 1]."
    # One number or date however it is written.
    assert (
        redactor.redact("Mobile +44 7700 900123, DOB 03/03/1990") == "Mobile [phone 1], DOB [DOB 1]"
    )
    assert redactor.redact("born on the third of March 1990 (DOB March 3, 1990)") == (
        "born on [DOB 1] (DOB [DOB 1])"
    )
    assert redactor.redact("DOB 04/03/1990") == "DOB [DOB 2]"  # 4 March: day first, as in the UK


def test_matches_name_what_redaction_replaces() -> None:
    assert Redactor().matches("Mr Bloggs, 07700 900123.") == [
        ("Mr Bloggs", "[Person A]"),
        ("07700 900123", "[phone 1]"),
    ]


def test_names_without_a_title_are_removed() -> None:
    out = redact(
        "John Smith, CRN X654321, lived with Sarah Jones and her son Liam (aged 4). PO Karen "
        "Whitfield did not check with police. His brother Dave said he had moved out."
    )
    assert out == (
        "[Name A], CRN [CRN 1], lived with [Name B] and her son [Name C] (aged 4). PO [Name D] "
        "did not check with police. His brother [Name E] said he had moved out."
    )
    assert redact(
        "Mohammed Ali and his partner Emma were seen by Daniel (PO). The victim, Chloe Brown, "
        "was not contacted."
    ) == (
        "[Name A] and his partner [Name B] were seen by [Name C] (PO). The victim, [Name D], was "
        "not contacted."
    )


def test_a_sentence_may_begin_with_a_name_or_an_ordinary_word() -> None:
    assert redact("Liam said he was fine. Inspectors found no plan.") == (
        "[Name A] said he was fine. Inspectors found no plan."
    )
    # An ordinary word next to a name is part of it, except a sentence's first word.
    assert redact("Although Whitfield agreed, his friend Karen Young did not.") == (
        "Although [Name A] agreed, his friend [Name B] did not."
    )


def test_possessives_keep_their_ending_and_the_person_their_placeholder() -> None:
    assert redact("Liam's school was not contacted; Liam’s mother and Jones' car.") == (
        "[Name A]'s school was not contacted; [Name A]’s mother and [Name B]' car."
    )


def test_a_role_before_a_name_stays_and_the_name_goes() -> None:
    redactor = Redactor()
    assert redactor.redact("PO Karen Whitfield left; PO Whitfield, SPO Jones and PO Will met.") == (
        "PO [Name A] left; PO [Name A], SPO [Name B] and PO [Name C] met."
    )
    assert redactor.redact("Whitfield returned the PO Box key to the SPO Team.") == (
        "[Name A] returned the PO Box key to the SPO Team."
    )


def test_a_titled_person_keeps_one_placeholder_when_named_without_the_title() -> None:
    out = redact("Mr John Smith attended. John Smith was late; Smith's phone was off.")
    assert out == "[Person A] attended. [Person A] was late; [Person A]'s phone was off."


def test_the_common_word_list_is_that_of_the_shipped_text() -> None:
    from findings.common_words import common_words, lower_case_words, shipped_texts

    assert lower_case_words(shipped_texts()) <= common_words(), (
        "findings/data/common_words.txt is stale: run `python -m findings.common_words`"
    )
    assert {"inspectors", "assessment", "police"} <= common_words()
    assert not {"liam", "smith", "whitfield", "dave"} & common_words()
