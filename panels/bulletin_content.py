"""Why each built-in theme matters and the questions a practitioner can ask themselves about it."""

from __future__ import annotations

WHY_IT_MATTERS: dict[str, str] = {
    "risk_assessment": "An assessment that misses what is already known sets the risk too low, "
    "and every plan built on it inherits the gap.",
    "professional_curiosity": "Accounts accepted at face value hide the changes in a person's "
    "life that come before serious harm.",
    "optimism_bias": "Weighting compliance and positive signs over risk lets warning signs go "
    "unexplored until it is too late.",
    "planning": "Without a plan that analyses risk and names who does what, the work to keep "
    "people safe is left to chance.",
    "contingency_planning": "When risk escalates there is little time; a clear contingency plan "
    "says what to do before it is needed.",
    "information_sharing": "Police, children's services and partners often hold the piece of "
    "information that changes the risk picture.",
    "domestic_abuse": "Domestic abuse is one of the most common routes to serious harm; call-out "
    "checks and enquiries are how we see it.",
    "safeguarding_children": "Children in contact with the person may be at risk; joint work with "
    "children's services is how we protect them.",
    "home_visits": "A home visit shows who lives there and how the person really lives, which an "
    "office appointment cannot.",
    "interventions": "Risk is reduced by the work delivered, not the work planned; delays and "
    "missing referrals leave risk untreated.",
    "enforcement": "Slow or inconsistent responses to non-compliance tell the person the order "
    "does not matter, and delay recall when risk rises.",
    "mappa": "MAPPA brings agencies together around the highest-risk cases; the wrong level or a "
    "missed referral removes that protection.",
    "victim": "Victims' safety depends on our knowing who they are and planning around them.",
    "untimely_review": "Risk changes after an arrest, a move or a relationship ending; a plan "
    "that is not reviewed no longer fits the person.",
    "management_oversight": "Managers' oversight is the second pair of eyes that catches weak "
    "practice before harm happens.",
    "transfers": "Risk information is lost at handovers; continuity breaks when a case changes "
    "hands without a proper transfer.",
    "workload": "High caseloads and vacancies squeeze the time for the checks, visits and "
    "reviews that keep people safe.",
    "training": "Practitioners need the knowledge and skills for the cases they hold, especially "
    "when newly qualified.",
    "recording": "If a decision or contact is not recorded, the next practitioner cannot build "
    "on it and managers cannot check it.",
    "diversity": "Work that ignores a person's needs or characteristics is less likely to engage "
    "them or to manage their risk.",
}

QUESTIONS: dict[str, list[str]] = {
    "risk_assessment": [
        "Have I drawn on every source: previous convictions, police call-outs, intelligence?",
        "Does the RoSH level reflect the worst the person has done, not just the current offence?",
        "What would make me raise the risk level, and have I looked for it?",
    ],
    "professional_curiosity": [
        "What have I been told that I have not checked?",
        "Who else could confirm or contradict this account?",
        "What would I ask if this were the first time I met this person?",
    ],
    "optimism_bias": [
        "Am I weighting attendance and compliance over what the person is actually doing?",
        "What evidence would change my view, and have I looked for it?",
        "Would a colleague reading the record reach the same view?",
    ],
    "planning": [
        "Does my plan say how each risk will be managed, by whom and by when?",
        "Is the plan specific to this person, or could it belong to anyone?",
        "Have I shared the plan with the partners who have a part in it?",
    ],
    "contingency_planning": [
        "If the risk rose tonight, does my plan say exactly what to do?",
        "Are the warning signs named, and do partners know them?",
        "Is the contingency plan still right after the latest change?",
    ],
    "information_sharing": [
        "Have I requested police and children's services checks, and chased them?",
        "Who else needs to know what I know?",
        "Is what partners told me recorded and reflected in the assessment?",
    ],
    "domestic_abuse": [
        "Have I requested domestic abuse call-out information for every address?",
        "Do I know who the person lives with or is in a relationship with?",
        "Does my plan protect current and former partners?",
    ],
    "safeguarding_children": [
        "Do I know which children the person lives with or has contact with?",
        "Have I made a safeguarding enquiry and acted on the answer?",
        "Am I working jointly with children's services where I should be?",
    ],
    "home_visits": [
        "When did I last see where this person lives?",
        "Would a home visit tell me something an office appointment cannot?",
        "Is a visit planned after any change of address or household?",
    ],
    "interventions": [
        "Is the work in the plan actually being delivered?",
        "Have referrals been made and followed up, and are waiting lists known?",
        "What is reducing this person's risk right now?",
    ],
    "enforcement": [
        "Have I acted on every missed appointment or breach of conditions?",
        "Is my response consistent with what I did last time?",
        "Should I be considering recall now rather than later?",
    ],
    "mappa": [
        "Is the MAPPA level right for the current risk?",
        "Does this case meet the criteria for referral or escalation?",
        "Are MAPPA decisions and ViSOR records up to date?",
    ],
    "victim": [
        "Do I know who the victims and potential victims are?",
        "Is there a plan for their safety, and are they informed?",
        "Have I linked with the victim liaison officer?",
    ],
    "untimely_review": [
        "Has anything changed since I last reviewed the assessment and plan?",
        "After an arrest, move or new relationship, did I review straight away?",
        "Are my reviews recorded and do they change the plan where needed?",
    ],
    "management_oversight": [
        "Have I discussed this case with my manager since the risk changed?",
        "(Managers) Does my oversight record say what I checked and what must change?",
        "Would my supervision notes show a reviewer that weak practice was corrected?",
    ],
    "transfers": [
        "Is the handover complete: risks, plans, partners and open actions?",
        "Has the new practitioner met the person, and did we speak to each other?",
        "How long has the case been waiting to be allocated?",
    ],
    "workload": [
        "Which of my cases are not getting the contact they need?",
        "Have I told my manager where workload is affecting risk management?",
        "Are high-risk cases prioritised when time is short?",
    ],
    "training": [
        "Is there a part of this case I do not feel equipped to manage?",
        "Have I asked for the training or support I need?",
        "Who can I consult on this type of case?",
    ],
    "recording": [
        "Would someone picking up this case understand my decisions from the record?",
        "Are contacts, checks and reviews recorded promptly?",
        "Have I recorded why, not just what?",
    ],
    "diversity": [
        "Have I considered this person's protected characteristics and individual needs?",
        "Do I need to adapt how I work with them (communication, neurodiversity, faith)?",
        "Is the plan accessible to them?",
    ],
}

GENERIC_WHY = "Findings on this theme keep recurring across reviews, audits and inspections."
GENERIC_QUESTIONS = [
    "Where does this theme show up in the cases I hold?",
    "What would good practice on this theme look like in my next contact?",
    "Who can I talk to about it: my manager, a colleague, a specialist?",
]


def why_it_matters(slug: str) -> str:
    """One sentence on why the theme matters to public protection."""
    return WHY_IT_MATTERS.get(slug, GENERIC_WHY)


def questions_for(slug: str) -> list[str]:
    """Questions a practitioner can ask themselves about the theme."""
    return QUESTIONS.get(slug, GENERIC_QUESTIONS)
