"""Recording or editing one finding: a modal form validated field by field as you leave it."""

from __future__ import annotations

import sqlite3
from typing import TYPE_CHECKING, Any, cast

from pydantic import ValidationError
from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.fuzzy import Matcher
from textual.message import Message
from textual.screen import ModalScreen
from textual.timer import Timer
from textual.widget import Widget
from textual.widgets import Button, Input, Label, OptionList, Select, Static, TextArea
from textual.widgets.option_list import Option

from findings import suggest
from findings.levels import suggest_levels
from findings.models import (
    LEVEL_ORDER,
    Finding,
    Level,
    LevelTag,
    Polarity,
    Rosh,
    SourceType,
    Stage,
    TagOrigin,
    Theme,
    describe_errors,
)
from findings.suggest import Suggestion, ThemeChoices
from tui.css import SECTIONS_CSS
from tui.screens.form_fields import (
    ALL_DETAILS,
    DETAIL_FIELDS,
    FIELD_ORDER,
    REFERENCE_LABELS,
    SELECTS,
    SHARED_INPUTS,
    FormContext,
    friendly,
)

if TYPE_CHECKING:
    from tui.app import LeapApp

SUGGEST_DELAY = 0.3
"""Seconds of quiet typing before the narrative is tagged again."""


class SuggestionsReady(Message):
    """The worker tagged the narrative (generation says which keystroke it answers)."""

    def __init__(self, generation: int, suggestions: list[Suggestion]) -> None:
        super().__init__()
        self.generation = generation
        self.suggestions = suggestions


class SaveFailed(Message):
    """The save was refused or failed; the form stays open with the typed text."""

    def __init__(self, message: str) -> None:
        super().__init__()
        self.message = message


class SaveDone(Message):
    """The finding was stored."""

    def __init__(self, finding: Finding) -> None:
        super().__init__()
        self.finding = finding


class FindingFormScreen(ModalScreen[Finding | None]):
    """A form for a new finding, or for editing one (its version guards the save)."""

    CSS_PATH = SECTIONS_CSS

    BINDINGS = [
        Binding(
            "ctrl+s", "save", "Save", tooltip="Check the form and save the finding", id="form.save"
        ),
        Binding(
            "escape",
            "cancel",
            "Cancel",
            tooltip="Close the form (asks if you typed)",
            id="form.cancel",
        ),
        Binding(
            "ctrl+t", "focus_themes", "Themes", tooltip="Jump to the themes part", id="form.themes"
        ),
        Binding(
            "ctrl+l",
            "focus_levels",
            "Levels",
            tooltip="Jump to the contributory levels part",
            id="form.levels",
        ),
    ]

    def __init__(self, context: FormContext, finding: Finding | None = None) -> None:
        super().__init__()
        self.context = context
        self.original = finding
        self.choices = (
            ThemeChoices.from_tags(finding.themes, finding.rejected_themes)
            if finding
            else ThemeChoices()
        )
        # Levels are confirmed, rejected and added just as themes are (keyed by level value).
        self.level_choices = ThemeChoices(
            tags={str(t.level): t.origin for t in finding.levels} if finding else {}
        )
        self.touched: set[str] = set()
        self.names = {t.slug: t.name for t in context.themes}
        self._generation = 0
        self._suggest_timer: Timer | None = None
        self._initial: dict[str, Any] = {}
        self._saving = False
        self._refused = False
        """Whether the banner says the last save was refused (its count follows the fixes)."""

    # -- layout ---------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        f = self.original
        ctx = self.context
        title = "Edit finding" if f else "Record a finding"
        with Vertical(id="form-frame"):
            yield Static(
                f"[b]{title}[/b]  [dim]Ctrl+S save · Esc cancel · Tab next field[/]",
                id="form-title",
            )
            yield Static("", id="form-banner", classes="hidden", markup=False)
            with VerticalScroll(id="form-body"):
                yield from self._row(
                    "source_type",
                    "Source",
                    Select(
                        [(s.label, s.value) for s in SourceType],
                        prompt="Choose the source first",
                        value=f.source_type.value if f else Select.NULL,
                    ),
                )
                for key, spec in ALL_DETAILS.items():
                    value = f.details.get(key, "") if f else ""
                    widget: Widget
                    if spec.choices:
                        known = value in {v for _, v in spec.choices}
                        widget = Select(
                            list(spec.choices),
                            prompt="Choose…",
                            value=value if known else Select.NULL,
                        )
                    else:
                        widget = Input(value, max_length=200)
                    yield from self._row(key, spec.label, widget, detail=True)
                yield from self._row(
                    "source_ref", "Reference", Input(f.source_ref if f else "", max_length=200)
                )
                yield from self._row(
                    "pdu",
                    "PDU",
                    Select(
                        [(p.name, p.code) for p in ctx.pdus],
                        prompt="Choose the PDU",
                        value=f.pdu if f and f.pdu in {p.code for p in ctx.pdus} else Select.NULL,
                    ),
                )
                yield from self._row(
                    "event_date",
                    "Event date",
                    Input(f.event_date.isoformat() if f else "", placeholder="YYYY-MM-DD"),
                )
                yield from self._row(
                    "recorded_date",
                    "Recorded on",
                    Input(
                        (f.recorded_date if f else ctx.today).isoformat(), placeholder="YYYY-MM-DD"
                    ),
                )
                yield from self._row(
                    "stage",
                    "Stage",
                    Select(
                        [(s.label, s.value) for s in Stage],
                        prompt="Choose the stage",
                        value=f.stage.value if f else Select.NULL,
                    ),
                )
                yield from self._row(
                    "polarity",
                    "Weakness/strength",
                    Select(
                        [("Weakness", "weakness"), ("Strength (good practice)", "strength")],
                        allow_blank=False,
                        value=(f.polarity if f else Polarity.WEAKNESS).value,
                    ),
                )
                yield from self._row(
                    "rosh",
                    "RoSH",
                    Select(
                        [(r.label, r.value) for r in Rosh],
                        allow_blank=False,
                        value=(f.rosh if f else Rosh.UNKNOWN).value,
                    ),
                )
                yield from self._row(
                    "crn", "CRN (optional)", Input(f.crn or "" if f else "", placeholder="X123456")
                )
                yield from self._row(
                    "summary", "Summary", Input(f.summary if f else "", max_length=400)
                )
                yield Label("Narrative", classes="filter-heading")
                yield TextArea(
                    f.narrative if f else "",
                    id="f-narrative",
                    soft_wrap=True,
                    tab_behavior="focus",
                    compact=True,
                )
                yield Static("", id="e-narrative", classes="form-error", markup=False)
                yield Label(
                    "Themes  [dim](? suggested · ✓ confirmed · + added by you)[/]",
                    classes="filter-heading",
                )
                yield Vertical(id="theme-rows")
                yield Input(
                    placeholder="Add a theme: type part of its name, Enter adds",
                    id="theme-add",
                    compact=True,
                )
                yield OptionList(id="theme-matches", classes="hidden")
                yield Static("", id="e-themes", classes="form-error", markup=False)
                yield Label(
                    "Levels  [dim]where the failure sat · ? suggested · ✓ confirmed · + yours[/]",
                    classes="filter-heading",
                )
                yield Vertical(id="level-rows")
                yield Static("", id="e-levels", classes="form-error", markup=False)
            with Horizontal(id="form-buttons"):
                yield Button("Cancel (Esc)", id="form-cancel")
                yield Button("Save (Ctrl+S)", id="form-save", variant="primary")

    def _row(self, name: str, label: str, widget: Widget, *, detail: bool = False) -> ComposeResult:
        widget.id = f"f-{name}"
        widget.compact = True  # type: ignore[attr-defined]  # one line a field: fits 80x24
        classes = "form-row detail-row hidden" if detail else "form-row"
        with Horizontal(classes=classes, id=f"row-{name}"):
            yield Label(label, classes="form-label", id=f"label-{name}")
            yield widget
        yield Static("", id=f"e-{name}", classes="form-error", markup=False)

    def on_mount(self) -> None:
        self._show_details_for(self._value("source_type"))
        self._refresh_theme_rows()
        self._initial = self._raw()
        self.query_one("#f-source_type", Select).focus()
        if self.original and self.original.narrative:
            self._schedule_suggestions()

    # -- reading and validating ---------------------------------------------------------

    def _value(self, name: str) -> str:
        widget = self.query_one(f"#f-{name}")
        if isinstance(widget, Select):
            value = widget.value
            return "" if value is Select.NULL else str(value)
        if isinstance(widget, TextArea):
            return widget.text
        return cast(Input, widget).value

    def _raw(self) -> dict[str, Any]:
        names = [*SELECTS, *SHARED_INPUTS, "narrative", *ALL_DETAILS]
        raw: dict[str, Any] = {n: self._value(n) for n in names}
        # Suggestions arriving by themselves are not the user's typing: not counted as changes.
        raw["themes"] = {k: v for k, v in self.choices.tags.items() if v is not TagOrigin.SUGGESTED}
        raw["rejected"] = set(self.choices.rejected)
        raw["levels"] = {
            k: v for k, v in self.level_choices.tags.items() if v is not TagOrigin.SUGGESTED
        }
        return raw

    def _source(self) -> SourceType | None:
        value = self._value("source_type")
        return SourceType(value) if value else None

    def build(self) -> tuple[Finding | None, dict[str, str]]:
        """The finding the form describes, or the message for each field that is wrong."""
        errors: dict[str, str] = {}
        source = self._source()
        # Keys this form does not know (from an import) are kept as they were.
        original = self.original.details if self.original else {}
        details = {k: v for k, v in original.items() if k not in ALL_DETAILS}
        for spec in DETAIL_FIELDS.get(source, ()) if source else ():
            value = self._value(spec.key).strip()
            if value:
                details[spec.key] = value
            elif self.original is None or spec.key in self.original.details:
                # Required when recording; a finding stored without it (an import) stays editable.
                errors[spec.key] = "Required for this source."
        data: dict[str, Any] = {
            "source_ref": self._value("source_ref"),
            "event_date": self._value("event_date").strip() or None,
            "recorded_date": self._value("recorded_date").strip() or None,
            "summary": self._value("summary"),
            "narrative": self._value("narrative"),
            "crn": self._value("crn") or None,
            "themes": self.choices.to_tags(),
            "rejected_themes": sorted(self.choices.rejected),
            "levels": [
                LevelTag(level=Level(value), origin=origin)
                for value, origin in self.level_choices.tags.items()
            ],
            "details": details,
        }
        for name in SELECTS:
            if self._value(name):
                data[name] = self._value(name)
        if self.original:
            data.update(
                id=self.original.id,
                version=self.original.version,
                recorded_by=self.original.recorded_by,
            )
        else:
            data["recorded_by"] = self.context.actor
        try:
            finding = Finding.model_validate(
                {k: v for k, v in data.items() if v is not None}, context=self.context.validation
            )
        except ValidationError as exc:
            for err in exc.errors():
                loc = err.get("loc", ())
                name = str(loc[0]) if loc else "recorded_date"
                errors.setdefault(name, friendly(dict(err)))
            return None, errors
        return (None, errors) if errors else (finding, {})

    def _show_errors(self, errors: dict[str, str], *, only_touched: bool = True) -> None:
        for name in FIELD_ORDER:
            message = errors.get(name, "") if (not only_touched or name in self.touched) else ""
            for node in self.query(f"#e-{name}"):
                cast(Static, node).update(message)
                node.display = bool(message)

    def validate_touched(self) -> None:
        """Re-check the form and show messages beside the fields already left."""
        _, errors = self.build()
        self._show_errors(errors)
        self._recount(errors)

    def _recheck_while_typing(self) -> None:
        """Clear (or reword) the messages already shown as the user fixes them, and keep the
        banner's count true; a field gets a new message only once it is left."""
        shown = [n for n in FIELD_ORDER if any(node.display for node in self.query(f"#e-{n}"))]
        if not shown and not self._refused:
            return
        _, errors = self.build()
        self._show_errors({name: errors[name] for name in shown if name in errors})
        self._recount(errors)

    def _recount(self, errors: dict[str, str]) -> None:
        """After a refused save, the banner counts the fields still needing attention."""
        if not self._refused:
            return
        if errors:
            self._banner(f"Not saved: {len(errors)} field(s) need attention.")
        else:
            self._banner("Nothing needs attention now: Ctrl+S saves.")

    # -- events ---------------------------------------------------------------------------

    @on(events.DescendantBlur)
    def field_left(self, event: events.DescendantBlur) -> None:
        widget_id = event.widget.id or ""
        if widget_id.startswith("f-"):
            self.touched.add(widget_id[2:])
            self.validate_touched()

    @on(Select.Changed)
    def select_changed(self, event: Select.Changed) -> None:
        widget_id = event.select.id or ""
        if widget_id == "f-source_type":
            self._show_details_for(self._value("source_type"))
        if widget_id.startswith("f-") and self.is_mounted:
            self.touched.add(widget_id[2:])
            self.validate_touched()

    def _show_details_for(self, source: str) -> None:
        wanted = {f.key for f in DETAIL_FIELDS.get(SourceType(source), ())} if source else set()
        for key in ALL_DETAILS:
            self.query_one(f"#row-{key}").set_class(key not in wanted, "hidden")
            if key not in wanted:
                self.touched.discard(key)
        label = REFERENCE_LABELS.get(SourceType(source), "Reference") if source else "Reference"
        self.query_one("#label-source_ref", Label).update(label)

    @on(TextArea.Changed, "#f-narrative")
    def narrative_changed(self) -> None:
        self._schedule_suggestions()

    @on(Input.Changed)
    @on(TextArea.Changed)
    def field_typed(self, event: Input.Changed | TextArea.Changed) -> None:
        if (event.control.id or "").startswith("f-") and self.is_mounted:
            self._recheck_while_typing()

    def _schedule_suggestions(self) -> None:
        self._generation += 1
        if self._suggest_timer is not None:
            self._suggest_timer.stop()
        generation = self._generation
        self._suggest_timer = self.set_timer(
            SUGGEST_DELAY, lambda: self.compute_suggestions(generation, self._value("narrative"))
        )

    @work(thread=True, exclusive=True, group="suggest", exit_on_error=False)
    def compute_suggestions(self, generation: int, text: str) -> None:
        """Tag the narrative off the UI thread."""
        try:
            found = suggest.suggest_themes(
                text,
                self.context.user_themes,
                model_text=self.context.tagger_model,
                model_packed=self.context.tagger_model_packed,
            )
        except Exception:  # noqa: BLE001 - suggestions are a help, never a reason to crash
            found = []
        self.post_message(SuggestionsReady(generation, found))

    @on(SuggestionsReady)
    def suggestions_ready(self, message: SuggestionsReady) -> None:
        if message.generation != self._generation:
            return  # the user typed again meanwhile
        self.choices.apply(message.suggestions, self.names)
        self._refresh_theme_rows()

    def _refresh_theme_rows(self) -> None:
        rows = self.query_one("#theme-rows", Vertical)
        rows.remove_children()
        if not self.choices.tags:
            rows.mount(Static("[dim]None yet: type the narrative, or add one below.[/]"))
            self._refresh_level_rows()
            return
        marks = {TagOrigin.SUGGESTED: "?", TagOrigin.CONFIRMED: "✓", TagOrigin.MANUAL: "+"}
        for slug, origin in self.choices.tags.items():
            evidence = self.choices.evidence.get(slug, ())
            text = f"{marks[origin]} {self.names.get(slug, slug)}"
            if origin is TagOrigin.SUGGESTED and slug in self.choices.confidence:
                text += f" ({self.choices.confidence[slug]})"
            if evidence:
                text += "  — " + ", ".join(f"“{e}”" for e in evidence[:3])
            buttons: list[Widget] = []
            if origin is TagOrigin.SUGGESTED:
                buttons.append(
                    Button("Confirm", name=f"confirm:{slug}", compact=True, variant="success")
                )
            buttons.append(
                Button(
                    "Reject" if origin is TagOrigin.SUGGESTED else "Remove",
                    name=f"reject:{slug}",
                    compact=True,
                )
            )
            rows.mount(
                Horizontal(
                    Static(text, classes="theme-text", markup=False), *buttons, classes="theme-row"
                )
            )
        self._refresh_level_rows()

    def _refresh_level_rows(self) -> None:
        """Suggest levels from the themes and text, then show the four levels with buttons."""
        slugs = [s for s in self.choices.tags]
        text = f"{self._value('summary')}\n{self._value('narrative')}"[: suggest.MAX_SUGGEST_CHARS]
        found = suggest_levels(slugs, text, theme_names=self.names)
        self.level_choices.apply(
            [suggest.Suggestion(str(s.level), 1.0, (s.reason,)) for s in found],
            {str(level) for level in Level},
        )
        rows = self.query_one("#level-rows", Vertical)
        rows.remove_children()
        marks = {TagOrigin.SUGGESTED: "?", TagOrigin.CONFIRMED: "✓", TagOrigin.MANUAL: "+"}
        names = self.context.level_names
        for level in sorted(Level, key=LEVEL_ORDER.__getitem__):
            origin = self.level_choices.tags.get(str(level))
            name = names.get(level, level.label)
            buttons: list[Widget] = []
            if origin is None:
                text = f"· {name}"
                buttons.append(Button("Add", name=f"level-add:{level}", compact=True))
            else:
                text = f"{marks[origin]} {name}"
                if origin is TagOrigin.SUGGESTED:
                    reason = self.level_choices.evidence.get(str(level), ())
                    text += "  — " + "; ".join(reason) if reason else ""
                    buttons.append(
                        Button(
                            "Confirm",
                            name=f"level-confirm:{level}",
                            compact=True,
                            variant="success",
                        )
                    )
                buttons.append(
                    Button(
                        "Reject" if origin is TagOrigin.SUGGESTED else "Remove",
                        name=f"level-reject:{level}",
                        compact=True,
                    )
                )
            rows.mount(
                Horizontal(
                    Static(text, classes="theme-text", markup=False),
                    *buttons,
                    classes="theme-row",
                )
            )

    def change_level(self, verb: str, level: str) -> None:
        """Confirm, reject (remove) or add one level, as themes are."""
        if verb == "level-confirm":
            self.level_choices.confirm(level)
        elif verb == "level-add":
            self.level_choices.add(level)
        else:
            self.level_choices.reject(level)
        self._refresh_level_rows()

    @on(Button.Pressed)
    def button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "form-save":
            self.action_save()
        elif event.button.id == "form-cancel":
            self.action_cancel()
        elif event.button.name and event.button.name.startswith("level-"):
            self.change_level(*event.button.name.split(":", 1))
        elif event.button.name and ":" in event.button.name:
            verb, slug = event.button.name.split(":", 1)
            if verb == "confirm":
                self.confirm_theme(slug)
            else:
                self.reject_theme(slug)

    def confirm_theme(self, slug: str) -> None:
        """Agree with a suggested theme."""
        self.choices.confirm(slug)
        self._refresh_theme_rows()

    def reject_theme(self, slug: str) -> None:
        """Remove a theme (saved with the finding: it is not suggested for it again)."""
        self.choices.reject(slug)
        self._refresh_theme_rows()

    def add_theme(self, slug: str) -> None:
        """Attach a theme chosen by name."""
        self.choices.add(slug)
        self._refresh_theme_rows()
        add = self.query_one("#theme-add", Input)
        add.value = ""
        self.query_one("#theme-matches", OptionList).add_class("hidden")

    def theme_matches(self, query: str) -> list[tuple[float, Theme]]:
        """Active themes not yet attached whose name fuzzily matches ``query``, best first."""
        matcher = Matcher(query)
        scored = [
            (matcher.match(t.name + " " + t.slug), t)
            for t in self.context.themes
            if t.slug not in self.choices.tags
        ]
        return sorted([s for s in scored if s[0] > 0], key=lambda s: -s[0])[:6]

    @on(Input.Changed, "#theme-add")
    def theme_query_changed(self, event: Input.Changed) -> None:
        matches = self.query_one("#theme-matches", OptionList)
        query = event.value.strip()
        found = self.theme_matches(query) if query else []
        matches.set_options([Option(t.name, id=t.slug) for _, t in found])
        matches.set_class(not found, "hidden")

    @on(Input.Submitted, "#theme-add")
    def theme_query_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        found = self.theme_matches(event.value.strip()) if event.value.strip() else []
        if found:
            self.add_theme(found[0][1].slug)

    @on(OptionList.OptionSelected, "#theme-matches")
    def theme_picked(self, event: OptionList.OptionSelected) -> None:
        if event.option.id:
            self.add_theme(event.option.id)
            self.query_one("#theme-add", Input).focus()

    @on(Input.Submitted)
    def input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id != "theme-add":
            self.focus_next()

    # -- actions --------------------------------------------------------------------------

    def action_focus_themes(self) -> None:
        """Put the cursor in the add-a-theme box."""
        self.query_one("#theme-add", Input).focus()

    def action_focus_levels(self) -> None:
        """Put the cursor on the first level's button."""
        buttons = self.query("#level-rows Button")
        if buttons:
            buttons.first().focus()

    def action_save(self) -> None:
        """Save if the form is valid; otherwise show every problem and refuse."""
        if self._saving:
            return
        finding, errors = self.build()
        self.touched.update(FIELD_ORDER)
        self._show_errors(errors)
        if finding is None:
            first = next((n for n in FIELD_ORDER if n in errors), None)
            self._refused = True
            self._recount(errors)
            if first and (targets := self.query(f"#f-{first}")):
                targets.first().focus()
            return
        self._saving = True
        self._refused = False
        self.query_one("#form-save", Button).disabled = True
        self._banner("Saving…")
        self.save(finding)

    @work(thread=True, exclusive=True, group="form-save", exit_on_error=False)
    def save(self, finding: Finding) -> None:
        """Write the finding; any refusal or database error comes back as a message."""
        from db import findings_store
        from db.connection import StoreError

        app = cast("LeapApp", self.app)
        try:
            with app.connect() as db:
                stored = findings_store.save_finding(db, finding, today=self.context.today)
        except findings_store.VersionConflict as exc:
            self.post_message(SaveFailed(str(exc)))
        except ValidationError as exc:
            self.post_message(SaveFailed("Not saved: " + "; ".join(describe_errors(exc))))
        except (sqlite3.Error, StoreError, OSError) as exc:
            self.post_message(
                SaveFailed(f"Could not save ({exc}). Your text is kept: try again with Ctrl+S.")
            )
        else:
            self.post_message(SaveDone(stored))

    @on(SaveFailed)
    def save_failed(self, message: SaveFailed) -> None:
        self._saving = False
        self.query_one("#form-save", Button).disabled = False
        self._banner(message.message, error=True)
        self.app.bell()

    @on(SaveDone)
    def save_done(self, message: SaveDone) -> None:
        self.dismiss(message.finding)

    def _banner(self, text: str, *, error: bool = False) -> None:
        banner = self.query_one("#form-banner", Static)
        banner.update(text)
        banner.set_class(not text, "hidden")
        banner.set_class(error, "error")

    def is_dirty(self) -> bool:
        """True if anything differs from how the form opened."""
        return self._raw() != self._initial

    def action_cancel(self) -> None:
        """Close without saving; asks first if anything was typed."""
        if not self.is_dirty():
            self.dismiss(None)
            return
        from tui.screens.confirm import ConfirmScreen

        def answered(discard: bool | None) -> None:
            if discard:
                self.dismiss(None)

        self.app.push_screen(
            ConfirmScreen("Discard what you typed in this form?", yes="Discard", no="Keep editing"),
            answered,
        )
