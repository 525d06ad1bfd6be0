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
