"""Time from launching a process to findings on screen, next to a bare Textual app's first paint.

Each measurement starts a fresh Python process (as `leap` would be started) and reads the wall
clock when the first frame holding the content has been rendered and written out (both apps are
timed the same way, from Textual's compositor): for the bare app, one Label; for leap, the first
page of findings from the database ("on screen": the start-up drawing of the list), then the same
page in the interactive table ("table ready"). Runs headless.

``--tmux`` times start-up as a person sees it instead: each app runs in a real terminal (a tmux
pane of ``--size``, on a tmux server of its own), started by pressing Enter on its command, and
the clock stops when the pane's text (``tmux capture-pane``, polled every few milliseconds)
shows the expected words: for leap, the PDU names of the newest findings; for the bare Textual
app, its one label. Usage:

    python benchmarks/bench_startup.py [--db PATH] [--runs N] [--tmux [--size 120x40]]
"""

from __future__ import annotations

import argparse
import os
import shlex
import sqlite3
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


BARE_TERMINAL = """
from textual.app import App
from textual.widgets import Label

class Bare(App):
    def compose(self):
        yield Label("hello, bare app")

Bare().run()
"""

TMUX_SOCKET = f"leap-bench-{os.getpid()}"
"""A tmux server of the benchmark's own, so it never touches anyone else's sessions."""

POLL_SECONDS = 0.005


def tmux(*args: str) -> str:
    """Run a tmux command on the benchmark's own server; its output."""
    done = subprocess.run(["tmux", "-L", TMUX_SOCKET, *args], capture_output=True, text=True)
    if done.returncode:
        raise RuntimeError(f"tmux {args[0]} failed: {done.stderr.strip()}")
    return done.stdout


def seen_in_terminal(command: list[str], expected: list[str], size: tuple[int, int]) -> float:
    """Seconds from pressing Enter on ``command`` in a fresh tmux pane of ``size`` until every
    string of ``expected`` is in the pane's text."""
    session = "bench"
    # The pane waits for Enter, so the clock starts when the command does, not the terminal.
    waiting = "read _ && exec " + shlex.join(command)
    tmux(
        "new-session", "-d", "-s", session, "-x", str(size[0]), "-y", str(size[1]),
        "-c", str(ROOT), waiting,
    )  # fmt: skip
    try:
        time.sleep(0.3)  # the shell is up and waiting
        started = time.perf_counter()
        tmux("send-keys", "-t", session, "Enter")
        deadline, text = started + 60, ""
        while time.perf_counter() < deadline:
            try:
                text = tmux("capture-pane", "-p", "-t", session)
            except RuntimeError:
                raise RuntimeError(
                    f"{shlex.join(command)} exited before showing {expected}"
                ) from None
            if all(word in text for word in expected):
                return time.perf_counter() - started
            time.sleep(POLL_SECONDS)
        raise RuntimeError(f"{shlex.join(command)} never showed {expected}: last pane was\n{text}")
    finally:
        subprocess.run(
            ["tmux", "-L", TMUX_SOCKET, "kill-session", "-t", session], capture_output=True
        )


def newest_pdu_names(db: Path, count: int = 10) -> list[str]:
    """The PDU names of the ``count`` newest findings (what leap's list shows first), each cut
    to 11 characters: the list's narrowest PDU column shows at least that much."""
    conn = sqlite3.connect(db)
    try:
        rows = conn.execute(
            "SELECT coalesce(p.name, f.pdu) FROM findings f LEFT JOIN pdus p ON p.code = f.pdu "
            "WHERE f.deleted_at IS NULL ORDER BY f.event_date DESC, f.seq DESC LIMIT ?",
            [count],
        ).fetchall()
    finally:
        conn.close()
    return sorted({name[:11] for (name,) in rows})


def tmux_runs(db: Path, runs: int, size: tuple[int, int]) -> None:
    """Time both apps through tmux, interleaved, and print the medians and their ratio."""
    bare_command = [sys.executable, "-c", BARE_TERMINAL]
    leap_command = [sys.executable, "-m", "tui", "--db", str(db)]
    expected = newest_pdu_names(db)
    # One session holds the server up between runs (a server that is shutting down refuses
    # new sessions).
    tmux("new-session", "-d", "-s", "holder", "sleep 86400")
    try:
        bare, leap = interleaved(bare_command, leap_command, expected, runs, size)
    finally:
        tmux("kill-server")
    report_tmux(bare, leap, expected, size)


def interleaved(
    bare_command: list[str],
    leap_command: list[str],
    expected: list[str],
    runs: int,
    size: tuple[int, int],
) -> tuple[list[float], list[float]]:
    """Seconds to the bare app's label and to leap's findings, ``runs`` of each, alternating."""
    seen_in_terminal(bare_command, ["hello, bare app"], size)  # warm the file cache
    seen_in_terminal(leap_command, expected, size)
    bare, leap = [], []
    for _ in range(runs):
        bare.append(seen_in_terminal(bare_command, ["hello, bare app"], size))
        leap.append(seen_in_terminal(leap_command, expected, size))
    return bare, leap


def report_tmux(
    bare: list[float], leap: list[float], expected: list[str], size: tuple[int, int]
) -> None:
    """Print both apps' times and the ratio of their medians (with each run's ratio)."""
    runs = len(bare)
    print(f"tmux pane {size[0]}x{size[1]}, {runs} interleaved runs each, waiting for {expected}")
    print(f"{'what':<38}{'median s':>10}{'min s':>8}{'max s':>8}")
    for label, times in (("bare Textual app, one label", bare), ("leap, newest PDU names", leap)):
        print(f"{label:<38}{statistics.median(times):>10.3f}{min(times):>8.3f}{max(times):>8.3f}")
    pairs = sorted(leap_s / bare_s for leap_s, bare_s in zip(leap, bare, strict=True))
    ratio = statistics.median(leap) / statistics.median(bare)
    print(
        f"ratio leap / bare (medians): {ratio:.2f} (bar: 1.30); "
        f"run by run: {', '.join(f'{r:.2f}' for r in pairs)}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--db", type=Path, help="database to open (default: fresh demo data)")
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--tmux", action="store_true", help="time as seen in a tmux pane")
    parser.add_argument("--size", default="120x40", help="the tmux pane's size (COLUMNSxROWS)")
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
    if args.tmux:
        columns, rows = (int(n) for n in args.size.split("x"))
        tmux_runs(db, args.runs, (columns, rows))
        return
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
