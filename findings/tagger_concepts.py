"""General probation-practice wording for each theme, read by the theme model as concept features.

Written from the theme descriptions (/work/shared/domain/themes.md), the coding guide and
knowledge of probation practice, before any error of the model was looked at, and not mined from
the training sentences: the point is wording the training sentences may never use. A concept
fires ("concept:workload") when any of its phrases occurs in a sentence, word for word after
stemming (findings.tagger_features.words), so "caseloads" matches "caseload". Phrases are
separated by semicolons.
"""

from __future__ import annotations

CONCEPTS: dict[str, str] = {
    "risk_assessment": (
        "risk assessment; assessed as low; assessed as medium; assessment of risk; risk of "
        "serious harm; rosh; oasys; underestimated; under estimated; risk level; risk "
        "classification; risk was assessed; previous convictions; offending history; pattern of "
        "offending; risk factors; risk to others; analysis of risk; risk analysis; did not draw "
        "on; available information; assessment was; assessment did not; inaccurate; incomplete; "
        "scoring; ogrs; rsr; spousal assault; saram; dash; escalating risk; risk indicators; "
        "minimised; downgraded; low risk; medium risk; high risk"
    ),
    "professional_curiosity": (
        "face value; at his word; at her word; took his word; took her word; accepted his "
        "account; accepted her account; accepted the account; self report; self reported; not "
        "verified; verify; verified; verification; corroborate; corroborated; challenge; "
        "challenged; question; questioned; probe; probed; explore; explored; curiosity; curious; "
        "inquisitive; follow up; followed up; dig deeper; check his account; checked; without "
        "checking; unchallenged; not tested; tested; triangulate; take at face value"
    ),
    "optimism_bias": (
        "optimistic; optimism; over optimistic; overly positive; positive view; too much weight; "
        "weight on; reassured; reassurance; reassuring; compliance; compliant; complied; attended "
        "all; engaging well; engaged well; good engagement; turned his life around; believed he "
        "had changed; motivated to change; progress; positive signs; positive factors; protective "
        "factors; took his word; benefit of the doubt; discounted; downplayed; minimised; rosy; "
        "hopeful; settled; stable; doing well; appeared to be; presented well; plausible; "
        "charming; manipulative; disguised compliance; superficial compliance"
    ),
    "planning": (
        "sentence plan; risk management plan; rmp; plan lacked; no plan; planning; plan was; "
        "plans were; generic; objectives; targets; actions; not owned; ownership; sequencing; "
        "plan did not; lacked detail; risk management; managing risk; manage the risk; control "
        "measures; licence conditions; additional conditions; exclusion zone; curfew"
    ),
    "contingency_planning": (
        "contingency; contingencies; if risk; if he; if she; what would happen; what to do if; "
        "escalation; escalate; escalates; trigger; triggers; warning signs; early warning; plan "
        "b; fallback; if things; changes in risk; deteriorate; deteriorated; relapse; lost his "
        "accommodation; in the event"
    ),
    "information_sharing": (
        "police; call outs; callouts; call out; domestic abuse enquiries; children's services; "
        "social care; checks; enquiries; information sharing; share information; shared "
        "information; information was not shared; not shared; not told; not informed; not passed; "
        "pass on; passed on; did not pass; not notified; notify; communicated; communication; "
        "liaise; liaison; liaised; partner agencies; partners; multi agency; multiagency; "
        "agencies; marac; mash; intelligence; police national computer; pnc; disclosure; prison; "
        "health; mental health services; gp; hospital; housing provider; did not receive; was not "
        "received; unaware; not aware; joint working; request; requested; information from; "
        "information to"
    ),
    "domestic_abuse": (
        "domestic abuse; domestic violence; da; partner; girlfriend; ex partner; intimate "
        "partner; coercive; controlling; coercion; call outs; callouts; dash; marac; idva; "
        "spousal; relationship; victim of domestic; domestic incident; clare's law; ddvps; "
        "building better relationships; bbr; stalking; harassment; non molestation; restraining "
        "order; new partner"
    ),
    "safeguarding_children": (
        "safeguarding; children; child; children's services; children's social care; social "
        "worker; child protection; child in need; looked after; school; baby; pregnant; "
        "pregnancy; access to children; contact with children; risk to children; young children; "
        "stepchildren; step children; lado; section 47; strategy meeting; core group; family"
    ),
    "home_visits": (
        "home visit; home visits; visited; visit; visiting; the address; his address; her "
        "address; home address; at home; living arrangements; who he was living with; who was "
        "living; doorstep; unannounced; property; premises; accommodation was checked; see the "
        "home; home circumstances"
    ),
    "interventions": (
        "intervention; interventions; programme; programmes; accredited; structured intervention; "
        "toolkit; one to one work; offence focused work; rar; rehabilitation activity; "
        "commissioned rehabilitative services; crs; referral; referred; waiting list; not "
        "delivered; delivery; unpaid work; accommodation; housing; drug; drugs; alcohol; "
        "substance misuse; treatment; mental health; counselling; education; training and "
        "employment; ete; services; provision; support; thinking skills; horizon; kaizen; work to "
        "reduce; offending behaviour"
    ),
    "enforcement": (
        "enforcement; enforce; enforced; breach; breached; breaching; recall; recalled; missed "
        "appointments; failed appointments; failure to attend; did not attend; non compliance; "
        "noncompliance; non attendance; unacceptable absence; acceptable absence; warning letter; "
        "warning; warnings; returned to custody; return to custody; compliance; instruction; "
        "sanction; sanctions; abscond; absconded; whereabouts unknown; licence breach; arrested; "
        "further offence; court; reoffended; re offended"
    ),
    "mappa": (
        "mappa; multi agency public protection; level 1; level 2; level 3; category 1; category "
        "2; category 3; visor; mappa meeting; mappa level; screening; managed at level; ordinary "
        "agency management; registered sex offender; sex offender; dangerous persons; public "
        "protection; mappa referral"
    ),
    "victim": (
        "victim; victims; victim liaison; victim contact; vlo; victim safety; victim's family; "
        "family of the victim; bereaved; family; families; known adult; potential victim; "
        "exclusion zone; restraining order; safety planning; safety plan; survivor; the woman; "
        "the girl; harm to"
    ),
    "untimely_review": (
        "review; reviewed; reviews; reviewing; reassess; reassessed; reassessment; re assess; re "
        "assessed; updated; update; not updated; out of date; outdated; overdue; late; timely; "
        "timeliness; change in circumstances; changes in circumstances; following the arrest; "
        "after his arrest; new information; new intelligence; significant event; on release; new "
        "partner; months later; within the timescale; deadline"
    ),
    "management_oversight": (
        "management oversight; oversight; manager; managers; senior probation officer; spo; spos; "
        "supervision; supervisor; line manager; countersign; countersigned; countersigning; "
        "quality assurance; management; managerial; sign off; signed off; case audit; audit; "
        "audits; management information; leaders; leadership; middle managers; assurance; "
        "scrutiny"
    ),
    "transfers": (
        "transfer; transferred; transfers; transferring; handover; handovers; hand over; handed "
        "over; reallocated; reallocation; allocation; allocated; change of practitioner; changes "
        "of practitioner; new practitioner; several practitioners; different practitioners; "
        "continuity; discontinuity; moved area; moved to; another area; another pdu; between "
        "areas; custody to community; release; prison offender manager; pom; com; omic; handoff; "
        "case moved"
    ),
    "workload": (
        "workload; workloads; caseload; caseloads; capacity; vacancy; vacancies; vacancy rate; "
        "staffing; staff shortages; short staffed; understaffed; under staffed; agency staff; "
        "sickness; sickness absence; turnover; churn; stretched; pressure; pressures; high "
        "caseloads; unallocated; backlog; overwhelmed; too many cases; exceptional delivery "
        "model; edm; demand; resources; resourcing; recruitment; retention; covering; cover; "
        "workload measurement; wmt; over 100; time to; lack of time"
    ),
    "training": (
        "training; trained; untrained; newly qualified; nqo; pqip; inexperienced; experience; "
        "experienced; unprepared; skills; skill; knowledge; competence; competent; confidence; "
        "confident; learning and development; induction; guidance; understanding; did not "
        "understand; unfamiliar; aware of; awareness; new to the role; trainee; probation "
        "services officer; pso; psos; grade; qualified; mentoring; coaching; professional "
        "development"
    ),
    "recording": (
        "recording; recorded; record; records; not recorded; case record; case records; case "
        "notes; contact log; entries; entry; ndelius; delius; case management system; documented; "
        "documentation; written up; noted; note; rationale; defensible decision; evidence of; no "
        "evidence; no record; written; log; logged"
    ),
    "diversity": (
        "diversity; diverse; protected characteristics; equality; ethnicity; ethnic; race; "
        "racism; religion; faith; disability; disabled; neurodiversity; neurodivergent; "
        "neurodiverse; learning disability; learning difficulty; autism; autistic; adhd; "
        "literacy; language; interpreter; women; female; gender; transgender; sexuality; age; "
        "older; young adult; care leaver; maturity; individual needs; adaptations; adjustments; "
        "reasonable adjustments; cultural; black; minority; lived experience"
    ),
}
