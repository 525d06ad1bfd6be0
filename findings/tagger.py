"""Theme tagger: suggests practice-weakness themes and a polarity for a finding's text."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from functools import cache
from pathlib import Path
from typing import Any, NamedTuple, Protocol

from findings.cue_index import CueIndex
from findings.tagger_analysis import Analysis, TagResult, ThemeSuggestion
from findings.tagger_cue_table import shipped_openings, shipped_programs
from findings.tagger_features import features, original_words
from findings.tagger_model import ThemeModel, shipped_model
from findings.tagger_text import normalise

__all__ = [
    "POLARITIES",
    "TagResult",
    "Tagger",
    "ThemeSuggestion",
    "default_tagger",
]

POLARITIES = ("weakness", "strength", "mixed", "neutral")
"""The polarities a tag result can have."""


class TaggedTheme(Protocol):
    """What the tagger reads of a user's theme (findings.models.Theme, or the light
    db.tagger_store.TaggerTheme that `leap tag` reads without pydantic)."""

    @property
    def slug(self) -> str: ...
    @property
    def name(self) -> str: ...
    @property
    def builtin(self) -> bool: ...
    @property
    def active(self) -> bool: ...
    @property
    def cues(self) -> list[str]: ...
    @property
    def merged_into(self) -> str | None: ...


# --- compiling the rules ----------------------------------------------------------------------

_LOOKBEHIND = re.compile(r"\(\?<[!=][^)]*\)")


def _expand_spaces(pattern: str) -> str:
    """A space in a rule matches any run of white space, " ?" an optional one (lookbehinds
    must stay fixed-width, so they keep their single spaces)."""

    def expand(part: str) -> str:
        return part.replace(" ?", r"\s*").replace(" ", r"\s+")

    out, pos = [], 0
    for m in _LOOKBEHIND.finditer(pattern):
        out.append(expand(pattern[pos : m.start()]))
        out.append(m.group())
        pos = m.end()
    out.append(expand(pattern[pos:]))
    return "".join(out)


def _literal_cue(phrase: str) -> str:
    """A user's cue phrase as a pattern: matched literally, hyphens read as spaces."""
    words = normalise(phrase)[1].split()
    return " ".join(re.escape(w) for w in words)


class _ThemeRules(NamedTuple):
    """One theme of the tagger and whether its cues absorb the subjects that follow them."""

    slug: str
    absorbs: bool


@cache
def _raw_rules() -> dict[str, Any]:
    text = Path(__file__).with_name("data").joinpath("tagger_rules.json").read_text("utf-8")
    data: dict[str, Any] = json.loads(text)
    return data


# --- text handling: see findings.tagger_text and findings.tagger_analysis ------------------

_STOPWORDS = frozenset(
    re.findall(
        r"\w+",
        "the a an of to in on at for with by and or as that this these those their his her its"
        " they it was were is are be been had has have which who from into than there",
    )
)
_UNTELLING = _STOPWORDS | {
    *("he", "she", "him", "not", "no", "never", "about", "did", "0", "out", "were", "all"),
    *("mr", "mrs", "ms", "miss", "dr"),
    *("because", "if", "whether", "so", "said", "case", "cases"),
}
"""Words too plain to show as the evidence for a theme (a title says nothing of practice, and
the name after it is no evidence either)."""
_EXPLAINED_FEATURES = 12
"""The strongest features looked up in the sentence to find the words behind a theme."""
_OPENING_VERB = re.compile(r"^[^a-z]*(?:[a-z]+ly\s+)?([a-z]+)")
_NOT_IMPERATIVE_NEXT = frozenset(
    {"of", "was", "were", "is", "are", "has", "had", "and", "or", "to", "in", "for", "activity"}
)
_PAST_COPULA = re.compile(r"\b(?:was|were|had been|has been|have been)\b")


# --- the tagger -------------------------------------------------------------------------------


class Tagger:
    """Suggests weakness themes and a polarity: a fitted model reading each sentence's words,
    with the rules' own reading of the sentence among its features.

    The rules (below) split a sentence into clauses. A clause is a weakness when it holds deficit
    wording ("not", "insufficient", "delays in"...), praise when it holds only good-practice
    wording, and neutral when it is a recommendation. Only weakness clauses suggest themes: a
    theme's own weakness wording ("accepted at face value") counts alone; its subject wording
    ("home visits") counts when a deficit stands within a few words of it. What the rules find
    ("rule:home_visits", "rule polarity:strength") is read by the model like any word, so it
    trusts each rule as far as held-out data showed it right. The model suggests a theme only
    in a sentence it reads as a weakness (or mixed): praise and negated wording carry none.
    Themes the model does not know (a user's own, before --train) come from the rules alone;
    ``model=False`` gives the rules alone for every theme.
    """

    def __init__(
        self, extra_themes: Iterable[TaggedTheme] = (), model: ThemeModel | None | bool = True
    ) -> None:
        extra_themes = list(extra_themes)
        self.model: ThemeModel | None = (
            shipped_model() if model is True else model if isinstance(model, ThemeModel) else None
        )
        rules = _raw_rules()
        settings: dict[str, Any] = rules["settings"]
        self.threshold = float(settings["threshold"])
        self.window = int(settings["window"])
        self.max_chars = int(settings["max_chars"])
        self._min_deficit = float(settings["min_deficit"])
        self._min_positive = float(settings["min_positive"])
        self._imperatives = frozenset(rules["imperatives"])
        verbs = "|".join(sorted(v for v in self._imperatives if re.fullmatch("[a-z]+", v)))
        self._imperative_opening = re.compile(
            rf"[^a-z]*(?:{verbs})\s+([a-z']+)" if verbs else "(?!)"
        )
        self._binding = re.compile("(?:" + "|".join(rules["binding_deficits"]) + ")")

        self._cues = CueIndex(_STOPWORDS, shipped_openings(), shipped_programs())
        for category, weights in [
            ("deficit", rules["deficit"]),
            ("positive", rules["positive"]),
            ("neutral", dict.fromkeys(rules["neutralisers"], 0.8)),
            ("hypothetical", dict.fromkeys(rules["hypothetical"], 1.0)),
            ("anaphora", dict.fromkeys(rules["anaphora"], 1.0)),
            ("recommendation", dict.fromkeys(rules["recommendation"], 1.0)),
        ]:
            for pattern, weight in weights.items():
                self._cues.add(_expand_spaces(pattern), category, float(weight))
        self._themes: list[_ThemeRules] = []
        for slug, spec in self._theme_specs(rules["themes"], extra_themes).items():
            index = len(self._themes)
            self._themes.append(_ThemeRules(slug, spec["absorbs"]))
            for kind in ("self", "topic"):
                for pattern, weight in spec[kind].items():
                    self._cues.add(_expand_spaces(pattern), (kind, index), float(weight))
        self._absorbing = frozenset(i for i, theme in enumerate(self._themes) if theme.absorbs)
        self._slugs = [theme.slug for theme in self._themes]
        # what the model suggests follows the user's switching off and merging of themes
        self._renamed: dict[str, str | None] = {
            theme.slug: None if not theme.active else theme.merged_into
            for theme in extra_themes
            if not theme.active or theme.merged_into
        }

    @staticmethod
    def _theme_specs(
        builtin: dict[str, Any], extra: list[TaggedTheme]
    ) -> dict[str, dict[str, Any]]:
        """The built-in themes' cues merged with users' themes (added, disabled or merged)."""
        specs: dict[str, dict[str, Any]] = {
            slug: {
                "self": dict(spec.get("self", {})),
                "topic": dict(spec.get("topic", {})),
                "absorbs": bool(spec.get("absorbs")),
            }
            for slug, spec in builtin.items()
        }
        for theme in extra:
            if not theme.active:
                specs.pop(theme.slug, None)
                continue
            target = theme.merged_into or theme.slug
            spec = specs.setdefault(target, {"self": {}, "topic": {}, "absorbs": False})
            if theme.merged_into and theme.slug in specs:
                merged = specs.pop(theme.slug)
                for kind in ("self", "topic"):
                    spec[kind].update(merged[kind])
            cues = theme.cues or ([theme.name] if not theme.builtin else [])
            for cue in cues:
                pattern = _literal_cue(cue)
                if pattern:
                    spec["topic"][pattern] = 1.0
        return {slug: spec for slug, spec in specs.items() if spec["self"] or spec["topic"]}

    def tag(self, text: str, explain: bool = True) -> TagResult:
        """Suggest themes and a polarity for one finding's text; never raises on odd input.

        Without ``explain`` the suggestions carry no evidence (faster, for bulk tagging).
        """
        if not isinstance(text, str):
            text = text.decode("utf-8", "replace") if isinstance(text, bytes) else str(text)
        text = text[: self.max_chars]
        analysis = Analysis(self, text, explain)
        model = self.model
        if model is None:
            return analysis.result()
        low = analysis.low
        known = model.theme_set
        best: dict[str, ThemeSuggestion] = {}
        polarities = set()
        renamed = self._renamed
        for (start, end), rules in zip(analysis.sentences, analysis.per_sentence(), strict=True):
            found = self.sentence_features(low[start:end], rules)
            scored = model.score(found)
            polarities.add(scored.polarity)
            for index, probability, likely in scored.themes:
                slug = model.themes[index]
                if slug in renamed:
                    target = renamed[slug]
                    if target is None:
                        continue
                    slug = target
                if slug in best and best[slug].score >= probability:
                    continue
                evidence: tuple[str, ...] = ()
                if explain:
                    evidence = next((s.evidence for s in rules.themes if s.slug == slug), ())
                    if not evidence:
                        evidence = self._explain(model, found, index, text[start:end])
                    evidence = _without_repeats(evidence)
                best[slug] = ThemeSuggestion(
                    slug, round(probability, 3), evidence, "likely" if likely else "possible"
                )
            for rule_suggestion in rules.themes:  # themes the model cannot weigh
                if rule_suggestion.slug not in known and rule_suggestion.slug not in best:
                    best[rule_suggestion.slug] = rule_suggestion
        ranked = sorted(best.values(), key=lambda s: (-s.score, s.slug))
        return TagResult(tuple(ranked), _overall_polarity(polarities))

    @staticmethod
    def sentence_features(low: str, rules: TagResult) -> set[str]:
        """What the model reads in one sentence: its words and what the rules made of it."""
        found = features(low)
        if found:
            for suggestion in rules.themes:
                found.add("rule:" + suggestion.slug)
            found.add("rule polarity:" + rules.polarity)
        return found

    def features_of(self, text: str) -> set[str]:
        """The model's features of a text read as one sentence (as the model is fitted)."""
        text = text[: self.max_chars]
        return self.sentence_features(normalise(text)[1], Analysis(self, text).result())

    @staticmethod
    def _explain(model: ThemeModel, found: set[str], theme: int, sentence: str) -> tuple[str, ...]:
        """The sentence's words behind a theme: its features that added most to the score, as
        the words of the sentence (a concept shows its phrase that occurs); a word already shown
        inside a chosen phrase is not shown again."""
        wanted = [f for _, f in model.contributions(found, theme) if not f.startswith("rule")]
        candidates = list(
            dict.fromkeys(
                phrase
                for phrase in map(_trimmed, original_words(sentence, wanted[:_EXPLAINED_FEATURES]))
                if phrase
            )
        )[:6]
        in_phrases = {word for c in candidates if " " in c for word in c.split(" ")}
        return tuple([c for c in candidates if " " in c or c not in in_phrases][:3])

    def opens_with_verb(self, clause: str) -> bool:
        """Whether a (lower-cased) clause opens with a recommending verb, adverbs aside."""
        m = _OPENING_VERB.match(clause)
        return bool(m and m.group(1) in self._imperatives)

    def is_imperative(self, sentence: str) -> bool:
        """Whether a (lower-cased) sentence is a recommendation opening with a verb."""
        return self.is_imperative_at(sentence, 0, len(sentence))

    def is_imperative_at(self, low: str, start: int, end: int) -> bool:
        """Whether the sentence low[start:end] is a recommendation opening with a verb."""
        m = self._imperative_opening.match(low, start, end)  # its first word and the next
        return bool(
            m and m.group(1) not in _NOT_IMPERATIVE_NEXT and not _PAST_COPULA.search(low[start:end])
        )


def _without_repeats(evidence: tuple[str, ...]) -> tuple[str, ...]:
    """Evidence without a phrase that another one shown already holds ("not reviewed" beside
    "the plan was not reviewed")."""
    spaced = [f" {phrase.lower()} " for phrase in evidence]
    return tuple(
        phrase
        for phrase, inner in zip(evidence, spaced, strict=True)
        if not any(inner in outer and inner != outer for outer in spaced)
    )


def _trimmed(phrase: str) -> str:
    """A phrase of evidence without the plain words at its ends ("the address" -> "address",
    "Police were" -> "Police"); "" when nothing telling is left."""
    words = phrase.split(" ")
    while words and words[0].lower() in _UNTELLING:
        words.pop(0)
    while words and words[-1].lower() in _UNTELLING:
        words.pop()
    return " ".join(words)


def _overall_polarity(polarities: set[str]) -> str:
    """A text's polarity from its sentences': weakness and strength together are mixed."""
    if "mixed" in polarities or {"weakness", "strength"} <= polarities:
        return "mixed"
    for polarity in ("weakness", "strength"):
        if polarity in polarities:
            return polarity
    return "neutral"


@cache
def default_tagger() -> Tagger:
    """A shared tagger with the built-in rules only."""
    return Tagger()
