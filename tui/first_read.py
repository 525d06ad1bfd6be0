"""The database opened and its newest findings read on a thread of their own, from the moment
leap starts: while the main thread is still importing Textual (a fifth of a second or more),
the other core reads what the findings list shows first. Standard library and ``db``'s light
core only: nothing here may wait on Textual, pydantic or sqlite-utils.
"""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

from db.base import StoreError, open_for_reading, region_label
from db.list_preview import PreviewLine, newest_findings

PAGE_SIZE = 100
"""Findings on one page of the list (and so in the first read)."""

NewestFindings = tuple[list[PreviewLine], int]


class FirstRead:
    """Open the file (creating, upgrading or refusing it as ``open_for_reading`` does) and read
    the region's name and the newest page of findings; ``start`` it on its own thread or
    ``run`` it on the caller's."""

    def __init__(self, db_path: Path) -> None:
        self.db_path = db_path
        self.region = ""
        self.newest: NewestFindings | None = None
        """The list's first page and the live count (None: could not be read; the list then
        loads it itself)."""
        self.error = ""
        """Why the file could not be opened, in plain words ("" when it was)."""
        self._thread = threading.Thread(target=self.run, name="leap-open-database", daemon=True)

    def start(self) -> FirstRead:
        """Begin on a thread of its own."""
        self._thread.start()
        return self

    @property
    def done(self) -> bool:
        """Whether the read has finished (it never blocks to find out)."""
        return self._thread.ident is not None and not self._thread.is_alive()

    def wait(self) -> FirstRead:
        """Block until the read is done (at once if it was ``run`` rather than started)."""
        if self._thread.ident is not None:
            self._thread.join()
        return self

    def run(self) -> None:
        """Do the read on the calling thread."""
        try:
            conn = open_for_reading(self.db_path)
            try:
                self.region = region_label(conn)
                try:
                    self.newest = newest_findings(conn, PAGE_SIZE)
                except sqlite3.Error:
                    self.newest = None
            finally:
                conn.close()
        except Exception as exc:  # noqa: BLE001 - shown to the user by the app
            self.error = opening_error(self.db_path, exc)


def opening_error(db_path: Path, exc: Exception) -> str:
    """Why ``db_path`` could not be opened, in plain words."""
    if isinstance(exc, StoreError | OSError):
        return str(exc)
    return f"could not open {db_path}: {exc}"
