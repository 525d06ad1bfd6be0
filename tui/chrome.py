"""The title bar and the footer of keys: one widget each, drawn as one line of text.

Textual's Header and Footer are built from a widget per part (icon, title, clock; one per key),
each laid out and styled on its own, and the footer rebuilds all its keys whenever the bindings
are re-evaluated. On a small machine those two cost about 0.1 s of every start-up before the
first findings could paint. These draw the same information, in the same theme colours, as a
single line each; clicking works as before (the icon opens the palette, a key runs its action).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual.widget import Widget

if TYPE_CHECKING:
    from textual import events
    from textual.binding import Binding
    from textual.screen import Screen

ICON = "⭘"
"""The title bar's palette icon (as Textual's header draws it)."""

ICON_WIDTH = 8
"""Cells at the left of the title bar that open the command palette when clicked."""


class TitleBar(Widget):
    """The app's title and sub-title, centred, with the palette icon on the left."""

    ALLOW_SELECT = False
    DEFAULT_CSS = """
    TitleBar {
        dock: top;
        width: 100%;
        height: 1;
        background: $panel;
        color: $foreground;
    }
    """

    def on_mount(self) -> None:
        self.watch(self.app, "title", self._title_changed, init=False)
        self.watch(self.app, "sub_title", self._title_changed, init=False)

    def _title_changed(self) -> None:
        self.refresh()

    def render(self) -> Text:
        width = self.size.width
        title = Text(self.app.title, no_wrap=True, overflow="ellipsis")
        if self.app.sub_title:
            title.append(" — ", "dim")
            title.append(self.app.sub_title, "dim")
        room = max(0, width - 2 * ICON_WIDTH)
        title.truncate(room, overflow="ellipsis")
        line = Text(f" {ICON}".ljust(ICON_WIDTH), no_wrap=True, end="")
        line.append(" " * max(0, (width - title.cell_len) // 2 - ICON_WIDTH))
        line.append_text(title)
        return line

    def on_click(self, event: events.Click) -> None:
        if event.x < ICON_WIDTH and self.app.ENABLE_COMMAND_PALETTE:
            self.app.action_command_palette()


class KeysFooter(Widget):
    """The keys of the current screen and the app, each with what it does; click to press."""

    ALLOW_SELECT = False
    COMPONENT_CLASSES = {"keys--key", "keys--description", "keys--hover"}
    DEFAULT_CSS = """
    KeysFooter {
        dock: bottom;
        height: 1;
        background: $footer-background;
        color: $footer-foreground;
        & > .keys--key {
            color: $footer-key-foreground;
            background: $footer-key-background;
            text-style: bold;
        }
        & > .keys--description {
            color: $footer-description-foreground;
            background: $footer-description-background;
        }
        & > .keys--hover {
            background: $block-hover-background;
        }
    }
    """

    def __init__(self) -> None:
        super().__init__()
        self._spans: list[tuple[int, int, str, bool]] = []
        """(start, end, key, enabled) of each key drawn, for clicks."""
        self._hover: int | None = None

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def _bindings_changed(self, screen: Screen[object]) -> None:
        self.refresh()

    def _shown(self) -> tuple[list[tuple[Binding, bool]], tuple[Binding, bool] | None]:
        """The bindings to draw (one per action, in order) and the palette's, if any."""
        shown: list[tuple[Binding, bool]] = []
        actions: set[str] = set()
        palette = None
        for _, binding, enabled, _ in self.screen.active_bindings.values():
            if binding.key == self.app.COMMAND_PALETTE_BINDING:
                if self.app.ENABLE_COMMAND_PALETTE:
                    palette = (binding, enabled)
            elif binding.show and binding.action not in actions:
                actions.add(binding.action)
                shown.append((binding, enabled))
        return shown, palette

    def render(self) -> Text:
        key_style = self.get_component_rich_style("keys--key", partial=True)
        description_style = self.get_component_rich_style("keys--description", partial=True)
        hover_style = self.get_component_rich_style("keys--hover", partial=True)
        shown, palette = self._shown()
        line = Text(no_wrap=True, overflow="crop", end="")
        spans: list[tuple[int, int, str, bool]] = []

        def draw(binding: Binding, enabled: bool) -> Text:
            part = Text(no_wrap=True, end="")
            part.append(f" {self.app.get_key_display(binding)} ", key_style)
            part.append(f"{binding.description} ", description_style)
            if not enabled:
                part.stylize("dim")
            return part

        palette_part = draw(*palette) if palette is not None else None
        # The palette's key keeps its place at the right (with a thin rule before it); the
        # other keys get the rest of the line.
        room = self.size.width - (palette_part.cell_len + 1 if palette_part else 0)
        for binding, enabled in shown:
            part = draw(binding, enabled)
            if line.cell_len + part.cell_len > room:
                break
            start = line.cell_len
            line.append_text(part)
            spans.append((start, line.cell_len, binding.key, enabled))
        if palette is not None and palette_part is not None:
            line.append(" " * max(0, room - line.cell_len))
            line.append("▏", "dim")
            start = line.cell_len
            line.append_text(palette_part)
            spans.append((start, line.cell_len, palette[0].key, palette[1]))
        if self._hover is not None and self._hover < len(spans):
            start, end, _, _ = spans[self._hover]
            line.stylize(hover_style, start, end)
        self._spans = spans
        return line

    def _span_at(self, x: int) -> int | None:
        for index, (start, end, _, _) in enumerate(self._spans):
            if start <= x < end:
                return index
        return None

    def on_mouse_move(self, event: events.MouseMove) -> None:
        hover = self._span_at(event.x)
        if hover != self._hover:
            self._hover = hover
            self.refresh()

    def on_leave(self) -> None:
        if self._hover is not None:
            self._hover = None
            self.refresh()

    def on_click(self, event: events.Click) -> None:
        index = self._span_at(event.x)
        if index is None:
            return
        _, _, key, enabled = self._spans[index]
        if enabled:
            self.app.simulate_key(key)
        else:
            self.app.bell()
