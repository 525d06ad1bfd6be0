"""How often redaction removes ordinary practice text: the demo narratives and the shared corpus.

The tagging sentences (``--corpus``: every ``*.jsonl`` under it, one ``{"text": ...}`` a line)
carry no personal data, so anything redacted there is a false positive (unless it is a genuine
name, which the examples let a reader judge). The demo narratives carry only synthetic surnames
after a title ("Mr Aldana"), CRNs and SFO review references; any other redaction there is a
false positive too. Each text gets a fresh redactor, so one text's names do not leak into the
next.

    python benchmarks/redaction_false_positives.py [--demo 20000] [--corpus DIR] [--examples 8]
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import Counter, defaultdict
from collections.abc import Iterable
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from findings.redact import Redactor  # noqa: E402

DEFAULT_CORPUS = Path("/work/shared/data")
_KIND = re.compile(r"^\[(.+?)(?: [0-9]+| [A-Z]+)\]$")


def demo_texts(count: int) -> list[str]:
    """The distinct summaries and narratives of ``count`` demo findings."""
    from findings.demo import DEMO_SEED, generate_findings

    seen: dict[str, None] = {}
    pdus = ["oxon", "bucks_mk", "berks"]
    for finding in generate_findings(
        DEMO_SEED, count, pdus=pdus, start=date(2024, 1, 1), end=date(2026, 11, 26)
    ):
        seen.setdefault(finding.summary)
        seen.setdefault(finding.narrative)
    return [t for t in seen if t]


def corpus_texts(folder: Path) -> list[str]:
    """Every sentence of the tagging corpus under ``folder``."""
    texts: list[str] = []
    for path in sorted(folder.rglob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                texts.append(json.loads(line)["text"])
    return texts


def demo_person(original: str) -> bool:
    """A synthetic person, CRN or SFO review reference the demo put there on purpose (a true
    positive)."""
    from findings.demo import _SURNAMES
    from findings.redact import SFO_REF_RE

    if SFO_REF_RE.fullmatch(original):
        return True
    return bool(re.fullmatch(r"[A-Z][0-9]{6}", original)) or any(
        original.endswith(surname) for surname in _SURNAMES
    )


def measure(name: str, texts: Iterable[str], examples: int, *, planted: bool) -> None:
    """Print how many texts lost words they should have kept, by kind, with examples."""
    texts = list(texts)
    wrong_texts = 0
    by_kind: Counter[str] = Counter()
    shown: dict[str, list[str]] = defaultdict(list)
    meant = 0
    for text in texts:
        found = Redactor().matches(text)
        wrong = [(o, p) for o, p in found if not (planted and demo_person(o))]
        meant += len(found) - len(wrong)
        if wrong:
            wrong_texts += 1
        for original, placeholder in wrong:
            kind = _KIND.sub(r"\1", placeholder)
            by_kind[kind] += 1
            if len(shown[kind]) < examples:
                shown[kind].append(f"{original!r} in: {text[:140]}")
    rate = wrong_texts / len(texts) if texts else 0.0
    print(f"{name}: {wrong_texts} of {len(texts):,} texts ({rate:.2%}) had something redacted")
    if planted:
        print(
            f"  (besides {meant:,} redactions of the planted names, CRNs and SFO review references)"
        )
    for kind, count in by_kind.most_common():
        print(f"  {kind}: {count}")
        for example in shown[kind]:
            print(f"    {example}")


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--demo", type=int, default=20_000, help="demo findings to generate")
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--examples", type=int, default=8)
    args = parser.parse_args()
    measure("demo narratives", demo_texts(args.demo), args.examples, planted=True)
    if args.corpus.exists():
        measure(f"corpus {args.corpus}", corpus_texts(args.corpus), args.examples, planted=False)
    else:
        print(f"corpus {args.corpus}: not found, skipped")


if __name__ == "__main__":
    main()
