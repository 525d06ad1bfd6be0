"""leap's stylesheets: the findings list's at start-up, the rest with the first other screen."""

from __future__ import annotations

from pathlib import Path

STARTUP_CSS = Path(__file__).parent / "leap.tcss"
"""The app's own stylesheet: just what the findings list (the first screen) needs."""

SECTIONS_CSS = Path(__file__).parent / "sections.tcss"
"""Every other screen's rules. Each of those screens names it as its CSS_PATH, so Textual reads
it when the first of them is shown; matching its rules at start-up cost a tenth of a second."""
