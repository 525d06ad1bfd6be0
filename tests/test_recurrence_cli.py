"""``leap themes`` and ``leap tag`` from the shell: output, bad input, no tracebacks."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import pytest
import sqlite_utils

from tests.recurrence_data import seed_period
from tui.cli import main

PERIOD_ARGS = ["--from", "2026-09-01", "--to", "2026-10-31"]


def test_themes_table(
    fresh_db: sqlite_utils.Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    seed_period(fresh_db)
    assert main(["themes", "--db", str(tmp_path / "leap.db"), *PERIOD_ARGS]) == 0
    out = capsys.readouterr().out
    assert "1 Sep 2026 to 31 Oct 2026" in out and "6 weakness findings (previously 2)" in out
    ra_line = next(line for line in out.splitlines() if line.startswith("Risk assessment"))
    assert "50% (3 of 6)" in ra_line
    assert "↑ rising" in ra_line and "yes: 3 findings from 2 source types" in ra_line
    assert "Lack of professional curiosity: 0 → 3" in out
    assert "Poor multi-agency information sharing + Risk assessment" in out
    assert "No panels are recorded yet" in out


def test_themes_counts_the_unseen_themes_in_good_english(fresh_db: sqlite_utils.Database) -> None:
    from dataclasses import replace
    from datetime import date

    from db.recurrence_store import recurrence_report
    from tui.commands.themes import render_report

    seed_period(fresh_db)
    report = recurrence_report(fresh_db, date(2026, 9, 1), date(2026, 10, 31))
    seen = [t for t in report.themes if t.count or t.previous_count]
    unseen = [t for t in report.themes if not (t.count or t.previous_count)]
    one_unseen = replace(report, themes=[*seen, unseen[0]])
    assert "(1 other theme was not seen in either period.)" in render_report(one_unseen, {}, {})
    two_unseen = replace(report, themes=[*seen, *unseen[:2]])
    assert "(2 other themes were not seen" in render_report(two_unseen, {}, {})


def test_themes_small_scope_shows_counts_not_percentages(
    fresh_db: sqlite_utils.Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    seed_period(fresh_db)
    args = ["themes", "--db", str(tmp_path / "leap.db"), *PERIOD_ARGS, "--pdu", "bucks_mk"]
    assert main(args) == 0
    out = capsys.readouterr().out
    assert "Buckinghamshire and Milton Keynes" in out
    assert "1 of 2" in out and "%" not in out
    by_name = [*args[:-1], "BUCKINGHAMSHIRE and Milton Keynes"]  # a PDU's name, as import takes
    assert main(by_name) == 0 and capsys.readouterr().out == out
    assert main([*by_name, "--by-level"]) == 0
    assert (
        "Where the weaknesses sit in Buckinghamshire and Milton Keynes" in capsys.readouterr().out
    )


def test_themes_json(
    fresh_db: sqlite_utils.Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ids = seed_period(fresh_db)
    args = ["themes", "--db", str(tmp_path / "leap.db"), *PERIOD_ARGS, "--format", "json"]
    assert main(args) == 0
    payload = json.loads(capsys.readouterr().out)
    assert payload["period_start"] == "2026-09-01" and payload["weakness_findings"] == 6
    ra = next(t for t in payload["themes"] if t["slug"] == "risk_assessment")
    assert ra["trend"] == "rising" and ra["recurring"] is True
    assert ids["ra_last_day"] in ra["finding_ids"]
    assert payload["recurring"] == ["risk_assessment"]
    assert payload["pairs"] == [
        {"first": "information_sharing", "second": "risk_assessment", "count": 2}
    ]
    assert "A theme recurs when" in payload["rules"]["description"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--pdu", "atlantis"], "unknown PDU 'atlantis'; use a code or name: oxfordshire ("),
        (["--pdu", "atlantis", "--by-level"], "unknown PDU 'atlantis'; use a code or name"),
        (["--from", "2026-10-01", "--to", "2026-09-01"], "--from is after --to"),
        (["--months", "0"], "--months 0: give 1 to 120 months"),
        (["--months", "1000"], "--months 1000: give 1 to 120 months"),
    ],
)
def test_themes_bad_input(
    fresh_db: sqlite_utils.Database,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    args: list[str],
    message: str,
) -> None:
    assert main(["themes", "--db", str(tmp_path / "leap.db"), *args]) == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err


@dataclass(frozen=True)
class FakeSuggestion:
    slug: str
    score: float
    evidence: tuple[str, ...]
    confidence: str = "likely"


@dataclass(frozen=True)
class FakeResult:
    themes: tuple[FakeSuggestion, ...]
    polarity: str

    @property
    def slugs(self) -> list[str]:
        return [t.slug for t in self.themes]


class FakeTagger:
    """Stands in for the real tagger so the command's own behaviour is tested alone."""

    def tag(self, text: str, explain: bool = True) -> FakeResult:
        if "face value" in text:
            return FakeResult(
                (FakeSuggestion("professional_curiosity", 0.9, ("at face value",)),), "weakness"
            )
        return FakeResult((), "neutral")


@pytest.fixture
def fake_tagger(monkeypatch: pytest.MonkeyPatch) -> None:
    import tui.commands.tag as tag_command

    monkeypatch.setattr(tag_command, "load_tagger_and_names", lambda path: (FakeTagger(), {}))


def test_tag_prints_suggestions_and_polarity(
    fake_tagger: None, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["tag", "--db", str(tmp_path / "x.db"), "He was taken at face value."]) == 0
    out = capsys.readouterr().out
    assert 'Professional curiosity  0.90  likely    "at face value"' in out
    assert "Polarity: weakness" in out
    assert main(["tag", "--db", str(tmp_path / "x.db"), "Nothing here."]) == 0
    assert capsys.readouterr().out.splitlines() == ["No themes suggested.", "Polarity: neutral"]


def test_tag_jsonl_reports_malformed_lines_by_number_and_carries_on(
    fake_tagger: None, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "in.jsonl"
    source.write_text(
        '{"id": "a", "text": "accepted at face value"}\n'
        "{not json\n"
        "\n"
        '["a list"]\n'
        '{"text": 42}\n'
        '{"text": "all fine"}\n',
        encoding="utf-8",
    )
    out = tmp_path / "out.jsonl"
    assert (
        main(["tag", "--db", str(tmp_path / "x.db"), "--jsonl", str(source), "--out", str(out)])
        == 1
    )
    err = capsys.readouterr().err
    assert "line 2: not valid JSON" in err
    assert "line 4: not a JSON object" in err
    assert 'line 5: no "text" field' in err
    assert "3 line(s) skipped, 2 used" in err and "Traceback" not in err
    written = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert written == [
        {"line": 1, "id": "a", "themes": ["professional_curiosity"], "polarity": "weakness"},
        {"line": 6, "themes": [], "polarity": "neutral"},
    ]


def test_tag_jsonl_to_stdout_and_missing_file(
    fake_tagger: None, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "in.jsonl"
    source.write_text('{"text": "face value"}\n', encoding="utf-8")
    assert main(["tag", "--db", str(tmp_path / "x.db"), "--jsonl", str(source)]) == 0
    assert json.loads(capsys.readouterr().out)["themes"] == ["professional_curiosity"]
    assert main(["tag", "--db", str(tmp_path / "x.db"), "--jsonl", str(tmp_path / "no")]) == 2
    err = capsys.readouterr().err
    assert err.startswith("leap: ") and "Traceback" not in err


def test_tag_needs_text_or_a_file(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["tag"])
    assert exit_info.value.code == 2
    assert main(["tag", "some text", "--out", "x.jsonl"]) == 2
    assert "--out goes with --jsonl" in capsys.readouterr().err


# With the real tagger (skipped until findings.tagger is on this branch).


def test_real_tagger_from_the_command_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pytest.importorskip("findings.tagger")
    db_path = tmp_path / "never-created.db"
    text = "The practitioner accepted his account at face value."
    assert main(["tag", "--db", str(db_path), text]) == 0
    out = capsys.readouterr().out
    assert "Professional curiosity" in out and "Polarity: weakness" in out
    assert not db_path.exists()


def test_tag_names_a_renamed_theme_as_the_database_does(
    seeded_db: sqlite_utils.Database, capsys: pytest.CaptureFixture[str]
) -> None:
    from db.themes_store import update_theme

    update_theme(seeded_db, "professional_curiosity", name="Curiosity gap")
    path = Path(seeded_db.conn.execute("PRAGMA database_list").fetchone()[2])
    assert main(["tag", "--db", str(path), "He accepted his account at face value."]) == 0
    assert "Curiosity gap" in capsys.readouterr().out


def test_real_tagger_uses_the_databases_own_themes(
    fresh_db: sqlite_utils.Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pytest.importorskip("findings.tagger")
    fresh_db.execute(
        "INSERT INTO themes (slug, name, stage, builtin, active, cues) VALUES "
        "('county_lines', 'County lines exploitation missed', 'assessment', 0, 1, ?)",
        [json.dumps(["county lines"])],
    )
    text = "County lines exploitation was not identified in the assessment."
    assert main(["tag", "--db", str(tmp_path / "leap.db"), text]) == 0
    assert "County lines exploitation missed" in capsys.readouterr().out  # by its name


def test_real_tagger_evaluation(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    pytest.importorskip("findings.tagger")
    labelled = tmp_path / "dev.jsonl"
    labelled.write_text(
        json.dumps(
            {
                "text": "The practitioner accepted his account at face value.",
                "themes": ["professional_curiosity"],
                "polarity": "weakness",
            }
        )
        + "\n",
        encoding="utf-8",
    )
    assert main(["tag", "--db", str(tmp_path / "x.db"), "--evaluate", str(labelled)]) == 0
    out = capsys.readouterr().out.lower()
    assert "f1" in out and "polarity" in out
