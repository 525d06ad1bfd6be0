"""Deterministic synthetic demo data: a plausible region-year of findings and case assessments."""

from __future__ import annotations

import uuid
from bisect import bisect
from collections.abc import Iterator, Mapping, Sequence
from datetime import date, timedelta
from itertools import accumulate
from random import Random
from typing import Any, TypeVar

from pydantic import BaseModel

from findings.levels import THEME_LEVELS
from findings.models import (
    INSPECTION_BASELINE,
    KEY_QUESTIONS,
    CaseAssessment,
    Finding,
    KeyAnswer,
    Level,
    LevelTag,
    Polarity,
    Rosh,
    SourceType,
    Stage,
    TagOrigin,
    ThemeTag,
)
from findings.themes import builtin_slugs

__all__ = [
    "DEMO_SEED",
    "generate_case_assessments",
    "generate_findings",
    "theme_weights",
    "theme_weights_at",
]

DEMO_SEED = 2026
"""The seed the CLI uses for ``leap demo`` unless told otherwise."""

_T = TypeVar("_T")
_M = TypeVar("_M", bound=BaseModel)

RECORDED_BY = "demo"
"""``recorded_by`` of every generated record, so demo data can be recognised and removed."""

# Personal data, deliberately (so redaction features have something to find): about 11% of
# findings and 12% of case assessments carry a synthetic CRN (a random letter and six digits),
# about 7% of narratives name a synthetic person by title and surname ("Mr Aldana"), and about
# 0.5% quote the CRN in the text. The surnames are invented for the demo; no real person's data.
_CRN_RATE = 0.12
_NAME_RATE = 0.18
_CRN_IN_TEXT_RATE = 0.2
_SURNAMES = (
    "Aldana", "Brereton", "Castellane", "Dunmore", "Elvery", "Farrant", "Gresley", "Halloran",
    "Iveson", "Jessup", "Kettleby", "Lowrie", "Marchetti", "Norcott", "Okonedo", "Penhale",
    "Quarrell", "Rusholme", "Sandival", "Tregothnan", "Umbers", "Varley", "Westacott", "Yelland",
)  # fmt: skip

# --------------------------------------------------------------------------------------------
# Proportions
# --------------------------------------------------------------------------------------------

_SOURCES = tuple(SourceType)
_SOURCE_WEIGHTS = {
    SourceType.SFO_REVIEW: 0.20,
    SourceType.AUDIT: 0.25,
    SourceType.INSPECTION: 0.10,
    SourceType.COMPLAINT: 0.12,
    SourceType.DEATH_UNDER_SUPERVISION: 0.06,
    SourceType.CASE_ASSESSMENT: 0.27,
}
# Findings per review/audit/complaint (a group shares ref, PDU, dates, case and RoSH).
_GROUP_SIZE = {
    SourceType.SFO_REVIEW: (2, 5),
    SourceType.AUDIT: (1, 4),
    SourceType.INSPECTION: (2, 5),
    SourceType.COMPLAINT: (1, 2),
    SourceType.DEATH_UNDER_SUPERVISION: (1, 3),
    SourceType.CASE_ASSESSMENT: (1, 2),
}
_WEAKNESS_RATE = {
    SourceType.SFO_REVIEW: 0.80,
    SourceType.AUDIT: 0.68,
    SourceType.INSPECTION: 0.62,
    SourceType.COMPLAINT: 0.66,
    SourceType.DEATH_UNDER_SUPERVISION: 0.70,
    SourceType.CASE_ASSESSMENT: 0.66,
}
# Relative size of each PDU's share of findings, cycled over the PDUs given.
_PDU_SHAPE = (1.6, 1.3, 0.7, 1.0, 1.15, 1.45, 0.85, 1.2, 0.6, 0.95)

_ROSH = (Rosh.LOW, Rosh.MEDIUM, Rosh.HIGH, Rosh.VERY_HIGH)
_ROSH_CUM_SFO = tuple(accumulate((3, 40, 45, 12)))
_ROSH_CUM = tuple(accumulate((10, 55, 30, 5)))

_OFFENCE_CATEGORIES = (
    ("murder", 14),
    ("manslaughter", 6),
    ("rape", 22),
    ("attempted murder", 10),
    ("other listed offence", 48),
)
_OFFENCE_WORDING = {
    "murder": ("murder",),
    "manslaughter": ("manslaughter",),
    "rape": ("rape", "rape of a former partner"),
    "attempted murder": ("attempted murder",),
    "other listed offence": (
        "causing grievous bodily harm with intent",
        "arson with intent to endanger life",
        "kidnapping",
        "robbery with a bladed article",
        "a serious sexual offence",
        "wounding with intent",
    ),
}
_COMPLAINT_OUTCOMES = (("upheld", 30), ("partly upheld", 35), ("not upheld", 35))
_SENTENCES = (
    "licence following release from custody",
    "a community order with a rehabilitation activity requirement",
    "a suspended sentence order",
    "post-sentence supervision",
    "licence after a short custodial sentence",
    "a community order with an accredited programme requirement",
    "licence with a condition to live in approved premises",
)
_DURATIONS = (
    "three weeks", "six weeks", "two months", "four months", "five months", "seven months",
    "eleven months", "eleven weeks",
)  # fmt: skip
_AUDITS: tuple[tuple[str, str], ...] = (
    ("Domestic abuse and safeguarding audit", "domestic_abuse"),
    ("Home visits thematic audit", "home_visits"),
    ("MAPPA level 1 case audit", "mappa"),
    ("Recall and enforcement decision audit", "enforcement"),
    ("RoSH assessment quality sampling", "risk_assessment"),
    ("Pre-release planning audit", "planning"),
    ("Transfers and handovers audit", "transfers"),
    ("Management oversight dip sample", "management_oversight"),
    ("Child safeguarding enquiries audit", "safeguarding_children"),
    ("Interventions and RAR delivery audit", "interventions"),
    ("Victim contact audit", "victim"),
    ("Contingency planning dip sample", "contingency_planning"),
)
_INSPECTIONS = (
    "Dynamic inspection of public protection",
    "Thematic inspection of domestic abuse practice",
    "Thematic inspection of recall decisions",
    "Inspection of approved premises",
)
_DEATH_CATEGORIES = (
    "self-inflicted", "drug-related", "natural causes", "awaiting inquest", "unclassified",
)  # fmt: skip
_REVIEW_METHODS = ("milestone mapping", "human factors analysis", "standard review")

# --------------------------------------------------------------------------------------------
# Themes over time
# --------------------------------------------------------------------------------------------

_BASE_WEIGHT: dict[str, float] = {
    "risk_assessment": 10.0,
    "professional_curiosity": 8.0,
    "optimism_bias": 4.0,
    "planning": 7.0,
    "contingency_planning": 4.5,
    "information_sharing": 8.0,
    "domestic_abuse": 7.0,
    "safeguarding_children": 6.0,
    "home_visits": 6.0,
    "interventions": 6.0,
    "enforcement": 4.5,
    "mappa": 3.5,
    "victim": 3.0,
    "untimely_review": 4.5,
    "management_oversight": 7.5,
    "transfers": 4.0,
    "workload": 5.0,
    "training": 4.5,
    "recording": 3.5,
    "diversity": 3.0,
}


def theme_weights(fraction: float) -> dict[str, float]:
    """Relative weight of each built-in theme at a point of the period (0 = start, 1 = end).

    The trends are deliberate, so trend views have something to show: optimism bias and
    information sharing rise through the period, contingency planning rises in the last third,
    home visits fall after mid-period, transfers and MAPPA fall gently, the rest stay flat.
    """
    t = min(1.0, max(0.0, fraction))
    weights = dict(_BASE_WEIGHT)
    weights["optimism_bias"] *= 0.45 + 1.6 * t
    weights["information_sharing"] *= 0.6 + 0.9 * t
    weights["home_visits"] *= 1.2 if t < 0.5 else 1.2 - 1.8 * (t - 0.5)
    weights["transfers"] *= 1.3 - 0.6 * t
    weights["mappa"] *= 1.15 - 0.3 * t
    weights["contingency_planning"] *= 1.0 if t < 0.66 else 1.0 + 3.0 * (t - 0.66)
    return weights


def theme_weights_at(day: date, start: date, end: date) -> dict[str, float]:
    """Relative weight of each built-in theme on ``day`` of the period [start, end]."""
    span = (end - start).days
    return theme_weights((day - start).days / span if span > 0 else 0.5)


# Source-specific emphasis (multiplies the dated weight).
_SOURCE_EMPHASIS: dict[SourceType, dict[str, float]] = {
    SourceType.SFO_REVIEW: {
        "risk_assessment": 1.6, "professional_curiosity": 1.6, "optimism_bias": 1.8,
        "contingency_planning": 1.5, "domestic_abuse": 1.4, "workload": 0.5, "training": 0.6,
    },
    SourceType.AUDIT: {"recording": 1.6, "home_visits": 1.3, "management_oversight": 1.2},
    SourceType.INSPECTION: {
        "workload": 2.5, "training": 2.5, "management_oversight": 1.8, "transfers": 1.8,
        "information_sharing": 1.5, "interventions": 1.4, "optimism_bias": 0.5,
    },
    SourceType.COMPLAINT: {
        "victim": 3.5, "recording": 2.0, "transfers": 1.8, "information_sharing": 1.4,
        "diversity": 1.8, "optimism_bias": 0.4, "mappa": 0.5,
    },
    SourceType.DEATH_UNDER_SUPERVISION: {
        "interventions": 2.2, "diversity": 2.0, "home_visits": 1.6, "information_sharing": 1.4,
        "mappa": 0.4, "victim": 0.3, "domestic_abuse": 0.6,
    },
    SourceType.CASE_ASSESSMENT: {
        "risk_assessment": 1.3, "planning": 1.5, "untimely_review": 1.5, "workload": 0.4,
        "training": 0.4,
    },
}  # fmt: skip

# Themes that tend to appear together (a second theme is drawn from here half of the time).
_AFFINITY: dict[str, tuple[str, ...]] = {
    "risk_assessment": ("professional_curiosity", "information_sharing", "domestic_abuse"),
    "professional_curiosity": ("optimism_bias", "risk_assessment", "home_visits"),
    "optimism_bias": ("professional_curiosity", "enforcement", "untimely_review"),
    "planning": ("contingency_planning", "victim", "interventions"),
    "contingency_planning": ("planning", "enforcement", "untimely_review"),
    "information_sharing": ("domestic_abuse", "safeguarding_children", "risk_assessment"),
    "domestic_abuse": ("information_sharing", "safeguarding_children", "victim"),
    "safeguarding_children": ("domestic_abuse", "information_sharing", "home_visits"),
    "home_visits": ("professional_curiosity", "safeguarding_children", "workload"),
    "interventions": ("planning", "workload", "diversity"),
    "enforcement": ("optimism_bias", "management_oversight", "recording"),
    "mappa": ("information_sharing", "management_oversight", "risk_assessment"),
    "victim": ("planning", "domestic_abuse", "information_sharing"),
    "untimely_review": ("management_oversight", "optimism_bias", "recording"),
    "management_oversight": ("workload", "untimely_review", "training"),
    "transfers": ("workload", "management_oversight", "recording"),
    "workload": ("management_oversight", "training", "transfers"),
    "training": ("workload", "domestic_abuse", "management_oversight"),
    "recording": ("management_oversight", "untimely_review", "enforcement"),
    "diversity": ("interventions", "professional_curiosity", "planning"),
}
_THEME_COUNT_CUM = tuple(accumulate((50, 35, 15)))
_ORIGIN_CUM = tuple(accumulate((78, 14, 8)))
_ORIGINS = (TagOrigin.CONFIRMED, TagOrigin.SUGGESTED, TagOrigin.MANUAL)

# --------------------------------------------------------------------------------------------
# Narrative fragments. Placeholders: {S} practitioner, {T} topic, {he}/{his}/{him} the person
# on probation. Clauses start lower case and carry no full stop; sentences are assembled.
# --------------------------------------------------------------------------------------------

_SUBJECTS = (
    "the practitioner", "the probation officer", "the PO", "the PSO", "the responsible officer",
    "the allocated PQiP", "the case manager", "the newly qualified officer", "the officer",
)  # fmt: skip

# slug -> (((clause template, matching summary template), ...), topics)
# fmt: off
_WEAKNESS: dict[str, tuple[tuple[tuple[str, str], ...], tuple[str, ...]]] = {
    "risk_assessment": (
        (
            ("the risk of serious harm assessment did not draw on all available information, "
             "including {T}", "Assessment did not draw on {T}"),
            ("{S} did not take account of {T} when assessing risk",
             "Risk assessment did not take account of {T}"),
            ("{he} was assessed as medium risk of serious harm when {T} indicated a higher level",
             "Assessed as medium RoSH despite {T}"),
            ("the assessment was inaccurate and incomplete, with no reference to {T}",
             "Inaccurate, incomplete assessment omitting {T}"),
            ("the risk of serious harm was set too low because {T} had not been considered",
             "RoSH set too low: {T} not considered"),
            ("{S} did not analyse {T}, and the risk to others was underestimated",
             "Risk to others underestimated; {T} not analysed"),
            ("the OASys assessment was completed without reference to {T}",
             "OASys completed without reference to {T}"),
            ("risk was underestimated: the assessment did not reflect {T}",
             "Risk underestimated; assessment did not reflect {T}"),
        ),
        (
            "{his} previous convictions for violence", "police call-outs to the address",
            "the domestic abuse history", "recent police intelligence",
            "{his} history of carrying weapons", "the escalation in {his} offending",
            "{his} previous breaches of restraining orders", "the pre-sentence report",
            "custody behaviour reports", "{his} threats towards a former partner",
        ),
    ),
    "professional_curiosity": (
        (
            ("{S} accepted {his} account of {T} at face value",
             "Account of {T} accepted at face value"),
            ("{S} did not question {his} explanation of {T}", "Explanation of {T} not questioned"),
            ("{his} self-report about {T} was not verified", "Self-report about {T} not verified"),
            ("{S} did not explore {T} or seek to corroborate what {he} said",
             "{T} not explored or corroborated"),
            ("{S} relied on {his} self-report about {T} without checking it",
             "Reliance on unchecked self-report about {T}"),
            ("there was a lack of professional curiosity about {T}",
             "Lack of professional curiosity about {T}"),
            ("{S} took {his} assurances about {T} at face value",
             "Assurances about {T} taken at face value"),
            ("nobody asked {him} about {T}, even when {his} presentation changed",
             "No questions asked about {T} as presentation changed"),
            ("{S} did not probe {T} and accepted what {he} said", "{T} not probed"),
        ),
        (
            "{his} new relationship", "where {he} was living", "{his} drug use",
            "{his} employment", "{his} contact with {his} children",
            "the reasons for missed appointments", "{his} alcohol use",
            "who else lived at the address", "{his} finances", "a police call-out",
        ),
    ),
    "optimism_bias": (
        (
            ("{S} was professionally optimistic about {his} progress, placing too much weight "
             "on {T}", "Professionally optimistic: too much weight on {T}"),
            ("the assessment was overly optimistic and focused on {T}, missing signs that risk "
             "was increasing", "Overly optimistic assessment focused on {T}"),
            ("{S} focused on compliance and missed warning signs, reassured by {T}",
             "Focus on compliance and {T} masked warning signs"),
            ("too much weight was given to {T}, and concerning information was discounted",
             "Concerns discounted; too much weight on {T}"),
            ("{S} took an overly optimistic view of the case because of {T}",
             "Optimism bias: {T} taken as reassurance"),
            ("{T} was treated as evidence that risk had reduced, although the underlying risk "
             "factors remained", "{T} read as reduced risk; risk factors remained"),
            ("{S} saw {T} as a sign of reduced risk and discounted reports of concern",
             "Reports of concern discounted because of {T}"),
        ),
        (
            "{his} good attendance", "{his} engagement in supervision",
            "{his} stated motivation to change", "{his} new job",
            "a period of stable accommodation", "a run of negative drug tests",
            "{his} compliance with licence conditions", "{his} positive presentation",
        ),
    ),
    "planning": (
        (
            ("the risk management plan lacked sufficient risk analysis and did not address {T}",
             "Plan lacked risk analysis and did not address {T}"),
            ("there was no risk management plan addressing {T}",
             "No risk management plan for {T}"),
            ("the plan was generic and did not set out how {T} would be managed",
             "Generic plan: no approach to {T}"),
            ("the initial supervision plan was written by the regional operations centre and "
             "{S} did not take ownership of it", "Supervision plan not owned by the practitioner"),
            ("the sentence plan included no actions to address {T}",
             "No sentence plan actions on {T}"),
            ("planning did not focus sufficiently on keeping other people safe, with no actions "
             "on {T}", "Planning did not focus on safety; nothing on {T}"),
            ("objectives in the plan were vague and not linked to {T}",
             "Vague plan objectives not linked to {T}"),
        ),
        (
            "the risk to a known adult", "{his} substance misuse", "{his} accommodation needs",
            "{his} release from custody", "the risk to the public", "{his} use of weapons",
            "{his} association with peers involved in offending",
        ),
    ),
    "contingency_planning": (
        (
            ("contingency plans were generic and gave no clear actions if {T}",
             "Generic contingency plan; no actions if {T}"),
            ("there were no clear actions if {T}", "No clear actions if {T}"),
            ("the contingency plan did not say what would happen if {T}",
             "Contingency plan silent on what to do if {T}"),
            ("no contingency planning was in place for what to do if {T}",
             "No contingency planning for if {T}"),
            ("contingency arrangements were vague, and nothing was agreed for what would happen "
             "if {T}", "Vague contingency arrangements if {T}"),
            ("the plan lacked contingencies, so there was no agreed response when {T}",
             "No agreed response when {T}"),
        ),
        (
            "{he} resumed contact with the victim", "{his} drug use escalated",
            "{he} lost {his} accommodation", "{he} stopped attending appointments",
            "police intelligence indicated renewed risk", "{his} relationship broke down",
        ),
    ),
    "information_sharing": (
        (
            ("no checks were requested from {T} at the start of the order, so information "
             "about risk was missing", "No checks requested from {T} at the start"),
            ("information held by {T} was not sought", "Information held by {T} not sought"),
            ("information was not shared with {T}", "Information not shared with {T}"),
            ("there were delays in information sharing with {T}",
             "Delays in information sharing with {T}"),
            ("{S} did not contact {T} to share concerns about escalating risk",
             "Concerns about escalating risk not shared with {T}"),
            ("information from {T} arrived late and was not acted on",
             "Late information from {T} not acted on"),
            ("relevant information from {T} was incomplete and was not followed up",
             "Incomplete information from {T} not followed up"),
            ("multi-agency information sharing with {T} was limited",
             "Limited information sharing with {T}"),
        ),
        (
            "the police", "children's services", "mental health services", "the prison",
            "the housing provider", "adult social care", "the substance misuse service",
        ),
    ),
    "domestic_abuse": (
        (
            ("no domestic abuse call-out check was requested, despite {T}",
             "No DA call-out check despite {T}"),
            ("domestic abuse risk was not explored, despite {T}",
             "Domestic abuse risk not explored despite {T}"),
            ("the domestic abuse enquiry was not followed up and the risk to {his} partner was "
             "not assessed, despite {T}", "DA enquiry not followed up; risk to partner unassessed"),
            ("{S} did not explore the risk of domestic abuse in {his} new relationship, despite "
             "{T}", "DA risk in new relationship not explored"),
            ("domestic abuse was not addressed in supervision despite {T}",
             "Domestic abuse not addressed despite {T}"),
            ("there was no assessment of the domestic abuse risk {he} posed to {his} new "
             "partner, despite {T}", "No assessment of DA risk to new partner"),
        ),
        (
            "previous police call-outs", "a history of controlling behaviour",
            "a former partner's disclosures", "a restraining order in a previous relationship",
            "a recent call-out to the address",
        ),
    ),
    "safeguarding_children": (
        (
            ("no safeguarding enquiry was made with the local authority despite {T}",
             "No safeguarding enquiry despite {T}"),
            ("{S} did not liaise with children's services about {T}",
             "No liaison with children's services about {T}"),
            ("the risk to children was not explored, despite {T}",
             "Risk to children not explored despite {T}"),
            ("{S} was aware of {T} but made no safeguarding referral",
             "No safeguarding referral despite {T}"),
            ("no checks were made with children's services when {S} learned of {T}",
             "Children's services not checked after learning of {T}"),
            ("{S} did not consider whether {T} raised child safeguarding concerns",
             "Child safeguarding not considered: {T}"),
        ),
        (
            "{his} contact with {his} children", "children living at {his} partner's address",
            "{his} partner's pregnancy", "a child in the household",
            "{his} unsupervised contact with a child",
        ),
    ),
    "home_visits": (
        (
            ("no home visit was undertaken {T}", "No home visit undertaken {T}"),
            ("{S} did not complete a home visit {T}", "Home visit not completed {T}"),
            ("home visits were not completed {T}", "No home visits {T}"),
            ("a home visit was planned but did not take place {T}",
             "Planned home visit did not happen"),
            ("the case was managed through office appointments only, and no home visit was "
             "made {T}", "Office appointments only; no home visit {T}"),
        ),
        (
            "despite concerns about who was living at the address", "after {he} moved address",
            "at the start of the order", "following release",
            "despite children being present at the address",
            "even though there were reports of drug use at the property",
        ),
    ),
    "interventions": (
        (
            ("{he} waited months for {T} and no alternative work was offered",
             "Waiting list for {T}; no alternative offered"),
            ("{he} was not referred to {T}", "Not referred to {T}"),
            ("the referral to {T} was missed", "Referral to {T} missed"),
            ("the referral to {T} was delayed and no interim work was delivered",
             "Referral to {T} delayed; no interim work"),
            ("work through {T} was not delivered, and RAR days were left unused",
             "Work through {T} not delivered; RAR days unused"),
            ("{S} did not make a referral to {T}, even though the need was identified",
             "Identified need but no referral to {T}"),
        ),
        (
            "Building Choices", "a drug and alcohol service",
            "commissioned rehabilitative services", "an accommodation service",
            "a domestic abuse programme", "CAS3 accommodation", "structured interventions",
            "an employment service",
        ),
    ),
    "enforcement": (
        (
            ("recall was delayed after {T}", "Recall delayed after {T}"),
            ("enforcement was inconsistent, and {T} did not lead to any action",
             "Inconsistent enforcement: no action on {T}"),
            ("breach was not initiated following {T}", "Breach not initiated after {T}"),
            ("{S} did not take enforcement action after {T}",
             "No enforcement action following {T}"),
            ("no recall was considered following {T}", "Recall not considered after {T}"),
            ("there was a delay of several weeks before breach proceedings after {T}",
             "Weeks of delay before breach after {T}"),
            ("warning letters were issued after {T}, but breach was not pursued",
             "Warnings but no breach after {T}"),
        ),
        (
            "missed appointments", "a positive drug test", "a breach of curfew", "{his} arrest",
            "non-compliance with licence conditions", "contact with the victim",
        ),
    ),
    "mappa": (
        (
            ("the case should have been managed at MAPPA level 2 after {T}",
             "Should have been MAPPA level 2 after {T}"),
            ("{he} was not referred to MAPPA, despite {T}", "Not referred to MAPPA despite {T}"),
            ("the MAPPA level was not escalated following {T}",
             "MAPPA level not escalated after {T}"),
            ("escalation from MAPPA level 1 to level 2 was delayed after {T}",
             "MAPPA escalation delayed after {T}"),
            ("ViSOR was not updated with {T}", "ViSOR not updated with {T}"),
            ("the MAPPA level 1 review did not take place before {T}",
             "MAPPA level 1 review not held before {T}"),
            ("the MAPPA category and level were wrongly identified, and {T} did not prompt a "
             "correction", "Wrong MAPPA category and level"),
        ),
        (
            "{his} arrest for a further offence", "new intelligence from the police",
            "{his} escalating behaviour", "{his} release into the community",
            "concerns raised by the victim",
        ),
    ),
    "victim": (
        (
            ("there was no consideration of the victim's safety when preparing for {T}",
             "Victim's safety not considered for {T}"),
            ("victim contact was not maintained, and the victim liaison unit was not told of {T}",
             "Victim liaison unit not told of {T}"),
            ("the victim's safety was not considered ahead of {T}",
             "Victim safety not considered before {T}"),
            ("{S} did not liaise with the victim liaison officer about {T}",
             "No victim liaison about {T}"),
            ("the victim's family were not told about {T}", "Victim's family not told about {T}"),
            ("no victim safety planning took place before {T}",
             "No victim safety planning before {T}"),
        ),
        (
            "{his} release", "the change of address", "{his} move into the area",
            "the variation of licence conditions", "the approved premises placement",
        ),
    ),
    "untimely_review": (
        (
            ("the assessment was not reviewed following {T}",
             "Assessment not reviewed following {T}"),
            ("there was a lack of reviewing activity after {T}",
             "Lack of reviewing activity after {T}"),
            ("no review of risk took place after {T}", "No review of risk after {T}"),
            ("the plan was not reviewed when circumstances changed after {T}",
             "Plan not reviewed after {T}"),
            ("the risk assessment was not updated after {T}",
             "Risk assessment not updated after {T}"),
            ("the review was completed late, several weeks after {T}", "Late review after {T}"),
            ("reviewing did not focus on keeping other people safe after {T}",
             "Review after {T} did not focus on safety"),
        ),
        (
            "the arrest", "{his} change of address", "the new relationship",
            "the police call-out", "{his} release", "the loss of {his} accommodation",
            "the disclosure by {his} partner",
        ),
    ),
    "management_oversight": (
        (
            ("management oversight was insufficient and did not identify {T}",
             "Insufficient management oversight of {T}"),
            ("there was no evidence of SPO oversight of {T}",
             "No evidence of SPO oversight of {T}"),
            ("the SPO countersigned the assessment without challenging {T}",
             "SPO countersigned without challenging {T}"),
            ("management oversight did not correct {T}", "Oversight did not correct {T}"),
            ("case supervision with the SPO did not address {T}",
             "SPO case supervision did not address {T}"),
            ("the SPO did not pick up {T} in supervision", "SPO did not pick up {T}"),
        ),
        (
            "the weaknesses in practice", "the drift in the case", "the gaps in the assessment",
            "the lack of progress", "the concerns raised by the practitioner",
            "the quality of the work",
        ),
    ),
    "transfers": (
        (
            ("the transfer between PDUs took {T}, and no one held the risk during that time",
             "Transfer between PDUs took {T}"),
            ("the handover was not completed when the case was reallocated, and contact lapsed "
             "for {T}", "Handover not completed; contact lapsed for {T}"),
            ("the case moved between three practitioners in {T} with no handover",
             "Three practitioners in {T} without handover"),
            ("the transfer from custody to community was poorly managed and contact lapsed "
             "for {T}", "Poor custody-to-community transfer; {T} without contact"),
            ("continuity was lost during a transfer that took {T}",
             "Continuity lost in a {T} transfer"),
            ("the receiving PDU did not pick up the case for {T}",
             "Receiving PDU did not pick up the case for {T}"),
        ),
        ("four months", "ten weeks", "several months", "over three months", "six weeks"),
    ),
    "workload": (
        (
            ("{S} was carrying a high workload and had little time for the case during {T}",
             "High workload left little time for the case"),
            ("high workloads and a vacancy rate of over 30 per cent in the team limited the "
             "time available over {T}", "Vacancy rate over 30% limited time for the case"),
            ("the case was unallocated for {T} because of staff shortages",
             "Case unallocated for {T} due to staff shortages"),
            ("staffing pressures meant supervision was reduced to brief telephone contact for "
             "{T}", "Staffing pressure: telephone-only contact for {T}"),
            ("practitioners described unmanageable workloads over {T} and prioritised imminent "
             "releases", "Unmanageable workloads; imminent releases prioritised"),
            ("the team had operated as a red site with significant vacancies for {T}",
             "Red-site team with vacancies for {T}"),
            ("staff churn meant the case was held by agency staff for {T}",
             "Staff churn: agency cover for {T}"),
        ),
        ("four months", "ten weeks", "several months", "six weeks", "most of the order"),
    ),
    "training": (
        (
            ("{S} had not been trained in {T}", "Practitioner not trained in {T}"),
            ("newly qualified staff felt unprepared for {T}",
             "Newly qualified staff unprepared for {T}"),
            ("{S} lacked the knowledge and confidence needed for {T}",
             "Knowledge and confidence gap in {T}"),
            ("{S} had not completed training in {T} and was unsure of the process",
             "Training in {T} not completed"),
            ("practitioners had skills gaps in {T}", "Skills gaps in {T}"),
            ("PQiP training had not prepared {S} for {T}", "PQiP training did not cover {T}"),
        ),
        (
            "managing high-risk cases", "sexual offence cases", "the recall process",
            "structured interventions", "complex risk management",
        ),
    ),
    "recording": (
        (
            ("{T} were not recorded on the case management system",
             "{T} not recorded on the case management system"),
            ("there was no record of {T}", "No record of {T}"),
            ("case notes did not record {T}", "Case notes did not record {T}"),
            ("{S} did not record {T}", "{T} not recorded"),
            ("gaps in case recording meant {T} could not be found",
             "Recording gaps: {T} could not be found"),
        ),
        (
            "the outcomes of supervision sessions", "key decisions",
            "contacts with the person on probation", "telephone contacts",
            "the reasons for changes in the risk level",
        ),
    ),
    "diversity": (
        (
            ("diversity needs were not considered, including {T}",
             "Diversity needs not considered, including {T}"),
            ("no adaptations were made for {T}", "No adaptations for {T}"),
            ("{S} did not take account of {T} when arranging appointments",
             "Appointments took no account of {T}"),
            ("{T} was known but was not reflected in how supervision was delivered",
             "{T} not reflected in supervision"),
            ("{S} did not explore how {T} affected {his} engagement",
             "Effect of {T} on engagement not explored"),
            ("individual needs were overlooked, and {T} was not addressed",
             "Individual needs overlooked: {T}"),
        ),
        (
            "{his} autism diagnosis", "{his} learning disability", "{his} ADHD",
            "{his} limited English", "{his} role as a carer", "{his} hearing impairment",
            "{his} mental health condition",
        ),
    ),
}
# fmt: on

_WEAKNESS_TAILS = (
    ", which was a missed opportunity",
    ", and the significance of this was not recognised",
    ", leaving gaps in the management of risk",
    ", which limited the ability to keep other people safe",
    ", and this was not identified until after the event",
    ", so the picture of risk was incomplete",
)

# Good practice: area -> (stage, ((clause template, matching summary template), ...), topics)
# fmt: off
_STRENGTH: dict[str, tuple[Stage, tuple[tuple[str, str], ...], tuple[str, ...]]] = {
    "curiosity": (
        Stage.ASSESSMENT,
        (
            ("there was good evidence of professional curiosity, with {S} checking {his} "
             "account of {T}", "Good professional curiosity: account of {T} checked"),
            ("{S} showed professional curiosity, verifying what {he} said about {T}",
             "Self-report about {T} verified"),
            ("{S} explored {T} in depth and sought corroboration from partner agencies",
             "{T} explored in depth and corroborated"),
            ("{S} asked probing questions about {T} and followed up the answers",
             "Probing questions about {T} followed up"),
        ),
        (
            "{his} new relationship", "where {he} was living", "{his} drug use",
            "{his} employment", "a police call-out", "{his} finances",
        ),
    ),
    "assessment": (
        Stage.ASSESSMENT,
        (
            ("the risk of serious harm assessment was thorough and drew on {T}",
             "Thorough RoSH assessment drawing on {T}"),
            ("{S} produced a well-evidenced assessment of risk that took account of {T}",
             "Well-evidenced risk assessment using {T}"),
            ("the assessment analysed {T} and the risk level was well reasoned",
             "Risk level well reasoned from {T}"),
        ),
        (
            "police intelligence and previous convictions", "the call-out history",
            "information from children's services", "custody behaviour reports",
        ),
    ),
    "home_visit": (
        Stage.IMPLEMENTATION_DELIVERY,
        (
            ("home visits were completed promptly {T}", "Prompt home visits {T}"),
            ("{S} completed an early home visit {T}, which gave a clearer picture of risk",
             "Early home visit {T} clarified risk"),
            ("a joint home visit with the police took place {T}",
             "Joint home visit with police {T}"),
        ),
        (
            "after release", "when {he} moved address", "at the start of the order",
            "after concerns were raised",
        ),
    ),
    "sharing": (
        Stage.IMPLEMENTATION_DELIVERY,
        (
            ("information sharing with {T} was timely and effective",
             "Timely information sharing with {T}"),
            ("{S} made prompt checks with {T} and shared concerns quickly",
             "Prompt checks with {T}"),
            ("regular liaison with {T} meant risk information was current",
             "Regular liaison with {T} kept risk information current"),
        ),
        ("the police", "children's services", "mental health services", "the prison"),
    ),
    "domestic_abuse": (
        Stage.ASSESSMENT,
        (
            ("domestic abuse call-out checks were requested promptly and {T}",
             "Prompt DA call-out checks; {T}"),
            ("{S} explored the domestic abuse history carefully, and {T}",
             "Careful exploration of DA history"),
            ("the risk to {his} partner was assessed with the police, and {T}",
             "Risk to partner assessed with the police"),
        ),
        (
            "the results informed the assessment", "licence conditions reflected the risk",
            "the plan set out clear protective actions",
        ),
    ),
    "children": (
        Stage.IMPLEMENTATION_DELIVERY,
        (
            ("{S} worked closely with children's services and attended {T}",
             "Practitioner attended {T} with children's services"),
            ("joint work with children's services was strong, including {T}",
             "Strong joint work with children's services: {T}"),
        ),
        ("the child protection conference", "core group meetings", "a joint visit"),
    ),
    "plan": (
        Stage.PLANNING,
        (
            ("the risk management plan was clear, specific and linked to {T}",
             "Clear, specific plan linked to {T}"),
            ("planning was well focused on keeping other people safe, with actions on {T}",
             "Plan focused on safety with actions on {T}"),
        ),
        ("the risk factors identified", "the risk to a known adult", "{his} substance misuse"),
    ),
    "contingency": (
        Stage.PLANNING,
        (
            ("contingency plans set out clear actions if {T}",
             "Clear contingency actions if {T}"),
            ("the plan anticipated what to do if {T}, and this was followed when it happened",
             "Contingency plan for if {T} was followed"),
        ),
        (
            "{he} lost {his} accommodation", "{he} resumed contact with the victim",
            "{his} drug use escalated",
        ),
    ),
    "enforcement": (
        Stage.IMPLEMENTATION_DELIVERY,
        (
            ("recall was initiated swiftly after {T}", "Swift recall after {T}"),
            ("enforcement was prompt and proportionate following {T}",
             "Proportionate enforcement after {T}"),
        ),
        ("{his} arrest", "missed appointments", "contact with the victim"),
    ),
    "mappa": (
        Stage.IMPLEMENTATION_DELIVERY,
        (
            ("MAPPA level 2 meetings were well attended and {T}",
             "Effective MAPPA level 2 management"),
            ("the case was appropriately referred to MAPPA and {T}",
             "Appropriate MAPPA referral"),
        ),
        (
            "the level was kept under consideration", "ViSOR was kept up to date",
            "actions were followed up",
        ),
    ),
    "victim": (
        Stage.PLANNING,
        (
            ("the victim liaison officer was kept informed about {T}, and licence conditions "
             "reflected the victim's wishes", "Victim liaison kept informed about {T}"),
            ("victim safety was central to planning for {T}",
             "Victim safety central to planning for {T}"),
        ),
        ("{his} release", "the approved premises placement", "the change of address"),
    ),
    "review": (
        Stage.REVIEWING,
        (
            ("the assessment was reviewed promptly after {T}", "Prompt review after {T}"),
            ("{S} reviewed the plan straight after {T} and adjusted the risk management",
             "Plan adjusted straight after {T}"),
        ),
        ("the arrest", "{his} change of address", "the new relationship"),
    ),
    "oversight": (
        Stage.ORGANISATIONAL,
        (
            ("the SPO provided effective oversight of {T}, challenging the risk level and "
             "agreeing actions", "Effective SPO oversight of {T}"),
            ("insight reviews enabled early identification of {T}",
             "Insight reviews identified {T} early"),
            ("case supervision with the SPO was reflective and addressed {T}",
             "Reflective SPO supervision addressed {T}"),
        ),
        ("the emerging risks", "the change in circumstances", "the risk to children"),
    ),
    "interventions": (
        Stage.IMPLEMENTATION_DELIVERY,
        (
            ("{he} was referred promptly to {T} and completed the work",
             "Prompt referral to {T}; work completed"),
            ("the one referral hub secured a quick start with {T}",
             "Quick start with {T} via the referral hub"),
        ),
        (
            "Building Choices", "a drug and alcohol service", "CAS3 accommodation",
            "an employment service",
        ),
    ),
    "diversity": (
        Stage.ASSESSMENT,
        (
            ("supervision was adapted well for {T}", "Supervision adapted for {T}"),
            ("{S} made sensible adjustments for {T}, which supported engagement",
             "Adjustments for {T} supported engagement"),
        ),
        ("{his} autism diagnosis", "{his} learning disability", "{his} hearing impairment"),
    ),
    "learning": (
        Stage.ORGANISATIONAL,
        (
            ("reflective practice sessions and human factors workshops on {T} helped staff "
             "understand the 'why' behind decisions", "Human factors workshops on {T}"),
            ("the team used milestone mapping to learn from {T}",
             "Milestone mapping used to learn from {T}"),
            ("mentoring for newly qualified officers covered {T} well",
             "Mentoring for new officers covered {T}"),
        ),
        ("a previous SFO", "recent audit results", "recall decisions"),
    ),
    "transfer": (
        Stage.ORGANISATIONAL,
        (
            ("the transfer was well managed, with a three-way handover meeting {T}",
             "Well-managed transfer with handover meeting {T}"),
            ("the handover from custody to community was seamless, with contact {T}",
             "Seamless handover: contact {T}"),
        ),
        ("on the day of release", "within two days", "before the case moved"),
    ),
}
# fmt: on

_STRENGTH_CLOSINGS = (
    "This was highlighted as good practice to share across the region.",
    "This supported effective management of the risk of serious harm.",
    "This is an example of purposeful rather than process-driven practice.",
    "The SPO has shared the case with the team as an example.",
    "The panel noted this as practice to recognise.",
)
_STRENGTH_LEADS = (
    "Notably, ",
    "Positively, ",
    "",
    "It was clear that ",
    "Good practice was evident: ",
)

_LEADS: dict[SourceType, tuple[str, ...]] = {
    SourceType.SFO_REVIEW: (
        "The review found that ", "Milestone mapping showed that ",
        "The human factors analysis identified that ", "The reviewing officer concluded that ",
        "", "In this case, ", "It was evident that ",
    ),
    SourceType.AUDIT: (
        "The audit found that ", "In this case, ", "The auditor noted that ", "",
        "Case records showed that ",
    ),
    SourceType.INSPECTION: (
        "Inspectors found that ", "Inspectors noted that ", "", "In this case, ",
    ),
    SourceType.COMPLAINT: (
        "The investigation found that ", "The complaint response acknowledged that ", "",
        "In this case, ",
    ),
    SourceType.DEATH_UNDER_SUPERVISION: (
        "The review found that ", "", "Records showed that ", "The review identified that ",
    ),
    SourceType.CASE_ASSESSMENT: (
        "The assessor found that ", "", "In this case, ", "The case assessment found that ",
    ),
}  # fmt: skip
_STRENGTH_LEAD_TEXT = {
    src: tuple(lead for lead in leads if "acknowledged" not in lead) + _STRENGTH_LEADS
    for src, leads in _LEADS.items()
}
_CONNECTIVES = (
    "In addition, ", "Furthermore, ", "Alongside this, ", "", "", "Separately, ",
    "Linked to this, ", "At the same time, ", "Later, ", "The SPO accepted that ",
)  # fmt: skip
_WEAKNESS_CLOSINGS: dict[SourceType, tuple[str, ...]] = {
    SourceType.SFO_REVIEW: (
        "The review concluded that these were missed opportunities rather than a direct "
        "cause of the further offence.",
        "These gaps were not identified before the further offence.",
        "Learning from the review is to be taken to the next LEAP.",
    ),
    SourceType.AUDIT: (
        "The same pattern was seen in other sampled cases in the PDU.",
        "Actions have been agreed with the SPO.",
    ),
    SourceType.INSPECTION: (
        "Inspectors judged that this was not an isolated example.",
        "This was reflected in the inspection's recommendations.",
    ),
    SourceType.COMPLAINT: (
        "An apology was offered and learning was shared with the team.",
        "The complainant was informed of the actions taken.",
    ),
    SourceType.DEATH_UNDER_SUPERVISION: (
        "The review did not find that this caused the death, but it was a missed "
        "opportunity to offer support.",
        "Learning was shared with the approved premises and the team.",
    ),
    SourceType.CASE_ASSESSMENT: (
        "The key question was answered No for this case.",
        "Feedback was given to the practitioner and the SPO.",
    ),
}  # fmt: skip
_GENERIC_CLOSINGS = (
    "This meant that opportunities to manage the risk of serious harm were missed.",
    "As a result, the risk {he} posed to others was not fully understood.",
    "This has been seen in other cases and is recurring learning.",
)


def _contexts(source: SourceType) -> tuple[str, ...]:
    """Case background sentence templates; {W} is who, {O} offence, {D} duration, {Q} sentence."""
    if source is SourceType.SFO_REVIEW:
        return (
            "{W} was charged with {O} while subject to {Q}.",
            "{W} had been under supervision for {D} when {he} was charged with {O}.",
            "The review examined how {W} was managed in the {D} before the charge of {O}.",
            "{W} was subject to {Q} and was later charged with {O}.",
        )
    if source is SourceType.AUDIT:
        return (
            "{W} was supervised on {Q} and had been allocated for {D}.",
            "This case was one of those sampled; {W} was subject to {Q}.",
            "{W} had been on {Q} for {D} at the time of the audit.",
        )
    if source is SourceType.INSPECTION:
        return (
            "Inspectors examined the case of {W}, who was subject to {Q}.",
            "{W} had been supervised for {D} on {Q} when the case was inspected.",
        )
    if source is SourceType.COMPLAINT:
        return (
            "The complaint concerned the management of {W}, who was subject to {Q}.",
            "A family member complained about how {W} had been supervised over {D}.",
            "The complaint was made by a victim about the supervision of {W} on {Q}.",
        )
    if source is SourceType.DEATH_UNDER_SUPERVISION:
        return (
            "{W} died while subject to {Q}.",
            "{W} died {D} into {Q}.",
            "The review considered the last {D} of contact before {W} died.",
        )
    return (
        "{W} was subject to {Q} and was assessed using the regional case assessment tool.",
        "The case assessment covered the first {D} of supervision of {W} on {Q}.",
    )


# --------------------------------------------------------------------------------------------
# Precomputed, pronoun-expanded tables (built once at import)
# --------------------------------------------------------------------------------------------

_PRONOUNS = (
    {"{he}": "he", "{his}": "his", "{him}": "him"},
    {"{he}": "she", "{his}": "her", "{him}": "her"},
)
_FEMALE_RATE = 0.12


def _pron(text: str, gender: int) -> str:
    for key, value in _PRONOUNS[gender].items():
        text = text.replace(key, value)
    return text


def _expand(items: Sequence[str], gender: int) -> tuple[str, ...]:
    return tuple(_pron(item, gender) for item in items)


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


_W_TEXT = [
    {
        slug: (
            _expand([clause for clause, _ in pairs], g),
            _expand(topics, g),
            _expand([summary for _, summary in pairs], g),
        )
        for slug, (pairs, topics) in _WEAKNESS.items()
    }
    for g in (0, 1)
]
_S_TEXT = [
    {
        area: (
            stage,
            _expand([clause for clause, _ in pairs], g),
            _expand(topics, g),
            _expand([summary for _, summary in pairs], g),
        )
        for area, (stage, pairs, topics) in _STRENGTH.items()
    }
    for g in (0, 1)
]
_STRENGTH_AREAS = tuple(_STRENGTH)
_CONTEXT_TEXT = [{src: _expand(_contexts(src), g) for src in _SOURCES} for g in (0, 1)]
_GENERIC_CLOSING_TEXT = [_expand(_GENERIC_CLOSINGS, g) for g in (0, 1)]
_WHO = (
    ("He", "The man", "The person on probation"),
    ("She", "The woman", "The person on probation"),
)
_TITLES = ("Mr", "Ms")
_OBJECT_WHO = ("the man", "the person on probation")
_THEME_STAGE = {
    "risk_assessment": Stage.ASSESSMENT,
    "professional_curiosity": Stage.ASSESSMENT,
    "optimism_bias": Stage.ASSESSMENT,
    "planning": Stage.PLANNING,
    "contingency_planning": Stage.PLANNING,
    "information_sharing": Stage.IMPLEMENTATION_DELIVERY,
    "domestic_abuse": Stage.ASSESSMENT,
    "safeguarding_children": Stage.IMPLEMENTATION_DELIVERY,
    "home_visits": Stage.IMPLEMENTATION_DELIVERY,
    "interventions": Stage.IMPLEMENTATION_DELIVERY,
    "enforcement": Stage.IMPLEMENTATION_DELIVERY,
    "mappa": Stage.IMPLEMENTATION_DELIVERY,
    "victim": Stage.PLANNING,
    "untimely_review": Stage.REVIEWING,
    "management_oversight": Stage.ORGANISATIONAL,
    "transfers": Stage.ORGANISATIONAL,
    "workload": Stage.ORGANISATIONAL,
    "training": Stage.ORGANISATIONAL,
    "recording": Stage.REVIEWING,
    "diversity": Stage.ASSESSMENT,
}
_CASE_STAGES = (
    Stage.ASSESSMENT, Stage.PLANNING, Stage.IMPLEMENTATION_DELIVERY, Stage.REVIEWING,
)  # fmt: skip
_ORG_THEMES = frozenset(("workload", "training"))

# Contributory levels: each theme's own level, plus a level the source adds with a chance (SFO
# reviews find supervision that did not catch the failure, audits and inspections find
# organisational causes, deaths under supervision find partner agencies).
_EXTRA_LEVEL: dict[SourceType, tuple[tuple[Level, float], ...]] = {
    SourceType.SFO_REVIEW: ((Level.SUPERVISION, 0.45), (Level.PARTNERSHIP, 0.08)),
    SourceType.AUDIT: ((Level.ORGANISATION, 0.35), (Level.SUPERVISION, 0.15)),
    SourceType.INSPECTION: ((Level.ORGANISATION, 0.5), (Level.SUPERVISION, 0.15)),
    SourceType.COMPLAINT: ((Level.PRACTICE, 0.3), (Level.ORGANISATION, 0.15)),
    SourceType.DEATH_UNDER_SUPERVISION: ((Level.PARTNERSHIP, 0.55), (Level.ORGANISATION, 0.1)),
    SourceType.CASE_ASSESSMENT: ((Level.SUPERVISION, 0.15), (Level.ORGANISATION, 0.1)),
}
_LEVEL_SEED_OFFSET = 0x1E7E1
_STRENGTH_LEVEL_RATE = 0.3
_STRENGTH_LEVELS = (Level.PRACTICE, Level.PRACTICE, Level.SUPERVISION, Level.PARTNERSHIP)
_LEVEL_CONFIRMED_RATE = 0.85
_LEVEL_BITS = {level: 1 << i for i, level in enumerate(Level)}
# The same as bits, looked up once per finding (the generator's hot path).
_THEME_BITS = {slug: _LEVEL_BITS[level] for slug, level in THEME_LEVELS.items()}
_EXTRA_BITS = {
    source: tuple((_LEVEL_BITS[level], chance) for level, chance in extras)
    for source, extras in _EXTRA_LEVEL.items()
}
_STRENGTH_BITS = tuple(_LEVEL_BITS[level] for level in _STRENGTH_LEVELS)
_ORG_BIT = _LEVEL_BITS[Level.ORGANISATION]

assert set(_WEAKNESS) == set(builtin_slugs()) == set(_BASE_WEIGHT) == set(_AFFINITY)

_TIME_BINS = 48


# --------------------------------------------------------------------------------------------
# Generation
# --------------------------------------------------------------------------------------------


def _check_args(count: int, pdus: Sequence[str], start: date, end: date) -> None:
    if count < 0:
        raise ValueError("count must be zero or more")
    if end < start:
        raise ValueError("end is before start")
    if count and not pdus:
        raise ValueError("at least one PDU is needed")


def _pdu_cum(pdus: Sequence[str]) -> list[float]:
    return list(accumulate(_PDU_SHAPE[i % len(_PDU_SHAPE)] for i in range(len(pdus))))


def _pick(rng: _Rng, items: Sequence[str], cum: Sequence[float]) -> str:
    return items[bisect(cum, rng.random() * cum[-1])]


# Enum members as plain module constants: class-attribute access to enum members is slow.
_SFO = SourceType.SFO_REVIEW
_AUDIT = SourceType.AUDIT
_INSPECTION = SourceType.INSPECTION
_COMPLAINT = SourceType.COMPLAINT
_DEATH = SourceType.DEATH_UNDER_SUPERVISION
_ORGANISATIONAL = Stage.ORGANISATIONAL
_WEAKNESS_P = Polarity.WEAKNESS
_STRENGTH_P = Polarity.STRENGTH
_ROSH_UNKNOWN = Rosh.UNKNOWN
_ROSH_WORDS = {rosh: rosh.label.lower() for rosh in Rosh}

_setattr = object.__setattr__


def _construct(cls: type[_M], values: dict[str, Any]) -> _M:
    """``cls.model_construct(**values)`` for trusted values that name every field, in order.

    ``model_construct`` spends most of its time on per-field alias and default look-ups that
    cannot apply when every field is given, so this sets the same four attributes it sets
    (the tests check the result equals ``model_construct``'s); models with post-init hooks,
    private attributes or extra fields go through ``model_construct`` itself.
    """
    if cls not in _FAST_OK:
        return cls.model_construct(**values)
    model = cls.__new__(cls)
    _setattr(model, "__dict__", values)
    _setattr(model, "__pydantic_fields_set__", set(values))
    _setattr(model, "__pydantic_extra__", None)
    _setattr(model, "__pydantic_private__", None)
    return model


def _fast_ok(cls: type[BaseModel]) -> bool:
    return (
        not cls.__pydantic_post_init__
        and not cls.__private_attributes__
        and cls.model_config.get("extra") != "allow"
        and not cls.__pydantic_root_model__
    )


_FAST_OK = frozenset(cls for cls in (Finding, ThemeTag, LevelTag, CaseAssessment) if _fast_ok(cls))

# Every combination of levels, confirmed or not, built once: findings share these tags.
_LEVEL_TAGS: list[tuple[tuple[LevelTag, ...], tuple[LevelTag, ...]]] = [
    tuple(
        tuple(
            _construct(LevelTag, {"level": level, "origin": origin})
            for level, bit in _LEVEL_BITS.items()
            if mask & bit
        )
        for origin in (TagOrigin.SUGGESTED, TagOrigin.CONFIRMED)
    )  # type: ignore[misc]
    for mask in range(1 << len(Level))
]


class _Rng(Random):
    """``random.Random`` with a cheaper ``choice`` (one ``random()`` call per draw)."""

    def choice(self, seq: Sequence[_T]) -> _T:  # type: ignore[override]
        return seq[int(self.random() * len(seq))]

    def below(self, n: int) -> int:
        """A whole number in [0, n)."""
        return int(self.random() * n)


def _crn(rng: _Rng) -> str:
    return f"{chr(65 + rng.below(26))}{rng.below(1_000_000):06d}"


_UUID_CLEAR = ~((0xF000 << 64) | (0xC000 << 48))
_UUID_SET = (4 << 76) | (0x8000 << 48)


def _uuid(rng: _Rng) -> uuid.UUID:
    """A version-4 UUID from the seeded stream: ``UUID(int=bits, version=4)``, precomputed masks."""
    return uuid.UUID(int=(rng.getrandbits(128) & _UUID_CLEAR) | _UUID_SET)


class _Case:
    """What the findings of one review, audit case or complaint share."""

    __slots__ = (
        "source", "ref", "pdu", "event", "recorded", "fraction", "rosh", "crn", "gender",
        "who", "who_first", "details", "offence", "focus", "org",
    )  # fmt: skip

    def __init__(self) -> None:
        self.source: SourceType = _AUDIT
        self.ref = ""
        self.pdu = ""
        self.event = date.min
        self.recorded = date.min
        self.fraction = 0.0
        self.rosh = _ROSH_UNKNOWN
        self.crn: str | None = None
        self.gender = 0
        self.who = "He"
        self.who_first = "He"
        self.details: dict[str, str] = {}
        self.offence = ""
        self.focus: str | None = None
        self.org = False


class _Generator:
    """Holds the per-call tables (PDU weights, dated theme weights) and draws findings."""

    def __init__(
        self,
        seed: int,
        pdus: Sequence[str],
        start: date,
        end: date,
        theme_emphasis: Mapping[str, float] | None = None,
    ) -> None:
        self.rng = _Rng(seed)
        # Levels draw from their own stream, so adding them left every other draw as it was.
        self.level_rng = _Rng(seed + _LEVEL_SEED_OFFSET)
        self.pdus = list(pdus)
        self.pdu_cum = _pdu_cum(pdus)
        self.start = start
        self.end = end
        self.span = (end - start).days
        self.days = [start + timedelta(days=d) for d in range(self.span + 1)]
        # groups are drawn in proportion to share / mean group size, so findings keep the shares
        self.source_cum = list(
            accumulate(_SOURCE_WEIGHTS[s] / sum(_GROUP_SIZE[s]) for s in _SOURCES)
        )
        self.slugs = tuple(_BASE_WEIGHT)
        # theme cumulative weights per (source, time bin)
        self.theme_cum: dict[SourceType, list[list[float]]] = {}
        for source in _SOURCES:
            emphasis = _SOURCE_EMPHASIS[source]
            bins = []
            for b in range(_TIME_BINS):
                weights = theme_weights((b + 0.5) / _TIME_BINS)
                extra = theme_emphasis or {}
                bins.append(
                    list(
                        accumulate(
                            weights[s] * emphasis.get(s, 1.0) * extra.get(s, 1.0)
                            for s in self.slugs
                        )
                    )
                )
            self.theme_cum[source] = bins
        self.offence_cum = list(accumulate(w for _, w in _OFFENCE_CATEGORIES))
        self.offences = [name for name, _ in _OFFENCE_CATEGORIES]
        self.outcome_cum = list(accumulate(w for _, w in _COMPLAINT_OUTCOMES))
        self.outcomes = [name for name, _ in _COMPLAINT_OUTCOMES]
        self.serial: dict[tuple[SourceType, int], int] = {}

    # -- groups -------------------------------------------------------------------------

    def _next_serial(self, source: SourceType, year: int) -> int:
        key = (source, year)
        value = self.serial.get(key, 0) + 1
        self.serial[key] = value
        return value

    def new_case(self) -> tuple[_Case, int]:
        rng = self.rng
        rand = rng.random
        case = _Case()
        source = _SOURCES[bisect(self.source_cum, rand() * self.source_cum[-1])]
        case.source = source
        offset = int(rand() * (self.span + 1))
        case.event = self.days[offset]
        case.fraction = offset / self.span if self.span else 0.5
        lag = 3 + int(rand() * 43) if source is not _SFO else 14 + int(rand() * 47)
        case.recorded = self.days[min(self.span, offset + lag)]
        case.pdu = _pick(rng, self.pdus, self.pdu_cum)
        year = case.event.year
        details: dict[str, str] = {}
        if source is _SFO:
            case.ref = f"SFO-{year}-{self._next_serial(source, year):03d}"
            category = _pick(rng, self.offences, self.offence_cum)
            details["offence_category"] = category
            details["review_method"] = rng.choice(_REVIEW_METHODS)
            case.offence = rng.choice(_OFFENCE_WORDING[category])
        elif source is _AUDIT:
            name, focus = rng.choice(_AUDITS)
            quarter = (case.event.month - 1) // 3 + 1
            case.ref = f"AUD-{year}-Q{quarter}-{self._next_serial(source, year):03d}"
            details["audit_name"] = name
            case.focus = focus
        elif source is _INSPECTION:
            name = rng.choice(_INSPECTIONS)
            case.ref = f"HMIP-{year}-{self._next_serial(source, year):02d}"
            details["inspection"] = name
            case.org = rand() < 0.45
        elif source is _COMPLAINT:
            case.ref = f"CMP-{year}-{self._next_serial(source, year):04d}"
            details["outcome"] = _pick(rng, self.outcomes, self.outcome_cum)
        elif source is _DEATH:
            case.ref = f"DUS-{year}-{self._next_serial(source, year):03d}"
            details["category"] = rng.choice(_DEATH_CATEGORIES)
        else:
            quarter = (case.event.month - 1) // 3 + 1
            case.ref = f"RCAT-{year}-Q{quarter}"
            details["audit_ref"] = case.ref
        case.details = details
        if case.org:
            case.rosh = _ROSH_UNKNOWN
        else:
            cum = _ROSH_CUM_SFO if source is _SFO else _ROSH_CUM
            case.rosh = _ROSH[bisect(cum, rand() * cum[-1])]
            if rand() < _CRN_RATE:
                case.crn = _crn(rng)
        gender = 1 if rand() < _FEMALE_RATE else 0
        case.gender = gender
        case.who = rng.choice(_WHO[gender])
        case.who_first = case.who
        if not case.org and rand() < _NAME_RATE:
            case.who_first = f"{_TITLES[gender]} {rng.choice(_SURNAMES)}"
        if case.crn is not None and rand() < _CRN_IN_TEXT_RATE:
            named = case.who_first if case.who_first[0] == "M" else "The person on probation"
            case.who_first = f"{named} ({case.crn})"
        low, high = _GROUP_SIZE[source]
        return case, low + int(rand() * (high - low + 1))

    # -- findings -----------------------------------------------------------------------

    def _themes(self, case: _Case) -> list[str]:
        rng = self.rng
        cum = self.theme_cum[case.source][min(_TIME_BINS - 1, int(case.fraction * _TIME_BINS))]
        slugs = self.slugs
        if case.focus is not None and rng.random() < 0.5:
            first = case.focus
        else:
            first = slugs[bisect(cum, rng.random() * cum[-1])]
        n = bisect(_THEME_COUNT_CUM, rng.random() * 100) + 1
        chosen = [first]
        tries = 0
        while len(chosen) < n and tries < 8:
            tries += 1
            if rng.random() < 0.5:
                slug = rng.choice(_AFFINITY[chosen[-1]])
            else:
                slug = slugs[bisect(cum, rng.random() * cum[-1])]
            if slug not in chosen:
                chosen.append(slug)
        return chosen

    def _context(self, case: _Case, first: bool) -> str:
        rng = self.rng
        template = rng.choice(_CONTEXT_TEXT[case.gender][case.source])
        who = case.who_first if first else case.who
        text = (
            template.replace("{Q}", rng.choice(_SENTENCES))
            .replace("{D}", rng.choice(_DURATIONS))
            .replace("{O}", case.offence)
        )
        if text.startswith("{W}"):
            return who + text[3:]
        if who[0] != "M":
            who = "the woman" if case.gender else rng.choice(_OBJECT_WHO)
        return text.replace("{W}", who)

    def weakness(self, case: _Case, first: bool) -> tuple[list[str], str, str, Stage]:
        # Hot path: ``seq[int(rand() * len(seq))]`` is ``rng.choice(seq)`` without the call.
        rand = self.rng.random
        slugs = self._themes(case)
        table = _W_TEXT[case.gender]
        sentences: list[str] = []
        if not case.org and (first or rand() < 0.75) and len(slugs) < 3:
            sentences.append(self._context(case, first))
        leads = _LEADS[case.source]
        summaries: list[str] = []
        last_connective = -1
        for i, slug in enumerate(slugs):
            clauses, topics, sums = table[slug]
            topic = topics[int(rand() * len(topics))]
            j = int(rand() * len(clauses))
            clause = clauses[j].replace("{T}", topic)
            if "{S}" in clause:
                clause = clause.replace("{S}", _SUBJECTS[int(rand() * len(_SUBJECTS))])
            if rand() < 0.25:
                clause += _WEAKNESS_TAILS[int(rand() * len(_WEAKNESS_TAILS))]
            if i:
                k = int(rand() * len(_CONNECTIVES))
                if k == last_connective:
                    k = (k + 1) % len(_CONNECTIVES)
                last_connective = k
                lead = _CONNECTIVES[k]
            else:
                lead = leads[int(rand() * len(leads))]
            text = lead + clause
            sentences.append(text[0].upper() + text[1:] + ".")
            if i < 2:
                summaries.append(sums[j].replace("{T}", topic))
        if len(sentences) < 2 or (len(sentences) < 4 and rand() < 0.35):
            closings = (
                _WEAKNESS_CLOSINGS[case.source]
                if rand() < 0.6
                else _GENERIC_CLOSING_TEXT[case.gender]
            )
            sentences.append(closings[int(rand() * len(closings))])
        summary = summaries[0]
        summary = summary[0].upper() + summary[1:]
        if len(summaries) > 1 and rand() < 0.6:
            two = f"{summary}; {summaries[1][0].lower()}{summaries[1][1:]}"
            if len(two) < 110:
                summary = two
        if case.org or slugs[0] in _ORG_THEMES:
            stage = _ORGANISATIONAL
        elif rand() < 0.15:
            stage = _CASE_STAGES[int(rand() * len(_CASE_STAGES))]
        else:
            stage = _THEME_STAGE[slugs[0]]
        return slugs, self._summary_extras(case, summary, stage), " ".join(sentences), stage

    def _summary_extras(self, case: _Case, summary: str, stage: Stage) -> str:
        """Sometimes prefix the review reference or add the RoSH level; keep under 120."""
        rand = self.rng.random
        roll = rand()
        if case.source is _SFO and roll < 0.3:
            extended = f"{case.ref}: {summary}"
        elif roll > 0.8 and case.rosh is not _ROSH_UNKNOWN and stage is not _ORGANISATIONAL:
            extended = f"{summary} ({_ROSH_WORDS[case.rosh]} RoSH)"
        else:
            extended = summary
        if len(extended) < 120:
            return extended
        if len(summary) < 120:
            return summary
        return summary[:116].rstrip(" ;,:") + "..."

    def strength(self, case: _Case, first: bool) -> tuple[str, str, Stage]:
        rand = self.rng.random
        gender_text = _S_TEXT[case.gender]
        area = _STRENGTH_AREAS[int(rand() * len(_STRENGTH_AREAS))]
        stage, clauses, topics, sums = gender_text[area]
        sentences: list[str] = []
        if not case.org and (first or rand() < 0.6):
            sentences.append(self._context(case, first))
        summary = ""
        count = 2 if rand() < 0.35 else 1
        for i in range(count):
            if i:
                k = _STRENGTH_AREAS.index(area) + 1 + int(rand() * (len(_STRENGTH_AREAS) - 1))
                area = _STRENGTH_AREAS[k % len(_STRENGTH_AREAS)]
                _, clauses, topics, _ = gender_text[area]
                lead = "In addition, "
            else:
                leads = _STRENGTH_LEAD_TEXT[case.source]
                lead = leads[int(rand() * len(leads))]
            topic = topics[int(rand() * len(topics))]
            j = int(rand() * len(clauses))
            clause = clauses[j].replace("{T}", topic)
            if "{S}" in clause:
                clause = clause.replace("{S}", _SUBJECTS[int(rand() * len(_SUBJECTS))])
            text = lead + clause
            sentences.append(text[0].upper() + text[1:] + ".")
            if not i:
                summary = sums[j].replace("{T}", topic)
                summary = summary[0].upper() + summary[1:]
        if len(sentences) < 2 or (len(sentences) < 4 and rand() < 0.4):
            sentences.append(_STRENGTH_CLOSINGS[int(rand() * len(_STRENGTH_CLOSINGS))])
        if rand() < 0.3 and not summary.startswith("Good"):
            summary = f"Good practice: {summary[0].lower()}{summary[1:]}"
        if case.org:
            stage = _ORGANISATIONAL
        return self._summary_extras(case, summary, stage), " ".join(sentences), stage

    def levels(self, case: _Case, slugs: Sequence[str] | None) -> list[LevelTag]:
        """Levels for a weakness (its themes' levels and maybe its source's) or a strength."""
        rand = self.level_rng.random
        if slugs is None:
            if rand() >= _STRENGTH_LEVEL_RATE:
                return []
            mask = _STRENGTH_BITS[int(rand() * len(_STRENGTH_BITS))]
        else:
            mask = _ORG_BIT if case.org else 0
            for slug in slugs:
                mask |= _THEME_BITS[slug]
            for bit, chance in _EXTRA_BITS[case.source]:
                if rand() < chance:
                    mask |= bit
        # One origin for the finding's levels: confirmed by its recorder, or not yet.
        return list(_LEVEL_TAGS[mask][rand() < _LEVEL_CONFIRMED_RATE])

    def findings(self, count: int) -> Iterator[Finding]:
        rng = self.rng
        made = 0
        while made < count:
            case, size = self.new_case()
            weakness_rate = _WEAKNESS_RATE[case.source]
            outcome = case.details.get("outcome")
            if outcome == "not upheld":
                weakness_rate = 0.35
            elif outcome == "upheld":
                weakness_rate = 0.9
            for k in range(min(size, count - made)):
                if rng.random() < weakness_rate:
                    slugs, summary, narrative, stage = self.weakness(case, k == 0)
                    polarity = _WEAKNESS_P
                    themes = [
                        _construct(
                            ThemeTag,
                            {
                                "slug": s,
                                "origin": _ORIGINS[bisect(_ORIGIN_CUM, rng.random() * 100)],
                            },
                        )
                        for s in slugs
                    ]
                    levels = self.levels(case, slugs)
                else:
                    summary, narrative, stage = self.strength(case, k == 0)
                    polarity = _STRENGTH_P
                    themes = []
                    levels = self.levels(case, None)
                yield _construct(
                    Finding,
                    {
                        "id": _uuid(rng),
                        "source_type": case.source,
                        "source_ref": case.ref,
                        "pdu": case.pdu,
                        "event_date": case.event,
                        "recorded_date": case.recorded,
                        "stage": stage,
                        "polarity": polarity,
                        "summary": summary,
                        "narrative": narrative,
                        "rosh": case.rosh,
                        "crn": case.crn,
                        "themes": themes,
                        "rejected_themes": [],
                        "levels": levels,
                        "details": dict(case.details),
                        "recorded_by": RECORDED_BY,
                        "version": 1,
                        "updated_at": None,
                        "deleted_at": None,
                    },
                )
                made += 1


def generate_findings(
    seed: int,
    count: int,
    *,
    pdus: Sequence[str],
    start: date,
    end: date,
    theme_emphasis: Mapping[str, float] | None = None,
) -> Iterator[Finding]:
    """Yield ``count`` synthetic findings for the PDUs over [start, end], the same for a seed.

    Findings come in groups that share a source reference (an SFO review yields several),
    all six source types appear in plausible proportions, PDUs get uneven shares, about 70%
    are weaknesses tagged with 1-3 built-in themes whose weights follow :func:`theme_weights`,
    and the rest are good practice with no themes. Models are built with ``model_construct``
    for speed; the data are valid by construction (the tests validate a sample).
    ``theme_emphasis`` multiplies some themes' weights (a region's own pattern of weaknesses).
    """
    _check_args(count, pdus, start, end)
    if count == 0:
        return iter(())
    return _Generator(seed, pdus, start, end, theme_emphasis).findings(count)


def _key_question_yes_rate(question: str, fraction: float, pdu_index: int) -> float:
    """Chance of Yes among applicable cases: from about the baseline, up ~12 points by the end."""
    pdu_offset = (-4.0, 3.0, -1.5, 5.0, 0.0, -3.0, 2.0)[pdu_index % 7]
    return (INSPECTION_BASELINE[question] - 2.0 + 12.0 * fraction + pdu_offset) / 100.0


_NA_RATE = {
    "assessment": 0.01,
    "planning": 0.03,
    "implementation_delivery": 0.08,
    "reviewing": 0.12,
}


def generate_case_assessments(
    seed: int, count: int, *, pdus: Sequence[str], start: date, end: date
) -> Iterator[CaseAssessment]:
    """Yield ``count`` synthetic case assessments (regional case assessment tool, quarterly refs).

    % Yes per key question starts near the inspection baseline (34, 46, 36, 42) and improves by
    about twelve points over the period, with some PDUs a little better than others; a few
    answers are "n/a". About 12% carry a synthetic CRN.
    """
    _check_args(count, pdus, start, end)
    return _case_assessments(seed, count, pdus, start, end)


def _case_assessments(
    seed: int, count: int, pdus: Sequence[str], start: date, end: date
) -> Iterator[CaseAssessment]:
    rng = _Rng(seed ^ 0x5CA5E)
    pdu_cum = _pdu_cum(pdus)
    span = (end - start).days
    questions = tuple(KEY_QUESTIONS)
    for _ in range(count):
        offset = rng.below(span + 1)
        day = start + timedelta(days=offset)
        fraction = offset / span if span else 0.5
        index = bisect(pdu_cum, rng.random() * pdu_cum[-1])
        answers: dict[str, KeyAnswer] = {}
        for q in questions:
            if rng.random() < _NA_RATE[q]:
                answers[q] = KeyAnswer.NOT_APPLICABLE
            elif rng.random() < _key_question_yes_rate(q, fraction, index):
                answers[q] = KeyAnswer.YES
            else:
                answers[q] = KeyAnswer.NO
        quarter = (day.month - 1) // 3 + 1
        yield _construct(
            CaseAssessment,
            {
                "id": _uuid(rng),
                "audit_ref": f"RCAT-{day.year}-Q{quarter}",
                "pdu": pdus[index],
                "assessed_on": day,
                "rosh": _ROSH[bisect(_ROSH_CUM, rng.random() * _ROSH_CUM[-1])],
                "crn": _crn(rng) if rng.random() < _CRN_RATE else None,
                "answers": answers,
                "finding_ids": [],
                "recorded_by": RECORDED_BY,
            },
        )
