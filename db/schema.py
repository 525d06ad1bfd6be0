"""leap's schema as sqlite-utils migrations: every version is created or upgraded in order."""

from __future__ import annotations

import json
import sqlite3
import uuid

import sqlite_utils
from sqlite_utils.migrations import Migrations

from db.base import APP_ID

MIGRATIONS = Migrations("leap")


def known_migration_names() -> set[str]:
    """Names of every migration this version of leap knows."""
    return {m.name for m in MIGRATIONS._migrations}


def _run(db: sqlite_utils.Database, script: str) -> None:
    # executescript() would commit the migration's transaction half-way; run one by one.
    statement = ""
    for line in (script.rstrip() + ";").splitlines(keepends=True):
        statement += line
        if sqlite3.complete_statement(statement):
            if statement.strip(" ;\n"):
                db.execute(statement)
            statement = ""


@MIGRATIONS(name="m001_initial")
def m001_initial(db: sqlite_utils.Database) -> None:
    """Findings, themes, PDUs, case assessments, panels, actions, history, saved views."""
    _run(
        db,
        """
        CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
        CREATE TABLE pdus (
            code TEXT PRIMARY KEY,
            name TEXT NOT NULL,
            active INTEGER NOT NULL DEFAULT 1,
            sort INTEGER NOT NULL DEFAULT 0
        );
        CREATE TABLE themes (
            slug TEXT PRIMARY KEY,
            name TEXT NOT NULL,
            description TEXT NOT NULL DEFAULT '',
            stage TEXT NOT NULL,
            builtin INTEGER NOT NULL DEFAULT 0,
            active INTEGER NOT NULL DEFAULT 1,
            cues TEXT NOT NULL DEFAULT '[]',
            merged_into TEXT REFERENCES themes(slug),
            sort INTEGER NOT NULL DEFAULT 1000
        );
        CREATE TABLE findings (
            seq INTEGER PRIMARY KEY,
            id TEXT NOT NULL UNIQUE,
            source_type TEXT NOT NULL,
            source_ref TEXT NOT NULL,
            pdu TEXT NOT NULL REFERENCES pdus(code),
            event_date TEXT NOT NULL,
            recorded_date TEXT NOT NULL,
            stage TEXT NOT NULL,
            polarity TEXT NOT NULL,
            summary TEXT NOT NULL,
            narrative TEXT NOT NULL DEFAULT '',
            rosh TEXT NOT NULL DEFAULT 'unknown',
            crn TEXT,
            details TEXT NOT NULL DEFAULT '{}',
            recorded_by TEXT NOT NULL DEFAULT '',
            version INTEGER NOT NULL DEFAULT 1,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            deleted_at TEXT
        );
        CREATE INDEX idx_findings_event_date ON findings(event_date);
        CREATE INDEX idx_findings_pdu_date ON findings(pdu, event_date);
        CREATE INDEX idx_findings_source_date ON findings(source_type, event_date);
        CREATE INDEX idx_findings_deleted ON findings(deleted_at) WHERE deleted_at IS NOT NULL;
        CREATE TABLE finding_themes (
            finding_seq INTEGER NOT NULL REFERENCES findings(seq) ON DELETE CASCADE,
            theme_slug TEXT NOT NULL REFERENCES themes(slug) ON UPDATE CASCADE,
            origin TEXT NOT NULL,
            PRIMARY KEY (finding_seq, theme_slug)
        ) WITHOUT ROWID;
        CREATE INDEX idx_finding_themes_theme ON finding_themes(theme_slug, finding_seq);
        CREATE VIRTUAL TABLE findings_fts USING fts5(
            summary, narrative, content='findings', content_rowid='seq', tokenize='porter unicode61'
        );
        CREATE TRIGGER findings_ai AFTER INSERT ON findings BEGIN
            INSERT INTO findings_fts(rowid, summary, narrative)
            VALUES (new.seq, new.summary, new.narrative);
        END;
        CREATE TRIGGER findings_ad AFTER DELETE ON findings BEGIN
            INSERT INTO findings_fts(findings_fts, rowid, summary, narrative)
            VALUES ('delete', old.seq, old.summary, old.narrative);
        END;
        CREATE TRIGGER findings_au AFTER UPDATE OF summary, narrative ON findings BEGIN
            INSERT INTO findings_fts(findings_fts, rowid, summary, narrative)
            VALUES ('delete', old.seq, old.summary, old.narrative);
            INSERT INTO findings_fts(rowid, summary, narrative)
            VALUES (new.seq, new.summary, new.narrative);
        END;
        CREATE TABLE case_assessments (
            id TEXT PRIMARY KEY,
            audit_ref TEXT NOT NULL,
            pdu TEXT NOT NULL REFERENCES pdus(code),
            assessed_on TEXT NOT NULL,
            rosh TEXT NOT NULL DEFAULT 'unknown',
            crn TEXT,
            q_assessment TEXT NOT NULL,
            q_planning TEXT NOT NULL,
            q_implementation_delivery TEXT NOT NULL,
            q_reviewing TEXT NOT NULL,
            recorded_by TEXT NOT NULL DEFAULT '',
            created_at TEXT NOT NULL,
            deleted_at TEXT
        );
        CREATE INDEX idx_case_assessments_date ON case_assessments(assessed_on);
        CREATE TABLE case_assessment_findings (
            assessment_id TEXT NOT NULL REFERENCES case_assessments(id) ON DELETE CASCADE,
            finding_seq INTEGER NOT NULL REFERENCES findings(seq) ON DELETE CASCADE,
            PRIMARY KEY (assessment_id, finding_seq)
        ) WITHOUT ROWID;
        CREATE TABLE panels (
            id TEXT PRIMARY KEY,
            held_on TEXT NOT NULL,
            chair TEXT NOT NULL DEFAULT '',
            period_start TEXT NOT NULL,
            period_end TEXT NOT NULL,
            status TEXT NOT NULL DEFAULT 'planned',
            attendees TEXT NOT NULL DEFAULT '[]',
            minutes TEXT NOT NULL DEFAULT '',
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        );
        CREATE INDEX idx_panels_held_on ON panels(held_on);
        CREATE TABLE panel_items (
            panel_id TEXT NOT NULL REFERENCES panels(id) ON DELETE CASCADE,
            kind TEXT NOT NULL,
            ref TEXT NOT NULL,
            note TEXT NOT NULL DEFAULT '',
            PRIMARY KEY (panel_id, kind, ref)
        ) WITHOUT ROWID;
        CREATE TABLE panel_decisions (
            id TEXT PRIMARY KEY,
            panel_id TEXT NOT NULL REFERENCES panels(id) ON DELETE CASCADE,
            text TEXT NOT NULL,
            created_at TEXT NOT NULL
        );
        CREATE TABLE actions (
            id TEXT PRIMARY KEY,
            title TEXT NOT NULL,
            description TEXT NOT NULL DEFAULT '',
            owner TEXT NOT NULL,
            scope TEXT NOT NULL DEFAULT 'region',
            source_kind TEXT,
            source_ref TEXT,
            panel_id TEXT REFERENCES panels(id),
            decision_id TEXT REFERENCES panel_decisions(id),
            created_on TEXT NOT NULL,
            due_date TEXT NOT NULL,
            status TEXT NOT NULL DEFAULT 'open',
            completed_on TEXT,
            evidence TEXT,
            version INTEGER NOT NULL DEFAULT 1,
            updated_at TEXT NOT NULL,
            deleted_at TEXT
        );
        CREATE INDEX idx_actions_due ON actions(due_date);
        CREATE TABLE action_themes (
            action_id TEXT NOT NULL REFERENCES actions(id) ON DELETE CASCADE,
            theme_slug TEXT NOT NULL REFERENCES themes(slug) ON UPDATE CASCADE,
            PRIMARY KEY (action_id, theme_slug)
        ) WITHOUT ROWID;
        CREATE TABLE action_updates (
            id INTEGER PRIMARY KEY,
            action_id TEXT NOT NULL REFERENCES actions(id) ON DELETE CASCADE,
            at TEXT NOT NULL,
            actor TEXT NOT NULL DEFAULT '',
            kind TEXT NOT NULL,
            text TEXT NOT NULL DEFAULT '',
            old_value TEXT,
            new_value TEXT
        );
        CREATE TABLE history (
            id INTEGER PRIMARY KEY,
            at TEXT NOT NULL,
            actor TEXT NOT NULL,
            entity TEXT NOT NULL,
            entity_id TEXT NOT NULL,
            action TEXT NOT NULL,
            before TEXT,
            after TEXT
        );
        CREATE INDEX idx_history_entity ON history(entity, entity_id);
        CREATE TRIGGER history_no_update BEFORE UPDATE ON history BEGIN
            SELECT RAISE(ABORT, 'history is append-only');
        END;
        CREATE TRIGGER history_no_delete BEFORE DELETE ON history BEGIN
            SELECT RAISE(ABORT, 'history is append-only');
        END;
        CREATE TABLE saved_views (
            name TEXT PRIMARY KEY,
            filters TEXT NOT NULL,
            created_at TEXT NOT NULL
        )
        """,
    )
    db.table("meta").insert_all(
        [
            {"key": "app_id", "value": APP_ID},
            {"key": "recurrence_rules", "value": json.dumps({})},
        ]
    )
    _seed_reference_data(db)


def _seed_reference_data(db: sqlite_utils.Database) -> None:
    from findings.models import SOUTH_CENTRAL
    from findings.themes import builtin_themes

    db.table("meta").insert({"key": "region", "value": SOUTH_CENTRAL.name})
    db.table("pdus").insert_all(
        {"code": p.code, "name": p.name, "active": 1, "sort": i}
        for i, p in enumerate(SOUTH_CENTRAL.pdus)
    )
    db.table("themes").insert_all(
        {
            "slug": t.slug,
            "name": t.name,
            "description": t.description,
            "stage": t.stage.value,
            "builtin": 1,
            "active": 1,
            "cues": "[]",
            "sort": i,
        }
        for i, t in enumerate(builtin_themes())
    )


@MIGRATIONS(name="m004_actions")
def m004_actions(db: sqlite_utils.Database) -> None:
    """Index for counting live weakness findings by date (learning actions' impact windows)."""
    _run(
        db,
        """
        CREATE INDEX idx_findings_live_weakness_date ON findings(event_date, pdu)
            WHERE deleted_at IS NULL AND polarity = 'weakness'
        """,
    )


@MIGRATIONS(name="m006_recurrence")
def m006_recurrence(db: sqlite_utils.Database) -> None:
    """Covering indexes over live weakness findings, so theme counts read the period only."""
    # Recurrence counts weakness findings that are not deleted, by event date (region) or by
    # PDU and date; these partial indexes hold exactly those rows and every column the counts
    # read, so a period's report never touches the wide findings rows. The first one starts
    # with m004's (event_date, pdu) over the same rows, so it serves those queries too and
    # m004's narrower copy is dropped rather than kept up to date on every write.
    _run(
        db,
        """
        DROP INDEX IF EXISTS idx_findings_live_weakness_date;
        CREATE INDEX idx_findings_weakness_date ON findings(event_date, pdu, source_type, id)
            WHERE polarity = 'weakness' AND deleted_at IS NULL;
        CREATE INDEX idx_findings_weakness_pdu_date
            ON findings(pdu, event_date, source_type, id)
            WHERE polarity = 'weakness' AND deleted_at IS NULL
        """,
    )


@MIGRATIONS(name="m005_recording")
def m005_recording(db: sqlite_utils.Database) -> None:
    """Covering indexes so the findings screen's filters count and page fast at 1M findings.

    Each carries every filter column, so a filtered count never reads the (large) table rows;
    they replace the two narrower m001 indexes with the same leading columns.
    """
    _run(
        db,
        """
        DROP INDEX IF EXISTS idx_findings_pdu_date;
        DROP INDEX IF EXISTS idx_findings_source_date;
        CREATE INDEX idx_findings_pdu_cover ON findings(
            pdu, event_date, source_type, stage, polarity, rosh, deleted_at
        );
        CREATE INDEX idx_findings_source_cover ON findings(
            source_type, event_date, pdu, stage, polarity, rosh, deleted_at
        );
        CREATE INDEX idx_findings_date_cover ON findings(
            event_date, pdu, source_type, stage, polarity, rosh, deleted_at
        );
        ANALYZE
        """,
    )


@MIGRATIONS(name="m011_moderation")
def m011_moderation(db: sqlite_utils.Database) -> None:
    """Moderation rounds: the sample drawn, the second coder's codings, the agreed codings."""
    # New, empty tables only: cheap on any size of file.
    _run(
        db,
        """
        CREATE TABLE moderation_rounds (
            id INTEGER PRIMARY KEY,
            period_start TEXT NOT NULL,
            period_end TEXT NOT NULL,
            panel_id TEXT REFERENCES panels(id) ON DELETE SET NULL,
            coder TEXT NOT NULL,
            seed INTEGER NOT NULL,
            size_requested INTEGER NOT NULL,
            note TEXT NOT NULL DEFAULT '',
            created_by TEXT NOT NULL DEFAULT '',
            created_at TEXT NOT NULL
        );
        CREATE TABLE moderation_sample (
            round_id INTEGER NOT NULL REFERENCES moderation_rounds(id) ON DELETE CASCADE,
            position INTEGER NOT NULL,
            finding_id TEXT NOT NULL,
            source_type TEXT NOT NULL,
            first_coder TEXT NOT NULL DEFAULT '',
            first_themes TEXT NOT NULL DEFAULT '[]',
            first_polarity TEXT NOT NULL,
            tagger_themes TEXT NOT NULL DEFAULT '[]',
            tagger_polarity TEXT NOT NULL DEFAULT '',
            PRIMARY KEY (round_id, position)
        ) WITHOUT ROWID;
        CREATE INDEX idx_moderation_sample_finding ON moderation_sample(finding_id);
        CREATE TABLE moderation_codings (
            round_id INTEGER NOT NULL,
            position INTEGER NOT NULL,
            themes TEXT NOT NULL DEFAULT '[]',
            polarity TEXT NOT NULL,
            coded_by TEXT NOT NULL,
            coded_at TEXT NOT NULL,
            PRIMARY KEY (round_id, position),
            FOREIGN KEY (round_id, position)
                REFERENCES moderation_sample(round_id, position) ON DELETE CASCADE
        ) WITHOUT ROWID;
        CREATE TABLE moderation_decisions (
            round_id INTEGER NOT NULL,
            position INTEGER NOT NULL,
            themes TEXT NOT NULL DEFAULT '[]',
            polarity TEXT NOT NULL,
            note TEXT NOT NULL DEFAULT '',
            decided_by TEXT NOT NULL,
            decided_at TEXT NOT NULL,
            PRIMARY KEY (round_id, position),
            FOREIGN KEY (round_id, position)
                REFERENCES moderation_sample(round_id, position) ON DELETE CASCADE
        ) WITHOUT ROWID
        """,
    )


FTS_DECLARATION = (
    "CREATE VIRTUAL TABLE findings_fts USING fts5(\n"
    "    summary, narrative, content=\"findings\", content_rowid='seq', "
    "tokenize='porter unicode61'\n)"
)
"""The search index as sqlite-utils' ``enable_fts`` declares one (``content="findings"``).

sqlite-utils (``detect_fts``) and Datasette find a table's index by that double-quoted form.
"""


@MIGRATIONS(name="m007_fts_detectable")
def m007_fts_detectable(db: sqlite_utils.Database) -> None:
    """Declare the search index so sqlite-utils and Datasette find it; the index is kept."""
    # m001 wrote content='findings'. FTS5 reads 'findings' and "findings" alike, and keeps the
    # index itself in its shadow tables, so only the stored declaration has to change: SQLite's
    # documented in-place schema edit (lang_altertable.html, section 7) does it in milliseconds
    # where rebuilding the index takes about half a minute at 1,000,000 findings. A SQLite that
    # refuses schema edits (built "defensive") gets the rebuild instead.
    old = db.execute(
        "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'findings_fts'"
    ).fetchone()[0]
    if old == FTS_DECLARATION:
        return
    try:
        _redeclare_fts(db)
    except sqlite3.DatabaseError:
        _rebuild_fts(db)


def _redeclare_fts(db: sqlite_utils.Database) -> None:
    version = db.execute("PRAGMA schema_version").fetchone()[0]
    db.execute("PRAGMA writable_schema = ON")
    try:
        db.execute(
            "UPDATE sqlite_master SET sql = ? WHERE type = 'table' AND name = 'findings_fts'",
            [FTS_DECLARATION],
        )
        db.execute(f"PRAGMA schema_version = {int(version) + 1}")
    finally:
        db.execute("PRAGMA writable_schema = OFF")


def _rebuild_fts(db: sqlite_utils.Database) -> None:
    db.execute("DROP TABLE findings_fts")
    db.execute(FTS_DECLARATION)
    db.execute("INSERT INTO findings_fts(findings_fts) VALUES ('rebuild')")


@MIGRATIONS(name="m008_regions")
def m008_regions(db: sqlite_utils.Database) -> None:
    """Region on every finding, action, panel, assessment and PDU; known regions; merge state.

    Each file has its own region (its name in meta); its records take that region's code as a
    column default, which SQLite adds without rewriting the rows, so a 1M file upgrades at once.
    Records merged in from other regions' files carry their own code.
    """
    from findings.models import region_code

    row = db.execute("SELECT value FROM meta WHERE key = 'region'").fetchone()
    name = str(row[0]) if row and row[0] else "Unnamed region"
    code = region_code(name)
    _run(
        db,
        f"""
        CREATE TABLE regions (code TEXT PRIMARY KEY, name TEXT NOT NULL);
        ALTER TABLE findings ADD COLUMN region TEXT NOT NULL DEFAULT '{code}';
        ALTER TABLE actions ADD COLUMN region TEXT NOT NULL DEFAULT '{code}';
        ALTER TABLE panels ADD COLUMN region TEXT NOT NULL DEFAULT '{code}';
        ALTER TABLE case_assessments ADD COLUMN region TEXT NOT NULL DEFAULT '{code}';
        ALTER TABLE pdus ADD COLUMN region TEXT NOT NULL DEFAULT '{code}';
        CREATE TABLE merge_seen (
            source_file TEXT NOT NULL,
            entity TEXT NOT NULL,
            entity_id TEXT NOT NULL,
            source_version TEXT NOT NULL,
            target_version TEXT NOT NULL,
            PRIMARY KEY (source_file, entity, entity_id)
        ) WITHOUT ROWID
        """,
    )
    # merge_seen: for each record merged in from another file (by that file's file_id), the
    # versions both sides had after the last merge, so the next one knows who changed since.
    db.execute("INSERT INTO regions (code, name) VALUES (?, ?)", [code, name])
    db.table("meta").insert_all(
        [{"key": "region_code", "value": code}, {"key": "file_id", "value": str(uuid.uuid4())}]
    )


@MIGRATIONS(name="m009_theme_counts")
def m009_theme_counts(db: sqlite_utils.Database) -> None:
    """Per-day and per-month theme counts (and theme pairs) kept in step by triggers.

    The recurrence report reads them instead of the findings of a period, so its cost no
    longer grows with the period (see db/theme_counts.py). Built here in grouped passes.
    """
    from db.theme_counts import TABLES_SQL, TRIGGERS_SQL, add_counts

    _run(db, TABLES_SQL)
    add_counts(db)
    _run(db, TRIGGERS_SQL)


@MIGRATIONS(name="m010_levels")
def m010_levels(db: sqlite_utils.Database) -> None:
    """Contributory levels: the four levels (names editable), each finding's levels, and a
    narrow table the theme x level view counts from.

    Findings recorded before levels existed get the levels their themes lean to, marked
    ``suggested`` (unconfirmed, never silently confirmed). Everything is derived in a few
    INSERT ... SELECT statements over a theme -> level table, so a 1,000,000-finding file
    upgrades in seconds rather than running the suggestion rules in Python per finding.

    The four levels are fixed, so ``finding_levels.level`` is checked rather than a foreign key
    to ``levels`` (which holds the per-file names): ``leap merge`` carries a finding's levels
    as it carries any table hanging off findings alone.

    ``weakness_levels`` holds one row per live weakness finding that has themes or levels: its
    date, PDU, levels as a bit mask (bit i: the i-th level; bit 4: one is unconfirmed) and its
    themes. Triggers keep it in step with every write to findings, their themes and levels, so
    a period's theme x level counts read one narrow index instead of two look-ups per finding:
    in (themes, mask) order, so the counts come out grouped without sorting the period's rows
    (sorting cost more than reading the whole index: 67 against 48 ms CPU for two months at
    1,000,000 findings, 438 against 102 ms for twelve).
    """
    from findings.levels import LEVEL_DESCRIPTIONS, LEVEL_NAMES, THEME_LEVELS
    from findings.models import LEVEL_ORDER

    _run(
        db,
        """
        CREATE TABLE levels (
            slug TEXT PRIMARY KEY,
            name TEXT NOT NULL,
            description TEXT NOT NULL DEFAULT '',
            sort INTEGER NOT NULL
        );
        CREATE TABLE finding_levels (
            finding_seq INTEGER NOT NULL REFERENCES findings(seq) ON DELETE CASCADE,
            level TEXT NOT NULL CHECK (
                level IN ('practice', 'supervision', 'organisation', 'partnership')
            ),
            origin TEXT NOT NULL,
            PRIMARY KEY (finding_seq, level)
        ) WITHOUT ROWID;
        CREATE TABLE weakness_levels (
            seq INTEGER PRIMARY KEY,
            event_date TEXT NOT NULL,
            pdu TEXT NOT NULL,
            mask INTEGER NOT NULL,
            themes TEXT NOT NULL
        );
        CREATE TEMP TABLE m010_theme_levels (
            theme_slug TEXT PRIMARY KEY, level TEXT NOT NULL, bit INTEGER NOT NULL
        )
        """,
    )
    db.conn.executemany(
        "INSERT INTO levels (slug, name, description, sort) VALUES (?, ?, ?, ?)",
        [
            (lv.value, name, LEVEL_DESCRIPTIONS[lv], i)
            for i, (lv, name) in enumerate(LEVEL_NAMES.items())
        ],
    )
    db.conn.executemany(
        "INSERT INTO temp.m010_theme_levels (theme_slug, level, bit) VALUES (?, ?, ?)",
        [(slug, lv.value, 1 << LEVEL_ORDER[lv]) for slug, lv in THEME_LEVELS.items()],
    )
    unconfirmed = 1 << len(LEVEL_ORDER)
    bits = " + ".join(f"max(tl.bit & {1 << i})" for i in range(len(LEVEL_ORDER)))
    # finding_themes is ordered by (finding_seq, theme_slug), so both tables fill in key order.
    _run(
        db,
        f"""
        INSERT INTO finding_levels (finding_seq, level, origin)
            SELECT DISTINCT ft.finding_seq, tl.level, 'suggested'
            FROM finding_themes ft JOIN temp.m010_theme_levels tl ON tl.theme_slug = ft.theme_slug
            ORDER BY ft.finding_seq, tl.level;
        INSERT INTO weakness_levels (seq, event_date, pdu, mask, themes)
            SELECT ft.finding_seq, f.event_date, f.pdu,
                coalesce({bits}, 0) + {unconfirmed} * (max(tl.bit) IS NOT NULL),
                group_concat(ft.theme_slug, ' ')
            FROM finding_themes ft JOIN findings f ON f.seq = ft.finding_seq
            LEFT JOIN temp.m010_theme_levels tl ON tl.theme_slug = ft.theme_slug
            WHERE f.polarity = 'weakness' AND f.deleted_at IS NULL
            GROUP BY ft.finding_seq;
        DROP TABLE temp.m010_theme_levels;
        CREATE INDEX idx_finding_levels_level ON finding_levels(level, finding_seq);
        CREATE INDEX idx_weakness_levels_date ON weakness_levels(event_date, pdu, mask, themes);
        CREATE INDEX idx_weakness_levels_themes
            ON weakness_levels(themes, mask, event_date, pdu)
        """,
    )
    mask = (
        "(SELECT coalesce(sum(CASE level "
        + " ".join(f"WHEN '{lv.value}' THEN {1 << i}" for lv, i in LEVEL_ORDER.items())
        + f" END), 0) + {unconfirmed} * coalesce(max(origin = 'suggested'), 0) "
        "FROM finding_levels WHERE finding_seq = {seq})"
    )
    themes = (
        "(SELECT coalesce(group_concat(theme_slug, ' '), '') FROM "
        "(SELECT theme_slug FROM finding_themes WHERE finding_seq = {seq} ORDER BY theme_slug))"
    )

    def refresh(seq: str) -> str:
        return (
            f"DELETE FROM weakness_levels WHERE seq = {seq}; "
            "INSERT INTO weakness_levels (seq, event_date, pdu, mask, themes) "
            f"SELECT seq, event_date, pdu, mask, themes FROM (SELECT f.seq, f.event_date, "
            f"f.pdu, {mask.format(seq=seq)} AS mask, {themes.format(seq=seq)} AS themes "
            f"FROM findings f WHERE f.seq = {seq} AND f.polarity = 'weakness' "
            "AND f.deleted_at IS NULL) WHERE mask OR themes != '';"
        )

    triggers = [
        ("findings_au", "UPDATE OF event_date, pdu, polarity, deleted_at ON findings", "NEW.seq"),
        ("themes_ai", "INSERT ON finding_themes", "NEW.finding_seq"),
        ("themes_au", "UPDATE ON finding_themes", "NEW.finding_seq"),
        ("themes_ad", "DELETE ON finding_themes", "OLD.finding_seq"),
        ("levels_ai", "INSERT ON finding_levels", "NEW.finding_seq"),
        ("levels_au", "UPDATE ON finding_levels", "NEW.finding_seq"),
        ("levels_ad", "DELETE ON finding_levels", "OLD.finding_seq"),
    ]
    for name, event, seq in triggers:
        db.execute(f"CREATE TRIGGER weakness_levels_{name} AFTER {event} BEGIN {refresh(seq)} END")
    db.execute(
        "CREATE TRIGGER weakness_levels_findings_ad AFTER DELETE ON findings BEGIN "
        "DELETE FROM weakness_levels WHERE seq = OLD.seq; END"
    )


@MIGRATIONS(name="m012_lean_day_counts")
def m012_lean_day_counts(db: sqlite_utils.Database) -> None:
    """Daily theme counts by one kind of row: 'f' (PDU and source type) for themes, 'p' (PDU)
    for pairs; the other daily kinds go and the triggers are re-created without them.

    They were most of the kept rows (about half of what a merge or a bulk load writes), and
    they only answer the days at a period's edges, which the report now sums from the 'f'
    (pairs: 'p') rows (db/theme_counts.py ``DAY_KINDS``). Two range deletes over the tables'
    primary keys: no finding is read, so a 1,000,000-finding file upgrades in seconds.
    """
    from db.theme_counts import ALL_TRIGGERS, TRIGGERS_SQL

    for name in ALL_TRIGGERS:
        db.execute(f"DROP TRIGGER IF EXISTS {name}")
    db.execute("DELETE FROM theme_counts WHERE grain = 'd' AND kind IN ('p', 's', 't')")
    db.execute("DELETE FROM theme_pair_counts WHERE grain = 'd' AND kind = 't'")
    _run(db, TRIGGERS_SQL)


@MIGRATIONS(name="m013_theme_rejections")
def m013_theme_rejections(db: sqlite_utils.Database) -> None:
    """The themes a person rejected for a finding, when and by whom, so the tagger's suggestion
    is never attached to it again (and retraining reads it as a negative).

    A new empty table: no finding is read, so a 1,000,000-finding file upgrades at once. It
    hangs off the finding by seq (gone with it) and the theme by slug, so `leap merge` carries
    it as it carries the finding's tags.
    """
    _run(
        db,
        """
        CREATE TABLE theme_rejections (
            finding_seq INTEGER NOT NULL REFERENCES findings(seq) ON DELETE CASCADE,
            theme_slug TEXT NOT NULL REFERENCES themes(slug) ON UPDATE CASCADE,
            rejected_at TEXT NOT NULL,
            rejected_by TEXT NOT NULL DEFAULT '',
            PRIMARY KEY (finding_seq, theme_slug)
        ) WITHOUT ROWID;
        CREATE INDEX idx_theme_rejections_theme ON theme_rejections(theme_slug, finding_seq)
        """,
    )
