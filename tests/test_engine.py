"""The interview engine: forward, back, skip, the perpetrator loop, skip logic on edit."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from marac_tui.engine.interview import AnswerMeta, Interview
from marac_tui.flow.loader import load_flow
from marac_tui.flow.values import AnswerError
from marac_tui.submission import Basis, Status, Submission

MINI = Path(__file__).parent / "fixtures" / "mini.yaml"


@pytest.fixture
def flow():
    return load_flow(MINI)


def walk(interview: Interview, *answers):
    for value in answers:
        interview.answer(value)


def test_forward_asks_items_in_order_and_skips_what_does_not_apply(flow):
    iv = Interview(flow)
    assert iv.state == "case_ref"
    walk(iv, "MC-1", "no")
    assert iv.state == "name"  # how_many is skipped: only one perpetrator
    walk(iv, "Corin Ashdown", "no")
    assert iv.state == "seen"  # weapon_kind and licensed are skipped
    assert "how_many" not in iv.submission.answers


def test_follow_ups_appear_when_relevant(flow):
    iv = Interview(flow)
    walk(iv, "MC-1", "no", "Corin Ashdown", "yes")
    assert iv.state == "weapon_kind"
    iv.answer("knife")
    assert iv.state == "seen"  # licensed only for firearms
    iv.back()
    iv.answer(["firearm", "knife"])
    assert iv.state == "licensed"


def test_back_returns_through_asked_items_only(flow):
    iv = Interview(flow)
    walk(iv, "MC-1", "no", "Corin Ashdown", "no")
    visited = []
    while iv.back():
        visited.append(iv.state)
    assert visited == ["weapons", "name", "several", "case_ref"]
    assert not iv.can_go_back()


def test_skip_marks_research_items_not_checked_and_refuses_required(flow):
    iv = Interview(flow)
    with pytest.raises(AnswerError, match="required"):
        iv.skip()
    walk(iv, "MC-1", "no", "Corin Ashdown")
    iv.skip()
    answer = iv.submission.perpetrators[0].answers["weapons"]
    assert answer.value is None and answer.status == Status.not_checked
    assert answer.source is None and answer.checked_on is None  # nothing was checked, so nothing is claimed
    assert iv.state == "seen"


def test_perpetrator_loop_runs_once_per_perpetrator(flow):
    iv = Interview(flow)
    walk(iv, "MC-1", "yes", 2, "Corin Ashdown", "no", "2026-01-05", [], [])
    assert (iv.state, iv.perpetrator) == ("name", 1)
    walk(iv, "Mal Brisket", "yes", ["knife"], "", [], [])
    assert iv.state == "notes"
    names = [p.answers["name"].value for p in iv.submission.perpetrators]
    assert names == ["Corin Ashdown", "Mal Brisket"]
    iv.back()
    assert (iv.state, iv.perpetrator) == ("actions", 1)
    for _ in range(6):
        iv.back()
    assert (iv.state, iv.perpetrator) == ("actions", 0)


def test_editing_an_earlier_answer_drops_answers_no_longer_asked(flow):
    iv = Interview(flow)
    walk(iv, "MC-1", "no", "Corin Ashdown", "yes", ["firearm"], "unlicensed")
    iv.jump("weapons", 0)
    warnings = iv.answer("no")
    answers = iv.submission.perpetrators[0].answers
    assert "weapon_kind" not in answers and "licensed" not in answers
    assert any("weapon_kind" in w for w in warnings)


def test_fewer_perpetrators_drops_the_extra_research_with_a_warning(flow):
    iv = Interview(flow)
    walk(iv, "MC-1", "yes", 2, "Corin Ashdown", "no", "", [], [], "Mal Brisket")
    iv.jump("several")
    warnings = iv.answer("no")
    assert len(iv.submission.perpetrators) == 1
    assert any("Mal Brisket" in w for w in warnings)


def test_risk_flags_cite_the_answers_and_gaps_show_until_an_action_addresses_them(flow):
    iv = Interview(flow)
    walk(iv, "MC-1", "no", "Corin Ashdown", "yes", ["firearm"], "unknown", "", [])
    perpetrator = iv.submission.perpetrators[0]
    assert [(r.id, r.cites) for r in perpetrator.risks] == [
        ("weapons", ["weapons"]),
        ("firearm", ["weapon_kind", "licensed"]),
    ]
    assert [s.id for s in iv.suggestions(0)] == ["cert_review"]
    assert {g.id for g in perpetrator.gaps()} == {"weapons", "firearm"}
    iv.answer([{"heading": "enforce", "text": "Review firearm certificate", "addresses": ["weapons", "firearm"]}])
    assert perpetrator.gaps() == []


def test_research_answers_carry_provenance_and_withholding_needs_a_reason(flow):
    iv = Interview(flow)
    walk(iv, "MC-1", "no", "Corin Ashdown")
    with pytest.raises(AnswerError, match="reason"):
        iv.answer("yes", AnswerMeta(share=False))
    assert iv.state == "weapons"  # nothing recorded, still on the same item
    iv.answer("yes", AnswerMeta(source="PND", basis=Basis.opinion, share=False, withhold_reason="Third party"))
    answer = iv.submission.perpetrators[0].answers["weapons"]
    assert (answer.status, answer.source, answer.basis, answer.share) == (Status.found, "PND", Basis.opinion, False)
    assert answer.withhold_reason == "Third party"


def test_not_checked_keeps_no_source_or_date_and_a_closing_app_may_leave_the_reason_to_come(flow):
    from datetime import date

    iv = Interview(flow)
    walk(iv, "MC-1", "no", "Corin Ashdown", "yes")
    iv.set_meta("weapons", 0, AnswerMeta(status=Status.not_checked, source="PND", checked_on=date(2026, 11, 20)))
    answer = iv.submission.perpetrators[0].answers["weapons"]
    assert (answer.status, answer.source, answer.checked_on) == (Status.not_checked, None, None)
    with pytest.raises(AnswerError, match="reason"):
        iv.set_meta("weapons", 0, AnswerMeta(status=Status.found, share=False))
    iv.set_meta("weapons", 0, AnswerMeta(status=Status.found, share=False), need_reason=False)
    answer = iv.submission.perpetrators[0].answers["weapons"]
    assert (answer.share, answer.withhold_reason) == (False, None)


def test_defaults_keep_the_common_case_to_one_key(flow):
    iv = Interview(flow)
    walk(iv, "MC-1", "no", "Corin Ashdown")
    assert iv.default_meta(iv.current, "no").status == Status.nothing_held
    assert iv.default_meta(iv.current, "unknown").status == Status.not_checked
    iv.answer("yes", AnswerMeta(source="PND"))
    meta = iv.default_meta(iv.current, "2026-01-01")
    assert (meta.status, meta.source, meta.basis) == (Status.found, "PND", Basis.fact)


def test_bad_answers_are_refused_with_the_item_named(flow):
    iv = Interview(flow)
    walk(iv, "MC-1", "no", "Corin Ashdown")
    with pytest.raises(AnswerError, match="weapons: 'perhaps' is not yes, no or unknown"):
        iv.answer("perhaps")
    walk(iv, "no")
    with pytest.raises(AnswerError, match="seen: .* is not a date"):
        iv.answer("31/31/2026")
    walk(iv, "01/02/2026")
    with pytest.raises(AnswerError, match=r"cars\[1\]\.reg"):
        iv.answer([{"reg": "not a reg"}])


def test_resume_restores_the_position(flow):
    iv = Interview(flow)
    walk(iv, "MC-1", "yes", 3, "Corin Ashdown", "no", "", [], [], "Mal Brisket")
    saved = Submission.model_validate(iv.submission.to_json())
    resumed = Interview(flow, saved)
    assert (resumed.state, resumed.perpetrator) == ("weapons", 1)


def test_every_change_is_reported_for_autosave(flow):
    seen = []
    iv = Interview(flow, on_change=lambda interview, changes: seen.append([(c.item, c.new["value"]) for c in changes]))
    walk(iv, "MC-1", "no")
    assert seen == [[("case_ref", "MC-1")], [("several", "no")]]


def test_jump_and_progress_follow_each_perpetrators_own_answers(flow):
    iv = Interview(flow)
    walk(iv, "MC-1", "yes", 2, "Corin Ashdown", "no", "", [], [], "Mal Brisket", "yes", ["knife"])
    with pytest.raises(AnswerError, match="weapon_kind: not asked, given the answers so far"):
        iv.jump("weapon_kind", 0)  # Corin has no weapons
    iv.jump("weapon_kind", 1)
    assert (iv.state, iv.perpetrator, iv.current_answer.value) == ("weapon_kind", 1, ["knife"])
    iv.jump("notes")
    rows = {(row.item, row.perpetrator): row.state for row in iv.progress()}
    assert (rows["weapon_kind", 0], rows["weapon_kind", 1]) == ("skipped", "found")
    assert (rows["weapons", 0], rows["seen", 0], rows["seen", 1]) == ("nothing_held", "not_checked", "pending")


def test_the_rest_not_checked_may_end_a_flow_whose_last_section_is_research(tmp_path):
    """A flow with no actions item, whose closing case section is research (a trainer's flow)."""
    text = MINI.read_text(encoding="utf-8")
    plan = text[text.index("  - id: plan\n") : text.index("  - id: close\n")]
    text = text.replace(plan, "").replace("    title: Close\n", "    title: Close\n    research: true\n")
    path = tmp_path / "no-plan.yaml"
    path.write_text(text.replace("name: mini", "name: no_plan").split("action_headings:")[0] + "actions: []\n")
    iv = Interview(load_flow(path))
    walk(iv, "MC-1", "yes", 2, "Corin Ashdown", "no")
    assert iv.rest_not_checked() == 2  # seen and cars
    walk(iv, "Mal Brisket")
    assert iv.rest_not_checked(whole_perpetrator=True) == 3  # weapons, seen and cars
    assert (iv.state, iv.submission.perpetrators[1].answers["cars"].status) == ("notes", Status.not_checked)
    assert iv.rest_not_checked() == 1 and iv.done
    assert iv.submission.answers["notes"].status is Status.not_checked


def test_in_the_chat_each_perpetrators_answer_follows_their_own_earlier_source(flow):
    iv = Interview(flow)
    walk(iv, "MC-1", "yes", 2, "Corin Ashdown")
    iv.answer("no", AnswerMeta(source="NFLMS"))
    walk(iv, "", [], [], "Mal Brisket")
    iv.answer("no", AnswerMeta(source="Intelligence"))
    iv.answer("2026-11-02")
    assert iv.submission.perpetrators[1].answers["seen"].source == "Intelligence"


def test_a_constraint_is_checked_against_the_answer_and_that_persons_answers(tmp_path):
    """`constraint:` (an expression over `.`, the answer) refuses with its message, else names itself."""
    extra = (
        '      - {id: children, kind: number, prompt: "Children?", constraint: ". <= 10", constraint_message: "at most ten"}\n'
        '      - {id: age_guess, kind: number, prompt: "Age?", constraint: ". >= 16 or name == \'Unknown\'"}\n'
    )
    text = MINI.read_text(encoding="utf-8").replace("      - {id: seen,", extra + "      - {id: seen,", 1)
    path = tmp_path / "constrained.yaml"
    path.write_text(text, encoding="utf-8")
    iv = Interview(load_flow(path))
    walk(iv, "MC-1", "yes", 2, "Corin Ashdown", "no")
    with pytest.raises(AnswerError) as refused:
        iv.answer(11)
    assert str(refused.value) == "children: at most ten"
    walk(iv, 10)
    with pytest.raises(AnswerError) as refused:
        iv.answer(12)
    assert str(refused.value) == "age_guess: does not satisfy . >= 16 or name == 'Unknown'"
    iv.answer("")  # no answer: nothing to check
    walk(iv, "", [], [], "Unknown", "no", 3)
    iv.answer(12)  # the second person's name makes it fit
    assert (iv.state, iv.submission.perpetrators[1].answers["age_guess"].value) == ("seen", 12)


def test_a_carried_forward_answer_left_unchecked_still_says_where_it_came_from(flow):
    from marac_tui.submission import Answer

    seen = []
    iv = Interview(flow, on_change=lambda interview, changes: seen.extend(changes))
    walk(iv, "MC-2", "no", "Corin Ashdown")
    carried = Answer(value="yes", status=Status.not_checked, carried_from="MC-1")
    iv.submission.perpetrators[0].answers["weapons"] = carried
    iv.answer("unknown")
    weapons = iv.submission.perpetrators[0].answers["weapons"]
    assert weapons.provenance() == ["Not checked", "carried forward from MC-1, re-check"]
    assert (seen[-1].item, seen[-1].old["value"], seen[-1].new["value"]) == ("weapons", "yes", "unknown")


def test_what_an_edit_drops_is_reported_for_the_audit_trail_and_the_user(flow):
    seen = []
    iv = Interview(flow, on_change=lambda interview, changes: seen.extend(changes))
    walk(iv, "MC-1", "yes", 2, "Corin Ashdown", "yes", ["firearm"], "unlicensed", "", [], [], "Mal Brisket")
    seen.clear()
    iv.jump("weapons", 0)
    iv.answer("no")
    assert [(c.item, c.perpetrator, c.old["value"], c.new and c.new["value"]) for c in seen] == [
        ("weapons", 0, "yes", "no"), ("weapon_kind", 0, ["firearm"], None), ("licensed", 0, "unlicensed", None),
    ]  # fmt: skip
    assert seen[0].old["checked_on"] == seen[1].old["checked_on"] == date.today().isoformat()  # as the audit stores it
    assert iv.warnings == [
        "dropped the answer to weapon_kind for Corin Ashdown: no longer asked",
        "dropped the answer to licensed for Corin Ashdown: no longer asked",
    ]
    seen.clear()
    iv.jump("several")
    assert iv.answer("no") == ["dropped the research on Mal Brisket", "dropped the answer to how_many: no longer asked"]
    assert [(c.item, c.perpetrator, c.old, c.new) for c in seen[1:]] == [
        ("*", 1, {"name": "Mal Brisket"}, None), ("how_many", None, seen[2].old, None),
    ]  # fmt: skip
    assert (seen[0].item, seen[0].perpetrator, seen[0].old["value"], seen[2].old["value"]) == ("several", None, "yes", 2)
    assert (len(iv.submission.perpetrators), iv.perpetrator) == (1, 0)


def test_a_resumed_interview_may_jump_before_any_answer(flow):
    iv = Interview(flow)
    walk(iv, "MC-1", "no", "Corin Ashdown", "no")
    seen = []
    resumed = Interview(flow, iv.submission, on_change=lambda interview, changes: seen.append(changes))
    resumed.jump("name", 0)
    assert (resumed.state, resumed.current_answer.value, seen) == ("name", "Corin Ashdown", [[]])


def test_answering_after_the_end_says_how_to_change_an_answer(flow):
    iv = Interview(flow)
    walk(iv, "MC-1", "no", "Corin Ashdown", "no", "", [], [], "")
    assert iv.done
    for move in (lambda: iv.answer("x"), iv.skip, iv.rest_not_checked):
        with pytest.raises(AnswerError) as refused:
            move()
        assert str(refused.value) == "interview: the interview is complete; go back or jump to an item to change it"


def test_resuming_a_draft_returns_to_where_it_was_and_a_finished_one_opens_at_the_end(flow):
    from marac_tui.submission import Answer, FlowRef, Position

    iv = Interview(flow)
    assert iv.submission.flow.title == "Mini flow"
    walk(iv, "MC-1", "yes", 2, "Corin Ashdown", "no", "", [], [], "Mal Brisket", "yes")
    resumed = Interview(flow, iv.submission)
    assert (resumed.state, resumed.perpetrator) == ("weapon_kind", 1)  # asked for Mal, not for Corin
    iv.submission.position = Position(item="weapon_kind", perpetrator=5)  # a perpetrator since removed
    assert (Interview(flow, iv.submission).state, Interview(flow, iv.submission).perpetrator) == ("weapon_kind", 1)
    walk(iv, ["knife"], "", [], [], "")
    assert iv.done and Interview(flow, iv.submission).done
    case_only = Submission(flow=FlowRef(name="mini", version="1"), answers={"case_ref": Answer(value="MC-2")})
    assert Interview(flow, case_only).done  # begun, with no position kept: the end, to review
    assert Interview(flow, Submission(flow=FlowRef(name="mini", version="1"))).state == "case_ref"


def _flow_ending_with_a_follow_up(tmp_path):
    """The mini flow without its actions item and last research items: a person's research ends with
    a follow-up."""
    text = MINI.read_text(encoding="utf-8")
    plan = text[text.index("  - id: plan\n") : text.index("  - id: close\n")]
    seen_and_cars = text[text.index("      - {id: seen,") : text.index("  - id: plan\n")]
    text = text.replace(plan, "").replace(seen_and_cars, "")
    path = tmp_path / "ends-with-follow-up.yaml"
    path.write_text(text.replace("name: mini", "name: follow_up_last").split("action_headings:")[0] + "actions: []\n")
    return load_flow(path)


def test_back_into_the_loop_finds_each_perpetrators_own_last_follow_up(tmp_path):
    """A flow whose perpetrator research ends with a follow-up (no actions item): going back into
    it asks that follow-up of the right person."""
    iv = Interview(_flow_ending_with_a_follow_up(tmp_path))
    walk(iv, "MC-1", "yes", 2, "Corin Ashdown", "yes", ["firearm"], "licensed", "Mal Brisket", "yes", ["knife"])
    assert iv.state == "notes"
    iv.jump("notes")
    iv.back()
    assert (iv.state, iv.perpetrator) == ("weapon_kind", 1)  # Mal's knife: no licence question
    iv.jump("name", 1)
    iv.back()
    assert (iv.state, iv.perpetrator) == ("licensed", 0)  # Corin's firearm


def test_back_from_the_end_asks_the_closing_item_then_the_last_persons_actions(flow):
    iv = Interview(flow)
    walk(iv, "MC-1", "yes", 2, "Corin Ashdown", "no", None, [], [], "Mal Brisket", "no", None, [], [], "none")
    assert iv.done
    iv.back()
    assert (iv.state, iv.current_scope) == ("notes", None)
    iv.back()
    assert (iv.state, iv.perpetrator) == ("actions", 1)


def test_a_finished_interview_keeps_no_position_in_its_json(flow):
    """The schema says `position` is null once the interview is complete."""
    iv = Interview(flow)
    walk(iv, "MC-1", "no", "Corin Ashdown")
    assert iv.submission.to_json()["position"] == {"item": "weapons", "perpetrator": 0}
    walk(iv, "no", None, [], [], "none")
    assert iv.done and iv.submission.to_json()["position"] is None


def test_back_into_the_loop_of_one_perpetrator_finds_their_own_last_follow_up(tmp_path):
    """As above with one person: the follow-up asked is decided by that person's answers."""
    iv = Interview(_flow_ending_with_a_follow_up(tmp_path))
    walk(iv, "MC-1", "no", "Corin Ashdown", "yes", ["firearm"], "licensed")
    assert iv.state == "notes"
    iv.back()
    assert (iv.state, iv.perpetrator) == ("licensed", 0)


CASE_ONLY = """\
name: case_only
version: "1"
title: Case only
sections:
  - id: case
    title: Case
    items:
      - {id: case_ref, kind: text, prompt: "Case reference?", required: true}
      - {id: notes, kind: longtext, prompt: "Anything else?"}
      - {id: signed, kind: text, prompt: "Signed by?"}
"""


def test_a_flow_with_no_perpetrator_sections_asks_its_items_in_order_both_ways(tmp_path):
    path = tmp_path / "case-only.yaml"
    path.write_text(CASE_ONLY)
    iv = Interview(load_flow(path))
    assert iv.state == "case_ref"
    iv.answer("MC-7")
    assert iv.state == "notes"
    iv.answer("none")
    assert iv.state == "signed"
    iv.answer("Ada Quill")
    assert iv.done
    iv.back()
    assert iv.state == "signed"
    iv.back()
    assert iv.state == "notes"


def test_two_closing_items_after_the_loop_are_both_asked_both_ways(tmp_path):
    text = MINI.read_text(encoding="utf-8").replace(
        '      - {id: notes, kind: longtext, prompt: "Anything else?"}\n',
        '      - {id: notes, kind: longtext, prompt: "Anything else?"}\n'
        '      - {id: signed, kind: text, prompt: "Signed by?"}\n',
    )
    path = tmp_path / "two-closing.yaml"
    path.write_text(text.replace("name: mini", "name: two_closing"))
    iv = Interview(load_flow(path))
    walk(iv, "MC-1", "no", "Corin Ashdown", "no", None, [], [], "none")
    assert iv.state == "signed"
    iv.back()
    assert iv.state == "notes"


def test_dropping_an_unnamed_persons_research_says_which_person(tmp_path):
    text = MINI.read_text(encoding="utf-8").replace(
        '{id: name, kind: text, prompt: "Name?", required: true,', '{id: name, kind: text, prompt: "Name?",'
    )
    path = tmp_path / "mini.yaml"
    path.write_text(text, encoding="utf-8")
    iv = Interview(load_flow(path))
    walk(iv, "MC-1", "yes", 2, "Corin Ashdown", "no", None, [], [])
    assert (iv.state, iv.perpetrator) == ("name", 1)
    iv.skip()  # no name yet
    iv.answer("yes")
    iv.jump("several")
    warnings = iv.answer("no")
    assert "dropped the research on Perpetrator 2" in warnings
    assert len(iv.submission.perpetrators) == 1


def test_a_change_for_one_person_drops_only_their_own_follow_ups(flow):
    iv = Interview(flow)
    walk(iv, "MC-1", "yes", 2, "Corin Ashdown", "yes", ["firearm"], "licensed", None, [], [])
    walk(iv, "Mal Brisket", "yes", ["firearm"], "unlicensed", None, [], [])
    iv.jump("weapons", 0)
    warnings = iv.answer("no")
    assert "dropped the answer to licensed for Corin Ashdown: no longer asked" in warnings
    first, second = (p.answers for p in iv.submission.perpetrators)
    assert "weapon_kind" not in first and "licensed" not in first
    assert second["weapon_kind"].value == ["firearm"] and second["licensed"].value == "unlicensed"
