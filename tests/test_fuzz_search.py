"""Hostile search text (FTS syntax, quotes, control characters) never breaks a search."""

from __future__ import annotations

import sqlite_utils
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from db.findings_store import count_findings, query_findings
from findings.filters import FindingFilter

FTS_PIECES = st.sampled_from(
    ['"', "'", "(", ")", "*", ":", "^", "-", "+", "NEAR", "AND", "OR", "NOT", "NEAR(a b, 2)",
     "summary:", "{summary narrative}:", "\x00", "\\", "%", "_", ";", "--", "/*", "police"]
)  # fmt: skip
QUERY = st.one_of(
    st.text(max_size=200),
    st.lists(st.one_of(FTS_PIECES, st.text(max_size=5)), max_size=12).map(" ".join),
    st.lists(FTS_PIECES, max_size=12).map("".join),
)


@settings(
    max_examples=300,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(QUERY)
@example('"unbalanced AND (')
@example("NEAR(")
@example("*")
@example("x" * 1001)
def test_any_text_searches_or_is_refused_clearly(
    seeded_db: sqlite_utils.Database, text: str
) -> None:
    try:
        flt = FindingFilter(text=text)
    except ValidationError as exc:
        assert "at most 1000 characters" in str(exc)
        return
    rows = query_findings(seeded_db, flt, limit=5)
    assert len(rows) <= count_findings(seeded_db, flt) <= 3
