"""The ``leap`` command line: argparse only at import, each subcommand loaded when it runs."""

from __future__ import annotations

import argparse
import contextlib
import importlib
import os
import sys
from collections.abc import Sequence
from datetime import date
from pathlib import Path

# Subcommand name -> (module under tui.commands, one-line help). Modules import heavy
# libraries inside their run(), so `leap --help` stays fast and never loads Textual.
COMMANDS: dict[str, tuple[str, str]] = {
    "demo": ("demo", "open the app on a fresh copy of the built-in demo data"),
    "demo-data": ("demo_data", "write synthetic demo data of any size to a database"),
    "search": ("search", "search findings from the shell (table or JSON)"),
    "brief": ("brief", "write a LEAP panel's briefing (.docx)"),
    "bulletin": ("bulletin", "write a one-page practitioner bulletin on a theme (.docx)"),
    "tag": ("tag", "suggest themes and polarity for text; tag or score a JSON Lines file"),
    "themes": ("themes", "recurring themes for a period: counts, trends, pairs (table or JSON)"),
    "actions": ("actions", "list learning actions with their escalation (table or CSV)"),
    "import": ("import_", "import findings from a .csv or .xlsx file (or write a template)"),
    "export": ("export", "export findings, assessments, actions or panels (safe by default)"),
    "backup": ("backup", "copy the database safely, even while it is in use"),
    "check": ("check", "check the database for damage and inconsistencies"),
    "merge": ("merge", "merge other leap files (other regions') into this one"),
    "moderate": ("moderate", "moderation rounds: a second coder codes a sample blind; agreement"),
    "panel": ("panel", "plan a LEAP panel (panel plan DATE) or list them (panel list)"),
    "serve": ("serve", "serve the app to a web browser (this machine only unless told)"),
}

READ_ONLY: dict[str, str | None] = {
    "search": None,
    "themes": None,
    "actions": None,
    "brief": None,
    "bulletin": None,
    "export": None,
    "panel": "list",
    "moderate": "report",
}
"""Commands (and, where given, their one sub-action) that only read: a mistyped --db must not
leave a new empty database behind them."""

EPILOG = """\
The database is, in order of precedence: --db PATH, the LEAP_DB environment variable,
or leap.db in your user data folder. Run `leap demo` to try leap on synthetic data.
"""


def iso_date(text: str) -> date:
    """A YYYY-MM-DD date for argparse, refused in plain words otherwise."""
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"'{text}' is not a date; give it as YYYY-MM-DD, for example 2026-03-05"
        ) from None


def default_db_path() -> Path:
    """Where leap keeps its database unless told otherwise."""
    env = os.environ.get("LEAP_DB")
    if env:
        return Path(env).expanduser()
    from platformdirs import user_data_path

    return user_data_path("leap", appauthor=False) / "leap.db"


def _add_db_option(parser: argparse.ArgumentParser, *, top: bool) -> None:
    parser.add_argument(
        "--db",
        type=Path,
        metavar="PATH",
        # On subcommands the default must not overwrite a --db given before the subcommand.
        default=None if top else argparse.SUPPRESS,
        help="database file (default: $LEAP_DB or leap.db in your user data folder)",
    )


def _load_command(name: str):  # noqa: ANN202 - returns a module
    module, _ = COMMANDS[name]
    return importlib.import_module(f"tui.commands.{module}")


def build_parser(argv: Sequence[str] = ()) -> argparse.ArgumentParser:
    """The parser for ``argv``: every subcommand by name, and the arguments of the one that
    ``argv`` names (loading all of them took a tenth of a second of every start of the app)."""
    parser = argparse.ArgumentParser(
        prog="leap",
        description="leap: learning from serious further offences, made systematic. "
        "With no command, opens the app on your database.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    _add_db_option(parser, top=True)
    parser.add_argument("--version", action=_VersionAction)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    named = command_named(argv)
    for name, (_, help_text) in COMMANDS.items():
        sub_parser = sub.add_parser(name, help=help_text, description=help_text)
        _add_db_option(sub_parser, top=False)
        if name == named:
            _load_command(name).add_arguments(sub_parser)
    return parser


def command_named(argv: Sequence[str]) -> str | None:
    """The subcommand ``argv`` runs: its first word that is not an option or ``--db``'s value
    (as argparse reads it), if that word is a command."""
    words = iter(argv)
    for word in words:
        if word == "--db":
            next(words, None)
        elif not word.startswith("-"):
            return word if word in COMMANDS else None
    return None


class _VersionAction(argparse.Action):
    """``--version``: print leap's version and stop (looked up only when asked: reading the
    installed packages' metadata takes tens of milliseconds)."""

    def __init__(self, option_strings: Sequence[str], dest: str, **kwargs: object) -> None:
        super().__init__(
            option_strings, dest, nargs=0, default=argparse.SUPPRESS,
            help="show leap's version and exit",
        )  # fmt: skip

    def __call__(self, parser: argparse.ArgumentParser, *_: object) -> None:
        print(f"leap {_version()}")
        parser.exit()


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("leap")
    except PackageNotFoundError:
        return "0+unknown"


def resolve_db(args: argparse.Namespace) -> Path:
    """The database path for this invocation."""
    db = getattr(args, "db", None)
    return Path(db).expanduser() if db else default_db_path()


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``leap`` command; returns the exit status."""
    words = sys.argv[1:] if argv is None else argv
    args = build_parser(words).parse_args(words)
    try:
        if args.command is None:
            from tui.commands.open_app import run_app

            return run_app(resolve_db(args))
        if _reads_only(args) and not resolve_db(args).exists():
            print(
                f"leap: {resolve_db(args)} does not exist; give the database with --db PATH "
                "(or run `leap demo-data` to make one to try).",
                file=sys.stderr,
            )
            return 2
        return int(_load_command(args.command).run(args) or 0)
    except KeyboardInterrupt:
        print("Interrupted.", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # The reader went away (e.g. `leap actions | head`): not an error worth a message.
        with contextlib.suppress(OSError):
            sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - stop Python's exit-time flush
        return 0
    except Exception as exc:  # noqa: BLE001 - a user never sees a traceback
        return report_error(exc)


def _reads_only(args: argparse.Namespace) -> bool:
    """True when this invocation only reads the database."""
    if args.command not in READ_ONLY:
        return False
    action = READ_ONLY[args.command]
    return action is None or getattr(args, f"{args.command}_action", None) == action


def report_error(exc: BaseException) -> int:
    """Print an error in plain words (no traceback) and return the exit status."""
    from db.connection import StoreError

    if isinstance(exc, StoreError | OSError | ValueError):
        print(f"leap: {exc}", file=sys.stderr)
        return 2
    print(f"leap: unexpected error: {type(exc).__name__}: {exc}", file=sys.stderr)
    if os.environ.get("LEAP_DEBUG"):
        raise exc
    print("Set LEAP_DEBUG=1 to see the details.", file=sys.stderr)
    return 1
