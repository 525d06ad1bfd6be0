"""Times the findings screen's queries (open, filter, search) over a 1,000,000-finding database.

Usage: python benchmarks/bench_findings_ui.py [--findings N] [--db PATH] [--rebuild]

The database is cached under /tmp and reused; each timing is the best of five runs of exactly
what the screen runs: a (capped) count plus the first page of 100 rows.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from db.base import connect_raw  # noqa: E402
from db.bulk import bulk_insert_findings  # noqa: E402
from db.connection import open_db  # noqa: E402
from db.findings_store import count_findings_capped, query_findings  # noqa: E402
from findings.filters import FindingFilter  # noqa: E402
from findings.models import (  # noqa: E402
    SOUTH_CENTRAL,
    Finding,
    Polarity,
    Rosh,
    SourceType,
    Stage,
    TagOrigin,
    ThemeTag,
)
from findings.themes import builtin_slugs  # noqa: E402

TODAY = date(2026, 11, 26)
PAGE = 100
WORDS = (  # noqa: SIM905 - easier to read as prose
    "risk assessment police call-out information not requested domestic abuse children "
    "safeguarding home visit recall delayed enforcement supervision oversight workload "
    "transfer handover victim contact mappa level review arrest plan contingency generic "
    "curiosity accepted face value optimistic compliance training recording diversity "
    "accommodation programme referral waiting list practitioner manager partner agency"
).split()


def generate(count: int, seed: int = 7) -> Iterator[Finding]:
    """Synthetic findings spread over five years, seven PDUs and the twenty themes."""
    rng = random.Random(seed)
    pdus = [p.code for p in SOUTH_CENTRAL.pdus]
    slugs = builtin_slugs()
    sources = list(SourceType)
    stages = list(Stage)
    roshes = list(Rosh)
    start = TODAY - timedelta(days=5 * 365)
    for _ in range(count):
        event = start + timedelta(days=rng.randrange(5 * 365))
        tags = rng.sample(slugs, rng.randint(0, 3))
        yield Finding.model_construct(
            id=uuid.UUID(int=rng.getrandbits(128)),
            source_type=rng.choice(sources),
            source_ref=f"REF-{rng.randrange(10_000)}",
            pdu=rng.choice(pdus),
            event_date=event,
            recorded_date=event + timedelta(days=rng.randrange(30)),
            stage=rng.choice(stages),
            polarity=Polarity.STRENGTH if rng.random() < 0.2 else Polarity.WEAKNESS,
            summary=" ".join(rng.choices(WORDS, k=6)).capitalize(),
            narrative=" ".join(rng.choices(WORDS, k=rng.randint(20, 60))),
            rosh=rng.choice(roshes),
            crn=None,
            themes=[ThemeTag.model_construct(slug=s, origin=TagOrigin.CONFIRMED) for s in tags],
            details={},
            recorded_by="bench",
            version=1,
        )


def build(path: Path, count: int) -> None:
    """Create the benchmark database at ``path`` with ``count`` findings."""
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    db = open_db(path)
    started = time.perf_counter()
    bulk_insert_findings(
        db,
        generate(count),
        batch_size=20_000,
        progress=lambda n: print(f"  {n:,} written", end="\r", file=sys.stderr),
    )
    db.execute("ANALYZE")
    db.close()
    print(f"built {count:,} findings in {time.perf_counter() - started:.0f} s", file=sys.stderr)


def best_of(runs: int, step: Callable[[], object]) -> tuple[float, object]:
    """The fastest of ``runs`` timings in milliseconds, and the step's result."""
    best = float("inf")
    result: object = None
    for _ in range(runs):
        started = time.perf_counter()
        result = step()
        best = min(best, (time.perf_counter() - started) * 1000)
    return best, result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--findings", type=int, default=1_000_000)
    parser.add_argument("--db", type=Path, default=None)
    parser.add_argument("--rebuild", action="store_true")
    args = parser.parse_args()
    path = args.db or Path(f"/tmp/leap-bench-findings-{args.findings}.db")
    if args.rebuild or not path.exists():
        build(path, args.findings)
    open_db(path).close()  # bring a cached file up to this version's schema (indexes)

    def screen_query(flt: FindingFilter) -> Callable[[], str]:
        def run() -> str:
            db = connect_raw(path)  # as the screen's worker: a fresh light connection each time
            try:
                count = count_findings_capped(db, flt)
                rows = query_findings(db, flt, limit=PAGE)
            finally:
                db.close()
            return f"{count.label} matching, {len(rows)} on page"

        return run

    cases = [
        ("open: count + first page", FindingFilter()),
        (
            "filter: PDU + theme + date range",
            FindingFilter(
                pdus=["oxfordshire"],
                themes=["risk_assessment"],
                date_from=date(2025, 1, 1),
                date_to=date(2025, 12, 31),
            ),
        ),
        ("filter: source + polarity", FindingFilter(source_types=["audit"], polarity="strength")),
        ("search: rare phrase", FindingFilter(text='"waiting list" mappa')),
        ("search: broad word", FindingFilter(text="risk")),
        ("search: prefix + PDU", FindingFilter(text="safeguard*", pdus=["bucks_mk"])),
        ("search: no match", FindingFilter(text="zzzqqq")),
    ]
    print(f"{'query (count + page of 100)':<36} {'best ms':>8}  result")
    print("-" * 80)
    for label, flt in cases:
        millis, result = best_of(5, screen_query(flt))
        flag = "" if millis <= 200 else "  SLOW"
        print(f"{label:<36} {millis:8.1f}  {result}{flag}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
