"""Shared fixtures: fresh and seeded databases."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlite_utils

from db.connection import open_db
from db.findings_store import save_finding
from tests.factories import SEED_FINDINGS, TODAY


@pytest.fixture
def fresh_db(tmp_path: Path) -> Iterator[sqlite_utils.Database]:
    """An empty, migrated leap database on disk."""
    db = open_db(tmp_path / "leap.db")
    yield db
    db.close()


@pytest.fixture
def seeded_db(fresh_db: sqlite_utils.Database) -> sqlite_utils.Database:
    """A database holding three hand-made findings."""
    for finding in SEED_FINDINGS:
        save_finding(fresh_db, finding, today=TODAY)
    return fresh_db
