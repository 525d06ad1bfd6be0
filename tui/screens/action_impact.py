"""'Did it work?': every completed action with its themes' rate before and after completion."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.message import Message
from textual.screen import Screen
from textual.widgets import DataTable, Static

from findings.actions import IMPACT_WINDOW_DAYS, MIN_FINDINGS_TO_JUDGE, ImpactVerdict
from tui.chrome import KeysFooter, TitleBar
from tui.css import SECTIONS_CSS

if TYPE_CHECKING:
    from findings.actions import ImpactResult, LearningAction
    from tui.app import LeapApp

VERDICT_WORDS = {
    ImpactVerdict.FELL: "Fell",
    ImpactVerdict.ROSE: "Rose",
    ImpactVerdict.NO_CHANGE: "No clear change",
    ImpactVerdict.TOO_FEW: "Too few to judge",
    ImpactVerdict.TOO_EARLY: "Too early",
}


class ImpactsLoaded(Message):
    """The worker measured every completed action."""

    def __init__(self, rows: list[tuple[LearningAction, ImpactResult | None]]) -> None:
        super().__init__()
        self.rows = rows


def rate_cell(rate: float | None, hits: int, total: int) -> str:
    """A rate per 100 with the counts behind it, e.g. '13.4 (9/67)'."""
    return f"{'–' if rate is None else f'{rate:.1f}'} ({hits}/{total})"


class ImpactScreen(Screen[None]):
    """Completed actions: did their themes become rarer among the findings afterwards?"""

    CSS_PATH = SECTIONS_CSS

    BINDINGS = [
        Binding(
            "escape", "app.pop_screen", "Back", tooltip="Back to the actions", id="impact.back"
        ),
        Binding(
            "enter",
            "open_action",
            "Open",
            tooltip="Show the action in full",
            id="impact.open",
            show=False,
        ),
    ]

    @property
    def leap(self) -> LeapApp:
        return cast("LeapApp", self.app)

    def compose(self) -> ComposeResult:
        yield TitleBar()
        yield Static(
            f"Did it work? Findings showing each action's themes per 100 weakness findings, "
            f"{IMPACT_WINDOW_DAYS} days before vs after completion (same scope); fewer than "
            f"{MIN_FINDINGS_TO_JUDGE} findings in a window is too few to judge.",
            id="impact-status",
        )
        yield DataTable(id="impact-table", cursor_type="row", zebra_stripes=True)
        yield KeysFooter()

    def on_mount(self) -> None:
        table = self.query_one("#impact-table", DataTable)
        table.add_column("Completed", key="completed", width=10)
        table.add_column("Title", key="title", width=26)
        table.add_column("Before", key="before", width=12)
        table.add_column("After", key="after", width=12)
        table.add_column("Verdict", key="verdict", width=16)
        table.add_column("Themes", key="themes")
        table.focus()
        self.load()

    @work(thread=True, exclusive=True, group="action-impacts", exit_on_error=False)
    def load(self) -> None:
        """Measure every completed action off the UI thread."""
        from db.actions_impact import completed_impacts

        with self.leap.connect() as db:
            rows = completed_impacts(db, today=self.leap.today)
        self.post_message(ImpactsLoaded(rows))

    @on(ImpactsLoaded)
    def show(self, message: ImpactsLoaded) -> None:
        table = self.query_one("#impact-table", DataTable)
        table.clear()
        variables = self.app.theme_variables
        styles = {
            ImpactVerdict.FELL: f"bold {variables.get('success', 'green')}",
            ImpactVerdict.ROSE: f"bold {variables.get('error', 'red')}",
        }
        for action, impact in message.rows:
            if impact is None:
                before = after = "–"
                verdict = Text("No themes")
            else:
                before = rate_cell(
                    impact.before_rate, impact.before_with_themes, impact.before_findings
                )
                after = rate_cell(
                    impact.after_rate, impact.after_with_themes, impact.after_findings
                )
                words = VERDICT_WORDS[impact.verdict]
                if impact.verdict is ImpactVerdict.TOO_EARLY:
                    words = f"Too early ({impact.days_to_go}d)"
                verdict = Text(words, style=styles.get(impact.verdict, ""))
            table.add_row(
                action.completed_on.isoformat() if action.completed_on else "",
                action.title,
                before,
                after,
                verdict,
                ", ".join(action.themes),
                key=str(action.id),
            )
        if not message.rows:
            self.query_one("#impact-status", Static).update(
                "No completed actions yet: mark an action done (with evidence) to measure it."
            )

    def action_open_action(self) -> None:
        """Open the highlighted action."""
        from tui.screens.action_detail import ActionDetailScreen

        table = self.query_one("#impact-table", DataTable)
        if table.row_count:
            key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key
            if key.value:
                self.app.push_screen(ActionDetailScreen(str(key.value)))

    @on(DataTable.RowSelected, "#impact-table")
    def row_selected(self) -> None:
        self.action_open_action()
