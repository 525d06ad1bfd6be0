"""Saving, loading, searching, deleting and restoring findings; rows become models here."""

from __future__ import annotations

import json
import sqlite3
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel

from db.base import StoreError, write_transaction
from db.history import current_actor, now_utc, record_change
from db.reference import validation_context
from db.search import to_fts_query
from findings.filters import FindingFilter, SortKey
from findings.models import (
    LEVEL_ORDER,
    Finding,
    Level,
    LevelTag,
    Polarity,
    Rosh,
    SourceType,
    Stage,
    TagOrigin,
    ThemeTag,
)

if TYPE_CHECKING:
    import sqlite_utils

    from db.base import Reader


class VersionConflict(StoreError):
    """Someone else saved the finding since it was opened; nothing was overwritten."""


class NotFound(StoreError):
    """No such finding."""


class FindingRow(BaseModel):
    """A finding as one line of a list: enough to show and to open it."""

    id: uuid.UUID
    event_date: date
    source_type: SourceType
    source_ref: str
    pdu: str
    polarity: Polarity
    summary: str
    themes: list[str]


_COLUMNS = (
    "id, source_type, source_ref, pdu, event_date, recorded_date, stage, polarity, summary, "
    "narrative, rosh, crn, details, recorded_by, version, updated_at, deleted_at"
)


def _finding_to_row(finding: Finding) -> dict[str, Any]:
    return {
        "id": str(finding.id),
        "source_type": finding.source_type.value,
        "source_ref": finding.source_ref,
        "pdu": finding.pdu,
        "event_date": finding.event_date.isoformat(),
        "recorded_date": finding.recorded_date.isoformat(),
        "stage": finding.stage.value,
        "polarity": finding.polarity.value,
        "summary": finding.summary,
        "narrative": finding.narrative,
        "rosh": finding.rosh.value,
        "crn": finding.crn,
        "details": json.dumps(finding.details, ensure_ascii=False),
        "recorded_by": finding.recorded_by,
    }


def _row_to_finding(
    row: Sequence[Any],
    tags: list[ThemeTag],
    levels: list[LevelTag] | None = None,
    rejected: list[str] | None = None,
) -> Finding:
    (
        fid,
        source_type,
        source_ref,
        pdu,
        event_date,
        recorded_date,
        stage,
        polarity,
        summary,
        narrative,
        rosh,
        crn,
        details,
        recorded_by,
        version,
        updated_at,
        deleted_at,
    ) = row
    # Rows were validated on the way in: construct without re-checking the clock or references.
    return Finding.model_construct(
        id=uuid.UUID(fid),
        source_type=SourceType(source_type),
        source_ref=source_ref,
        pdu=pdu,
        event_date=date.fromisoformat(event_date),
        recorded_date=date.fromisoformat(recorded_date),
        stage=Stage(stage),
        polarity=Polarity(polarity),
        summary=summary,
        narrative=narrative,
        rosh=Rosh(rosh),
        crn=crn,
        themes=tags,
        rejected_themes=rejected or [],
        levels=levels or [],
        details=json.loads(details or "{}"),
        recorded_by=recorded_by,
        version=version,
        updated_at=datetime.fromisoformat(updated_at) if updated_at else None,
        deleted_at=datetime.fromisoformat(deleted_at) if deleted_at else None,
    )


def _revalidate(db: Reader, finding: Finding, today: date | None) -> Finding:
    """Check a finding against this database's PDUs and themes (and the clock)."""
    data = finding.model_dump()
    return Finding.model_validate(data, context=validation_context(db, today=today))


def get_finding(db: Reader, finding_id: uuid.UUID | str) -> Finding | None:
    """The finding with this id (deleted ones included), or None."""
    row = db.execute(
        f"SELECT seq, {_COLUMNS} FROM findings WHERE id = ?", [str(finding_id)]
    ).fetchone()
    if row is None:
        return None
    tags = [
        ThemeTag(slug=slug, origin=TagOrigin(origin))
        for slug, origin in db.execute(
            "SELECT theme_slug, origin FROM finding_themes WHERE finding_seq = ? "
            "ORDER BY theme_slug",
            [row[0]],
        ).fetchall()
    ]
    return _row_to_finding(
        row[1:], tags, finding_levels(db, row[0]), rejected_themes(db, row[0], tags)
    )


def rejected_themes(db: Reader, seq: int, tags: Iterable[ThemeTag] = ()) -> list[str]:
    """The themes rejected for the finding stored at ``seq`` (any of ``tags``, its attached
    themes, left out: an attached theme is never also rejected)."""
    attached = {t.slug for t in tags}
    return [
        slug
        for (slug,) in db.execute(
            "SELECT theme_slug FROM theme_rejections WHERE finding_seq = ? ORDER BY theme_slug",
            [seq],
        ).fetchall()
        if slug not in attached
    ]


def finding_levels(db: Reader, seq: int) -> list[LevelTag]:
    """The levels of the finding stored at ``seq``, in the documented order."""
    tags = [
        LevelTag(level=Level(level), origin=TagOrigin(origin))
        for level, origin in db.execute(
            "SELECT level, origin FROM finding_levels WHERE finding_seq = ?", [seq]
        ).fetchall()
    ]
    return sorted(tags, key=lambda t: LEVEL_ORDER[t.level])


def _replace_levels(db: sqlite_utils.Database, seq: int, tags: Iterable[LevelTag]) -> None:
    db.execute("DELETE FROM finding_levels WHERE finding_seq = ?", [seq])
    db.conn.executemany(
        "INSERT INTO finding_levels (finding_seq, level, origin) VALUES (?, ?, ?)",
        [(seq, str(t.level), str(t.origin)) for t in tags],
    )


def _replace_themes(db: sqlite_utils.Database, seq: int, tags: Iterable[ThemeTag]) -> None:
    db.execute("DELETE FROM finding_themes WHERE finding_seq = ?", [seq])
    db.conn.executemany(
        "INSERT INTO finding_themes (finding_seq, theme_slug, origin) VALUES (?, ?, ?)",
        [(seq, t.slug, t.origin.value) for t in tags],
    )


def _replace_rejections(
    db: sqlite_utils.Database, seq: int, rejected: Sequence[str], actor: str | None
) -> None:
    """Store the finding's rejected themes: new ones noted with when and by whom, earlier ones
    kept as they were, ones no longer rejected (attached again) deleted."""
    db.execute(
        "DELETE FROM theme_rejections WHERE finding_seq = ? AND theme_slug NOT IN "
        "(SELECT value FROM json_each(?))",
        [seq, json.dumps(list(rejected))],
    )
    if not rejected:
        return
    known = {
        slug
        for (slug,) in db.execute(
            "SELECT slug FROM themes WHERE slug IN (SELECT value FROM json_each(?))",
            [json.dumps(list(rejected))],
        )
    }
    unknown = [slug for slug in rejected if slug not in known]
    if unknown:
        raise StoreError(f"rejected_themes: unknown theme '{unknown[0]}'; nothing was saved.")
    who = actor if actor is not None else current_actor(db)
    at = now_utc()
    db.conn.executemany(
        "INSERT OR IGNORE INTO theme_rejections (finding_seq, theme_slug, rejected_at, "
        "rejected_by) VALUES (?, ?, ?, ?)",
        [(seq, slug, at, who) for slug in rejected],
    )


def _snapshot(finding: Finding) -> dict[str, Any]:
    return finding.model_dump(mode="json", exclude={"updated_at", "deleted_at"})


def save_finding(
    db: sqlite_utils.Database,
    finding: Finding,
    *,
    actor: str | None = None,
    today: date | None = None,
) -> Finding:
    """Insert a new finding or update an existing one; returns it as stored.

    Its tags, levels and rejected themes are written in the same transaction (a rejected
    theme keeps when and by whom it was first rejected). An update must carry the version it
    was loaded at: if the stored version moved on (another process saved meanwhile)
    :class:`VersionConflict` is raised and nothing is written.
    """
    finding = _revalidate(db, finding, today)
    now = now_utc()
    with write_transaction(db):
        existing = db.execute(
            "SELECT seq, version FROM findings WHERE id = ?", [str(finding.id)]
        ).fetchone()
        row = _finding_to_row(finding)
        if existing is None:
            row.update(version=1, created_at=now, updated_at=now)
            cursor = db.execute(
                f"INSERT INTO findings ({', '.join(row)}) VALUES ({', '.join('?' * len(row))})",
                list(row.values()),
            )
            seq = cursor.lastrowid
            assert seq is not None
            _replace_themes(db, seq, finding.themes)
            if finding.rejected_themes:
                _replace_rejections(db, seq, finding.rejected_themes, actor)
            if finding.levels:  # a new finding has none stored yet: nothing to delete
                _replace_levels(db, seq, finding.levels)
            stored = finding.model_copy(update={"version": 1})
            record_change(
                db,
                entity="finding",
                entity_id=str(finding.id),
                action="create",
                before=None,
                after=_snapshot(stored),
                actor=actor,
            )
            return stored
        seq, version = existing
        if version != finding.version:
            raise VersionConflict(
                f"This finding was changed by someone else (now version {version}, you opened "
                f"version {finding.version}). Reopen it to see their changes; yours were not saved."
            )
        before = get_finding(db, finding.id)
        row.update(version=version + 1, updated_at=now)
        assignments = ", ".join(f"{k} = ?" for k in row)
        cursor = db.execute(
            f"UPDATE findings SET {assignments} WHERE seq = ? AND version = ?",
            [*row.values(), seq, version],
        )
        if cursor.rowcount != 1:
            raise VersionConflict("This finding was changed by someone else; reopen it.")
        _replace_themes(db, seq, finding.themes)
        _replace_rejections(db, seq, finding.rejected_themes, actor)
        _replace_levels(db, seq, finding.levels)
        stored = finding.model_copy(update={"version": version + 1})
        record_change(
            db,
            entity="finding",
            entity_id=str(finding.id),
            action="update",
            before=_snapshot(before) if before else None,
            after=_snapshot(stored),
            actor=actor,
        )
        return stored


def _set_deleted(
    db: sqlite_utils.Database, finding_id: uuid.UUID | str, deleted: bool, actor: str | None
) -> None:
    with write_transaction(db):
        row = db.execute(
            "SELECT deleted_at FROM findings WHERE id = ?", [str(finding_id)]
        ).fetchone()
        if row is None:
            raise NotFound(f"No finding with id {finding_id}.")
        db.execute(
            "UPDATE findings SET deleted_at = ?, version = version + 1, updated_at = ? "
            "WHERE id = ?",
            [now_utc() if deleted else None, now_utc(), str(finding_id)],
        )
        record_change(
            db,
            entity="finding",
            entity_id=str(finding_id),
            action="delete" if deleted else "restore",
            before={"deleted_at": row[0]},
            after=None,
            actor=actor,
        )


def delete_finding(
    db: sqlite_utils.Database, finding_id: uuid.UUID | str, *, actor: str | None = None
) -> None:
    """Move a finding to 'recently deleted' (it can be restored)."""
    _set_deleted(db, finding_id, True, actor)


def restore_finding(
    db: sqlite_utils.Database, finding_id: uuid.UUID | str, *, actor: str | None = None
) -> None:
    """Bring a deleted finding back."""
    _set_deleted(db, finding_id, False, actor)


def filter_where(flt: FindingFilter, db: Reader | None = None) -> tuple[str, list[Any]]:
    """The SQL WHERE clause (and its parameters) over ``findings f`` selecting exactly ``flt``
    (for exports and counts that must be complete)."""
    return _where(db, flt)


BROAD_TEXT = 20_000
"""A text query matching more findings than this is searched among its newest matches only."""


_hits_cache: list[tuple[object, tuple[object, ...], list[int]]] = []


def _text_hits(db: Reader, match: str) -> list[int]:
    """The newest BROAD_TEXT + 1 findings (by seq) matching ``match``: one FTS evaluation.

    Remembered per connection until anything is written, so the count and the page the screen
    asks for in turn share one evaluation of an expensive phrase or prefix query.
    """
    # A sqlite-utils Database or a plain connection.
    connection: sqlite3.Connection = db if isinstance(db, sqlite3.Connection) else db.conn
    version = db.execute("PRAGMA data_version").fetchone()[0]
    key = (match, version, connection.total_changes)
    for conn, cached_key, cached_hits in _hits_cache:
        if conn is connection and cached_key == key:
            return cached_hits
    hits = [
        r[0]
        for r in db.execute(
            "SELECT rowid FROM findings_fts WHERE findings_fts MATCH ? ORDER BY rowid DESC LIMIT ?",
            [match, BROAD_TEXT + 1],
        ).fetchall()
    ]
    # Holding the connection (not its id) means a new connection can never see old hits.
    _hits_cache[:] = [e for e in _hits_cache if e[0] is not connection][-7:]
    _hits_cache.append((connection, key, hits))
    return hits


def _is_broad(db: Reader | None, flt: FindingFilter) -> bool:
    """True if the text matches more findings than BROAD_TEXT (results then come from the
    newest BROAD_TEXT matches and counts say "at least")."""
    match = to_fts_query(flt.text) if flt.text else None
    if db is None or match is None:
        return False
    return len(_text_hits(db, match)) > BROAD_TEXT


def _common_themes(db: Reader | None, themes: Sequence[str]) -> bool:
    """True if the themes tag more findings than BROAD_TEXT (or no database to ask)."""
    if db is None:
        return False
    row = db.execute(
        "SELECT count(*) FROM (SELECT 1 FROM finding_themes WHERE theme_slug IN "
        f"({', '.join('?' * len(themes))}) LIMIT ?)",
        [*themes, BROAD_TEXT + 1],
    ).fetchone()
    return int(row[0]) > BROAD_TEXT


def _where(
    db: Reader | None, flt: FindingFilter, *, newest_text_only: bool = False
) -> tuple[str, list[Any]]:
    """The WHERE clause for ``flt``; with ``newest_text_only`` (the findings list's pages and
    capped counts) a very common search word is looked for among its newest matches only."""
    clauses: list[str] = []
    params: list[Any] = []
    if flt.only_deleted:
        clauses.append("f.deleted_at IS NOT NULL")
    elif not flt.include_deleted:
        clauses.append("f.deleted_at IS NULL")

    def any_of(column: str, values: Sequence[str]) -> None:
        if values:
            clauses.append(f"{column} IN ({', '.join('?' * len(values))})")
            params.extend(values)

    any_of("f.source_type", [s.value for s in flt.source_types])
    any_of("f.region", flt.regions)
    any_of("f.pdu", flt.pdus)
    any_of("f.stage", [s.value for s in flt.stages])
    any_of("f.rosh", [r.value for r in flt.rosh])
    if flt.polarity:
        clauses.append("f.polarity = ?")
        params.append(flt.polarity.value)
    if flt.date_from:
        clauses.append("f.event_date >= ?")
        params.append(flt.date_from.isoformat())
    if flt.date_to:
        clauses.append("f.event_date <= ?")
        params.append(flt.date_to.isoformat())
    if flt.themes:
        # A common theme is checked against each candidate from the findings' own (covering)
        # indexes; the unary + stops SQLite from driving the query from its tags instead,
        # which would read one large table row per tag. A rare theme drives the query.
        plus = "+" if _common_themes(db, flt.themes) else ""
        clauses.append(
            f"{plus}f.seq IN (SELECT finding_seq FROM finding_themes WHERE theme_slug IN "
            f"({', '.join('?' * len(flt.themes))}))"
        )
        params.extend(flt.themes)
    if flt.levels:
        clauses.append(
            "f.seq IN (SELECT finding_seq FROM finding_levels WHERE level IN "
            f"({', '.join('?' * len(flt.levels))}))"
        )
        params.extend(str(level) for level in flt.levels)
    if flt.text:
        match = to_fts_query(flt.text)
        if match is None:
            clauses.append("0")
        elif db is not None and newest_text_only:
            hits = _text_hits(db, match)[:BROAD_TEXT]
            clauses.append("f.seq IN (SELECT value FROM json_each(?))")
            params.append(json.dumps(hits))
        else:
            clauses.append("f.seq IN (SELECT rowid FROM findings_fts WHERE findings_fts MATCH ?)")
            params.append(match)
    return (" WHERE " + " AND ".join(clauses)) if clauses else "", params


def count_findings(db: Reader, flt: FindingFilter | None = None) -> int:
    """How many findings match the filter."""
    where, params = _where(db, flt or FindingFilter())
    row = db.execute(f"SELECT count(*) FROM findings f{where}", params).fetchone()
    return int(row[0])


COUNT_CAP = 10_000
"""Counting stops here: an exact count of a broad search over a million rows would block."""


@dataclass(frozen=True)
class MatchCount:
    """How many findings match, exact below the cap, else 'at least'."""

    value: int
    capped: bool = False

    @property
    def label(self) -> str:
        return f"{self.value:,}+" if self.capped else f"{self.value:,}"


def count_findings_capped(
    db: Reader, flt: FindingFilter | None = None, *, cap: int = COUNT_CAP
) -> MatchCount:
    """How many findings match, counting no further than ``cap`` (then ``capped`` is True).

    With no filter the count is exact and cheap: all rows (from the smallest index) less the
    deleted ones (a partial index), so the whole collection is always shown in full.
    """
    flt = flt or FindingFilter()
    if flt == FindingFilter():
        total = db.execute("SELECT count(*) FROM findings").fetchone()[0]
        deleted = db.execute(
            "SELECT count(*) FROM findings WHERE deleted_at IS NOT NULL"
        ).fetchone()[0]
        return MatchCount(int(total) - int(deleted))
    search = _search_only_hits(db, flt)
    if search is not None:
        hits, broad = search
        return MatchCount(min(len(hits), cap), capped=broad or len(hits) > cap)
    if _is_broad(db, flt):
        # A common word matches most rows: the list shows the newest BROAD_TEXT matches only,
        # and the count says "at least".
        where, params = _where(db, flt, newest_text_only=True)
        row = db.execute(
            f"SELECT count(*) FROM (SELECT 1 FROM findings f{where} LIMIT ?)", [*params, cap + 1]
        ).fetchone()
        return MatchCount(min(int(row[0]), cap), capped=True)
    where, params = _where(db, flt, newest_text_only=True)
    row = db.execute(
        f"SELECT count(*) FROM (SELECT 1 FROM findings f{where} LIMIT ?)", [*params, cap + 1]
    ).fetchone()
    found = int(row[0])
    return MatchCount(cap, capped=True) if found > cap else MatchCount(found)


def _search_only_hits(db: Reader, flt: FindingFilter) -> tuple[list[int], bool] | None:
    """For a filter that is a search and nothing else: the live findings among the newest
    BROAD_TEXT text matches (seqs, newest first) and whether there were more; else None.

    Counting these needs no look-up of the matching rows: the deleted findings are few and
    come from their own small index.
    """
    if not flt.text or flt.model_copy(update={"text": ""}) != FindingFilter():
        return None
    match = to_fts_query(flt.text)
    if match is None:
        return [], False
    hits = _text_hits(db, match)
    broad = len(hits) > BROAD_TEXT
    deleted = {r[0] for r in db.execute("SELECT seq FROM findings WHERE deleted_at IS NOT NULL")}
    live = [h for h in hits[:BROAD_TEXT] if h not in deleted] if deleted else hits[:BROAD_TEXT]
    return live, broad


def query_findings(
    db: Reader,
    flt: FindingFilter | None = None,
    *,
    sort: SortKey = SortKey.EVENT_DATE,
    descending: bool = True,
    limit: int = 100,
    offset: int = 0,
) -> list[FindingRow]:
    """One page of findings matching the filter, as list rows (themes included).

    A very common search word is looked for among its newest matches only (see BROAD_TEXT),
    as ``count_findings_capped`` counts them.
    """
    flt = flt or FindingFilter()
    where, params = _where(db, flt, newest_text_only=True)
    direction = "DESC" if descending else "ASC"
    order = f"f.{sort.value} {direction}, f.seq {direction}"
    source = "findings f"
    if sort is SortKey.EVENT_DATE and _walk_dates(db, flt, limit + offset):
        source = "findings f INDEXED BY idx_findings_event_date"
    rows = db.execute(
        "SELECT f.seq, f.id, f.event_date, f.source_type, f.source_ref, f.pdu, f.polarity, "
        f"f.summary FROM {source}{where} ORDER BY {order} LIMIT ? OFFSET ?",
        [*params, limit, offset],
    ).fetchall()
    themes_by_seq: dict[int, list[str]] = {r[0]: [] for r in rows}
    if rows:
        seqs = list(themes_by_seq)
        for seq, slug in db.execute(
            "SELECT finding_seq, theme_slug FROM finding_themes WHERE finding_seq IN "
            f"({', '.join('?' * len(seqs))}) ORDER BY theme_slug",
            seqs,
        ).fetchall():
            themes_by_seq[seq].append(slug)
    return [
        FindingRow(
            id=uuid.UUID(r[1]),
            event_date=date.fromisoformat(r[2]),
            source_type=SourceType(r[3]),
            source_ref=r[4],
            pdu=r[5],
            polarity=Polarity(r[6]),
            summary=r[7],
            themes=themes_by_seq[r[0]],
        )
        for r in rows
    ]


def _walk_dates(db: Reader, flt: FindingFilter, wanted: int) -> bool:
    """True if a search's first ``wanted`` rows by date are best found by walking the date
    index and keeping the matches, rather than looking every match up and sorting them.

    Walking reads about wanted * findings / matches index entries, the other way one table
    row per match: with many matches (a common phrase) walking is several times faster.
    """
    search = _search_only_hits(db, flt)
    if search is None:
        return False
    hits = len(search[0])
    stored = int(db.execute("SELECT coalesce(max(seq), 0) FROM findings").fetchone()[0])
    return hits > 0 and wanted * stored < hits * hits


def load_findings(db: Reader, ids: Iterable[uuid.UUID | str]) -> list[Finding]:
    """Full findings for the given ids, in the given order (missing ids skipped)."""
    found = [get_finding(db, i) for i in ids]
    return [f for f in found if f is not None]
