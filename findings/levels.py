"""Contributory levels: where in the system a finding's failure sits, and how leap suggests them.

Reviews say *what* went wrong; safety science (HFACS and the human factors frameworks used in
healthcare and aviation) asks *why* by placing each failure on a level of the system. leap uses
four levels, a fixed list whose display names a region may reword:

- ``practice``: the practitioner's own assessment, decisions and actions;
- ``supervision``: SPO oversight, case discussion, countersigning;
- ``organisation``: workload, staffing, training provision, systems and IT, policy and guidance;
- ``partnership``: police, children's services, prisons, health, accommodation and other agencies.

A weakness finding carries one or more levels and a strength may carry them too ("what made it
work"). :func:`suggest_levels` proposes levels from a finding's themes and a few words of its text,
each with its reason; the user confirms or changes them as they do themes.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date

from findings.models import LEVEL_ORDER, Level, LevelTag, TagOrigin
from findings.recurrence import SMALL_TOTAL

LEVEL_NAMES: dict[Level, str] = {
    Level.PRACTICE: "Practice",
    Level.SUPERVISION: "Supervision",
    Level.ORGANISATION: "Organisation",
    Level.PARTNERSHIP: "Partnership",
}
"""Default display names (a database may rename them; the values stay)."""

LEVEL_DESCRIPTIONS: dict[Level, str] = {
    Level.PRACTICE: "The practitioner's own assessment, decisions and actions.",
    Level.SUPERVISION: "SPO oversight, case discussion, countersigning.",
    Level.ORGANISATION: (
        "Workload, staffing, training provision, systems and IT, policy and guidance."
    ),
    Level.PARTNERSHIP: (
        "Police, children's services, prisons, health, accommodation and other agencies."
    ),
}

THEME_LEVELS: dict[str, Level] = {
    "risk_assessment": Level.PRACTICE,
    "professional_curiosity": Level.PRACTICE,
    "optimism_bias": Level.PRACTICE,
    "planning": Level.PRACTICE,
    "contingency_planning": Level.PRACTICE,
    "information_sharing": Level.PARTNERSHIP,
    "domestic_abuse": Level.PRACTICE,
    "safeguarding_children": Level.PARTNERSHIP,
    "home_visits": Level.PRACTICE,
    "interventions": Level.ORGANISATION,
    "enforcement": Level.PRACTICE,
    "mappa": Level.PARTNERSHIP,
    "victim": Level.PRACTICE,
    "untimely_review": Level.PRACTICE,
    "management_oversight": Level.SUPERVISION,
    "transfers": Level.ORGANISATION,
    "workload": Level.ORGANISATION,
    "training": Level.ORGANISATION,
    "recording": Level.PRACTICE,
    "diversity": Level.PRACTICE,
}
"""The level each built-in theme leans to (the migration derives old findings' levels from it)."""

_TEXT_CUES: dict[Level, tuple[str, ...]] = {
    Level.SUPERVISION: (
        "spo", "spos", "senior probation officer*", "management oversight", "manager*",
        "countersign*", "supervision session*", "case discussion*", "oversight",
    ),
    Level.ORGANISATION: (
        "caseload*", "workload*", "vacanc*", "staffing", "sickness absence", "training",
        "guidance", "policy", "policies", "it system*", "case management system", "ndelius",
        "resourc*", "waiting list*", "unallocated",
    ),
    Level.PARTNERSHIP: (
        "police", "children's services", "childrens services", "social care", "prison*",
        "health service*", "mental health", "gp", "accommodation provider*", "housing",
        "partner agenc*", "multi-agency", "mappa", "marac",
    ),
}  # fmt: skip
"""A few words that place a failure at a level whatever its themes (``*``: any ending)."""


# Text is cut into words once (punctuation to spaces, in C); words are then looked up in sets,
# word starts checked with one str.startswith over all stems, and phrases found with ``in``.
# (A regular expression of alternatives cost ~300 µs a narrative, too slow for large imports.)
_PUNCTUATION = str.maketrans({**dict.fromkeys('.,;:!?()[]{}"/\\“”…', " "), "’": "'", "‘": "'"})
_WORDS = {
    level: frozenset(c for c in cues if " " not in c and not c.endswith("*"))
    for level, cues in _TEXT_CUES.items()
}
_STEMS = {
    level: tuple(c[:-1] for c in cues if " " not in c and c.endswith("*"))
    for level, cues in _TEXT_CUES.items()
}
_ALL_STEMS = tuple(stem for stems in _STEMS.values() for stem in stems)
_PHRASES = {
    level: tuple(c.rstrip("*") for c in cues if " " in c) for level, cues in _TEXT_CUES.items()
}


def _cue_hits(text: str) -> dict[Level, list[str]]:
    """Each level's cue words and phrases found in ``text`` (lower case)."""
    text = text.translate(_PUNCTUATION)
    words = set(text.split())
    started = [w for w in words if w.startswith(_ALL_STEMS)]
    found: dict[Level, list[str]] = {}
    for level in _TEXT_CUES:
        hits = words & _WORDS[level]
        if started:
            stems = _STEMS[level]
            hits.update(w for w in started if w.startswith(stems))
        hits.update(p for p in _PHRASES[level] if p in text)
        if hits:
            found[level] = sorted(hits)
    return found


@dataclass(frozen=True)
class LevelSuggestion:
    """A level leap proposes for a finding and why."""

    level: Level
    reason: str


def suggest_levels(
    theme_slugs: Iterable[str],
    text: str = "",
    *,
    theme_names: dict[str, str] | None = None,
) -> list[LevelSuggestion]:
    """Levels the themes and text suggest, in the documented order, each with its reason.

    A theme leans to its level (``THEME_LEVELS``); words such as "SPO", "caseload" or "police"
    add supervision, organisation or partnership. A user theme without such words suggests
    nothing: the user places it.
    """
    names = theme_names or {}
    reasons: dict[Level, list[str]] = {}
    for slug in theme_slugs:
        level = THEME_LEVELS.get(slug)
        if level is not None:
            reasons.setdefault(level, []).append(f"theme {names.get(slug, slug)}")
    for level, hits in _cue_hits(text.lower()).items():
        reasons.setdefault(level, []).append("words " + ", ".join(f'"{w}"' for w in hits))
    return [
        LevelSuggestion(level, "; ".join(reasons[level]))
        for level in sorted(reasons, key=LEVEL_ORDER.__getitem__)
    ]


def suggested_tags(suggestions: Iterable[LevelSuggestion]) -> list[LevelTag]:
    """Suggestions as unconfirmed level tags (origin ``suggested``)."""
    return [LevelTag(level=s.level, origin=TagOrigin.SUGGESTED) for s in suggestions]


class LevelParseError(ValueError):
    """A level name that is not one of the four, worded for the user."""


def parse_level_tags(text: str, names: Mapping[Level, str] | None = None) -> list[LevelTag]:
    """Level tags from ``;``- (or ``,``-) separated values or display names, each maybe followed
    by ``:suggested``, ``:confirmed`` or ``:manual`` (as exports write them); unknown ones refused.
    """
    by_word = {level.value: level for level in Level}
    for known, name in (names or LEVEL_NAMES).items():
        by_word[name.strip().lower()] = known
    origins = {o.value: o for o in TagOrigin}
    tags: dict[Level, LevelTag] = {}
    for part in re.split(r"[;,]", text):
        word, _, origin_word = part.strip().lower().partition(":")
        word = word.strip()
        if not word:
            continue
        found = by_word.get(word)
        if found is None:
            raise LevelParseError(
                f"unknown level '{part.strip()}' (use {', '.join(v.value for v in Level)})"
            )
        origin = origins.get(origin_word.strip() or TagOrigin.MANUAL.value)
        if origin is None:
            raise LevelParseError(
                f"'{part.strip()}': a level's origin is suggested, confirmed or manual"
            )
        tags.setdefault(found, LevelTag(level=found, origin=origin))
    return sorted(tags.values(), key=lambda t: LEVEL_ORDER[t.level])


def parse_levels(text: str, names: Mapping[Level, str] | None = None) -> list[Level]:
    """Levels from ``;``-separated values or display names; unknown ones refused."""
    return [tag.level for tag in parse_level_tags(text, names)]


def levels_of_mask(mask: int) -> list[Level]:
    """The levels set in a bit mask (bit i is the i-th level in the documented order)."""
    return [level for level, i in LEVEL_ORDER.items() if mask >> i & 1]


def level_cell(count: int, total: int) -> str:
    """A count with its share of ``total``: '12 (40%)', or '2 of 4' when a share would mislead."""
    if total < SMALL_TOTAL:
        return f"{count} of {total}"
    return f"{count} ({round(100 * count / total)}%)"


@dataclass(frozen=True)
class ThemeLevels:
    """One theme's weakness findings in a period and how many sit at each level."""

    slug: str
    name: str
    findings: int
    at_level: Mapping[Level, int]

    def share(self, level: Level) -> float:
        """The share (0..1) of the theme's findings at ``level`` (a finding may sit at several)."""
        return self.at_level.get(level, 0) / self.findings if self.findings else 0.0


@dataclass(frozen=True)
class ThemeLevelReport:
    """Where a period's weakness findings sit: by theme and level, and overall against before.

    ``level_findings`` counts weakness findings at each level (a finding at two levels counts
    at both), ``unplaced`` those with no level; ``unconfirmed`` those whose levels include an
    unconfirmed suggestion (findings recorded before levels existed, or not yet reviewed).
    """

    period_start: date
    period_end: date
    previous_start: date
    previous_end: date
    level_names: Mapping[Level, str]
    themes: list[ThemeLevels] = field(default_factory=list)
    weakness_findings: int = 0
    level_findings: Mapping[Level, int] = field(default_factory=dict)
    unplaced: int = 0
    unconfirmed: int = 0
    previous_weakness_findings: int = 0
    previous_level_findings: Mapping[Level, int] = field(default_factory=dict)

    def level_share(self, level: Level, *, previous: bool = False) -> float:
        """The share (0..1) of the (previous) period's weakness findings at ``level``."""
        counts = self.previous_level_findings if previous else self.level_findings
        total = self.previous_weakness_findings if previous else self.weakness_findings
        return counts.get(level, 0) / total if total else 0.0

    def headers(self) -> list[str]:
        """Column headings of the theme x level table."""
        return ["Theme", "Findings", *(self.level_names.get(lv, lv.label) for lv in Level)]

    def table_rows(self, themes: Iterable[ThemeLevels] | None = None) -> list[list[str]]:
        """The table's rows: each theme (all, or those given), then all weakness findings."""
        rows = [
            [
                t.name,
                str(t.findings),
                *(level_cell(t.at_level.get(lv, 0), t.findings) for lv in Level),
            ]
            for t in (self.themes if themes is None else themes)
        ]
        total = self.weakness_findings
        rows.append(
            [
                "All weakness findings",
                str(total),
                *(level_cell(self.level_findings.get(lv, 0), total) for lv in Level),
            ]
        )
        return rows

    def to_json(self) -> dict[str, object]:
        """The report as JSON-ready data (levels by value, dates in ISO form)."""
        return {
            "period_start": self.period_start.isoformat(),
            "period_end": self.period_end.isoformat(),
            "previous_start": self.previous_start.isoformat(),
            "previous_end": self.previous_end.isoformat(),
            "levels": {str(lv): self.level_names.get(lv, lv.label) for lv in Level},
            "weakness_findings": self.weakness_findings,
            "level_findings": {str(lv): n for lv, n in self.level_findings.items()},
            "unplaced": self.unplaced,
            "unconfirmed": self.unconfirmed,
            "previous_weakness_findings": self.previous_weakness_findings,
            "previous_level_findings": {
                str(lv): n for lv, n in self.previous_level_findings.items()
            },
            "themes": [
                {
                    "slug": t.slug,
                    "name": t.name,
                    "findings": t.findings,
                    "at_level": {str(lv): n for lv, n in t.at_level.items()},
                }
                for t in self.themes
            ],
            "sentence": self.sentence(),
        }

    @property
    def leading_level(self) -> Level | None:
        """The level carrying most weakness findings (the earlier level on a tie), or None."""
        if not any(self.level_findings.values()):
            return None
        return max(Level, key=lambda lv: (self.level_findings.get(lv, 0), -LEVEL_ORDER[lv]))

    def sentence(self) -> str:
        """One sentence naming the level carrying most weaknesses and how it moved."""
        level = self.leading_level
        if level is None:
            return "No weakness finding of the period has a level yet."
        name = self.level_names.get(level, level.label)
        now = self.level_findings.get(level, 0)
        share = round(100 * self.level_share(level))
        text = (
            f"{name} carries most of the period's weaknesses: {now} of "
            f"{self.weakness_findings} weakness findings ({share}%) sit at that level"
        )
        if not self.previous_weakness_findings:
            text += "; the previous period has no weakness findings to compare with."
        else:
            before = round(100 * self.level_share(level, previous=True))
            was = self.previous_level_findings.get(level, 0)
            if share == before:
                moved = f"the same share as the previous period ({was} of "
            else:
                direction = "up" if share > before else "down"
                moved = f"{direction} from {before}% in the previous period ({was} of "
            text += f", {moved}{self.previous_weakness_findings})."
        if self.unconfirmed:
            text += (
                f" {self.unconfirmed} of these findings carry levels leap suggested that nobody"
                " has confirmed yet."
            )
        return text
