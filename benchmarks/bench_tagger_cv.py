"""Honest scores for the theme tagger: cross-validation grouped by source document.

Every outer fold fits the model (its thresholds chosen by inner grouped folds of the training
part only) and scores the tagger, rules included, on documents it never saw. Prints micro
P/R/F1 and polarity accuracy overall, per theme and per register, the real-text files alone
(the nearest stand-in for unseen report and case-level text), leave-one-file-out figures and a
learning curve (25/50/75/100% of the training documents of each fold).

The sentences written in general probation language (findings/data/tagger_train_general.jsonl)
are in every training fold and never scored; ``--without-general`` leaves them out.

    python benchmarks/bench_tagger_cv.py [--folds 5] [--no-curve] [--without-general]
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from findings.tagger import Tagger  # noqa: E402
from findings.tagger_eval import EvaluationReport, evaluate  # noqa: E402
from findings.tagger_fit import Example, Featurise, fit_model, grouped_folds  # noqa: E402
from findings.tagger_model import ThemeModel  # noqa: E402
from findings.tagger_training import GENERAL, remembered, shipped_examples  # noqa: E402
from findings.themes import builtin_slugs  # noqa: E402

REAL_TEXT = ("inspection", "sfo_thematic")


def _records(examples: Sequence[Example]) -> list[dict[str, Any]]:
    return [{"text": e.text, "themes": sorted(e.themes), "polarity": e.polarity} for e in examples]


def _line(name: str, report: EvaluationReport) -> str:
    return (
        f"{name:<28} {report.records:>5} {report.precision:6.3f} {report.recall:6.3f} "
        f"{report.f1:6.3f} {report.polarity_accuracy:9.3f}"
    )


HEADER = f"{'':<28} {'n':>5} {'P':>6} {'R':>6} {'F1':>6} {'polarity':>9}"


def held_out_taggers(
    examples: Sequence[Example],
    splits: list[tuple[list[int], list[int]]],
    featurise: Featurise,
    share: float = 1.0,
    seed: int = 7,
) -> dict[int, Tagger]:
    """For every sentence, a tagger whose model never saw its document."""
    themes = list(builtin_slugs())
    taggers: dict[int, Tagger] = {}
    rng = random.Random(seed)
    always = [e for e in examples if e.file == GENERAL]
    for train, test in splits:
        groups = sorted({examples[i].group for i in train})
        kept = set(rng.sample(groups, max(2, round(len(groups) * share))))
        fitted = fit_model(
            [examples[i] for i in train if examples[i].group in kept] + always, themes, featurise
        )
        tagger = Tagger(model=ThemeModel(fitted))
        for i in test:
            taggers[i] = tagger
    return taggers


def score(examples: Sequence[Example], taggers: dict[int, Tagger], chosen: list[int]) -> Any:
    """The evaluation report over the chosen sentences, each by its held-out tagger."""

    class _ByIndex:
        def __init__(self) -> None:
            self.order = iter(chosen)

        def tag(self, text: str) -> Any:
            return taggers[next(self.order)].tag(text)

    return evaluate(_ByIndex(), _records([examples[i] for i in chosen]))  # type: ignore[arg-type]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--no-curve", action="store_true", help="skip the learning curve")
    parser.add_argument(
        "--without-general",
        action="store_true",
        help="leave out the sentences written in general probation language",
    )
    args = parser.parse_args(argv)
    started = time.perf_counter()
    examples = shipped_examples(general=not args.without_general)
    featurise = remembered(Tagger(model=False).features_of)  # once for all folds
    # the general sentences are added to every training fold (held_out_taggers), never scored
    everything = [i for i, e in enumerate(examples) if e.file != GENERAL]
    scored = [examples[i] for i in everything]
    splits = [
        ([everything[i] for i in train], [everything[i] for i in test])
        for train, test in grouped_folds(scored, args.folds)
    ]
    taggers = held_out_taggers(examples, splits, featurise)
    overall = score(examples, taggers, everything)
    general = len(examples) - len(everything)
    print(
        f"Grouped {len(splits)}-fold cross-validation by source document"
        + (f" ({general} general sentences in every training fold)" if general else "")
    )
    print(HEADER)
    print(_line("all sentences", overall))
    for register in sorted({examples[i].register for i in everything}):
        chosen = [i for i in everything if examples[i].register == register]
        print(_line(f"register {register}", score(examples, taggers, chosen)))
    real = [i for i in everything if examples[i].register in REAL_TEXT]
    print(_line("real text (inspection+sfo)", score(examples, taggers, real)))
    rules = Tagger(model=False)  # nothing fitted: for comparison
    case = [i for i in everything if examples[i].register == "case"]
    for name, chosen in [("all", everything), ("real text", real), ("case", case)]:
        print(
            _line(f"rules alone, {name}", evaluate(rules, _records([examples[i] for i in chosen])))
        )
    print()
    print(f"{'theme':<24} {'P':>6} {'R':>6} {'F1':>6} {'support':>8}")
    for theme in sorted(overall.per_theme, key=lambda t: t.slug):
        print(
            f"{theme.slug:<24} {theme.precision:6.3f} {theme.recall:6.3f} {theme.f1:6.3f} "
            f"{theme.support:>8}"
        )
    print()
    print("Leave one file out (trained on the other files)")
    print(HEADER)
    files = sorted({examples[i].file for i in everything})
    by_file = [
        (
            [i for i in everything if examples[i].file != f],
            [i for i in everything if examples[i].file == f],
        )
        for f in files
    ]
    file_taggers = held_out_taggers(examples, by_file, featurise)
    for name, (_, test) in zip(files, by_file, strict=True):
        print(_line(name, score(examples, file_taggers, test)))
    if not args.no_curve:
        print()
        print("Learning curve (share of each fold's training documents)")
        print(HEADER)
        for share in (0.25, 0.5, 0.75, 1.0):
            curve = (
                taggers if share == 1.0 else held_out_taggers(examples, splits, featurise, share)
            )
            print(_line(f"{share:.0%} of documents", score(examples, curve, everything)))
    print(f"\n({time.perf_counter() - started:.0f} s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
