"""The findings list's columns, and a light drawing of its first page shown at start-up.

Textual's DataTable takes a noticeable part of a second to build and paint its first 100 rows
on a small machine. At start-up the findings screen draws the same first page with this plain
widget (each row one run of text in the DataTable's colours), so findings are on screen about
as soon as any Textual app can paint; the interactive table replaces it a moment later, row for
row.
"""

from __future__ import annotations

from rich.cells import set_cell_size
from rich.segment import Segment
from rich.style import Style
from textual.strip import Strip
from textual.widget import Widget

from db.list_preview import PreviewLine
from tui.columns import CELL_PADDING, TableColumn, fit_cell, fit_widths

SOURCE_SHORT = {
    "sfo_review": "SFO",
    "audit": "Audit",
    "inspection": "Inspection",
    "complaint": "Complaint",
    "death_under_supervision": "Death",
    "case_assessment": "Assessment",
}
"""Source types as the list's narrow column names them."""

COLUMNS = (
    TableColumn("date", "Date", 10),
    TableColumn("source", "Source", 10),
    TableColumn("pdu", "PDU", 11, grow=1, most=24),
    TableColumn("summary", "Summary", 22, grow=4),
    TableColumn("themes", "Themes", 13, grow=3),
)
"""The list's columns, in order: the summary and the themes take most of a wide terminal."""


def strength_mark(summary: str, strength: bool) -> str:
    """A summary as the list shows it: good practice is marked with a tick."""
    return ("✓ " if strength else "") + summary


class FindingsPreview(Widget):
    """The first page of findings drawn as plain lines, until the interactive table is ready."""

    COMPONENT_CLASSES = {"datatable--header", "datatable--even-row", "datatable--cursor"}
    DEFAULT_CSS = """
    FindingsPreview {
        height: 1fr;
        background: $surface;
        color: $foreground;
        & > .datatable--header {
            text-style: bold;
            background: $panel;
            color: $foreground;
        }
        & > .datatable--even-row {
            background: $surface-lighten-1 50%;
        }
        &:dark > .datatable--even-row {
            background: $surface-darken-1 40%;
        }
        & > .datatable--cursor {
            background: $block-cursor-blurred-background;
            color: $block-cursor-blurred-foreground;
            text-style: $block-cursor-blurred-text-style;
        }
    }
    """

    def __init__(self, *, id: str | None = None) -> None:  # noqa: A002 - Textual's name
        super().__init__(id=id)
        self._lines: list[PreviewLine] = []
        self._strips: tuple[object, list[Strip]] = ((), [])
        """The drawn rows and what they were drawn for (lines, width and style)."""

    def show(self, lines: list[PreviewLine]) -> None:
        """Draw these findings."""
        self._lines = lines
        self.refresh()

    def render_line(self, y: int) -> Strip:
        # Each row is one run of text in one style, so it is drawn straight as a Strip: going
        # through rich Text and Textual's wrapping took most of the first frame's time.
        strips = self._drawn()
        if y < len(strips):
            return strips[y]
        return Strip.blank(self.size.width, self.rich_style)

    def _drawn(self) -> list[Strip]:
        base = self.rich_style
        key = (self._lines, self.size.width, base)
        if self._strips[0] != key:
            self._strips = (key, self._draw(base))
        return self._strips[1]

    def _draw(self, base: Style) -> list[Strip]:
        width = self.size.width
        widths = fit_widths(COLUMNS, width)
        header = base + self.get_component_rich_style("datatable--header")
        even = base + self.get_component_rich_style("datatable--even-row")
        cursor = base + self.get_component_rich_style("datatable--cursor")
        rows = [self._row([column.title for column in COLUMNS], widths, width, header)]
        for index, line in enumerate(self._lines[: max(0, self.size.height - 1)]):
            cells = [
                line.event_date,
                SOURCE_SHORT.get(line.source_type, line.source_type),
                line.pdu_name,
                strength_mark(line.summary, line.strength),
                line.themes,
            ]
            style = cursor if index == 0 else (even if index % 2 == 0 else base)
            rows.append(self._row(cells, widths, width, style))
        return rows

    @staticmethod
    def _row(cells: list[str], widths: dict[str, int], width: int, style: Style) -> Strip:
        pad = " " * CELL_PADDING
        row = "".join(
            pad + fit_cell(cell, widths[column.key]) + pad
            for column, cell in zip(COLUMNS, cells, strict=True)
        )
        # Each cell is fitted to its width, so the row's width is known without measuring it.
        used = sum(widths[column.key] + 2 * CELL_PADDING for column in COLUMNS)
        row = row + " " * (width - used) if used <= width else set_cell_size(row, width)
        return Strip([Segment(row, style)], width)
