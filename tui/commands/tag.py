"""``leap tag``: suggest themes and polarity for text or a JSON Lines file, score the tagger,
or refit its model on this database's reviewed findings (``--train``)."""

from __future__ import annotations

import argparse
import contextlib
import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

if TYPE_CHECKING:
    from findings.tagger import Tagger, TagResult
    from findings.tagger_fit import Progress
    from findings.tagger_training import Retrained


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Options of ``leap tag``: text, or --jsonl FILE, or --evaluate FILE."""
    what = parser.add_mutually_exclusive_group(required=True)
    what.add_argument("text", nargs="?", help='the text to tag ("-" reads it from stdin)')
    what.add_argument(
        "--jsonl",
        type=Path,
        metavar="FILE",
        help='tag each line\'s "text" field; writes one JSON object a line ("-" for stdin)',
    )
    what.add_argument(
        "--evaluate",
        type=Path,
        metavar="FILE",
        help='score the tagger on lines with "text", "themes" and "polarity"',
    )
    what.add_argument(
        "--train",
        action="store_true",
        help="refit the model on the shipped sentences plus this database's reviewed findings "
        "and store it in the database",
    )
    parser.add_argument(
        "--out", type=Path, metavar="FILE", help="write --jsonl results here (default stdout)"
    )


def load_tagger(db_path: Path) -> Tagger:
    """The tagger, with the database's own themes and model when the database exists.

    Tagging never creates a database: without one, the built-in themes and the shipped model
    are used. A stored model that cannot be read is passed over with a warning.
    """
    return load_tagger_and_names(db_path)[0]


def load_tagger_and_names(db_path: Path) -> tuple[Tagger, dict[str, str]]:
    """The tagger (as :func:`load_tagger`) and the database's names of its themes (slug ->
    name, renamed and added ones included; none without a database), from one read of it."""
    from findings.tagger import Tagger, default_tagger

    if not db_path.is_file():
        return default_tagger(), {}
    from db.base import open_for_reading
    from db.tagger_store import stored_model, tagger_themes
    from findings.tagger_model import load_stored_model

    # sqlite3 alone when the schema is current (no sqlite-utils, no pydantic); an older file
    # is read as it is, and one that is not leap's is refused
    db = open_for_reading(db_path, migrate=False)
    try:
        themes = tagger_themes(db)
        model, problem = load_stored_model(*stored_model(db))
    finally:
        db.close()
    names = {t.slug: t.name for t in themes}
    if problem:
        print(f"leap tag: warning: {problem}", file=sys.stderr)
    user_themes = [t for t in themes if t.active and not t.builtin]
    if not user_themes and model is None:
        return default_tagger(), names
    return Tagger(extra_themes=user_themes, model=model or True), names


def _short_labels(database_names: dict[str, str]) -> dict[str, str]:
    """Each theme's short name as the app's lists show it, the database's names first (read
    only to print one text's suggestions: `--jsonl` writes slugs)."""
    from findings.theme_names import builtin_theme_data, short_names

    names = {str(row["slug"]): str(row["name"]) for row in builtin_theme_data()}
    return short_names({**names, **database_names})


def train_database(db_path: Path, progress: Progress | None = None) -> Retrained:
    """Refit the tagger's model with a database's reviewed findings and store it there.

    Raises ValueError (with a message for the user) when there is nothing to learn from; the
    stored model is then left as it was.
    """
    from db.connection import open_db
    from db.reference import list_themes
    from db.tagger_store import save_model_text, training_rows
    from findings.tagger import Tagger
    from findings.tagger_model import packed_file
    from findings.tagger_training import retrain

    db = open_db(db_path)
    try:
        themes = [t for t in list_themes(db) if not t.builtin and not t.merged_into]
        rows = training_rows(db)
        if not rows:
            raise ValueError(
                "this database has no reviewed findings yet (confirm or add themes on some "
                "findings first); the shipped model stays in use"
            )
        rules = Tagger(extra_themes=themes, model=False)
        retrained = retrain(rows, [t.slug for t in themes], rules.features_of, progress)
        text = json.dumps(retrained.model, separators=(",", ":"))
        packed = packed_file(text.encode())  # a cold `leap tag` need not parse and pack it
        save_model_text(db, text, retrained.summary(), packed=packed)
    finally:
        db.close()
    return retrained


def _train(db_path: Path) -> int:
    if not db_path.is_file():
        print(f"leap: no database at {db_path}; nothing to learn from", file=sys.stderr)
        return 2
    try:
        retrained = train_database(db_path, _print_progress)
    except ValueError as exc:
        print(f"leap tag: {exc}", file=sys.stderr)
        return 1
    except ImportError:
        print("leap tag: --train needs scikit-learn: pip install 'leap[train]'", file=sys.stderr)
        return 2
    print(retrained.summary())
    return 0


def _print_progress(done: float, step: str) -> None:
    print(f"  {done:4.0%}  {step}", file=sys.stderr)


def run(args: argparse.Namespace) -> int:
    """Tag, tag a file, or evaluate, as asked."""
    from tui.cli import resolve_db

    if args.out is not None and args.jsonl is None:
        print("leap: --out goes with --jsonl", file=sys.stderr)
        return 2
    if args.train:
        return _train(resolve_db(args))
    tagger, names = load_tagger_and_names(resolve_db(args))
    if args.evaluate is not None:
        return evaluate_file(tagger, args.evaluate)
    if args.jsonl is not None:
        return tag_jsonl(tagger, args.jsonl, args.out)
    text = sys.stdin.read() if args.text == "-" else args.text
    print(format_suggestions(tagger, text, _short_labels(names)))
    return 0


def format_suggestions(tagger: Tagger, text: str, labels: dict[str, str] | None = None) -> str:
    """The suggestions for one text as lines: theme (by its short name when ``labels`` gives
    one), score, the words behind it; then polarity."""
    result = tagger.tag(text)
    if not result.themes:
        lines = ["No themes suggested."]
    else:
        shown = [(labels or {}).get(s.slug, s.slug) for s in result.themes]
        width = max(map(len, shown))
        lines = [
            f"{name.ljust(width)}  {s.score:.2f}  {s.confidence:<8}  "
            + "; ".join(f'"{e}"' for e in s.evidence)
            for name, s in zip(shown, result.themes, strict=True)
        ]
    lines.append(f"Polarity: {result.polarity}")
    return "\n".join(lines)


@contextlib.contextmanager
def _open_input(path: Path) -> Iterator[IO[str]]:
    if str(path) == "-":
        yield sys.stdin
        return
    with path.open(encoding="utf-8", errors="replace") as handle:
        yield handle


def read_records(path: Path, skipped: list[int]) -> Iterator[tuple[int, dict[str, Any]]]:
    """JSON objects with a string "text", numbered by line; a bad line is reported and skipped.

    The numbers of skipped lines are appended to ``skipped``. Blank lines are ignored. Raises
    OSError if the file cannot be opened.
    """
    with _open_input(path) as handle:
        for number, line in enumerate(handle, start=1):
            if not line or line.isspace():
                continue
            problem = None
            try:
                record = json.loads(line)
            except ValueError as exc:
                problem = f"not valid JSON ({getattr(exc, 'msg', exc)})"
            else:
                if not isinstance(record, dict):
                    problem = "not a JSON object"
                elif not isinstance(record.get("text"), str):
                    problem = 'no "text" field holding a string'
            if problem:
                print(f"leap tag: line {number}: {problem}; skipped", file=sys.stderr)
                skipped.append(number)
                continue
            yield number, record


def _report_skipped(skipped: list[int], used: int) -> int:
    if not skipped:
        return 0
    print(f"leap tag: {len(skipped)} line(s) skipped, {used} used.", file=sys.stderr)
    return 1


def tag_jsonl(tagger: Tagger, path: Path, out: Path | None) -> int:
    """Tag every line of ``path``; 0 if all lines were good, 1 if some were skipped."""
    skipped: list[int] = []
    written = 0
    with contextlib.ExitStack() as stack:
        sink: IO[str] = stack.enter_context(out.open("w", encoding="utf-8")) if out else sys.stdout
        for number, record in read_records(path, skipped):
            sink.write(output_line(number, record, tagger.tag(record["text"], explain=False)))
            written += 1
    return _report_skipped(skipped, written)


_ENCODE = json.JSONEncoder(ensure_ascii=False).encode
_QUOTED: dict[str, str] = {}


def output_line(number: int, record: dict[str, Any], result: TagResult) -> str:
    """The output line for one input line: what json.dumps(..., ensure_ascii=False) writes
    for {"line", "id" (when the input has one), "themes", "polarity"}, built without a new
    encoder per line and with each slug and polarity encoded once."""
    id_part = ""
    if "id" in record:
        value = record["id"]
        id_part = f', "id": {value if type(value) is int else _ENCODE(value)}'
    themes = ", ".join(map(_quoted, result.slugs))
    return (
        f'{{"line": {number}{id_part}, "themes": [{themes}], '
        f'"polarity": {_quoted(result.polarity)}}}\n'
    )


def _quoted(text: str) -> str:
    """A slug or polarity as a JSON string (there are few of them: each is encoded once)."""
    quoted = _QUOTED.get(text)
    if quoted is None:
        if len(_QUOTED) > 10_000:
            _QUOTED.clear()
        quoted = _QUOTED[text] = _ENCODE(text)
    return quoted


def evaluate_file(tagger: Tagger, path: Path) -> int:
    """Print the tagger's scores against the labelled lines of ``path``."""
    from findings.tagger_eval import evaluate

    skipped: list[int] = []
    records = [record for _, record in read_records(path, skipped)]
    if not records:
        print(f"leap: {path} holds no usable lines", file=sys.stderr)
        return 2
    print(evaluate(tagger, records).format())
    return _report_skipped(skipped, len(records))
