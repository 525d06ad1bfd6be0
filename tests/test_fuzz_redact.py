"""The redactor on random and hostile text: always text back, never a CRN or PNC left."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from findings.redact import CRN_RE, PNC_RE, Redactor, redact

PIECES = st.sampled_from(
    ["Mr", "Mrs", "Dr", "Miss", "Mx", "John", "Smith", "O'Brien", "Lee-Hart", "X123456",
     "2019/0123456A", "19/123456Z", "DOB", "d.o.b.", "born on", "01/02/1990", "1 March 1990",
     "OX1 2JD", "SO15 2AB", "MAPPA", "RoSH", ".", ",", "\n", "(", ")", "[Person A]", "\x00",
     "Ångström", "Zoë"]
)  # fmt: skip
TEXT = st.one_of(
    st.text(max_size=300),
    st.lists(st.one_of(PIECES, st.text(max_size=4)), max_size=40).map(" ".join),
)


@settings(max_examples=400, deadline=None)
@given(TEXT, st.lists(st.text(max_size=20), max_size=3))
def test_redaction_returns_text_with_no_crn_or_pnc(text: str, names: list[str]) -> None:
    out = redact(text, extra_names=names)
    assert isinstance(out, str)
    assert CRN_RE.search(out) is None
    assert PNC_RE.search(out) is None


@settings(max_examples=200, deadline=None)
@given(TEXT)
def test_redaction_is_stable_within_a_document(text: str) -> None:
    redactor = Redactor()
    assert redactor.redact(text) == redactor.redact(text)


def test_huge_hostile_text_is_handled() -> None:
    # Runaway regex backtracking would hang here rather than fail.
    text = ("Mr " * 20_000) + ("A" * 50_000) + " X123456 " + ("d.o.b. " * 5_000)
    out = redact(text)
    assert "X123456" not in out and out.count("d.o.b.") == 5_000
