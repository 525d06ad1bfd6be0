"""Time ``recurrence_report`` for 2-, 12- and 24-month periods on databases of 100k and 1M findings.

Run from the project root: ``python benchmarks/bench_recurrence.py [--sizes 100000 1000000]``.
Databases are built once with ``db.bulk.bulk_insert_findings`` from a quick synthetic generator
(findings spread over four years, so a period holds a fraction of the file) and cached under
/tmp; pass ``--rebuild`` to build them again.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
import uuid
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from db.bulk import bulk_insert_findings  # noqa: E402
from db.connection import open_db  # noqa: E402
from db.recurrence_store import recurrence_report  # noqa: E402
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
from findings.recurrence import period_ending  # noqa: E402
from findings.themes import builtin_slugs  # noqa: E402

END = date(2026, 11, 26)
YEARS = 4
CACHE = Path("/tmp/leap-bench-recurrence")
NARRATIVE = (
    "The practitioner did not draw on all available information; police call-out checks were "
    "not requested and the risk management plan lacked analysis of the risk to a partner. "
)


def synthetic_findings(count: int, seed: int = 7) -> Iterator[Finding]:
    """Quick, valid-by-construction findings spread over the four years ending END."""
    rng = random.Random(seed)
    slugs = builtin_slugs()
    pdus = [p.code for p in SOUTH_CENTRAL.pdus]
    sources = list(SourceType)
    stages = list(Stage)
    days = 365 * YEARS
    for i in range(count):
        event = END - timedelta(days=rng.randrange(days))
        weakness = rng.random() < 0.75
        picked = rng.sample(slugs, rng.choice((1, 1, 2, 2, 3)) if weakness else rng.randint(0, 1))
        yield Finding.model_construct(
            id=uuid.UUID(int=rng.getrandbits(128), version=4),
            source_type=rng.choice(sources),
            source_ref=f"REF-{i % 5000:04d}",
            pdu=rng.choice(pdus),
            event_date=event,
            recorded_date=event + timedelta(days=rng.randrange(30)),
            stage=rng.choice(stages),
            polarity=Polarity.WEAKNESS if weakness else Polarity.STRENGTH,
            summary=f"Synthetic finding {i}",
            narrative=NARRATIVE,
            rosh=Rosh.HIGH,
            crn=None,
            themes=[ThemeTag.model_construct(slug=s, origin=TagOrigin.CONFIRMED) for s in picked],
            details={},
            recorded_by="bench",
            version=1,
        )


def database(size: int, rebuild: bool) -> Path:
    """A cached database of ``size`` findings (built on first use)."""
    CACHE.mkdir(parents=True, exist_ok=True)
    path = CACHE / f"findings-{size}.db"
    if rebuild:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
    if path.exists():
        db = open_db(path)  # applies any new migration (e.g. an index) to a cached file
        db.close()
        for backup in CACHE.glob(f"{path.stem}.pre-migration-*"):
            backup.unlink()  # the cache is disposable; no need to keep a copy
        return path
    started = time.perf_counter()
    db = open_db(path)
    try:
        bulk_insert_findings(db, synthetic_findings(size))
        db.execute("ANALYZE")
    finally:
        db.close()
    print(f"built {path} ({size:,} findings) in {time.perf_counter() - started:.0f} s")
    return path


def time_report(
    path: Path, months: int, repeats: int, **options: object
) -> tuple[float, float, int]:
    """Median wall and CPU seconds of ``recurrence_report`` (fresh connection, warm OS cache).

    Also returns how many weakness findings the period held. CPU time is reported beside wall
    time because benchmark machines are often shared.
    """
    timings = []
    cpu = []
    findings = 0
    start, end = period_ending(END, months)
    for _ in range(repeats):
        db = open_db(path, migrate=False)
        try:
            began, began_cpu = time.perf_counter(), time.process_time()
            report = recurrence_report(db, start, end, **options)  # type: ignore[arg-type]
            timings.append(time.perf_counter() - began)
            cpu.append(time.process_time() - began_cpu)
            findings = report.weakness_findings
        finally:
            db.close()
    return statistics.median(timings), statistics.median(cpu), findings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--rebuild", action="store_true")
    args = parser.parse_args()
    print(
        f"{'findings':>10} {'period':>7} {'in period':>10} {'scope':>12} {'ids':>4} "
        f"{'wall ms':>8} {'cpu ms':>7} {'cpu µs/finding':>15}"
    )
    for size in args.sizes:
        path = database(size, args.rebuild)
        for months in (2, 12, 24):
            for pdu in (None, "oxfordshire"):
                for ids in (True, False):
                    seconds, cpu, in_period = time_report(
                        path, months, args.repeats, pdu=pdu, include_ids=ids
                    )
                    print(
                        f"{size:>10,} {months:>5}mo {in_period:>10,} {pdu or 'region':>12} "
                        f"{'yes' if ids else 'no':>4} {seconds * 1000:>8.0f} {cpu * 1000:>7.0f} "
                        f"{cpu * 1e6 / max(in_period, 1):>15.1f}"
                    )


if __name__ == "__main__":
    main()
