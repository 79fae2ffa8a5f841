"""The research content of the police and probation flows: every research item is asked, its
follow-ups appear only when relevant, answers validate, and each risk rule fires (citing the right
answers) on a crafted answer and stays silent otherwise. All names and details are fictional."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from marac_tui.engine.interview import Interview
from marac_tui.flow.loader import guidance_text, load_named
from marac_tui.flow.spec import Flow, Kind
from marac_tui.flow.values import AnswerError

ROOT = Path(__file__).resolve().parent.parent
FLOWS = ["police", "probation"]
CASE = {"case_ref": "MC-2026-0917", "marac_date": "2026-12-10", "representative": "Tamsin Orrel",
        "agency": "Fernhollow PPU", "more_than_one": "no"}  # fmt: skip

# The guidance's eleven research areas, and the items that research each (shared by both flows).
RESEARCH_AREAS = {
    "personal details and aliases": ["date_of_birth", "address", "homeless", "aliases"],
    "serial perpetrator": ["serial_perpetrator"],
    "child protection": ["child_protection"],
    "relationships and children": ["relationships"],
    "offending, markers, intelligence": [
        "previous_convictions", "warning_markers", "intelligence", "arson", "threats_to_kill", "sexual_violence",
        "coercive_control", "stalking", "threatens_victim", "bail_conditions", "court_orders", "breaches",
    ],
    "employment, interests, skills": ["employment", "physical_ability", "weapons", "specialist_skills"],
    "vehicles, premises, IT": ["vehicles", "premises", "it_systems"],
    "drugs, alcohol, mental health": ["substance_misuse", "mental_health", "self_harm"],
    "risks to professionals": ["risk_to_professionals"],
    "health and wellbeing": ["wellbeing"],
    "other information": ["financial_difficulties", "pet_abuse", "cultural_practices", "fire_setter", "other_information"],
}  # fmt: skip

# A yes/no gate and the follow-ups asked only after 'yes'.
FOLLOW_UPS = {
    "homeless": ["homeless_details"],
    "serial_perpetrator": ["serial_details"],
    "child_protection": ["child_protection_details"],
    "previous_convictions": ["offending_summary"],
    "arson": ["arson_details"],
    "threats_to_kill": ["threats_to_kill_details"],
    "sexual_violence": ["sexual_violence_details"],
    "coercive_control": ["coercive_control_details"],
    "stalking": ["stalking_details"],
    "threatens_victim": ["threatens_victim_details"],
    "bail_conditions": ["bail_details"],
    "court_orders": ["court_order_types", "court_order_details"],
    "breaches": ["breach_details"],
    "physical_ability": ["physical_details"],
    "weapons": ["weapon_types", "weapons_licensed", "weapons_location"],
    "specialist_skills": ["specialist_skills_details"],
    "substance_misuse": ["substance_types", "substance_details"],
    "mental_health": ["mental_health_details", "mental_health_risk"],
    "self_harm": ["self_harm_details"],
    "risk_to_professionals": ["risk_to_professionals_details"],
    "wellbeing": ["wellbeing_details"],
    "financial_difficulties": ["other_details"],
    "pet_abuse": ["other_details"],
    "cultural_practices": ["other_details"],
    "fire_setter": ["other_details"],
}
ALL_FOLLOW_UPS = sorted({f for fs in FOLLOW_UPS.values() for f in fs})
PROBATION_ONLY = {"supervision_status", "licence_conditions", "licence_end", "order_requirements", "rosh_level",
                  "engagement", "engagement_details", "recall", "recall_details"}  # fmt: skip
ALL_NO = {gate: "no" for gate in FOLLOW_UPS}


def interview(flow: Flow, perpetrator: dict[str, Any]) -> tuple[Interview, list[str]]:
    """Walk the whole flow: answer what `perpetrator` (or CASE) holds, skip the rest; items asked."""
    iv = Interview(flow, prefill=False)
    answers = {"full_name": "Rowan Pellick", **CASE, **perpetrator}
    asked = []
    while not iv.done:
        item_id = iv.state
        asked.append(item_id)
        if item_id in answers:
            iv.answer(answers[item_id])
        else:
            iv.skip()
    return iv, asked


@pytest.fixture(params=FLOWS)
def flow(request: pytest.FixtureRequest) -> Flow:
    return load_named(request.param)


# --- the items ------------------------------------------------------------------------------------


@pytest.mark.parametrize("area", RESEARCH_AREAS)
def test_each_research_area_is_asked_with_guidance(flow: Flow, area: str) -> None:
    _, asked = interview(flow, ALL_NO)
    for item_id in RESEARCH_AREAS[area]:
        assert item_id in asked, f"{flow.name} does not ask {item_id}"
        assert flow.is_research(item_id)
        assert flow.section_of(item_id).scope == "perpetrator"
        text = guidance_text(flow, item_id)
        assert text and len(text) > 80, f"{item_id} has no 'why this matters' guidance"


def test_a_no_keeps_entry_fast(flow: Flow) -> None:
    """With every gate answered 'no', no follow-up is asked and nothing is stored for them."""
    iv, asked = interview(flow, ALL_NO)
    assert not set(ALL_FOLLOW_UPS) & set(asked)
    assert not set(ALL_FOLLOW_UPS) & set(iv.submission.perpetrators[0].answers)
    assert iv.submission.perpetrators[0].risks == []


@pytest.mark.parametrize("gate", FOLLOW_UPS)
def test_follow_ups_asked_only_after_yes(flow: Flow, gate: str) -> None:
    _, asked_yes = interview(flow, {**ALL_NO, gate: "yes"})
    _, asked_unknown = interview(flow, {**ALL_NO, gate: "unknown"})
    for follow_up in FOLLOW_UPS[gate]:
        assert follow_up in asked_yes
        assert follow_up not in asked_unknown
    assert asked_yes.index(FOLLOW_UPS[gate][0]) > asked_yes.index(gate)


def test_both_flows_share_ids_for_the_same_questions() -> None:
    police, probation = load_named("police"), load_named("probation")
    police_items = {i.id: i for _, i in police.all_items()}
    probation_items = {i.id: i for _, i in probation.all_items()}
    assert set(probation_items) - set(police_items) == PROBATION_ONLY
    assert set(police_items) <= set(probation_items)
    for item_id, item in police_items.items():
        assert probation_items[item_id].kind == item.kind, item_id
        assert police.section_of(item_id).scope == probation.section_of(item_id).scope, item_id
    assert [r.id for r in police.risks] == [r.id for r in probation.risks]
    assert [h.id for h in police.action_headings] == [h.id for h in probation.action_headings]
    assert [h.title for h in police.action_headings] == ["Enforce", "Disrupt", "Manage", "Support & change"]
    assert police.sources[:2] == ["PNC", "PND"]
    assert {"nDelius", "OASys"} <= set(probation.sources)


def test_probation_supervision_questions_follow_the_status() -> None:
    flow = load_named("probation")
    _, licence = interview(flow, {**ALL_NO, "supervision_status": "licence", "engagement": "poor", "recall": "yes"})
    assert {"licence_conditions", "licence_end", "rosh_level", "engagement", "engagement_details", "recall",
            "recall_details"} <= set(licence)  # fmt: skip
    assert "order_requirements" not in licence
    _, order = interview(flow, {**ALL_NO, "supervision_status": "community_order", "engagement": "good"})
    assert {"order_requirements", "engagement"} <= set(order)
    assert not {"licence_conditions", "recall", "engagement_details"} & set(order)
    _, unknown = interview(flow, {**ALL_NO, "supervision_status": "not_known"})
    assert "rosh_level" in unknown
    assert not {"licence_conditions", "order_requirements", "engagement", "recall"} & set(unknown)


def test_prompts_are_short_and_plain(flow: Flow) -> None:
    for _, item in flow.all_items():
        assert len(item.prompt) <= 110, item.id
        assert item.prompt.rstrip().endswith(("?", ".")), item.id


# --- kinds and validation -------------------------------------------------------------------------


def at(flow: Flow, item_id: str) -> Interview:
    iv = Interview(flow, prefill=False)
    for value in ["MC-2026-0917", "2026-12-10", "Tamsin Orrel", "Fernhollow PPU", "no", "Rowan Pellick"]:
        iv.answer(value)
    iv.jump(item_id, 0)
    return iv


@pytest.mark.parametrize("registration", ["AB12 CDE", "ab12cde", "A123 BCD", "ABC 123D", "K1 NGS", "1234 AB"])
def test_vehicle_registrations_accept_uk_formats(flow: Flow, registration: str) -> None:
    iv = at(flow, "vehicles")
    iv.answer([{"registration": registration, "description": "Blue estate", "use": "owner", "source": "PNC"}])
    stored = iv.submission.perpetrators[0].answers["vehicles"]
    assert stored.value == [{"registration": registration, "description": "Blue estate", "use": "owner",
                             "source": "PNC"}]  # fmt: skip
    assert iv.state == "premises"


@pytest.mark.parametrize("registration", ["not a reg!", "12345678", "ABCDEFG", "AB12 CDEF", "AB-12"])
def test_vehicle_registrations_reject_nonsense_with_the_message(flow: Flow, registration: str) -> None:
    iv = at(flow, "vehicles")
    with pytest.raises(AnswerError) as caught:
        iv.answer([{"registration": "AB12 CDE"}, {"registration": registration}])
    assert caught.value.item_id == "vehicles[2].registration"
    assert caught.value.problem == "not a UK registration: use a form like AB12 CDE, A123 BCD or ABC 123D"
    assert iv.state == "vehicles"
    assert "vehicles" not in iv.submission.perpetrators[0].answers


def test_aliases_repeat_name_type_source(flow: Flow) -> None:
    iv = at(flow, "aliases")
    iv.answer([{"name": "Ro Pell", "type": "nickname", "source": "PND"},
               {"name": "rowan_p77", "type": "Online handle"}])  # fmt: skip
    assert iv.submission.perpetrators[0].answers["aliases"].value == [
        {"name": "Ro Pell", "type": "nickname", "source": "PND"},
        {"name": "rowan_p77", "type": "online_handle"},
    ]
    with pytest.raises(AnswerError, match=r"aliases\[1\].type: 'cousin' is not one of the options"):
        at(flow, "aliases").answer([{"name": "Ro", "type": "cousin"}])
    with pytest.raises(AnswerError, match=r"aliases\[1\].name: an answer is required"):
        at(flow, "aliases").answer([{"type": "nickname"}])


def test_relationships_record_partners_children_and_contact(flow: Flow) -> None:
    iv = at(flow, "relationships")
    entry = {"person": "Elspeth Marrow", "relationship": "ex_partner", "dates": "2019-2023",
             "children": "Jory (6), Wren (3)", "contact": "Alternate Saturdays, supervised", "cp_status": "cp_plan"}
    iv.answer([entry])  # fmt: skip
    assert iv.submission.perpetrators[0].answers["relationships"].value == [entry]
    assert flow.item("relationships").fields[1].option_label("new_partner") == "New partner"


def test_weapons_follow_ups_validate(flow: Flow) -> None:
    iv = at(flow, "weapons")
    iv.answer("y")
    assert iv.state == "weapon_types"
    iv.answer("shotgun, Crossbow")
    iv.answer("not licensed")
    iv.answer("Gun cabinet at a relative's farm")
    answers = iv.submission.perpetrators[0].answers
    assert answers["weapons"].value == "yes"
    assert answers["weapon_types"].value == ["shotgun", "crossbow"]
    assert answers["weapons_licensed"].value == "unlicensed"
    iv.jump("weapon_types", 0)
    with pytest.raises(AnswerError, match="'trebuchet' is not one of the options"):
        iv.answer("trebuchet")
    assert answers["weapon_types"].value == ["shotgun", "crossbow"]


def test_court_orders_name_the_order_types(flow: Flow) -> None:
    labels = {o.value: o.label for o in flow.item("court_order_types").options or ()}
    assert {"non_molestation", "restraining"} <= set(labels)
    assert flow.item("court_order_types").kind == Kind.multichoice


# --- risk rules -----------------------------------------------------------------------------------

# risk id → (answers that raise it, the answers it must cite)
RISKS = {
    "homeless": ({"homeless": "yes"}, ["homeless"]),
    "self_harm": ({"self_harm": "yes"}, ["self_harm"]),
    "substance_misuse": ({"substance_misuse": "yes"}, ["substance_misuse"]),
    "mental_health": ({"mental_health": "yes", "mental_health_risk": "yes"}, ["mental_health", "mental_health_risk"]),
    "breaches": ({"breaches": "yes"}, ["breaches"]),
    "stalking": ({"stalking": "yes"}, ["stalking"]),
    "threats": ({"threatens_victim": "yes"}, ["threatens_victim"]),
    "threats_to_kill": ({"threats_to_kill": "yes"}, ["threats_to_kill"]),
    "weapons": ({"weapons": "yes"}, ["weapons"]),
    "professionals": ({"risk_to_professionals": "yes"}, ["risk_to_professionals"]),
    "serial": ({"serial_perpetrator": "yes"}, ["serial_perpetrator"]),
    "sexual_violence": ({"sexual_violence": "yes"}, ["sexual_violence"]),
    "controlling": ({"coercive_control": "yes"}, ["coercive_control"]),
    "fire_setting": ({"fire_setter": "yes"}, ["fire_setter"]),
    "children": ({"child_protection": "yes"}, ["child_protection"]),
    "dangerous_no_conviction": ({"previous_convictions": "no", "stalking": "yes"}, ["previous_convictions", "stalking"]),
}


def flags(flow: Flow, answers: dict[str, Any]) -> dict[str, list[str]]:
    iv, _ = interview(flow, {**ALL_NO, **answers})
    return {flag.id: flag.cites for flag in iv.submission.perpetrators[0].risks}


def test_every_risk_rule_is_tested(flow: Flow) -> None:
    assert {r.id for r in flow.risks} == set(RISKS)


@pytest.mark.parametrize("risk", RISKS)
def test_risk_fires_on_its_answers_and_cites_them(flow: Flow, risk: str) -> None:
    answers, cites = RISKS[risk]
    raised = flags(flow, answers)
    assert raised[risk] == cites


@pytest.mark.parametrize("risk", RISKS)
def test_risk_is_silent_when_its_answers_are_no_or_unknown(flow: Flow, risk: str) -> None:
    answers, _ = RISKS[risk]
    for value in ("no", "unknown"):
        quiet = {k: (v if k == "previous_convictions" else value) for k, v in answers.items()}
        assert risk not in flags(flow, quiet)


def test_risk_cites_only_the_answers_that_raised_it(flow: Flow) -> None:
    raised = flags(flow, {"threats_to_kill": "yes", "threatens_victim": "no", "fire_setter": "yes"})
    assert raised["threats"] == ["threats_to_kill"]
    assert raised["fire_setting"] == ["fire_setter"]
    raised = flags(flow, {"previous_convictions": "no", "weapons": "yes", "serial_perpetrator": "no"})
    assert raised["dangerous_no_conviction"] == ["previous_convictions", "weapons"]


def test_mental_health_raises_risk_unless_judged_not_to_add_to_it(flow: Flow) -> None:
    assert flags(flow, {"mental_health": "yes"})["mental_health"] == ["mental_health"]
    assert "mental_health" not in flags(flow, {"mental_health": "yes", "mental_health_risk": "no"})


def test_a_conviction_means_no_pdp_flag(flow: Flow) -> None:
    assert "dangerous_no_conviction" not in flags(flow, {"previous_convictions": "yes", "stalking": "yes"})
    assert "dangerous_no_conviction" not in flags(flow, {"previous_convictions": "no"})


def test_probation_recall_counts_as_a_breach() -> None:
    flow = load_named("probation")
    assert flags(flow, {"supervision_status": "licence", "recall": "yes"})["breaches"] == ["recall"]


# --- actions ----------------------------------------------------------------------------------------

# The guidance's example actions (paraphrased), and the firearm certificate review users expect.
EXAMPLE_ACTIONS = ["arrest_charge", "disruption_plan", "pdp", "mappa_iom", "mappa3_review", "serial_procedures",
                   "mental_health_assessment", "asb_measures", "tenancy", "substance_referral",
                   "child_protection_links", "perpetrator_programme", "support_referral", "firearms_review"]  # fmt: skip


def test_every_example_action_is_offered_under_a_heading(flow: Flow) -> None:
    suggestions = {s.id: s for s in flow.actions}
    assert set(EXAMPLE_ACTIONS) <= set(suggestions)
    assert "single point of contact" in suggestions["disruption_plan"].text
    assert "Potentially Dangerous Person" in suggestions["pdp"].text
    assert suggestions["firearms_review"].heading == "disrupt"
    assert suggestions["firearms_review"].addresses == ["weapons"]
    assert suggestions["substance_referral"].addresses == ["substance_misuse"]
    assert suggestions["pdp"].addresses == ["dangerous_no_conviction"]


def test_every_risk_has_a_suggestion_addressing_it(flow: Flow) -> None:
    addressed = {r for s in flow.actions for r in s.addresses}
    assert {r.id for r in flow.risks} <= addressed


@pytest.mark.parametrize("risk", RISKS)
def test_a_raised_risk_prompts_suggestions_for_it(flow: Flow, risk: str) -> None:
    iv, _ = interview(flow, {**ALL_NO, **RISKS[risk][0]})
    offered = iv.suggestions(0)
    assert any(risk in s.action.addresses for s in offered)
    assert all(s.risks or s.action.offer_when for s in offered)
    assert all(s.reason() for s in offered)  # each says why it is offered


def test_quiet_research_prompts_no_suggestions() -> None:
    iv, _ = interview(load_named("police"), ALL_NO)
    assert iv.suggestions(0) == []


def test_taking_an_action_closes_the_gap(flow: Flow) -> None:
    action = {"heading": "disrupt", "text": "Licensing unit to review shotgun certificate", "agency": "Police",
              "addresses": ["weapons"], "suggestion": "firearms_review"}  # fmt: skip
    iv, _ = interview(flow, {**ALL_NO, "previous_convictions": "yes", "weapons": "yes", "substance_misuse": "yes",
                             "actions": [action]})
    perpetrator = iv.submission.perpetrators[0]
    assert [g.id for g in perpetrator.gaps()] == ["substance_misuse"]
    assert perpetrator.actions()[0].agency == "Police"


def test_probation_offers_mappa3_review_while_on_licence() -> None:
    iv, _ = interview(load_named("probation"), {**ALL_NO, "supervision_status": "licence"})
    assert [s.id for s in iv.suggestions(0)] == ["mappa3_review"]


# --- guidance text ----------------------------------------------------------------------------------


def test_guidance_reminds_of_research_practice() -> None:
    texts = " ".join(p.read_text() for p in (ROOT / "prompts" / "guidance").glob("*.md")).lower()
    assert "do not contact the victim" in texts
    assert "nothing held" in texts and "not checked" in texts


SEEDS = Path("/work/shared/seeds")


@pytest.mark.skipif(not SEEDS.is_dir(), reason="the source texts are not on this machine")
def test_no_sentence_of_the_source_guidance_is_copied() -> None:
    """Content is paraphrased: no run of eight words from the source texts appears in any flow, scenario,
    prompt (guidance, practice rules, training texts) or example answers file."""

    def words(text: str) -> list[str]:
        return re.findall(r"[a-z_']+", text.lower())  # ids like pet_abuse are one word

    runs = set()
    for seed in SEEDS.glob("*.txt"):
        w = words(seed.read_text(errors="ignore"))
        runs |= {" ".join(w[i : i + 8]) for i in range(len(w) - 7)}
    ours = [*(ROOT / "flows").rglob("*.yaml"), *(ROOT / "prompts").rglob("*.md"), *(ROOT / "examples").glob("*.yaml")]
    assert {"mental_health.yaml", "housing.yaml", "sanctuary.md", "caldicott.md"} <= {p.name for p in ours}
    for path in ours:
        w = words(path.read_text())
        copied = [" ".join(w[i : i + 8]) for i in range(len(w) - 7) if " ".join(w[i : i + 8]) in runs]
        assert not copied, f"{path.name} copies the source: {copied[0]!r}"
