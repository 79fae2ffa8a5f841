"""Shipped scenarios: they load, their models run through the engine, and together they cover the flow."""

from __future__ import annotations

from pathlib import Path

import pytest

from marac_tui.engine.interview import Interview
from marac_tui.errors import UserError
from marac_tui.flow.loader import available_flows, load_named
from marac_tui.store import Store
from marac_tui.submission import Status
from marac_tui.training.scenarios import (
    ScenarioError,
    check_scenario,
    list_scenarios,
    load_scenario,
    reset_training,
    scenarios_dir,
    start_training,
)

SCENARIOS = list_scenarios()


def test_at_least_three_scenarios_ship():
    assert len(SCENARIOS) >= 3
    assert [s.level for s in SCENARIOS] == sorted(s.level for s in SCENARIOS)


def test_scenarios_are_not_mistaken_for_flows():
    assert not set(available_flows()) & {s.name for s in SCENARIOS}


@pytest.mark.parametrize("scenario", SCENARIOS, ids=lambda s: s.name)
def test_model_runs_cleanly_through_the_engine(scenario):
    assert check_scenario(scenario.path) == (scenario, [])  # no warnings: every answer is asked
    for agency, model in scenario.models().items():  # one model, or one per agency's part
        assert model.flow.name == agency
        assert model.position is None  # the interview reached the end
        assert model.training == scenario.name
        assert model.header.case_ref


@pytest.mark.parametrize("scenario", SCENARIOS, ids=lambda s: s.name)
def test_every_scenario_is_plainly_fictional(scenario):
    text = scenario.path.read_text(encoding="utf-8")
    assert "FICTIONAL" in scenario.fictional
    assert text.startswith("# FICTIONAL TRAINING SCENARIO")
    assert scenario.brief.strip() and all(part.facts for part in scenario.all_parts())
    assert {"PNC", "PND", "Force system", "Intelligence", "Partner agencies"} <= set(scenario.systems())


def police_models():
    """Every shipped police model: the one-flow cases and the police part of multi-agency ones."""
    return [s.model_submission("police") for s in SCENARIOS if "police" in s.agencies()]


def test_scenarios_exercise_every_research_item():
    flow = load_named("police")
    research = {item.id for _, item in flow.all_items() if flow.is_research(item.id)}
    found: set[str] = set()
    for model in police_models():
        for perpetrator in model.perpetrators:
            found |= {k for k, a in perpetrator.answers.items() if a.status == Status.found}
    assert sorted(research - found) == []


def test_scenarios_cover_the_hard_cases():
    models = police_models()
    perpetrators = [p for m in models for p in m.perpetrators]
    risks = {r.id for p in perpetrators for r in p.risks}
    assert any(len(m.perpetrators) > 1 for m in models), "several perpetrators in one case"
    assert {"serial", "weapons", "professionals"} <= risks
    assert any(p.answers["it_systems"].value for p in perpetrators), "IT access"
    withheld = [a for p in perpetrators for a in p.answers.values() if not a.share]
    assert withheld and all(len(a.withhold_reason.split()) > 5 for a in withheld)
    assert all(m.answers["more_than_one"].value in ("yes", "no") for m in models)


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / f"{name}.yaml"
    path.write_text(text, encoding="utf-8")
    return path


BASE = """name: broken
title: Broken
flow: police
fictional: "FICTIONAL TRAINING CASE"
summary: A test.
brief: Read me.
facts:
  - {system: PNC, screen: Nothing.}
model:
  case_ref: T-1
  marac_date: 2026-12-01
  representative: Tester
  agency: Police
  more_than_one: "no"
  perpetrators:
    - full_name: Ivo Testerman
"""


def test_a_broken_model_answer_names_the_line(tmp_path):
    path = write(tmp_path, "broken", BASE + "      weapns: 'yes'\n")
    scenario, problems = check_scenario(path)
    assert scenario is None
    assert str(problems[0]) == f"{path}:17: model: perpetrators[1].weapns: unknown item id in flow 'police'"


def test_a_bad_value_names_the_line(tmp_path):
    path = write(tmp_path, "broken", BASE + "      weapons: {value: maybe, source: PNC}\n")
    _, problems = check_scenario(path)
    assert str(problems[0]).startswith(f"{path}:17: model: perpetrators[1].weapons:")


def test_missing_fictional_marker_is_refused(tmp_path):
    path = write(tmp_path, "broken", BASE.replace('"FICTIONAL TRAINING CASE"', "A case"))
    _, problems = check_scenario(path)
    assert str(problems[0]) == f"{path}:4: fictional: must say plainly that the case is FICTIONAL"


def test_name_must_match_the_file(tmp_path):
    _, problems = check_scenario(write(tmp_path, "other", BASE))
    assert "must match the file name 'other'" in problems[0].message


def test_bad_yaml_names_the_line(tmp_path):
    _, problems = check_scenario(write(tmp_path, "broken", BASE + "  - [unclosed\n"))
    assert problems[0].line >= 17 and "not valid YAML" in problems[0].message


def test_load_scenario_raises_one_line_user_error(tmp_path):
    path = write(tmp_path, "broken", BASE + "      weapns: 'yes'\n")
    with pytest.raises(ScenarioError) as caught:
        load_scenario(str(path))
    assert isinstance(caught.value, UserError) and "\n" not in str(caught.value)
    with pytest.raises(UserError, match="unknown scenario 'nope'; available: "):
        load_scenario("nope")


def test_scenarios_folder_ships_inside_flows():
    assert scenarios_dir().parent.name == "flows"


def test_start_training_saves_a_resumable_draft(data_dir):
    store = Store(data_dir)
    submission = start_training(store, "linnet-close")
    assert submission.training == "linnet-close" and submission.state.value == "draft"
    [row] = store.list()
    assert row.id == str(submission.id) and row.training == "linnet-close"
    interview = Interview(load_named("police"), store.load(row.id))
    assert interview.current is not None and interview.current.id == "case_ref"


def test_reset_training_discards_answers_and_keeps_the_id(data_dir):
    store = Store(data_dir)
    submission = start_training(store, "mill-yard")
    interview = Interview(load_named("police"), submission, on_change=lambda i, c: store.save(i.submission))
    interview.answer("VM-2026-0347")
    interview.answer("2026-12-10")
    assert store.load(str(submission.id)).answers
    fresh = reset_training(store, str(submission.id))
    loaded = store.load(str(submission.id))
    assert fresh.id == submission.id and loaded.answers == {} and loaded.training == "mill-yard"
    assert Interview(load_named("police"), loaded).current.id == "case_ref"


def test_reset_refuses_a_real_submission(data_dir):
    store = Store(data_dir)
    real = SCENARIOS[0].model_submission()
    real.training = None
    store.save(real)
    with pytest.raises(UserError, match="not a training run"):
        reset_training(store, str(real.id))


def test_reset_reopens_a_finalised_training_run(data_dir):
    store = Store(data_dir)
    model = load_scenario("linnet-close").model_submission()
    store.save(model)
    store.finalise(str(model.id))
    fresh = reset_training(store, str(model.id))
    loaded = store.load(str(model.id))
    assert loaded.state.value == "draft" and loaded.answers == {} and fresh.training == "linnet-close"


def test_the_2026_scenario_exercises_the_new_law() -> None:
    """Tarn Bridge: non-fatal strangulation, a new partner (Right to Know), a DAPO in a pilot area,
    MAPPA category 2 level 2 with probation as lead; its model scores 100% and the check is quiet."""
    from marac_tui.engine.chair import suggestions
    from marac_tui.engine.asked import values
    from marac_tui.training.check import practice_check
    from marac_tui.training.compare import compare

    scenario = load_scenario("tarn-bridge")
    model = scenario.model_submission()
    flow = scenario.load_flow()
    answers = model.perpetrators[0].answers
    assert answers["strangulation"].value == "yes"
    assert model.answers["dapo_pilot_area"].value == "yes"
    assert answers["court_order_types"].value == ["dapo"]
    assert {"electronic_monitoring", "notification"} <= set(answers["dapo_requirements"].value)
    assert (answers["mappa_category"].value, answers["mappa_level"].value, answers["mappa_lead"].value) == (
        "cat2", "level2", "probation")
    risks = {r.id for r in model.perpetrators[0].risks}
    assert {"strangulation", "new_partner", "licence_ending"} <= risks
    offered = {s.id for s in suggestions(flow, model.perpetrators[0].risks, values(model, 0))}
    assert {"right_to_know", "mappa3_review", "mappa_review"} <= offered
    assert not {"dapo", "dvpo", "mappa_iom", "matac_drive", "pdp"} & offered  # already in place
    taken = {a.suggestion for a in model.perpetrators[0].actions()}
    assert {"right_to_know", "mappa3_review"} <= taken
    assert practice_check(model, flow) == []
    assert compare(model, scenario.model_submission(), flow).percent == 100
