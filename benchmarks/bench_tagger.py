"""Benchmark of the theme tagger: prints narratives tagged per second on one core
(by CPU time, which other work on a shared machine does not inflate, and by wall time), for
the tagger alone and for `leap tag --jsonl` end to end (reading, tagging, writing JSON)."""

from __future__ import annotations

import argparse
import cProfile
import json
import pstats
import random
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from findings.tagger import Tagger, default_tagger  # noqa: E402
from tui.commands.tag import tag_jsonl  # noqa: E402

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
    parser.add_argument(
        "--profile", action="store_true", help="print the hot spots of one run (cProfile)"
    )
    args = parser.parse_args(argv)
    texts = narratives(args.count)
    tagger = default_tagger()
    tagger.tag(texts[0])  # warm up: compile the rules
    if args.profile:
        return _profile(tagger, texts)

    def tag_all() -> None:
        for text in texts:
            tagger.tag(text)

    with tempfile.TemporaryDirectory() as folder:
        source, out = Path(folder, "in.jsonl"), Path(folder, "out.jsonl")
        lines = (json.dumps({"id": i, "text": text}) + "\n" for i, text in enumerate(texts))
        source.write_text("".join(lines), encoding="utf-8")
        rows = [
            ("tagger", *_best(tag_all, args.repeat)),
            ("--jsonl", *_best(lambda: tag_jsonl(tagger, source, out), args.repeat)),
        ]
    chars = sum(map(len, texts)) / len(texts)
    # CPU time is what the tagger costs; wall time also counts other work on a shared machine
    print(f"{'step':<8} {'clock':<6} {'seconds':>8} {'narratives/sec':>15}")
    for step, cpu, wall in rows:
        for name, seconds in [("cpu", cpu), ("wall", wall)]:
            print(f"{step:<8} {name:<6} {seconds:>8.3f} {len(texts) / seconds:>15,.0f}")
    print(f"({len(texts):,} narratives, {chars:.0f} chars each on average, best of {args.repeat})")
    return 0


def _best(run: Callable[[], object], repeat: int) -> tuple[float, float]:
    """The shortest CPU time and the shortest wall time of some runs."""
    best_wall = best_cpu = float("inf")
    for _ in range(repeat):
        wall, cpu = time.perf_counter(), time.process_time()
        run()
        best_cpu = min(best_cpu, time.process_time() - cpu)
        best_wall = min(best_wall, time.perf_counter() - wall)
    return best_cpu, best_wall


def _profile(tagger: Tagger, texts: list[str]) -> int:
    profiler = cProfile.Profile()
    profiler.enable()
    for text in texts:
        tagger.tag(text)
    profiler.disable()
    pstats.Stats(profiler).sort_stats("tottime").print_stats(15)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
