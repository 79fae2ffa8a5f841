"""Fixture submissions for the export and summary tests, built through the interview engine.

Only the police flow's stable ids are used, so the fixtures hold as the flow grows. Every name and
case is fictional. Withheld texts carry the marker SECRET so a test can look for any leak.
"""

from __future__ import annotations

import copy
from typing import Any

from marac_tui.engine.headless import run_answers
from marac_tui.engine.interview import Interview
from marac_tui.flow.loader import load_named
from marac_tui.submission import Submission

CASE: dict[str, Any] = {
    "case_ref": "MC-2026-0917",
    "marac_date": "2026-12-10",
    "representative": "DS Oriel Penhallow",
    "agency": "Westmere Police Safeguarding Hub",
    "more_than_one": "yes",
    "perpetrator_count": 2,
    "perpetrators": [
        {
            "full_name": "Corwin Ashgrove",
            "aliases": {
                "value": [
                    {"name": "Cor Ash", "type": "nickname", "source": "PND"},
                    {"name": "ashgrove_77", "type": "online_handle", "source": "Intelligence"},
                ],
                "status": "found",
                "source": "PND",
                "checked": "2026-11-18",
                "basis": "fact",
            },
            "serial_perpetrator": {
                "value": "yes",
                "status": "found",
                "source": "PNC",
                "checked": "2026-11-19",
                "basis": "fact",
            },
            "serial_details": {
                "value": "Two earlier partners recorded as victims in Fenmouth, 2018 and 2021.",
                "source": "PND",
                "checked": "2026-11-19",
                "basis": "opinion",
            },
            "actions": [
                {
                    "heading": "manage",
                    "text": "Refer for multi-agency management as a serial perpetrator",
                    "agency": "Police",
                    "addresses": ["serial"],
                },
                {"heading": "support", "text": "Offer a place on a behaviour-change programme", "agency": "Probation"},
            ],
        },
        {
            "full_name": "Belinda Strake",
            "aliases": {
                "value": [{"name": "SECRET-ALIAS Bel Quarry", "type": "previous_surname", "source": "PND"}],
                "share": False,
                "reason": "SECRET-REASON-1 alias known only from a covert source",
            },
            "serial_perpetrator": {
                "value": "yes",
                "status": "found",
                "source": "Intelligence",
                "checked": "2026-11-20",
                "share": False,
                "reason": "SECRET-REASON-2 live operation by another team",
            },
            "serial_details": {
                "value": "SECRET-DETAIL an ex-partner in Harrowgate reported threats in 2023",
                "share": False,
                "reason": "SECRET-REASON-3 third-party information from another force",
            },
            "actions": [],
        },
    ],
}


def build(answers: dict[str, Any] | None = None) -> Submission:
    """A finished submission from an answers mapping (default: CASE), exactly as `marac-tui run` makes it."""
    interview = Interview(load_named("police"), prefill=False)
    run_answers(interview, copy.deepcopy(answers or CASE), warn=lambda _w: None)
    return interview.submission


def with_name(name: str, **case: Any) -> dict[str, Any]:
    """CASE with the first perpetrator renamed (and case items replaced) for hostile-text tests."""
    answers = copy.deepcopy(CASE)
    answers.update(case)
    answers["perpetrators"][0]["full_name"] = name
    return answers


def test_the_fixture_really_withholds_and_shares() -> None:
    submission = build()
    second = submission.perpetrators[1].answers
    assert [k for k, a in second.items() if not a.share] == ["aliases", "serial_perpetrator", "serial_details"]
    assert [r.id for r in submission.perpetrators[1].risks] == ["serial"]
    assert submission.perpetrators[1].risks[0].cites == ["serial_perpetrator"]
    assert [g.id for g in submission.perpetrators[1].gaps()] == ["serial"]
    assert submission.perpetrators[0].gaps() == []
