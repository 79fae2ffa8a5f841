"""Withheld case-level research: the meeting never sees the answer, nor the header field it fills.

The police and probation flows hold no research in their case section, so this uses a small flow
(tests/fixtures/case_research.yaml) whose case section does: `agency` (a header field, so the
header must drop it too), `earlier_referrals` (cited by a risk) and `household`. Every name is fictional.
"""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

import docx
import pytest

from marac_tui.engine.interview import AnswerMeta, Interview
from marac_tui.export import render
from marac_tui.export.content import meeting_view
from marac_tui.export.summary import build_summary, render_summary_markdown, render_summary_text
from marac_tui.flow.loader import load_flow
from marac_tui.submission import Status, Submission

FLOW = load_flow(Path(__file__).parent / "fixtures" / "case_research.yaml")
SECRETS = ("AGENCY-SECRET", "REFERRALS-SECRET", "REASON-AGENCY", "REASON-REFERRALS")


def found(share: bool = True, reason: str | None = None) -> AnswerMeta:
    return AnswerMeta(status=Status.found, source="Local records", checked_on=date(2026, 11, 20),
                      share=share, withhold_reason=reason)  # fmt: skip


def submission() -> Submission:
    interview = Interview(FLOW, prefill=False)
    interview.answer("MC-2026-7001")
    interview.answer("DS Wenna Polglase")
    interview.answer("AGENCY-SECRET", found(share=False, reason="REASON-AGENCY"))
    interview.answer("REFERRALS-SECRET", found(share=False, reason="REASON-REFERRALS"))
    interview.answer("HOUSEHOLD-SHARED", found())
    interview.answer("Tobias Hendry")
    interview.answer("RECORD-SHARED", found())
    assert interview.done
    return interview.submission


def outputs(sub: Submission, audience: str) -> str:
    document = docx.Document(io.BytesIO(render(sub, FLOW, "docx", audience)))
    cells = [c.text for t in document.tables for r in t.rows for c in r.cells]
    texts = [
        render(sub, FLOW, "md", audience).decode(),
        render(sub, FLOW, "json", audience).decode(),
        render(sub, FLOW, "csv", audience).decode("utf-8-sig"),
        "\n".join([p.text for p in document.paragraphs] + cells),
    ]
    return "\n".join(texts)


def test_the_premise_the_withheld_answers_are_in_the_submission() -> None:
    sub = submission()
    assert sub.header.agency == "AGENCY-SECRET"  # a case answer fills the header
    assert not sub.answers["agency"].share and not sub.answers["earlier_referrals"].share
    assert [r.cites for r in sub.perpetrators[0].risks] == [["earlier_referrals", "record"]]


def test_the_meeting_view_drops_withheld_case_answers_their_header_field_and_citations() -> None:
    sub = submission()
    view = meeting_view(sub)
    assert set(view.answers) == {"case_ref", "representative", "household"}
    assert view.header.agency is None
    assert view.header.case_ref == "MC-2026-7001" and view.header.representative == "DS Wenna Polglase"
    assert [r.cites for r in view.perpetrators[0].risks] == [["record"]]
    assert sub.header.agency == "AGENCY-SECRET" and "agency" in sub.answers  # the original is untouched


@pytest.mark.parametrize("secret", SECRETS)
def test_no_meeting_output_holds_a_withheld_case_answer(secret: str) -> None:
    sub = submission()
    meeting = outputs(sub, "meeting")
    summary = build_summary(sub, FLOW)
    meeting += render_summary_text(summary) + render_summary_markdown(summary)
    assert secret not in meeting
    assert "HOUSEHOLD-SHARED" in meeting and "RECORD-SHARED" in meeting and "MC-2026-7001" in meeting


def test_the_internal_copy_keeps_them_with_the_reasons() -> None:
    internal = outputs(submission(), "internal")
    for secret in SECRETS:
        assert secret in internal
