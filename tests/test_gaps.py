"""One count of gaps: the review, the Chair's summary and the exports all take theirs from
`engine.gaps`, so they agree; the meeting leaves out only gaps on answers it never sees."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_export_cases import CASE, build

from marac_tui.engine.followups import follow_ups, hidden_from_meeting, parents
from marac_tui.engine.gaps import GapKind, count_by_kind, find_gaps, for_perpetrator
from marac_tui.engine.headless import run_answers
from marac_tui.engine.interview import AnswerMeta, Interview
from marac_tui.export.content import meeting_view
from marac_tui.export.markdown import render_markdown
from marac_tui.export.report import build_report, gap_count
from marac_tui.export.summary import build_summary, render_summary_text
from marac_tui.flow.loader import load_named
from marac_tui.submission import Submission
from marac_tui.tui.screens.review_rows import gap_counts, gap_summary, review_rows

FLOW = load_named("police")


def from_answers(answers: dict[str, Any]) -> Interview:
    interview = Interview(FLOW, prefill=False)
    run_answers(interview, answers, lambda message: None)
    return interview


PLAIN = {"yesno": "no", "date": "1990-01-01", "repeat": [], "multichoice": [], "number": 1}


def half_done() -> Interview:
    """A draft that stopped in the employment area, one employment item marked not checked."""
    interview = Interview(FLOW, prefill=False)
    given = {"case_ref": "MC-2026-0930", "marac_date": "2026-12-10", "representative": "DC Ysolde Marr",
             "agency": "Eastmere Police", "more_than_one": "no", "full_name": "Tobin Greaves",
             "pnc_id": "19/204417K"}  # fmt: skip
    while interview.state != "employment":
        item = FLOW.item(interview.state)
        plain = item.options[0].value if item.options else PLAIN.get(item.kind.value, "Held on the force system")
        interview.answer(given.get(item.id, plain), AnswerMeta(source="PNC", checked_on=date(2026, 11, 30)))
    interview.skip()  # employment: not checked, and the rest of the area not answered yet
    return interview


def agree(interview: Interview) -> None:
    """The review, the internal and meeting exports and the Chair's summary against engine.gaps."""
    submission = interview.submission
    internal, meeting = find_gaps(FLOW, submission, "internal"), find_gaps(FLOW, submission, "meeting")
    rows = review_rows(interview)
    assert gap_counts(rows) == {kind.value: n for kind, n in count_by_kind(internal).items()}
    status = gap_summary(rows)
    assert status.startswith(f"{len(internal)} gap") or (not internal and status.startswith("No gaps"))

    for audience, expected in (("internal", internal), ("meeting", meeting)):
        report = build_report(submission, FLOW, audience)
        assert report.case_gaps.count == len(for_perpetrator(expected, None))
        for index, part in enumerate(report.perpetrators):
            assert part.gap_list is not None and part.gap_list.count == len(for_perpetrator(expected, index))
        text = render_markdown(report)
        shown = [int(n) for n in re.findall(r"^### Gaps \((\d+)\)$", text, re.MULTILINE)]
        assert shown == [n for n in (len(for_perpetrator(expected, i)) for i in range(len(report.perpetrators))) if n]

    summary = build_summary(submission, FLOW)
    assert [gap_count(b) for b in summary.perpetrators] == [
        len(for_perpetrator(meeting, i)) for i in range(len(submission.perpetrators))]  # fmt: skip
    lines = render_summary_text(summary).splitlines()
    for brief in summary.perpetrators:
        if gap_count(brief):
            assert f"Gaps ({gap_count(brief)})" in lines

    # the meeting leaves out exactly the gaps on answers it does not see
    hidden = {scope: hidden_from_meeting(FLOW, answers) for scope, answers in
              [(None, submission.answers), *enumerate(p.answers for p in submission.perpetrators)]}  # fmt: skip
    assert meeting == [g for g in internal if g.item not in hidden[g.perpetrator]]


def test_they_agree_on_the_example_two_people_and_a_half_done_draft() -> None:
    from tests.tui_harness import example_answers

    agree(from_answers(example_answers()))
    gappy = example_answers()
    gappy["perpetrators"][0].pop("actions")
    agree(from_answers(gappy))
    agree(from_answers({k: v for k, v in CASE.items()}))
    agree(half_done())


def test_a_half_done_draft_says_one_not_checked_and_the_rest_not_answered_yet() -> None:
    """The reported mismatch: the summary said 13 not checked for one unchecked employment item."""
    interview = half_done()
    summary = build_summary(interview.submission, FLOW)
    text = render_summary_text(summary)
    employment = FLOW.item("employment").prompt
    assert f"Not checked: {employment}" in " ".join(line.strip() for line in text.splitlines())
    assert "Not answered yet (" in text
    brief = summary.perpetrators[0]
    assert brief.not_checked == [employment]
    internal = find_gaps(FLOW, interview.submission)
    assert count_by_kind(internal)[GapKind.not_checked] == 1
    assert gap_count(brief) == len(for_perpetrator(internal, 0))


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_they_agree_whatever_is_skipped_or_withheld(data: st.DataObject) -> None:
    from tests.tui_harness import example_answers

    answers = example_answers()
    person = answers["perpetrators"][0]
    for item in data.draw(st.lists(st.sampled_from(sorted(person)), unique=True, max_size=4)):
        if item != "full_name":
            person.pop(item)
    for item in data.draw(st.lists(st.sampled_from(["date_of_birth", "address", "serial_perpetrator"]), unique=True)):
        value = person.get(item)
        raw = value["value"] if isinstance(value, dict) else (value or "1990-01-01" if item == "date_of_birth" else "yes")
        person[item] = {"value": raw, "share": False, "reason": "third-party information"}
    agree(from_answers(answers))


def test_followups_and_their_parents() -> None:
    assert parents(FLOW, "weapon_types") == ("weapons",)
    assert "weapon_types" in follow_ups(FLOW, "weapons") and "weapons_licensed" in follow_ups(FLOW, "weapons")
    assert parents(FLOW, "weapons") == ()


def test_the_meeting_never_sees_a_bare_yes_whose_follow_ups_are_all_withheld() -> None:
    answers = {**{k: v for k, v in CASE.items() if k != "perpetrators"}, "more_than_one": "no",
               "full_name": "Tobin Greaves",
               "wellbeing": "yes",
               "wellbeing_details": {"value": "SECRET: a diagnosis shared by the GP", "share": False,
                                     "reason": "medical information, not proportionate"}}  # fmt: skip
    submission = from_answers(answers).submission
    view = meeting_view(submission, FLOW)
    assert "wellbeing" not in view.perpetrators[0].answers
    form = render_markdown(build_report(submission, FLOW, "meeting"))
    assert FLOW.item("wellbeing").prompt not in form and "SECRET" not in form
    internal = render_markdown(build_report(submission, FLOW, "internal"))
    assert FLOW.item("wellbeing").prompt in internal
    # with the details shared, the Yes has its content and is shown
    answers["wellbeing_details"] = "Attends a weekly clinic"
    shared = meeting_view(from_answers(answers).submission, FLOW)
    assert shared.perpetrators[0].answers["wellbeing"].value == "yes"


def test_submission_type_is_unchanged_by_the_meeting_view() -> None:
    submission = build()
    assert isinstance(meeting_view(submission), Submission)
