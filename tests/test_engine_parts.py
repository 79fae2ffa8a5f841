"""The engine's pure parts: what is asked and still unanswered, provenance defaults, the Chair's
suggestions and their fit rules, and recording the rest of a section as not checked."""

from __future__ import annotations

from pathlib import Path

import pytest

from marac_tui.engine import asked, chair
from marac_tui.engine.interview import Interview
from marac_tui.engine.provenance import AnswerMeta, meta_fields, status_for
from marac_tui.flow.loader import load_flow
from marac_tui.flow.spec import ActionHeading, ActionSuggestion, Flow, RiskRule
from marac_tui.flow.values import AnswerError
from marac_tui.submission import Status

MINI = Path(__file__).parent / "fixtures" / "mini.yaml"


@pytest.fixture
def flow() -> Flow:
    return load_flow(MINI)


def walk(iv: Interview, *answers: object) -> None:
    for value in answers:
        iv.answer(value)


def test_unanswered_lists_asked_research_items_only(flow: Flow) -> None:
    iv = Interview(flow)
    walk(iv, "MC-1", "no", "Corin Ashdown", "no")
    assert asked.unanswered(flow, iv.submission) == {0: ["seen", "cars"]}  # weapon follow-ups not asked
    walk(iv, "", [])
    assert asked.unanswered(flow, iv.submission) == {}
    assert asked.unanswered(flow, iv.submission, research_only=False) == {0: ["actions"], None: ["notes"]}


def test_status_follows_the_value() -> None:
    assert status_for(None) is Status.not_checked
    assert status_for("unknown") is Status.not_checked
    assert status_for("no") is Status.nothing_held
    assert status_for([]) is Status.nothing_held
    assert status_for("none") is Status.nothing_held
    assert status_for("yes") is Status.found


def test_not_checked_keeps_no_source_or_date() -> None:
    from datetime import date

    fields = meta_fields(AnswerMeta(status=Status.not_checked, source="PNC", checked_on=date(2026, 1, 2)))
    assert fields["source"] is None and fields["checked_on"] is None
    fields = meta_fields(AnswerMeta(status=Status.found, source=" PNC ", share=False, withhold_reason=" x "))
    assert fields["source"] == "PNC" and fields["withhold_reason"] == "x"


def _flow_with(flow: Flow, *actions: ActionSuggestion) -> Flow:
    return flow.model_copy(update={"actions": list(actions),
                                   "action_headings": [ActionHeading(id="enforce", title="Enforce")]})  # fmt: skip


def test_fit_rules_when_and_unless(flow: Flow) -> None:
    raised = [r for r in chair.compute_risks(flow, {"weapons": "yes"})]
    values = {"weapons": "yes", "seen": None}
    both = ActionSuggestion(id="a", heading="enforce", text="A", addresses=["weapons"], when="weapons == 'yes'")
    never = ActionSuggestion(id="b", heading="enforce", text="B", addresses=["weapons"], unless="weapons == 'yes'")
    unfit = ActionSuggestion(id="c", heading="enforce", text="C", addresses=["weapons"], when="weapons == 'no'")
    other = ActionSuggestion(id="d", heading="enforce", text="D", addresses=["firearm"])
    offered = chair.suggestions(_flow_with(flow, both, never, unfit, other), raised, values)
    assert [s.id for s in offered] == ["a"]
    assert offered[0].risks[0].id == "weapons" and "Access to weapons" in offered[0].reason()


def test_offer_when_prompts_without_a_risk(flow: Flow) -> None:
    extra = ActionSuggestion(id="e", heading="enforce", text="E", offer_when="weapons == 'no'")
    offered = chair.suggestions(_flow_with(flow, extra), [], {"weapons": "no"})
    assert [(s.id, s.cites) for s in offered] == [("e", ("weapons",))]
    assert offered[0].reason(lambda c: c.upper()) == "Prompted by WEAPONS"
    assert chair.suggestions(_flow_with(flow, extra), [], {"weapons": "yes"}) == []


def test_an_action_must_be_prompted_by_something() -> None:
    with pytest.raises(ValueError, match="never offered"):
        ActionSuggestion(id="x", heading="enforce", text="X")


def test_risks_cite_only_answered_items(flow: Flow) -> None:
    flags = chair.compute_risks(flow, {"weapons": "yes", "weapon_kind": ["firearm"], "licensed": None})
    assert [(f.id, f.cites) for f in flags] == [("weapons", ["weapons"]), ("firearm", ["weapon_kind"])]
    assert RiskRule(id="r", title="R", when="weapons == 'yes'")  # the model still builds


def test_rest_of_section_not_checked(flow: Flow) -> None:
    iv = Interview(flow)
    walk(iv, "MC-1", "no", "Corin Ashdown", "no")
    assert iv.rest_not_checked() == 2  # seen and cars; weapons kept as answered
    person = iv.submission.perpetrators[0].answers
    assert person["weapons"].status is Status.nothing_held
    assert person["seen"].status is Status.not_checked and person["seen"].source is None
    assert iv.state == "actions"


def test_rest_of_perpetrator_stops_at_the_actions_and_moves_on_per_perpetrator(flow: Flow) -> None:
    iv = Interview(flow)
    walk(iv, "MC-1", "yes", 2, "Corin Ashdown")
    assert iv.rest_not_checked(whole_perpetrator=True) == 3  # weapons, seen, cars
    assert (iv.state, iv.perpetrator) == ("actions", 0)
    walk(iv, [], "Mal Brisket")
    assert iv.rest_not_checked(whole_perpetrator=True) == 3  # weapons, seen, cars
    assert (iv.state, iv.perpetrator) == ("actions", 1)
    with pytest.raises(AnswerError):
        Interview(flow).rest_not_checked(whole_perpetrator=True)


def test_answering_again_keeps_the_provenance_and_rechecks_only_a_changed_value(flow: Flow) -> None:
    from datetime import date

    from marac_tui.submission import Basis

    iv = Interview(flow)
    walk(iv, "MC-1", "no", "Corin Ashdown")
    checked = date(2026, 11, 20)
    iv.answer("yes", AnswerMeta(source="PND", basis=Basis.opinion, checked_on=checked, share=False, withhold_reason="Third party"))
    iv.back()
    assert iv.state == "weapons"
    weapons = flow.item("weapons")
    same = iv.kept_meta(weapons, "yes")
    assert same is not None and (same.status, same.source, same.checked_on, same.basis, same.share, same.withhold_reason) == (
        Status.found, "PND", checked, Basis.opinion, False, "Third party")  # fmt: skip
    changed = iv.kept_meta(weapons, "no")
    assert changed is not None and (changed.status, changed.checked_on) == (None, None)  # worked out afresh
    assert (changed.source, changed.basis, changed.share, changed.withhold_reason) == ("PND", Basis.opinion, False, "Third party")
    assert iv.kept_meta(weapons, "perhaps") is None  # not an answer: nothing to keep
    iv.answer("no", changed)
    iv.back()
    iv.back()
    assert iv.state == "name" and iv.kept_meta(flow.item("name"), "Corin Ashdown") is None  # no provenance recorded


def _three_versions(tmp_path: Path) -> Flow:
    """The mini flow at version 3, whose versions 1 to 3 each merged an old question into a new one."""
    text = MINI.read_text(encoding="utf-8").replace('version: "1"', 'version: "3"', 1)
    text = text.replace(
        '      - {id: several,', '      - {id: urgent, kind: yesno, prompt: "Urgent?"}\n      - {id: several,', 1
    )
    text += (
        "changes:\n"
        '  - {version: "1", merged: {urgent_old: urgent}}\n'
        '  - {version: "2", merged: {priority: urgent}}\n'
        '  - {version: "3", merged: {armed: weapons}}\n'
    )
    path = tmp_path / "mini.yaml"
    path.write_text(text.replace("name: mini", "name: mini_versions"), encoding="utf-8")
    return load_flow(path)


def test_an_old_draft_takes_every_later_merge_in_the_case_and_each_person(tmp_path: Path) -> None:
    from marac_tui.engine.upgrade import upgrade
    from marac_tui.submission import Answer, FlowRef, Perpetrator, Submission

    flow = _three_versions(tmp_path)
    yes = Answer(value="yes", status=Status.found, source="PNC")
    draft = Submission(
        flow=FlowRef(name="mini_versions", version="1"),
        answers={"case_ref": Answer(value="MC-1"), "priority": Answer(value="yes"), "urgent_old": Answer(value="yes")},
        perpetrators=[
            Perpetrator(answers={"name": Answer(value="Corin Ashdown"), "armed": yes}),
            Perpetrator(answers={"name": Answer(value="Mal Brisket"), "armed": yes, "weapons": yes}),  # says yes already
            Perpetrator(answers={"name": Answer(value="Ros Tenby"), "armed": yes, "weapons": Answer(value="no")}),
        ],
    )
    changes = upgrade(flow, draft)
    assert draft.answers["urgent"].value == "yes" and "priority" not in draft.answers
    assert draft.answers["urgent_old"].value == "yes"  # merged by version 1, the draft's own: already asked as it is
    moved = draft.perpetrators[0].answers
    assert "armed" not in moved and moved["weapons"].value == "yes" and moved["weapons"].source == "PNC"
    assert set(draft.perpetrators[1].answers) == {"name", "armed", "weapons"}  # nothing to move: both kept
    assert draft.perpetrators[2].answers["weapons"].value == "yes" and "armed" not in draft.perpetrators[2].answers
    assert [(item, who) for item, who, _, _ in changes] == [
        ("urgent", None), ("priority", None), ("weapons", 0), ("armed", 0), ("weapons", 2), ("armed", 2),
        ("flow version", None),
    ]
    assert changes[0][2] is None and changes[4][2]["value"] == "no"  # what the new item said before
    assert changes[-1][2:] == ("1", "3")
    assert (draft.flow.name, draft.flow.version, draft.flow.title, draft.flow.upgraded_from) == (
        "mini_versions", "3", "Mini flow", ["1"])


def test_a_draft_paused_at_how_many_holds_one_persons_research(flow: Flow) -> None:
    iv = Interview(flow)
    walk(iv, "MC-1", "yes")
    assert iv.state == "how_many" and iv.perpetrator_count() == 1 and len(iv.submission.perpetrators) == 1


def test_a_count_that_cannot_be_worked_out_yet_is_one_person(tmp_path: Path) -> None:
    """`how_many + 1` (the others, and the first) is a type error until it is answered: one person."""
    text = MINI.read_text(encoding="utf-8").replace(
        "count: \"how_many if several == 'yes' else 1\"", "count: \"how_many + 1 if several == 'yes' else 1\""
    )
    path = tmp_path / "mini.yaml"
    path.write_text(text, encoding="utf-8")
    iv = Interview(load_flow(path))
    walk(iv, "MC-1", "yes")
    assert iv.state == "how_many" and iv.perpetrator_count() == 1 and len(iv.submission.perpetrators) == 1
    iv.answer(2)
    assert iv.perpetrator_count() == 3


def test_a_finalised_old_submission_is_not_asked_what_its_flow_added_later_but_a_draft_is() -> None:
    import json

    from marac_tui.flow.loader import load_named
    from marac_tui.submission import Submission, SubmissionState

    police = load_named("police")
    data = json.loads((Path(__file__).parent / "fixtures" / "v1" / "police-finalised.json").read_text(encoding="utf-8"))
    finalised = Submission.model_validate(data)
    assert finalised.state is SubmissionState.finalised and finalised.flow.version == "1.0"
    assert asked.unanswered(police, finalised) == {}
    draft = finalised.model_copy(update={"state": SubmissionState.draft})
    assert "pnc_id" in asked.unanswered(police, draft)[0]  # added in 2.0: still to do in a draft


def test_a_finalised_old_submission_has_no_gaps_for_what_its_flow_added_later_but_a_draft_does() -> None:
    import json

    from marac_tui.engine.gaps import GapKind, find_gaps
    from marac_tui.flow.loader import load_named
    from marac_tui.submission import Submission, SubmissionState

    police = load_named("police")
    data = json.loads((Path(__file__).parent / "fixtures" / "v1" / "police-finalised.json").read_text(encoding="utf-8"))
    finalised = Submission.model_validate(data)
    later = police.added_since(finalised.flow.version)
    assert {"pnc_id", "relationship_to_victim", "sharing_basis"} <= later
    assert not [gap for gap in find_gaps(police, finalised) if gap.item in later]  # never asked, so no gap
    draft = finalised.model_copy(update={"state": SubmissionState.draft})
    assert any(gap.item == "pnc_id" and gap.kind is GapKind.not_answered for gap in find_gaps(police, draft))
