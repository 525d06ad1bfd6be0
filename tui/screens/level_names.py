"""Renaming the four contributory levels (the levels themselves are fixed)."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Static

from findings.levels import LEVEL_DESCRIPTIONS
from findings.models import MAX_SHORT, Level
from tui.css import SECTIONS_CSS


class LevelNamesScreen(ModalScreen[dict[Level, str] | None]):
    """The four levels' display names, each editable; Save returns the ones that changed."""

    CSS_PATH = SECTIONS_CSS

    BINDINGS = [
        Binding("ctrl+s", "save", "Save", tooltip="Save the level names", id="level_names.save"),
        Binding(
            "escape", "cancel", "Cancel", tooltip="Close without saving", id="level_names.cancel"
        ),
    ]

    def __init__(self, names: dict[Level, str]) -> None:
        super().__init__()
        self.names = names

    def compose(self) -> ComposeResult:
        with Vertical(classes="modal-frame small"):
            yield Static("[b]Contributory levels[/b]  [dim]rename them · Ctrl+S save[/]")
            for level in Level:
                with Horizontal(classes="form-row"):
                    yield Label(level.value, classes="form-label")
                    yield Input(
                        self.names.get(level, level.label),
                        id=f"level-name-{level.value}",
                        max_length=MAX_SHORT,
                        tooltip=LEVEL_DESCRIPTIONS[level],
                    )
            yield Static("", id="level-names-error", classes="form-error", markup=False)
            with Horizontal(classes="form-buttons"):
                yield Button("Cancel (Esc)", id="level-names-cancel")
                yield Button("Save (Ctrl+S)", id="level-names-save", variant="primary")

    def on_mount(self) -> None:
        self.query_one("#level-names-error").display = False
        for widget in self.query(Input):
            widget.compact = True
        self.query_one(f"#level-name-{Level.PRACTICE.value}", Input).focus()

    def action_save(self) -> None:
        """Return the changed names; refuse an empty or repeated one."""
        typed = {
            level: self.query_one(f"#level-name-{level.value}", Input).value.strip()
            for level in Level
        }
        problem = ""
        if any(not name for name in typed.values()):
            problem = "Every level needs a name."
        elif len({name.lower() for name in typed.values()}) < len(typed):
            problem = "Two levels cannot have the same name."
        if problem:
            error = self.query_one("#level-names-error", Static)
            error.update(problem)
            error.display = True
            return
        self.dismiss({lv: n for lv, n in typed.items() if n != self.names.get(lv, lv.label)})

    @on(Input.Submitted)
    def submitted(self) -> None:
        self.action_save()

    @on(Button.Pressed)
    def pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "level-names-save":
            self.action_save()
        elif event.button.id == "level-names-cancel":
            self.action_cancel()

    def action_cancel(self) -> None:
        """Close without saving."""
        self.dismiss(None)
