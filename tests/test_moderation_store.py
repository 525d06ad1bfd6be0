"""Moderation rounds in the store: the draw, blind codings, agreed codings, checks and export."""

from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path

import pytest
import sqlite_utils

from db.checks import run_checks
from db.exporter import export
from db.findings_store import delete_finding, get_finding, save_finding
from db.history import history_for
from db.moderation_store import (
    ModerationError,
    get_round,
    low_agreement_themes,
    record_decision,
    save_coding,
    start_round,
)
from findings.models import TagOrigin
from findings.moderation import round_agreement
from tests.factories import TODAY, make_finding
from tests.moderation_data import END, FIRST_CODER, SECOND_CODER, START, seed_moderation_period


def _start(db: sqlite_utils.Database, size: int = 6, seed: int = 5, coder: str = SECOND_CODER):
    return start_round(
        db, period_start=START, period_end=END, coder=coder, size=size, seed=seed, actor="lead"
    )


def test_round_draws_a_seeded_sample_stratified_by_source(fresh_db: sqlite_utils.Database) -> None:
    seed_moderation_period(fresh_db)
    started = _start(fresh_db)
    r = started.round
    assert started.messages == []
    assert len(r.items) == 6 and r.seed == 5 and r.coder == SECOND_CODER
    assert Counter(i.source_type for i in r.items) == {"sfo_review": 2, "audit": 2, "complaint": 2}
    # The first coding is kept as drawn: themes, polarity and who recorded it.
    audit = next(i for i in r.items if i.source_type == "audit")
    assert audit.first_themes == {"risk_assessment", "information_sharing"}
    assert audit.first_coder == FIRST_CODER and audit.first_polarity == "weakness"
    # The same seed over the same findings draws the same sample.
    again = _start(fresh_db).round
    assert [i.finding_id for i in again.items] == [i.finding_id for i in r.items]
    assert r.progress == "0 of 6" and r.status == "in progress"


def test_sample_larger_than_the_period_takes_everything_and_says_so(
    fresh_db: sqlite_utils.Database,
) -> None:
    seed_moderation_period(fresh_db, count=4)
    started = _start(fresh_db, size=20)
    assert len(started.round.items) == 4
    assert "only 4 findings" in started.messages[0] and "asked for 20" in started.messages[0]
    assert "only 4 findings" in started.round.note


def test_the_first_coder_cannot_be_the_second(fresh_db: sqlite_utils.Database) -> None:
    seed_moderation_period(fresh_db, count=4)
    with pytest.raises(ModerationError, match="must be someone other than the first"):
        _start(fresh_db, coder="  alex   FIRST ")
    assert fresh_db.execute("SELECT count(*) FROM moderation_rounds").fetchone()[0] == 0


def test_a_coders_own_findings_are_left_out(fresh_db: sqlite_utils.Database) -> None:
    seed_moderation_period(fresh_db, count=4)
    own = make_finding(
        event_date=START, recorded_date=START, recorded_by=SECOND_CODER, source_ref="OWN-1"
    )
    own_id = str(save_finding(fresh_db, own, today=TODAY).id)
    started = _start(fresh_db, size=10)
    assert own_id not in {i.finding_id for i in started.round.items}
    assert any("1 findings recorded by Sam Second were left out" in m for m in started.messages)


@pytest.mark.parametrize(
    ("size", "coder", "message"),
    [(0, SECOND_CODER, "size"), (501, SECOND_CODER, "size"), (5, "  ", "coder")],
)
def test_bad_requests_are_refused(
    fresh_db: sqlite_utils.Database, size: int, coder: str, message: str
) -> None:
    seed_moderation_period(fresh_db, count=3)
    with pytest.raises(ModerationError, match=f"^{message}:"):
        _start(fresh_db, size=size, coder=coder)


def test_empty_period_is_refused(fresh_db: sqlite_utils.Database) -> None:
    with pytest.raises(ModerationError, match="no findings"):
        _start(fresh_db)


def test_blind_coding_progress_completion_and_agreement(fresh_db: sqlite_utils.Database) -> None:
    seed_moderation_period(fresh_db, count=6)
    r = _start(fresh_db, size=6).round
    for item in r.items:
        # The second coder agrees except on curiosity, which they read as risk assessment.
        themes = set(item.first_themes)
        if "professional_curiosity" in themes:
            themes = {"risk_assessment"}
        r = save_coding(fresh_db, r.id, item.position, themes, item.first_polarity)
    assert r.complete and r.progress == "6 of 6" and r.status == "complete"
    assert len(r.disagreements) == 2
    agreement = round_agreement(r).coders
    ra = agreement.theme("risk_assessment")
    assert ra is not None and (ra.both, ra.first_only, ra.second_only, ra.neither) == (2, 0, 2, 2)
    # Pooled over 3 themes x 6 findings: both 4, first only 2, second only 2, neither 10.
    assert agreement.micro_f1 == pytest.approx(8 / 12)


def test_coding_refuses_unknown_themes_and_bad_polarity(fresh_db: sqlite_utils.Database) -> None:
    seed_moderation_period(fresh_db, count=3)
    r = _start(fresh_db, size=3).round
    with pytest.raises(ModerationError, match="themes: unknown theme"):
        save_coding(fresh_db, r.id, 1, ["no_such_theme"], "weakness")
    with pytest.raises(ModerationError, match="polarity"):
        save_coding(fresh_db, r.id, 1, [], "mixed")
    with pytest.raises(ModerationError, match="no moderation round 99"):
        save_coding(fresh_db, 99, 1, [], "weakness")


def test_a_finding_deleted_mid_round_is_skipped_and_reported(
    fresh_db: sqlite_utils.Database,
) -> None:
    seed_moderation_period(fresh_db, count=3)
    r = _start(fresh_db, size=3).round
    save_coding(fresh_db, r.id, 1, [], "weakness")
    gone = r.items[1]
    delete_finding(fresh_db, gone.finding_id)
    with pytest.raises(ModerationError, match="deleted after the draw"):
        save_coding(fresh_db, r.id, gone.position, [], "weakness")
    r = save_coding(fresh_db, r.id, 3, [], "weakness")
    assert [i.finding_id for i in r.skipped] == [gone.finding_id]
    assert r.complete and r.progress == "2 of 2"
    assert round_agreement(r).coders.findings == 2


def test_agreed_coding_updates_the_finding_with_history(fresh_db: sqlite_utils.Database) -> None:
    seed_moderation_period(fresh_db, count=3)
    r = _start(fresh_db, size=3).round
    for item in r.items:
        save_coding(fresh_db, r.id, item.position, ["risk_assessment"], "weakness")
    item = next(i for i in get_round(fresh_db, r.id).disagreements)
    r = record_decision(
        fresh_db,
        r.id,
        item.position,
        ["risk_assessment", "professional_curiosity"],
        "weakness",
        note="Both readings hold.",
        actor="QA lead",
    )
    settled = next(i for i in r.items if i.position == item.position)
    assert settled.moderated and settled.note == "Both readings hold."
    finding = get_finding(fresh_db, item.finding_id)
    assert finding is not None and finding.polarity == "weakness"
    assert {(t.slug, t.origin) for t in finding.themes} == {
        ("professional_curiosity", TagOrigin.MODERATED),
        ("risk_assessment", TagOrigin.MODERATED),
    }
    last = history_for(fresh_db, "finding", item.finding_id)[-1]
    assert last.actor == "QA lead" and last.action == "update"
    assert (
        last.after is not None
        and {"slug": "risk_assessment", "origin": "moderated"} in (last.after["themes"])
    )
    # The round's figures still compare the codings as they were made.
    assert settled.first_themes == item.first_themes


def test_low_agreement_themes_are_pooled_over_completed_rounds(
    fresh_db: sqlite_utils.Database,
) -> None:
    seed_moderation_period(fresh_db, count=12)
    r = _start(fresh_db, size=12).round
    assert low_agreement_themes(fresh_db) == {}  # nothing completed yet
    for item in r.items:
        themes = set(item.first_themes)
        if "professional_curiosity" in themes:
            themes = {"risk_assessment"}  # curiosity: both 0, first only 4, second only 0
        save_coding(fresh_db, r.id, item.position, themes, item.first_polarity)
    low = low_agreement_themes(fresh_db)
    assert set(low) == {"risk_assessment"}  # curiosity occurs 4 times: too few to judge
    assert low["risk_assessment"].kappa is not None and low["risk_assessment"].kappa < 0.6


def test_check_reports_broken_moderation_rows(fresh_db: sqlite_utils.Database) -> None:
    seed_moderation_period(fresh_db, count=3)
    r = _start(fresh_db, size=3).round
    save_coding(fresh_db, r.id, 1, ["risk_assessment"], "weakness")
    assert run_checks(fresh_db).ok
    with fresh_db.conn:
        fresh_db.execute(
            "UPDATE moderation_codings SET themes = '[\"gone_theme\"]', polarity = 'mixed'"
        )
        fresh_db.execute("UPDATE moderation_sample SET finding_id = 'nowhere' WHERE position = 2")
    problems = " ".join(run_checks(fresh_db).problems)
    assert "1 moderation codings or agreed codings naming a theme that does not exist" in problems
    assert "1 moderation rounds sampling a finding that does not exist" in problems
    assert "1 moderation codings or polarities that are not weakness or strength" in problems


def test_export_moderation_safe_leaves_out_names(
    fresh_db: sqlite_utils.Database, tmp_path: Path
) -> None:
    seed_moderation_period(fresh_db, count=3)
    r = _start(fresh_db, size=3).round
    save_coding(fresh_db, r.id, 1, ["risk_assessment"], "weakness")
    out = tmp_path / "moderation.csv"
    result = export(fresh_db, out, fmt="csv", what="moderation")
    assert result.rows == 3
    with out.open(encoding="utf-8-sig") as handle:
        rows = list(csv.DictReader(handle))
    assert {row["second_coder"] for row in rows} == {""}
    assert {row["first_coder"] for row in rows} == {""}
    assert rows[0]["second_themes"] == '["risk_assessment"]' and rows[0]["seed"] == "5"
    unsafe = tmp_path / "unsafe.csv"
    export(fresh_db, unsafe, fmt="csv", what="moderation", safe=False)
    assert SECOND_CODER in unsafe.read_text(encoding="utf-8-sig")
