"""The shipped multi-agency scenario, Ormsgate: police, probation, mental health, drug and alcohol
services, children's social care and housing each research the same (fictional) man. Every part's
model runs through the engine in its own flow, scores 100% against itself and draws no practice
advice, and the records overlap and disagree where the case says they do."""

from __future__ import annotations

import pytest

from marac_tui.cli import main
from marac_tui.store import Store
from marac_tui.submission import Status
from marac_tui.training.check import practice_check
from marac_tui.training.compare import compare
from marac_tui.training.scenarios import check_scenario, list_scenarios, load_scenario

SIX = ["police", "probation", "mental_health", "substance_misuse", "childrens_social_care", "housing"]
SCENARIO = load_scenario("ormsgate")
MODELS = SCENARIO.models()


def answers(agency: str) -> dict:
    return {k: a for k, a in MODELS[agency].perpetrators[0].answers.items()}


def value(agency: str, item: str):
    answer = answers(agency).get(item)
    return None if answer is None else answer.value


def test_it_is_listed_with_its_six_agencies() -> None:
    assert SCENARIO in list_scenarios()
    assert SCENARIO.multi_agency and SCENARIO.agencies() == SIX
    assert SCENARIO.path.read_text(encoding="utf-8").startswith("# FICTIONAL TRAINING SCENARIO")
    assert "FICTIONAL" in SCENARIO.fictional


@pytest.mark.parametrize("agency", SIX)
def test_each_part_has_its_own_brief_and_systems(agency: str) -> None:
    part = SCENARIO.part(agency)
    flow = SCENARIO.load_flow(agency)
    assert part.brief.strip() and part.teaching_points
    assert "Callan Druett" in SCENARIO.brief_for(agency)
    systems = SCENARIO.systems(agency)
    assert set(systems) & set(flow.sources), "the part's systems are the flow's sources"
    others = {s for a in SIX if a != agency for s in SCENARIO.systems(a)}
    assert set(systems) - others, f"{agency} has no system of its own"


@pytest.mark.parametrize("agency", SIX)
def test_each_model_runs_in_its_own_flow_and_scores_100_against_itself(agency: str) -> None:
    assert check_scenario(SCENARIO.path)[1] == []  # no warnings: every answer is asked
    model = SCENARIO.model_submission(agency)
    flow = SCENARIO.load_flow(agency)
    assert model.flow.name == agency and model.position is None and model.training == "ormsgate"
    assert model.header.case_ref == "OM-2026-0488"
    assert model.perpetrators[0].name(flow.perpetrators.name_item, 0) == "Callan James Druett"
    comparison = compare(model, SCENARIO.model_submission(agency), flow)
    assert comparison.percent == 100 and comparison.possible > 20
    assert practice_check(model, flow) == []
    assert model.perpetrators[0].risks and model.perpetrators[0].gaps() == []
    if flow.has_item("sharing_basis"):
        assert model.answers["sharing_basis"].value in {"dpa_safeguarding", "cda_s115"}


def test_the_records_disagree_about_weapons() -> None:
    assert value("police", "weapons") == "no" and answers("police")["weapons"].status == Status.nothing_held
    assert value("probation", "weapons") == "no"
    assert value("mental_health", "weapons") == "yes" and value("mental_health", "weapon_types") == ["bladed"]
    assert value("housing", "weapons") == "yes" and value("housing", "weapon_types") == ["crossbow"]


def test_only_housing_knows_his_own_flat_and_garage() -> None:
    assert "Mercer Court" in value("housing", "address")
    assert [p["address"] for p in value("housing", "premises")] == ["Garage 14, Mercer Court garages, Ormsgate"]
    for agency in ("police", "probation", "mental_health", "substance_misuse", "childrens_social_care"):
        texts = " ".join(str(a.value) for a in answers(agency).values())
        assert "Mercer Court" not in texts, agency


def test_only_the_drug_and_alcohol_service_knows_the_drinking_pattern() -> None:
    pattern = value("substance_misuse", "use_pattern_details")
    assert value("substance_misuse", "use_pattern") == "daily" and "before picking his daughter up" in pattern
    for agency in ("police", "probation"):
        assert "Saturday" not in (value(agency, "substance_details") or "")
    # ... and that he has stopped attending the treatment probation records as going well
    assert value("substance_misuse", "court_treatment_engagement") == "not_complying"
    assert value("probation", "engagement") == "good"


def test_identity_overlaps_and_differs() -> None:
    births = {a: str(value(a, "date_of_birth")) for a in SIX}
    assert {a for a, d in births.items() if d != "1990-05-09"} == {"housing"}
    assert births["housing"] == "1990-09-05"
    assert value("childrens_social_care", "aliases") == [{"name": "Callan Pryor", "type": "previous_surname",
                                                           "source": "Liquidlogic"}]  # fmt: skip
    asked = [a for a in SIX if SCENARIO.load_flow(a).has_item("relationship_to_victim")]
    assert {"mental_health", "substance_misuse", "childrens_social_care", "housing"} <= set(asked)
    assert {value(a, "relationship_to_victim") for a in asked} == {"ex_partner"}


def test_what_each_agency_withholds_stays_out_of_the_meeting_copy() -> None:
    from marac_tui.export import render

    withheld = {a: [k for k, x in answers(a).items() if not x.share] for a in SIX}
    assert withheld["housing"] == ["sanctuary_details"]
    assert withheld["childrens_social_care"] == ["own_childhood_details"]
    assert withheld["police"] == ["intelligence"]
    housing = render(MODELS["housing"], SCENARIO.load_flow("housing"), "md", "meeting").decode()
    assert "reinforced front door" not in housing and "Knows about the security at the victim's home" in housing
    mental_health = render(MODELS["mental_health"], SCENARIO.load_flow("mental_health"), "md", "meeting").decode()
    assert "Deputy Caldicott Guardian" in mental_health and "personality traits" not in mental_health


@pytest.mark.parametrize("agency", SIX)
def test_demo_opens_each_agencys_part(agency: str, capsys, data_dir) -> None:
    assert main(["demo", "--scenario", "ormsgate", "--agency", agency, "--no-tui"]) == 0
    out = capsys.readouterr().out
    assert SCENARIO.part(agency).brief.strip().splitlines()[0] in out
    [row] = Store(data_dir).list()
    assert row.flow == agency and row.training == "ormsgate"
    assert main(["compare", row.id]) == 0 and "Overall: 0%" in capsys.readouterr().out


def test_trainers_check_every_part(capsys) -> None:
    assert main(["scenarios", "ormsgate", "--check"]) == 0
    out = capsys.readouterr().out
    assert out.count("runs through the engine and the practice check is quiet") == 6
