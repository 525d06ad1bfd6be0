"""Recurring themes: each theme's count, trend and sources for a period, with bars and pairs."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, cast

from rich.console import Console, ConsoleOptions, RenderResult
from rich.markup import escape
from rich.measure import Measurement
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.message import Message
from textual.reactive import reactive
from textual.screen import Screen
from textual.widgets import DataTable, Select, Static, TabbedContent, TabPane

from findings.filters import FindingFilter
from findings.levels import LEVEL_NAMES, ThemeLevelReport, level_cell
from findings.models import Level, Polarity
from findings.recurrence import RecurrenceReport, RecurrenceRules, format_share, period_ending
from findings.theme_names import short_name
from tui.chrome import KeysFooter, TitleBar
from tui.columns import NameOrShort, TableColumn
from tui.css import SECTIONS_CSS
from tui.fitted_table import FittedTable
from tui.screens.findings import SOURCE_SHORT

if TYPE_CHECKING:
    from tui.app import LeapApp

PRESETS: list[tuple[str, int]] = [
    ("Last 2 months", 2),
    ("Last 3 months", 3),
    ("Last 6 months", 6),
    ("Last 12 months", 12),
]
CUSTOM = 0
"""The period selector's value for a custom range."""
REGION = "__region__"
"""The scope selector's value for the whole region (every region in a national file)."""
REGION_PREFIX = "region:"
"""Prefix of the scope selector's value for one region of a national file."""
ALL_WEAKNESSES = "__all__"
"""The row key of the by-level table's total row."""
_EIGHTHS = " ▏▎▍▌▋▊▉"


def block_bar(value: int, maximum: int, width: int) -> str:
    """A horizontal bar of Unicode blocks, ``width`` cells at ``maximum``, eighths between."""
    if maximum <= 0 or value <= 0:
        return ""
    eighths = max(1, round(8 * width * value / maximum))
    full, part = divmod(eighths, 8)
    return "█" * full + (_EIGHTHS[part] if part else "")


class BlockBar:
    """A table cell holding ``block_bar`` as wide as its column (so it grows with the screen)."""

    def __init__(self, value: int, maximum: int) -> None:
        self.value = value
        self.maximum = maximum

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        yield Text(block_bar(self.value, self.maximum, options.max_width), end="")

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        return Measurement(1, options.max_width)


THEME_COLUMNS = (
    TableColumn("theme", "Theme", 24, grow=3, most=56),
    TableColumn("count", "Now", 4),
    TableColumn("previous", "Prev", 4),
    TableColumn("trend", "", 1),
    TableColumn("sources", "Src", 3),
    TableColumn("pdus", "PDUs", 4),
    TableColumn("recurring", "Rec", 3),
    TableColumn("bar", "", 10, grow=1, most=40),
)
"""The themes table: a theme's full name (and a low-agreement flag) wherever the screen allows
it, then a longer bar."""
LEVEL_COLUMNS = (
    TableColumn("theme", "Theme", 18, grow=1, most=56),
    TableColumn("findings", "All", 3),
    *(
        # As wide as the default name (Organisation: 12), never narrower than "12 (100%)".
        TableColumn(level.value, name, max(9, min(12, len(name))))
        for level, name in LEVEL_NAMES.items()
    ),
)
"""The by-level table: each theme's findings, then count and share at each level."""
RISING_COLUMNS = (
    TableColumn("theme", "Rising theme", 24, grow=1, most=54),
    TableColumn("previous", "Before", 6),
    TableColumn("count", "Now", 5),
)
PAIR_COLUMNS = (
    TableColumn("first", "Found together", 20, grow=1, most=54),
    TableColumn("second", "and", 20, grow=1, most=54),
    TableColumn("count", "In", 4),
)


def _day(day: date) -> str:
    return f"{day.day} {day:%b %Y}"


@dataclass(frozen=True)
class Loaded:
    """What a worker read: the report and the names to show it with."""

    report: RecurrenceReport
    pdus: dict[str, str]
    low_agreement: dict[str, float | None] = field(default_factory=dict)
    """Themes coders agree on too little (kappa below 0.6): slug to its pooled kappa."""
    regions: dict[str, str] = field(default_factory=dict)
    pdu_regions: dict[str, str] = field(default_factory=dict)
    levels: ThemeLevelReport | None = None


class ReportLoaded(Message):
    """A worker built the recurrence report."""

    def __init__(self, loaded: Loaded) -> None:
        super().__init__()
        self.loaded = loaded


class ReportFailed(Message):
    """A worker could not build the report; the message says why."""

    def __init__(self, error: str) -> None:
        super().__init__()
        self.error = error


class RecurrenceScreen(Screen[None]):
    """Which themes keep coming back: counts against the previous period, by source and PDU."""

    CSS_PATH = SECTIONS_CSS

    BINDINGS = [
        Binding(
            "f",
            "show_findings",
            "Findings",
            tooltip="Show the findings behind the highlighted theme's count",
            id="recurrence.findings",
        ),
        Binding(
            "p",
            "next_period",
            "Period",
            tooltip="Switch to the next preset period (2, 3, 6, 12 months)",
            id="recurrence.period",
        ),
        Binding(
            "c",
            "custom_period",
            "Dates",
            tooltip="Choose the period's first and last days",
            id="recurrence.custom",
        ),
        Binding(
            "s",
            "focus_scope",
            "Scope",
            tooltip="Choose the region or one PDU",
            id="recurrence.scope",
        ),
        Binding(
            "e",
            "edit_rules",
            "Rules",
            tooltip="See and change when a theme counts as recurring",
            id="recurrence.rules",
        ),
        Binding(
            "ctrl+r",
            "reload",
            "Reload",
            tooltip="Count again from the database",
            id="recurrence.reload",
            show=False,
        ),
    ]

    period: reactive[tuple[date, date] | None] = reactive(None)
    """The period shown (first and last day, inclusive); None until the clock is read."""
    pdu: reactive[str | None] = reactive(None)
    """The PDU shown, or None for the whole region."""
    scope_region: reactive[str | None] = reactive(None)
    """In a national file, the one region shown, or None for all of them."""

    def __init__(self) -> None:
        super().__init__()
        self.report: RecurrenceReport | None = None
        self._pdus_listed = False
        self._pdu_regions: dict[str, str] = {}
        self.low_agreement: dict[str, float | None] = {}

    @property
    def leap(self) -> LeapApp:
        return cast("LeapApp", self.app)

    def compose(self) -> ComposeResult:
        yield TitleBar()
        with Horizontal(id="recurrence-controls"):
            yield Select(
                [*PRESETS, ("Custom range…", CUSTOM)],
                value=2,
                allow_blank=False,
                compact=True,
                id="recurrence-period",
            )
            yield Select(
                [("Whole region", REGION)],
                value=REGION,
                allow_blank=False,
                compact=True,
                id="recurrence-scope",
            )
        yield Static("Opening the database…", id="recurrence-status")
        yield Static("", id="recurrence-rules")
        with TabbedContent(id="recurrence-tabs"):
            with TabPane("Themes", id="recurrence-themes-tab"):
                yield FittedTable(id="recurrence-table")
            with TabPane("Rising and pairs", id="recurrence-more-tab"):
                yield FittedTable(id="recurrence-rising", zebra_stripes=False)
                yield FittedTable(id="recurrence-pairs", zebra_stripes=False)
            with TabPane("By level", id="recurrence-levels-tab"):
                yield Static("", id="recurrence-levels-note")
                yield FittedTable(id="recurrence-levels")
        yield Static("", id="recurrence-detail")
        yield KeysFooter()

    def on_mount(self) -> None:
        table = self.query_one("#recurrence-table", FittedTable)
        table.set_columns(THEME_COLUMNS, width=self.size.width)
        self.query_one("#recurrence-rising", FittedTable).set_columns(
            RISING_COLUMNS, width=self.size.width
        )
        self.query_one("#recurrence-pairs", FittedTable).set_columns(
            PAIR_COLUMNS, width=self.size.width
        )
        self.query_one("#recurrence-levels", FittedTable).set_columns(
            LEVEL_COLUMNS, width=self.size.width
        )
        table.focus()
        self.period = period_ending(self.leap.today, 2)

    def on_screen_resume(self) -> None:
        # Counts may have changed while another section was showing.
        if self.leap.db_ready:
            self.load_report()

    def on_database_ready(self) -> None:
        self.load_report()

    @work(thread=True, exclusive=True, group="recurrence-report", exit_on_error=False)
    def load_report(self) -> None:
        """Build the report for the chosen period and scope off the UI thread."""
        from db.levels_store import theme_level_report
        from db.moderation_store import low_agreement_themes
        from db.recurrence_store import recurrence_report
        from db.reference import pdu_names, pdu_regions, region_names

        period, pdu, region = self.period, self.pdu, self.scope_region
        if period is None:
            return
        try:
            with self.leap.read() as db:
                report = recurrence_report(db, *period, pdu=pdu, region=region, include_ids=False)
                low = {s: t.kappa for s, t in low_agreement_themes(db).items()}
                loaded = Loaded(
                    report,
                    pdu_names(db),
                    low,
                    region_names(db),
                    pdu_regions(db),
                    theme_level_report(db, *period, pdu=pdu, region=region),
                )
        except Exception as exc:  # noqa: BLE001 - reported on screen
            self.post_message(ReportFailed(str(exc)))
            return
        self.post_message(ReportLoaded(loaded))

    @on(ReportLoaded)
    def show_report(self, message: ReportLoaded) -> None:
        loaded = message.loaded
        report, names, regions = loaded.report, loaded.pdus, loaded.regions
        if (report.period_start, report.period_end) != self.period or (
            report.pdu,
            report.region,
        ) != (self.pdu, self.scope_region):
            return  # an older request finished after the choice changed
        self.report = report
        self._pdu_regions = loaded.pdu_regions
        self.low_agreement = loaded.low_agreement
        if not self._pdus_listed:
            self._pdus_listed = True
            scope = self.query_one("#recurrence-scope", Select)
            if len(regions) > 1:
                options = [("All regions", REGION)]
                options += [(n, f"{REGION_PREFIX}{c}") for c, n in regions.items()]
            else:
                options = [("Whole region", REGION)]
            scope.set_options([*options, *((n, c) for c, n in names.items())])
            with scope.prevent(Select.Changed):
                scope.value = self.pdu or (
                    f"{REGION_PREFIX}{self.scope_region}" if self.scope_region else REGION
                )
        self._fill_themes(report)
        self._fill_rising_and_pairs(report)
        if loaded.levels is not None:
            self._fill_levels(loaded.levels)
        if report.pdu:
            where = names.get(report.pdu, report.pdu)
        elif report.region:
            where = regions.get(report.region, report.region)
        else:
            where = "All regions" if len(regions) > 1 else "Region"
        self.query_one("#recurrence-status", Static).update(
            f"[b]{escape(where)}[/b] · {_day(report.period_start)} – {_day(report.period_end)} · "
            f"{report.weakness_findings} weakness findings "
            f"[dim](before: {report.previous_weakness_findings})[/]"
        )
        self.query_one("#recurrence-rules", Static).update(escape(report.rules.short_description()))
        self._describe_highlighted()

    def _fill_themes(self, report: RecurrenceReport) -> None:
        table = self.query_one("#recurrence-table", DataTable)
        keep = self._highlighted_slug(table)
        table.clear()
        top = max((t.count for t in report.themes), default=0)
        for theme in report.themes:
            table.add_row(
                self._theme_cell(theme.slug, theme.name),
                str(theme.count),
                str(theme.previous_count),
                theme.trend.arrow,
                str(len(theme.source_types)),
                str(len(theme.pdus)),
                "yes" if theme.recurring else "",
                BlockBar(theme.count, top),
                key=theme.slug,
            )
        if keep is not None and keep in {t.slug for t in report.themes}:
            table.move_cursor(row=table.get_row_index(keep))

    def _theme_cell(self, slug: str, name: str) -> NameOrShort:
        """A theme's name (or short name), flagged when coders agree poorly on it."""
        flag = "⚠ " if slug in self.low_agreement else ""
        return NameOrShort(flag + name, flag + short_name(slug, name))

    def _fill_rising_and_pairs(self, report: RecurrenceReport) -> None:
        rising = self.query_one("#recurrence-rising", DataTable)
        rising.clear()
        names = {t.slug: NameOrShort(t.name, short_name(t.slug, t.name)) for t in report.themes}
        for theme in report.rising:
            rising.add_row(
                names[theme.slug], str(theme.previous_count), str(theme.count), key=theme.slug
            )
        pairs = self.query_one("#recurrence-pairs", DataTable)
        pairs.clear()
        for pair in report.pairs[:50]:
            pairs.add_row(
                names.get(pair.first, Text(pair.first)),
                names.get(pair.second, Text(pair.second)),
                str(pair.count),
                key=f"{pair.first}+{pair.second}",
            )

    def _fill_levels(self, report: ThemeLevelReport) -> None:
        """Each theme's findings at each level: count and share of the theme's findings."""
        table = self.query_one("#recurrence-levels", DataTable)
        table.clear()
        for level in Level:
            column = table.columns.get(level.value)  # type: ignore[call-overload]
            if column is not None:
                column.label = Text(report.level_names.get(level, level.label))
        for theme in report.themes:
            table.add_row(
                self._theme_cell(theme.slug, theme.name),
                str(theme.findings),
                *(level_cell(theme.at_level.get(lv, 0), theme.findings) for lv in Level),
                key=theme.slug,
            )
        total = report.weakness_findings
        table.add_row(
            "All weakness findings",
            str(total),
            *(level_cell(report.level_findings.get(lv, 0), total) for lv in Level),
            key=ALL_WEAKNESSES,
        )
        self.query_one("#recurrence-levels-note", Static).update(
            escape(report.sentence())
            + " [dim]A finding may sit at several levels; shares are of each theme's findings.[/]"
        )

    @on(ReportFailed)
    def show_failure(self, message: ReportFailed) -> None:
        self.query_one("#recurrence-status", Static).update(
            f"Could not count themes: {escape(message.error)}"
        )

    @staticmethod
    def _highlighted_slug(table: DataTable[str]) -> str | None:
        if not table.row_count:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        return key if key and "+" not in key else None

    def _agreement_warning(self, slug: str) -> str:
        """' ⚠ Treat trends with care: coders' agreement on this theme is only slight (kappa
        0.17 in the latest moderation rounds).'"""
        from findings.agreement import format_kappa, low_agreement_words

        kappa = self.low_agreement[slug]
        return (
            f" [b]⚠ Treat trends with care:[/b] {low_agreement_words(kappa)} "
            f"(kappa {format_kappa(kappa)} in the latest moderation rounds)."
        )

    def _describe_highlighted(self) -> None:
        detail = self.query_one("#recurrence-detail", Static)
        slug = self._highlighted_slug(self.query_one("#recurrence-table", DataTable))
        theme = self.report.theme(slug) if self.report and slug else None
        if theme is None:
            detail.update("")
            return
        sources = ", ".join(SOURCE_SHORT.get(x, x) for x in theme.source_types) or "none"
        share = format_share(theme.count, self.report.weakness_findings) if self.report else ""
        detail.update(
            f"[b]{escape(theme.name)}[/b] {share}, before {theme.previous_count} "
            f"({theme.trend.value}); {escape(sources)}; {len(theme.pdus)} PDUs. "
            f"{'[b]Recurring[/b]' if theme.recurring else 'Not recurring'}: "
            f"{escape(theme.recurring_reason)}."
            + (self._agreement_warning(theme.slug) if theme.slug in self.low_agreement else "")
        )

    @on(DataTable.RowHighlighted, "#recurrence-table")
    def _highlighted(self) -> None:
        self._describe_highlighted()

    @on(DataTable.RowSelected)
    def _selected(self, event: DataTable.RowSelected) -> None:
        key = event.row_key.value
        if key and "+" not in key and key != ALL_WEAKNESSES:
            self._show_findings_of(key)

    @on(Select.Changed, "#recurrence-period")
    def _period_chosen(self, event: Select.Changed) -> None:
        if event.value == CUSTOM:
            self.action_custom_period()
        elif isinstance(event.value, int):
            self.period = period_ending(self.leap.today, event.value)

    @on(Select.Changed, "#recurrence-scope")
    def _scope_chosen(self, event: Select.Changed) -> None:
        value = event.value
        if isinstance(value, str) and value.startswith(REGION_PREFIX):
            self.pdu, self.scope_region = None, value.removeprefix(REGION_PREFIX)
        else:
            self.scope_region = None
            self.pdu = None if value == REGION or not isinstance(value, str) else value

    def watch_period(self) -> None:
        if self.leap.db_ready:
            self.load_report()

    def watch_pdu(self) -> None:
        if self.leap.db_ready:
            self.load_report()

    def watch_scope_region(self) -> None:
        if self.leap.db_ready:
            self.load_report()

    def set_period(self, start: date, end: date) -> None:
        """Show a given period (both ends inclusive)."""
        self.period = (start, end)
        self._sync_period_select()

    def action_next_period(self) -> None:
        """Cycle through the preset periods."""
        select = self.query_one("#recurrence-period", Select)
        months = [m for _, m in PRESETS]
        current = select.value if select.value in months else months[-1]
        select.value = months[(months.index(cast(int, current)) + 1) % len(months)]

    def action_custom_period(self) -> None:
        """Ask for the period's first and last days."""
        from tui.screens.date_range import DateRangeModal

        start, end = self.period or period_ending(self.leap.today, 2)

        def chosen(result: tuple[date, date] | None) -> None:
            if result is not None:
                self.period = result
            self._sync_period_select()

        self.app.push_screen(DateRangeModal(start, end, today=self.leap.today), chosen)

    def _sync_period_select(self) -> None:
        """Show the preset the period matches, or 'Custom range' when it matches none."""
        today = self.leap.today
        value = next((m for _, m in PRESETS if self.period == period_ending(today, m)), CUSTOM)
        select = self.query_one("#recurrence-period", Select)
        with select.prevent(Select.Changed):
            select.value = value

    def action_focus_scope(self) -> None:
        """Move to the scope chooser."""
        self.query_one("#recurrence-scope", Select).focus()

    def action_reload(self) -> None:
        """Count again."""
        self.load_report()

    def action_edit_rules(self) -> None:
        """Open the rules, in words and numbers, for editing."""
        from tui.screens.recurrence_rules import RulesModal

        rules = self.report.rules if self.report else RecurrenceRules()

        def chosen(result: RecurrenceRules | None) -> None:
            if result is not None and result != rules:
                self.save_rules(result)

        self.app.push_screen(RulesModal(rules), chosen)

    @work(thread=True, exclusive=True, group="recurrence-rules", exit_on_error=False)
    def save_rules(self, rules: RecurrenceRules) -> None:
        """Store the new rules, then count again."""
        from db.recurrence_store import save_rules

        try:
            with self.leap.connect() as db:
                save_rules(db, rules)
        except Exception as exc:  # noqa: BLE001 - reported on screen
            self.post_message(ReportFailed(f"the rules were not saved: {exc}"))
            return
        self.app.call_from_thread(self.notify, "Recurrence rules saved.")
        self.load_report()

    def action_show_findings(self) -> None:
        """Open the findings behind the highlighted theme's count."""
        focused = self.focused
        table = (
            focused
            if isinstance(focused, DataTable) and focused.id == "recurrence-rising"
            else self.query_one("#recurrence-table", DataTable)
        )
        slug = self._highlighted_slug(table)
        if slug:
            self._show_findings_of(slug)

    def _show_findings_of(self, slug: str) -> None:
        if self.period is None:
            return
        start, end = self.period
        flt = FindingFilter(
            themes=[slug],
            date_from=start,
            date_to=end,
            pdus=[self.pdu]
            if self.pdu
            else [p for p, r in self._pdu_regions.items() if r == self.scope_region]
            if self.scope_region
            else [],
            polarity=Polarity.WEAKNESS,
        )
        from tui.screens.findings import FindingsScreen

        self.app.switch_mode("findings")
        while len(self.app.screen_stack) > 1:
            self.app.pop_screen()
        base = self.app.get_screen_stack("findings")[0]
        if isinstance(base, FindingsScreen):
            base.show_filter(flt)
