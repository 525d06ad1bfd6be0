"""Columns share a table's width; themes are shown by name (or short name), never by slug."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st
from rich.cells import cell_len
from rich.console import Console

from findings.theme_names import short_name, short_names, theme_list
from tui.columns import NameOrShort, TableColumn, fit_cell, fit_widths

COLUMNS = (
    TableColumn("date", "Date", 10),
    TableColumn("summary", "Summary", 20, grow=3),
    TableColumn("themes", "Themes", 10, grow=1, most=15),
)


def test_fixed_columns_keep_their_width_and_growing_ones_share_the_rest() -> None:
    # 100 cells: 2 for the scrollbar, 6 of padding, 40 of minimum widths: 52 to share.
    widths = fit_widths(COLUMNS, 100)
    assert widths["date"] == 10
    assert widths["themes"] == 15  # its most; what it could not take went to the summary
    assert widths["summary"] == 100 - 2 - 6 - 10 - 15
    assert sum(widths.values()) + 2 + 6 == 100


def test_shares_follow_the_weights_until_a_column_is_full() -> None:
    widths = fit_widths(COLUMNS, 54)  # 6 spare cells: 3 to 1
    assert (widths["summary"], widths["themes"]) == (20 + 5, 10 + 1)


def test_a_narrow_table_gets_every_columns_minimum() -> None:
    assert fit_widths(COLUMNS, 30) == {"date": 10, "summary": 20, "themes": 10}


def test_a_cut_cell_ends_with_an_ellipsis() -> None:
    assert fit_cell("Insufficient management oversight", 12) == "Insufficien…"
    assert fit_cell("Kent", 6) == "Kent  "
    assert fit_cell("Kent", 0) == ""


def test_built_in_themes_have_short_names_unless_renamed() -> None:
    assert short_name("management_oversight", "Insufficient management oversight") == (
        "Management oversight"
    )
    assert short_name("management_oversight", "Manager grip") == "Manager grip"
    assert short_name("remand_bail", "Remand and bail decisions") == "Remand and bail decisions"
    labels = short_names({"mappa": "MAPPA management weak", "victim": "Victim safety or contact "
                          "not addressed"})  # fmt: skip
    assert theme_list(["victim", "mappa", "gone"], labels) == "MAPPA, Victim safety, gone"


def test_a_name_gives_way_to_its_short_form_in_a_narrow_column() -> None:
    console = Console(width=80, no_color=True)
    cell = NameOrShort("Insufficient management oversight", "Management oversight")
    for width, shown in ((40, "Insufficient management oversight"),
                         (25, "Management oversight"), (12, "Management …")):  # fmt: skip
        with console.capture() as captured:
            console.print(cell, width=width, end="")
        assert captured.get().rstrip() == shown


@given(
    text=st.text(st.characters(blacklist_categories=("Cc", "Cs")), max_size=40),
    width=st.integers(min_value=0, max_value=30),
)
def test_a_cell_always_fills_its_width_exactly(text: str, width: int) -> None:
    # Plain ASCII takes a path that does not measure; every other text is measured by rich.
    fitted = fit_cell(text, width)
    assert cell_len(fitted) == width
    if cell_len(text) <= width:
        assert fitted.rstrip(" ") == text.rstrip(" ")
    elif width:
        assert fitted.endswith("…")
