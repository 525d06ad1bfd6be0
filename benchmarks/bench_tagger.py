"""Benchmark of the theme tagger: prints narratives tagged per second on one core."""

from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from findings.tagger import default_tagger  # noqa: E402

SUBJECTS = [
    "Home visits",
    "Domestic abuse enquiries with the police",
    "The risk management plan",
    "Contingency planning",
    "Management oversight",
    "Information sharing with children's services",
    "The assessment of risk of serious harm",
    "Enforcement action",
    "Referrals to accredited programmes",
    "Victim safety planning",
    "The review of the plan after his arrest",
    "Case recording on nDelius",
    "The transfer of the case to another PDU",
    "MAPPA level 2 arrangements",
]
WEAK = [
    "were not completed in most of the cases we inspected",
    "lacked sufficient analysis of the risks he posed",
    "was insufficient and delayed",
    "were generic and did not set out clear actions",
    "had not been requested before sentence",
    "was inconsistent across the region",
]
STRONG = [
    "were thorough and well evidenced",
    "was timely and effective",
    "showed good professional curiosity",
]
EXTRA = [
    "The practitioner accepted his account at face value.",
    "Staff described high workloads and vacancies in the team.",
    "Practitioners had not been trained to use the domestic abuse tool.",
    "Although the region had invested in training, caseloads remained high.",
    "There were no concerns about the quality of the contingency plan.",
    "Leaders should ensure that home visits are completed.",
]


def narratives(count: int, seed: int = 20250601) -> list[str]:
    """Synthetic narratives of two to four sentences, from a fixed seed."""
    rng = random.Random(seed)
    out = []
    for _ in range(count):
        sentences = []
        for _ in range(rng.randint(2, 4)):
            if rng.random() < 0.3:
                sentences.append(rng.choice(EXTRA))
            else:
                predicate = rng.choice(WEAK if rng.random() < 0.7 else STRONG)
                sentences.append(f"{rng.choice(SUBJECTS)} {predicate}.")
        out.append(" ".join(sentences))
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--count", type=int, default=5000, help="narratives to tag")
    parser.add_argument("--repeat", type=int, default=3, help="timed runs (best is reported)")
    args = parser.parse_args(argv)
    texts = narratives(args.count)
    tagger = default_tagger()
    tagger.tag(texts[0])  # warm up: compile the rules
    best = float("inf")
    for _ in range(args.repeat):
        start = time.perf_counter()
        for text in texts:
            tagger.tag(text)
        best = min(best, time.perf_counter() - start)
    chars = sum(map(len, texts)) / len(texts)
    print(f"{len(texts) / best:,.0f} narratives/sec ({chars:.0f} chars each on average)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
