"""The practice check: each rule fires on a crafted submission and stays silent on good research."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest

from marac_tui.engine.headless import run_answers
from marac_tui.engine.interview import Interview
from marac_tui.flow.loader import load_flow
from marac_tui.paths import prompts_dir
from marac_tui.submission import Submission
from marac_tui.training.check import RULES, practice_check, why
from marac_tui.training.scenarios import list_scenarios

MINI_FLOW = """
name: mini
version: "1"
title: Mini flow for practice-check tests
sources: [PNC]
perpetrators: {count: "perpetrator_count if more_than_one == 'yes' else 1", max: 3, name_item: full_name}
sections:
  - id: case
    title: Case
    items:
      - {id: case_ref, kind: text, prompt: Ref, required: true}
      - {id: more_than_one, kind: yesno, prompt: "More than one?"}
      - {id: perpetrator_count, kind: number, prompt: "How many?", when: "more_than_one == 'yes'", min: 2, max: 3}
  - id: research
    title: Research
    scope: perpetrator
    research: true
    items:
      - {id: full_name, kind: text, prompt: Name, research: false, required: true}
      - {id: convictions, kind: longtext, prompt: "Convictions?"}
      - {id: weapons, kind: yesno, prompt: "Weapons?"}
      - {id: weapons_details, kind: text, prompt: "Which?", when: "weapons == 'yes'"}
      - id: vehicles
        kind: repeat
        prompt: Vehicles
        fields:
          - {id: registration, kind: text, prompt: Registration, required: true}
          - {id: note, kind: text, prompt: Note}
  - id: plan
    title: Actions
    scope: perpetrator
    items:
      - {id: actions, kind: actions, prompt: Actions}
risks:
  - {id: weapons, title: Access to weapons, when: "weapons == 'yes'"}
action_headings:
  - {id: enforce, title: Enforce}
  - {id: support, title: Support}
"""

PNC = {"source": "PNC", "checked": "2026-11-01", "basis": "fact"}
GOOD: dict[str, Any] = {
    "case_ref": "T-0001",
    "more_than_one": "no",
    "perpetrators": [
        {
            "full_name": "Ivo Testerman",
            "convictions": {**PNC, "value": "2019 assault on a former partner"},
            "weapons": {**PNC, "value": "yes"},
            "weapons_details": {**PNC, "value": "Crossbow kept in the shed"},
            "vehicles": {**PNC, "value": [{"registration": "AB12 CDE"}]},
            "actions": [{"heading": "enforce", "text": "Seize the crossbow", "addresses": ["weapons"]}],
        }
    ],
}


@pytest.fixture
def mini(tmp_path: Path):
    (tmp_path / "flows").mkdir()
    path = tmp_path / "flows" / "mini.yaml"
    path.write_text(MINI_FLOW, encoding="utf-8")
    return load_flow(path)


def run(flow, answers: dict[str, Any]) -> Submission:
    interview = Interview(flow, prefill=False)
    run_answers(interview, answers, warn=lambda w: None)
    return interview.submission


def with_perpetrator(**changes: Any) -> dict[str, Any]:
    answers = copy.deepcopy(GOOD)
    for key, value in changes.items():
        if value is None:
            answers["perpetrators"][0].pop(key, None)
        else:
            answers["perpetrators"][0][key] = value
    return answers


def rules(findings) -> set[str]:
    return {f.rule for f in findings}


def test_good_research_is_silent(mini):
    assert practice_check(run(mini, GOOD), mini) == []


def test_item_not_checked(mini):
    findings = practice_check(run(mini, with_perpetrator(convictions=None)), mini)
    assert [(f.rule, f.item, f.perpetrator) for f in findings] == [("not_checked", "convictions", 0)]
    assert "not checked" in findings[0].message


def test_unknown_yesno_is_not_checked(mini):
    findings = practice_check(
        run(
            mini,
            with_perpetrator(
                weapons="unknown", weapons_details=None, actions=[{"heading": "enforce", "text": "Arrest Ivo Testerman"}]
            ),
        ),
        mini,
    )
    assert [(f.rule, f.item) for f in findings] == [("not_checked", "weapons")]


def test_not_answered_yet_in_a_draft(mini):
    submission = Submission.model_validate({"flow": {"name": "mini", "version": "1"}})
    findings = practice_check(submission, mini)
    assert {(f.rule, f.item) for f in findings if f.rule == "not_checked"} == {
        ("not_checked", "convictions"),
        ("not_checked", "weapons"),
        ("not_checked", "vehicles"),
    }
    assert all("not answered yet" in f.message for f in findings if f.rule == "not_checked")


@pytest.mark.parametrize("missing", ["source", "checked"])
def test_no_source_or_date(mini, missing):
    value = {k: v for k, v in PNC.items() if k != missing}
    findings = practice_check(run(mini, with_perpetrator(convictions={**value, "value": "2019 assault"})), mini)
    assert [(f.rule, f.item) for f in findings] == [("no_source", "convictions")]
    assert ("no source" if missing == "source" else "no date checked") in findings[0].message


def test_nothing_held_also_needs_a_source(mini):
    findings = practice_check(run(mini, with_perpetrator(vehicles={"checked": "2026-11-01", "value": []})), mini)
    assert [(f.rule, f.item) for f in findings] == [("no_source", "vehicles")]


@pytest.mark.parametrize(
    "text", ["He seems violent", "PROBABLY drinks", "I think he has a knife", "It may  be a licensed gun", "Likely to reoffend"]
)
def test_opinion_recorded_as_fact(mini, text):
    findings = practice_check(run(mini, with_perpetrator(convictions={**PNC, "value": text})), mini)
    assert [(f.rule, f.item) for f in findings] == [("opinion_as_fact", "convictions")]
    assert "marked fact" in findings[0].message


def test_opinion_words_inside_repeat_entries(mini):
    vehicles = {**PNC, "value": [{"registration": "AB12 CDE", "note": "appears to be his brother's"}]}
    findings = practice_check(run(mini, with_perpetrator(vehicles=vehicles)), mini)
    assert [(f.rule, f.item) for f in findings] == [("opinion_as_fact", "vehicles")]


@pytest.mark.parametrize("text", ["Lives on Seemsley Road", "The likelihood was assessed by the court", "Drives a Mayberry van"])
def test_opinion_words_match_whole_words_only(mini, text):
    assert practice_check(run(mini, with_perpetrator(convictions={**PNC, "value": text})), mini) == []


def test_opinion_marked_as_opinion_is_fine(mini):
    answer = {**PNC, "basis": "opinion", "value": "He seems to be escalating"}
    assert practice_check(run(mini, with_perpetrator(convictions=answer)), mini) == []


def test_withheld_with_a_placeholder_reason(mini):
    answer = {**PNC, "value": "2019 assault", "share": False, "reason": "n/a"}
    findings = practice_check(run(mini, with_perpetrator(convictions=answer)), mini)
    assert [(f.rule, f.item) for f in findings] == [("withheld_no_reason", "convictions")]


def test_withheld_with_no_reason_at_all(mini):
    submission = run(mini, GOOD)
    answers = submission.perpetrators[0].answers
    answers["convictions"] = answers["convictions"].model_copy(update={"share": False, "withhold_reason": None})
    findings = practice_check(submission, mini)
    assert [(f.rule, f.item) for f in findings] == [("withheld_no_reason", "convictions")]


def test_withheld_with_a_real_reason_is_fine(mini):
    answer = {**PNC, "value": "2019 assault", "share": False, "reason": "Would identify a witness"}
    assert practice_check(run(mini, with_perpetrator(convictions=answer)), mini) == []


def test_risk_with_no_action(mini):
    actions = [{"heading": "enforce", "text": "Arrest Testerman for the assault"}]
    findings = practice_check(run(mini, with_perpetrator(actions=actions)), mini)
    assert [(f.rule, f.item, f.perpetrator) for f in findings] == [("risk_without_action", "actions", 0)]
    assert "Access to weapons" in findings[0].message


def test_actions_only_about_the_victim(mini):
    actions = [
        {"heading": "support", "text": "Refer victim to IDVA"},
        {"heading": "support", "text": "Safety plan for the victim"},
    ]
    findings = practice_check(
        run(mini, with_perpetrator(weapons={**PNC, "value": "no"}, weapons_details=None, actions=actions)), mini
    )
    assert [(f.rule, f.item) for f in findings] == [("victim_only_actions", "actions")]
    assert "Ivo Testerman" in findings[0].message and "2 action(s)" in findings[0].message


def test_no_actions_at_all(mini):
    findings = practice_check(run(mini, with_perpetrator(weapons={**PNC, "value": "no"}, weapons_details=None, actions=[])), mini)
    assert [f.rule for f in findings] == ["victim_only_actions"]
    assert "no actions recorded" in findings[0].message


def test_victim_action_that_names_the_perpetrator_counts(mini):
    actions = [{"heading": "support", "text": "IDVA to share Testerman's new address with the victim"}]
    findings = practice_check(
        run(mini, with_perpetrator(weapons={**PNC, "value": "no"}, weapons_details=None, actions=actions)), mini
    )
    assert findings == []


@pytest.mark.parametrize("answer", ["unknown", None])
def test_more_than_one_never_confirmed(mini, answer):
    answers = copy.deepcopy(GOOD)
    if answer is None:
        del answers["more_than_one"]
    else:
        answers["more_than_one"] = answer
    findings = practice_check(run(mini, answers), mini)
    assert [(f.rule, f.item, f.perpetrator) for f in findings] == [("more_than_one_unconfirmed", "more_than_one", None)]


def test_findings_name_the_right_perpetrator(mini):
    answers = copy.deepcopy(GOOD)
    answers["more_than_one"] = "yes"
    answers["perpetrator_count"] = 2
    second = copy.deepcopy(GOOD["perpetrators"][0])
    second["full_name"] = "Una Probe"
    del second["convictions"]
    answers["perpetrators"].append(second)
    findings = practice_check(run(mini, answers), mini)
    assert [(f.rule, f.item, f.perpetrator) for f in findings] == [("not_checked", "convictions", 1)]


def test_every_rule_has_one_sentence_why():
    for rule in RULES:
        text = why(rule.id)
        assert text, f"prompts/practice/{rule.id}.md is missing"
        assert text.endswith(".") and text.count(". ") == 0, f"{rule.id}: the why must be one sentence"
        assert (prompts_dir() / "practice" / f"{rule.id}.md").is_file()


def test_findings_carry_the_why(mini):
    findings = practice_check(run(mini, with_perpetrator(convictions=None)), mini)
    assert findings[0].why == why("not_checked")
    assert findings[0].to_json()["title"] == "Items not checked"


def test_word_lists_are_configurable_next_to_the_flow(mini, tmp_path):
    practice = tmp_path / "prompts" / "practice"
    practice.mkdir(parents=True)
    (practice / "words.yaml").write_text("opinion_words: [reckon]\n", encoding="utf-8")
    flow = load_flow(tmp_path / "flows" / "mini.yaml")
    findings = practice_check(run(flow, with_perpetrator(convictions={**PNC, "value": "I reckon he has a knife"})), flow)
    assert [f.rule for f in findings] == ["opinion_as_fact"]
    assert findings[0].why == why("opinion_as_fact")  # falls back to the shipped explanation
    assert practice_check(run(flow, with_perpetrator(convictions={**PNC, "value": "He seems violent"})), flow) == []


@pytest.mark.parametrize(
    ("scenario", "agency"), [(s, a) for s in list_scenarios() for a in s.agencies()], ids=lambda v: getattr(v, "name", v)
)
def test_silent_on_every_model_submission(scenario, agency):
    findings = practice_check(scenario.model_submission(agency), scenario.load_flow(agency))
    assert [f"{f.rule}: {f.message}" for f in findings] == []
