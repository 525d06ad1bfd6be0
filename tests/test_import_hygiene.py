"""The layers stay separate: the core never loads Textual, and --help stays light."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def modules_loaded_by(code: str) -> set[str]:
    out = subprocess.run(
        [sys.executable, "-c", code + "\nimport sys; print('\\n'.join(sys.modules))"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return set(out.split())


def test_core_packages_do_not_load_textual() -> None:
    loaded = modules_loaded_by(
        "import findings.models, findings.themes, findings.filters, db.connection, "
        "db.findings_store, db.bulk, panels.models"
    )
    assert "textual" not in loaded


def test_help_loads_neither_textual_nor_docx() -> None:
    loaded = modules_loaded_by(
        "import contextlib, io\nfrom tui.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()), contextlib.suppress(SystemExit):\n"
        "    main(['--help'])"
    )
    assert not {"textual", "docx", "matplotlib", "textual_serve", "aiohttp"} & loaded


def test_opening_the_app_reads_no_subcommand_and_no_package_metadata() -> None:
    # Parsing `leap --db PATH` used to load every subcommand module and look up leap's version
    # in the installed packages' metadata: about a tenth of a second of every start-up.
    loaded = modules_loaded_by(
        "from tui.cli import build_parser\n"
        "args = build_parser(['--db', 'x.db']).parse_args(['--db', 'x.db'])\n"
        "assert args.command is None"
    )
    assert not {m for m in loaded if m.startswith("tui.commands.")}
    assert "importlib.metadata" not in loaded
