"""Timings of the learning-actions queries (list, digest, impact) over many findings."""

from __future__ import annotations

import random
import sys
import tempfile
import time
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

from db.actions_impact import completed_impacts
from db.actions_store import actions_digest, create_action, list_actions, set_status
from db.bulk import bulk_insert_findings
from db.connection import open_db
from db.reference import list_pdus, list_themes
from findings.actions import ActionStatus, LearningAction
from findings.models import Finding, Polarity, Rosh, SourceType, Stage, ThemeTag

TODAY = date(2026, 11, 26)


def synthetic_findings(count: int, pdus: list[str], themes: list[str]) -> Iterator[Finding]:
    rng = random.Random(7)
    for i in range(count):
        day = TODAY - timedelta(days=rng.randrange(365))
        yield Finding.model_construct(
            source_type=SourceType.AUDIT,
            source_ref=f"B-{i}",
            pdu=rng.choice(pdus),
            event_date=day,
            recorded_date=day,
            stage=Stage.ASSESSMENT,
            polarity=Polarity.WEAKNESS if rng.random() < 0.8 else Polarity.STRENGTH,
            summary="Synthetic benchmark finding",
            narrative="",
            rosh=Rosh.UNKNOWN,
            crn=None,
            themes=[ThemeTag(slug=s) for s in rng.sample(themes, 2)],
            details={},
            recorded_by="bench",
        )


def timed(label: str, fn, rows: list[tuple[str, str]]) -> object:  # noqa: ANN001
    start = time.perf_counter()
    result = fn()
    rows.append((label, f"{(time.perf_counter() - start) * 1000:,.0f} ms"))
    return result


def main(findings: int) -> None:
    rows: list[tuple[str, str]] = []
    with tempfile.TemporaryDirectory() as folder:
        db = open_db(Path(folder) / "bench.db")
        pdus = [p.code for p in list_pdus(db)]
        themes = [t.slug for t in list_themes(db)]
        timed(
            f"insert {findings:,} findings",
            lambda: bulk_insert_findings(db, synthetic_findings(findings, pdus, themes)),
            rows,
        )
        rng = random.Random(3)

        def add_actions() -> None:
            for i in range(200):
                created = TODAY - timedelta(days=rng.randrange(100, 300))
                action = create_action(
                    db,
                    LearningAction(
                        title=f"Action {i}",
                        owner=f"Owner {i % 9}",
                        scope=rng.choice(["region", *pdus]),
                        themes=rng.sample(themes, 2),
                        created_on=created,
                        due_date=created + timedelta(days=rng.randrange(30, 200)),
                    ),
                )
                if i % 3 == 0:
                    set_status(
                        db,
                        action.id,
                        ActionStatus.DONE,
                        expected_version=1,
                        today=TODAY,
                        evidence="bench",
                        completed_on=created + timedelta(days=20),
                    )

        timed("create 200 actions (67 done)", add_actions, rows)
        timed("list all actions", lambda: list_actions(db, today=TODAY), rows)
        timed(
            "panel digest",
            lambda: actions_digest(
                db,
                period_start=TODAY - timedelta(days=60),
                period_end=TODAY,
                next_panel_on=TODAY + timedelta(days=60),
                today=TODAY,
            ),
            rows,
        )
        timed("impact of every done action", lambda: completed_impacts(db, today=TODAY), rows)
        db.close()
    width = max(len(label) for label, _ in rows)
    for label, value in rows:
        print(f"{label.ljust(width)}  {value.rjust(10)}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 100_000)
