"""A modal that refits the theme tagger on this database's reviewed findings, in a worker."""

from __future__ import annotations

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Button, ProgressBar, Static

from tui.css import SECTIONS_CSS


class TrainProgress(Message):
    """How far the refit has got."""

    def __init__(self, fraction: float, step: str) -> None:
        super().__init__()
        self.fraction, self.step = fraction, step


class TrainDone(Message):
    """The refit finished: what it did, or why it could not."""

    def __init__(self, summary: str, failed: bool) -> None:
        super().__init__()
        self.summary, self.failed = summary, failed


class TrainTaggerModal(ModalScreen[bool]):
    """Refit the tagger's model with the database's findings; shows progress, then figures.

    Dismissed with True when a new model was stored (so open forms can pick it up).
    """

    CSS_PATH = SECTIONS_CSS

    BINDINGS = [Binding("escape", "close", "Close", tooltip="Close this window", id="train.close")]

    def __init__(self) -> None:
        super().__init__()
        self.stored = False

    def compose(self) -> ComposeResult:
        with Vertical(id="train-tagger", classes="modal-box"):
            yield Static("[b]Retrain the theme tagger[/b] on this database's reviewed findings")
            yield ProgressBar(total=1.0, show_eta=False, id="train-progress")
            yield Static("Starting…", id="train-status")
            with Horizontal(classes="modal-buttons"):
                yield Button("Close", id="train-close", compact=True)

    def on_mount(self) -> None:
        self.train()

    @work(thread=True, exclusive=True, group="train-tagger", exit_on_error=False)
    def train(self) -> None:
        """Refit and store the model, posting progress as it goes."""
        from tui.commands.tag import train_database

        def progress(done: float, step: str) -> None:
            self.post_message(TrainProgress(done, step))

        try:
            retrained = train_database(self.app.db_path, progress)  # type: ignore[attr-defined]
        except ImportError:
            self.post_message(
                TrainDone("Retraining needs scikit-learn: pip install 'leap[train]'.", True)
            )
        except Exception as exc:  # noqa: BLE001 - reported on screen, never a traceback
            self.post_message(TrainDone(f"Could not retrain: {exc}", True))
        else:
            self.post_message(TrainDone(retrained.summary(), False))

    @on(TrainProgress)
    def show_progress(self, message: TrainProgress) -> None:
        self.query_one("#train-progress", ProgressBar).update(progress=message.fraction)
        self.query_one("#train-status", Static).update(f"Fitting: {message.step}…")

    @on(TrainDone)
    def show_result(self, message: TrainDone) -> None:
        self.stored = not message.failed
        self.query_one("#train-progress", ProgressBar).update(progress=1.0)
        self.query_one("#train-status", Static).update(message.summary)

    @on(Button.Pressed, "#train-close")
    def action_close(self) -> None:
        """Close; a refit still running carries on and stores its model when done."""
        self.dismiss(self.stored)
