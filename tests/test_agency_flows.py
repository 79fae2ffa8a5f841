"""The other agencies' flows (mental health, drug and alcohol, children's social care, housing): each is
its own interview with its own sources, sections, guidance and sharing rules; every item the issue asks
for is asked, follow-ups open only when relevant, each risk fires on crafted answers and stays silent
otherwise, each risk has a suggestion that fits, and each flow runs headless from its example answers
file into every export. All names and details are fictional."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import docx
import jsonschema
import pytest

from marac_tui.cli import main
from marac_tui.engine.interview import Interview
from marac_tui.export import render
from marac_tui.flow.loader import guidance_text, load_named, practice_text
from marac_tui.flow.spec import Flow
from marac_tui.flow.values import AnswerError
from marac_tui.store import Store
from marac_tui.submission import submission_schema

ROOT = Path(__file__).resolve().parent.parent
AGENCY_FLOWS = ["mental_health", "substance_misuse", "childrens_social_care", "housing"]
HEALTH_FLOWS = ["mental_health", "substance_misuse"]
CASE = {"case_ref": "MC-2026-0917", "marac_date": "2026-12-10", "representative": "Ines Calloway",
        "agency": "Fernhollow services", "sharing_basis": "dpa_safeguarding", "caldicott_consulted": "not_required",
        "more_than_one": "no"}  # fmt: skip

# The systems each agency really checks (at least these are offered as "where found").
SOURCES = {
    "mental_health": {"RiO", "SystmOne", "EMIS", "Mental Health Act office"},
    "substance_misuse": {"NDTMS", "Provider case system", "Needle and syringe programme"},
    "childrens_social_care": {"Liquidlogic", "Mosaic", "CP-IS"},
    "housing": {"Housing management system", "Northgate", "ASB case system"},
}

# The issue's "must have" list, item by item: what each flow must ask (with no gate opened).
MUST_ASK = {
    "mental_health": {
        "known to services, open or closed": ["mh_known"],
        "diagnosis as recorded, fact vs opinion": ["diagnosis_status"],
        "care coordinator and care plan": ["care_coordinator", "care_plan"],
        "Mental Health Act detentions and CTOs": ["mha_detentions", "cto"],
        "disengagement or missed appointments": ["missed_appointments"],
        "disclosed thoughts of harming the victim or others": ["harm_thoughts"],
        "self-harm and suicide risk": ["self_harm", "suicide_risk"],
        "medication compliance where it affects risk": ["medication_risk"],
        "risk to staff": ["risk_to_professionals"],
        "shared clinician or GP": ["shared_clinician"],
    },
    "substance_misuse": {
        "in treatment or not": ["treatment_status"],
        "substances and pattern of use": ["substance_misuse"],
        "link between use and incidents": ["use_incident_link"],
        "court treatment requirements": ["court_treatment"],
        "dropout or recent relapse": ["dropout_relapse"],
        "risk to staff": ["risk_to_professionals"],
    },
    "childrens_social_care": {
        "every child in contact, status, social worker, parental responsibility": ["children_in_contact"],
        "child protection concerns": ["child_protection"],
        "conferences and pre-birth assessments": ["cp_conferences", "pre_birth"],
        "children previously removed": ["children_removed"],
        "family court proceedings": ["family_proceedings"],
        "contact arrangements": ["contact_arrangements", "contact_risk"],
        "the person's own childhood": ["own_childhood"],
    },
    "housing": {
        "tenancy status": ["tenancy_status"],
        "address history": ["address_history"],
        "homelessness applications": ["homeless", "homeless_application"],
        "ASB cases, injunctions, closure orders": ["asb_case"],
        "staff warning markers": ["risk_to_professionals"],
        "access to other properties and keys": ["premises", "keys_to_victim_home"],
        "sanctuary or target-hardening at the victim's home": ["sanctuary"],
    },
}

# Answers that keep every gate shut: no follow-up is asked, no risk is raised.
QUIET: dict[str, dict[str, Any]] = {
    "mental_health": {
        "mh_known": "none", "mental_health": "no", "diagnosis_status": "none", "care_plan": "no",
        "mha_detentions": [], "cto": "no", "missed_appointments": "no", "medication_risk": "no",
        "harm_thoughts": "no", "self_harm": "no", "weapons": "no", "substance_misuse": "no",
        "child_protection": "no", "risk_to_professionals": "no", "shared_clinician": "no",
    },
    "substance_misuse": {
        "treatment_status": "none", "substance_misuse": "no", "use_incident_link": "no", "court_treatment": "no",
        "dropout_relapse": "no", "self_harm": "no", "child_protection": "no", "risk_to_professionals": "no",
    },
    "childrens_social_care": {
        "children_in_contact": [], "child_protection": "no", "cp_conferences": "no", "pre_birth": "no",
        "children_removed": "no", "family_proceedings": "no", "contact_risk": "no", "own_childhood": "no",
        "risk_to_professionals": "no",
    },
    "housing": {
        "homeless": "no", "tenancy_status": "none", "financial_control": "no", "address_history": [],
        "homeless_application": "no", "asb_case": "no", "risk_to_professionals": "no", "premises": [],
        "keys_to_victim_home": "no", "weapons": "no", "sanctuary": "no",
    },
}  # fmt: skip

# (answers that open a gate) → the follow-ups asked only then.
FOLLOW_UPS: dict[str, list[tuple[dict[str, Any], list[str]]]] = {
    "mental_health": [
        ({"mh_known": "open"}, ["mh_team", "mh_open_since", "mh_engagement"]),
        ({"mh_known": "closed"}, ["mh_team", "mh_closed_on", "mh_closed_reason"]),
        ({"mental_health": "yes"}, ["mental_health_risk"]),
        ({"diagnosis_status": "working"}, ["diagnosis"]),
        ({"care_plan": "yes"}, ["care_plan_reviewed", "care_plan_abuse"]),
        ({"cto": "yes"}, ["cto_details"]),
        ({"missed_appointments": "yes"}, ["missed_appointments_details"]),
        ({"medication_risk": "yes"}, ["medication_details"]),
        ({"harm_thoughts": "yes"}, ["harm_thoughts_details"]),
        ({"self_harm": "yes"}, ["self_harm_details"]),
        ({"weapons": "yes"}, ["weapon_types", "weapons_location"]),
        ({"substance_misuse": "yes"}, ["substance_types"]),
        ({"child_protection": "yes"}, ["child_protection_details"]),
        ({"risk_to_professionals": "yes"}, ["risk_to_professionals_details"]),
        ({"shared_clinician": "yes"}, ["shared_clinician_details"]),
    ],
    "substance_misuse": [
        ({"treatment_status": "in_treatment"}, ["treatment_since", "treatment_type", "key_worker"]),
        ({"treatment_status": "contact_only"}, ["contact_only_details", "key_worker"]),
        ({"treatment_status": "previous"}, ["treatment_ended", "treatment_exit", "key_worker"]),
        ({"substance_misuse": "yes"}, ["substance_types", "substances_named", "use_pattern", "use_pattern_details"]),
        ({"use_incident_link": "yes"}, ["use_incident_link_details"]),
        ({"court_treatment": "yes"}, ["court_treatment_type", "court_treatment_engagement", "probation_officer"]),
        ({"dropout_relapse": "yes"}, ["dropout_relapse_details"]),
        ({"self_harm": "yes"}, ["self_harm_details"]),
        ({"child_protection": "yes"}, ["child_protection_details"]),
        ({"risk_to_professionals": "yes"}, ["risk_to_professionals_details"]),
    ],
    "childrens_social_care": [
        ({"child_protection": "yes"}, ["child_protection_details"]),
        ({"cp_conferences": "yes"}, ["cp_conferences_details"]),
        ({"pre_birth": "yes"}, ["pre_birth_details"]),
        ({"children_removed": "yes"}, ["children_removed_details"]),
        ({"family_proceedings": "yes"}, ["family_proceedings_details", "cafcass"]),
        ({"family_proceedings": "yes", "cafcass": "yes"}, ["cafcass_details"]),
        ({"own_childhood": "yes"}, ["own_childhood_details"]),
        ({"risk_to_professionals": "yes"}, ["risk_to_professionals_details"]),
    ],
    "housing": [
        ({"homeless": "yes"}, ["homeless_details"]),
        ({"tenancy_status": "joint_tenant"}, ["tenancy_type", "joint_with_victim", "tenancy_details"]),
        ({"tenancy_status": "household_member"}, ["joint_with_victim", "tenancy_details"]),
        ({"financial_control": "yes"}, ["financial_control_details"]),
        ({"homeless_application": "yes"}, ["homeless_application_details"]),
        ({"asb_case": "yes"}, ["asb_measures", "asb_details"]),
        ({"risk_to_professionals": "yes"}, ["staff_warning", "risk_to_professionals_details"]),
        ({"weapons": "yes"}, ["weapon_types", "weapons_location"]),
        ({"sanctuary": "yes"}, ["sanctuary_known", "sanctuary_details"]),
    ],
}

# risk id → (answers that raise it, the answers it cites, answer sets that must keep it silent)
RISKS: dict[str, dict[str, tuple[dict[str, Any], list[str], list[dict[str, Any]]]]] = {
    "mental_health": {
        "mental_health": ({"mental_health": "yes", "mental_health_risk": "yes"}, ["mental_health", "mental_health_risk"],
                          [{"mental_health": "yes", "mental_health_risk": "no"}, {"mental_health": "unknown"}]),
        "harm_disclosed": ({"harm_thoughts": "yes"}, ["harm_thoughts"], [{"harm_thoughts": "unknown"}]),
        "self_harm": ({"self_harm": "yes"}, ["self_harm"], [{"self_harm": "unknown"}]),
        "disengaged": ({"mh_known": "open", "mh_engagement": "poor"}, ["mh_engagement"],
                       [{"mh_known": "open", "mh_engagement": "good"}, {"missed_appointments": "unknown"},
                        {"mh_known": "closed", "mh_closed_reason": "recovered"}]),
        "medication": ({"medication_risk": "yes"}, ["medication_risk"], [{"medication_risk": "unknown"}]),
        "compulsory_care": ({"cto": "yes"}, ["cto"], [{"cto": "unknown"}]),
        "care_plan_gap": ({"care_plan": "yes", "care_plan_abuse": "no"}, ["care_plan", "care_plan_abuse"],
                          [{"care_plan": "yes", "care_plan_abuse": "yes"}, {"care_plan": "yes", "care_plan_abuse": "unknown"}]),
        "shared_clinician": ({"shared_clinician": "yes"}, ["shared_clinician"], [{"shared_clinician": "unknown"}]),
        "weapons": ({"weapons": "yes"}, ["weapons"], [{"weapons": "unknown"}]),
        "substance_misuse": ({"substance_misuse": "yes"}, ["substance_misuse"], [{"substance_misuse": "unknown"}]),
        "children": ({"child_protection": "yes"}, ["child_protection"], [{"child_protection": "unknown"}]),
        "professionals": ({"risk_to_professionals": "yes"}, ["risk_to_professionals"], [{"risk_to_professionals": "unknown"}]),
    },
    "substance_misuse": {
        "substance_misuse": ({"treatment_status": "in_treatment", "substance_misuse": "yes"}, ["substance_misuse"],
                             [{"substance_misuse": "unknown"}]),
        "use_linked": ({"use_incident_link": "yes"}, ["use_incident_link"], [{"use_incident_link": "unknown"}]),
        "not_in_treatment": ({"treatment_status": "contact_only", "substance_misuse": "yes"}, ["substance_misuse", "treatment_status"],
                             [{"treatment_status": "in_treatment", "substance_misuse": "yes"},
                              {"treatment_status": "contact_only", "substance_misuse": "no"}]),
        "dropout": ({"treatment_status": "previous", "treatment_exit": "dropped_out"}, ["treatment_exit"],
                    [{"treatment_status": "previous", "treatment_exit": "completed"}, {"dropout_relapse": "unknown"}]),
        "court_requirement": ({"court_treatment": "yes", "court_treatment_engagement": "not_complying"},
                              ["court_treatment_engagement"],
                              [{"court_treatment": "yes", "court_treatment_engagement": "complying"}]),
        "self_harm": ({"self_harm": "yes"}, ["self_harm"], [{"self_harm": "unknown"}]),
        "children": ({"child_protection": "yes"}, ["child_protection"], [{"child_protection": "unknown"}]),
        "professionals": ({"risk_to_professionals": "yes"}, ["risk_to_professionals"], [{"risk_to_professionals": "unknown"}]),
    },
    "childrens_social_care": {
        "children": ({"child_protection": "yes"}, ["child_protection"], [{"child_protection": "unknown"}]),
        "pre_birth": ({"pre_birth": "yes"}, ["pre_birth"], [{"pre_birth": "unknown"}]),
        "previous_removal": ({"children_removed": "yes"}, ["children_removed"], [{"children_removed": "unknown"}]),
        "child_contact": ({"family_proceedings": "yes"}, ["family_proceedings"], [{"family_proceedings": "unknown"}]),
        "contact_abuse": ({"contact_risk": "yes"}, ["contact_risk"], [{"contact_risk": "unknown"}]),
        "professionals": ({"risk_to_professionals": "yes"}, ["risk_to_professionals"], [{"risk_to_professionals": "unknown"}]),
    },
    "housing": {
        "homeless": ({"homeless": "yes"}, ["homeless"], [{"homeless": "unknown"}]),
        "home_access": ({"keys_to_victim_home": "yes"}, ["keys_to_victim_home"],
                        [{"keys_to_victim_home": "unknown"}, {"tenancy_status": "tenant", "joint_with_victim": "no"}]),
        "security_known": ({"sanctuary": "yes", "sanctuary_known": "unknown"}, ["sanctuary", "sanctuary_known"],
                           [{"sanctuary": "yes", "sanctuary_known": "no"}, {"sanctuary": "unknown"}]),
        "asb": ({"asb_case": "yes"}, ["asb_case"], [{"asb_case": "unknown"}]),
        "economic_abuse": ({"financial_control": "yes"}, ["financial_control"], [{"financial_control": "unknown"}]),
        "weapons": ({"weapons": "yes"}, ["weapons"], [{"weapons": "unknown"}]),
        "professionals": ({"risk_to_professionals": "yes"}, ["risk_to_professionals"], [{"risk_to_professionals": "unknown"}]),
    },
}  # fmt: skip

ALL_RISKS = [(name, risk) for name in AGENCY_FLOWS for risk in RISKS[name]]


def walk(flow: Flow, answers: dict[str, Any]) -> tuple[Interview, list[str]]:
    """Walk the whole flow: answer what `answers` (or CASE) holds, skip the rest; the items asked."""
    iv = Interview(flow, prefill=False)
    given = {"full_name": "Rowan Pellick", **CASE, **answers}
    asked = []
    while not iv.done:
        item_id = iv.state
        asked.append(item_id)
        if item_id in given:
            iv.answer(given[item_id])
        else:
            iv.skip()
    return iv, asked


def raised(flow: Flow, answers: dict[str, Any]) -> dict[str, list[str]]:
    iv, _ = walk(flow, {**QUIET[flow.name], **answers})
    return {flag.id: flag.cites for flag in iv.submission.perpetrators[0].risks}


def offered(flow: Flow, answers: dict[str, Any]) -> list[str]:
    iv, _ = walk(flow, {**QUIET[flow.name], **answers})
    return [s.id for s in iv.suggestions(0)]


@pytest.fixture(params=AGENCY_FLOWS)
def flow(request: pytest.FixtureRequest) -> Flow:
    return load_named(request.param)


# --- what each flow is ------------------------------------------------------------------------------


def test_each_flow_has_its_own_title_agency_sources_and_description(flow: Flow) -> None:
    others = [load_named(n) for n in ["police", "probation", *AGENCY_FLOWS] if n != flow.name]
    assert flow.title not in {o.title for o in others}
    assert flow.agency and flow.agency not in {o.agency for o in others}
    assert flow.description and len(flow.description) <= 60  # one line in the chooser, even at 80 columns
    assert SOURCES[flow.name] <= set(flow.sources)
    assert flow.sources[-1] == "Other"
    assert [h.id for h in flow.action_headings] == ["enforce", "disrupt", "manage", "support"]


def test_the_case_section_comes_first_with_the_shared_items(flow: Flow) -> None:
    case = flow.sections[0]
    assert case.scope == "case" and case.id == "case"
    expected = ["case_ref", "marac_date", "representative", "agency", "sharing_basis", "sharing_basis_details"]
    if flow.name in HEALTH_FLOWS:
        expected += ["caldicott_consulted", "caldicott_details"]
    expected += ["more_than_one", "perpetrator_count"]
    assert [i.id for i in case.items] == expected
    assert flow.item("agency").default == flow.agency
    assert [s.scope for s in flow.sections[1:]] == ["perpetrator"] * (len(flow.sections) - 1)
    assert flow.perpetrators.name_item == "full_name"


def test_sharing_basis_is_asked_and_other_needs_details(flow: Flow) -> None:
    _, asked = walk(flow, {**QUIET[flow.name], "sharing_basis": "consent"})
    assert "sharing_basis" in asked and "sharing_basis_details" not in asked
    iv, asked = walk(flow, {**QUIET[flow.name], "sharing_basis": "other",
                            "sharing_basis_details": "Children Act 1989, s.47 enquiries; agreed by the team manager"})  # fmt: skip
    assert "sharing_basis_details" in asked
    assert iv.submission.answers["sharing_basis_details"].value.startswith("Children Act 1989")
    labels = {o.value: o.label for o in flow.item("sharing_basis").options or ()}
    assert "Schedule 1" in labels["dpa_safeguarding"] and "section 115" in labels["cda_s115"]


@pytest.mark.parametrize("name", HEALTH_FLOWS)
def test_health_flows_ask_about_the_caldicott_guardian(name: str) -> None:
    flow = load_named(name)
    _, asked = walk(flow, {**QUIET[name], "caldicott_consulted": "yes", "caldicott_details": "Dr Ashdown, 24/11/2026"})
    assert {"caldicott_consulted", "caldicott_details"} <= set(asked)
    _, asked = walk(flow, {**QUIET[name], "caldicott_consulted": "not_required"})
    assert "caldicott_details" not in asked
    assert "Caldicott" in (guidance_text(flow, "caldicott_consulted") or "")


@pytest.mark.parametrize("name", ["childrens_social_care", "housing"])
def test_only_health_flows_ask_about_caldicott(name: str) -> None:
    assert not load_named(name).has_item("caldicott_consulted")


def test_practice_rules_say_what_the_agency_must_not_share(flow: Flow) -> None:
    text = practice_text(flow)
    assert text and text.startswith("# ")
    assert "Do not share" in text
    assert "do not contact the victim" in text.lower()
    if flow.name in HEALTH_FLOWS:
        assert "clinical detail" in text or "treatment detail" in text


# --- the items --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "need"), [(n, need) for n in AGENCY_FLOWS for need in MUST_ASK[n]], ids=lambda v: str(v)[:40]
)
def test_every_item_the_issue_asks_for_is_asked_with_guidance(name: str, need: str) -> None:
    flow = load_named(name)
    _, asked = walk(flow, QUIET[name])
    for item_id in MUST_ASK[name][need]:
        assert item_id in asked, f"{name} does not ask {item_id} ({need})"
        assert flow.is_research(item_id) and flow.section_of(item_id).scope == "perpetrator"
        text = guidance_text(flow, item_id)
        assert text and len(text) > 200, f"{item_id} has no 'why this matters' guidance"


def test_every_research_section_has_its_own_guidance(flow: Flow) -> None:
    for section in flow.sections:
        if section.research:
            assert section.guidance, section.id
            text = (ROOT / "prompts" / section.guidance).read_text(encoding="utf-8")
            assert len(text) > 200, section.id


def test_quiet_answers_ask_no_follow_up_raise_nothing_and_suggest_nothing(flow: Flow) -> None:
    iv, asked = walk(flow, QUIET[flow.name])
    follow_ups = {f for _, fs in FOLLOW_UPS[flow.name] for f in fs}
    assert not follow_ups & set(asked)
    perpetrator = iv.submission.perpetrators[0]
    assert perpetrator.risks == [] and iv.suggestions(0) == []
    # "no" and an empty list are recorded as nothing held, not as a finding
    assert {a.status.value for k, a in perpetrator.answers.items() if k in QUIET[flow.name]} == {"nothing_held"}


@pytest.mark.parametrize(
    ("name", "index"), [(n, i) for n in AGENCY_FLOWS for i in range(len(FOLLOW_UPS[n]))], ids=lambda v: str(v)
)
def test_follow_ups_open_only_on_their_gate(name: str, index: int) -> None:
    flow = load_named(name)
    gate, follow_ups = FOLLOW_UPS[name][index]
    _, asked = walk(flow, {**QUIET[name], **gate})
    _, quiet = walk(flow, QUIET[name])
    for item_id in follow_ups:
        assert item_id in asked and item_id not in quiet, item_id
        assert asked.index(item_id) > max(asked.index(g) for g in gate)


def test_prompts_are_short_and_plain(flow: Flow) -> None:
    for _, item in flow.all_items():
        assert len(item.prompt) <= 110, item.id
        assert item.prompt.rstrip().endswith(("?", ".")), item.id


def test_nhs_number_is_checked() -> None:
    flow = load_named("mental_health")
    iv, _ = walk(flow, QUIET["mental_health"])
    iv.jump("nhs_number", 0)
    with pytest.raises(AnswerError, match="an NHS number has ten digits"):
        iv.answer("12345")
    iv.answer("943 476 5919")
    assert iv.submission.perpetrators[0].answers["nhs_number"].value == "943 476 5919"


def test_every_child_is_recorded_with_status_plan_category_worker_and_parental_responsibility() -> None:
    flow = load_named("childrens_social_care")
    child = {"name": "Poppy Vell (5), his daughter", "status": "cp_plan",
             "cp_category": "Emotional abuse", "social_worker": "Tom Farrell, Fernhollow", "parental_responsibility": "yes"}
    iv, _ = walk(flow, {**QUIET["childrens_social_care"], "children_in_contact": [child, {"name": "Kian Reece",
                                                                                           "status": "Looked after"}]})
    stored = iv.submission.perpetrators[0].answers["children_in_contact"].value
    assert stored == [child, {"name": "Kian Reece", "status": "looked_after"}]  # fmt: skip
    fields = {f.id: f for f in flow.item("children_in_contact").fields or ()}
    assert {"child_in_need", "cp_plan", "looked_after"} <= {o.value for o in fields["status"].options or ()}
    with pytest.raises(AnswerError, match=r"children_in_contact\[1\].status: 'adopted' is not one of the options"):
        walk(flow, {**QUIET["childrens_social_care"], "children_in_contact": [{"name": "A", "status": "adopted"}]})


def test_mental_health_act_detentions_are_a_list_by_section() -> None:
    flow = load_named("mental_health")
    detentions = [{"section": "s136", "dates": "03/2024", "place": "Fernhollow place of safety", "note": "Found on a bridge"},
                  {"section": "Section 2 (assessment)", "dates": "03/2024 to 04/2024"}]
    iv, _ = walk(flow, {**QUIET["mental_health"], "mha_detentions": detentions})
    assert [d["section"] for d in iv.submission.perpetrators[0].answers["mha_detentions"].value] == ["s136", "s2"]


# --- risks and actions ------------------------------------------------------------------------------


def test_every_risk_rule_is_tested(flow: Flow) -> None:
    assert {r.id for r in flow.risks} == set(RISKS[flow.name])


@pytest.mark.parametrize(("name", "risk"), ALL_RISKS, ids=lambda v: str(v))
def test_risk_fires_on_its_answers_and_cites_them(name: str, risk: str) -> None:
    answers, cites, _ = RISKS[name][risk]
    assert raised(load_named(name), answers)[risk] == cites


@pytest.mark.parametrize(("name", "risk"), ALL_RISKS, ids=lambda v: str(v))
def test_risk_stays_silent_otherwise(name: str, risk: str) -> None:
    flow = load_named(name)
    for quiet in RISKS[name][risk][2]:
        assert risk not in raised(flow, quiet), quiet


@pytest.mark.parametrize(("name", "risk"), ALL_RISKS, ids=lambda v: str(v))
def test_a_raised_risk_is_offered_an_action_that_fits(name: str, risk: str) -> None:
    flow = load_named(name)
    iv, _ = walk(flow, {**QUIET[name], **RISKS[name][risk][0]})
    suggestions = iv.suggestions(0)
    assert any(risk in [r.id for r in s.risks] for s in suggestions)
    assert all(s.reason() for s in suggestions)


def test_every_action_has_an_owner_and_every_risk_an_action(flow: Flow) -> None:
    assert all(a.owner for a in flow.actions)
    assert {r.id for r in flow.risks} <= {r for a in flow.actions for r in a.addresses}
    assert {a.heading for a in flow.actions} == {"enforce", "disrupt", "manage", "support"}


# The issue's example actions, by flow.
EXAMPLE_ACTIONS = {
    "mental_health": ["mha_assessment", "care_plan_review"],
    "substance_misuse": ["re_engagement", "share_with_probation"],
    "childrens_social_care": ["strategy_discussion", "cp_conference", "contact_review"],
    "housing": ["management_transfer", "injunction", "tenancy_enforcement"],
}


def test_the_issues_example_actions_are_offered(flow: Flow) -> None:
    assert set(EXAMPLE_ACTIONS[flow.name]) <= {a.id for a in flow.actions}


def test_housing_tenancy_actions_fit_the_person() -> None:
    flow = load_named("housing")
    asb = {"asb_case": "yes", "asb_measures": ["warning"]}
    assert "tenancy_enforcement" in offered(flow, {**asb, "tenancy_status": "tenant"})
    assert "tenancy_enforcement" not in offered(flow, {**asb, "tenancy_status": "tenant", "homeless": "yes"})
    assert "tenancy_enforcement" not in offered(flow, {**asb, "tenancy_status": "household_member"})
    assert "tenancy_support" not in offered(flow, {**asb, "homeless": "yes"})
    joint = {"tenancy_status": "joint_tenant", "joint_with_victim": "yes"}
    assert "sole_tenancy" in offered(flow, joint)
    assert "sole_tenancy" not in offered(flow, {"keys_to_victim_home": "yes"})
    assert "closure_order" not in offered(flow, {"asb_case": "yes", "asb_measures": ["closure_order"]})


def test_mental_health_actions_fit_the_person() -> None:
    flow = load_named("mental_health")
    assert "firearms_notify" in offered(flow, {"weapons": "yes", "weapon_types": ["shotgun"]})
    assert "firearms_notify" not in offered(flow, {"weapons": "yes", "weapon_types": ["bladed"]})
    assert "report_disclosure" in offered(flow, {"weapons": "yes", "weapon_types": ["bladed"]})
    assert "care_plan_review" not in offered(flow, {"harm_thoughts": "yes"})
    assert "care_plan_review" in offered(flow, {"harm_thoughts": "yes", "care_plan": "yes", "care_plan_abuse": "yes"})


def test_substance_misuse_actions_fit_the_person() -> None:
    flow = load_named("substance_misuse")
    using = {"substance_misuse": "yes", "substance_types": ["alcohol"], "use_incident_link": "yes"}
    in_treatment = offered(flow, {**using, "treatment_status": "in_treatment"})
    assert "treatment_review" in in_treatment and "treatment_offer" not in in_treatment
    previously = offered(flow, {**using, "treatment_status": "previous"})
    assert "treatment_offer" in previously and "treatment_review" not in previously
    assert "alcohol_conditions" in previously
    assert "alcohol_conditions" not in offered(flow, {**using, "substance_types": ["drugs"]})
    assert "share_with_probation" not in previously
    assert "share_with_probation" in offered(flow, {**using, "court_treatment": "yes"})


def test_childrens_social_care_court_links_need_proceedings() -> None:
    flow = load_named("childrens_social_care")
    assert "family_court_links" not in offered(flow, {"contact_risk": "yes"})
    assert "family_court_links" in offered(flow, {"contact_risk": "yes", "family_proceedings": "yes"})


# --- headless runs and exports ---------------------------------------------------------------------


def docx_text(data: bytes) -> str:
    document = docx.Document(io.BytesIO(data))
    parts = [p.text for p in document.paragraphs]
    parts += [p.text for t in document.tables for row in t.rows for cell in row.cells for p in cell.paragraphs]
    return "\n".join(parts)


@pytest.mark.parametrize("name", AGENCY_FLOWS)
def test_example_answers_run_headless_and_every_export_renders(name: str, capsys, data_dir, tmp_path) -> None:
    example = ROOT / "examples" / f"{name}-answers.yaml"
    assert main(["run", "--flow", name, "--answers", str(example)]) == 0
    out, err = capsys.readouterr()
    assert "warning" not in err.lower(), err
    submission = Store(data_dir).load(out.strip().splitlines()[-1])
    assert submission.position is None  # the run reached the end
    flow = load_named(name)
    [perpetrator] = submission.perpetrators
    assert perpetrator.risks and perpetrator.actions() and perpetrator.gaps() == []
    basis = flow.item("sharing_basis").option_label(submission.answers["sharing_basis"].value)

    markdown = render(submission, flow, "md", "meeting").decode("utf-8")
    assert basis in markdown and "Darren Quillfeather" in markdown
    assert flow.sections[1].title in markdown and "Proposed actions" in markdown
    assert basis in docx_text(render(submission, flow, "docx", "meeting"))
    data = json.loads(render(submission, flow, "json", "meeting"))
    jsonschema.Draft202012Validator(submission_schema()).validate(data)
    assert data["flow"]["name"] == name and data["answers"]["sharing_basis"]["value"]
    [row] = list(csv.DictReader(io.StringIO(render(submission, flow, "csv", "meeting").decode("utf-8-sig"))))
    assert row["Basis for sharing"] == basis and row["Case reference"] == "MC-2026-0142"
    assert row["Risk flags"] == str(len(perpetrator.risks))

    assert main(["summary", str(submission.id)]) == 0
    assert f"Shared under: {basis}" in capsys.readouterr().out
    for fmt in ("docx", "md", "json", "csv"):
        target = tmp_path / f"{name}.{fmt}"
        assert main(["export", str(submission.id), "--format", fmt, "--out", str(target)]) == 0
        assert target.stat().st_size > 0


def test_the_health_caldicott_answer_reaches_the_exports(capsys, data_dir) -> None:
    example = ROOT / "examples" / "mental_health-answers.yaml"
    assert main(["run", "--flow", "mental_health", "--answers", str(example)]) == 0
    submission = Store(data_dir).load(capsys.readouterr()[0].strip().splitlines()[-1])
    markdown = render(submission, load_named("mental_health"), "md", "meeting").decode("utf-8")
    assert "Was the Caldicott Guardian (or their deputy) consulted about sharing?** Yes, consulted" in markdown


def test_flow_check_passes_on_every_flow(capsys) -> None:
    paths = sorted(str(p) for p in (ROOT / "flows").glob("*.yaml"))
    assert len(paths) >= 6
    assert main(["flow", "check", *paths]) == 0
    out = capsys.readouterr().out
    assert all(f"{p}: ok" in out for p in paths)



def test_plain_mode_offers_every_flow_and_tells_the_agencys_sharing_rules(tmp_path) -> None:
    from tests.plain_support import assert_no_escapes, run_piped

    result = run_piped(tmp_path / "store", [], ["6", "quit"])
    assert result.returncode == 0, result.stderr
    assert_no_escapes(result.stdout)
    listed = [line for line in result.stdout.splitlines() if line[:2] in {f"{n}." for n in range(1, 7)}]
    assert [line.split(":")[0] for line in listed] == [
        "1. Police researcher", "2. Probation officer", "3. Children's social care", "4. Drug and alcohol services",
        "5. Housing provider", "6. Mental health services"]  # fmt: skip
    assert "marac-tui plain mode: Mental health services. New submission" in result.stdout
    assert "Sharing from mental health records" in result.stdout
    assert "Do not share clinical detail beyond what the risk needs" in result.stdout
