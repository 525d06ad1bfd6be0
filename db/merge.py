"""Merging other leap files into this one: records by id, versions decide, all or nothing.

Every record (finding, case assessment, panel, learning action) is matched by its id. One only
in the other file is added with everything that hangs off it (tables whose foreign key points
at it, found from the schema, so tables added later come along). One in both is compared with
what each side held after the last merge of that file (``merge_seen``):

- changed only in the other file: this file takes the other file's version;
- changed only here: this file's version stays;
- changed in both: the higher version wins (then the later update), the losing version is
  kept in the history, and the report lists the conflict.

Themes are matched by slug. This file's taxonomy decides: the same slug with another name is
kept apart as ``<slug>_<region>`` (nobody's counts are silently joined; merge the two in the
Themes screen if they mean the same); tags on a theme this file merged into another follow
that merge; merges or deactivations made only in the other file are reported, not applied.

All files are merged in one transaction: an error, or the process being killed, leaves this
file exactly as it was. A dry run does all the work and rolls it back.
"""

from __future__ import annotations

import json
import re
import sqlite3
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from db.base import (
    APP_ID,
    NewerSchemaError,
    NotALeapDatabase,
    StoreError,
    connect_raw,
    write_transaction,
)
from db.bulk import next_seq, search_index_deferred, set_indexes_aside
from db.history import current_actor, record_change
from db.levels_store import weakness_levels_deferred
from db.schema import MIGRATIONS, known_migration_names
from db.theme_counts import (
    ALL_TRIGGERS,
    COUNTED,
    add_counts,
    add_kept_counts,
    set_insert_triggers_aside,
)

if TYPE_CHECKING:
    import sqlite_utils


@dataclass(frozen=True)
class RecordTable:
    """A table of records merged by id; ``version`` orders two edits of one record."""

    name: str
    entity: str
    version: str
    """Column whose higher value wins a conflict ('' when the records are never edited)."""


RECORD_TABLES: tuple[RecordTable, ...] = (
    RecordTable("findings", "finding", "version"),
    RecordTable("case_assessments", "case_assessment", ""),
    RecordTable("panels", "panel", "updated_at"),
    RecordTable("actions", "action", "version"),
)
"""In the order they are merged (panels before the actions that point at their decisions)."""

CARRIED_HISTORY = (
    "finding",
    "case_assessment",
    "panel",
    "panel_decision",
    "panel_item",
    "action",
    "saved_view",
    "theme",
)
"""History entries copied across (imports, exports and settings belong to their own file)."""

_NOT_MERGED = {
    "meta",
    "regions",
    "pdus",
    "themes",
    "history",
    "saved_views",
    "merge_seen",
    "theme_counts",
    "theme_pair_counts",
    "weakness_levels",
    "levels",
    "_sqlite_migrations",
}
"""Tables handled on their own, derived from others (the kept counts, weakness_levels: rebuilt
by their triggers as findings and their levels arrive) or belonging to one file only (the
level names, like the region's own settings), besides the search index."""


@dataclass
class TableReport:
    """What a merge did to one table."""

    added: int = 0
    updated: int = 0
    unchanged: int = 0
    conflicts: list[str] = field(default_factory=list)


@dataclass
class MergeReport:
    """What a merge did (or, for a dry run, would do), table by table."""

    sources: list[str]
    dry_run: bool = False
    tables: dict[str, TableReport] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    not_carried: list[str] = field(default_factory=list)
    seconds: float = 0.0

    def table(self, name: str) -> TableReport:
        """The report of one table (created on first use)."""
        return self.tables.setdefault(name, TableReport())

    @property
    def changed(self) -> bool:
        """True when the merge added or updated anything."""
        return any(t.added or t.updated for t in self.tables.values())


class MergeError(StoreError):
    """A file cannot be merged (not leap's, newer, or this very file); nothing was written."""


Progress = Callable[[str], None]


def merge_files(
    db: sqlite_utils.Database,
    paths: list[Path],
    *,
    dry_run: bool = False,
    actor: str | None = None,
    progress: Progress | None = None,
) -> MergeReport:
    """Merge the leap files at ``paths`` into ``db`` (all or nothing); returns the report.

    ``progress`` hears the name of each step as it starts (inside the transaction).
    """
    started = time.perf_counter()
    report = MergeReport(sources=[p.name for p in paths], dry_run=dry_run)
    who = actor if actor is not None else current_actor(db)
    with tempfile.TemporaryDirectory(prefix="leap-merge-") as scratch:
        prepared = [_prepared_source(db, path, Path(scratch)) for path in paths]
        staged = Path(scratch) / "staged.db"
        source_tables = _stage(db, prepared, staged)
        db.execute("PRAGMA temp_store = MEMORY")
        db.execute("ATTACH DATABASE ? AS staged", [str(staged)])
        try:
            with write_transaction(db):
                with _counts_and_indexes_deferred(db, prepared):
                    for number, path in enumerate(paths):
                        with _staged_views(db, number, source_tables[number]) as tables:
                            _merge_one(db, path.name, tables, report, who, progress)
                if report.changed:
                    record_change(
                        db,
                        entity="merge",
                        entity_id=", ".join(report.sources),
                        action="merge",
                        before=None,
                        after={
                            name: {"added": t.added, "updated": t.updated}
                            for name, t in report.tables.items()
                        },
                        actor=who,
                    )
                if dry_run:
                    raise _DryRun
        except _DryRun:
            pass
        finally:
            db.execute("DETACH DATABASE staged")
    report.seconds = time.perf_counter() - started
    return report


@contextmanager
def _counts_and_indexes_deferred(db: sqlite_utils.Database, sources: list[Path]) -> Iterator[None]:
    """Keep the theme counts and the findings' secondary indexes for the end of the merge.

    Every count trigger is set aside: findings added are counted in one grouped pass at the
    end (those of a file whose findings were all new here came with that file's own counts,
    ``_take_counts``), and a finding that was here before, or came with its file's counts, and
    is taken over from another file is counted out just before (``_count_out``) and back in at
    the end. For a merge bringing at least as
    many findings as are stored, the secondary indexes are rebuilt once rather than kept up to
    date row by row.
    """
    first_seq = next_seq(db)
    expected = 0
    for path in sources:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            expected += int(conn.execute("SELECT count(*) FROM findings").fetchone()[0])
        finally:
            conn.close()
    rebuilt = set_indexes_aside(db, expected, first_seq - 1)
    triggers = set_insert_triggers_aside(db, ALL_TRIGGERS)
    db.execute("CREATE TEMP TABLE IF NOT EXISTS counted_out (seq INTEGER PRIMARY KEY)")
    db.execute("DELETE FROM temp.counted_out")
    db.execute("INSERT INTO temp.counted_out VALUES (?)", [-first_seq])  # remembers first_seq
    db.execute("CREATE TEMP TABLE IF NOT EXISTS counts_taken (first_seq INT, last_seq INT)")
    db.execute("DELETE FROM temp.counts_taken")
    yield
    for sql in rebuilt:
        db.execute(sql)
    add_counts(
        db,
        "f.seq >= ? AND NOT EXISTS (SELECT 1 FROM temp.counts_taken c "
        "WHERE f.seq BETWEEN c.first_seq AND c.last_seq)",
        [first_seq],
    )
    add_counts(db, "f.seq IN (SELECT seq FROM temp.counted_out WHERE seq > 0)")
    for sql in triggers:
        db.execute(sql)
    db.execute("DROP TABLE temp.counted_out")
    db.execute("DROP TABLE temp.counts_taken")


def _count_out(db: sqlite_utils.Database, record_id: str) -> None:
    """Before a finding that is counted (it was here before the merge, or came with its file's
    counts) changes, take its counts away (once)."""
    first_seq = -int(db.execute("SELECT min(seq) FROM temp.counted_out").fetchone()[0])
    row = db.execute("SELECT seq FROM findings WHERE id = ?", [record_id]).fetchone()
    if row is None:
        return
    taken = db.execute(
        "SELECT 1 FROM temp.counts_taken WHERE ? BETWEEN first_seq AND last_seq", [row[0]]
    ).fetchone()
    if row[0] >= first_seq and not taken:
        return
    if db.execute("SELECT 1 FROM temp.counted_out WHERE seq = ?", [row[0]]).fetchone():
        return
    add_counts(db, "f.seq = ?", [row[0]], sign=-1)
    db.execute("INSERT INTO temp.counted_out VALUES (?)", [row[0]])


class _DryRun(Exception):
    """Raised at the end of a dry run so the transaction rolls back."""


def _prepared_source(db: sqlite_utils.Database, path: Path, scratch: Path) -> Path:
    """The file to read ``path`` from: itself, or an upgraded copy when its schema is older."""
    if not path.is_file():
        raise MergeError(f"{path} does not exist.")
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            app = conn.execute("SELECT value FROM meta WHERE key = 'app_id'").fetchone()
            applied = {
                r[0]
                for r in conn.execute(
                    "SELECT name FROM _sqlite_migrations WHERE migration_set = ?", [APP_ID]
                )
            }
            file_id = conn.execute("SELECT value FROM meta WHERE key = 'file_id'").fetchone()
        finally:
            conn.close()
    except sqlite3.DatabaseError:
        raise NotALeapDatabase(f"{path} is not a leap database; nothing was merged.") from None
    if not app or app[0] != APP_ID:
        raise NotALeapDatabase(f"{path} is not a leap database; nothing was merged.")
    newer = applied - known_migration_names()
    if newer:
        raise NewerSchemaError(
            f"{path} was written by a newer version of leap (schema "
            f"{', '.join(sorted(newer))}); upgrade leap to merge it. Nothing was merged."
        )
    own = db.execute("SELECT value FROM meta WHERE key = 'file_id'").fetchone()
    if file_id and own and file_id[0] == own[0]:
        raise MergeError(f"{path} is this file (or a copy of it); there is nothing to merge.")
    if applied == known_migration_names():
        return path
    import sqlite_utils

    copy = scratch / f"{len(list(scratch.iterdir()))}-{path.name}"
    source = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        dest = sqlite3.connect(str(copy))
        try:
            source.backup(dest)
        finally:
            dest.close()
    finally:
        source.close()
    upgraded = sqlite_utils.Database(connect_raw(copy))
    try:
        MIGRATIONS.apply(upgraded)  # a throwaway copy: no backup of it first
    finally:
        upgraded.close()
    return copy


def _stage(db: sqlite_utils.Database, sources: list[Path], staged: Path) -> list[list[str]]:
    """Copy the tables a merge reads from each of the other files into one scratch file
    (``s<number>_<table>``); returns each file's table names.

    SQLite attaches at most ten files and cannot let one go inside a transaction, so one
    transaction over twelve files reads them from this copy, made before it starts: attached
    one by one and copied by SQLite itself, about four times quicker than rows passing
    through Python. The scratch file needs no journal: it is thrown away after the merge.
    """
    wanted = _wanted_tables(db)
    conn = sqlite3.connect(f"{staged.resolve().as_uri()}", uri=True, isolation_level=None)
    listed = []
    try:
        conn.execute("PRAGMA journal_mode = OFF")
        conn.execute("PRAGMA synchronous = OFF")
        for number, source in enumerate(sources):
            conn.execute("ATTACH DATABASE ? AS source", [f"{source.resolve().as_uri()}?mode=ro"])
            try:
                tables = _tables(conn, "source")
                for table in tables:
                    if table not in wanted:
                        continue
                    where = (
                        f" WHERE entity IN ({', '.join(repr(e) for e in CARRIED_HISTORY)})"
                        if table == "history"
                        else ""
                    )
                    conn.execute(
                        f"CREATE TABLE s{number}_{table} AS SELECT * FROM source.{table}{where}"
                    )
            finally:
                conn.execute("DETACH DATABASE source")
            for column in ("id", "seq"):
                conn.execute(
                    f"CREATE INDEX s{number}_findings_{column} ON s{number}_findings({column})"
                )
            listed.append(tables)
    finally:
        conn.close()
    return listed


@contextmanager
def _staged_views(db: sqlite_utils.Database, number: int, tables: list[str]) -> Iterator[list[str]]:
    """The staged tables of the ``number``-th other file as temporary ``src_<table>`` views of
    this connection, for the length of its merge; yields the file's table names."""
    made = []
    staged = {
        name for (name,) in db.execute("SELECT name FROM staged.sqlite_master WHERE type = 'table'")
    }
    try:
        for table in tables:
            if f"s{number}_{table}" in staged:
                db.execute(
                    f"CREATE TEMP VIEW src_{table} AS SELECT * FROM staged.s{number}_{table}"
                )
                made.append(table)
        yield tables
    finally:
        for table in made:
            db.execute(f"DROP VIEW IF EXISTS temp.src_{table}")


def _wanted_tables(db: sqlite_utils.Database) -> set[str]:
    """The tables a merge reads from the other file."""
    reference = {"meta", "regions", "pdus", "themes", "saved_views", "history"}
    reference |= {"theme_counts", "theme_pair_counts"}
    return reference | {t.name for t in RECORD_TABLES} | {c.table for c in _children(db)}


def _src_columns(db: sqlite_utils.Database, table: str) -> list[str]:
    return _columns(db, "temp", f"src_{table}")


def _columns(db: sqlite_utils.Database, schema: str, table: str) -> list[str]:
    return [r[1] for r in db.execute(f"PRAGMA {schema}.table_info({table})").fetchall()]


def _tables(db: sqlite_utils.Database | sqlite3.Connection, schema: str) -> list[str]:
    return [
        r[0]
        for r in db.execute(
            f"SELECT name FROM {schema}.sqlite_master WHERE type = 'table' "
            "AND name NOT LIKE 'sqlite_%' AND sql NOT LIKE 'CREATE VIRTUAL%' "
            "AND name NOT LIKE '%fts%' ORDER BY name"
        ).fetchall()
    ]


@dataclass(frozen=True)
class _Child:
    """A table hanging off a record table by a foreign key."""

    table: str
    column: str
    parent: str
    parent_column: str
    log: bool
    """Rows with their own integer id (a log): unioned, never replaced."""
    seq_column: str | None = None
    """A column naming a finding by its seq (numbered per file, so mapped to this file's)."""


def _children(db: sqlite_utils.Database) -> list[_Child]:
    """Tables hanging off one record table that a merge can copy row for row.

    A table qualifies when every foreign key it has points at a record table, a theme or a PDU,
    and no other table (record tables aside) points at it; anything else (for example a table
    whose rows other tables reference by an integer id) is reported as not carried.
    """
    parents = {t.name for t in RECORD_TABLES}
    tables = _tables(db, "main")
    keys = {t: db.execute(f"PRAGMA main.foreign_key_list({t})").fetchall() for t in tables}
    referenced = {fk[2] for t in tables if t not in parents for fk in keys[t]}
    children = []
    for table in tables:
        if table in parents or table in _NOT_MERGED or table in referenced:
            continue
        if not keys[table] or any(fk[2] not in parents | {"themes", "pdus"} for fk in keys[table]):
            continue
        # The parent merged last, so that every record the rows point at exists by then.
        order = [t.name for t in RECORD_TABLES]
        linked = sorted(
            (fk for fk in keys[table] if fk[2] in parents), key=lambda k: order.index(k[2])
        )
        if not linked:
            continue
        fk = linked[-1]
        seq = next((k[3] for k in keys[table] if k[2] == "findings"), None)
        info = db.execute(f"PRAGMA main.table_info({table})").fetchall()
        primary = [r for r in info if r[5]]
        log = len(primary) == 1 and str(primary[0][2]).upper() == "INTEGER"
        children.append(_Child(table, fk[3], fk[2], fk[4] or "id", log, seq))
    return children


def _merge_one(
    db: sqlite_utils.Database,
    name: str,
    tables: list[str],
    report: MergeReport,
    actor: str,
    progress: Progress | None,
) -> None:
    source_file = _source_file_id(db, name)
    region_name = _merge_regions(db, report)
    _merge_pdus(db, report, name)
    _map_themes(db, report, name, region_name)
    children = _children(db)
    carried = {t.name for t in RECORD_TABLES} | {c.table for c in children} | _NOT_MERGED
    for table in tables:
        if table not in carried and f"not carried: {table}" not in report.not_carried:
            report.not_carried.append(f"not carried: {table}")
    db.execute(
        "CREATE TEMP TABLE IF NOT EXISTS merge_parents "
        "(tbl TEXT, key TEXT, how TEXT, PRIMARY KEY (tbl, key)) WITHOUT ROWID"
    )
    db.execute("CREATE TEMP TABLE IF NOT EXISTS seq_map (src_seq INTEGER PRIMARY KEY, seq INT)")
    db.execute("DELETE FROM temp.merge_parents")
    db.execute("DELETE FROM temp.seq_map")
    for spec in RECORD_TABLES:
        if progress:
            progress(spec.name)
        _merge_records(
            db,
            spec,
            [c for c in children if c.parent == spec.name],
            report,
            name,
            source_file,
            actor,
        )
    _take_counts(db, tables)
    if progress:
        progress("saved_views")
    _merge_saved_views(db, report, region_name)
    if progress:
        progress("history")
    _merge_history(db, report)


def _take_counts(db: sqlite_utils.Database, tables: list[str]) -> None:
    """When every finding of the other file is new here, add its kept theme counts to this
    file's rather than counting its findings again (the same findings, region, PDUs and themes).

    Only when its themes come in under their own slugs and its counts agree with its findings
    in total (findings by day and by month, theme tags by month); otherwise its findings are
    counted with the others at the end of the merge.
    """
    if "theme_counts" not in tables or "theme_pair_counts" not in tables:
        return
    live = COUNTED.format(f="f")
    agree = db.execute(
        "SELECT (SELECT count(*) FROM temp.merge_parents WHERE tbl = 'findings' "
        "AND how = 'added') = (SELECT count(*) FROM src_findings) "
        "AND NOT EXISTS (SELECT 1 FROM temp.slug_map WHERE src_slug != slug "
        "AND src_slug IN (SELECT theme_slug FROM src_finding_themes)) "
        f"AND (SELECT count(*) FROM src_findings f WHERE {live}) = "
        "(SELECT coalesce(sum(n), 0) FROM src_theme_counts WHERE grain = 'm' AND kind = 't' "
        "AND theme_slug = '') "
        f"AND (SELECT count(*) FROM src_findings f WHERE {live}) = "
        "(SELECT coalesce(sum(n), 0) FROM src_theme_counts WHERE grain = 'd' AND kind = 'f' "
        "AND theme_slug = '') "
        "AND (SELECT count(*) FROM src_finding_themes t JOIN src_findings f "
        f"ON f.seq = t.finding_seq WHERE {live}) = (SELECT coalesce(sum(n), 0) "
        "FROM src_theme_counts WHERE grain = 'm' AND kind = 't' AND theme_slug != '')"
    ).fetchone()[0]
    first, last = db.execute("SELECT min(seq), max(seq) FROM temp.seq_map").fetchone()
    if not agree or first is None:
        return
    add_kept_counts(db, "temp.src_theme_counts", "temp.src_theme_pair_counts")
    db.execute("INSERT INTO temp.counts_taken VALUES (?, ?)", [first, last])


def _source_file_id(db: sqlite_utils.Database, name: str) -> str:
    row = db.execute("SELECT value FROM src_meta WHERE key = 'file_id'").fetchone()
    return str(row[0]) if row else f"file:{name}"


def _merge_regions(db: sqlite_utils.Database, report: MergeReport) -> str:
    """Bring in the other file's regions; returns its own region's name."""
    table = report.table("regions")
    for code, region in db.execute("SELECT code, name FROM src_regions").fetchall():
        here = db.execute("SELECT name FROM regions WHERE code = ?", [code]).fetchone()
        if here is None:
            db.execute("INSERT INTO regions (code, name) VALUES (?, ?)", [code, region])
            table.added += 1
        else:
            table.unchanged += 1
    row = db.execute(
        "SELECT r.name FROM src_regions r JOIN src_meta m ON m.key = 'region_code' "
        "AND m.value = r.code"
    ).fetchone()
    return str(row[0]) if row else ""


def _merge_pdus(db: sqlite_utils.Database, report: MergeReport, name: str) -> None:
    table = report.table("pdus")
    for code, pdu, active, sort, region in db.execute(
        "SELECT code, name, active, sort, region FROM src_pdus"
    ).fetchall():
        here = db.execute("SELECT name FROM pdus WHERE code = ?", [code]).fetchone()
        if here is None:
            db.execute(
                "INSERT INTO pdus (code, name, active, sort, region) VALUES (?, ?, ?, ?, ?)",
                [code, pdu, active, sort, region],
            )
            table.added += 1
            continue
        table.unchanged += 1
        if here[0] != pdu:
            _note(
                report, f"PDU '{code}' is '{here[0]}' here and '{pdu}' in {name}: kept '{here[0]}'."
            )


def _note(report: MergeReport, text: str) -> None:
    if text not in report.notes:
        report.notes.append(text)


def _same_name(a: str, b: str) -> bool:
    return " ".join(a.casefold().split()) == " ".join(b.casefold().split())


def _map_themes(db: sqlite_utils.Database, report: MergeReport, name: str, region: str) -> None:
    """Fill temp.slug_map (other file's slug -> this file's) and add the themes missing here."""
    db.execute("CREATE TEMP TABLE IF NOT EXISTS slug_map (src_slug TEXT PRIMARY KEY, slug TEXT)")
    db.execute("DELETE FROM temp.slug_map")
    table = report.table("themes")
    columns = [c for c in _src_columns(db, "themes") if c in _columns(db, "main", "themes")]
    here = {
        r[0]: r for r in db.execute("SELECT slug, name, active, merged_into FROM themes").fetchall()
    }
    theirs = db.execute(
        f"SELECT {', '.join(columns)} FROM src_themes ORDER BY sort, slug"
    ).fetchall()
    mapping: dict[str, str] = {}
    added: list[dict[str, Any]] = []
    suffix = re.sub(r"[^a-z0-9]+", "_", region.lower()).strip("_") or "other"
    for values in theirs:
        theme = dict(zip(columns, values, strict=True))
        slug = theme["slug"]
        mine = here.get(slug)
        if mine is None:
            mapping[slug] = slug
            added.append(theme)
            continue
        if _same_name(mine[1], theme["name"]):
            mapping[slug] = slug
            table.unchanged += 1
            if theme["merged_into"] and not mine[3]:
                _note(
                    report,
                    f"Theme '{mine[1]}' was merged into '{theme['merged_into']}' in {name} "
                    "but not here; its findings from there come tagged with the theme it was "
                    "merged into. Merge it here too (Themes screen) if you agree.",
                )
            elif not theme["active"] and mine[2] and not theme["merged_into"]:
                _note(report, f"Theme '{mine[1]}' is switched off in {name} but on here; kept on.")
            continue
        apart = f"{slug}_{suffix}"
        mapping[slug] = apart
        _note(
            report,
            f"Theme slug '{slug}' is '{mine[1]}' here and '{theme['name']}' in {name}: kept "
            f"apart as '{apart}' ('{theme['name']} ({region})'). Merge them in the Themes "
            "screen if they mean the same.",
        )
        if apart in here:
            table.unchanged += 1
            continue
        added.append(
            {
                **theme,
                "slug": apart,
                "name": f"{theme['name']} ({region})",
                "builtin": 0,
            }
        )
    for theme in added:
        row = {**theme, "merged_into": None}
        db.execute(
            f"INSERT INTO themes ({', '.join(row)}) VALUES ({', '.join('?' * len(row))})",
            list(row.values()),
        )
        table.added += 1
    for theme in added:
        if theme["merged_into"]:
            db.execute(
                "UPDATE themes SET merged_into = ? WHERE slug = ?",
                [mapping.get(theme["merged_into"], theme["merged_into"]), theme["slug"]],
            )
    merged_here = {
        slug: into
        for slug, into in db.execute(
            "SELECT slug, merged_into FROM themes WHERE merged_into IS NOT NULL"
        ).fetchall()
    }
    for source_slug, slug in mapping.items():
        target, seen = slug, {slug}
        while target in merged_here and merged_here[target] not in seen:
            target = merged_here[target]
            seen.add(target)
        if target != slug and slug in here:
            _note(
                report,
                f"Findings tagged '{source_slug}' in {name} come in tagged '{target}' "
                f"('{source_slug}' was merged into it here).",
            )
        mapping[source_slug] = target
    db.conn.executemany("INSERT INTO temp.slug_map VALUES (?, ?)", list(mapping.items()))


def _select_list(
    db: sqlite_utils.Database,
    table: str,
    columns: list[str],
    alias: str,
    seq_column: str | None = None,
) -> str:
    """Each column as read from the other file, themes mapped to this file's slugs (and
    ``seq_column``, a finding's seq, to this file's seq as joined in ``m``)."""
    theme_columns = {
        fk[3] for fk in db.execute(f"PRAGMA main.foreign_key_list({table})") if fk[2] == "themes"
    }
    return ", ".join(
        "m.seq"
        if c == seq_column
        else f"coalesce((SELECT slug FROM temp.slug_map WHERE src_slug = {alias}.{c}), {alias}.{c})"
        if c in theme_columns
        else f"{alias}.{c}"
        for c in columns
    )


def _merge_records(
    db: sqlite_utils.Database,
    spec: RecordTable,
    children: list[_Child],
    report: MergeReport,
    name: str,
    source_file: str,
    actor: str,
) -> None:
    table = report.table(spec.name)
    columns = [
        c
        for c in _src_columns(db, spec.name)
        if c in _columns(db, "main", spec.name) and c != "seq"
    ]
    select = _select_list(db, spec.name, columns, "s")
    version = f"s.{spec.version}" if spec.version else "''"
    db.execute(
        f"INSERT INTO temp.merge_parents SELECT ?, s.id, 'added' FROM src_{spec.name} s "
        f"WHERE NOT EXISTS (SELECT 1 FROM main.{spec.name} t WHERE t.id = s.id)",
        [spec.name],
    )
    added = int(
        db.execute(
            "SELECT count(*) FROM temp.merge_parents WHERE tbl = ? AND how = 'added'",
            [spec.name],
        ).fetchone()[0]
    )
    insert = (
        f"INSERT INTO main.{spec.name} ({', '.join(columns)}) SELECT {select} "
        f"FROM src_{spec.name} s JOIN temp.merge_parents p ON p.tbl = ? AND p.key = s.id "
        "AND p.how = 'added'"
    )
    if spec.name == "findings" and added:
        first_seq = next_seq(db)
        with weakness_levels_deferred(db, first_seq), search_index_deferred(db, first_seq):
            db.execute(insert + " ORDER BY s.seq", [spec.name])
            _map_seqs(db)
            _copy_children(db, children, "added")
    else:
        db.execute(insert, [spec.name])
        if spec.name == "findings":
            _map_seqs(db)
        _copy_children(db, children, "added")
    table.added += added
    db.execute(
        "INSERT INTO merge_seen (source_file, entity, entity_id, source_version, target_version) "
        f"SELECT ?, ?, s.id, {version}, {version} FROM src_{spec.name} s "
        "JOIN temp.merge_parents p ON p.tbl = ? AND p.key = s.id AND p.how = 'added' "
        "WHERE true ON CONFLICT DO UPDATE SET source_version = excluded.source_version, "
        "target_version = excluded.target_version",
        [source_file, spec.entity, spec.name],
    )
    _merge_existing(db, spec, children, columns, select, table, name, source_file, actor)


def _map_seqs(db: sqlite_utils.Database) -> None:
    db.execute("DELETE FROM temp.seq_map")
    db.execute(
        "INSERT INTO temp.seq_map SELECT s.seq, t.seq FROM src_findings s "
        "JOIN main.findings t ON t.id = s.id"
    )


def _merge_existing(
    db: sqlite_utils.Database,
    spec: RecordTable,
    children: list[_Child],
    columns: list[str],
    select: str,
    table: TableReport,
    name: str,
    source_file: str,
    actor: str,
) -> None:
    """Records in both files: unchanged, taken from the other file, or a conflict."""
    same = " AND ".join(f"s.{c} IS t.{c}" for c in columns)
    version = spec.version
    versions = f"s.{version}, t.{version}" if version else "'', ''"
    rows = db.execute(
        f"SELECT s.id, {versions}, "
        f"m.source_version, m.target_version, ({same}) "
        f"FROM src_{spec.name} s JOIN main.{spec.name} t ON t.id = s.id "
        "LEFT JOIN merge_seen m ON m.source_file = ? AND m.entity = ? AND m.entity_id = s.id "
        "WHERE NOT EXISTS (SELECT 1 FROM temp.merge_parents p WHERE p.tbl = ? AND p.key = s.id)",
        [source_file, spec.entity, spec.name],
    ).fetchall()
    seen: list[tuple[str, str, str, str, str]] = []
    for record_id, theirs, mine, seen_theirs, seen_mine, identical in rows:
        theirs_text, mine_text = str(theirs), str(mine)
        if identical:
            table.unchanged += 1
            if seen_theirs != theirs_text or seen_mine != mine_text:
                seen.append((source_file, spec.entity, record_id, theirs_text, mine_text))
            continue
        changed_there = seen_theirs is None or seen_theirs != theirs_text
        changed_here = seen_mine is None or seen_mine != mine_text
        if not changed_there:
            table.unchanged += 1
            continue
        before = _row(db, "main", spec.name, columns, record_id)
        after = _row(db, "temp", f"src_{spec.name}", columns, record_id)
        take_theirs = not changed_here or _newer(after, before, version)
        if changed_here:
            kept = name if take_theirs else "this file"
            versions = f" ({version} {mine} here, {theirs} there)" if version else ""
            table.conflicts.append(
                f"{spec.entity} {record_id}: changed here and in {name}{versions}; kept "
                f"{kept}'s, the other is in the history."
            )
            record_change(
                db,
                entity=spec.entity,
                entity_id=record_id,
                action="merge_conflict",
                before=before if take_theirs else after,
                after=after if take_theirs else before,
                actor=actor,
            )
        if take_theirs:
            if spec.name == "findings":
                _count_out(db, record_id)
            db.execute(
                f"UPDATE main.{spec.name} SET ({', '.join(columns)}) = "
                f"(SELECT {select} FROM src_{spec.name} s WHERE s.id = ?) WHERE id = ?",
                [record_id, record_id],
            )
            db.execute(
                "INSERT INTO temp.merge_parents VALUES (?, ?, 'updated')", [spec.name, record_id]
            )
            if not changed_here:
                record_change(
                    db,
                    entity=spec.entity,
                    entity_id=record_id,
                    action="merge_update",
                    before=before,
                    after=after,
                    actor=actor,
                )
            table.updated += 1
            mine_text = theirs_text
        seen.append((source_file, spec.entity, record_id, theirs_text, mine_text))
    if spec.name == "findings":
        _map_seqs(db)
    _copy_children(db, children, "updated")
    db.conn.executemany(
        "INSERT INTO merge_seen (source_file, entity, entity_id, source_version, target_version) "
        "VALUES (?, ?, ?, ?, ?) ON CONFLICT DO UPDATE SET "
        "source_version = excluded.source_version, target_version = excluded.target_version",
        seen,
    )


def _newer(theirs: dict[str, Any], mine: dict[str, Any], version: str) -> bool:
    """True when the other file's version wins: higher version, then the later update."""

    def rank(row: dict[str, Any]) -> tuple[Any, ...]:
        return (row.get(version) or 0, str(row.get("updated_at") or ""))

    return rank(theirs) > rank(mine) if version else False


def _row(
    db: sqlite_utils.Database, schema: str, table: str, columns: list[str], record_id: str
) -> dict[str, Any]:
    values = db.execute(
        f"SELECT {', '.join(columns)} FROM {schema}.{table} WHERE id = ?", [record_id]
    ).fetchone()
    return dict(zip(columns, values, strict=True))


def _copy_children(db: sqlite_utils.Database, children: list[_Child], how: str) -> None:
    """Copy the rows hanging off the records added (or taken over) in this merge."""
    for child in children:
        columns = [
            c for c in _src_columns(db, child.table) if c in _columns(db, "main", child.table)
        ]
        key_of_parent = (
            f"(SELECT s.id FROM src_{child.parent} s WHERE s.{child.parent_column} = "
            f"c.{child.column})"
            if child.parent_column != "id"
            else f"c.{child.column}"
        )
        chosen = (
            f"{key_of_parent} IN (SELECT key FROM temp.merge_parents WHERE tbl = "
            f"'{child.parent}' AND how = '{how}')"
        )
        if child.parent == "findings":
            chosen = (
                f"c.{child.column} IN (SELECT s.seq FROM src_findings s JOIN temp.merge_parents "
                f"p ON p.tbl = 'findings' AND p.key = s.id AND p.how = '{how}')"
            )
        if child.log:
            key = next(r[1] for r in db.execute(f"PRAGMA main.table_info({child.table})") if r[5])
            columns = [c for c in columns if c != key]
        values = _select_list(db, child.table, columns, "c", seq_column=child.seq_column)
        source = f"src_{child.table} c"
        if child.seq_column:
            source += f" JOIN temp.seq_map m ON m.src_seq = c.{child.seq_column}"
        if how == "updated" and not child.log:
            db.execute(
                f"DELETE FROM main.{child.table} WHERE {child.column} IN "
                + (
                    "(SELECT m.seq FROM temp.seq_map m JOIN src_findings s ON s.seq = m.src_seq "
                    "JOIN temp.merge_parents p ON p.tbl = 'findings' AND p.key = s.id "
                    "AND p.how = 'updated')"
                    if child.parent == "findings"
                    else f"(SELECT t.{child.parent_column} FROM main.{child.parent} t JOIN "
                    f"temp.merge_parents p ON p.tbl = '{child.parent}' AND p.key = t.id "
                    "AND p.how = 'updated')"
                )
            )
        if child.log:
            same = " AND ".join(f"x.{c} IS v.{c}" for c in columns)
            db.execute(
                f"INSERT INTO main.{child.table} ({', '.join(columns)}) "
                f"SELECT * FROM (SELECT {values} FROM {source} WHERE {chosen}) v "
                f"WHERE NOT EXISTS (SELECT 1 FROM main.{child.table} x WHERE {same})"
            )
        else:
            db.execute(
                f"INSERT OR IGNORE INTO main.{child.table} ({', '.join(columns)}) "
                f"SELECT {values} FROM {source} WHERE {chosen}"
            )


def _merge_saved_views(db: sqlite_utils.Database, report: MergeReport, region: str) -> None:
    table = report.table("saved_views")
    for view, filters, created_at in db.execute(
        "SELECT name, filters, created_at FROM src_saved_views"
    ).fetchall():
        here = db.execute("SELECT filters FROM saved_views WHERE name = ?", [view]).fetchone()
        if here is None:
            db.execute(
                "INSERT INTO saved_views (name, filters, created_at) VALUES (?, ?, ?)",
                [view, filters, created_at],
            )
            table.added += 1
            continue
        if _same_filters(here[0], filters):
            table.unchanged += 1
            continue
        apart = f"{view} ({region})"
        there = db.execute("SELECT filters FROM saved_views WHERE name = ?", [apart]).fetchone()
        if there is not None:
            table.unchanged += 1
            continue
        db.execute(
            "INSERT INTO saved_views (name, filters, created_at) VALUES (?, ?, ?)",
            [apart, filters, created_at],
        )
        table.added += 1
        table.conflicts.append(f"saved view '{view}' differs; theirs kept as '{apart}'.")


def _same_filters(a: str, b: str) -> bool:
    try:
        return bool(json.loads(a) == json.loads(b))
    except ValueError:
        return a == b


def _merge_history(db: sqlite_utils.Database, report: MergeReport) -> None:
    table = report.table("history")
    entities = ", ".join(f"'{e}'" for e in CARRIED_HISTORY)
    before = int(db.execute("SELECT count(*) FROM history").fetchone()[0])
    db.execute(
        "INSERT INTO history (at, actor, entity, entity_id, action, before, after) "
        "SELECT s.at, s.actor, s.entity, s.entity_id, s.action, s.before, s.after "
        f"FROM src_history s WHERE s.entity IN ({entities}) AND NOT EXISTS "
        "(SELECT 1 FROM history h WHERE h.entity = s.entity AND h.entity_id = s.entity_id "
        "AND h.at = s.at AND h.action = s.action AND h.actor IS s.actor) ORDER BY s.id"
    )
    added = int(db.execute("SELECT count(*) FROM history").fetchone()[0]) - before
    total = int(
        db.execute(f"SELECT count(*) FROM src_history WHERE entity IN ({entities})").fetchone()[0]
    )
    table.added += added
    table.unchanged += total - added
