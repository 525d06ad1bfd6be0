"""``leap demo``: open the app on a fresh temporary database of demo data."""

from __future__ import annotations

import argparse


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Options of ``leap demo``."""
    parser.add_argument(
        "--keep",
        action="store_true",
        help="keep the temporary demo database and print its path on exit",
    )


def run(args: argparse.Namespace) -> int:
    """Build the demo database in a temporary folder and open the app on it."""
    import shutil
    import tempfile
    from pathlib import Path

    from tui.commands.open_app import run_app

    folder = Path(tempfile.mkdtemp(prefix="leap-demo-"))
    path = folder / "demo.db"
    try:
        return run_app(path, demo=True)
    finally:
        if args.keep:
            print(f"The demo database is kept at {path}")
        else:
            shutil.rmtree(folder, ignore_errors=True)
