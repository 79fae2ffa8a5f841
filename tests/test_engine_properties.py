"""The engine on the real flows: several perpetrators, edits that change skip logic, and a property
test that any sequence of answer / back / skip / jump / edit leaves a valid submission holding only
answers to items that are still asked. All names are fictional."""

from __future__ import annotations

from typing import Any

import jsonschema
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from marac_tui.engine.interview import Interview
from marac_tui.flow.expr import compile_expression
from marac_tui.flow.loader import load_named
from marac_tui.flow.spec import Flow, Item, Kind
from marac_tui.flow.values import AnswerError
from marac_tui.submission import Status, Submission, submission_schema

NAMES = ["Rowan Pellick", "Idris Fennimore", "Caspar Welloak"]
CASE = ["MC-2026-0917", "2026-12-10", "Tamsin Orrel", "Fernhollow PPU"]


def start(flow: Flow, perpetrators: int) -> Interview:
    iv = Interview(flow, prefill=False)
    for value in CASE:
        iv.answer(value)
    while iv.state != "more_than_one":  # the case items that are not required
        iv.skip()
    iv.answer("yes" if perpetrators > 1 else "no")
    if perpetrators > 1:
        iv.answer(perpetrators)
    while iv.state != "full_name":
        iv.skip()
    return iv


def finish_perpetrator(iv: Interview, name: str, **answers: Any) -> list[str]:
    """Answer one perpetrator's research from `answers`, skipping the rest; the items asked."""
    index = iv.perpetrator
    asked = []
    iv.answer(name)
    while not iv.done and iv.perpetrator == index:
        asked.append(iv.state)
        if iv.state in answers:
            iv.answer(answers[iv.state])
        else:
            iv.skip()
    return asked


@pytest.mark.parametrize("flow_name", ["police", "probation"])
def test_research_loop_runs_once_per_perpetrator(flow_name: str) -> None:
    flow = load_named(flow_name)
    iv = start(flow, 3)
    assert (iv.state, iv.perpetrator) == ("full_name", 0)
    asked = [finish_perpetrator(iv, name, weapons="yes" if n == 1 else "no") for n, name in enumerate(NAMES)]
    assert iv.done
    assert "weapon_types" in asked[1] and "weapon_types" not in asked[0] + asked[2]
    assert asked[0][-1] == asked[2][-1] == "actions"
    perpetrators = iv.submission.perpetrators
    assert [iv.perpetrator_name(i) for i in range(3)] == NAMES
    assert [[r.id for r in p.risks] for p in perpetrators] == [[], ["weapons"], []]
    assert perpetrators[0].answers["serial_perpetrator"].status == Status.not_checked
    assert len(iv.submission.to_json()["perpetrators"]) == 3
    check_schema(iv)


def test_back_crosses_the_loop_boundary_both_ways(police_flow: Flow) -> None:
    iv = start(police_flow, 2)
    for name in NAMES[:2]:
        finish_perpetrator(iv, name)
    assert iv.done
    iv.back()
    assert (iv.state, iv.perpetrator) == ("actions", 1)
    while (iv.state, iv.perpetrator) != ("full_name", 1):
        assert iv.back()
    iv.back()
    assert (iv.state, iv.perpetrator) == ("actions", 0)
    iv.jump("full_name", 0)
    iv.back()
    assert (iv.state, iv.current_scope) == ("others_feared", None)
    iv.jump("actions", 0)
    iv.skip()
    assert (iv.state, iv.perpetrator) == ("full_name", 1)
    assert iv.current_answer is not None and iv.current_answer.value == NAMES[1]


def test_editing_a_gate_drops_follow_ups_with_a_warning(police_flow: Flow) -> None:
    iv = start(police_flow, 1)
    finish_perpetrator(iv, NAMES[0], weapons="yes", weapon_types="shotgun", weapons_licensed="licensed",
                       weapons_location="Locked cabinet at home", previous_convictions="yes")  # fmt: skip
    answers = iv.submission.perpetrators[0].answers
    assert [r.id for r in iv.submission.perpetrators[0].risks] == ["weapons"]
    iv.jump("weapons", 0)
    warnings = iv.answer("no")
    assert not {"weapon_types", "weapons_licensed", "weapons_location"} & set(answers)
    assert sorted(warnings) == [f"dropped the answer to {item} for {NAMES[0]}: no longer asked"
                                for item in ("weapon_types", "weapons_licensed", "weapons_location")]  # fmt: skip
    assert iv.submission.perpetrators[0].risks == []
    assert iv.state == "specialist_skills"  # moves on from the edited item, past follow-ups no longer asked


def test_fewer_perpetrators_drops_the_last_ones_research_with_a_warning(police_flow: Flow) -> None:
    iv = start(police_flow, 3)
    for name in NAMES:
        finish_perpetrator(iv, name)
    iv.jump("perpetrator_count")
    warnings = iv.answer(2)
    assert len(iv.submission.perpetrators) == 2
    assert warnings == [f"dropped the research on {NAMES[2]}"]
    iv.jump("more_than_one")
    assert iv.answer("no") == [f"dropped the research on {NAMES[1]}", "dropped the answer to perpetrator_count: no longer asked"]
    assert [iv.perpetrator_name(0)] == NAMES[:1]


# --- the property -------------------------------------------------------------------------------

DATES = ["2026-11-20", "01/02/2025", "1988-04-17"]
REGISTRATIONS = ["AB12 CDE", "A123 BCD", "ABC 123D"]


def field_value(item: Item, draw: Any) -> Any:
    """A valid value for `item` of any kind except repeat and actions."""
    match item.kind:
        case Kind.yesno:
            return draw(st.sampled_from(["yes", "no", "unknown", "y", "n"]))
        case Kind.choice:
            return draw(st.sampled_from([o.value for o in item.options or ()]))
        case Kind.multichoice:
            return draw(st.lists(st.sampled_from([o.value for o in item.options or ()]), max_size=3))
        case Kind.date:
            return draw(st.sampled_from(DATES))
        case Kind.number:
            low, high = int(item.min or 0), int(min(item.max or 3, 3))
            return draw(st.integers(low, max(low, high)))
    if item.id == "registration":
        return draw(st.sampled_from(REGISTRATIONS))
    if item.required:
        return draw(st.sampled_from(NAMES + ["Jon [/] Doe", "Ada\tQuill"]))
    return draw(st.sampled_from(["", "Held on force system", "[red]not markup[/]"]))


def value_for(flow: Flow, item: Item, draw: Any) -> Any:
    if item.kind == Kind.repeat:
        entries = draw(st.integers(0, 2))
        return [{f.id: field_value(f, draw) for f in item.fields or ()} for _ in range(entries)]
    if item.kind == Kind.actions:
        risks = [r.id for r in flow.risks]
        count = draw(st.integers(0, 2))
        return [{"heading": draw(st.sampled_from([h.id for h in flow.action_headings])), "text": "Fictional action",
                 "agency": "Police", "addresses": draw(st.lists(st.sampled_from(risks), max_size=2, unique=True))}
                for _ in range(count)]  # fmt: skip
    return field_value(item, draw)


def stored(iv: Interview) -> set[tuple[str, int | None]]:
    keys = {(k, None) for k in iv.submission.answers}
    return keys | {(k, n) for n, p in enumerate(iv.submission.perpetrators) for k in p.answers}


VALIDATOR = jsonschema.Draft202012Validator(submission_schema())


def check_schema(iv: Interview) -> None:
    data = iv.submission.to_json()
    VALIDATOR.validate(data)
    assert Submission.model_validate(data).model_dump(mode="json") == data


def check_invariants(iv: Interview) -> None:
    """After every operation: answers only for items still asked, one research record per perpetrator."""
    assert len(iv.submission.perpetrators) == iv.perpetrator_count()
    case_ids = {i.id for s in iv.flow.sections if s.scope == "case" for i in s.items}
    for item_id, perpetrator in stored(iv):
        assert (item_id in case_ids) == (perpetrator is None), item_id
        assert iv.relevant(item_id, perpetrator or 0), f"{item_id} stored but no longer asked"
    if not iv.done:
        assert iv.relevant(iv.state, iv.perpetrator)
        position = iv.submission.position
        assert position is not None and (position.item, position.perpetrator) == (iv.state, iv.perpetrator)


def gates(flow: Flow) -> list[str]:
    """Items whose answers decide whether other items are asked (the interesting ones to edit)."""
    names = {n for _, i in flow.all_items() if i.when for n in compile_expression(i.when).names}
    return sorted(names | set(compile_expression(flow.perpetrators.count).names))


def run_operations(flow: Flow, data: st.DataObject) -> None:
    iv = Interview(flow, prefill=data.draw(st.booleans()))
    if data.draw(st.booleans(), label="start with the case details"):
        for value in CASE:
            iv.answer(value)
        while iv.state != "more_than_one":
            iv.skip()
        if iv.answer(data.draw(st.sampled_from(["yes", "no"]))) == [] and iv.state == "perpetrator_count":
            iv.answer(data.draw(st.integers(2, 3)))
    item_ids = [i.id for _, i in flow.all_items()]
    ops = ["answer", "answer", "answer", "answer", "skip", "back", "jump", "edit", "edit_gate"]
    for _ in range(data.draw(st.integers(5, 40), label="length")):
        op = data.draw(st.sampled_from(ops))
        before = stored(iv)
        warnings: list[str] = []
        try:
            if op == "answer" and not iv.done:
                warnings = iv.answer(value_for(flow, iv.current, data.draw))
            elif op == "skip":
                warnings = iv.skip()
            elif op == "back":
                iv.back()
            elif op == "jump":
                iv.jump(data.draw(st.sampled_from(item_ids)), data.draw(st.integers(0, 2)))
            elif op in ("edit", "edit_gate") and before:
                if op == "edit":
                    item_id, perpetrator = data.draw(st.sampled_from(sorted(before, key=str)))
                else:  # change a gate that was answered, else any gate
                    answered = sorted((k for k in before if k[0] in gates(flow)), key=str)
                    item_id, perpetrator = data.draw(st.sampled_from(answered)) if answered else (
                        data.draw(st.sampled_from(gates(flow))), data.draw(st.integers(0, 2)))
                iv.jump(item_id, perpetrator or 0)
                warnings = iv.answer(value_for(flow, iv.current, data.draw))
        except AnswerError:
            pass  # refused (required, not asked, complete): nothing may change but the position
        check_invariants(iv)
        for item_id, perpetrator in before - stored(iv):
            assert any(item_id in w or "dropped the research on" in w for w in warnings), (item_id, warnings)
    check_schema(iv)


@pytest.mark.parametrize("flow_name", ["police", "probation"])
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_any_operations_leave_a_valid_submission_of_asked_items(flow_name: str, data: st.DataObject) -> None:
    run_operations(load_named(flow_name), data)
