"""One finding in full: its fields, themes and history."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from rich.markup import escape
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Static

from findings.models import TagOrigin
from tui.chrome import KeysFooter, TitleBar
from tui.css import SECTIONS_CSS

if TYPE_CHECKING:
    from db.history import HistoryEntry
    from findings.models import Finding, Level
    from tui.app import LeapApp


class FindingLoaded(Message):
    """The worker loaded the finding (or found nothing)."""

    def __init__(
        self,
        finding: Finding | None,
        pdu: str,
        themes: dict[str, str],
        history: list[HistoryEntry],
        levels: dict[Level, str] | None = None,
    ) -> None:
        super().__init__()
        self.finding = finding
        self.pdu = pdu
        self.themes = themes
        self.history = history
        self.levels = levels or {}


class FindingDetailScreen(Screen[None]):
    """Everything recorded about one finding."""

    CSS_PATH = SECTIONS_CSS

    BINDINGS = [
        Binding("escape", "app.pop_screen", "Back", tooltip="Back to the list", id="detail.back"),
    ]

    def __init__(self, finding_id: str) -> None:
        super().__init__()
        self.finding_id = finding_id

    def compose(self) -> ComposeResult:
        yield TitleBar()
        with VerticalScroll(id="detail"):
            yield Static("Loading…", id="detail-body")
        yield KeysFooter()

    def on_mount(self) -> None:
        self.load()

    @work(thread=True, exclusive=True, group="finding-detail", exit_on_error=False)
    def load(self) -> None:
        """Load the finding, names and history off the UI thread."""
        from db.findings_store import get_finding
        from db.history import history_for
        from db.levels_store import level_names
        from db.reference import pdu_names, theme_names

        app = cast("LeapApp", self.app)
        with app.connect() as db:
            finding = get_finding(db, self.finding_id)
            names = pdu_names(db)
            themes = theme_names(db)
            history = history_for(db, "finding", self.finding_id)
            levels = level_names(db)
        self.post_message(
            FindingLoaded(
                finding,
                names.get(finding.pdu, finding.pdu) if finding else "",
                themes,
                history,
                levels,
            )
        )

    @on(FindingLoaded)
    def show(self, message: FindingLoaded) -> None:
        body = self.query_one("#detail-body", Static)
        finding = message.finding
        if finding is None:
            body.update("This finding no longer exists.")
            return
        lines = [
            f"[b]{escape(finding.summary)}[/b]",
            "",
            f"[dim]Source[/]      {finding.source_type.label} · {escape(finding.source_ref)}",
            f"[dim]PDU[/]         {escape(message.pdu)}",
            f"[dim]Event date[/]  {finding.event_date.isoformat()}   "
            f"[dim]Recorded[/] {finding.recorded_date.isoformat()}",
            f"[dim]Stage[/]       {finding.stage.label}   [dim]Polarity[/] "
            f"{finding.polarity.value}   [dim]RoSH[/] {finding.rosh.label}",
        ]
        if finding.crn:
            lines.append(f"[dim]CRN[/]         {escape(finding.crn)}")
        for key, value in finding.details.items():
            lines.append(f"[dim]{escape(key.replace('_', ' ').capitalize())}[/]  {escape(value)}")
        lines += ["", "[b]Themes[/b]"]
        if finding.themes:
            for tag in finding.themes:
                lines.append(
                    f"  • {escape(message.themes.get(tag.slug, tag.slug))} "
                    f"[dim]({tag.origin.value})[/]"
                )
        else:
            lines.append("  none")
        for slug in finding.rejected_themes:
            lines.append(
                f"  ✗ {escape(message.themes.get(slug, slug))} "
                "[dim](rejected: not suggested again)[/]"
            )
        lines += ["", "[b]Levels[/b] [dim](where the failure sat)[/]"]
        for level_tag in finding.levels:
            origin = (
                "suggested by leap, not confirmed yet"
                if level_tag.origin is TagOrigin.SUGGESTED
                else level_tag.origin.value
            )
            name = message.levels.get(level_tag.level, level_tag.level.label)
            lines.append(f"  • {escape(name)} [dim]({origin})[/]")
        if not finding.levels:
            lines.append("  none")
        lines += ["", "[b]Narrative[/b]", escape(finding.narrative or "(none)"), ""]
        lines.append(
            f"[dim]Version {finding.version} · recorded by "
            f"{escape(finding.recorded_by or 'unknown')}[/]"
        )
        if finding.deleted_at:
            lines.append(f"[b red]Deleted {finding.deleted_at:%Y-%m-%d %H:%M}[/]")
        if message.history:
            lines += ["", "[b]History[/b]"]
            for entry in message.history:
                lines.append(
                    f"  {entry.at:%Y-%m-%d %H:%M} [b]{escape(entry.actor)}[/b] "
                    f"{escape(action_words(entry))}"
                )
                lines.extend(f"      [dim]{escape(change)}[/]" for change in change_lines(entry))
        body.update("\n".join(lines))


_ACTION_WORDS = {
    "create": "created it",
    "update": "changed it",
    "delete": "deleted it",
    "restore": "restored it",
    "import": "imported it",
    "merge": "merged themes",
}
_HIDDEN_FIELDS = {"version", "updated_at", "deleted_at", "id"}
MAX_VALUE = 60


def action_words(entry: HistoryEntry) -> str:
    """What happened, in words: 'changed it', 'imported it from regional.xlsx'..."""
    words = _ACTION_WORDS.get(entry.action, entry.action)
    source = (entry.after or {}).get("file")
    return f"{words} from {source}" if entry.action == "import" and source else words


def _short(value: object) -> str:
    if isinstance(value, list):
        value = (
            ", ".join(
                str(v.get("slug", v.get("level", v))) if isinstance(v, dict) else str(v)
                for v in value
            )
            or "none"
        )
    elif isinstance(value, dict):
        value = "; ".join(f"{k}: {v}" for k, v in value.items()) or "none"
    text = " ".join(str(value if value not in (None, "") else "(empty)").split())
    return text if len(text) <= MAX_VALUE else text[: MAX_VALUE - 1] + "…"


def change_lines(entry: HistoryEntry) -> list[str]:
    """'field: before → after' for each field an update changed (any entity's history)."""
    if entry.action != "update" or not entry.before or not entry.after:
        return []
    lines = []
    for field in entry.after:
        if field in _HIDDEN_FIELDS:
            continue
        before, after = entry.before.get(field), entry.after.get(field)
        if before != after:
            label = field.replace("_", " ").capitalize()
            lines.append(f"{label}: {_short(before)} → {_short(after)}")
    return lines
