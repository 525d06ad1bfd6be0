"""Per-day and per-month theme counts of weakness findings, kept in step with every write.

Two tables hold what the recurrence report needs without reading the findings of a period:

- ``theme_counts``: how many live weakness findings (``theme_slug = ''``) and how many of their
  theme tags fall on a day (``grain = 'd'``, ``period`` = ISO date) or in a month (``grain =
  'm'``, ``period`` = ``YYYY-MM``), by region and theme, and by ``kind``: 'f' by PDU and source
  type, 'p' by PDU, 's' by source type, 't' neither (a rolled-up column holds ''), so that a
  question over whole months reads only the rows it needs. Days are kept by kind 'f' alone
  (``DAY_KINDS``): they only answer the few days at a period's edges, where summing the 'f'
  rows costs little, and they are most of the rows (m012_lean_day_counts);
- ``theme_pair_counts``: how often two themes (``first_slug < second_slug``) were found together,
  by day or month, region and (kind 'p') PDU or (months only, kind 't') not.

Triggers on ``findings`` and ``finding_themes`` keep both exact through every store write. Bulk
loads set the insert triggers aside and add the new rows' counts in one grouped pass
(:func:`add_counts`). ``leap check`` compares every month's findings total and every month with
its days, and recounts a sample of days in full (:func:`count_mismatches`; all with ``--full``).
A period is answered from whole months plus the days at its edges (:func:`period_spans`).
"""

from __future__ import annotations

import calendar
from collections import Counter
from datetime import date, timedelta
from itertools import combinations
from typing import TYPE_CHECKING, Any

from db.base import drop_schema_objects

if TYPE_CHECKING:
    from db.base import Reader

COUNTED = "{f}.polarity = 'weakness' AND {f}.deleted_at IS NULL"
"""The findings recurrence counts: weaknesses that are not deleted."""

DAY_KINDS = {"theme_counts": "f", "theme_pair_counts": "p"}
"""The one kind of daily row each table keeps (the others are sums of it)."""
_THEME_GRAIN_KINDS = (("d", "f"), ("m", "f"), ("m", "p"), ("m", "s"), ("m", "t"))
_PAIR_GRAIN_KINDS = (("d", "p"), ("m", "p"), ("m", "t"))


def _grain_kinds(pairs: tuple[tuple[str, str], ...]) -> str:
    values = ", ".join(f"('{grain}', '{kind}')" for grain, kind in pairs)
    return f"(SELECT column1 AS grain, column2 AS kind FROM (VALUES {values}))"


_GRAINS = _grain_kinds(_THEME_GRAIN_KINDS)
_PAIR_GRAINS = _grain_kinds(_PAIR_GRAIN_KINDS)
_PERIOD = "CASE g.grain WHEN 'd' THEN {f}.event_date ELSE substr({f}.event_date, 1, 7) END"
_PDU = "CASE WHEN g.kind IN ('f', 'p') THEN {f}.pdu ELSE '' END"
_SOURCE = "CASE WHEN g.kind IN ('f', 's') THEN {f}.source_type ELSE '' END"
_UPSERT = "ON CONFLICT DO UPDATE SET n = n + excluded.n"

TABLES_SQL = """
CREATE TABLE theme_counts (
    grain TEXT NOT NULL,
    kind TEXT NOT NULL,
    period TEXT NOT NULL,
    region TEXT NOT NULL,
    pdu TEXT NOT NULL,
    source_type TEXT NOT NULL,
    theme_slug TEXT NOT NULL,
    n INTEGER NOT NULL,
    PRIMARY KEY (grain, kind, period, region, pdu, source_type, theme_slug)
) WITHOUT ROWID;
CREATE TABLE theme_pair_counts (
    grain TEXT NOT NULL,
    kind TEXT NOT NULL,
    period TEXT NOT NULL,
    region TEXT NOT NULL,
    pdu TEXT NOT NULL,
    first_slug TEXT NOT NULL,
    second_slug TEXT NOT NULL,
    n INTEGER NOT NULL,
    PRIMARY KEY (grain, kind, period, region, pdu, first_slug, second_slug)
) WITHOUT ROWID
"""


_THEME_COLUMNS = "(grain, kind, period, region, pdu, source_type, theme_slug, n)"
_PAIR_COLUMNS = "(grain, kind, period, region, pdu, first_slug, second_slug, n)"


def _keys(f: str) -> str:
    """grain, kind, period, region, PDU and source type of finding ``f`` under each ``g``."""
    return (
        f"g.grain, g.kind, {_PERIOD.format(f=f)}, {f}.region, {_PDU.format(f=f)}, "
        f"{_SOURCE.format(f=f)}"
    )


def _pair_keys(f: str) -> str:
    return f"g.grain, g.kind, {_PERIOD.format(f=f)}, {f}.region, {_PDU.format(f=f)}"


def _finding_row(f: str, sign: str) -> str:
    """Count one finding (its values under alias/record ``f``) in or out."""
    return (
        f"INSERT INTO theme_counts {_THEME_COLUMNS} SELECT {_keys(f)}, '', {sign} "
        f"FROM {_GRAINS} g WHERE {COUNTED.format(f=f)} {_UPSERT};"
    )


def _finding_tags(f: str, sign: str) -> str:
    """Count every theme tag and theme pair of one finding (record ``f``) in or out."""
    return (
        f"INSERT INTO theme_counts {_THEME_COLUMNS} SELECT {_keys(f)}, t.theme_slug, {sign} "
        f"FROM finding_themes t, {_GRAINS} g "
        f"WHERE t.finding_seq = {f}.seq AND {COUNTED.format(f=f)} {_UPSERT};"
        f"INSERT INTO theme_pair_counts {_PAIR_COLUMNS} "
        f"SELECT {_pair_keys(f)}, a.theme_slug, b.theme_slug, {sign} "
        "FROM finding_themes a JOIN finding_themes b "
        "ON b.finding_seq = a.finding_seq AND a.theme_slug < b.theme_slug, "
        f"{_PAIR_GRAINS} g WHERE a.finding_seq = {f}.seq AND {COUNTED.format(f=f)} {_UPSERT};"
    )


def _one_tag(tag: str, sign: str, other_than: str) -> str:
    """Count one theme tag (record ``tag``) and its pairs with the finding's other tags (those
    not named ``other_than``)."""
    return (
        f"INSERT INTO theme_counts {_THEME_COLUMNS} SELECT {_keys('f')}, {tag}.theme_slug, "
        f"{sign} FROM findings f, {_GRAINS} g "
        f"WHERE f.seq = {tag}.finding_seq AND {COUNTED.format(f='f')} {_UPSERT};"
        f"INSERT INTO theme_pair_counts {_PAIR_COLUMNS} SELECT {_pair_keys('f')}, "
        f"min({tag}.theme_slug, o.theme_slug), max({tag}.theme_slug, o.theme_slug), {sign} "
        "FROM findings f JOIN finding_themes o ON o.finding_seq = f.seq "
        f"AND o.theme_slug != {other_than}, {_PAIR_GRAINS} g "
        f"WHERE f.seq = {tag}.finding_seq AND {COUNTED.format(f='f')} {_UPSERT};"
    )


_KEY_COLUMNS = ("polarity", "deleted_at", "event_date", "pdu", "source_type", "region")

INSERT_TRIGGERS = ("theme_counts_finding_ai", "theme_counts_tag_ai")
"""The triggers a bulk load sets aside (it adds the new rows' counts with ``add_counts``)."""
ALL_TRIGGERS = (
    *INSERT_TRIGGERS,
    "theme_counts_finding_bd",
    "theme_counts_finding_au",
    "theme_counts_tag_ad",
    "theme_counts_tag_au",
)
"""Every trigger keeping the counts (a merge sets them all aside and recounts what it touched)."""

TRIGGERS_SQL = f"""
CREATE TRIGGER theme_counts_finding_ai AFTER INSERT ON findings BEGIN
    {_finding_row("NEW", "1")}
END;
CREATE TRIGGER theme_counts_finding_bd BEFORE DELETE ON findings BEGIN
    {_finding_row("OLD", "-1")}
    {_finding_tags("OLD", "-1")}
END;
CREATE TRIGGER theme_counts_finding_au
AFTER UPDATE OF {", ".join(_KEY_COLUMNS)} ON findings
WHEN {" OR ".join(f"OLD.{c} IS NOT NEW.{c}" for c in _KEY_COLUMNS)} BEGIN
    {_finding_row("OLD", "-1")}
    {_finding_tags("OLD", "-1")}
    {_finding_row("NEW", "1")}
    {_finding_tags("NEW", "1")}
END;
CREATE TRIGGER theme_counts_tag_ai AFTER INSERT ON finding_themes BEGIN
    {_one_tag("NEW", "1", "NEW.theme_slug")}
END;
CREATE TRIGGER theme_counts_tag_ad AFTER DELETE ON finding_themes BEGIN
    {_one_tag("OLD", "-1", "OLD.theme_slug")}
END;
CREATE TRIGGER theme_counts_tag_au AFTER UPDATE OF theme_slug, finding_seq ON finding_themes
WHEN OLD.theme_slug IS NOT NEW.theme_slug OR OLD.finding_seq IS NOT NEW.finding_seq BEGIN
    {_one_tag("OLD", "-1", "NEW.theme_slug")}
    {_one_tag("NEW", "1", "NEW.theme_slug")}
END
"""


def _grouped_counts(where: str) -> tuple[str, str, str]:
    """SELECTs of the finding, theme and pair counts of the findings ``f`` matching ``where``
    (a recount in SQL, for ``leap check`` to compare with the kept counts)."""
    counted = f"{COUNTED.format(f='f')} AND {where}"
    findings = (
        f"SELECT {_keys('f')}, '', count(*) FROM findings f, {_GRAINS} g "
        f"WHERE {counted} GROUP BY 1, 2, 3, 4, 5, 6"
    )
    themes = (
        f"SELECT {_keys('f')}, t.theme_slug, count(*) "
        f"FROM findings f JOIN finding_themes t ON t.finding_seq = f.seq, {_GRAINS} g "
        f"WHERE {counted} GROUP BY 1, 2, 3, 4, 5, 6, 7"
    )
    pairs = (
        f"SELECT {_pair_keys('f')}, a.theme_slug, b.theme_slug, count(*) "
        "FROM findings f JOIN finding_themes a ON a.finding_seq = f.seq "
        "JOIN finding_themes b ON b.finding_seq = f.seq AND a.theme_slug < b.theme_slug, "
        f"{_PAIR_GRAINS} g WHERE {counted} GROUP BY 1, 2, 3, 4, 5, 6, 7"
    )
    return findings, themes, pairs


COUNT_CHUNK = 100_000
"""Findings counted per pass by :func:`add_counts` (bounds its memory on a 1M-finding file)."""


def add_counts(
    db: Any, where: str = "1", params: list[Any] | tuple[Any, ...] = (), *, sign: int = 1
) -> None:
    """Add (``sign`` -1: take away) the counts of the findings matching ``where`` (over alias
    ``f``), for rows written while the triggers were set aside (and to build the tables).

    Counted in Python, ``COUNT_CHUNK`` findings at a time: about three times quicker than
    SQLite grouping the five kinds of row itself (``leap check`` still recounts in SQL, so
    the two ways check each other).
    """
    low, high = db.execute(
        f"SELECT min(f.seq), max(f.seq) FROM findings f WHERE {where}", list(params)
    ).fetchone()
    if low is None:
        return
    for first in range(int(low), int(high) + 1, COUNT_CHUNK):
        rows = db.execute(
            "SELECT f.event_date, f.region, f.pdu, f.source_type, group_concat(t.theme_slug) "
            "FROM findings f LEFT JOIN finding_themes t ON t.finding_seq = f.seq "
            f"WHERE {COUNTED.format(f='f')} AND ({where}) AND f.seq BETWEEN ? AND ? "
            "GROUP BY f.seq",
            [*params, first, first + COUNT_CHUNK - 1],
        ).fetchall()
        themes, pairs = _tally(rows)
        _write(db, "theme_counts", _THEME_COLUMNS, themes, sign)
        _write(db, "theme_pair_counts", _PAIR_COLUMNS, pairs, sign)


def _tally(
    rows: list[tuple[str, str, str, str, str | None]],
) -> tuple[Counter[tuple[str, ...]], Counter[tuple[str, ...]]]:
    """The theme and pair counts of findings given as (day, region, PDU, source, tags)."""
    themes: Counter[tuple[str, ...]] = Counter()
    pairs: Counter[tuple[str, ...]] = Counter()
    for day, region, pdu, source, tags in rows:
        slugs = sorted(tags.split(",")) if tags else []
        month = day[:7]
        for slug in ("", *slugs):
            themes[("d", "f", day, region, pdu, source, slug)] += 1
            themes[("m", "f", month, region, pdu, source, slug)] += 1
            themes[("m", "p", month, region, pdu, "", slug)] += 1
            themes[("m", "s", month, region, "", source, slug)] += 1
            themes[("m", "t", month, region, "", "", slug)] += 1
        for first, second in combinations(slugs, 2):
            pairs[("d", "p", day, region, pdu, first, second)] += 1
            pairs[("m", "p", month, region, pdu, first, second)] += 1
            pairs[("m", "t", month, region, "", first, second)] += 1
    return themes, pairs


def _write(db: Any, table: str, columns: str, counts: Counter[tuple[str, ...]], sign: int) -> None:
    db.conn.executemany(
        f"INSERT INTO {table} {columns} VALUES (?, ?, ?, ?, ?, ?, ?, ?) {_UPSERT}",
        ((*key, n * sign) for key, n in counts.items()),
    )


def add_kept_counts(db: Any, themes: str, pairs: str) -> None:
    """Add the rows of tables ``themes`` and ``pairs``, laid out as ``theme_counts`` and
    ``theme_pair_counts`` (another file's kept counts), to this file's counts.

    In key order, in one statement each: several times quicker than counting the same
    findings again (:func:`add_counts`), for a merge bringing findings all new here.
    """
    for table, columns, source in (
        ("theme_counts", _THEME_COLUMNS, themes),
        ("theme_pair_counts", _PAIR_COLUMNS, pairs),
    ):
        names = columns.strip("()")
        db.execute(
            f"INSERT INTO main.{table} {columns} SELECT {names} FROM {source} WHERE n != 0 "
            f"ORDER BY 1, 2, 3, 4, 5, 6, 7 {_UPSERT}"
        )


def set_insert_triggers_aside(db: Any, names: tuple[str, ...] = INSERT_TRIGGERS) -> list[str]:
    """Drop the per-row insert triggers (or those ``names``) for a bulk load; returns their SQL
    to re-create them.

    Call inside the load's transaction (an error or a crash leaves the triggers in place), add
    the new rows' counts with :func:`add_counts`, then execute the returned SQL.
    """
    return drop_schema_objects(db, "trigger", f"name IN ({', '.join('?' * len(names))})", [*names])


_KEPT_THEMES = (
    "SELECT grain, kind, period, region, pdu, source_type, theme_slug, n FROM theme_counts "
    "WHERE n != 0"
)
_KEPT_PAIRS = (
    "SELECT grain, kind, period, region, pdu, first_slug, second_slug, n "
    "FROM theme_pair_counts WHERE n != 0"
)


def _differences(db: Reader, kept: str, fresh: str, params: list[Any]) -> int:
    """How many rows either of ``kept`` and ``fresh`` holds that the other lacks (``params``
    are those of ``kept`` followed by those of ``fresh``)."""
    row = db.execute(
        f"SELECT (SELECT count(*) FROM (SELECT * FROM ({kept}) EXCEPT SELECT * FROM ({fresh}))) "
        f"+ (SELECT count(*) FROM (SELECT * FROM ({fresh}) EXCEPT SELECT * FROM ({kept})))",
        [*params, *params],
    ).fetchone()
    return int(row[0])


def count_mismatches(db: Reader, days: list[str] | None = None) -> int:
    """How many kept counts differ from a fresh recount of the findings (0 when in step): every
    row, or only the daily rows of ``days`` (ISO dates).

    Recounted in SQL by all five kinds of row and the pairs: about 90 s of CPU for a
    1M-finding file, a fraction of a second for one day of it.
    """
    total = 0
    for day in [None] if days is None else days:
        where, kept_where, span = "1", "", []
        if day is not None:
            where, kept_where = (
                "f.event_date = ? AND g.grain = 'd'",
                " AND grain = 'd' AND period = ?",
            )
            span = [day]
        findings, themes, pairs = _grouped_counts(where)
        total += _differences(
            db, _KEPT_THEMES + kept_where, f"{findings} UNION ALL {themes}", span * 3
        )
        total += _differences(db, _KEPT_PAIRS + kept_where, pairs, span * 2)
    return total


def monthly_total_mismatches(db: Reader) -> int:
    """How many months' kept counts of weakness findings (all regions) differ from a count of
    the findings: a cheap check of every month (read from the findings' date index)."""
    fresh = (
        f"SELECT substr(f.event_date, 1, 7), count(*) FROM findings f "
        f"WHERE {COUNTED.format(f='f')} GROUP BY 1"
    )
    kept = (
        "SELECT period, sum(n) FROM theme_counts WHERE grain = 'm' AND kind = 't' "
        "AND theme_slug = '' GROUP BY period HAVING sum(n) != 0"
    )
    return _differences(db, kept, fresh, [])


_ROLLED_UP: dict[str, tuple[tuple[str, ...], dict[str, tuple[str, ...]]]] = {
    "theme_counts": (
        ("region", "pdu", "source_type", "theme_slug"),
        {"p": ("source_type",), "s": ("pdu",), "t": ("pdu", "source_type")},
    ),
    "theme_pair_counts": (("region", "pdu", "first_slug", "second_slug"), {"t": ("pdu",)}),
}
"""Each table's key columns (beside grain, kind and period), and the columns each rolled-up
kind of monthly row holds as '' (the sum over them of the kind kept by day)."""


def day_month_mismatches(db: Reader) -> int:
    """How many monthly counts differ from the sum of their days' counts (the kind kept by day)
    or from the sum of the month's finer rows (the rolled-up kinds)."""
    total = 0
    for table, (columns, rolled_up) in _ROLLED_UP.items():
        fine, keys = DAY_KINDS[table], ", ".join(columns)
        groups = ", ".join(str(i) for i in range(1, len(columns) + 2))
        days = (
            f"SELECT {keys}, substr(period, 1, 7), sum(n) FROM {table} "
            f"WHERE grain = 'd' AND kind = '{fine}' GROUP BY {groups} HAVING sum(n) != 0"
        )
        total += _differences(db, _month_rows(table, keys, fine), days, [])
        for kind, blank in rolled_up.items():
            summed = ", ".join(f"'' AS {c}" if c in blank else c for c in columns)
            sums = (
                f"SELECT {summed}, period, sum(n) FROM {table} WHERE grain = 'm' "
                f"AND kind = '{fine}' GROUP BY {groups} HAVING sum(n) != 0"
            )
            total += _differences(db, _month_rows(table, keys, kind), sums, [])
    return total


def _month_rows(table: str, keys: str, kind: str) -> str:
    """The non-zero monthly rows of one kind: (keys..., period, n)."""
    return f"SELECT {keys}, period, n FROM {table} WHERE grain = 'm' AND kind = '{kind}' AND n != 0"


def counted_days(db: Reader) -> list[str]:
    """The days (ISO dates) that have findings or kept daily counts."""
    rows = db.execute(
        "SELECT DISTINCT period FROM theme_counts WHERE grain = 'd' AND kind = 'f' "
        "UNION SELECT DISTINCT event_date FROM findings"
    ).fetchall()
    return sorted(day for (day,) in rows)


def rebuild_counts(db: Any) -> None:
    """Recount every table from the findings (repairs counts ``leap check`` found out of step)."""
    db.execute("DELETE FROM theme_counts")
    db.execute("DELETE FROM theme_pair_counts")
    add_counts(db)


def _month_end(day: date) -> date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def period_spans(start: date, end: date) -> list[tuple[str, str, str]]:
    """The (grain, first, last) spans that cover ``start``..``end`` exactly, fewest rows first.

    Whole months are read from the monthly counts; the days before the first whole month and
    after the last one from the daily counts.
    """
    if start > end:
        return []
    first_month = start if start.day == 1 else _month_end(start) + timedelta(days=1)
    last_month_end = end if end == _month_end(end) else end.replace(day=1) - timedelta(days=1)
    if first_month > last_month_end:
        return [("d", start.isoformat(), end.isoformat())]
    spans = [("m", first_month.isoformat()[:7], last_month_end.isoformat()[:7])]
    if start < first_month:
        spans.append(("d", start.isoformat(), (first_month - timedelta(days=1)).isoformat()))
    if last_month_end < end:
        spans.append(("d", (last_month_end + timedelta(days=1)).isoformat(), end.isoformat()))
    return spans


def _scoped(
    table: str,
    kind: str,
    columns: str,
    start: date,
    end: date,
    region: str | None,
    pdu: str | None,
) -> tuple[str, list[Any]]:
    """A UNION ALL over the spans of a period, each narrowed to the scope and to one kind of row:
    ``kind`` for whole months, the kind kept by day for the days at the edges (the caller sums
    the rows by the ``columns`` it asks for, which that kind also holds)."""
    parts = []
    params: list[Any] = []
    for grain, first, last in period_spans(start, end):
        clause = (
            f"SELECT {columns} FROM {table} WHERE grain = ? AND kind = ? AND period BETWEEN ? AND ?"
        )
        params += [grain, kind if grain == "m" else DAY_KINDS[table], first, last]
        if region is not None:
            clause += " AND region = ?"
            params.append(region)
        if pdu is not None:
            clause += " AND pdu = ?"
            params.append(pdu)
        parts.append(clause)
    if not parts:
        parts.append(f"SELECT {columns} FROM {table} WHERE 0")
    return " UNION ALL ".join(parts), params


def theme_breakdown(
    db: Reader, start: date, end: date, *, region: str | None = None, pdu: str | None = None
) -> tuple[dict[str, int], dict[str, set[str]], dict[str, set[str]]]:
    """Over a period: each theme's count ('' for the findings), its source types and PDUs."""
    counts: dict[str, int] = {}
    sources: dict[str, set[str]] = {}
    pdus: dict[str, set[str]] = {}
    # By source type (within the PDU when scoped to one): counts and source types.
    inner, params = _scoped(
        "theme_counts", "f" if pdu else "s", "theme_slug, source_type, n", start, end, region, pdu
    )
    for slug, source_type, n in db.execute(
        f"SELECT theme_slug, source_type, sum(n) FROM ({inner}) "
        "GROUP BY theme_slug, source_type HAVING sum(n) > 0",
        params,
    ):
        counts[slug] = counts.get(slug, 0) + int(n)
        sources.setdefault(slug, set()).add(source_type)
    if pdu is not None:
        return counts, sources, {slug: {pdu} for slug in counts}
    inner, params = _scoped("theme_counts", "p", "theme_slug, pdu, n", start, end, region, None)
    for slug, code, _ in db.execute(
        f"SELECT theme_slug, pdu, sum(n) FROM ({inner}) GROUP BY theme_slug, pdu HAVING sum(n) > 0",
        params,
    ):
        pdus.setdefault(slug, set()).add(code)
    return counts, sources, pdus


def theme_totals(
    db: Reader, start: date, end: date, *, region: str | None = None, pdu: str | None = None
) -> dict[str, int]:
    """Each theme's count over a period (``''``: the weakness findings), counts > 0 only."""
    inner, params = _scoped(
        "theme_counts", "p" if pdu else "t", "theme_slug, n", start, end, region, pdu
    )
    rows = db.execute(
        f"SELECT theme_slug, sum(n) FROM ({inner}) GROUP BY theme_slug HAVING sum(n) > 0",
        params,
    ).fetchall()
    return {slug: int(n) for slug, n in rows}


def pair_totals(
    db: Reader, start: date, end: date, *, region: str | None = None, pdu: str | None = None
) -> list[tuple[str, str, int]]:
    """How often each two themes were found together over a period (counts > 0 only)."""
    inner, params = _scoped(
        "theme_pair_counts",
        "p" if pdu else "t",
        "first_slug, second_slug, n",
        start,
        end,
        region,
        pdu,
    )
    rows = db.execute(
        f"SELECT first_slug, second_slug, sum(n) FROM ({inner}) "
        "GROUP BY first_slug, second_slug HAVING sum(n) > 0",
        params,
    ).fetchall()
    return [(a, b, int(n)) for a, b, n in rows]
