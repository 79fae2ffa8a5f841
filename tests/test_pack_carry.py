"""Carrying earlier research forward: every carried answer starts not checked, marked to re-check,
and stays so until the researcher confirms it."""

from __future__ import annotations

import copy

from pack_cases import POLICE, PROBATION, build

from marac_tui.engine.interview import AnswerMeta, Interview
from marac_tui.export import render
from marac_tui.flow.loader import load_named
from marac_tui.pack.carry import carry_forward
from marac_tui.submission import Status


def fresh(name: str = "Dallas Harrow") -> Interview:
    interview = Interview(load_named("police"), prefill=False)
    given = {"case_ref": "MC-2026-0777", "marac_date": "2026-12-20", "representative": "DC Ana Pell",
             "agency": "Police", "sharing_basis": "cda_s115", "more_than_one": "no", "full_name": name,
             "date_of_birth": "1986-05-14"}  # fmt: skip
    while given:  # by item id, in the flow's order; case items not named here are skipped
        if interview.state in given:
            interview.answer(given.pop(interview.state))
        else:
            interview.skip()
    return interview


def test_carried_answers_start_not_checked_with_no_source_or_date() -> None:
    interview = fresh()
    earlier = build("police", POLICE)
    changes = carry_forward(interview.flow, interview.submission, 0, earlier, 0, load_named("police"))
    answers = interview.submission.perpetrators[0].answers
    assert [c.item for c in changes] == ["address", "aliases", "serial_perpetrator", "threats_to_kill",
                                         "threats_to_kill_details", "stalking", "stalking_details", "weapons"]
    for change in changes:
        answer = answers[change.item]
        assert (answer.status, answer.source, answer.checked_on, answer.carried_from) == (
            Status.not_checked, None, None, "MC-2026-0555")
    assert answers["date_of_birth"].carried_from is None  # answered here: never overwritten
    md = render(interview.submission, interview.flow, "md", "internal").decode()
    assert "*Not checked · carried forward from MC-2026-0555, re-check*" in md


def test_only_items_this_flow_asks_of_the_same_kind_are_carried_and_skip_logic_holds() -> None:
    interview = fresh()
    police = load_named("police")
    assert not police.has_item("rosh_level") and police.has_item("supervision_status")
    research = copy.deepcopy(PROBATION)  # the risk of serious harm level is asked by probation only
    research["perpetrators"][0]["rosh_level"] = {"value": "high", "source": "OASys", "checked": "2026-12-01"}
    probation = build("probation", research)
    carry_forward(interview.flow, interview.submission, 0, probation, 0, load_named("probation"))
    answers = interview.submission.perpetrators[0].answers
    assert "rosh_level" not in answers and answers["supervision_status"].carried_from == "MC-2026-0555"
    assert answers["weapons"].value == "yes" and answers["weapon_types"].value == ["shotgun"]  # the follow-up too
    assert answers["weapons_licensed"].carried_from == "MC-2026-0555"


def test_a_carried_answer_stays_not_checked_until_confirmed() -> None:
    interview = fresh()
    carry_forward(interview.flow, interview.submission, 0, build("police", POLICE), 0)
    assert interview.state == "address"
    kept = interview.current_answer
    interview.answer(kept.value, AnswerMeta(status=kept.status, share=kept.share))  # Enter on the same value
    address = interview.submission.perpetrators[0].answers["address"]
    assert address.status is Status.not_checked and address.carried_from == "MC-2026-0555"
    assert address.provenance() == ["Not checked", "carried forward from MC-2026-0555, re-check"]
    interview.set_meta("address", 0, AnswerMeta(status=Status.found, source="Force system"))  # confirmed
    address = interview.submission.perpetrators[0].answers["address"]
    assert address.provenance()[:2] == ["Found", "Force system"] and "re-check" not in " ".join(address.provenance())
