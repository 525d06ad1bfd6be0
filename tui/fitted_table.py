"""A DataTable whose columns grow with it: set once from ``TableColumn``s, refitted on resize."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from textual import events
from textual.widgets import DataTable
from textual.widgets.data_table import ColumnKey

from tui.columns import TableColumn, fit_widths


class FittedTable(DataTable[Any]):
    """A DataTable whose growing columns share whatever width it has (see ``fit_widths``)."""

    DEFAULT_CSS = """
    FittedTable {
        width: 100%;
    }
    """
    """All the width there is (a DataTable is as wide as its columns by default)."""

    def __init__(self, *, id: str | None = None, zebra_stripes: bool = True) -> None:  # noqa: A002
        super().__init__(id=id, cursor_type="row", zebra_stripes=zebra_stripes)
        self._fitted: tuple[TableColumn, ...] = ()

    def set_columns(self, columns: Sequence[TableColumn], *, width: int = 0) -> None:
        """Replace the columns (and with them the rows) by these, fitted to the table's width
        (or to ``width`` while it has none: not yet laid out, or hidden)."""
        self.clear(columns=True)
        self._fitted = tuple(columns)
        for column in self._fitted:
            self.add_column(column.title, key=column.key, width=column.width)
        self.fit_columns(width)

    def on_resize(self, event: events.Resize) -> None:
        self.fit_columns()

    def fit_columns(self, width: int = 0) -> None:
        """Share the table's width (or ``width`` while it has none) out among its columns."""
        width = self.size.width or width
        if not width:
            return
        # The room a vertical scrollbar takes is kept whether it shows or not, so columns stay
        # put as rows come and go.
        widths = fit_widths(self._fitted, width, reserve=self.styles.scrollbar_size_vertical)
        changed = False
        for key, column_width in widths.items():
            column = self.columns[ColumnKey(key)]
            if column.width != column_width or column.auto_width:
                column.width, column.auto_width, changed = column_width, False, True
        if changed:
            # DataTable has no public way to resize a column: these are what its own
            # add_column sets so the next idle recomputes the table's size and redraws.
            self._require_update_dimensions = True
            self._update_count += 1
            self.refresh()
