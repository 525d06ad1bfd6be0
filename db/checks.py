"""Health checks of a leap database: SQLite's own, and leap's (orphaned links, search index)."""

from __future__ import annotations

import os
import random
import sqlite3
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import sqlite_utils


@dataclass
class CheckReport:
    """What the checks found, in plain words."""

    passed: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when nothing is wrong."""
        return not self.problems


def _count(db: sqlite_utils.Database, sql: str) -> int:
    return int(db.execute(sql).fetchone()[0])


_ORPHAN_CHECKS: tuple[tuple[str, str], ...] = (
    (
        "theme links pointing at a finding that does not exist",
        "SELECT count(*) FROM finding_themes t LEFT JOIN findings f ON f.seq = t.finding_seq "
        "WHERE f.seq IS NULL",
    ),
    (
        "theme links pointing at a theme that does not exist",
        "SELECT count(*) FROM finding_themes t LEFT JOIN themes h ON h.slug = t.theme_slug "
        "WHERE h.slug IS NULL",
    ),
    (
        "rejected themes pointing at a missing finding or theme",
        "SELECT count(*) FROM theme_rejections r LEFT JOIN findings f ON f.seq = r.finding_seq "
        "LEFT JOIN themes h ON h.slug = r.theme_slug WHERE f.seq IS NULL OR h.slug IS NULL",
    ),
    (
        "action theme links pointing at a missing action or theme",
        "SELECT count(*) FROM action_themes t LEFT JOIN actions a ON a.id = t.action_id "
        "LEFT JOIN themes h ON h.slug = t.theme_slug WHERE a.id IS NULL OR h.slug IS NULL",
    ),
    (
        "open learning actions raised from a finding that was deleted or does not exist",
        "SELECT count(*) FROM actions a WHERE a.deleted_at IS NULL AND a.source_kind = 'finding' "
        "AND a.status NOT IN ('done', 'cancelled') AND NOT EXISTS (SELECT 1 FROM findings f "
        "WHERE f.id = a.source_ref AND f.deleted_at IS NULL)",
    ),
    (
        "case assessment links to a missing finding",
        "SELECT count(*) FROM case_assessment_findings c LEFT JOIN findings f "
        "ON f.seq = c.finding_seq WHERE f.seq IS NULL",
    ),
    (
        "findings naming a PDU that is not in the PDU list",
        "SELECT count(*) FROM findings f LEFT JOIN pdus p ON p.code = f.pdu WHERE p.code IS NULL",
    ),
    (
        "moderation codings or agreed codings naming a theme that does not exist",
        "SELECT count(*) FROM (SELECT themes FROM moderation_codings UNION ALL "
        "SELECT themes FROM moderation_decisions UNION ALL SELECT first_themes "
        "FROM moderation_sample) AS m, json_each(m.themes) AS j "
        "WHERE NOT EXISTS (SELECT 1 FROM themes h WHERE h.slug = j.value)",
    ),
    (
        "moderation rounds sampling a finding that does not exist",
        "SELECT count(*) FROM moderation_sample s WHERE NOT EXISTS "
        "(SELECT 1 FROM findings f WHERE f.id = s.finding_id)",
    ),
    (
        "moderation codings or polarities that are not weakness or strength",
        "SELECT (SELECT count(*) FROM moderation_codings WHERE polarity NOT IN "
        "('weakness', 'strength')) + (SELECT count(*) FROM moderation_decisions WHERE "
        "polarity NOT IN ('weakness', 'strength'))",
    ),
    (
        "themes merged into a theme that does not exist",
        "SELECT count(*) FROM themes t WHERE t.merged_into IS NOT NULL AND NOT EXISTS "
        "(SELECT 1 FROM themes m WHERE m.slug = t.merged_into)",
    ),
)


def run_checks(
    db: sqlite_utils.Database,
    path: Path | None = None,
    *,
    full: bool = False,
    rng: random.Random | None = None,
) -> CheckReport:
    """SQLite's integrity and foreign-key checks, then leap's own; nothing is changed.

    By default SQLite's quick check, and the kept theme counts month by month plus a full
    recount of a few days drawn by ``rng``; ``full`` runs the full integrity check and recounts
    every day and month.
    """
    report = CheckReport()
    # quick_check reads every page and row but does not compare each index with its table:
    # 2 s of CPU on a 1M-finding file where integrity_check takes 27 s.
    pragma, name = (
        ("integrity_check", "integrity check") if full else ("quick_check", "quick check")
    )
    rows = [r[0] for r in db.execute(f"PRAGMA {pragma}").fetchall()]
    if rows == ["ok"]:
        extra = "" if full else " (`leap check --full` also compares every index with its table)"
        report.passed.append(f"SQLite {name}: the file is sound{extra}.")
    else:
        report.problems.append(
            f"SQLite {name} failed: "
            + "; ".join(rows[:5])
            + ". Restore the latest backup (leap backup makes one)."
        )
    broken = db.execute("PRAGMA foreign_key_check").fetchall()
    if broken:
        tables = sorted({r[0] for r in broken})
        report.problems.append(
            f"{len(broken)} row(s) point at rows that do not exist (in {', '.join(tables)})."
        )
    else:
        report.passed.append("Every link between tables points at a row that exists.")
    orphans = False
    for description, sql in _ORPHAN_CHECKS:
        try:
            n = _count(db, sql)
        except sqlite3.OperationalError as exc:
            report.problems.append(f"Could not check {description}: {exc}.")
            orphans = True
            continue
        if n:
            report.problems.append(f"{n} {description}.")
            orphans = True
    if not orphans:
        report.passed.append("No orphaned theme, action or assessment links.")
    _check_search_index(db, report, full)
    _check_theme_counts(db, report, full, rng or random.Random())
    _check_weakness_levels(db, report)
    if path is not None:
        _check_permissions(path, report)
    return report


def _check_search_index(db: sqlite_utils.Database, report: CheckReport, full: bool) -> None:
    """The index's own structure and its size; with ``full`` also its words against every
    finding's text (3 s more of CPU on 1M findings)."""
    try:
        db.execute(
            "INSERT INTO findings_fts(findings_fts, rank) VALUES ('integrity-check', ?)",
            [1 if full else 0],
        )
        findings = _count(db, "SELECT count(*) FROM findings")
        indexed = _count(db, "SELECT count(*) FROM findings_fts_docsize")
    except sqlite3.DatabaseError as exc:
        report.problems.append(
            f"The search index is out of step with the findings ({exc}); "
            "searching may miss findings."
        )
        return
    if findings != indexed:
        report.problems.append(
            f"The search index holds {indexed} findings but there are {findings}; "
            "searching may miss findings."
        )
    else:
        report.passed.append(
            f"The search index is sound and holds all {findings:,} findings"
            + (", their words in step with their text." if full else ".")
        )


SAMPLED_DAYS = 10
"""Days whose kept theme counts a default ``leap check`` recounts in full."""


def _check_theme_counts(
    db: sqlite_utils.Database, report: CheckReport, full: bool, rng: random.Random
) -> None:
    from db.theme_counts import (
        count_mismatches,
        counted_days,
        day_month_mismatches,
        monthly_total_mismatches,
    )

    try:
        if full:
            wrong = count_mismatches(db)
            checked = "a recount of every day and month"
        else:
            days = counted_days(db)
            sample = sorted(rng.sample(days, min(SAMPLED_DAYS, len(days))))
            wrong = monthly_total_mismatches(db) + day_month_mismatches(db)
            wrong += count_mismatches(db, sample)
            checked = (
                "each month's total of weakness findings, each month against the sum of its "
                f"days, and a full recount of {len(sample)} random day(s) "
                f"({', '.join(sample) or 'none'}); `leap check --full` recounts every day"
            )
    except sqlite3.DatabaseError as exc:
        report.problems.append(f"Could not recount the theme counts ({exc}).")
        return
    if wrong:
        report.problems.append(
            f"{wrong:,} kept theme count(s) differ from a recount of the findings ({checked}), so "
            "recurrence figures may be wrong; run `leap check --recount` to rebuild them."
        )
    else:
        report.passed.append(f"The kept theme counts agree with {checked}.")


def _check_weakness_levels(db: sqlite_utils.Database, report: CheckReport) -> None:
    from db.levels_store import level_mismatches

    try:
        wrong = level_mismatches(db)
    except sqlite3.DatabaseError as exc:
        report.problems.append(f"Could not check the theme x level table ({exc}).")
        return
    if wrong:
        report.problems.append(
            f"{wrong:,} row(s) of the theme x level table differ from the findings' themes and "
            "levels, so 'where the failures sit' may be wrong."
        )
    else:
        report.passed.append("The theme x level table agrees with the findings.")


def _check_permissions(path: Path, report: CheckReport) -> None:
    try:
        mode = stat.S_IMODE(os.stat(path).st_mode)
    except OSError:
        return
    if mode & 0o077:
        report.problems.append(
            f"{path.name} can be read by other users (mode {mode:o}); run chmod 600 on it."
        )
    else:
        report.passed.append(f"{path.name} is readable by its owner only.")
