"""Time from launching a process to findings on screen, next to a bare Textual app's first paint.

Each measurement starts a fresh Python process (as `leap` would be started) and reads the wall
clock when the first frame holding the content has been rendered and written out (both apps are
timed the same way, from Textual's compositor): for the bare app, one Label; for leap, the first
page of findings from the database ("on screen": the start-up drawing of the list), then the same
page in the interactive table ("table ready"). Runs headless. Usage:

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

FRAMES = """
import resource, time
from textual.screen import Screen

def stamp():
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return time.time(), usage.ru_utime + usage.ru_stime

def on_frame(check):
    # Call check(screen) after every frame the compositor renders (and writes out).
    render = Screen._compositor_refresh
    def rendered(self):
        result = render(self)
        check(self)
        return result
    Screen._compositor_refresh = rendered
"""

BARE = (
    FRAMES
    + """
from textual.app import App
from textual.widgets import Label

class Bare(App):
    def compose(self):
        yield Label("hello")

def check(screen):  # the first frame holds the label
    if screen.query(Label):
        print(*stamp(), *stamp())
        screen.app.exit()

on_frame(check)
Bare().run(headless=True, size=(120, 40))
"""
)

LEAP = (
    FRAMES
    + """
import sys
from pathlib import Path
from tui.app import LeapApp
from tui.screens.findings_preview import FindingsPreview

first = None

def check(screen):
    global first
    previews = screen.query(FindingsPreview)
    if first is None and previews and previews.first()._lines and previews.first().display:
        first = stamp()  # findings drawn, before the table
    tables = screen.query("#findings-table")
    if tables and tables.first().row_count and tables.first().display:
        ready = stamp()  # the interactive table, filled
        print(*(first or ready), *ready)
        screen.app.exit()

on_frame(check)
LeapApp(Path(sys.argv[1])).run(headless=True, size=(120, 40))
"""
)


def first_paint(code: str, *args: str) -> tuple[float, float, float, float]:
    """Wall seconds from process launch to the first painted marker and CPU seconds used by
    then; the same for the last marker (for the bare app, both are its one label)."""
    started = time.time()
    out = subprocess.run(
        [sys.executable, "-c", code, *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    ).stdout
    values = [float(v) for v in out.strip().splitlines()[-1].split()]
    if len(values) == 2:
        values *= 2
    first_at, first_cpu, last_at, last_cpu = values
    return first_at - started, first_cpu, last_at - started, last_cpu


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
    # Byte-compile leap's modules as installing it does (pip compiles what it installs; this
    # machine may set PYTHONDONTWRITEBYTECODE, which would leave a checkout compiling its
    # sources on every start while Textual's installed modules load compiled).
    subprocess.run(
        [sys.executable, "-m", "compileall", "-q", "findings", "db", "panels", "tui"],
        cwd=ROOT,
        check=True,
    )
    first_paint(BARE)  # warm the file cache
    first_paint(LEAP, str(db))
    # Interleaved, so a change in the machine's load during the run affects both alike.
    bare, leap = [], []
    for _ in range(args.runs):
        bare.append(first_paint(BARE))
        leap.append(first_paint(LEAP, str(db)))
    print(f"{'what':<38}{'wall median s':>14}{'wall min s':>12}{'CPU median s':>14}")
    for label, runs, at in (
        ("bare Textual app, one label", bare, 0),
        ("leap, findings on screen", leap, 0),
        ("leap, interactive table ready", leap, 2),
    ):
        walls, cpus = [r[at] for r in runs], [r[at + 1] for r in runs]
        print(
            f"{label:<38}{statistics.median(walls):>14.3f}{min(walls):>12.3f}"
            f"{statistics.median(cpus):>14.3f}"
        )
    bare_wall = statistics.median(r[0] for r in bare)
    for label, at in (("findings on screen", 0), ("table ready", 2)):
        ratio = statistics.median(r[at] for r in leap) / bare_wall
        print(f"ratio leap / bare, {label}: wall {ratio:.2f} (bar: 1.30)")


if __name__ == "__main__":
    main()
