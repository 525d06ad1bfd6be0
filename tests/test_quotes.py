"""Quoting a finding in a briefing or bulletin: the sentence that shows the theme, alone."""

from __future__ import annotations

from panels.text import keywords, quotable

CURIOSITY = keywords("Lack of professional curiosity", "accepted his account, did not check")


def test_the_sentence_that_names_the_theme_is_quoted() -> None:
    narrative = (
        "He was subject to licence after a short custodial sentence. "
        "The officer accepted his account that he had moved out and did not check."
    )
    assert quotable(narrative, CURIOSITY, 200).startswith("The officer accepted his account")


def test_a_narrative_of_context_alone_quotes_the_summary_instead() -> None:
    narrative = (
        "The man was subject to a community order with a rehabilitation activity requirement "
        "and was assessed using the regional case assessment tool."
    )
    summary = "His account of the relationship was accepted without any check"
    assert quotable(narrative, CURIOSITY, 200, fallback=summary) == summary


def test_an_opening_that_points_back_is_dropped() -> None:
    narrative = "Furthermore, the officer accepted his account without a check."
    assert (
        quotable(narrative, CURIOSITY, 200) == "The officer accepted his account without a check."
    )
