"""The one door through which the finding form asks for theme suggestions.

The form calls :func:`suggest_themes` and never imports the tagger, so the tagger can change (or
be missing, as on a branch where it has not landed) without touching the form.
"""

from __future__ import annotations

import re
from collections.abc import Container, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from findings.models import TagOrigin, Theme, ThemeTag

MAX_SUGGEST_CHARS = 20_000
"""Only the first part of a very long narrative is tagged, so typing never lags."""


@dataclass(frozen=True)
class Suggestion:
    """A theme the text suggests and the words that triggered it."""

    slug: str
    score: float
    evidence: tuple[str, ...]
    confidence: str = "possible"


_taggers: dict[tuple[object, ...], Any] = {}


def _tagger_for(
    user_themes: Sequence[Theme], model_text: str | None = None, model_packed: bytes | None = None
) -> Any | None:
    """The tagger (None if not installed), built once per distinct set of user themes and
    database model (a damaged or outdated stored model is passed over for the shipped one; its
    packed companion, when it fits, spares parsing it)."""
    try:
        from findings.tagger import Tagger, default_tagger
    except ImportError:
        return None
    if not user_themes and not model_text:
        return default_tagger()
    key = (tuple((t.slug, t.name, t.stage, tuple(t.cues)) for t in user_themes), model_text)
    if key not in _taggers:
        from findings.tagger_model import load_stored_model

        if len(_taggers) > 8:
            _taggers.clear()
        model = load_stored_model(model_text, model_packed)[0] if model_text else None
        _taggers[key] = Tagger(extra_themes=list(user_themes), model=model or True)
    return _taggers[key]


def _cue_matches(text: str, themes: Iterable[Theme]) -> list[Suggestion]:
    """Placeholder when no tagger is installed: typical wording or a theme's cues, verbatim.

    Far weaker than the tagger (no paraphrase, no negation), but it keeps the form's
    confirm/reject flow usable on a build without it.
    """
    from findings.themes import builtin_slugs, typical_wording

    cues: dict[str, list[str]] = {
        slug: [w.rstrip(".… ").lower() for w in typical_wording(slug)] for slug in builtin_slugs()
    }
    for theme in themes:
        cues.setdefault(theme.slug, []).extend(theme.cues)
    low = " ".join(text.lower().split())
    found = []
    for slug, phrases in cues.items():
        hits = tuple(c for c in phrases if c and re.search(rf"\b{re.escape(c)}\b", low))
        if hits:
            found.append(Suggestion(slug, float(len(hits)), hits))
    return sorted(found, key=lambda s: -s.score)


def suggest_themes(
    text: str,
    user_themes: Sequence[Theme] = (),
    model_text: str | None = None,
    model_packed: bytes | None = None,
) -> list[Suggestion]:
    """Themes the text suggests, strongest first, each with its evidence; ``model_text`` is
    the database's own fitted model, if it has one (``model_packed`` its packed companion)."""
    text = text[:MAX_SUGGEST_CHARS]
    if not text.strip():
        return []
    active = sorted((t for t in user_themes if t.active), key=lambda t: t.slug)
    tagger = _tagger_for(active, model_text, model_packed)
    if tagger is None:
        return _cue_matches(text, active)
    result = tagger.tag(text)
    return [
        Suggestion(s.slug, float(s.score), tuple(s.evidence), s.confidence) for s in result.themes
    ]


@dataclass
class ThemeChoices:
    """The themes a form is attaching: each tag's origin, suggestions' evidence, rejections.

    Suggestions are attached as ``suggested`` until the user confirms (``confirmed``) or rejects
    them; a rejected theme is not suggested again, in this form or (once the finding is saved
    with its rejections) any later one. Themes added by name are ``manual`` and clear a
    rejection. Pending suggestions made in this session that the text no longer supports drop
    off; tags loaded from the store are kept.
    """

    tags: dict[str, TagOrigin] = field(default_factory=dict)
    evidence: dict[str, tuple[str, ...]] = field(default_factory=dict)
    confidence: dict[str, str] = field(default_factory=dict)
    rejected: set[str] = field(default_factory=set)
    _session: set[str] = field(default_factory=set)

    @classmethod
    def from_tags(cls, tags: Iterable[ThemeTag], rejected: Iterable[str] = ()) -> ThemeChoices:
        """Choices starting from a stored finding's tags and the themes rejected for it."""
        return cls(tags={t.slug: t.origin for t in tags}, rejected=set(rejected))

    def apply(self, suggestions: Sequence[Suggestion], known: Container[str]) -> None:
        """Take in the latest suggestions for the text (unknown or inactive themes ignored)."""
        fresh = {s.slug: s for s in suggestions if s.slug in known}
        for slug in list(self._session):
            if slug not in fresh and self.tags.get(slug) is TagOrigin.SUGGESTED:
                del self.tags[slug]
                self._session.discard(slug)
        self.evidence = {slug: s.evidence for slug, s in fresh.items()}
        self.confidence = {slug: s.confidence for slug, s in fresh.items()}
        for slug in fresh:
            if slug not in self.tags and slug not in self.rejected:
                self.tags[slug] = TagOrigin.SUGGESTED
                self._session.add(slug)

    def confirm(self, slug: str) -> None:
        """The user agrees with a suggested theme."""
        if slug in self.tags:
            self.tags[slug] = TagOrigin.CONFIRMED
            self._session.discard(slug)

    def reject(self, slug: str) -> None:
        """The user removes a theme; it is not suggested for this finding again."""
        self.tags.pop(slug, None)
        self._session.discard(slug)
        self.rejected.add(slug)

    def add(self, slug: str) -> None:
        """The user attaches a theme by name (confirming it if it was suggested)."""
        self.rejected.discard(slug)
        self._session.discard(slug)
        current = self.tags.get(slug)
        if current is TagOrigin.SUGGESTED:
            self.tags[slug] = TagOrigin.CONFIRMED
        elif current is None:
            self.tags[slug] = TagOrigin.MANUAL

    def to_tags(self) -> list[ThemeTag]:
        """The tags to store, in the order they were attached."""
        return [ThemeTag(slug=slug, origin=origin) for slug, origin in self.tags.items()]
