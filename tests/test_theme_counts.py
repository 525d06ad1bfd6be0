"""The per-day and per-month theme counts stay equal to a recount through every kind of write."""

from __future__ import annotations

import random
import uuid
from datetime import date, timedelta
from pathlib import Path

import pytest
import sqlite_utils
from hypothesis import given, settings
from hypothesis import strategies as st

from db.bulk import bulk_insert_findings
from db.checks import run_checks
from db.findings_store import delete_finding, get_finding, restore_finding, save_finding
from db.schema import MIGRATIONS
from db.theme_counts import (
    count_mismatches,
    day_month_mismatches,
    monthly_total_mismatches,
    pair_totals,
    period_spans,
    theme_breakdown,
    theme_totals,
)
from db.themes_store import merge_themes
from findings.models import Finding, ThemeTag
from tests.factories import TODAY, make_finding

SLUGS = ("risk_assessment", "information_sharing", "workload", "professional_curiosity")


def _recount(db: sqlite_utils.Database, start: date, end: date) -> dict[str, int]:
    rows = db.execute(
        "SELECT t.theme_slug, count(*) FROM findings f JOIN finding_themes t "
        "ON t.finding_seq = f.seq WHERE f.event_date BETWEEN ? AND ? "
        "AND f.polarity = 'weakness' AND f.deleted_at IS NULL GROUP BY 1",
        [start.isoformat(), end.isoformat()],
    ).fetchall()
    found = int(
        db.execute(
            "SELECT count(*) FROM findings f WHERE f.event_date BETWEEN ? AND ? "
            "AND f.polarity = 'weakness' AND f.deleted_at IS NULL",
            [start.isoformat(), end.isoformat()],
        ).fetchone()[0]
    )
    return {**dict(rows), **({"": found} if found else {})}


def _random_findings(count: int, seed: int) -> list:
    rng = random.Random(seed)
    return [
        make_finding(
            id=uuid.UUID(int=rng.getrandbits(128), version=4),
            event_date=date(2025, 1, 1) + timedelta(days=rng.randrange(600)),
            recorded_date=date(2026, 10, 1),
            polarity=rng.choice(("weakness", "weakness", "strength")),
            source_type=rng.choice(("sfo_review", "audit", "complaint")),
            pdu=rng.choice(("oxfordshire", "bucks_mk")),
            themes=[ThemeTag(slug=s) for s in rng.sample(SLUGS, rng.randint(0, 3))],
        )
        for _ in range(count)
    ]


def test_counts_follow_every_kind_of_write(fresh_db: sqlite_utils.Database) -> None:
    findings = _random_findings(60, seed=3)
    bulk_insert_findings(fresh_db, findings[:30])
    assert count_mismatches(fresh_db) == 0
    for finding in findings[30:]:
        save_finding(fresh_db, finding, today=TODAY)
    assert count_mismatches(fresh_db) == 0
    # Edit: new themes, the other polarity, another day, PDU and source.
    stored = get_finding(fresh_db, findings[31].id)
    assert stored is not None
    save_finding(
        fresh_db,
        Finding.model_validate(
            {
                **stored.model_dump(),
                "themes": [ThemeTag(slug="workload"), ThemeTag(slug="risk_assessment")],
                "polarity": "weakness",
                "event_date": date(2026, 2, 3),
                "pdu": "bucks_mk",
                "source_type": "audit",
            }
        ),
        today=TODAY,
    )
    assert count_mismatches(fresh_db) == 0
    delete_finding(fresh_db, findings[32].id)
    delete_finding(fresh_db, findings[2].id)
    assert count_mismatches(fresh_db) == 0
    restore_finding(fresh_db, findings[2].id)
    assert count_mismatches(fresh_db) == 0
    merge_themes(fresh_db, "workload", "risk_assessment")
    assert count_mismatches(fresh_db) == 0
    fresh_db.execute("DELETE FROM findings WHERE id = ?", [str(findings[40].id)])
    assert count_mismatches(fresh_db) == 0
    assert theme_totals(fresh_db, date(2025, 1, 1), date(2026, 12, 31)) == _recount(
        fresh_db, date(2025, 1, 1), date(2026, 12, 31)
    )


def test_a_kept_count_out_of_step_is_found(fresh_db: sqlite_utils.Database) -> None:
    bulk_insert_findings(fresh_db, _random_findings(10, seed=5))
    fresh_db.execute(
        "UPDATE theme_counts SET n = n + 1 WHERE (grain, period, theme_slug) IN "
        "(SELECT grain, period, theme_slug FROM theme_counts WHERE grain = 'm' LIMIT 1)"
    )
    assert count_mismatches(fresh_db) >= 1


def _bump(db: sqlite_utils.Database, where: str) -> None:
    """Add one to the kept theme count rows of a PDU-and-source tag of one day or month."""
    db.execute(
        "UPDATE theme_counts SET n = n + 1 WHERE kind = 'f' AND theme_slug = ? AND pdu = ? "
        f"AND {where}",
        ["workload", "bucks_mk"],
    )


@pytest.fixture()
def ten_month_db(fresh_db: sqlite_utils.Database) -> sqlite_utils.Database:
    findings = _random_findings(60, seed=9)
    for number, finding in enumerate(findings):
        finding.event_date = date(2025, 1 + number % 10, 1 + number % 27)
        finding.polarity = "weakness"
        finding.pdu = "bucks_mk"
        finding.source_type = "audit"
        finding.themes = [ThemeTag(slug="workload")]
    bulk_insert_findings(fresh_db, findings)
    return fresh_db


def test_the_cheap_checks_find_a_day_out_of_step_with_its_month_or_a_wrong_month_total(
    ten_month_db: sqlite_utils.Database,
) -> None:
    db = ten_month_db
    assert monthly_total_mismatches(db) == day_month_mismatches(db) == 0
    _bump(db, "grain = 'd' AND period = '2025-03-03'")
    # The daily row and the month's sum of days each lack the other's value.
    assert day_month_mismatches(db) == 2
    assert monthly_total_mismatches(db) == 0
    _bump(db, "grain = 'm' AND period = '2025-03'")
    # The month agrees with its days again, but no longer with its rolled-up rows (by PDU, by
    # source type, in all), each of which lacks the other's value.
    assert day_month_mismatches(db) == 3 * 2
    db.execute(
        "UPDATE theme_counts SET n = n + 1 WHERE grain = 'm' AND kind != 'f' "
        "AND period = '2025-03' AND theme_slug = 'workload'"
    )
    assert day_month_mismatches(db) == 0
    db.execute(
        "UPDATE theme_counts SET n = n - 1 WHERE grain = 'm' AND kind = 't' AND period = '2025-07' "
        "AND theme_slug = ''"
    )
    assert monthly_total_mismatches(db) == 2


def test_a_day_recount_checks_that_day_only(ten_month_db: sqlite_utils.Database) -> None:
    db = ten_month_db
    _bump(db, "period IN ('2025-03-03', '2025-03')")
    assert count_mismatches(db, ["2025-02-02", "2025-04-04"]) == 0
    assert count_mismatches(db, ["2025-03-03"]) == 2
    assert count_mismatches(db) == 4


def test_leap_check_samples_days_and_finds_a_day_out_of_step(
    ten_month_db: sqlite_utils.Database,
) -> None:
    db = ten_month_db
    report = run_checks(db, rng=random.Random(4))
    assert report.ok
    assert "a full recount of 10 random day(s)" in " ".join(report.passed)
    _bump(db, "grain = 'd' AND period = '2025-05-05'")
    report = run_checks(db, rng=random.Random(4))
    assert "differ from a recount" in " ".join(report.problems)


@pytest.mark.parametrize(
    ("start", "end", "spans"),
    [
        (
            date(2026, 9, 27),
            date(2026, 11, 26),
            [
                ("m", "2026-10", "2026-10"),
                ("d", "2026-09-27", "2026-09-30"),
                ("d", "2026-11-01", "2026-11-26"),
            ],
        ),
        (date(2026, 9, 1), date(2026, 10, 31), [("m", "2026-09", "2026-10")]),
        (date(2026, 9, 2), date(2026, 10, 30), [("d", "2026-09-02", "2026-10-30")]),
        (date(2024, 2, 29), date(2024, 2, 29), [("d", "2024-02-29", "2024-02-29")]),
    ],
)
def test_period_spans_whole_months_and_edge_days(
    start: date, end: date, spans: list[tuple[str, str, str]]
) -> None:
    assert sorted(period_spans(start, end)) == sorted(spans)


@pytest.fixture(scope="module")
def counted_db(tmp_path_factory: pytest.TempPathFactory) -> sqlite_utils.Database:
    from db.connection import open_db

    db = open_db(tmp_path_factory.mktemp("counts") / "leap.db")
    bulk_insert_findings(db, _random_findings(400, seed=11))
    return db


@settings(max_examples=60, deadline=None)
@given(
    first=st.dates(date(2024, 12, 1), date(2026, 10, 1)),
    days=st.integers(0, 420),
)
def test_any_period_counts_match_the_findings(
    counted_db: sqlite_utils.Database, first: date, days: int
) -> None:
    last = first + timedelta(days=days)
    assert theme_totals(counted_db, first, last) == _recount(counted_db, first, last)
    pairs = pair_totals(counted_db, first, last, pdu="bucks_mk")
    assert all(a < b and n > 0 for a, b, n in pairs)
    together = counted_db.execute(
        "SELECT a.theme_slug, b.theme_slug, count(*) FROM findings f "
        "JOIN finding_themes a ON a.finding_seq = f.seq "
        "JOIN finding_themes b ON b.finding_seq = f.seq AND a.theme_slug < b.theme_slug "
        "WHERE f.event_date BETWEEN ? AND ? AND f.polarity = 'weakness' "
        "AND f.deleted_at IS NULL GROUP BY 1, 2",
        [first.isoformat(), last.isoformat()],
    ).fetchall()
    assert sorted(pair_totals(counted_db, first, last)) == sorted(together)
    counts, sources, pdus = theme_breakdown(counted_db, first, last)
    rows = counted_db.execute(
        "SELECT t.theme_slug, group_concat(DISTINCT f.source_type), group_concat(DISTINCT f.pdu) "
        "FROM findings f JOIN finding_themes t ON t.finding_seq = f.seq "
        "WHERE f.event_date BETWEEN ? AND ? AND f.polarity = 'weakness' "
        "AND f.deleted_at IS NULL GROUP BY 1",
        [first.isoformat(), last.isoformat()],
    ).fetchall()
    assert {s: sources[s] for s in sources if s} == {r[0]: set(r[1].split(",")) for r in rows}
    assert {s: pdus[s] for s in pdus if s} == {r[0]: set(r[2].split(",")) for r in rows}


def test_leap_check_reports_and_recount_repairs(
    seeded_db: sqlite_utils.Database, capsys: pytest.CaptureFixture[str]
) -> None:
    from tui.cli import main

    path = seeded_db.execute("PRAGMA database_list").fetchone()[2]
    seeded_db.execute("UPDATE theme_counts SET n = n + 2 WHERE theme_slug != ''")
    seeded_db.conn.commit()
    assert main(["--db", path, "check"]) == 1
    assert "differ from a recount" in capsys.readouterr().out
    assert main(["--db", path, "check", "--recount"]) == 0
    out = capsys.readouterr().out
    assert "Rebuilt the theme counts" in out and "agree with each month's total" in out
    assert "`leap check --full` recounts every day" in out
    assert main(["--db", path, "check", "--full"]) == 0
    assert "agree with a recount of every day and month" in capsys.readouterr().out


def test_files_with_every_kind_of_daily_row_upgrade_to_the_lean_days(tmp_path: Path) -> None:
    from db.connection import open_db

    path = tmp_path / "old.db"
    db = sqlite_utils.Database(path)
    MIGRATIONS.apply(db, stop_before="m012_lean_day_counts")
    bulk_insert_findings(db, _random_findings(80, seed=12))
    # Before m012 every kind of row was kept by day too, by triggers that wrote them.
    db.execute(
        "INSERT INTO theme_counts SELECT 'd', k.rolled, c.period, c.region, "
        "CASE WHEN k.rolled = 'p' THEN c.pdu ELSE '' END, "
        "CASE WHEN k.rolled = 's' THEN c.source_type ELSE '' END, c.theme_slug, sum(c.n) "
        "FROM theme_counts c, (SELECT 'p' AS rolled UNION ALL SELECT 's' UNION ALL SELECT 't') k "
        "WHERE c.grain = 'd' AND c.kind = 'f' GROUP BY 2, 3, 4, 5, 6, 7"
    )
    db.execute(
        "INSERT INTO theme_pair_counts SELECT 'd', 't', period, region, '', first_slug, "
        "second_slug, sum(n) FROM theme_pair_counts WHERE grain = 'd' AND kind = 'p' "
        "GROUP BY 3, 4, 6, 7"
    )
    db.execute("DROP TRIGGER theme_counts_finding_ai")
    db.execute(
        "CREATE TRIGGER theme_counts_finding_ai AFTER INSERT ON findings BEGIN "
        "INSERT INTO theme_counts VALUES ('d', 't', NEW.event_date, NEW.region, '', '', '', 1) "
        "ON CONFLICT DO UPDATE SET n = n + 1; END"
    )
    db.conn.commit()
    db.close()

    db = open_db(path)
    try:
        daily = db.execute(
            "SELECT 'themes', kind FROM theme_counts WHERE grain = 'd' UNION "
            "SELECT 'pairs', kind FROM theme_pair_counts WHERE grain = 'd'"
        ).fetchall()
        assert sorted(daily) == [("pairs", "p"), ("themes", "f")]
        assert count_mismatches(db) == 0
        assert run_checks(db, rng=random.Random(1)).ok
        # The triggers keep the lean layout from now on.
        for finding in _random_findings(10, seed=13):
            save_finding(db, finding, today=TODAY)
        assert count_mismatches(db) == 0
        first, last = date(2025, 2, 11), date(2026, 3, 17)
        assert theme_totals(db, first, last) == _recount(db, first, last)
    finally:
        db.close()
