"""Time importing findings from .csv (and .xlsx) files of growing size; prints a table.

Run: python benchmarks/bench_import.py [ROWS ...]   (default 1,000 10,000 100,000)
'import s' is wall-clock time; 'cpu s' the process's own CPU time, which stays meaningful on
a machine busy with other work.
"""

from __future__ import annotations

import csv
import random
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from db.connection import open_db  # noqa: E402
from db.importer import import_file  # noqa: E402
from findings.models import SOUTH_CENTRAL  # noqa: E402
from findings.themes import builtin_slugs  # noqa: E402

HEADERS = ["Source", "Reference", "PDU", "Event date", "Stage", "Polarity", "Summary",
           "Narrative", "RoSH", "Themes"]  # fmt: skip
SOURCES = ["SFO review", "Audit", "Inspection", "Complaint", "Death under supervision"]
STAGES = ["Assessment", "Planning", "Implementation and delivery", "Reviewing"]


def synthetic_rows(n: int, seed: int = 7) -> list[list[str]]:
    """n synthetic rows with text dates in mixed formats and PDU names."""
    rng = random.Random(seed)
    themes = builtin_slugs()
    start = date(2024, 1, 1)
    rows = []
    for i in range(n):
        day = start + timedelta(days=rng.randrange(700))
        when = day.isoformat() if i % 2 else day.strftime("%d/%m/%Y")
        rows.append(
            [
                rng.choice(SOURCES),
                f"REF-{i // 5:06d}",
                rng.choice(SOUTH_CENTRAL.pdus).name,
                when,
                rng.choice(STAGES),
                "weakness" if rng.random() < 0.8 else "strength",
                f"Synthetic finding {i}: checks were not completed",
                "The practitioner did not verify the account given. " * rng.randint(1, 4),
                rng.choice(["Low", "Medium", "High", "Very high"]),
                "; ".join(rng.sample(themes, rng.randint(0, 3))),
            ]
        )
    return rows


def write_csv(path: Path, rows: list[list[str]]) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADERS)
        writer.writerows(rows)


def write_xlsx(path: Path, rows: list[list[str]]) -> None:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet("Findings")
    sheet.append(HEADERS)
    for row in rows:
        sheet.append(row)
    book.save(path)


def main() -> None:
    sizes = [int(a) for a in sys.argv[1:]] or [1_000, 10_000, 100_000]
    print(
        f"{'rows':>9}  {'format':6}  {'import s':>9}  {'cpu s':>6}  {'rows/s':>9}  "
        f"{'re-import s':>11}"
    )
    with tempfile.TemporaryDirectory() as tmp:
        for n in sizes:
            rows = synthetic_rows(n)
            for fmt in ("csv", "xlsx"):
                if fmt == "xlsx" and n > 20_000:
                    continue  # openpyxl parsing dominates; csv is the 100k bar
                source = Path(tmp) / f"in-{n}.{fmt}"
                (write_csv if fmt == "csv" else write_xlsx)(source, rows)
                db = open_db(Path(tmp) / f"bench-{n}-{fmt}.db")
                started, cpu = time.perf_counter(), time.process_time()
                report = import_file(db, source)
                took, cpu = time.perf_counter() - started, time.process_time() - cpu
                assert report.committed and report.imported == n, report.problems[:3]
                started = time.perf_counter()
                again = import_file(db, source)
                took_again = time.perf_counter() - started
                assert again.imported == 0
                db.close()
                print(
                    f"{n:>9,}  {fmt:6}  {took:>9.2f}  {cpu:>6.2f}  {n / took:>9,.0f}  "
                    f"{took_again:>11.2f}"
                )


if __name__ == "__main__":
    main()
