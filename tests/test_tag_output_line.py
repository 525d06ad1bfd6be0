"""`leap tag --jsonl` writes each line exactly as json.dumps(..., ensure_ascii=False) would."""

from __future__ import annotations

import json
from typing import Any

import pytest

from findings.tagger import TagResult, ThemeSuggestion
from tui.commands.tag import output_line


def _result(polarity: str, *slugs: str) -> TagResult:
    return TagResult(tuple(ThemeSuggestion(s, 0.9, ("words",)) for s in slugs), polarity)


@pytest.mark.parametrize(
    "record",
    [
        {"text": "t"},
        {"id": 7, "text": "t"},
        {"id": -12345678901234567890, "text": "t"},
        {"id": True, "text": "t"},
        {"id": None, "text": "t"},
        {"id": 1.5, "text": "t"},
        {"id": 'a "quoted"\\ id\n\tand ünïcode ✓', "text": "t"},
        {"id": [1, {"b": "c"}], "text": "t"},
    ],
)
@pytest.mark.parametrize(
    "result",
    [
        _result("neutral"),
        _result("weakness", "home_visits"),
        _result("mixed", "workload", "training", "risk_assessment"),
        _result("strength"),
    ],
)
def test_output_line_is_what_json_dumps_writes(record: dict[str, Any], result: TagResult) -> None:
    payload: dict[str, Any] = {"line": 3}
    if "id" in record:
        payload["id"] = record["id"]
    payload.update(themes=result.slugs, polarity=result.polarity)
    assert output_line(3, record, result) == json.dumps(payload, ensure_ascii=False) + "\n"
