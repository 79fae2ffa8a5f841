"""Tracked actions round-trip their owner, due date and status through every export (JSON, Markdown,
Word, CSV), `show` and the Chair's summary, in full (no text cut). All names are fictional."""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import date

from marac_tui.engine.headless import run_answers
from marac_tui.engine.interview import Interview
from marac_tui.export import render
from marac_tui.export.summary import build_summary, render_summary_markdown, render_summary_text
from marac_tui.export.text import render_text
from marac_tui.flow.loader import load_named
from marac_tui.submission import ActionStatus, Submission
from tests.test_export import docx_text

LONG = ("Disruption plan led by one named contact in the police, with overt patrols at the victim's workplace on every "
        "shift change, an ANPR marker on both vehicles and a weekly review with the MARAC coordinator until February")  # fmt: skip
ACTIONS = [
    {"id": "a1b2c3d4", "heading": "disrupt", "text": LONG, "agency": "Northmoor Police", "owner": "PS Hale Monbury",
     "due": "2026-12-19", "status": "in_progress", "status_date": "2026-11-29",
     "history": [{"status": "agreed", "on": "2026-11-28"}, {"status": "in_progress", "on": "2026-11-29", "note": "First patrols done"}],
     "note": "First patrols done", "addresses": ["stalking"], "suggestion": "disruption_plan"},
    {"id": "e5f6a7b8", "heading": "enforce", "text": "Charge the harassment", "agency": "Northmoor Police",
     "due": "2026-11-20", "status": "not_done", "status_date": "2026-11-25", "addresses": ["stalking"]},
]  # fmt: skip


def tracked() -> Submission:
    interview = Interview(load_named("police"), prefill=False)
    run_answers(interview, {"case_ref": "MC-2026-0771", "marac_date": "2026-12-10", "representative": "DC Ilsa Varrow",
                            "agency": "Northmoor Police", "more_than_one": "no",
                            "perpetrators": [{"full_name": "Orrin Blackwell", "stalking": "yes", "actions": ACTIONS}]},
                warn=lambda w: None)  # fmt: skip
    return interview.submission


def test_the_engine_keeps_every_tracking_field() -> None:
    (first, second) = tracked().perpetrators[0].actions()
    assert (first.id, first.owner, first.due, first.status, first.status_date) == (
        "a1b2c3d4", "PS Hale Monbury", date(2026, 12, 19), ActionStatus.in_progress, date(2026, 11, 29))
    assert [h.status for h in first.history] == [ActionStatus.agreed, ActionStatus.in_progress]
    assert second.status is ActionStatus.not_done and second.open


def test_json_round_trip_keeps_due_date_status_and_history() -> None:
    submission = tracked()
    for audience in ("meeting", "internal"):
        back = Submission.model_validate(json.loads(render(submission, load_named("police"), "json", audience)))
        assert back.perpetrators[0].actions() == submission.perpetrators[0].actions()


def test_markdown_and_word_show_owner_due_and_status_in_full() -> None:
    submission, flow = tracked(), load_named("police")
    text = render(submission, flow, "md", "meeting").decode()
    assert "| Action | Owner | Due | Status | Risks addressed | Action id |" in text
    row = next(line for line in text.splitlines() if "a1b2c3d4" in line)
    assert LONG.replace("'", "'") in row.replace("\\'", "'") and "…" not in row
    assert "Northmoor Police / PS Hale Monbury" in row and "19 Dec 2026" in row
    assert "In progress (reported 29 Nov 2026): First patrols done" in row
    overdue = next(line for line in text.splitlines() if "e5f6a7b8" in line)
    assert "20 Nov 2026 (overdue)" in overdue and "Not done (reported 25 Nov 2026)" in overdue
    body, _ = docx_text(render(submission, flow, "docx", "internal"))
    assert LONG in body and "(id a1b2c3d4)" in body and "19 Dec 2026" in body
    assert "In progress (reported 29 Nov 2026): First patrols done" in body


def test_csv_carries_each_actions_id_owner_due_date_and_status() -> None:
    data = render(tracked(), load_named("police"), "csv", "meeting").decode("utf-8-sig")
    (row,) = list(csv.DictReader(io.StringIO(data)))
    assert row["Open actions"] == "2"
    cells = row["Action tracking"].split("; ")
    assert cells[0] == f"a1b2c3d4: {LONG} | Northmoor Police / PS Hale Monbury | due 2026-12-19 | in_progress 2026-11-29"
    assert cells[1].endswith("| due 2026-11-20 | not_done 2026-11-25")


def test_show_and_the_summary_give_every_action_in_full_with_its_tracking() -> None:
    submission, flow = tracked(), load_named("police")
    shown = render_text(submission)
    assert f"ACTION a1b2c3d4 disrupt: {LONG} — Northmoor Police / PS Hale Monbury" in shown
    summary = build_summary(submission, flow)
    text = " ".join(render_summary_text(summary).split())
    assert LONG in text and "…" not in text
    assert "In progress (reported 29 Nov 2026): First patrols done · due 19 Dec 2026 · id a1b2c3d4" in text
    md = render_summary_markdown(summary)
    assert "id a1b2c3d4" in md and "…" not in md
    assert re.search(r"due 20 Nov 2026 \(overdue\)", text)
