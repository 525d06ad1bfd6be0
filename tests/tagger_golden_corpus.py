"""Texts and fingerprints for the golden-output test of the tagger (the shipped model with the
rules); run it to rewrite the golden file.

The golden file maps a short hash of each text to a short hash of the tagger's output for it
(slugs, scores to 6 places, evidence, polarity), plus a few full examples that show a diff in
words. Regenerate it only from a tagger whose output you have checked:
``python -m tests.tagger_golden_corpus``.
"""

from __future__ import annotations

import base64
import hashlib
import json
import random
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

from findings.models import SOUTH_CENTRAL, Theme
from findings.tagger import Tagger, TagResult

GOLDEN = Path(__file__).parent / "data" / "tagger_golden.json"
DEV_SET = Path(__file__).parents[1].parent / "shared/data/tagging_dev.jsonl"
TEXT_HASH_BYTES = 6
OUTPUT_HASH_BYTES = 4
EXAMPLES_PER_GROUP = 4


def output_record(result: TagResult) -> dict[str, Any]:
    """The tagger's output as plain data, scores rounded to 6 places."""
    return {
        "polarity": result.polarity,
        "themes": [
            [t.slug, round(t.score, 6), list(t.evidence), t.confidence] for t in result.themes
        ],
    }


def _digest(value: str, size: int) -> bytes:
    return hashlib.blake2b(value.encode("utf-8", "surrogatepass"), digest_size=size).digest()


def text_key(text: str) -> bytes:
    """A short fingerprint of a text."""
    return _digest(text, TEXT_HASH_BYTES)


def output_key(result: TagResult) -> bytes:
    """A short fingerprint of a tagger output."""
    record = json.dumps(output_record(result), ensure_ascii=False, sort_keys=True)
    return _digest(record, OUTPUT_HASH_BYTES)


# --- the texts --------------------------------------------------------------------------------


def dev_texts() -> list[str]:
    """Every text of the shared development set (empty when it is not on this machine)."""
    if not DEV_SET.exists():
        return []
    with DEV_SET.open(encoding="utf-8") as lines:
        return [json.loads(line)["text"] for line in lines if line.strip()]


def demo_texts() -> list[str]:
    """3,000 demo narratives of the South Central region, one year from 26 November 2025."""
    from findings.demo import generate_findings

    pdus = [p.code for p in SOUTH_CENTRAL.pdus]
    findings = generate_findings(
        2026, 3000, pdus=pdus, start=date(2025, 11, 26), end=date(2026, 11, 26)
    )
    return [f.narrative for f in findings]


def bench_texts() -> list[str]:
    """The narratives the tagger benchmark times (its default count)."""
    from benchmarks.bench_tagger import narratives

    return narratives(5000)


def odd_texts() -> list[str]:
    """Inputs a tagger must survive: empty, huge, binary-looking, non-English, odd Unicode."""
    rng = random.Random(4242)
    weak = "Home visits were not completed and the plan lacked analysis of risk. "
    words = ["no", "not", "plan", "risk", "visit", "home", "late", "however", "but", ",", ";"]
    return [
        "",
        " ",
        "\n\n\t",
        ".",
        "...;;;,,,",
        "NOT",
        "no",
        (weak * 1500)[:100_000],
        (weak * 1500)[:100_003],
        " ".join(rng.choice(words) for _ in range(20_000))[:100_000],
        "".join(chr(rng.randrange(32, 127)) for _ in range(100_000)),
        bytes(rng.randrange(256) for _ in range(3000)).decode("latin-1"),
        bytes(rng.randrange(256) for _ in range(3000)).decode("utf-8", "replace"),
        "\x00\x01\x02 not \x7f\x80 visits\ufffd\ufeff",
        "a" * 5000 + " not " + "b" * 5000,
        "Les visites à domicile n'ont pas été effectuées; le plan était insuffisant.",
        "Ni chafodd ymweliadau cartref eu cwblhau ac nid oedd y cynllun yn ddigonol.",
        "家访没有完成，风险计划不充分。 Home visits were not completed.",
        "لم يتم إكمال الزيارات المنزلية. The plan was poor.",
        "İSTANBUL İİİ home visits were NOT completed; ẞTRASSE straße risk was missed.",
        "ǅ ǈ ǋ ΣΑΣ ﬁnally the ﬂat home visit was not done",
        "Home\u2011visits \u2014 not completed \u2013 the \u2018plan\u2019 was \u201cpoor\u201d.",
        "Home visits\u00a0were\u00a0not completed.\u2028The plan was weak.\u2029Done.",
        "- Home visits were not done\n* The plan lacked detail\n\u2022 Oversight was poor",
        "HOME VISITS WERE NOT COMPLETED. THE RISK ASSESSMENT WAS POOR.",
        "home visits were not completed 1. 2. 3. the plan was weak 12 ok",
        "Although training had improved, caseloads, which were high, remained, but not now; yet.",
        "not " * 3000,
        ", and " * 2000,
        "🙂 home visits 🙁 were not completed 💥",
    ]


def extra_themes() -> list[Theme]:
    """Users' themes: a new one with cues, one disabled, one merged into another."""
    return [
        Theme(
            slug="interpreters", name="Interpreter access", cues=["interpreter", "sign-language"]
        ),
        Theme(slug="recording", name="Case recording gaps", builtin=True, active=False),
        Theme(slug="housing", name="Housing and accommodation"),
        Theme(
            slug="supervision_gaps",
            name="Supervision gaps",
            cues=["reporting instructions"],
            merged_into="management_oversight",
        ),
    ]


def groups() -> Iterator[tuple[str, Callable[[], Tagger], list[str]]]:
    """Each named group of texts with the tagger it is run through."""
    plain = Tagger
    extra = lambda: Tagger(extra_themes())  # noqa: E731
    dev, demo, bench = dev_texts(), demo_texts(), bench_texts()
    yield "dev", plain, dev
    yield "demo", plain, demo
    yield "bench", plain, bench
    yield "odd", plain, odd_texts()
    yield "extra_themes", extra, dev + demo[:500] + odd_texts()


# --- writing ----------------------------------------------------------------------------------


def fingerprints(tagger: Tagger, texts: list[str]) -> dict[bytes, bytes]:
    """Text fingerprint -> output fingerprint for each distinct text."""
    return {text_key(text): output_key(tagger.tag(text)) for text in dict.fromkeys(texts)}


def pack(table: dict[bytes, bytes]) -> str:
    """The fingerprints as one base64 string, sorted so the file diffs little."""
    return base64.b64encode(b"".join(k + v for k, v in sorted(table.items()))).decode("ascii")


def unpack(packed: str) -> dict[bytes, bytes]:
    """The inverse of :func:`pack`."""
    raw = base64.b64decode(packed)
    size = TEXT_HASH_BYTES + OUTPUT_HASH_BYTES
    return {
        raw[i : i + TEXT_HASH_BYTES]: raw[i + TEXT_HASH_BYTES : i + size]
        for i in range(0, len(raw), size)
    }


def write() -> None:
    """Tag every group with the current tagger and write the golden file."""
    data: dict[str, Any] = {"groups": {}, "examples": []}
    for name, make_tagger, texts in groups():
        if not texts:
            raise SystemExit(f"no texts for group {name!r} (is {DEV_SET} there?)")
        tagger = make_tagger()
        data["groups"][name] = pack(fingerprints(tagger, texts))
        short = [t for t in dict.fromkeys(texts) if t and len(t) < 700]
        for text in short[:EXAMPLES_PER_GROUP]:
            record = output_record(tagger.tag(text))
            data["examples"].append({"group": name, "text": text, "output": record})
    GOLDEN.parent.mkdir(exist_ok=True)
    GOLDEN.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {GOLDEN} ({GOLDEN.stat().st_size:,} bytes)")


if __name__ == "__main__":
    write()
