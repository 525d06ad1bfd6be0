"""The fitted theme model: loading, its combination with the rules, retraining from a database."""

from __future__ import annotations

import json
import marshal
import math
import subprocess
import sys
from pathlib import Path

import pytest
import sqlite_utils

from db.findings_store import save_finding
from db.tagger_store import MODEL_KEY, stored_model, training_rows
from db.themes_store import add_user_theme
from findings import tagger_model
from findings.models import ThemeTag
from findings.tagger import Tagger, default_tagger
from findings.tagger_model import (
    ModelError,
    ThemeModel,
    load_stored_model,
    shipped_model,
    unpacked,
)
from tests.factories import TODAY, make_finding
from tui.commands.tag import load_tagger, train_database

ISSUE_EXAMPLE = (
    "The officer was newly qualified and had a caseload of 90. She took his word that he had "
    "moved out and never visited the address. Police were not asked about call-outs."
)


def tag(text: str) -> list[str]:
    return default_tagger().tag(text).slugs


# --- loading -------------------------------------------------------------------------------


def test_shipped_model_loads_with_every_builtin_theme_and_a_threshold_each() -> None:
    from findings.themes import builtin_slugs

    model = shipped_model()
    assert set(model.themes) == set(builtin_slugs())
    assert set(model.polarity_index.values()) == {"weakness", "strength", "mixed", "neutral"}
    assert all(p <= q for p, q in zip(model.possible, model.likely, strict=True))


def test_a_model_of_another_version_or_damaged_is_refused_with_a_reason() -> None:
    data = dict(shipped_model().data, version=0)
    with pytest.raises(ModelError, match="version 0"):
        ThemeModel(data)
    assert load_stored_model('{"version": 1, "outputs": [')[0] is None
    model, problem = load_stored_model(json.dumps({"version": 1, "outputs": ["a"]}))
    assert model is None and "shipped model is used" in problem


def test_the_shipped_packed_model_is_the_shipped_json_ready_to_score() -> None:
    source = tagger_model.SHIPPED.read_bytes()
    header = tagger_model.SHIPPED_PACKED.read_bytes().partition(b"\n")[0].decode()
    engine = tagger_model.PACKED_ENGINE
    if engine not in header.split(" "):
        pytest.skip(f"the shipped packed model is not for {engine}: {header}")
    packed = tagger_model.read_packed(source, tagger_model.SHIPPED_PACKED)
    assert packed is not None, (
        "findings/data/tagger_model.packed is stale: run `python -m findings.tagger_model`"
    )
    from_json = ThemeModel(json.loads(source))
    assert packed.weights == from_json.weights
    assert (packed.bias, packed.possible, packed.likely, packed.themes) == (
        from_json.bias,
        from_json.possible,
        from_json.likely,
        from_json.themes,
    )
    assert packed.data == from_json.data  # parsed from the JSON when asked for
    found = Tagger(model=False).features_of(ISSUE_EXAMPLE)
    assert packed.score(found) == from_json.score(found)
    assert "_source" in vars(shipped_model())  # the shipped model is read packed


def test_a_theme_is_suggested_exactly_when_its_probability_reaches_its_threshold() -> None:
    """score() compares whole units against a boundary worked out per sentence length; a
    sentence just either side of a theme's boundary must still go the way the z of that
    sentence says (z = bias + units / 100 / sqrt(features), as fitted)."""
    model = ThemeModel(
        {
            "version": 1,
            "outputs": ["visits", "polarity:weakness", "polarity:neutral"],
            "bias": [-1.0, 0.0, -1.0],
            "thresholds": {"visits": [0.37, 0.6]},
            "weights": {f"w{units}": [[0, units / 100], [1, 5.0]] for units in range(1, 200)},
        }
    )
    checked = set()
    for size in range(1, 9):
        scale = 1.0 / math.sqrt(size)
        for units in range(1, 200):
            found = {f"w{units}"} | {f"unknown{i}" for i in range(size - 1)}
            z = -1.0 + units / 100 * scale
            suggested = [index for index, _, _ in model.score(found).themes]
            assert suggested == ([0] if z >= model.possible[0] else []), (size, units)
            checked.add(bool(suggested))
    assert checked == {True, False}


def test_a_stale_damaged_or_foreign_packed_model_is_passed_over(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = tagger_model.SHIPPED.read_bytes()
    good = tagger_model.packed_file(source)
    header, _, payload = good.partition(b"\n")
    path = tmp_path / "model.packed"
    foreign = header.decode().replace(tagger_model.PACKED_ENGINE, "cpython-399/marshal-9")
    flipped = bytearray(good)
    flipped[len(good) // 2] ^= 1
    wrong_shape = marshal.dumps(("only", "two"))
    wrong_header = tagger_model._packed_header(source, wrong_shape)
    for content in [
        b"",
        b"not a packed model",
        good[: len(good) - 100],
        bytes(flipped),
        foreign.encode() + b"\n" + payload,
        wrong_header + wrong_shape,
    ]:
        path.write_bytes(content)
        assert tagger_model.read_packed(source, path) is None
    path.write_bytes(good)
    assert tagger_model.read_packed(source, path) is not None
    assert tagger_model.read_packed(source.replace(b'"version":1', b'"version": 1'), path) is None
    path.unlink()
    assert tagger_model.read_packed(source, path) is None
    # the shipped model then comes from its JSON, scoring alike
    path.write_bytes(bytes(flipped))
    monkeypatch.setattr(tagger_model, "SHIPPED_PACKED", path)
    from_json = shipped_model.__wrapped__()
    assert "_source" not in vars(from_json) and from_json.weights == shipped_model().weights


# --- the model and the rules together --------------------------------------------------------


def test_the_issue_example_gets_the_themes_a_qa_lead_would_give() -> None:
    found = set(tag(ISSUE_EXAMPLE))
    assert {"professional_curiosity", "information_sharing", "home_visits"} <= found


def test_an_inexperienced_officer_with_a_caseload_of_90_is_training_and_workload() -> None:
    """The coding guide's own examples: "a caseload of 127" is workload, an inexperienced
    officer given a dangerous case is training (rules from the guide, not from the data)."""
    assert {"training", "workload"} <= set(tag(ISSUE_EXAMPLE))
    assert {"training", "workload"} <= set(tag("An inexperienced officer held 75 cases."))


@pytest.mark.parametrize(
    ("text", "theme"),
    [
        ("He was wrongly assessed as medium risk.", "risk_assessment"),
        ("The prison did not pass on the concerns.", "information_sharing"),
        ("She was not recalled despite missed appointments.", "enforcement"),
        ("Domestic abuse enquiries were not made.", "domestic_abuse"),
        ("The officer took his word that he had stopped drinking.", "optimism_bias"),
        ("The officer focused on compliance.", "optimism_bias"),
        ("She believed he had changed.", "optimism_bias"),
        ("There was no contingency plan.", "contingency_planning"),
        (
            "What would happen if he lost his accommodation was not considered.",
            "contingency_planning",
        ),
        ("The plan was not reviewed after his arrest.", "untimely_review"),
    ],
)
def test_the_coding_guides_examples_get_their_theme_as_likely(text: str, theme: str) -> None:
    result = default_tagger().tag(text)
    assert result.polarity == "weakness"
    likely = {s.slug for s in result.themes if s.confidence == "likely"}
    assert theme in likely, result


def test_a_topic_mentioned_without_a_shortfall_is_no_theme() -> None:
    """The coding guide, rule 5."""
    assert tag("A domestic abuse lead was appointed.") == []


def test_the_caseload_rules_leave_protected_and_small_caseloads_alone() -> None:
    rules = Tagger(model=False)
    assert {"training", "workload"} <= set(
        rules.tag("A newly qualified officer had 80 cases.").slugs
    )
    praised = "Newly qualified officers told us they had protected caseloads and a mentor."
    assert not {"training", "workload"} & set(rules.tag(praised).slugs)
    assert not rules.tag("The officer had a caseload of 30 and saw him weekly.").slugs


def test_evidence_does_not_start_or_end_on_a_plain_word() -> None:
    plain = {"the", "a", "that", "were", "was", "his", "her", "of", "to"}
    result = default_tagger().tag(ISSUE_EXAMPLE)
    phrases = [phrase for s in result.themes for phrase in s.evidence]
    assert phrases
    for phrase in phrases:
        words = phrase.lower().split()
        assert words[0] not in plain and words[-1] not in plain, phrase


def test_evidence_is_never_a_title_alone() -> None:
    result = default_tagger().tag(
        "Mr B told his officer he was no longer drinking, and this was accepted without any checks."
    )
    assert "professional_curiosity" in result.slugs
    phrases = [phrase for s in result.themes for phrase in s.evidence]
    assert phrases
    assert not {"mr", "mr b"} & {phrase.lower() for phrase in phrases}, phrases


@pytest.mark.parametrize(
    "text",
    [
        "He attended all appointments and was positive about work, so his risk was not "
        "reviewed because he seemed settled.",
        "What would happen if he lost his accommodation was not considered.",
        "It was unclear why the case was not escalated to MAPPA level 2.",
    ],
)
def test_evidence_is_never_a_lone_connective_or_case(text: str) -> None:
    result = default_tagger().tag(text)
    phrases = {phrase.lower() for s in result.themes for phrase in s.evidence}
    assert phrases
    assert not {"because", "if", "so", "case", "said", "whether"} & phrases, phrases


def test_evidence_shows_no_phrase_twice() -> None:
    result = default_tagger().tag(
        "Home visits were not always completed and the risk management plan was not "
        "reviewed after his arrest."
    )
    review = next(s for s in result.themes if s.slug == "untimely_review")
    assert review.evidence
    for phrase in review.evidence:
        others = [p.lower() for p in review.evidence if p != phrase]
        assert not any(f" {phrase.lower()} " in f" {other} " for other in others), review


@pytest.mark.parametrize(
    "text",
    [
        "There was no lack of professional curiosity.",
        "Home visits were thorough and well evidenced.",
        "There were no concerns about the contingency plan.",
        "Risk was not underestimated.",  # the coding guide's own example (rule 6)
        "The risk he posed had not been underestimated.",
    ],
)
def test_negation_and_praise_carry_no_theme(text: str) -> None:
    assert tag(text) == []


def test_suggestions_carry_a_readable_confidence_and_the_words_behind_them() -> None:
    text = "Her caseload was far too high and she had not been trained in the risk tool."
    result = default_tagger().tag(text)
    assert {"workload", "training"} <= set(result.slugs)
    for suggestion in result.themes:
        assert suggestion.confidence in ("likely", "possible")
        assert suggestion.evidence and all(words in text for words in suggestion.evidence)
    assert default_tagger().tag(text, explain=False).themes[0].evidence == ()


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "Les visites à domicile étaient régulières et bien préparées.",
        "日本語の文章です。",
    ],
)
def test_empty_or_foreign_text_gets_no_themes(text: str) -> None:
    assert tag(text) == []


def test_a_switched_off_builtin_theme_is_not_suggested_by_the_model() -> None:
    from findings.models import Theme

    off = Theme(slug="recording", name="Case recording gaps", builtin=True, active=False)
    text = "Key decisions were not recorded on nDelius."
    assert "recording" in tag(text)
    assert "recording" not in Tagger([off]).tag(text).slugs


# --- retraining from a database ------------------------------------------------------------


def _reviewed(db: sqlite_utils.Database, slug: str, count: int, text: str) -> None:
    for number in range(count):
        save_finding(
            db,
            make_finding(
                source_ref=f"Audit {slug} {number}",
                narrative=f"{text} (case {number}).",
                themes=[ThemeTag(slug=slug, origin="confirmed")],
            ),
            today=TODAY,
        )


def test_training_rows_take_reviewed_findings_only(seeded_db: sqlite_utils.Database) -> None:
    save_finding(
        seeded_db,
        make_finding(
            source_ref="SFO-2026-009",
            narrative="Only a suggestion nobody looked at.",
            themes=[ThemeTag(slug="workload", origin="suggested")],
        ),
        today=TODAY,
    )
    rows = training_rows(seeded_db)
    assert rows and all(r["themes"] or r["polarity"] == "strength" for r in rows)
    assert not any("nobody looked" in r["text"] for r in rows)


@pytest.mark.slow
def test_retraining_stores_a_model_that_user_themes_join_after_ten_findings(
    fresh_db: sqlite_utils.Database, tmp_path: Path
) -> None:
    pytest.importorskip("sklearn")
    add_user_theme(fresh_db, "Vetting delays", cues=["vetting"])
    add_user_theme(fresh_db, "Interpreter use", cues=["interpreter"])
    _reviewed(fresh_db, "vetting_delays", 10, "Staff vetting took months and posts sat empty")
    _reviewed(fresh_db, "interpreter_use", 9, "No interpreter was booked for the interview")
    path = Path(fresh_db.conn.execute("PRAGMA database_list").fetchone()[2])
    retrained = train_database(path)
    assert "vetting_delays" in retrained.joined
    assert retrained.waiting == {"interpreter_use": 9}
    assert "interpreter_use: 9 reviewed finding(s)" in retrained.summary()
    model, problem = load_stored_model(stored_model(fresh_db)[0])
    assert model is not None and not problem
    assert "vetting_delays" in model.themes
    tagger = load_tagger(path)
    assert "vetting_delays" in tagger.tag("Staff vetting took months and posts sat empty.").slugs


@pytest.mark.slow
def test_a_refitted_model_is_stored_packed_and_read_alike_either_way(
    fresh_db: sqlite_utils.Database,
) -> None:
    """The packed companion stored beside the JSON loads fast at `leap tag`; a damaged or stale
    one is passed over for the JSON, with the same suggestions."""
    pytest.importorskip("sklearn")
    _reviewed(fresh_db, "home_visits", 10, "Nobody went to the house before the offence")
    path = Path(fresh_db.conn.execute("PRAGMA database_list").fetchone()[2])
    train_database(path)
    text, packed = stored_model(fresh_db)
    assert text and packed
    from_json = load_stored_model(text)[0]
    from_packed = load_stored_model(text, packed)[0]
    assert from_json is not None and from_packed is not None
    assert unpacked(text.encode(), packed) is not None  # the packed state was used
    for damaged in (packed[:-10], packed.replace(b"leap-model-packed", b"leap-model-pickled")):
        assert unpacked(text.encode(), damaged) is None
        assert load_stored_model(text, damaged)[0] is not None
    assert unpacked((text + " ").encode(), packed) is None  # made from other JSON: stale
    sample = f"{ISSUE_EXAMPLE} Nobody went to the house before the offence."
    assert Tagger(model=from_packed).tag(sample) == Tagger(model=from_json).tag(sample)
    assert load_tagger(path).model.themes == from_json.themes  # type: ignore[union-attr]
    from findings.suggest import suggest_themes
    from tui.screens.form_fields import load_form_context

    context = load_form_context(fresh_db, TODAY)  # the recording form's suggestions
    assert (context.tagger_model, context.tagger_model_packed) == (text, packed)
    found = suggest_themes(sample, [], context.tagger_model, context.tagger_model_packed)
    assert [s.slug for s in found] == list(Tagger(model=from_json).tag(sample).slugs)


def test_train_without_reviewed_findings_says_so_and_keeps_the_shipped_model(
    fresh_db: sqlite_utils.Database, capsys: pytest.CaptureFixture[str]
) -> None:
    from tui.cli import main

    path = fresh_db.conn.execute("PRAGMA database_list").fetchone()[2]
    assert main(["--db", path, "tag", "--train"]) == 1
    assert "no reviewed findings" in capsys.readouterr().err
    assert stored_model(fresh_db)[0] is None


def test_a_damaged_stored_model_is_ignored_with_a_warning(
    fresh_db: sqlite_utils.Database, capsys: pytest.CaptureFixture[str]
) -> None:
    fresh_db.execute("INSERT INTO meta (key, value) VALUES (?, ?)", [MODEL_KEY, "{not json"])
    fresh_db.conn.commit()
    path = Path(fresh_db.conn.execute("PRAGMA database_list").fetchone()[2])
    tagger = load_tagger(path)
    assert "cannot be used" in capsys.readouterr().err
    assert tagger.model is shipped_model()
    assert "home_visits" in tagger.tag("Home visits were not completed.").slugs


def test_tagging_never_imports_scikit_learn_or_numpy() -> None:
    script = (
        "import sys\n"
        "from findings.tagger import default_tagger\n"
        f"default_tagger().tag({ISSUE_EXAMPLE!r})\n"
        "print(sorted(m for m in ('sklearn', 'numpy', 'scipy') if m in sys.modules))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    )
    assert done.stdout.strip() == "[]"


async def test_palette_retrain_on_an_empty_database_says_so_in_the_window(
    fresh_db: sqlite_utils.Database, tmp_path: Path
) -> None:
    from textual.widgets import Static

    from tui.app import make_app
    from tui.screens.train_tagger import TrainTaggerModal

    app = make_app(tmp_path / "leap.db", today=TODAY)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        app.action_retrain_tagger()
        await pilot.pause()
        assert isinstance(app.screen, TrainTaggerModal)
        for _ in range(50):
            await app.workers.wait_for_complete()
            await pilot.pause()
            status = str(app.screen.query_one("#train-status", Static).render())
            if "no reviewed findings" in status:
                break
        assert "no reviewed findings" in status
        await pilot.press("escape")
        assert not isinstance(app.screen, TrainTaggerModal)
    assert stored_model(fresh_db)[0] is None


# --- concept features -----------------------------------------------------------------------


def test_a_theme_concept_reads_any_inflection_and_knows_negation() -> None:
    from findings.tagger_features import features

    assert "concept:workload" in features("vacancies across the team were high.")
    negated = features("there were no vacancies in the team.")
    assert "~concept:workload" in negated
    assert "concept:workload" not in negated


def test_a_negated_concern_ends_the_negation_and_says_so() -> None:
    from findings.tagger_features import features

    cleared = features("there were no concerns about the contingency plan.")
    assert "clauses:shortfall negated" in cleared and "clauses:no shortfall" in cleared
    assert "~plan" not in cleared and "plan" in cleared
    # a plain negation still reaches the end of its clause
    assert "~plan" in features("there was no contingency plan.")


def test_pairs_one_word_apart_do_not_reach_over_a_clause_mark() -> None:
    from findings.tagger_features import features

    found = features("visits were not always made, and calls were missed.")
    assert {"were _ alway", "not _ made", "and _ were"} <= found  # stems, one word apart
    assert "made _ and" not in found and "alway _ and" not in found


def test_noted_is_not_read_as_a_negation() -> None:
    from findings.tagger_features import features

    assert "~visit" not in features("it was noted that home visits were completed.")


def test_a_concept_is_explained_by_the_phrase_of_it_in_the_sentence() -> None:
    from findings.tagger_features import original_words

    sentence = "The team was short staffed and several cases sat unallocated."
    assert original_words(sentence, ["concept:workload"]) == ["short staffed"]


def test_a_concept_is_marked_by_what_its_clause_says_of_practice() -> None:
    from findings.tagger_features import features

    mixed = features("home visits were thorough, but the police were not told.")
    assert "concept:home_visits@praise" in mixed
    assert "concept:information_sharing@short" in mixed
    assert "concept:home_visits@short" not in mixed
    assert "clauses:praise and shortfall" in mixed
    assert "concept:workload@short" in features("caseloads were unmanageable.")


def test_negated_shortfall_wording_marks_no_clause_as_falling_short() -> None:
    from findings.tagger_features import features

    for sentence in (
        "the practitioner did not accept his account at face value.",
        "his risk was not underestimated.",
    ):
        assert not [f for f in features(sentence) if f.endswith("@short")], sentence


def test_a_marked_concept_is_explained_by_its_phrase() -> None:
    from findings.tagger_features import original_words

    sentence = "Caseloads were unmanageable."
    assert original_words(sentence, ["concept:workload@short"]) == ["Caseloads"]


def test_the_general_sentences_are_grouped_by_batch_and_weigh_less() -> None:
    from findings.tagger_training import CODED_WEIGHT, GENERAL, shipped_examples

    every = shipped_examples()
    general = [e for e in every if e.file == GENERAL]
    coded = [e for e in every if e.file != GENERAL]
    # each batch of written sentences is a group (one invented document) of its own
    assert len(general) >= 3000 and len({e.group for e in general}) >= 100
    assert not {e.group for e in general} & {e.group for e in coded}
    assert len(shipped_examples(general=False)) == len(coded)
    # the nearer text weighs more in fitting
    assert {e.weight for e in general} == {1.0} and {e.weight for e in coded} == {CODED_WEIGHT}


def test_a_refit_reuses_the_settings_chosen_for_the_shipped_model() -> None:
    from findings.tagger_fit import DEFAULT_SETTING, POLARITY_KEY, fit_model
    from findings.tagger_model import shipped_model
    from findings.tagger_training import shipped_examples
    from findings.themes import builtin_slugs

    shipped = shipped_model().data["settings"]
    assert set(shipped) == {*builtin_slugs(), POLARITY_KEY}
    examples = shipped_examples(general=False)[::5]
    themes = ["workload", "victim", "my_own_theme"]
    refit = fit_model(examples, themes, Tagger(model=False).features_of, settings=shipped)
    assert refit["settings"]["workload"] == shipped["workload"]
    assert refit["settings"]["victim"] == shipped["victim"]
    assert refit["settings"][POLARITY_KEY] == shipped[POLARITY_KEY]
    assert refit["settings"]["my_own_theme"] == list(DEFAULT_SETTING)
