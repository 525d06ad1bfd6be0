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
    parser.add_argument(
        "--cold",
        action="store_true",
        help="instead: run `leap tag --jsonl` on the narratives in a new process (cold start)",
    )
    parser.add_argument(
        "--distinct",
        action="store_true",
        help="with --cold: distinct demo narratives (as --fresh) instead of the synthetic ones",
    )
    parser.add_argument(
        "--fresh",
        type=int,
        metavar="N",
        help="instead: tag N distinct demo narratives once each from a cold start, by fifths",
    )
    args = parser.parse_args(argv)
    if args.fresh:
        return _fresh(args.fresh)
    if args.cold:
        texts = demo_narratives(args.count) if args.distinct else narratives(args.count)
        return _cold(texts, args.repeat)
    texts = narratives(args.count)
    tagger = default_tagger()
    tagger.tag(texts[0])  # warm up: compile the rules
    if args.profile:
        return _profile(tagger, texts)

    def tag_all() -> None:
        for text in texts:
            tagger.tag(text)

    rules = Tagger(model=False)
    rules.tag(texts[0])

    def rules_all() -> None:
        for text in texts:
            rules.tag(text)

    with tempfile.TemporaryDirectory() as folder:
        source, out = _write_jsonl(folder, texts), Path(folder, "out.jsonl")
        rows = [
            ("rules", *_best(rules_all, args.repeat)),
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


def _write_jsonl(folder: str, texts: list[str]) -> Path:
    source = Path(folder, "in.jsonl")
    lines = (json.dumps({"id": i, "text": text}) + "\n" for i, text in enumerate(texts))
    source.write_text("".join(lines), encoding="utf-8")
    return source


def _cold(texts: list[str], repeat: int) -> int:
    """`leap tag --jsonl` in a new process each time: start-up, loading the rules and the
    model, and tagging, by the child's CPU time (best of some runs)."""
    import resource
    import subprocess

    leap = Path(sys.executable).with_name("leap")
    best_cpu = best_wall = float("inf")
    with tempfile.TemporaryDirectory() as folder:
        source, out = _write_jsonl(folder, texts), Path(folder, "out.jsonl")
        command = [str(leap), "--db", str(Path(folder, "none.db")), "tag", "--jsonl"]
        for _ in range(repeat):
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            wall = time.perf_counter()
            subprocess.run([*command, str(source), "--out", str(out)], check=True)
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
            best_cpu = min(best_cpu, cpu)
            best_wall = min(best_wall, time.perf_counter() - wall)
    print(f"leap tag --jsonl, cold start, {len(texts):,} narratives (best of {repeat}):")
    print(f"  cpu  {best_cpu:6.2f} s  {len(texts) / best_cpu:8,.0f} narratives/sec")
    print(f"  wall {best_wall:6.2f} s  {len(texts) / best_wall:8,.0f} narratives/sec")
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


def demo_narratives(count: int) -> list[str]:
    """Distinct, varied narratives from the demo generator (a fixed seed)."""
    from datetime import date

    from findings.demo import generate_findings
    from findings.models import SOUTH_CENTRAL

    pdus = [p.code for p in SOUTH_CENTRAL.pdus]
    found = generate_findings(11, count, pdus=pdus, start=date(2021, 1, 1), end=date(2026, 11, 1))
    return [f.narrative for f in found]


def _fresh(count: int) -> int:
    """One pass over distinct, varied narratives in a new tagger: the per-word memos start
    empty, so the first fifth shows a cold start and the last the steady rate."""
    texts = demo_narratives(count)
    tagger = default_tagger()
    tagger.tag("")  # compile the rules, nothing else
    fifth = max(1, count // 5)
    print(f"{'narratives':<16} {'narratives/sec (cpu)':>21}")
    started = time.process_time()
    last = started
    for index, text in enumerate(texts, 1):
        tagger.tag(text)
        if index % fifth == 0 or index == count:
            now = time.process_time()
            done = index - (index - 1) // fifth * fifth
            print(f"{index - done + 1:>7}-{index:<8} {done / (now - last):>21,.0f}")
            last = now
    chars = sum(map(len, texts)) / len(texts)
    rate = count / (time.process_time() - started)
    print(f"overall {rate:,.0f}/s ({count:,} distinct narratives, {chars:.0f} chars on average)")
    return 0


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
