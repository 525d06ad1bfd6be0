"""The themes section: every theme with its count; add, rename, deactivate and merge themes."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.screen import ModalScreen, Screen
from textual.widgets import Button, DataTable, Input, Label, Select, Static

from findings.filters import FindingFilter
from findings.models import Level, Pdu, Stage, Theme
from findings.theme_names import short_name
from tui.chrome import KeysFooter, TitleBar
from tui.columns import NameOrShort, TableColumn
from tui.css import SECTIONS_CSS
from tui.fitted_table import FittedTable

if TYPE_CHECKING:
    from tui.app import LeapApp


COLUMNS = (
    TableColumn("name", "Theme", 24, grow=3, most=54),
    TableColumn("count", "Findings", 8),
    TableColumn("stage", "Stage", 12, grow=2, most=27),
    TableColumn("status", "Status", 16, grow=1, most=40),
)
"""The themes table: full names and stages wherever the screen allows them."""


class ThemesLoaded(Message):
    """The worker loaded the taxonomy and the counts under the current filter."""

    def __init__(self, themes: list[Theme], counts: dict[str, int], error: str = "") -> None:
        super().__init__()
        self.themes = themes
        self.counts = counts
        self.error = error


class ThemeEditScreen(ModalScreen[dict[str, object] | None]):
    """Add a user theme, or rename one: name, description and the tagger's cue phrases."""

    CSS_PATH = SECTIONS_CSS

    BINDINGS = [
        Binding("ctrl+s", "save", "Save", tooltip="Save the theme", id="theme_edit.save"),
        Binding(
            "escape", "cancel", "Cancel", tooltip="Close without saving", id="theme_edit.cancel"
        ),
    ]

    def __init__(self, theme: Theme | None = None) -> None:
        super().__init__()
        self.theme = theme

    def compose(self) -> ComposeResult:
        t = self.theme
        with Vertical(classes="modal-frame small"):
            yield Static(f"[b]{'Rename theme' if t else 'Add a theme'}[/b]  [dim]Ctrl+S save[/]")
            with Horizontal(classes="form-row"):
                yield Label("Name", classes="form-label")
                yield Input(t.name if t else "", id="theme-name", max_length=200)
            with Horizontal(classes="form-row"):
                yield Label("Description", classes="form-label")
                yield Input(t.description if t else "", id="theme-description", max_length=2000)
            if t is None:
                with Horizontal(classes="form-row"):
                    yield Label("Stage", classes="form-label")
                    yield Select(
                        [(s.label, s.value) for s in Stage],
                        allow_blank=False,
                        value=Stage.ORGANISATIONAL.value,
                        id="theme-stage",
                    )
            if t is None or not t.builtin:
                with Horizontal(classes="form-row"):
                    yield Label("Cue phrases", classes="form-label")
                    yield Input(
                        "; ".join(t.cues) if t else "",
                        placeholder="phrases the tagger looks for, separated by ;",
                        id="theme-cues",
                    )
            yield Static("", id="theme-error", classes="form-error", markup=False)
            with Horizontal(classes="form-buttons"):
                yield Button("Cancel (Esc)", id="theme-cancel")
                yield Button("Save (Ctrl+S)", id="theme-save", variant="primary")

    def on_mount(self) -> None:
        self.query_one("#theme-error").display = False
        for widget in self.query("Input, Select"):
            widget.compact = True  # type: ignore[attr-defined]
        self.query_one("#theme-name", Input).focus()

    def action_save(self) -> None:
        """Return the typed values (checked with the Theme model first)."""
        from pydantic import ValidationError

        from findings.models import describe_errors, slugify

        values: dict[str, object] = {
            "name": self.query_one("#theme-name", Input).value,
            "description": self.query_one("#theme-description", Input).value,
        }
        if self.query("#theme-cues"):
            cues = self.query_one("#theme-cues", Input).value
            values["cues"] = [c.strip() for c in cues.split(";") if c.strip()]
        if self.query("#theme-stage"):
            values["stage"] = Stage(str(self.query_one("#theme-stage", Select).value))
        try:
            Theme.model_validate({"slug": slugify(str(values["name"]) or "x"), **values})
        except ValidationError as exc:
            error = self.query_one("#theme-error", Static)
            error.update("; ".join(describe_errors(exc)))
            error.display = True
            return
        self.dismiss(values)

    @on(Input.Submitted)
    def submitted(self) -> None:
        self.action_save()

    @on(Button.Pressed)
    def pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "theme-save":
            self.action_save()
        elif event.button.id == "theme-cancel":
            self.action_cancel()

    def action_cancel(self) -> None:
        """Close without saving."""
        self.dismiss(None)


class MergeScreen(ModalScreen[str | None]):
    """Choose the theme another is merged into."""

    CSS_PATH = SECTIONS_CSS

    BINDINGS = [
        Binding("escape", "cancel", "Cancel", tooltip="Close without merging", id="merge.cancel"),
    ]

    def __init__(self, source: Theme, targets: list[Theme]) -> None:
        super().__init__()
        self.source = source
        self.targets = targets

    def compose(self) -> ComposeResult:
        with Vertical(classes="modal-frame small"):
            yield Static(
                f"Merge “{self.source.name}” into… (its findings move there; it is deactivated)",
                markup=False,
            )
            yield Select([(Text(t.name), t.slug) for t in self.targets], id="merge-target")
            with Horizontal(classes="form-buttons"):
                yield Button("Cancel (Esc)", id="merge-cancel")
                yield Button("Merge", id="merge-ok", variant="warning")

    def on_mount(self) -> None:
        self.query_one("#merge-target", Select).focus()

    @on(Button.Pressed)
    def pressed(self, event: Button.Pressed) -> None:
        target = self.query_one("#merge-target", Select).value
        if event.button.id == "merge-ok" and target is not Select.NULL:
            self.dismiss(str(target))
        elif event.button.id == "merge-cancel":
            self.action_cancel()

    def action_cancel(self) -> None:
        """Close without merging."""
        self.dismiss(None)


class TaxonomyScreen(Screen[None]):
    """Every theme, built in or added, with its description and count under the filter."""

    CSS_PATH = SECTIONS_CSS

    BINDINGS = [
        Binding(
            "a", "add_theme", "Add", tooltip="Add a theme with its own cue phrases", id="themes.add"
        ),
        Binding(
            "r",
            "rename_theme",
            "Rename",
            tooltip="Rename the highlighted theme",
            id="themes.rename",
        ),
        Binding(
            "x",
            "toggle_active",
            "(De)activate",
            tooltip="Deactivate or reactivate the highlighted theme",
            id="themes.toggle",
        ),
        Binding(
            "m",
            "merge_theme",
            "Merge",
            tooltip="Merge the highlighted theme into another",
            id="themes.merge",
        ),
        Binding(
            "f",
            "filters",
            "Filters",
            tooltip="Count findings under other filters",
            id="themes.filters",
        ),
        Binding(
            "l",
            "level_names",
            "Levels",
            tooltip="Rename the contributory levels (practice, supervision...)",
            id="themes.levels",
        ),
        Binding(
            "ctrl+r",
            "reload",
            "Reload",
            tooltip="Reload the themes",
            id="themes.reload",
            show=False,
        ),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.themes: list[Theme] = []
        self.filter = FindingFilter()

    @property
    def leap(self) -> LeapApp:
        return cast("LeapApp", self.app)

    def compose(self) -> ComposeResult:
        yield TitleBar()
        yield Static("Loading themes…", id="themes-status", markup=False)
        yield FittedTable(id="themes-table")
        yield Static("", id="theme-description", markup=False)
        with Horizontal(id="themes-buttons"):
            yield Button("Add (a)", id="btn-add", compact=True)
            yield Button("Rename (r)", id="btn-rename", compact=True)
            yield Button("(De)activate (x)", id="btn-toggle", compact=True)
            yield Button("Merge (m)", id="btn-merge", compact=True)
        yield KeysFooter()

    def on_mount(self) -> None:
        table = self.query_one("#themes-table", FittedTable)
        table.set_columns(COLUMNS, width=self.size.width)
        table.focus()
        self.action_reload()

    def on_screen_resume(self) -> None:
        self.action_reload()

    def on_database_ready(self) -> None:
        self.action_reload()

    def action_reload(self) -> None:
        """Reload themes and counts under the findings list's current filter."""
        self.filter = getattr(self.leap, "current_filter", self.filter)
        if self.leap.db_ready:
            self.load()

    @work(thread=True, exclusive=True, group="themes", exit_on_error=False)
    def load(self) -> None:
        """Load the taxonomy and counts off the UI thread."""
        from db.reference import list_themes
        from db.themes_store import theme_counts

        try:
            with self.leap.connect() as db:
                themes = list_themes(db, include_inactive=True)
                counts = theme_counts(db, self.filter)
        except Exception as exc:  # noqa: BLE001 - reported on screen
            self.post_message(ThemesLoaded([], {}, str(exc)))
            return
        self.post_message(ThemesLoaded(themes, counts))

    @on(ThemesLoaded)
    def show(self, message: ThemesLoaded) -> None:
        status = self.query_one("#themes-status", Static)
        if message.error:
            status.update(f"Could not load themes: {message.error}")
            return
        self.themes = message.themes
        table = self.query_one("#themes-table", DataTable)
        cursor = table.cursor_row
        table.clear()
        names = {theme.slug: theme.name for theme in message.themes}
        for theme in message.themes:
            if theme.merged_into:
                target = names.get(theme.merged_into, theme.merged_into)
                state = f"merged → {short_name(theme.merged_into, target)}"
            else:
                state = ("active" if theme.active else "inactive") + (
                    "" if theme.builtin else " · yours"
                )
            table.add_row(
                NameOrShort(theme.name, short_name(theme.slug, theme.name)),
                f"{message.counts.get(theme.slug, 0):,}",
                Text(theme.stage.label, overflow="ellipsis"),
                Text(state, overflow="ellipsis"),
                key=theme.slug,
            )
        if table.row_count:
            table.move_cursor(row=min(cursor, table.row_count - 1))
        status.update(f"{len(message.themes)} themes · counts for {self.filter.describe()}")

    @on(DataTable.RowHighlighted, "#themes-table")
    def highlighted(self) -> None:
        theme = self.current()
        text = ""
        if theme:
            cues = f"  Cues: {'; '.join(theme.cues)}" if theme.cues else ""
            text = f"{theme.name} ({theme.slug}): {theme.description or 'no description'}{cues}"
        self.query_one("#theme-description", Static).update(text)

    def current(self) -> Theme | None:
        """The highlighted theme."""
        table = self.query_one("#themes-table", DataTable)
        if not table.row_count:
            return None
        slug = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        return next((t for t in self.themes if t.slug == slug), None)

    @on(Button.Pressed)
    def pressed(self, event: Button.Pressed) -> None:
        actions = {
            "btn-add": self.action_add_theme,
            "btn-rename": self.action_rename_theme,
            "btn-toggle": self.action_toggle_active,
            "btn-merge": self.action_merge_theme,
        }
        if event.button.id in actions:
            actions[event.button.id]()

    def action_add_theme(self) -> None:
        """Add a theme of your own, with cue phrases for the tagger."""

        def added(values: dict[str, object] | None) -> None:
            if values:
                self.change("add", None, values)

        self.app.push_screen(ThemeEditScreen(), added)

    def action_rename_theme(self) -> None:
        """Rename the highlighted theme (and edit its description and cues)."""
        theme = self.current()
        if theme is None:
            return

        def renamed(values: dict[str, object] | None) -> None:
            if values:
                self.change("update", theme.slug, values)

        self.app.push_screen(ThemeEditScreen(theme), renamed)

    def action_toggle_active(self) -> None:
        """Deactivate the highlighted theme (or reactivate it)."""
        theme = self.current()
        if theme is not None:
            self.change("activate", theme.slug, {"active": not theme.active})

    def action_merge_theme(self) -> None:
        """Merge the highlighted theme into another after asking."""
        from tui.screens.confirm import ConfirmScreen

        source = self.current()
        if source is None or source.merged_into:
            self.notify("Highlight a theme that has not been merged.", severity="warning")
            return
        targets = [t for t in self.themes if t.active and t.slug != source.slug]

        def chosen(target: str | None) -> None:
            if not target:
                return
            name = next(t.name for t in targets if t.slug == target)

            def confirmed(yes: bool | None) -> None:
                if yes:
                    self.change("merge", source.slug, {"target": target})

            self.app.push_screen(
                ConfirmScreen(
                    f"Move every finding tagged “{source.name}” to “{name}” and deactivate "
                    f"“{source.name}”? This is recorded in the history.",
                    yes="Merge",
                ),
                confirmed,
            )

        self.app.push_screen(MergeScreen(source, targets), chosen)

    @work(thread=True, exclusive=True, group="themes-form", exit_on_error=False)
    def action_filters(self) -> None:
        """Count findings under other filters."""
        from db.reference import list_pdus

        with self.leap.connect() as db:
            pdus = list_pdus(db, include_inactive=True)
        self.app.call_from_thread(self._push_filters, pdus)

    def _push_filters(self, pdus: list[Pdu]) -> None:
        from tui.screens.filters import FiltersScreen

        def chosen(flt: FindingFilter | None) -> None:
            if flt is not None:
                self.leap.current_filter = flt
                self.action_reload()

        active = [t for t in self.themes if t.active]
        self.app.push_screen(FiltersScreen(self.filter, pdus, active), chosen)

    @work(thread=True, exclusive=True, group="themes-form", exit_on_error=False)
    def action_level_names(self) -> None:
        """Rename the contributory levels."""
        from db.levels_store import level_names

        with self.leap.connect() as db:
            names = level_names(db)
        self.app.call_from_thread(self._push_level_names, names)

    def _push_level_names(self, names: dict[Level, str]) -> None:
        from tui.screens.level_names import LevelNamesScreen

        def chosen(changed: dict[Level, str] | None) -> None:
            if changed:
                self.rename_levels(changed)

        self.app.push_screen(LevelNamesScreen(names), chosen)

    @work(thread=True, exclusive=True, group="themes-change", exit_on_error=False)
    def rename_levels(self, changed: dict[Level, str]) -> None:
        """Store the levels' new names."""
        from db.levels_store import rename_level

        try:
            with self.leap.connect() as db:
                for level, name in changed.items():
                    rename_level(db, level, name)
        except Exception as exc:  # noqa: BLE001 - shown to the user
            self.app.call_from_thread(self.notify, str(exc), severity="error")
            return
        self.app.call_from_thread(self.notify, f"{len(changed)} level name(s) changed.")

    @work(thread=True, exclusive=True, group="themes-change", exit_on_error=False)
    def change(self, kind: str, slug: str | None, values: dict[str, object]) -> None:
        """Make one change to the taxonomy, then reload."""
        from db import themes_store

        try:
            with self.leap.connect() as db:
                if kind == "add":
                    theme = themes_store.add_user_theme(db, **values)  # type: ignore[arg-type]
                    text = f"Theme '{theme.name}' added."
                elif kind == "update" and slug:
                    theme = themes_store.update_theme(db, slug, **values)  # type: ignore[arg-type]
                    text = f"Theme renamed to '{theme.name}'."
                elif kind == "activate" and slug:
                    theme = themes_store.set_theme_active(db, slug, bool(values["active"]))
                    text = f"'{theme.name}' {'reactivated' if theme.active else 'deactivated'}."
                elif kind == "merge" and slug:
                    moved = themes_store.merge_themes(db, slug, str(values["target"]))
                    text = f"Merged: {moved:,} finding(s) moved."
                else:
                    return
        except Exception as exc:  # noqa: BLE001 - shown to the user
            self.app.call_from_thread(self.notify, str(exc), severity="error")
            return
        self.app.call_from_thread(self.notify, text)
        self.app.call_from_thread(self.load)
