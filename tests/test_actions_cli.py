"""Trackable actions from the command line: `actions [--open] [--case] [--json]`, `action ID ACTION_ID
--status ... [--note]` (audited, on a finalised submission without reopening it), and
`suggestions ID [--json]` with the reasons. All names are fictional."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from marac_tui.cli import main
from marac_tui.engine.headless import run_answers
from marac_tui.engine.interview import Interview
from marac_tui.flow.loader import load_named
from marac_tui.store import Store
from marac_tui.submission import ActionStatus, SubmissionState


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def saved(data_dir: Path, case_ref: str, actions: list[dict[str, Any]], **perpetrator: Any) -> str:
    interview = Interview(load_named("police"), prefill=False)
    answers = {"case_ref": case_ref, "marac_date": "2026-12-10", "representative": "DC Ilsa Varrow",
               "agency": "Northmoor Police", "more_than_one": "no",
               "perpetrators": [{"full_name": "Orrin Blackwell", "homeless": "no", "stalking": "yes",
                                 "weapons": "yes", "weapon_types": ["shotgun"], "weapons_licensed": "licensed",
                                 **perpetrator, "actions": actions}]}  # fmt: skip
    run_answers(interview, answers, warn=lambda w: None)
    store = Store(data_dir)
    store.save(interview.submission)
    return str(interview.submission.id)


SOON = (date.today() + timedelta(days=7)).isoformat()
PAST = (date.today() - timedelta(days=3)).isoformat()
ACTIONS = [
    {"heading": "enforce", "text": "Arrest for the harassment", "agency": "Police", "owner": "DS Pell Corran",
     "due": SOON, "status": "agreed", "addresses": ["stalking"], "suggestion": "arrest_charge"},
    {"heading": "disrupt", "text": "Licensing unit to review the shotgun certificate", "agency": "Police",
     "due": PAST, "status": "done", "status_date": PAST, "addresses": ["weapons"], "suggestion": "firearms_review"},
    {"heading": "support", "text": "Offer the [red]community[/] programme", "due": PAST, "addresses": []},
]  # fmt: skip


@pytest.fixture
def two_cases(data_dir: Path) -> tuple[str, str]:
    Store.init(data_dir)
    first = saved(data_dir, "MC-2026-0701", ACTIONS)
    second = saved(data_dir, "MC-2026-0702", ACTIONS[:1])
    return first, second


def test_actions_lists_every_action_with_its_tracking(capsys, two_cases) -> None:
    code, out, _ = run(capsys, "actions", "--json")
    rows = json.loads(out)
    assert code == 0 and len(rows) == 4
    arrest = next(r for r in rows if r["case_ref"] == "MC-2026-0701" and r["text"] == "Arrest for the harassment")
    assert (arrest["agency"], arrest["owner"], arrest["due"], arrest["status"]) == ("Police", "DS Pell Corran", SOON, "agreed")
    assert arrest["perpetrator"] == "Orrin Blackwell" and arrest["heading"] == "Enforce"
    assert len(arrest["id"]) == 8
    programme = next(r for r in rows if r["text"].startswith("Offer"))
    assert programme["overdue"] is True and programme["status"] == "proposed"
    code, text, _ = run(capsys, "actions")
    assert "OVERDUE" in text and "Offer the [red]community[/] programme" in text  # shown literally
    assert text.rstrip().endswith("4 actions")


def test_actions_open_lists_what_is_not_done_across_submissions(capsys, two_cases) -> None:
    _, out, _ = run(capsys, "actions", "--open", "--json")
    rows = json.loads(out)
    assert {r["status"] for r in rows} == {"agreed", "proposed"}
    assert {r["case_ref"] for r in rows} == {"MC-2026-0701", "MC-2026-0702"}
    assert not any(r["text"].startswith("Licensing") for r in rows)
    _, out, _ = run(capsys, "actions", "--open", "--case", "mc-2026-0702", "--json")
    assert [r["case_ref"] for r in json.loads(out)] == ["MC-2026-0702"]
    _, out, _ = run(capsys, "actions", "--case", "MC-NONE")
    assert out.startswith("no actions for case MC-NONE")


def test_action_status_on_a_finalised_submission_is_audited_and_it_stays_finalised(capsys, two_cases, data_dir) -> None:
    first, _ = two_cases
    store = Store(data_dir)
    store.finalise(first)
    before = store.load(first).research_view()
    action_id = next(a.id for a in store.load(first).perpetrators[0].actions() if a.text.startswith("Arrest"))
    reported = date.today() - timedelta(days=1)
    code, out, err = run(capsys, "action", first[:8], action_id[:4], "--status", "done", "--note", "Charged 12/12",
                         "--on", reported.isoformat(), "--by", "Chair Wenna Loe")  # fmt: skip
    assert code == 0, err
    assert f"Done (reported {reported:%d %b %Y})" in out and "stays finalised" in out
    submission = store.load(first)
    assert submission.state is SubmissionState.finalised
    action = next(a for a in submission.perpetrators[0].actions() if a.id == action_id)
    assert (action.status, action.status_date, action.note) == (ActionStatus.done, reported, "Charged 12/12")
    assert action.history[-1].by == "Chair Wenna Loe"
    assert submission.research_view() == before  # nothing but the tracking changed
    history = [e.describe() for e in store.history(first)]
    assert any(f"Chair Wenna Loe  action {action_id} [perpetrator 1]" in line and '"done"' in line for line in history)
    assert not any("reopened" in line for line in history)
    code, out, _ = run(capsys, "actions", "--open", "--json")
    assert action_id not in {r["id"] for r in json.loads(out) if r["submission"] == first}


@pytest.mark.parametrize(("argv", "message"), [
    (["--status", "finished"], "'finished' is not a status"),
    (["--status", "done", "--on", "31/02/2026"], "does not exist"),
    ([], "nothing to record"),
])  # fmt: skip
def test_action_refuses_bad_input_in_one_line(capsys, two_cases, argv: list[str], message: str) -> None:
    first, _ = two_cases
    action_id = next(r["id"] for r in json.loads(run(capsys, "actions", "--json")[1]) if r["submission"] == first)
    code, out, err = run(capsys, "action", first[:8], action_id, *argv)
    assert code == 2 and message in err and len(err.strip().splitlines()) == 1 and "Traceback" not in err


def test_action_refuses_an_unknown_or_ambiguous_id(capsys, two_cases) -> None:
    first, _ = two_cases
    code, _, err = run(capsys, "action", first[:8], "zzzzzz", "--status", "done")
    assert code == 2 and "no action 'zzzzzz'" in err
    code, _, err = run(capsys, "action", first[:8], "ab", "--status", "done")
    assert code == 2 and "too short" in err
    future = (date.today() + timedelta(days=2)).isoformat()
    action_id = next(r["id"] for r in json.loads(run(capsys, "actions", "--json")[1]) if r["submission"] == first)
    code, _, err = run(capsys, "action", first[:8], action_id, "--status", "done", "--on", future)
    assert code == 2 and "in the future" in err


def test_action_due_owner_and_status_words(capsys, two_cases, data_dir) -> None:
    first, _ = two_cases
    action_id = next(r["id"] for r in json.loads(run(capsys, "actions", "--json")[1]) if r["text"].startswith("Offer"))
    code, _, err = run(capsys, "action", first[:8], action_id, "--status", "in progress", "--due", "2027-01-15",
                       "--owner", "Tam Heskey", "--agency", "Drive")  # fmt: skip
    assert code == 0, err
    action = next(a for a in Store(data_dir).load(first).perpetrators[0].actions() if a.id == action_id)
    assert (action.status, action.due, action.owner, action.agency) == (
        ActionStatus.in_progress, date(2027, 1, 15), "Tam Heskey", "Drive")
    assert action.status_date == date.today()


def test_suggestions_json_lists_each_suggestion_with_its_reason(capsys, data_dir) -> None:
    Store.init(data_dir)
    sid = saved(data_dir, "MC-2026-0703", [], homeless="yes", stalking="yes")
    code, out, _ = run(capsys, "suggestions", sid[:8], "--json")
    data = json.loads(out)
    person = data["perpetrators"][0]
    assert code == 0 and person["perpetrator"] == "Orrin Blackwell"
    by_id = {s["id"]: s for s in person["suggestions"]}
    assert "tenancy" not in by_id  # homeless: no tenancy action
    assert by_id["firearms_secure"]["reason"].startswith("Addresses Homeless or without a settled address, Access to weapons")
    assert "Are they licensed?" in by_id["firearms_secure"]["reason"]
    assert set(by_id["firearms_secure"]["cites"]) >= {"homeless", "weapon_types", "weapons_licensed"}
    assert by_id["stalking_order"]["risks"] == ["stalking"]
    assert all(s["reason"] for s in person["suggestions"])
    code, text, _ = run(capsys, "suggestions", sid[:8])
    assert "why: Addresses" in text and "1. Orrin Blackwell" in text
