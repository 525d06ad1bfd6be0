"""The demo region-year: findings, case assessments, panels and actions written in order."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date, timedelta
from typing import TYPE_CHECKING

from db.actions_demo import write_demo_actions
from db.bulk import bulk_insert_case_assessments, bulk_insert_findings
from db.reference import list_pdus
from findings.demo import DEMO_SEED, generate_case_assessments, generate_findings
from findings.models import region_code
from panels.demo import add_demo_panels

if TYPE_CHECKING:
    from pathlib import Path

    import sqlite_utils

DEMO_FINDINGS = 300


def load_demo(
    db: sqlite_utils.Database,
    *,
    findings: int = DEMO_FINDINGS,
    seed: int = DEMO_SEED,
    today: date | None = None,
    progress: Callable[[int], None] | None = None,
    theme_emphasis: Mapping[str, float] | None = None,
    moderation: bool = True,
) -> int:
    """Write a synthetic year of the region's work ending ``today``; returns findings written.

    ``theme_emphasis`` makes some themes more common (a region's own pattern).
    ``moderation=False`` leaves out the moderation rounds (drawing them runs the tagger, about a
    second from cold): the app writes them once its first screen is up.
    """
    end = today or date.today()
    start = end - timedelta(days=365)
    pdus = [p.code for p in list_pdus(db)]
    written = bulk_insert_findings(
        db,
        generate_findings(
            seed, findings, pdus=pdus, start=start, end=end, theme_emphasis=theme_emphasis
        ),
        progress=progress,
    )
    assessments = max(150, min(findings // 3, 50_000))
    bulk_insert_case_assessments(
        db, generate_case_assessments(seed, assessments, pdus=pdus, start=start, end=end)
    )
    add_demo_panels(db, end)  # before the actions: escalation follows the panel dates
    write_demo_actions(db, end)
    if moderation:
        from db.moderation_demo import write_demo_moderation

        write_demo_moderation(db, end)
    return written


def write_regional_demo(
    folder: Path,
    *,
    regions: int,
    findings: int,
    seed: int = DEMO_SEED,
    today: date | None = None,
) -> list[Path]:
    """Write one demo file per region (the first ``regions`` of the twelve) into ``folder``.

    Each region has its own PDUs, seed and pattern of weaknesses (``REGION_EMPHASIS``), so a
    national view shows differences a reader can spot. Returns the files written.
    """
    from db.connection import open_db
    from findings.regions import REGION_EMPHASIS, REGIONS

    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for index, region in enumerate(REGIONS[:regions]):
        path = folder / f"{region_code(region.name)}.db"
        if path.exists():
            raise FileExistsError(f"{path} already exists; choose an empty folder.")
        db = open_db(path, region=region)
        try:
            load_demo(
                db,
                findings=findings,
                seed=seed + 7919 * (index + 1),
                today=today,
                theme_emphasis=REGION_EMPHASIS.get(region.name),
            )
        finally:
            db.close()
        written.append(path)
    return written
