"""The coded sentences the shipped theme model is fitted on (packaged, so `leap tag --train`
can refit without the project's data folder), and refitting with a database's findings.

``findings/data/tagger_train.jsonl.gz`` holds the 1,385 sentences of the project's tagging
data (verbatim public inspection and thematic text under the Open Government Licence v3.0,
each with its ``source``; and sentences written for the project), one JSON object a line.
``findings/data/tagger_train_general.jsonl`` holds 3,085 more, written for the model in the
general language of probation practice: 85 by the project (source ``synth_general``), and
3,000 in 120 batches of 25, each batch in the voice of one invented document (source
``general_<voice>_NN``: inspection reports, case reviews, SFO learning and audits, system-level
reports, reviews of deaths, inspected-case detail, praise and partial shortfalls, a region's
internal papers, news, specialist areas), written from the coding guide and the theme list
alone, by writers who never saw the project's coded sentences. benchmarks/bench_tagger_cv.py
keeps them all in every training fold and never scores them.
"""

from __future__ import annotations

import gzip
import json
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from importlib import resources
from typing import TYPE_CHECKING, Any

from findings.tagger_fit import Example, Featurise, Progress, examples_from_records, fit_model

if TYPE_CHECKING:
    from findings.tagger_model import ThemeModel

TRAINING_FILE = "tagger_train.jsonl.gz"
GENERAL_FILE = "tagger_train_general.jsonl"
GENERAL = "synth_general"
"""The file label of the sentences written in general probation language."""
CODED_WEIGHT = 2.0
"""How much a sentence of the project's coded data or a database's reviewed finding counts in
fitting, against 1 for a sentence written for the model in general language: the nearer kind
of text weighs more. A fixed choice, not tuned in nested folds; grouped CV micro-F1 / polarity
with this weight 1 and 2: 0.765/0.852, 0.768/0.856 (with 1 and 0.5 for the written ones,
which also changes how far the classifiers are regularised: 0.767/0.851)."""


def shipped_examples(general: bool = True) -> list[Example]:
    """The packaged training sentences, grouped by their source document (with or without
    the ones written in general probation language)."""
    data = resources.files("findings.data")
    lines = gzip.decompress(data.joinpath(TRAINING_FILE).read_bytes()).decode("utf-8")
    records = [json.loads(line) for line in lines.splitlines() if line]
    examples = examples_from_records(records, "shipped", CODED_WEIGHT)
    if general:
        written = data.joinpath(GENERAL_FILE).read_text("utf-8").splitlines()
        examples += examples_from_records(
            [{**json.loads(line), "file": GENERAL} for line in written if line], GENERAL
        )
    return examples


RETRAIN_FOLDS = 3
"""Grouped folds a refit with a database's findings chooses its thresholds on (the shipped
model uses findings.tagger_fit.FOLDS): each fold is a fit, and with the 4,470 shipped
sentences a refit with 5,000 findings took 29 s on five folds, 18 s on three
(benchmarks/bench_retrain.py)."""
MIN_CONFIRMED = 10
"""A user's own theme joins the model once this many reviewed findings carry it."""


@dataclass(frozen=True)
class Retrained:
    """A model refitted with a database's findings, and how it compares with the shipped one.

    ``before`` is the shipped model's micro-F1 on the database's reviewed findings (it never
    saw them); ``after`` the refitted setup's on the same findings, each scored by classifiers
    fitted without that finding's source (grouped folds).
    """

    model: dict[str, Any]
    findings: int
    themes: tuple[str, ...]
    joined: tuple[str, ...]
    waiting: dict[str, int]
    before: float
    after: float
    seconds: float

    def summary(self) -> str:
        """What the retraining did, in a few lines for the user."""
        lines = [
            f"Refitted on {self.model['sentences']:,} sentences: the shipped "
            f"{self.model['sentences'] - self.findings:,} and {self.findings:,} reviewed "
            f"findings of this database ({self.seconds:.1f} s).",
            f"Micro-F1 on this database's findings, held out by source: "
            f"{self.before:.3f} with the shipped model, {self.after:.3f} refitted.",
            f"Micro-F1 over all training sentences, held out by source: "
            f"{self.model['held_out_f1']['all']:.3f}.",
        ]
        if self.joined:
            lines.append("Your themes now in the model: " + ", ".join(self.joined) + ".")
        for slug, count in sorted(self.waiting.items()):
            lines.append(
                f"{slug}: {count} reviewed finding(s); joins the model at {MIN_CONFIRMED}."
            )
        return "\n".join(lines)


def retrain(
    rows: Sequence[dict[str, Any]],
    user_themes: Sequence[str],
    featurise: Callable[[str], set[str]],
    progress: Progress | None = None,
) -> Retrained:
    """Refit the model on the shipped sentences plus a database's reviewed findings.

    ``rows`` are coded findings (as db.tagger_store.training_rows gives them); a user theme of
    ``user_themes`` joins when at least MIN_CONFIRMED of them carry it. Raises ValueError
    when there are no reviewed findings.
    """
    from findings.tagger_model import shipped_model
    from findings.themes import builtin_slugs

    started = time.perf_counter()
    if not rows:
        raise ValueError("this database has no reviewed findings to learn from")
    counts: dict[str, int] = {}
    for row in rows:
        for slug in row["themes"]:
            counts[slug] = counts.get(slug, 0) + 1
    joined = tuple(s for s in user_themes if counts.get(s, 0) >= MIN_CONFIRMED)
    waiting = {s: counts.get(s, 0) for s in user_themes if s not in joined}
    themes = (*builtin_slugs(), *joined)
    found = examples_from_records(rows, "database", CODED_WEIGHT)
    examples = [*shipped_examples(), *found]
    shipped = shipped_model()
    featurise = remembered(featurise)  # the findings are read again for the "before" score
    # the settings chosen for the shipped model, not chosen again (a third of the work), and
    # thresholds from fewer folds, so 5,000 findings refit in well under half a minute
    model = fit_model(
        examples,
        themes,
        featurise,
        progress,
        folds=RETRAIN_FOLDS,
        settings=shipped.data.get("settings"),
    )
    before = _shipped_f1(shipped, found, featurise)
    after = float(model["held_out_f1"].get("database", 0.0))
    return Retrained(
        model, len(found), themes, joined, waiting, before, after, time.perf_counter() - started
    )


def remembered(featurise: Featurise) -> Featurise:
    """The same features, each text's worked out once (a copy each time: fitting may change it)."""
    memo: dict[str, set[str]] = {}

    def features_of(text: str) -> set[str]:
        found = memo.get(text)
        if found is None:
            found = memo[text] = featurise(text)
        return set(found)

    return features_of


def _shipped_f1(
    shipped: ThemeModel, examples: Sequence[Example], featurise: Callable[[str], set[str]]
) -> float:
    """Micro-F1 of the shipped model on some coded findings (read as one sentence each)."""
    hits = suggested = wanted = 0
    for example in examples:
        scored = shipped.score(featurise(example.text))
        got = {shipped.themes[i] for i, _, _ in scored.themes}
        wanted += len(example.themes)
        suggested += len(got)
        hits += len(got & example.themes)
    return 2 * hits / (suggested + wanted) if suggested + wanted else 0.0


def write_shipped_model() -> None:
    """Refit the shipped model on the packaged sentences and write it to findings/data."""
    from findings.tagger import Tagger
    from findings.tagger_model import SHIPPED, write_packed
    from findings.themes import builtin_slugs

    rules = Tagger(model=False)
    model = fit_model(shipped_examples(), list(builtin_slugs()), rules.features_of)
    SHIPPED.write_text(json.dumps(model, separators=(",", ":")), encoding="utf-8")
    print(f"wrote {SHIPPED} ({SHIPPED.stat().st_size:,} bytes)")
    write_packed()  # the same model ready to score with, so a cold start need not pack it


if __name__ == "__main__":
    write_shipped_model()
