"""Start-up reads only the findings list's stylesheet; every other screen brings the rest."""

from __future__ import annotations

import importlib
import pkgutil

from textual.screen import Screen

import tui.screens
from tui.app import LeapApp
from tui.css import SECTIONS_CSS, STARTUP_CSS
from tui.screens.findings import FindingsScreen


def _screen_classes() -> list[type[Screen[object]]]:
    for module in pkgutil.iter_modules(tui.screens.__path__):
        importlib.import_module(f"tui.screens.{module.name}")
    found: list[type[Screen[object]]] = []
    pending: list[type[Screen[object]]] = [Screen]
    while pending:
        for sub in pending.pop().__subclasses__():
            pending.append(sub)
            if sub.__module__.startswith("tui.screens."):
                found.append(sub)
    return found


def test_every_screen_but_the_findings_list_brings_the_sections_stylesheet() -> None:
    screens = _screen_classes()
    assert len(screens) > 20  # the walk found them
    missing = [
        s.__qualname__ for s in screens if s is not FindingsScreen and s.CSS_PATH != SECTIONS_CSS
    ]
    assert missing == []
    assert LeapApp.CSS_PATH == STARTUP_CSS and FindingsScreen.CSS_PATH is None


def test_the_two_stylesheets_share_no_selector() -> None:
    def selectors(text: str) -> set[str]:
        return {
            line.split("{")[0].strip()
            for line in text.splitlines()
            if line.rstrip().endswith("{") and not line.startswith(" ")
        }

    startup, sections = STARTUP_CSS.read_text(), SECTIONS_CSS.read_text()
    assert selectors(startup) == {"#search", "#findings-status", "#findings-table"}
    assert not selectors(startup) & selectors(sections)
