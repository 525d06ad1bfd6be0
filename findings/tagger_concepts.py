"""General probation-practice wording for each theme, read by the theme model as concept features.

Written from the theme descriptions (/work/shared/domain/themes.md), the coding guide and
knowledge of probation practice, and not mined from the training sentences: the point is wording
the training sentences may never use. The first phrases of each theme were written before any
error of the model was looked at; the later ones (from "risk of harm", "his version"... on)
after a sample of about 85 held-out errors had been read, leaving out the phrases that echoed
those sentences, so the cross-validated figures are not bought with their wording. A concept
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
        "minimised; downgraded; low risk; medium risk; high risk; risk of harm; risk to the "
        "public; dangerousness; how dangerous; risk he posed; risk she posed; risk they posed; "
        "threat; threats; history of violence; violent history; previous violence; weapon; "
        "weapons; knife; assessed; assessment; full analysis; not identified; failed to identify;"
        " did not identify; not recognised; red flags; graded; categorised; classified; "
        "misjudged; underplayed; emerging risk; pre sentence report; psr; court report; risk was;"
        " rated as"
    ),
    "professional_curiosity": (
        "face value; at his word; at her word; took his word; took her word; accepted his "
        "account; accepted her account; accepted the account; self report; self reported; not "
        "verified; verify; verified; verification; corroborate; corroborated; challenge; "
        "challenged; question; questioned; probe; probed; explore; explored; curiosity; curious; "
        "inquisitive; follow up; followed up; dig deeper; check his account; checked; without "
        "checking; unchallenged; not tested; tested; triangulate; take at face value; his "
        "version; his explanation; her explanation; his say so; what he said; what he told; "
        "assurances; accepted; without question; unquestioned; did not ask; never asked; not "
        "asked; asked about; enquire; probing; looked into; cross check; cross checked; confirm; "
        "confirmed; not confirmed; independently; believed him; believed her; believed his; "
        "trusted; on trust; naive; taken at face value"
    ),
    "optimism_bias": (
        "optimistic; optimism; over optimistic; overly positive; positive view; too much weight; "
        "weight on; reassured; reassurance; reassuring; compliance; compliant; complied; attended"
        " all; engaging well; engaged well; good engagement; turned his life around; believed he "
        "had changed; motivated to change; progress; positive signs; positive factors; protective"
        " factors; took his word; benefit of the doubt; discounted; downplayed; minimised; rosy; "
        "hopeful; settled; stable; doing well; appeared to be; presented well; plausible; "
        "charming; manipulative; disguised compliance; superficial compliance; model prisoner; "
        "cooperative; co operative; well presented; reformed; changed man; turned a corner; "
        "remorse; remorseful; motivated; good attendance; attended; benefit of; reassured by; too"
        " trusting; played down; wishful; confidence in him; confidence in her; positive picture;"
        " good progress"
    ),
    "planning": (
        "sentence plan; risk management plan; rmp; plan lacked; no plan; planning; plan was; "
        "plans were; generic; objectives; targets; actions; not owned; ownership; sequencing; "
        "plan did not; lacked detail; risk management; managing risk; manage the risk; control "
        "measures; licence conditions; additional conditions; exclusion zone; curfew; plan; "
        "plans; planned; management of risk; how risk would be managed; protective measures; "
        "restrictions; without a plan; sentence planning; supervision plan; what would be done; "
        "actions agreed; strategy; risk management planning"
    ),
    "contingency_planning": (
        "contingency; contingencies; if risk; if he; if she; what would happen; what to do if; "
        "escalation; escalate; escalates; trigger; triggers; warning signs; early warning; plan "
        "b; fallback; if things; changes in risk; deteriorate; deteriorated; relapse; lost his "
        "accommodation; in the event; what if; if he lost; if he relapsed; went wrong; back up "
        "plan; worst case; foreseeable; anticipated; anticipate; prepared for; what to do; if "
        "his; if her; if the"
    ),
    "information_sharing": (
        "police; call outs; callouts; call out; domestic abuse enquiries; children's services; "
        "social care; checks; enquiries; information sharing; share information; shared "
        "information; information was not shared; not shared; not told; not informed; not passed;"
        " pass on; passed on; did not pass; not notified; notify; communicated; communication; "
        "liaise; liaison; liaised; partner agencies; partners; multi agency; multiagency; "
        "agencies; marac; mash; intelligence; police national computer; pnc; disclosure; prison; "
        "health; mental health services; gp; hospital; housing provider; did not receive; was not"
        " received; unaware; not aware; joint working; request; requested; information from; "
        "information to; told; tell; informed; inform; notified; shared; sharing; share; police "
        "checks; police information; police intelligence; call out history; safeguarding checks; "
        "checks with; enquiries with; records from; prison records; hospital records; gp records;"
        " social services; adult social care; local authority; council; mental health team; drug "
        "service; talk to each other; spoke to; contacted; joined up; silo; silos; partnership "
        "working; other agencies; different agencies; in the dark; no one told; nobody told; did "
        "not know; was not aware"
    ),
    "domestic_abuse": (
        "domestic abuse; domestic violence; da; partner; girlfriend; ex partner; intimate "
        "partner; coercive; controlling; coercion; call outs; callouts; dash; marac; idva; "
        "spousal; relationship; victim of domestic; domestic incident; clare's law; ddvps; "
        "building better relationships; bbr; stalking; harassment; non molestation; restraining "
        "order; new partner; abusive; abuse; violence against; violent towards; his partner; her "
        "partner; wife; husband; ex wife; ex girlfriend; former partner; former partners; "
        "strangulation; jealous; jealousy; possessive; controlling behaviour; coercive control; "
        "honour based; domestic homicide; dhr; refuge; protection order; dvpo; dvpn; domestic"
    ),
    "safeguarding_children": (
        "safeguarding; children; child; children's services; children's social care; social "
        "worker; child protection; child in need; looked after; school; baby; pregnant; "
        "pregnancy; access to children; contact with children; risk to children; young children; "
        "stepchildren; step children; lado; section 47; strategy meeting; core group; family; "
        "infant; son; daughter; stepson; kids; minor; minors; teenager; children living; child "
        "living; risk to the child; harm to children; schools; nursery; indecent images; "
        "grooming; contact with a child"
    ),
    "home_visits": (
        "home visit; home visits; visited; visit; visiting; the address; his address; her "
        "address; home address; at home; living arrangements; who he was living with; who was "
        "living; doorstep; unannounced; property; premises; accommodation was checked; see the "
        "home; home circumstances; house; flat; home; address; where he lived; where he was "
        "living; living at; lived at; who lived; visit the home; home checks; address check; "
        "address checks; seen at home; went to the address; in person; face to face; telephone "
        "contact; phone contact; remote contact; remotely; by phone; by telephone"
    ),
    "interventions": (
        "intervention; interventions; programme; programmes; accredited; structured intervention;"
        " toolkit; one to one work; offence focused work; rar; rehabilitation activity; "
        "commissioned rehabilitative services; crs; referral; referred; waiting list; not "
        "delivered; delivery; unpaid work; accommodation; housing; drug; drugs; alcohol; "
        "substance misuse; treatment; mental health; counselling; education; training and "
        "employment; ete; services; provision; support; thinking skills; horizon; kaizen; work to"
        " reduce; offending behaviour; course; courses; group work; one to one; sessions; "
        "session; behaviour work; sex offender programme; treatment programme; rehabilitation; "
        "rehabilitative; support services; provided; offered; access to; waiting; waited; waiting"
        " lists; referrals; signposted; never started; not started; did not start; homeless; "
        "homelessness; approved premises; employment; benefits; debt; drug testing; detox; "
        "psychiatric; psychological; psychology; therapy; therapeutic; not offered"
    ),
    "enforcement": (
        "enforcement; enforce; enforced; breach; breached; breaching; recall; recalled; missed "
        "appointments; failed appointments; failure to attend; did not attend; non compliance; "
        "noncompliance; non attendance; unacceptable absence; acceptable absence; warning letter;"
        " warning; warnings; returned to custody; return to custody; compliance; instruction; "
        "sanction; sanctions; abscond; absconded; whereabouts unknown; licence breach; arrested; "
        "further offence; court; reoffended; re offended; missed; failed to attend; did not turn "
        "up; absences; absent; absence; unexplained absence; not acted on; no action; action was "
        "not taken; tolerated; lenient; second chance; chances; warned; final warning; breach "
        "proceedings; recall request; emergency recall; back to prison; back to court; licence "
        "conditions; broke his licence; contravened; violated; failed to comply; non compliant; "
        "curfew; tag; tagged; electronic monitoring; consequences"
    ),
    "mappa": (
        "mappa; multi agency public protection; level 1; level 2; level 3; category 1; category "
        "2; category 3; visor; mappa meeting; mappa level; screening; managed at level; ordinary "
        "agency management; registered sex offender; sex offender; dangerous persons; public "
        "protection; mappa referral; multi agency public protection arrangements; level one; "
        "level two; level three; category one; category two; category three; mappa meetings; "
        "mappa coordinator; dangerous offender; sexual offender; sex offender register; "
        "notification requirements; public protection unit; management level; cat 1; cat 2; cat 3"
    ),
    "victim": (
        "victim; victims; victim liaison; victim contact; vlo; victim safety; victim's family; "
        "family of the victim; bereaved; family; families; known adult; potential victim; "
        "exclusion zone; restraining order; safety planning; safety plan; survivor; the woman; "
        "the girl; harm to; victim's; the family; family members; bereaved families; loved ones; "
        "relatives; mother; neighbour; neighbours; victim contact scheme; victim contact unit; "
        "victim liaison officer; victim personal statement; safety; protect; protection; "
        "protected; no contact condition; told about his release; release date; victim's "
        "concerns; potential victims; future victims; the victim"
    ),
    "untimely_review": (
        "review; reviewed; reviews; reviewing; reassess; reassessed; reassessment; re assess; re "
        "assessed; updated; update; not updated; out of date; outdated; overdue; late; timely; "
        "timeliness; change in circumstances; changes in circumstances; following the arrest; "
        "after his arrest; new information; new intelligence; significant event; on release; new "
        "partner; months later; within the timescale; deadline; refreshed; re evaluated; review "
        "point; review date; not reviewed; never reviewed; since; for months; for a year; weeks "
        "later; months after; a year after; after he moved; following his arrest; following "
        "release; following the incident; new relationship; change of address; changed "
        "circumstances; circumstances changed; remained unchanged; left unchanged"
    ),
    "management_oversight": (
        "management oversight; oversight; manager; managers; senior probation officer; spo; spos;"
        " supervision; supervisor; line manager; countersign; countersigned; countersigning; "
        "quality assurance; management; managerial; sign off; signed off; case audit; audit; "
        "audits; management information; leaders; leadership; middle managers; assurance; "
        "scrutiny; senior; senior managers; team manager; team leader; head of service; "
        "countersignature; quality assured; quality checked; checked by; supervision sessions; "
        "reflective supervision; case discussion; case discussions; oversight of; grip; "
        "governance; escalated; not escalated; performance management; "
        "monitoring; monitored; line management"
    ),
    "transfers": (
        "transfer; transferred; transfers; transferring; handover; handovers; hand over; handed "
        "over; reallocated; reallocation; allocation; allocated; change of practitioner; changes "
        "of practitioner; new practitioner; several practitioners; different practitioners; "
        "continuity; discontinuity; moved area; moved to; another area; another pdu; between "
        "areas; custody to community; release; prison offender manager; pom; com; omic; handoff; "
        "case moved; moved; passed between; passed from; changed hands; changes of officer; new "
        "officer; new probation officer; new case manager; different officers; several officers; "
        "succession of; three officers; four officers; five officers; allocated to; left the "
        "team; went on leave; maternity leave; covering officer; caretaking; out of area; another"
        " region; transferred in; from prison; from custody; prison to community; release "
        "planning; pre release; receiving area"
    ),
    "workload": (
        "workload; workloads; caseload; caseloads; capacity; vacancy; vacancies; vacancy rate; "
        "staffing; staff shortages; short staffed; understaffed; under staffed; agency staff; "
        "sickness; sickness absence; turnover; churn; stretched; pressure; pressures; high "
        "caseloads; unallocated; backlog; overwhelmed; too many cases; exceptional delivery "
        "model; edm; demand; resources; resourcing; recruitment; retention; covering; cover; "
        "workload measurement; wmt; over 100; time to; lack of time; caseload of; cases each; "
        "number of cases; heavy caseload; heavy workload; workload pressures; over capacity; at "
        "capacity; overstretched; over stretched; pressured; busy; under pressure; time "
        "pressures; no time; insufficient time; little time; short of staff; shortage; shortages;"
        " staffing levels; understaffing; vacant posts; attrition; burnout; burn out; morale; "
        "exhausted; overloaded; overload; unmanageable; agency workers; temporary staff; waiting "
        "to be allocated; prioritise; prioritisation"
    ),
    "training": (
        "training; trained; untrained; newly qualified; nqo; pqip; inexperienced; experience; "
        "experienced; unprepared; skills; skill; knowledge; competence; competent; confidence; "
        "confident; learning and development; induction; guidance; understanding; did not "
        "understand; unfamiliar; aware of; awareness; new to the role; trainee; probation "
        "services officer; pso; psos; grade; qualified; mentoring; coaching; professional "
        "development; recently qualified; unqualified; new to; lack of experience; junior; "
        "trainees; not trained; had not been trained; no training; training on; e learning; did "
        "not recognise; did not know how; uncertain; lacked confidence; not confident; expertise;"
        " specialist knowledge; capability; development"
    ),
    "recording": (
        "recording; recorded; record; records; not recorded; case record; case records; case "
        "notes; contact log; entries; entry; ndelius; delius; case management system; documented;"
        " documentation; written up; noted; note; rationale; defensible decision; evidence of; no"
        " evidence; no record; written; log; logged; notes; document; written down; wrote; file; "
        "on file; case file; audit trail; not written; no note; not noted; reasons; reasoning; "
        "decision making; defensible; evidenced; copied; copy and paste; cut and paste"
    ),
    "diversity": (
        "diversity; diverse; protected characteristics; equality; ethnicity; ethnic; race; "
        "racism; religion; faith; disability; disabled; neurodiversity; neurodivergent; "
        "neurodiverse; learning disability; learning difficulty; autism; autistic; adhd; "
        "literacy; language; interpreter; women; female; gender; transgender; sexuality; age; "
        "older; young adult; care leaver; maturity; individual needs; adaptations; adjustments; "
        "reasonable adjustments; cultural; black; minority; lived experience; protected "
        "characteristic; racial; ethnic minority; asian; mixed heritage; traveller; gypsy; roma; "
        "foreign national; immigration; english; first language; translation; translated; deaf; "
        "hearing; blind; visually impaired; disabilities; learning difficulties; dyslexia; "
        "dyslexic; reading; elderly; young adults; woman; trans; religious; muslim; sexual "
        "orientation; lgbt; care experienced; culturally; adapted; tailored; one size fits all"
    ),
}

SIGNALS: dict[str, str] = {
    "shortfall": (
        "insufficient; inadequate; inadequately; poor; poorly; weak; weakness; weaknesses; gap; "
        "gaps; missed; missing; absent; delay; delays; delayed; late; limited; inconsistent; "
        "inconsistently; variable; patchy; ineffective; unclear; unmanageable; shortfall; "
        "shortfalls; concern; concerns; concerning; deficit; deficits; rarely; seldom; "
        "superficial; vague; overlooked; ignored; neglected; underestimated; unaware; lost; "
        "backlog; requires improvement; should have; could have; would have; ought to have; "
        "missed opportunity; missed opportunities; need to improve; needed to improve; needs to "
        "improve; not enough; too few; too many; too much; fell short; falls short; only a "
        "minority; less than half; fewer than half; only half; not always; struggled; struggling; "
        "problem; problems; error; errors; mistake; mistakes; wrong; wrongly; inaccurate; "
        "incomplete; out of date; undermined; hampered; hindered; compromised; unsafe; "
        "confusion; confused; failing; lapse; lapses; flawed; deficient; lacklustre; "
        "unacceptable; mistaken; misjudged; minimised; disregarded; dismissed; left unaddressed; "
        "left unchecked; despite; unallocated; overdue; drift; "
        "drifted; high caseloads; high workloads; pressure; pressures; stretched; face value; at "
        "his word; at her word; took his word; took her word; unchallenged; overly optimistic; "
        "over optimistic"
    ),
    "praise": (
        "good; well; effective; effectively; strong; strength; strengths; thorough; thoroughly; "
        "high quality; excellent; outstanding; impressive; positive; positively; robust; "
        "comprehensive; appropriate; appropriately; sufficient; sufficiently; consistent; "
        "consistently; timely; proactive; proactively; commendable; exemplary; praised; "
        "improved; improvement; improvements; improving; better; good practice; skilled; "
        "knowledgeable; dedicated; committed; creative; innovative; successful; successfully; "
        "helpful; meaningful; constructive; diligent; diligently; careful; carefully; rigorous; "
        "rigorously; prompt; promptly; swift; swiftly; clear; clearly; well managed; "
        "well planned; well attended; rated good; rated outstanding; evident; "
        "encouraging; notable; tenacious; persistent; sensitive; sensitively; attentive"
    ),
    "recommendation": (
        "should; must; recommend; recommends; recommended; recommendation; recommendations; "
        "ensure; ensures; need to; needs to; we expect; it is essential; priority; priorities; "
        "action plan; going forward; in future"
    ),
    "hedge": (
        "may; might; possibly; perhaps; unclear whether; not possible to say; cannot be "
        "certain; could not be determined; no evidence that; appears; "
        "appeared; seems; seemed; unlikely; would not have; not known"
    ),
}
"""Wording that says practice fell short, praises it, recommends, or hedges: read (with the
clause it stands in) as signals of a sentence's polarity, and of which clause names the
shortfall; shortfall wording under a negation ("did not accept his account at face value",
"risk was not underestimated") says the clause falls short of nothing. Written from the coding
guide, not mined from the training sentences."""
