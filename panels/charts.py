"""Charts for the briefing, drawn with matplotlib (Agg) as PNGs at print resolution."""

from __future__ import annotations

import io
import textwrap
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from panels.briefing import Briefing

DPI = 200
WIDTH_INCHES = 6.3  # the text width of an A4 page with 2 cm margins
CHART_THEMES = 10
# Greys and one blue print legibly in colour and in black and white.
NOW_COLOUR = "#1f4e79"
BEFORE_COLOUR = "#a6a6a6"
BASELINE_COLOUR = "#404040"
# Four levels: dark to light blue and grey, told apart in colour and in black and white.
LEVEL_COLOURS = ("#1f4e79", "#5b9bd5", "#bdd7ee", "#7f7f7f")
LEVEL_HATCHES = ("", "", "...", "//")


def _figure(height: float, *, left: float, right: float = 0.97) -> tuple[Any, Any]:
    """A figure the text width wide with fixed margins (no pyplot: it is slow to import)."""
    import matplotlib
    from matplotlib.figure import Figure

    matplotlib.rcParams.update(
        {
            "font.size": 9,
            "font.family": "DejaVu Sans",
            "axes.spines.top": False,
            "axes.spines.right": False,
        }
    )
    fig = Figure(figsize=(WIDTH_INCHES, height))
    # Fixed margins instead of bbox_inches="tight", which draws the figure twice.
    bottom = min(0.45, 0.62 / height)
    top = 1 - min(0.3, 0.42 / height)
    fig.subplots_adjust(left=left, right=right, bottom=bottom, top=top)
    return fig, fig.add_subplot()


def _png(fig: Any) -> bytes:
    buffer = io.BytesIO()
    # Light compression: the PNG is a little bigger and noticeably quicker to write.
    fig.savefig(buffer, format="png", dpi=DPI, pil_kwargs={"compress_level": 1})
    return buffer.getvalue()


def themes_chart(briefing: Briefing) -> bytes | None:
    """Horizontal bars: the top themes' counts this period against the previous one."""
    themes = sorted(briefing.themes, key=lambda t: (-t.count, -t.previous))[:CHART_THEMES]
    themes = [t for t in themes if t.count or t.previous]
    if not themes:
        return None
    height = 0.9 + 0.42 * len(themes)
    fig, ax = _figure(height, left=0.4)
    labels = [textwrap.fill(t.name, 38) for t in reversed(themes)]
    positions = range(len(themes))
    now = [t.count for t in reversed(themes)]
    before = [t.previous for t in reversed(themes)]
    bar = 0.38
    ax.barh([p + bar / 2 for p in positions], now, bar, color=NOW_COLOUR, label="This period")
    ax.barh(
        [p - bar / 2 for p in positions], before, bar, color=BEFORE_COLOUR, label="Previous period"
    )
    for position, value in zip(positions, now, strict=True):
        ax.text(value, position + bar / 2, f" {value}", va="center", fontsize=8)
    ax.set_yticks(list(positions), labels, fontsize=8)
    ax.set_xlabel("Weakness findings tagged with the theme")
    ax.xaxis.get_major_locator().set_params(integer=True)
    ax.legend(loc="lower left", bbox_to_anchor=(0.0, 1.0), ncol=2, frameon=False, fontsize=8)
    return _png(fig)


def scorecard_chart(briefing: Briefing) -> bytes | None:
    """Grouped bars: region-wide % Yes per key question, now, before and the baseline."""
    from panels.briefing import QUESTION_LABELS, baseline_row

    region = next((r for r in briefing.scorecard if r.label.endswith("(all PDUs)")), None)
    if region is None:
        return None
    fig, ax = _figure(2.9, left=0.1, right=0.98)
    questions = list(QUESTION_LABELS)
    baseline = baseline_row()
    width = 0.26
    series = [
        ("This period", [region.now.get(q) for q in questions], NOW_COLOUR, -width),
        ("Previous period", [region.previous.get(q) for q in questions], BEFORE_COLOUR, 0.0),
    ]
    for label, scores, colour, offset in series:
        values = [s.percent if s and s.percent is not None else 0.0 for s in scores]
        xs = [i + offset for i in range(len(questions))]
        ax.bar(xs, values, width, color=colour, label=label)
        for x, score in zip(xs, scores, strict=True):
            text = "n<5" if score is None or score.percent is None else f"{round(score.percent)}%"
            value = score.percent if score and score.percent is not None else 0.0
            ax.text(x, value + 1.5, text, ha="center", fontsize=7.5)
    xs = [i + width for i in range(len(questions))]
    ax.bar(
        xs,
        [baseline[q] for q in questions],
        width,
        color="white",
        edgecolor=BASELINE_COLOUR,
        hatch="///",
        label="Inspection baseline",
    )
    for x, q in zip(xs, questions, strict=True):
        ax.text(x, baseline[q] + 1.5, f"{baseline[q]}%", ha="center", fontsize=7.5)
    ax.set_xticks(range(len(questions)), [textwrap.fill(QUESTION_LABELS[q], 16) for q in questions])
    ax.set_ylim(0, 110)
    ax.set_ylabel("% Yes")
    ax.legend(loc="lower left", bbox_to_anchor=(0.0, 1.0), ncol=3, frameon=False, fontsize=8)
    return _png(fig)


def levels_chart(briefing: Briefing) -> bytes | None:
    """Stacked horizontal bars: each shown theme's weakness findings at each level."""
    from findings.models import Level

    report = briefing.levels
    themes = [t for t in briefing.level_themes if t.findings][:CHART_THEMES]
    if report is None or report.leading_level is None or not themes:
        return None
    height = 1.0 + 0.36 * len(themes)
    fig, ax = _figure(height, left=0.4)
    labels = [textwrap.fill(t.name, 38) for t in reversed(themes)]
    positions = list(range(len(themes)))
    left = [0] * len(themes)
    for level, colour, hatch in zip(Level, LEVEL_COLOURS, LEVEL_HATCHES, strict=True):
        values = [t.at_level.get(level, 0) for t in reversed(themes)]
        ax.barh(
            positions,
            values,
            0.6,
            left=left,
            color=colour,
            hatch=hatch,
            edgecolor="white",
            linewidth=0.5,
            label=report.level_names.get(level, level.label),
        )
        left = [a + b for a, b in zip(left, values, strict=True)]
    ax.set_yticks(positions, labels, fontsize=8)
    ax.set_xlabel("Weakness findings at each level")
    ax.xaxis.get_major_locator().set_params(integer=True)
    # Across the whole figure's top: the four names do not fit above the axes alone.
    fig.legend(
        loc="upper right",
        bbox_to_anchor=(0.97, 1.0),
        ncol=4,
        frameon=False,
        fontsize=8,
        handlelength=1.5,
        columnspacing=1.2,
    )
    return _png(fig)


def regions_chart(briefing: Briefing) -> bytes | None:
    """A grid for the national briefing: themes (rows) by region (columns), per 100 findings."""
    comparison = briefing.regions
    if comparison is None or not comparison.themes:
        return None
    from findings.regions import region_abbreviation

    themes = comparison.themes[:CHART_THEMES]
    codes = [code for code, _ in comparison.regions]
    rates = [[comparison.rate(s, c) for c in codes] for s in themes]
    grid = [[rate or 0.0 for rate in row] for row in rates]
    fig, ax = _figure(1.2 + 0.36 * len(themes), left=0.36, right=0.99)
    ax.imshow(grid, cmap="Blues", aspect="auto")
    top = max((v for row in grid for v in row), default=0.0) or 1.0
    for i, row in enumerate(rates):
        for j, rate in enumerate(row):
            # no weakness findings in the region: "–", as the table has it, not a 0
            label = "–" if rate is None else f"{rate:.0f}"
            colour = "white" if (rate or 0.0) > 0.6 * top else "black"
            ax.text(j, i, label, ha="center", va="center", fontsize=7, color=colour)
    ax.set_xticks(
        range(len(codes)), [region_abbreviation(n) for _, n in comparison.regions], fontsize=7.5
    )
    ax.xaxis.tick_top()
    ax.set_yticks(
        range(len(themes)), [textwrap.fill(comparison.names.get(s, s), 40) for s in themes]
    )
    ax.tick_params(axis="y", labelsize=7.5)
    for spine in ax.spines.values():
        spine.set_visible(False)
    return _png(fig)


def draw_charts(briefing: Briefing) -> dict[str, bytes | None]:
    """Every chart of the briefing, keyed by its place in the document."""
    charts = {
        "themes": themes_chart(briefing),
        "scorecard": scorecard_chart(briefing),
        "levels": levels_chart(briefing),
    }
    if briefing.regions is not None:
        charts["regions"] = regions_chart(briefing)
    return charts


class ChartProcess:
    """Draws the charts in a forked process that imports matplotlib while this one works.

    Importing matplotlib and drawing take about as long as everything else in `leap brief`;
    on a machine with two cores doing both at once roughly halves the wait. Used by the command
    line (no threads yet, so forking is safe); where fork is unavailable it draws in-process.
    """

    def __init__(self) -> None:
        self._conn: Any = None
        self._process: Any = None
        self._submitted = False
        try:
            import multiprocessing

            context = multiprocessing.get_context("fork")
            self._conn, child = context.Pipe()
            self._process = context.Process(target=_serve, args=(child,), daemon=True)
            self._process.start()
            child.close()
        except (ValueError, OSError):
            self._conn = self._process = None

    def submit(self, briefing: Briefing) -> None:
        """Hand the briefing to the child, which starts drawing while this process writes text."""
        if self._process is not None and not self._submitted:
            try:
                self._conn.send(briefing)
            except OSError:
                self._process = None
            else:
                self._submitted = True

    def draw(self, briefing: Briefing) -> dict[str, bytes | None]:
        """The charts for ``briefing``, from the child process if it is running."""
        self.submit(briefing)
        if self._process is None:
            return draw_charts(briefing)
        try:
            charts: dict[str, bytes | None] = self._conn.recv()
        except (EOFError, OSError):
            return draw_charts(briefing)
        return charts

    def close(self) -> None:
        """Stop the child process (it exits by itself once it has drawn)."""
        if self._process is not None:
            self._conn.close()
            self._process.join(timeout=5)
            if self._process.is_alive():
                self._process.terminate()
            self._process = None

    def __enter__(self) -> ChartProcess:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _warm_up() -> None:
    """Draw a throwaway chart: fonts and text layout load while the parent is still busy."""
    fig, ax = _figure(1.0, left=0.3)
    ax.barh([0, 1], [1, 2], color=NOW_COLOUR, label="warm")
    ax.set_yticks([0, 1], ["Warm", "up"])
    ax.text(1, 0, " 1", va="center", fontsize=8)
    ax.legend(loc="lower left", bbox_to_anchor=(0.0, 1.0), frameon=False, fontsize=8)
    fig.savefig(io.BytesIO(), format="png", dpi=20)


def _serve(conn: Any) -> None:
    """In the child: import matplotlib and warm it up now, then draw the one briefing sent."""
    _warm_up()

    try:
        briefing = conn.recv()
    except EOFError:
        return
    conn.send(draw_charts(briefing))
    conn.close()
