"""Carrying earlier research forward: every carried answer starts not checked, marked to re-check,
and stays so until the researcher confirms it."""

from __future__ import annotations

from pack_cases import POLICE, PROBATION, build

from marac_tui.engine.interview import AnswerMeta, Interview
from marac_tui.export import render
from marac_tui.flow.loader import load_named
from marac_tui.pack.carry import carry_forward
from marac_tui.submission import Status


def fresh(name: str = "Dallas Harrow") -> Interview:
    interview = Interview(load_named("police"), prefill=False)
    for value in ("MC-2026-0777", "2026-12-20", "DC Ana Pell", "Police", "no", name, "1986-05-14"):
        interview.answer(value)
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
    probation = build("probation", PROBATION)  # asks supervision items the police flow does not have
    carry_forward(interview.flow, interview.submission, 0, probation, 0, load_named("probation"))
    answers = interview.submission.perpetrators[0].answers
    assert "supervision_status" not in answers
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
