"""Comparing a training run with the model: scores, missed and added items, and the debrief."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from marac_tui.engine.headless import run_answers
from marac_tui.engine.interview import Interview
from marac_tui.flow.loader import load_named
from marac_tui.submission import Submission
from marac_tui.training.check import label, phrase, practice_check
from marac_tui.training.compare import compare, value_score
from marac_tui.training.debrief import render_debrief
from marac_tui.training.scenarios import _plain, list_scenarios, load_scenario

SCENARIOS = [s for s in list_scenarios() if not s.multi_agency]  # parts: test_training_ormsgate.py


def as_trainee(answers: dict[str, Any]) -> Submission:
    interview = Interview(load_named("police"), prefill=False)
    run_answers(interview, answers, warn=lambda w: None)
    return interview.submission


def model_answers(name: str) -> dict[str, Any]:
    return copy.deepcopy(_plain(dict(load_scenario(name).model)))


def by_item(comparison, perpetrator=0):
    return {r.item: r for r in comparison.items if r.perpetrator == perpetrator}


@pytest.mark.parametrize("scenario", SCENARIOS, ids=lambda s: s.name)
def test_model_against_itself_scores_100(scenario):
    model = scenario.model_submission()
    comparison = compare(model, scenario.model_submission(), scenario.load_flow(), title=scenario.title)
    assert comparison.percent == 100
    assert all(s.percent == 100 for s in comparison.sections)
    assert comparison.look_again == []
    assert "Overall: 100%" in render_debrief(comparison)
    assert "Nothing: this matches the model." in render_debrief(comparison)


@pytest.mark.parametrize("scenario", SCENARIOS, ids=lambda s: s.name)
def test_scripted_incomplete_training_run(scenario):
    """A trainee who skips the first three findings, shares what should be withheld, and drops the actions."""
    answers = model_answers(scenario.name)
    first = answers["perpetrators"][0]
    flow = scenario.load_flow()
    model = scenario.model_submission()
    found = [
        k for k, a in model.perpetrators[0].answers.items() if a.status and a.status.value == "found" and not flow.item(k).when
    ]
    skipped = found[:3]
    for key in skipped:
        del first[key]
    for perpetrator in answers["perpetrators"]:
        perpetrator["actions"] = [{"heading": "support", "text": "Refer the victim to the IDVA service"}]
        for value in perpetrator.values():
            if isinstance(value, dict) and value.get("share") is False:
                value.pop("share")
                value.pop("reason")
    trainee = as_trainee(answers)

    comparison = compare(trainee, model, flow, title=scenario.title)
    results = by_item(comparison)
    assert all(results[k].outcome == "missed" for k in skipped)
    assert 30 < comparison.percent < 100
    assert results["actions"].outcome in ("missed", "partly")
    [missed] = [p for p in comparison.look_again if p.startswith(f"{comparison.who(0)}: missed ")]
    assert all(phrase(k) in missed for k in skipped)
    debrief = render_debrief(comparison, details=True)
    assert f"Overall: {comparison.percent}%" in debrief
    for key in skipped:
        assert f"MISSED    {comparison.who(0)}: {label(key)}" in debrief

    findings = practice_check(trainee, flow)
    assert {("not_checked", k) for k in skipped} <= {(f.rule, f.item) for f in findings}
    assert "victim_only_actions" in {f.rule for f in findings}
    assert "risk_without_action" in {f.rule for f in findings}


def test_an_empty_training_draft_scores_zero():
    scenario = load_scenario("linnet-close")
    empty = Submission.model_validate({"flow": {"name": "police", "version": "1.0"}, "training": scenario.name})
    comparison = compare(empty, scenario.model_submission(), scenario.load_flow())
    assert comparison.percent == 0
    assert comparison.strengths == []
    assert len(comparison.look_again) == 3


def test_withholding_counts_both_ways():
    answers = model_answers("kestrel-reach")
    relationships = answers["perpetrators"][0]["relationships"]
    relationships.pop("share"), relationships.pop("reason")
    answers["perpetrators"][0]["employment"]["share"] = False
    answers["perpetrators"][0]["employment"]["reason"] = "Not relevant to the risk"
    scenario = load_scenario("kestrel-reach")
    comparison = compare(as_trainee(answers), scenario.model_submission(), scenario.load_flow())
    results = by_item(comparison)
    assert results["relationships"].share_points == (0.0, 1.0)
    assert any("the model withholds this" in n for n in results["relationships"].notes)
    assert results["employment"].share_points == (0.0, 1.0)
    assert "you withheld this; the model shares it" in results["employment"].notes
    assert any("relationships shared; the model did the opposite" in n for n in comparison.look_again)


def test_added_and_not_checked_outcomes():
    answers = model_answers("linnet-close")
    p = answers["perpetrators"][0]
    p["weapons"] = {**p["weapons"], "value": "yes"}  # the model holds nothing on weapons
    p["weapon_types"] = {"value": ["bladed"], "source": "Intelligence", "checked": "2026-11-18", "basis": "fact"}
    del p["mental_health"]  # nothing held in the model: still has to be checked
    scenario = load_scenario("linnet-close")
    results = by_item(compare(as_trainee(answers), scenario.model_submission(), scenario.load_flow()))
    assert results["weapons"].outcome == "added" and results["weapons"].earned < results["weapons"].possible
    assert results["weapon_types"].outcome == "added" and results["weapon_types"].possible == 0
    assert results["mental_health"].outcome == "not_checked"


def test_perpetrators_matched_by_name_not_order():
    answers = model_answers("mill-yard")
    answers["perpetrators"].reverse()
    scenario = load_scenario("mill-yard")
    comparison = compare(as_trainee(answers), scenario.model_submission(), scenario.load_flow())
    assert comparison.percent == 100
    assert [p.trainee_index for p in comparison.perpetrators] == [1, 0]


def test_perpetrators_matched_by_order_when_names_differ():
    answers = model_answers("mill-yard")
    answers["perpetrators"][0]["full_name"] = "Marc Calloway"
    scenario = load_scenario("mill-yard")
    comparison = compare(as_trainee(answers), scenario.model_submission(), scenario.load_flow())
    assert [p.trainee_index for p in comparison.perpetrators] == [0, 1]
    assert by_item(comparison)["full_name"].outcome == "differs"
    assert 95 <= comparison.percent < 100


def test_a_missing_perpetrator_tops_the_debrief():
    answers = model_answers("mill-yard")
    answers["more_than_one"] = "no"
    del answers["perpetrator_count"]
    answers["perpetrators"] = answers["perpetrators"][:1]
    scenario = load_scenario("mill-yard")
    comparison = compare(as_trainee(answers), scenario.model_submission(), scenario.load_flow())
    assert comparison.look_again[0] == "The model researched Glenys Ann Calloway; your submission has no matching perpetrator"
    assert comparison.perpetrators[1].trainee_index is None
    assert comparison.percent < 70


@pytest.mark.parametrize(
    ("item", "model", "trainee", "score"),
    [
        ("threats_to_kill", "yes", "yes", 1.0),
        ("threats_to_kill", "yes", "no", 0.0),
        ("weapon_types", ["shotgun", "crossbow"], ["shotgun"], 0.5),
        ("weapon_types", ["shotgun"], ["crossbow"], 0.0),
        ("aliases", [{"name": "Cal"}, {"name": "kestrel_admin"}], [{"name": "  KESTREL_admin "}], 0.5),
        ("employment", "IT systems administrator", "it systems administrator, council", 1.0),
        ("employment", "IT systems administrator", "Plumber", 0.5),
        ("date_of_birth", "1985-09-14", "1985-09-14", 1.0),
        ("date_of_birth", "1985-09-14", "1985-09-15", 0.0),
        ("serial_details", "Three earlier partners", "Other words entirely", 1.0),
    ],
)
def test_values_are_compared_sensibly(item, model, trainee, score):
    assert value_score(load_named("police").item(item), model, trainee) == score


def test_debrief_is_plain_text_even_for_hostile_names():
    answers = model_answers("linnet-close")
    answers["perpetrators"][0]["full_name"] = "Dean \x1b[31m[red]Hartigan[/]"
    scenario = load_scenario("linnet-close")
    comparison = compare(as_trainee(answers), scenario.model_submission(), scenario.load_flow())
    text = render_debrief(comparison, details=True)
    assert "\x1b" not in text
    assert "Dean ?[31m[red]Hartigan[/]" in text


def test_comparison_json_has_scores():
    scenario = load_scenario("kestrel-reach")
    data = compare(scenario.model_submission(), scenario.model_submission(), scenario.load_flow()).to_json()
    assert data["percent"] == 100 and data["scenario"] == "kestrel-reach"
    assert {s["id"] for s in data["sections"]} >= {"serial", "employment_skills", "professionals", "plan"}


def test_labels_spell_the_acronyms_of_the_2026_items() -> None:
    """A trainer reads "Previous DVDS: marked not checked", not "Previous dvds"."""
    assert [label(i) for i in ("previous_dvds", "ccb_sentence", "visor", "mappa_category", "police_da_enquiries")] == [
        "Previous DVDS", "CCB sentence", "ViSOR", "MAPPA category", "Police DA enquiries"]  # fmt: skip
    assert [label(i) for i in ("pdp", "iom", "matac", "dash_grade", "dapo_pilot_area")] == [
        "PDP", "IOM", "MATAC", "DASH grade", "DAPO pilot area"]  # fmt: skip
