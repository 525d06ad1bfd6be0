"""Table columns that share the width they are given: fixed columns keep theirs, growing ones
split what is left (light enough for start-up: the findings list's first drawing uses it)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rich.cells import cell_len, set_cell_size
from rich.console import Console, ConsoleOptions, RenderResult
from rich.measure import Measurement
from rich.text import Text

CELL_PADDING = 1
"""Spaces either side of each cell (the DataTable's default)."""

SCROLLBAR = 2
"""Cells kept at the right for the table's vertical scrollbar (Textual's default width)."""

ELLIPSIS = "…"


@dataclass(frozen=True)
class TableColumn:
    """One column: its key, heading, narrowest width, share of any spare width, widest width."""

    key: str
    title: str
    width: int
    """Cells of content at the narrowest (all of them, for a column that does not grow)."""
    grow: int = 0
    """This column's share of the width the others leave (0: it keeps ``width``)."""
    most: int | None = None
    """Cells of content at the widest (None: no limit)."""


def fit_widths(
    columns: Sequence[TableColumn], width: int, *, reserve: int = SCROLLBAR
) -> dict[str, int]:
    """Each column's content width in a table ``width`` cells wide: every column gets its
    ``width``, then the growing ones share what is left by their ``grow``, up to their ``most``
    (what one stops short of goes to the others)."""
    widths = {column.key: column.width for column in columns}
    spare = width - reserve - 2 * CELL_PADDING * len(columns) - sum(widths.values())
    growing = [column for column in columns if column.grow]
    while spare > 0 and growing:
        total = sum(column.grow for column in growing)
        shares = [spare * column.grow // total for column in growing]
        for index in range(spare - sum(shares)):  # what rounding left, one cell each
            shares[index] += 1
        spare, still_growing = 0, []
        for column, share in zip(growing, shares, strict=True):
            grown = widths[column.key] + share
            if column.most is not None and grown >= column.most:
                spare += grown - column.most
                grown = column.most
            else:
                still_growing.append(column)
            widths[column.key] = grown
        growing = still_growing
    return widths


def fit_cell(text: str, width: int) -> str:
    """``text`` in exactly ``width`` cells: padded, or cut with an ellipsis as a table cell
    holding ``Text(text, overflow="ellipsis")`` is."""
    # Printable ASCII is one cell a character: no need to measure (most cells; start-up).
    if text.isascii() and text.isprintable():
        if len(text) > width:
            return text[: width - 1] + ELLIPSIS if width > 0 else ""
        return text + " " * (width - len(text))
    if cell_len(text) > width:
        return set_cell_size(text, width - 1) + ELLIPSIS if width > 0 else ""
    return set_cell_size(text, width)


class NameOrShort:
    """A table cell holding a name, or its short form where the name would be cut (a theme's
    full name in a wide column, "Management oversight" in a narrow one)."""

    def __init__(self, name: str, short: str) -> None:
        self.name = name
        self.short = short

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        shown = self.name if cell_len(self.name) <= options.max_width else self.short
        yield Text(shown, overflow="ellipsis", no_wrap=True, end="")

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        return Measurement(cell_len(self.short), cell_len(self.name))

    def __str__(self) -> str:
        return self.name
