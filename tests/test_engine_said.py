"""What the engine says to the user, word for word: why an action is offered, the short question on
the provenance strip, the refusals of a jump or a provenance change, and the change each edit
records for the autosave (found missing by mutation testing: see the README's developer section)."""

from __future__ import annotations

from pathlib import Path

import pytest

from marac_tui.engine import chair
from marac_tui.engine.interview import Change, Interview
from marac_tui.engine.provenance import AnswerMeta, short_label
from marac_tui.flow.loader import load_flow
from marac_tui.flow.spec import ActionHeading, ActionSuggestion, Flow
from marac_tui.flow.values import AnswerError
from marac_tui.submission import Status

MINI = Path(__file__).parent / "fixtures" / "mini.yaml"


@pytest.fixture
def flow() -> Flow:
    return load_flow(MINI)


def _with_actions(flow: Flow, *actions: ActionSuggestion) -> Flow:
    return flow.model_copy(update={"actions": list(actions),
                                   "action_headings": [ActionHeading(id="enforce", title="Enforce")]})  # fmt: skip


def test_the_reason_names_the_risks_then_the_answers_that_make_it_fit(flow: Flow) -> None:
    values = {"weapons": "yes", "weapon_kind": ["firearm", "knife"], "licensed": "unlicensed"}
    raised = chair.compute_risks(flow, values)
    both = ActionSuggestion(id="a", heading="enforce", text="A", addresses=["weapons", "firearm"],
                            when="licensed == 'unlicensed' and name != '' and seen != ''")  # fmt: skip
    values |= {"name": "Corin Ashdown", "seen": "2026-11-02"}
    [offered] = chair.suggestions(_with_actions(flow, both), raised, values)
    assert offered.reason() == "Addresses Access to weapons, Firearm; fits: name, seen"  # licensed: a risk's
    assert offered.reason(lambda c: c.upper()) == "Addresses Access to weapons, Firearm; fits: NAME, SEEN"


def test_a_reason_with_no_fit_rule_is_the_risks_alone(flow: Flow) -> None:
    values = {"weapons": "yes"}
    [offered] = chair.suggestions(flow, chair.compute_risks(flow, values), values)
    assert offered.reason() == "Addresses Access to weapons"


def test_prompted_without_a_risk_names_each_answer(flow: Flow) -> None:
    extra = ActionSuggestion(id="e", heading="enforce", text="E", offer_when="weapons == 'no' and name != ''")
    [offered] = chair.suggestions(_with_actions(flow, extra), [], {"weapons": "no", "name": "Corin Ashdown"})
    assert offered.reason(lambda c: f"<{c}>") == "Prompted by <weapons>, <name>"


def _flow_with_prompt(tmp_path: Path, prompt: str) -> Flow:
    """The mini flow with `seen` asked in these words (a YAML double-quoted string)."""
    path = tmp_path / "mini.yaml"
    path.write_text(MINI.read_text(encoding="utf-8").replace('"Last seen?"', f'"{prompt}"'), encoding="utf-8")
    return load_flow(path)


def test_the_short_label_is_the_first_line_cut_between_words(flow: Flow, tmp_path: Path) -> None:
    assert short_label(flow, "weapons") == "Access to weapons?"
    wordy = _flow_with_prompt(tmp_path, "\\n  Any **firearms** or `shotgun` certificate, held now or in the past ten years?\\nMore")
    assert short_label(wordy, "seen") == "Any firearms or shotgun certificate…"
    assert short_label(wordy, "seen", limit=80) == "Any firearms or shotgun certificate, held now or in the past ten years?"
    exact = _flow_with_prompt(tmp_path, "x" * 40)
    assert short_label(exact, "seen") == "x" * 40  # exactly the limit: kept whole
    assert short_label(exact, "seen", limit=39) == "x" * 38 + "…"  # one word: cut inside it
    punctuated = _flow_with_prompt(tmp_path, "Where, when; how: what, who, whose, which")
    assert short_label(punctuated, "seen", limit=30) == "Where, when; how: what, who…"


def test_a_jump_refuses_with_the_item_and_the_reason(flow: Flow) -> None:
    iv = Interview(flow)
    for value in ("MC-1", "no", "Corin Ashdown", "no"):
        iv.answer(value)
    with pytest.raises(AnswerError) as bad:
        iv.jump("no_such_item")
    assert str(bad.value) == "no_such_item: no such item in this flow"
    with pytest.raises(AnswerError) as bad:
        iv.jump("seen", 1)
    assert str(bad.value) == "seen: there is no perpetrator 2"
    with pytest.raises(AnswerError) as bad:
        iv.jump("weapon_kind", 0)
    assert str(bad.value) == "weapon_kind: not asked, given the answers so far"
    assert (iv.state, iv.perpetrator) == ("seen", 0)  # a refused jump leaves the interview where it was


def test_a_jump_to_a_case_item_ignores_the_perpetrator(flow: Flow) -> None:
    iv = Interview(flow)
    for value in ("MC-1", "yes", 2, "Corin Ashdown"):
        iv.answer(value)
    iv.jump("weapons", 1)
    assert (iv.state, iv.perpetrator) == ("weapons", 1)
    iv.jump("case_ref", 1)
    assert (iv.state, iv.perpetrator) == ("case_ref", 0)
    iv.jump("name")
    assert (iv.state, iv.perpetrator) == ("name", 0)  # the first perpetrator unless told


def test_a_provenance_change_is_refused_before_an_answer_and_recorded_after(flow: Flow) -> None:
    seen: list[Change] = []
    iv = Interview(flow, on_change=lambda _iv, changes: seen.extend(changes))
    for value in ("MC-1", "yes", 2, "Corin Ashdown", "yes"):
        iv.answer(value)
    with pytest.raises(AnswerError) as bad:
        iv.set_meta("seen", 0, AnswerMeta(status=Status.found, source="PNC"))
    assert str(bad.value) == "seen: answer the item before describing its source"
    with pytest.raises(AnswerError) as bad:
        iv.set_meta("weapons", 0, AnswerMeta(status=Status.found, share=False))
    assert bad.value.item_id == "weapons" and "reason" in bad.value.problem
    seen.clear()
    iv.set_meta("weapons", None, AnswerMeta(status=Status.found, source="PND"))
    [change] = seen
    assert (change.item, change.perpetrator) == ("weapons", 0)  # a perpetrator item: the first unless told
    assert change.old["source"] != "PND" and change.new["source"] == "PND"
    assert change.new["value"] == change.old["value"] == "yes"
    assert isinstance(change.new["checked_on"], str | None)  # as saved: JSON, not Python objects
    seen.clear()
    iv.set_meta("several", 1, AnswerMeta(status=Status.found, source="PNC"))
    [change] = seen
    assert (change.item, change.perpetrator) == ("several", None)  # a case item: the case's
    assert iv.submission.answers["several"].source == "PNC"


def test_an_action_after_one_not_offered_is_still_offered_and_cites_every_reason(flow: Flow) -> None:
    values = {"weapons": "yes", "weapon_kind": ["firearm"], "licensed": "unlicensed", "name": "Corin Ashdown"}
    raised = chair.compute_risks(flow, values)
    unprompted = ActionSuggestion(id="u", heading="enforce", text="U", addresses=["stalking"])
    unfit = ActionSuggestion(id="f", heading="enforce", text="F", addresses=["weapons"], when="weapons == 'no'")
    good = ActionSuggestion(id="g", heading="enforce", text="G", addresses=["firearm"], when="name != ''")
    offered = chair.suggestions(_with_actions(flow, unprompted, unfit, good), raised, values)
    assert [(s.id, s.cites) for s in offered] == [("g", ("weapon_kind", "licensed", "name"))]


def test_an_empty_answer_is_never_cited(flow: Flow) -> None:
    extra = ActionSuggestion(id="e", heading="enforce", text="E", offer_when="weapons == 'no' or name == ''")
    [offered] = chair.suggestions(_with_actions(flow, extra), [], {"weapons": "no", "name": ""})
    assert offered.cites == ("weapons",)


def test_the_interview_names_people_offers_their_actions_and_knows_when_it_can_go_back(flow: Flow) -> None:
    good = ActionSuggestion(id="g", heading="enforce", text="G", addresses=["weapons"], when="name != ''")
    iv = Interview(_with_actions(flow, good))
    assert not iv.can_go_back()
    for value in ("MC-1", "yes", 2):
        iv.answer(value)
    assert iv.can_go_back()
    for value in ("Corin Ashdown", "yes"):
        iv.answer(value)
    iv.submission.perpetrators[0].risks = iv.compute_risks(0)
    assert (iv.perpetrator_name(0), iv.perpetrator_name(1)) == ("Corin Ashdown", "Perpetrator 2")
    assert [(s.id, s.cites) for s in iv.suggestions(0)] == [("g", ("weapons", "name"))]


def test_unanswered_follows_each_persons_own_answers(flow: Flow) -> None:
    from marac_tui.engine import asked

    iv = Interview(flow)
    for value in ("MC-1", "yes", 2, "Corin Ashdown", "no", "", [], [], "Mal Brisket", "yes"):
        iv.answer(value)
    assert asked.unanswered(flow, iv.submission) == {1: ["weapon_kind", "seen", "cars"]}
    del iv.submission.perpetrators[1]  # the count still says two: the missing one is not listed
    assert asked.unanswered(flow, iv.submission) == {}


def test_rest_not_checked_refuses_a_case_item_by_name(flow: Flow) -> None:
    iv = Interview(flow)
    assert iv.rest_not_checked() == 0 and iv.state == "case_ref"  # a case item is not research: nothing passed
    with pytest.raises(AnswerError) as bad:
        iv.rest_not_checked(whole_perpetrator=True)
    assert str(bad.value) == "case_ref: this is a case item, not a perpetrator's research"


def test_the_origin_note_says_where_each_proposal_came_from(flow: Flow) -> None:
    from datetime import date

    from marac_tui.engine.provenance import Prefill, origin_note
    from marac_tui.submission import Basis

    meta = AnswerMeta(status=Status.found, source="PNC", checked_on=date(2026, 11, 20), basis=Basis.fact)
    assert origin_note(flow, Prefill(meta, "Person", None, None)) == "first answer in Person: the flow's default source"
    assert origin_note(flow, Prefill(meta, "Person", ("weapons", 0), None)) == "source as for “Access to weapons?”"
    both = Prefill(meta, "Person", ("weapons", 0), ("weapons", 0))
    assert origin_note(flow, both) == "source and fact/opinion as for “Access to weapons?”"
    assert origin_note(flow, Prefill(meta, "Person", None, ("seen", 1))) == (
        "fact/opinion as for “Last seen?”; the flow's default source"
    )
    assert origin_note(flow, Prefill(meta, "Person", ("weapons", 0), ("seen", 1))) == (
        "source as for “Access to weapons?”, fact/opinion as for “Last seen?”"
    )
    unchecked = AnswerMeta(status=Status.not_checked)
    assert origin_note(flow, Prefill(unchecked, "Person", ("weapons", 0), None)) == "not checked: no source or date kept"


def test_a_flow_with_no_sources_proposes_none(flow: Flow) -> None:
    from datetime import date

    from marac_tui.engine.provenance import prefill

    bare = flow.model_copy(update={"sources": []})
    iv = Interview(bare)
    for value in ("MC-1", "no", "Corin Ashdown"):
        iv.answer(value)
    proposed = prefill(bare, iv.submission, "weapons", 0, "yes", date(2026, 11, 20))
    assert (proposed.meta.source, proposed.source_from) == (None, None)
    assert prefill(flow, iv.submission, "weapons", 0, "yes", date(2026, 11, 20)).meta.source == "PNC"


def test_the_progress_rows_say_each_items_state_per_person(flow: Flow) -> None:
    iv = Interview(flow)
    for value in ("MC-1", "yes", 2, "Corin Ashdown", "no"):
        iv.answer(value)
    iv.rest_not_checked()  # seen, cars: not checked
    states = {(row.item, row.perpetrator): row.state for row in iv.progress()}
    assert [(row.section, row.item, row.perpetrator) for row in iv.progress()][:5] == [
        ("case", "case_ref", None), ("case", "several", None), ("case", "how_many", None),
        ("person", "name", 0), ("person", "name", 1),
    ]  # fmt: skip
    assert (states["case_ref", None], states["how_many", None]) == ("answered", "answered")
    assert states["weapons", 0] == "nothing_held"
    assert (states["weapon_kind", 0], states["licensed", 0]) == ("skipped", "skipped")
    assert (states["seen", 0], states["cars", 0]) == ("not_checked", "not_checked")
    assert (states["actions", 0], states["actions", 1]) == ("current", "pending")  # the current person only
    assert (states["weapons", 1], states["weapon_kind", 1]) == ("pending", "skipped")
    assert states["notes", None] == "pending"


def test_the_proposal_follows_this_persons_research_area_first(flow: Flow, tmp_path: Path) -> None:
    iv = Interview(flow)
    for value in ("MC-1", "yes", 2, "Corin Ashdown"):
        iv.answer(value)
    iv.answer("yes", AnswerMeta(status=Status.found, source="PND"))
    assert iv.proposed("seen", 0, "2026-11-02").source_from == ("weapons", 0)
    assert iv.proposed("seen", None, "2026-11-02").source_from == ("weapons", 0)  # the first person unless told
    assert iv.proposed("seen", 1, "2026-11-02").source_from == ("weapons", 0)  # another person's, when theirs has none
    assert iv.proposed("seen", 0, "unknown").meta.status is Status.not_checked


def test_the_diagram_has_its_title_every_item_and_only_the_flows_moves(flow: Flow) -> None:
    from marac_tui.engine.diagram import mermaid

    text = mermaid(flow)
    assert text.startswith("---\nMini flow (mini 1)\n---\nstateDiagram-v2\n")
    assert all(f'state "{item.id}" as {item.id}' in text for _, item in flow.all_items())
    assert "several --> how_many: answer [when_how_many] | skip [when_how_many]" in text
    assert "actions --> name: answer [another_perpetrator & ask_name]" in text  # the loop, both ways
    assert "name --> actions: back [earlier_perpetrator & ask_actions]" in text
    assert "to_" not in text  # no machine-made jumps between every pair of states
    only = mermaid(flow, ["back"])
    assert "several --> case_ref: back" in only and ": answer" not in only


def test_an_answers_file_field_that_is_not_text_is_named(flow: Flow) -> None:
    from marac_tui.engine.headless import AnswersError, run_answers

    data = {"case_ref": "MC-1", "several": "no", "name": "Corin Ashdown", "weapons": {"value": "yes", "source": 5}}
    with pytest.raises(AnswersError) as bad:
        run_answers(Interview(flow), data, lambda message: None)
    assert str(bad.value) == "perpetrators[1].weapons: source must be text, not 5"
    data["weapons"] = {"value": "yes", "checked": ["2026-11-02"]}
    with pytest.raises(AnswersError) as bad:
        run_answers(Interview(flow), data, lambda message: None)
    assert str(bad.value) == "perpetrators[1].weapons: checked must be text, not a list"
    from datetime import date

    data["weapons"] = {"value": "yes", "source": date(2026, 11, 2)}  # YAML reads `source: 2026-11-02` as a date
    with pytest.raises(AnswersError) as bad:
        run_answers(Interview(flow), data, lambda message: None)
    assert str(bad.value) == "perpetrators[1].weapons: source must be text, not datetime.date(2026, 11, 2)"
    data["weapons"] = {"value": "yes", "status": "found", "checked": "2026-11-02", "reason": "kept back", "share": False}
    iv = Interview(flow)
    run_answers(iv, data, lambda message: None)
    answer = iv.submission.perpetrators[0].answers["weapons"]
    assert (answer.checked_on.isoformat(), answer.withhold_reason) == ("2026-11-02", "kept back")


def test_a_refusal_from_another_item_names_where_it_is(flow: Flow) -> None:
    from marac_tui.engine.headless import scope_prefix

    assert (scope_prefix(None), scope_prefix(0), scope_prefix(2)) == ("", "perpetrators[1].", "perpetrators[3].")


def test_each_persons_answer_is_read_from_their_own_research(flow: Flow) -> None:
    iv = Interview(flow)
    for value in ("MC-1", "yes", 2, "Corin Ashdown", "yes", ["knife"], "", [], [], "Mal Brisket", "no"):
        iv.answer(value)
    assert iv.answer_of("several", 1).value == "yes"  # a case item, whoever is asked about
    assert (iv.answer_of("weapons").value, iv.answer_of("weapons", 1).value) == ("yes", "no")
    assert iv.answer_of("weapons", 2) is None  # no third person
    assert iv.answer_of("seen", 1) is None and iv.answer_of("name", None).value == "Corin Ashdown"


def test_a_skip_is_refused_for_a_required_item_and_records_a_research_item_as_not_checked(flow: Flow) -> None:
    iv = Interview(flow)
    with pytest.raises(AnswerError) as bad:
        iv.skip()
    assert str(bad.value) == "case_ref: an answer is required"
    for value in ("MC-1", "no", "Corin Ashdown"):
        iv.answer(value)
    iv.skip()
    weapons = iv.submission.perpetrators[0].answers["weapons"]
    assert (weapons.value, weapons.status, weapons.source, weapons.checked_on, weapons.basis) == (
        None, Status.not_checked, None, None, None)  # fmt: skip  nothing assumed: no check was made
    iv.back()
    iv.answer("yes")
    iv.jump("weapons")
    iv.skip()  # an answer already given is kept
    assert iv.submission.perpetrators[0].answers["weapons"].value == "yes"
    iv.jump("notes")
    iv.skip()  # not research: nothing recorded
    assert "notes" not in iv.submission.answers


def test_an_answers_file_with_an_unknown_key_or_a_bad_share_is_named(flow: Flow) -> None:
    from marac_tui.engine.headless import AnswersError, run_answers

    base = {"case_ref": "MC-1", "several": "no", "name": "Corin Ashdown"}
    with pytest.raises(AnswersError) as bad:
        run_answers(Interview(flow), {**base, "weapons": {"value": "yes", "sorce": "PNC", "zz": 1}}, lambda m: None)
    allowed = "basis, checked, checked_on, reason, share, source, status, value, withhold_reason"
    assert str(bad.value) == f"perpetrators[1].weapons: unknown key 'sorce' (allowed: {allowed})"
    with pytest.raises(AnswersError) as bad:
        run_answers(Interview(flow), {**base, "weapons": {"value": "yes", "share": "no"}}, lambda m: None)
    assert str(bad.value) == "perpetrators[1].weapons: share must be true or false, not 'no'"
    with pytest.raises(AnswersError) as bad:
        run_answers(Interview(flow), {**base, "weapons": {"value": "yes", "checked": "2999-01-01"}}, lambda m: None)
    assert "the date checked" in str(bad.value) and str(bad.value).startswith("perpetrators[1].weapons: ")
    iv = Interview(flow)
    run_answers(iv, {**base, "weapons": {"value": "yes", "source": "PND", "checked_on": "2026-11-02"}}, lambda m: None)
    answer = iv.submission.perpetrators[0].answers["weapons"]
    assert (answer.value, answer.source, str(answer.checked_on)) == ("yes", "PND", "2026-11-02")
    iv = Interview(flow)
    run_answers(iv, {**base, "weapons": {"value": "yes"}}, lambda m: None)  # only a value: still a value
    assert iv.submission.perpetrators[0].answers["weapons"].value == "yes"


def test_each_person_gets_their_own_proposal_and_todays_date(flow: Flow) -> None:
    from datetime import date

    iv = Interview(flow)
    for value in ("MC-1", "yes", 2, "Corin Ashdown"):
        iv.answer(value)
    iv.answer("yes", AnswerMeta(status=Status.found, source="PND"))
    for value in (["knife"], "", [], [], "Mal Brisket"):
        iv.answer(value)
    iv.answer("yes", AnswerMeta(status=Status.found, source="PNC"))
    mine, theirs = iv.proposed("seen", 1, "2026-11-02"), iv.proposed("seen", 0, "2026-11-02")
    assert (mine.source_from, mine.meta.source) == (("weapons", 1), "PNC")
    assert (theirs.source_from, theirs.meta.source) == (("cars", 0), "PND")  # their latest checked answer
    assert (mine.meta.status, mine.meta.checked_on) == (Status.found, date.today())


def test_a_recorded_provenance_change_is_json_as_saved(flow: Flow) -> None:
    from datetime import date

    seen: list[Change] = []
    iv = Interview(flow, on_change=lambda _iv, changes: seen.extend(changes))
    for value in ("MC-1", "no", "Corin Ashdown", "yes"):
        iv.answer(value)
    seen.clear()
    iv.set_meta("weapons", 0, AnswerMeta(status=Status.found, source="PND", checked_on=date(2026, 11, 20)))
    [change] = seen
    assert change.new["checked_on"] == "2026-11-20" and change.new["status"] == "found"
    assert isinstance(change.old["answered_at"], str) and change.old["status"] == "found"


def test_progress_reads_each_persons_own_answers(flow: Flow) -> None:
    iv = Interview(flow)
    for value in ("MC-1", "yes", 2, "Corin Ashdown", "yes"):
        iv.answer(value)
    states = {(row.item, row.perpetrator): row.state for row in iv.progress()}
    assert (states["weapon_kind", 0], states["weapon_kind", 1]) == ("current", "skipped")
