"""Choosing the findings filters in a modal, and naming a filter set to save it as a view."""

from __future__ import annotations

from datetime import date

from pydantic import ValidationError
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Select, SelectionList, Static

from findings.filters import FindingFilter
from findings.levels import LEVEL_NAMES
from findings.models import (
    Level,
    Pdu,
    Polarity,
    Rosh,
    SourceType,
    Stage,
    Theme,
    describe_errors,
)
from tui.css import SECTIONS_CSS


class FiltersScreen(ModalScreen[FindingFilter | None]):
    """Every filter of the findings list; Apply returns the new filter, Escape changes nothing."""

    CSS_PATH = SECTIONS_CSS

    BINDINGS = [
        Binding("ctrl+s", "apply", "Apply", tooltip="Apply these filters", id="filters.apply"),
        Binding("ctrl+l", "clear", "Clear all", tooltip="Clear every filter", id="filters.clear"),
        Binding(
            "escape",
            "cancel",
            "Cancel",
            tooltip="Close, keeping the old filters",
            id="filters.cancel",
        ),
    ]

    def __init__(
        self,
        current: FindingFilter,
        pdus: list[Pdu],
        themes: list[Theme],
        level_names: dict[Level, str] | None = None,
        regions: dict[str, str] | None = None,
    ) -> None:
        super().__init__()
        self.current = current
        self.pdus = pdus
        self.themes = themes
        self.level_names = level_names or LEVEL_NAMES
        self.regions = regions or {}
        """Region code to name; the Region filter shows only when the file holds several."""

    def compose(self) -> ComposeResult:
        c = self.current
        with Vertical(id="filters-frame", classes="modal-frame"):
            yield Static("[b]Filter findings[/b]  [dim]Space ticks · Ctrl+S apply · Esc cancel[/]")
            yield Static("", id="filters-error", classes="form-error", markup=False)
            with VerticalScroll(id="filters-body"):
                with Horizontal(classes="form-row"):
                    yield Label("Text", classes="form-label")
                    yield Input(c.text, placeholder='words, "a phrase", prefix*', id="flt-text")
                with Horizontal(classes="form-row"):
                    yield Label("From", classes="form-label")
                    yield Input(
                        c.date_from.isoformat() if c.date_from else "",
                        placeholder="YYYY-MM-DD",
                        id="flt-from",
                    )
                with Horizontal(classes="form-row"):
                    yield Label("To", classes="form-label")
                    yield Input(
                        c.date_to.isoformat() if c.date_to else "",
                        placeholder="YYYY-MM-DD",
                        id="flt-to",
                    )
                with Horizontal(classes="form-row"):
                    yield Label("Polarity", classes="form-label")
                    yield Select(
                        [("Weaknesses", "weakness"), ("Strengths", "strength")],
                        prompt="Either",
                        value=c.polarity.value if c.polarity else Select.NULL,
                        id="flt-polarity",
                    )
                yield Label("Source", classes="filter-heading")
                yield SelectionList[str](
                    *[(s.label, s.value, s in c.source_types) for s in SourceType],
                    id="flt-source",
                )
                if len(self.regions) > 1:
                    yield Label("Region", classes="filter-heading")
                    yield SelectionList[str](
                        *[(name, code, code in c.regions) for code, name in self.regions.items()],
                        id="flt-region",
                    )
                yield Label("PDU", classes="filter-heading")
                yield SelectionList[str](
                    *[(p.name, p.code, p.code in c.pdus) for p in self.pdus], id="flt-pdu"
                )
                yield Label("Stage", classes="filter-heading")
                yield SelectionList[str](
                    *[(s.label, s.value, s in c.stages) for s in Stage], id="flt-stage"
                )
                yield Label("Theme", classes="filter-heading")
                yield SelectionList[str](
                    *[(t.name, t.slug, t.slug in c.themes) for t in self.themes], id="flt-theme"
                )
                yield Label("Level (where the failure sat)", classes="filter-heading")
                yield SelectionList[str](
                    *[
                        (self.level_names.get(lv, lv.label), lv.value, lv in c.levels)
                        for lv in Level
                    ],
                    id="flt-level",
                )
                yield Label("RoSH", classes="filter-heading")
                yield SelectionList[str](
                    *[(r.label, r.value, r in c.rosh) for r in Rosh], id="flt-rosh"
                )
            with Horizontal(classes="form-buttons"):
                yield Button("Clear all (Ctrl+L)", id="filters-clear")
                yield Button("Cancel (Esc)", id="filters-cancel")
                yield Button("Apply (Ctrl+S)", id="filters-apply", variant="primary")

    def on_mount(self) -> None:
        self.query_one("#filters-error").display = False
        for widget in self.query("Input, Select"):
            widget.compact = True  # type: ignore[attr-defined]
        self.query_one("#flt-text", Input).focus()

    def _selected(self, widget_id: str) -> list[str]:
        return list(self.query_one(widget_id, SelectionList).selected)

    def build(self) -> FindingFilter:
        """The filter the form describes (raises ValueError with a message if it is wrong)."""
        dates: dict[str, date | None] = {}
        for key, widget_id, label in (
            ("date_from", "#flt-from", "From"),
            ("date_to", "#flt-to", "To"),
        ):
            text = self.query_one(widget_id, Input).value.strip()
            try:
                dates[key] = date.fromisoformat(text) if text else None
            except ValueError:
                raise ValueError(f"{label}: '{text}' is not a date like 2026-03-01.") from None
        start, end = dates["date_from"], dates["date_to"]
        if start and end and start > end:
            raise ValueError(f"From ({start:%Y-%m-%d}) is after To ({end:%Y-%m-%d}).")
        polarity = self.query_one("#flt-polarity", Select).value
        c = self.current
        try:
            return FindingFilter(
                text=self.query_one("#flt-text", Input).value.strip(),
                source_types=[SourceType(v) for v in self._selected("#flt-source")],
                regions=self._selected("#flt-region") if len(self.regions) > 1 else c.regions,
                pdus=self._selected("#flt-pdu"),
                stages=[Stage(v) for v in self._selected("#flt-stage")],
                themes=self._selected("#flt-theme"),
                levels=[Level(v) for v in self._selected("#flt-level")],
                rosh=[Rosh(v) for v in self._selected("#flt-rosh")],
                polarity=None if polarity is Select.NULL else Polarity(str(polarity)),
                date_from=dates["date_from"],
                date_to=dates["date_to"],
            )
        except ValidationError as exc:
            raise ValueError("; ".join(describe_errors(exc))) from None

    @on(Button.Pressed)
    def pressed(self, event: Button.Pressed) -> None:
        actions = {
            "filters-apply": self.action_apply,
            "filters-cancel": self.action_cancel,
            "filters-clear": self.action_clear,
        }
        if event.button.id in actions:
            actions[event.button.id]()

    @on(Input.Submitted)
    def submitted(self) -> None:
        self.action_apply()

    def action_apply(self) -> None:
        """Close and show the findings matching these filters."""
        try:
            flt = self.build()
        except ValueError as exc:
            error = self.query_one("#filters-error", Static)
            error.update(str(exc))
            error.display = True
            return
        self.dismiss(flt)

    def action_clear(self) -> None:
        """Untick and empty every filter (Apply shows all findings)."""
        for selection in self.query(SelectionList):
            selection.deselect_all()
        for field in self.query(Input):
            field.value = ""
        self.query_one("#flt-polarity", Select).clear()

    def action_cancel(self) -> None:
        """Close without changing the filters."""
        self.dismiss(None)


class SaveViewScreen(ModalScreen[str | None]):
    """Ask for the name to save the current filters under."""

    CSS_PATH = SECTIONS_CSS

    BINDINGS = [
        Binding("escape", "cancel", "Cancel", tooltip="Close without saving", id="view.cancel"),
    ]

    def __init__(self, description: str) -> None:
        super().__init__()
        self.description = description

    def compose(self) -> ComposeResult:
        with Vertical(classes="modal-frame small"):
            yield Static("[b]Save these filters as a view[/b]")
            yield Static(self.description, markup=False, classes="dim")
            yield Input(placeholder="Name of the view, then Enter", id="view-name", max_length=200)
            yield Static("", id="view-error", classes="form-error", markup=False)

    def on_mount(self) -> None:
        self.query_one("#view-error").display = False

    @on(Input.Submitted, "#view-name")
    def named(self, event: Input.Submitted) -> None:
        from db.views_store import ViewError, clean_view_name

        try:
            name = clean_view_name(event.value)
        except ViewError as exc:
            error = self.query_one("#view-error", Static)
            error.update(str(exc))
            error.display = True
            return
        self.dismiss(name)

    def action_cancel(self) -> None:
        """Close without saving."""
        self.dismiss(None)
