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
    "other information": ["financial_difficulties", "pet_abuse", "cultural_practices", "other_information"],
}  # fmt: skip

# Issue 13: the law and practice of 2026, asked in both flows (same ids), each a research item.
ITEMS_2026 = {
    "who the perpetrator is to the victim": ["relationship_to_victim", "perpetrator_role"],
    "non-fatal strangulation or suffocation": ["strangulation"],
    "separation": ["separation"],
    "escalation": ["escalation", "incidents_12_months"],
    "child contact and family proceedings": ["family_proceedings"],
    "harm to others": ["harm_to_others"],
    "economic abuse": ["financial_control"],
    "convictions as a list": ["previous_convictions"],
    "MAPPA status": ["mappa_category"],
    "offender management": ["pdp", "iom", "matac", "visor"],
    "supervision": ["supervision_status"],
}
CASE_2026 = ["sharing_basis", "previous_marac", "dapo_pilot_area", "others_feared"]
POLICE_ONLY = {"pnc_id", "crime_reference", "dash_grade", "referral_reason", "previous_dvds", "previous_dvds_details"}

# A yes/no gate and the follow-ups asked only after 'yes'.
FOLLOW_UPS = {
    "homeless": ["homeless_details"],
    "serial_perpetrator": ["serial_details"],
    "child_protection": ["child_protection_details"],
    "previous_convictions": ["convictions", "ccb_sentence"],
    "arson": ["arson_details"],
    "threats_to_kill": ["threats_to_kill_details"],
    "sexual_violence": ["sexual_violence_details"],
    "coercive_control": ["coercive_control_details"],
    "stalking": ["stalking_details"],
    "threatens_victim": ["threatens_victim_details"],
    "bail_conditions": ["bail_details"],
    "court_orders": ["court_order_types", "court_order_details"],
    "breaches": ["breach_count", "breach_details"],
    "strangulation": ["strangulation_details"],
    "harm_to_others": ["harm_to_others_details"],
    "escalation": ["escalation_details"],
    "separation": ["separation_details"],
    "family_proceedings": ["family_court_orders", "family_proceedings_details"],
    "physical_ability": ["physical_details"],
    "weapons": ["weapon_types", "weapons_licensed", "weapons_location"],
    "specialist_skills": ["specialist_skills_details"],
    "substance_misuse": ["substance_types", "substance_details"],
    "mental_health": ["mental_health_details", "mental_health_risk"],
    "self_harm": ["self_harm_details"],
    "risk_to_professionals": ["risk_to_professionals_details"],
    "wellbeing": ["wellbeing_details"],
    "financial_difficulties": ["other_details"],
    "financial_control": ["other_details"],
    "pet_abuse": ["other_details"],
    "cultural_practices": ["honour_based_types", "other_details"],
}
ALL_FOLLOW_UPS = sorted({f for fs in FOLLOW_UPS.values() for f in fs})
PROBATION_ONLY = {"licence_conditions", "order_requirements", "rosh_level", "engagement", "engagement_details",
                  "recall", "recall_details", "police_da_enquiries", "police_da_enquiries_date", "safeguarding_checks",
                  "safeguarding_checks_date", "release_date", "hdc", "electronic_monitoring", "victim_named_in_licence",
                  "victim_contact_scheme"}  # fmt: skip
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


@pytest.mark.parametrize("area", ITEMS_2026)
def test_each_2026_item_is_asked_with_its_own_guidance_and_source(flow: Flow, area: str) -> None:
    _, asked = interview(flow, ALL_NO)
    for item_id in ITEMS_2026[area]:
        assert item_id in asked, f"{flow.name} does not ask {item_id}"
        assert flow.is_research(item_id) and flow.section_of(item_id).scope == "perpetrator"
        assert flow.item(item_id).guidance, f"{item_id} has no guidance file of its own"
        text = guidance_text(flow, item_id) or ""
        assert "**Where this comes from:**" in text, f"{item_id}: the guidance does not name its source"


def test_case_items_2026_are_asked_in_both_flows_with_guidance(flow: Flow) -> None:
    _, asked = interview(flow, ALL_NO)
    for item_id in CASE_2026:
        assert item_id in asked and flow.section_of(item_id).scope == "case"
        assert "**Where this comes from:**" in (guidance_text(flow, item_id) or "")
    assert [o.value for o in flow.item("sharing_basis").options or ()] == ["dpa_safeguarding", "cda_s115", "consent",
                                                                           "other"]  # fmt: skip
    assert [o.value for o in flow.item("relationship_to_victim").options or ()] == [
        "current_partner", "ex_partner", "parent", "sibling", "adult_child", "in_law", "other_family", "other"]
    assert [o.value for o in flow.item("perpetrator_role").options or ()] == [
        "primary", "co_perpetrator", "colluding_family", "other"]  # fmt: skip
    assert flow.item("others_feared").kind == Kind.repeat


def test_every_guidance_file_names_its_source() -> None:
    for path in sorted((ROOT / "prompts" / "guidance").glob("*.md")):
        assert "**Where this comes from:**" in path.read_text(), path.name


def test_every_research_item_has_guidance(flow: Flow) -> None:
    for _, item in flow.all_items():
        if flow.is_research(item.id) and item.id != "full_name":
            assert len(guidance_text(flow, item.id) or "") > 80, item.id


def test_arson_and_fire_setter_are_asked_once(flow: Flow) -> None:
    assert not flow.has_item("fire_setter") and flow.has_item("arson")
    assert "fire-setter" in flow.item("arson").prompt
    assert flow.retired_label("fire_setter") and flow.changes[-1].merged == {"fire_setter": "arson"}


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
    assert set(police_items) - set(probation_items) == POLICE_ONLY
    for item_id, item in police_items.items():
        if item_id in POLICE_ONLY:
            continue
        assert probation_items[item_id].kind == item.kind, item_id
        assert [o.value for o in item.options or ()] == [o.value for o in probation_items[item_id].options or ()], item_id
        assert police.section_of(item_id).scope == probation.section_of(item_id).scope, item_id
    assert [r.id for r in police.risks] == [r.id for r in probation.risks]
    assert [h.id for h in police.action_headings] == [h.id for h in probation.action_headings]
    assert [h.title for h in police.action_headings] == ["Enforce", "Disrupt", "Manage", "Support & change"]
    assert police.sources[:2] == ["PNC", "PND"]
    assert "NFLMS" in police.sources
    assert police.version == probation.version == "2.0"
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
    assert {"release_date", "hdc", "electronic_monitoring", "victim_named_in_licence", "victim_contact_scheme"} <= set(
        licence)
    assert not {"release_date", "hdc", "victim_contact_scheme"} & set(order)
    _, custody = interview(flow, {**ALL_NO, "supervision_status": "custody"})
    assert {"release_date", "victim_contact_scheme"} <= set(custody) and "hdc" not in custody


def test_probation_records_the_police_and_childrens_services_checks() -> None:
    flow = load_named("probation")
    _, done = interview(flow, {**ALL_NO, "police_da_enquiries": "yes", "police_da_enquiries_date": "2026-11-20",
                               "safeguarding_checks": "yes", "safeguarding_checks_date": "2026-11-21"})
    assert {"police_da_enquiries_date", "safeguarding_checks_date"} <= set(done)
    iv, missed = interview(flow, {**ALL_NO, "police_da_enquiries": "no", "safeguarding_checks": "unknown"})
    assert not {"police_da_enquiries_date", "safeguarding_checks_date"} & set(missed)
    offered = {s.id: s for s in iv.suggestions(0)}
    assert "safeguarding_enquiries" in offered
    assert "police_da_enquiries" in offered["safeguarding_enquiries"].reason()


def test_mappa_level_and_lead_follow_the_category(flow: Flow) -> None:
    _, managed = interview(flow, {**ALL_NO, "mappa_category": "cat2", "mappa_level": "level2", "mappa_lead": "probation"})
    assert {"mappa_level", "mappa_lead"} <= set(managed)
    _, none = interview(flow, {**ALL_NO, "mappa_category": "none"})
    assert not {"mappa_level", "mappa_lead"} & set(none)
    assert [o.value for o in flow.item("mappa_category").options or ()][:4] == ["cat1", "cat2", "cat3", "cat4"]
    assert [o.value for o in flow.item("mappa_level").options or ()] == ["level1", "level2", "level3"]


def test_prompts_are_short_and_plain(flow: Flow) -> None:
    for _, item in flow.all_items():
        assert len(item.prompt) <= 110, item.id
        assert item.prompt.rstrip().endswith(("?", ".")), item.id


# --- kinds and validation -------------------------------------------------------------------------


def at(flow: Flow, item_id: str) -> Interview:
    iv = Interview(flow, prefill=False)
    answers = {**CASE, "full_name": "Rowan Pellick"}
    while iv.state != "relationship_to_victim":
        iv.answer(answers[iv.state]) if iv.state in answers else iv.skip()
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
        iv.answer([{"registration": "AB12 CDE"}, {"registration": registration, "country": "UK"}])
    assert caught.value.item_id == "vehicles[2].registration"
    assert caught.value.problem == (
        "not a UK registration: use a form like AB12 CDE, A123 BCD or ABC 123D (for a foreign plate, give the country)"
    )
    assert iv.state == "vehicles"
    assert "vehicles" not in iv.submission.perpetrators[0].answers


@pytest.mark.parametrize(("registration", "country"), [("WX 12345", "Poland"), ("B-MW 1234", "DE"), ("ZZZZZZZZZ", "Lithuania"),
                                                     ("12345678", "Romania")])  # fmt: skip
def test_foreign_vehicles_record_their_country_and_plate(flow: Flow, registration: str, country: str) -> None:
    iv = at(flow, "vehicles")
    iv.answer([{"registration": registration, "country": country, "description": "Grey van", "use": "driver"}])
    stored = iv.submission.perpetrators[0].answers["vehicles"].value
    assert stored == [{"registration": registration, "country": country, "description": "Grey van", "use": "driver"}]
    with pytest.raises(AnswerError, match=r"vehicles\[1\].country: give the country by name"):
        at(flow, "vehicles").answer([{"registration": "WX 12345", "country": "12"}])


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
    assert {"non_molestation", "restraining", "occupation", "dvpo", "dapo", "spo_interim", "spo", "shpo",
            "fmpo", "fgmpo"} <= set(labels)  # fmt: skip
    family = {o.value for o in flow.item("family_court_orders").options or ()}
    assert {"child_arrangements", "prohibited_steps"} <= family
    assert flow.item("court_order_types").kind == Kind.multichoice
    assert "DAPO" not in labels["dvpo"] and "DVPO" not in labels["dapo"]  # no longer lumped together


def test_a_dapo_records_its_requirements(flow: Flow) -> None:
    _, with_dapo = interview(flow, {**ALL_NO, "court_orders": "yes", "court_order_types": ["dapo"],
                                    "dapo_requirements": ["electronic_monitoring", "notification"]})  # fmt: skip
    assert "dapo_requirements" in with_dapo
    _, with_dvpo = interview(flow, {**ALL_NO, "court_orders": "yes", "court_order_types": ["dvpo"]})
    assert "dapo_requirements" not in with_dvpo
    values = {o.value for o in flow.item("dapo_requirements").options or ()}
    assert {"electronic_monitoring", "notification"} <= values


def test_convictions_are_a_list_of_offence_date_outcome(flow: Flow) -> None:
    iv = at(flow, "previous_convictions")
    iv.answer("yes")
    assert iv.state == "convictions"
    entries = [{"offence": "Assault by beating", "date": "03/2024", "outcome": "Community order"},
               {"offence": "Criminal damage", "date": "2019", "outcome": "Fine"}]  # fmt: skip
    iv.answer(entries)
    assert iv.submission.perpetrators[0].answers["convictions"].value == entries
    assert [f.id for f in flow.item("convictions").fields or ()] == ["offence", "date", "outcome"]
    assert iv.state == "ccb_sentence"


@pytest.mark.parametrize("pnc_id", ["09/123456T", "98/12X", "21/1234567A"])
def test_police_pnc_id_takes_the_pnc_form(pnc_id: str) -> None:
    iv = at(load_named("police"), "pnc_id")
    iv.answer(pnc_id)
    assert iv.submission.perpetrators[0].answers["pnc_id"].value == pnc_id
    with pytest.raises(AnswerError, match="not a PNC ID"):
        at(load_named("police"), "pnc_id").answer("123456")


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
    "fire_setting": ({"arson": "yes"}, ["arson"]),
    "children": ({"child_protection": "yes"}, ["child_protection"]),
    "dangerous_no_conviction": ({"previous_convictions": "no", "stalking": "yes"}, ["previous_convictions", "stalking"]),
    "strangulation": ({"strangulation": "yes"}, ["strangulation"]),
    "separation": ({"separation": "yes"}, ["separation"]),
    "escalation": ({"escalation": "yes"}, ["escalation"]),
    "child_contact": ({"family_proceedings": "yes"}, ["family_proceedings"]),
    "harm_to_others": ({"harm_to_others": "yes"}, ["harm_to_others"]),
    "economic_abuse": ({"financial_control": "yes"}, ["financial_control"]),
    "honour_based": ({"cultural_practices": "yes"}, ["cultural_practices"]),
    "pet_abuse": ({"pet_abuse": "yes"}, ["pet_abuse"]),
    "repeat_marac": ({"previous_marac": "yes"}, ["previous_marac"]),
    "new_partner": ({"relationships": [{"person": "Nell Ashgrove", "relationship": "new_partner"}]}, ["relationships"]),
    "under_18": ({"date_of_birth": "2009-06-01"}, ["date_of_birth", "marac_date"]),
    "mappa_eligible": ({"previous_convictions": "yes", "ccb_sentence": "yes", "mappa_category": "none"},
                       ["ccb_sentence", "mappa_category"]),
    "licence_ending": ({"supervision_status": "licence", "licence_end": "2027-02-20"},
                       ["supervision_status", "marac_date", "licence_end"]),
}
# What keeps each risk silent (the default: its answers 'no' and 'unknown').
QUIET = {
    "new_partner": [{"relationships": [{"person": "Nell Ashgrove", "relationship": "ex_partner"}]}, {"relationships": []}],
    "under_18": [{"date_of_birth": "2008-12-10"}, {"date_of_birth": "1990-01-01"}],
    "mappa_eligible": [{"previous_convictions": "yes", "ccb_sentence": "yes", "mappa_category": "cat2"},
                       {"previous_convictions": "yes", "ccb_sentence": "no", "mappa_category": "none"}],
    "licence_ending": [{"supervision_status": "licence", "licence_end": "2027-06-01"},
                       {"supervision_status": "community_order"},
                       {"supervision_status": "licence", "licence_end": "2026-11-01"}],
    "dangerous_no_conviction": [{"previous_convictions": "no", "stalking": "no"},
                                {"previous_convictions": "no", "stalking": "unknown"}],
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
    for quiet in QUIET.get(risk) or [{k: value for k in answers} for value in ("no", "unknown")]:
        assert risk not in flags(flow, quiet), quiet


def test_risk_cites_only_the_answers_that_raised_it(flow: Flow) -> None:
    raised = flags(flow, {"threats_to_kill": "yes", "threatens_victim": "no", "arson": "yes"})
    assert raised["threats"] == ["threats_to_kill"]
    assert raised["fire_setting"] == ["arson"]
    assert flags(flow, {"escalation": "no", "incidents_12_months": 4})["escalation"] == ["incidents_12_months"]
    assert "escalation" not in flags(flow, {"escalation": "no", "incidents_12_months": 2})
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


def offered(flow: Flow, answers: dict[str, Any]) -> dict[str, Any]:
    iv, _ = interview(flow, {**ALL_NO, **answers})
    return {s.id: s for s in iv.suggestions(0)}


# fit rule → (answers where it fits, answers where it does not), for the action it governs
FITS = {
    "tenancy: not for a homeless person": (
        "tenancy", {"stalking": "yes", "homeless": "no"}, {"stalking": "yes", "homeless": "yes"}),
    "MAPPA 3 review: only while on licence": (
        "mappa3_review", {"supervision_status": "licence", "licence_end": "2027-01-20"},
        {"supervision_status": "community_order", "serial_perpetrator": "yes"}),
    "family court links: children recorded": (
        "child_protection_links",
        {"relationships": [{"person": "Ilse Marrow", "relationship": "ex_partner", "children": "Tam (5)",
                            "contact": "Saturdays, under a family court order"}]},
        {"child_protection": "yes", "relationships": [{"person": "Ilse Marrow", "relationship": "ex_partner"}]}),
    "family court links: proceedings recorded": (
        "child_protection_links", {"family_proceedings": "yes"}, {"family_proceedings": "no"}),
    "family court links: contact arrangements recorded": (
        "child_protection_links", {"relationships": [{"person": "Ilse Marrow", "contact": "Sundays at her mother's"}]},
        {"relationships": [{"person": "Ilse Marrow", "contact": ""}]}),
    "children's social care: children recorded or a concern": (
        "childrens_social_care", {"child_protection": "yes"}, {"child_protection": "no"}),
    "DVPO: not in a DAPO pilot area": (
        "dvpo", {"strangulation": "yes", "dapo_pilot_area": "no"}, {"strangulation": "yes", "dapo_pilot_area": "yes"}),
    "DVPO: not once a notice or order is in place": (
        "dvpo", {"threats_to_kill": "yes"},
        {"threats_to_kill": "yes", "court_orders": "yes", "court_order_types": ["dvpo"]}),
    "DAPO: only in a pilot area": (
        "dapo", {"strangulation": "yes", "dapo_pilot_area": "yes"}, {"strangulation": "yes", "dapo_pilot_area": "no"}),
    "SPO: not when one is in force": (
        "stalking_order", {"stalking": "yes"},
        {"stalking": "yes", "court_orders": "yes", "court_order_types": ["spo_interim"]}),
    "PDP or MAPPA 3: not when already managed": (
        "pdp", {"previous_convictions": "no", "stalking": "yes"},
        {"previous_convictions": "no", "stalking": "yes", "pdp": "yes"}),
    "MAPPA or IOM: not when already under MAPPA": (
        "mappa_iom", {"serial_perpetrator": "yes"}, {"serial_perpetrator": "yes", "mappa_category": "cat3"}),
    "MATAC or Drive: not when already a MATAC nominal": (
        "matac_drive", {"serial_perpetrator": "yes"}, {"serial_perpetrator": "yes", "matac": "yes"}),
    "Building Choices: on licence or order": (
        "building_choices", {"coercive_control": "yes", "supervision_status": "licence"},
        {"coercive_control": "yes", "supervision_status": "not_known"}),
    "community programme: not when on licence or order": (
        "perpetrator_programme", {"coercive_control": "yes", "supervision_status": "not_known"},
        {"coercive_control": "yes", "supervision_status": "community_order"}),
    "community programme: not for someone under 18": (
        "perpetrator_programme", {"coercive_control": "yes", "date_of_birth": "1990-01-01"},
        {"coercive_control": "yes", "date_of_birth": "2010-01-01"}),
    "firearms secured: a certificate holder with no settled address": (
        "firearms_secure",
        {"homeless": "yes", "weapons": "yes", "weapon_types": ["shotgun"], "weapons_licensed": "licensed"},
        {"homeless": "no", "weapons": "yes", "weapon_types": ["shotgun"], "weapons_licensed": "licensed"}),
    "firearms review: not for a knife alone": (
        "firearms_review", {"weapons": "yes", "weapon_types": ["firearm"]},
        {"weapons": "yes", "weapon_types": ["bladed"]}),
    "forced marriage order: forced marriage recorded": (
        "forced_marriage_order", {"cultural_practices": "yes", "honour_based_types": ["forced_marriage"]},
        {"cultural_practices": "yes", "honour_based_types": ["family_pressure"]}),
    "Right to Know: a new partner": (
        "right_to_know", {"relationships": [{"person": "Nell Ashgrove", "relationship": "new_partner"}]},
        {"relationships": [{"person": "Nell Ashgrove", "relationship": "ex_partner"}]}),
    "youth justice: under 18": ("youth_justice", {"date_of_birth": "2010-04-01"}, {"date_of_birth": "2000-04-01"}),
}  # fmt: skip


@pytest.mark.parametrize("rule", FITS)
def test_fit_rules_offer_an_action_only_when_it_fits(flow: Flow, rule: str) -> None:
    action, fits, does_not = FITS[rule]
    yes = offered(flow, fits)
    assert action in yes, f"{action} not offered for {fits}"
    assert yes[action].reason(), "a suggestion says why it is offered"
    assert action not in offered(flow, does_not), f"{action} offered for {does_not}"


def test_a_suggestion_says_which_answers_make_it_fit(flow: Flow) -> None:
    suggestion = offered(flow, {"homeless": "yes", "weapons": "yes", "weapon_types": ["shotgun"],
                                "weapons_licensed": "licensed"})["firearms_secure"]  # fmt: skip
    reason = suggestion.reason()
    assert reason.startswith("Addresses Homeless or without a settled address, Access to weapons")
    assert "weapon_types" in reason and "weapons_licensed" in reason
    review = offered(flow, {"supervision_status": "licence", "licence_end": "2027-01-20"})["mappa3_review"]
    assert "Licence or supervision ends within three months" in review.reason()


def test_new_law_actions_are_offered(flow: Flow) -> None:
    ids = {a.id for a in flow.actions}
    assert {"dvpo", "dapo", "stalking_order", "right_to_know", "matac_drive", "pdp", "flag_tag", "building_choices",
            "childrens_social_care", "child_protection_links", "firearms_secure", "mappa_category2"} <= ids  # fmt: skip
    assert "Building Choices" in flow.actions[[a.id for a in flow.actions].index("building_choices")].text
    assert "12 months" in next(a.text for a in flow.actions if a.id == "flag_tag")
    assert "Cafcass" in next(a.text for a in flow.actions if a.id == "child_protection_links")


# --- guidance text# --- guidance text ----------------------------------------------------------------------------------


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
    ours = [
        *(ROOT / "flows").rglob("*.yaml"),
        *(ROOT / "prompts").rglob("*.md"),
        *(ROOT / "examples").glob("*.yaml"),
        ROOT / "README.md",
    ]
    assert {"mental_health.yaml", "housing.yaml", "sanctuary.md", "caldicott.md"} <= {p.name for p in ours}
    for path in ours:
        w = words(path.read_text())
        copied = [" ".join(w[i : i + 8]) for i in range(len(w) - 7) if " ".join(w[i : i + 8]) in runs]
        assert not copied, f"{path.name} copies the source: {copied[0]!r}"
