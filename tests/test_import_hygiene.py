"""The layers stay separate: the core never loads Textual, and --help stays light."""

from __future__ import annotations

import ast
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
        "db.findings_store, db.bulk, findings.panels"
    )
    assert "textual" not in loaded


def test_help_loads_neither_textual_nor_docx() -> None:
    loaded = modules_loaded_by(
        "import contextlib, io\nfrom tui.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()), contextlib.suppress(SystemExit):\n"
        "    main(['--help'])"
    )
    assert not {"textual", "docx", "matplotlib", "textual_serve", "aiohttp"} & loaded


LAYERS: dict[str, frozenset[str]] = {
    "findings": frozenset({"findings"}),
    "db": frozenset({"findings", "db"}),
    "panels": frozenset({"findings", "db", "panels"}),
    "tui": frozenset({"findings", "db", "panels", "tui"}),
}
"""Each layer and the layers its modules may import: the domain at the bottom, the app on top."""


def imported_modules(source: str) -> list[tuple[int, str]]:
    """(line, module) for each absolute import in ``source``, in functions and TYPE_CHECKING too."""
    found: list[tuple[int, str]] = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found.extend((node.lineno, alias.name) for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.extend((node.lineno, f"{node.module}.{alias.name}") for alias in node.names)
    return found


def layering_violations(root: Path) -> list[str]:
    """'path:line imports module' for every import that reaches a layer its package may not use."""
    violations: list[str] = []
    for layer, allowed in LAYERS.items():
        for path in sorted((root / layer).rglob("*.py")):
            for line, module in imported_modules(path.read_text(encoding="utf-8")):
                target = module.split(".")[0]
                if target in LAYERS and target not in allowed:
                    violations.append(f"{path.relative_to(root)}:{line} imports {module}")
    return violations


def test_every_module_imports_only_its_own_layer_and_those_below() -> None:
    assert layering_violations(ROOT) == []


def test_layering_check_catches_an_upward_import(tmp_path: Path) -> None:
    for layer in LAYERS:
        (tmp_path / layer).mkdir()
    (tmp_path / "db" / "store.py").write_text(
        "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from panels.models import Panel\n"
    )
    (tmp_path / "findings" / "domain.py").write_text("def f():\n    import tui.app\n")
    (tmp_path / "panels" / "ok.py").write_text("from db import base\nimport findings.models\n")
    assert layering_violations(tmp_path) == [
        "findings/domain.py:2 imports tui.app",
        "db/store.py:3 imports panels.models.Panel",
    ]


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


def test_tagging_a_file_beside_a_database_loads_neither_sqlite_utils_nor_pydantic(
    tmp_path: Path,
) -> None:
    """`leap tag --jsonl` with the user's database (the default one exists once the app has
    run) reads its themes and model with sqlite3 alone: a cold start stays a tenth of a second."""
    from db.connection import open_db

    open_db(tmp_path / "leap.db").close()
    source = tmp_path / "in.jsonl"
    source.write_text('{"text": "Home visits were not completed."}\n', encoding="utf-8")
    loaded = modules_loaded_by(
        "from tui.cli import main\n"
        f"assert main(['--db', {str(tmp_path / 'leap.db')!r}, 'tag', '--jsonl', "
        f"{str(source)!r}, '--out', {str(tmp_path / 'out.jsonl')!r}]) == 0"
    )
    assert not {"sqlite_utils", "pydantic", "numpy"} & loaded
    assert '"home_visits"' in (tmp_path / "out.jsonl").read_text(encoding="utf-8")
