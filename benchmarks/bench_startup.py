"""Time from launching a process to findings on screen, next to a bare Textual app's first paint.

Each measurement starts a fresh Python process (as `leap` would be started) and reads the wall
clock at the moment the screen has painted: for the bare app, one Label; for leap, the first page
of findings from the database. Runs headless. Usage:

    python benchmarks/bench_startup.py [--db PATH] [--runs N]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

BARE = """
import time
from textual.app import App
from textual.widgets import Label

class Bare(App):
    def compose(self):
        yield Label("hello")
    def on_mount(self):
        self.call_after_refresh(self.done)
    def done(self):
        import resource
        usage = resource.getrusage(resource.RUSAGE_SELF)
        print(time.time(), usage.ru_utime + usage.ru_stime)
        self.exit()

Bare().run(headless=True, size=(120, 40))
"""

LEAP = """
import sys, time
from pathlib import Path
from textual import on
from tui.app import LeapApp
from tui.screens.findings import FindingsScreen, PageLoaded

class TimedFindings(FindingsScreen):
    @on(PageLoaded)
    def painted_soon(self, message):  # runs after FindingsScreen.show_page
        self.app.call_after_refresh(self.app.done)

class Timed(LeapApp):
    MODES = {**LeapApp.MODES, "findings": TimedFindings}

    def done(self):
        import resource
        usage = resource.getrusage(resource.RUSAGE_SELF)
        print(time.time(), usage.ru_utime + usage.ru_stime)
        self.exit()

Timed(Path(sys.argv[1])).run(headless=True, size=(120, 40))
"""


def first_paint(code: str, *args: str) -> tuple[float, float]:
    """Wall seconds from process launch to the painted marker, and CPU seconds used by then."""
    started = time.time()
    out = subprocess.run(
        [sys.executable, "-c", code, *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    ).stdout
    painted_at, cpu = out.strip().splitlines()[-1].split()
    return float(painted_at) - started, float(cpu)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--db", type=Path, help="database to open (default: fresh demo data)")
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    db = args.db
    if db is None:
        db = Path(tempfile.mkdtemp()) / "demo.db"
        subprocess.run(
            [sys.executable, "-m", "tui", "demo-data", "--db", str(db), "--quiet"],
            cwd=ROOT,
            check=True,
        )
    first_paint(BARE)  # warm the file cache
    first_paint(LEAP, str(db))
    bare = [first_paint(BARE) for _ in range(args.runs)]
    leap = [first_paint(LEAP, str(db)) for _ in range(args.runs)]
    print(f"{'what':<34}{'wall median s':>14}{'wall min s':>12}{'CPU median s':>14}")
    for label, runs in (
        ("bare Textual app, one label", bare),
        ("leap, first page of findings", leap),
    ):
        walls, cpus = [r[0] for r in runs], [r[1] for r in runs]
        print(
            f"{label:<34}{statistics.median(walls):>14.3f}{min(walls):>12.3f}"
            f"{statistics.median(cpus):>14.3f}"
        )
    ratio = statistics.median(r[0] for r in leap) / statistics.median(r[0] for r in bare)
    cpu_ratio = statistics.median(r[1] for r in leap) / statistics.median(r[1] for r in bare)
    print(f"ratio leap / bare: wall {ratio:.2f}, CPU {cpu_ratio:.2f} (bar: 1.30)")


if __name__ == "__main__":
    main()
