"""Start the Textual app on a database and report, in plain words, anything that stopped it."""

from __future__ import annotations

import sys
from pathlib import Path


def run_app(db_path: Path, *, demo: bool = False) -> int:
    """Run the app until the user quits; returns the exit status."""
    from tui.first_read import FirstRead

    # The database is read on another core while this one imports Textual and the app.
    first_read = None if demo else FirstRead(db_path).start()
    from tui.app import make_app

    app = make_app(db_path, demo=demo, first_read=first_read)
    app.run()
    if app.fatal_error:
        print(f"leap: {app.fatal_error}", file=sys.stderr)
        return 2
    return 0
