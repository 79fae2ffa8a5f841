"""A withholding whose reason is still to come (the interview closed with the provenance strip open):
the draft is saved and opens again, the answer stays withheld and is listed as a gap, and the draft
cannot be finalised until the reason is given. A finalised submission never withholds without one."""

from __future__ import annotations

from pathlib import Path

import pytest

from marac_tui.engine.gaps import find_gaps
from marac_tui.engine.interview import AnswerMeta, Interview
from marac_tui.errors import UserError
from marac_tui.export.content import meeting_view
from marac_tui.flow.loader import load_flow
from marac_tui.store import Store
from marac_tui.submission import Status, Submission, SubmissionState

MINI = Path(__file__).parent / "fixtures" / "mini.yaml"


def _withheld_draft(store: Store) -> tuple[Interview, str]:
    flow = load_flow(MINI)
    interview = Interview(flow)
    for raw in ("MC-2026-0611", "no", "Corin Ashdown", "yes"):
        interview.answer(raw)
    interview.set_meta("weapons", 0, AnswerMeta(status=Status.found, source="PNC", share=False), need_reason=False)
    store.save(interview.submission)
    return interview, str(interview.submission.id)


def test_a_draft_withheld_without_its_reason_yet_opens_again_withheld_and_listed(data_dir: Path) -> None:
    store = Store(data_dir)
    interview, sid = _withheld_draft(store)
    loaded = store.load(sid)  # it used to be refused as damaged, the whole draft with it
    answer = loaded.perpetrators[0].answers["weapons"]
    assert (answer.value, answer.share, answer.withhold_reason) == ("yes", False, None)
    assert loaded.perpetrators[0].answers["name"].value == "Corin Ashdown"
    assert any(gap.item == "weapons" for gap in find_gaps(interview.flow, loaded))
    assert "weapons" not in meeting_view(loaded, interview.flow).perpetrators[0].answers  # still not shared


def test_it_cannot_be_finalised_until_the_reason_is_given(data_dir: Path) -> None:
    store = Store(data_dir)
    interview, sid = _withheld_draft(store)
    with pytest.raises(UserError, match=r"cannot finalise: perpetrators\[0\]\.weapons is withheld without a reason"):
        store.finalise(sid)
    assert store.load(sid).state is SubmissionState.draft
    interview.set_meta("weapons", 0, AnswerMeta(status=Status.found, source="PNC", share=False,
                                                withhold_reason="Third-party information"))  # fmt: skip
    store.save(interview.submission)
    assert store.finalise(sid).state is SubmissionState.finalised
    assert store.load(sid).perpetrators[0].answers["weapons"].withhold_reason == "Third-party information"


def test_a_finalised_submission_withheld_without_a_reason_is_refused(data_dir: Path) -> None:
    store = Store(data_dir)
    interview, _sid = _withheld_draft(store)
    data = interview.submission.model_dump(mode="json")
    assert Submission.model_validate(data).state is SubmissionState.draft
    data["state"] = "finalised"
    with pytest.raises(ValueError, match=r"perpetrators\[0\]\.weapons: withheld without a reason"):
        Submission.model_validate(data)
