"""Plain mode: back and skip, rest not checked, resuming a draft by id, the edit lock, Ctrl+C and the
end of input. Each session is compared with the app given the same answers."""

from __future__ import annotations

import re
import signal
from pathlib import Path

from marac_tui.store import Store
from marac_tui.submission import Status
from tests.plain_support import (
    case,
    assert_no_escapes,
    audit_changes,
    comparable,
    finish,
    in_the_app,
    run_piped,
    run_pty,
    same_as_the_app,
    spawn,
    stored,
    type_lines,
)

AFTER_BACK_AND_SKIP = (
    case()
    .answer("full_name", "Corvin Ashdale")
    .answer("date_of_birth", "23/04/1985", "source PND")
    .to("address")
    .command("skip")                               # address: not checked
    .command("back")                               # to the address
    .back_to("date_of_birth")                      # its answer and provenance are offered again
    .answer("date_of_birth", "", "")               # Enter keeps both
    .answer("address", "12 Fenwick Row")           # answered this time
    .command("skip")                               # homeless: not checked
)
BACK_AND_SKIP = ["back", "skip", *AFTER_BACK_AND_SKIP.lines]  # refused at the first question: back, and skip (needed)


def test_back_and_skip(tmp_path: Path) -> None:
    shown = same_as_the_app(tmp_path, BACK_AND_SKIP)
    assert "Error: This is the first question; there is nothing before it" in shown
    assert "Error: An answer is required, so this question cannot be skipped." in shown
    assert "Earlier answer: 23 April 1985. Enter keeps it." in shown
    assert "How do you know? Found, PND, checked today, fact, shared." in shown  # kept on the way back
    person = stored(tmp_path / "plain").perpetrators[0].answers
    assert person["date_of_birth"].source == "PND"
    assert person["address"].value == "12 Fenwick Row" and person["address"].status is Status.found
    assert person["homeless"].status is Status.not_checked and person["homeless"].source is None
    assert stored(tmp_path / "plain").position.item == AFTER_BACK_AND_SKIP.iv.state  # where the engine says


AFTER_REST = (
    case()
    .answer("full_name", "Corvin Ashdale")
    .answer("date_of_birth", "23/04/1985")
    .command("rest not checked")                   # the rest of Personal details
    .answer("serial_perpetrator", "y")
    .command("rest not checked")                   # at the follow-up: the rest of the section
    .answer("child_protection", "n", "rest not checked")  # from the provenance line: the last of its section
    .command("rest not checked all")               # the rest of this person's research, up to the actions
)
REST = ["rest not checked", *AFTER_REST.lines]  # at a case item, not research: refused


def test_rest_not_checked(tmp_path: Path) -> None:
    shown = same_as_the_app(tmp_path, REST)
    assert "Error: Rest not checked is for research" in shown
    assert re.search(r"Recorded \d+ questions as not checked: the rest of Personal details\.", shown)
    assert "Recorded 1 question as not checked: the rest of Serial perpetrator." in shown
    assert "Accepted. That was the last question in Child protection." in shown
    assert "as not checked: the rest of the research on Corvin Ashdale." in shown
    submission = stored(tmp_path / "plain")
    person = submission.perpetrators[0].answers
    assert [person[i].status for i in ("address", "homeless", "aliases")] == [Status.not_checked] * 3
    assert person["serial_perpetrator"].status is Status.found  # answered before: kept
    assert person["weapons"].status is Status.not_checked and person["weapons"].checked_on is None
    assert submission.position.item == "actions"


FIRST = case().answer("full_name", "Corvin Ashdale").answer("date_of_birth", "23/04/1985", "opinion")
FIRST_PART = list(FIRST.lines)
AT = FIRST.iv.state  # where it stops: the question after the date of birth
SECOND = FIRST.back_to("date_of_birth").answer("date_of_birth", "", "").answer("address", "14 Fenwick Row").answer("homeless", "n")
SECOND_PART = SECOND.lines[len(FIRST_PART) :]


def test_resume_by_id(tmp_path: Path) -> None:
    plain_dir, app_dir = tmp_path / "plain", tmp_path / "app"
    first, status = run_pty(plain_dir, ["--flow", "police"], [*FIRST_PART, "quit"], end="exit")
    assert status == 0
    sid = str(stored(plain_dir).id)
    assert f"To carry on later, type: marac-tui --data-dir {plain_dir} plain {sid[:8]}" in first
    in_the_app(app_dir, FIRST_PART)
    app_sid = str(stored(app_dir).id)

    shown, status = run_pty(plain_dir, [sid[:8]], SECOND_PART)
    assert status == 0
    assert_no_escapes(shown)
    assert f"Resuming draft {sid[:8]}, case MC-2026-0917." in shown
    prompt = FIRST.iv.flow.item(AT).prompt
    after = shown.split("Resuming", 1)[1]
    assert after.index(prompt) < after.index("Earlier answer")  # where it stopped is asked first
    assert "Earlier answer: 23 April 1985. Enter keeps it." in shown
    assert "How do you know? Found, PNC, checked today, professional opinion, shared." in shown
    in_the_app(app_dir, SECOND_PART, resume=app_sid)
    assert comparable(stored(plain_dir)) == comparable(stored(app_dir))
    pipe_dir = tmp_path / "pipe"  # and the same through a pipe
    run_piped(pipe_dir, ["--flow", "police"], [*FIRST_PART, "quit"])
    piped = run_piped(pipe_dir, [str(stored(pipe_dir).id)], SECOND_PART)
    assert piped.returncode == 0 and "Resuming draft" in piped.stdout
    assert_no_escapes(piped.stdout)
    assert comparable(stored(pipe_dir)) == comparable(stored(plain_dir))
    assert audit_changes(plain_dir) == audit_changes(app_dir)
    assert stored(plain_dir).position.item == SECOND.iv.state


def test_a_submission_open_elsewhere_is_refused_naming_who_holds_it(tmp_path: Path) -> None:
    data_dir = tmp_path / "store"
    run_piped(data_dir, ["--flow", "police"], [*case().lines[:3], "quit"])
    sid = str(stored(data_dir).id)
    store = Store(data_dir)
    lock = store.acquire(sid)  # another window (this test) has it open
    try:
        result = run_piped(data_dir, [sid[:8]], ["MC-1"])
        assert result.returncode == 2
        assert result.stdout == ""
        [line] = result.stderr.splitlines()
        assert line.startswith(f"marac-tui: error: submission {sid[:8]} is open elsewhere, by ")
        assert "process " in line and line.endswith(": close it there first")
    finally:
        lock.release()
    assert stored(data_dir).header.representative == "DC Ottilie Brambleworth"  # untouched


def test_ctrl_c_and_end_of_input_leave_a_consistent_draft(tmp_path: Path) -> None:
    data_dir = tmp_path / "store"
    child = spawn(data_dir, ["--flow", "police"])
    type_lines(child, case().answer("full_name", "Corvin Ashdale").to("date_of_birth").lines + ["23/04/1985"])
    child.expect_exact("How do you know?")
    child.sendintr()  # Ctrl+C at the provenance line
    shown, status = finish(child)
    assert status == 130
    assert_no_escapes(shown)
    assert "Stopped (Ctrl+C). Saved: draft" in shown
    submission = stored(data_dir)
    assert submission.perpetrators[0].answers["date_of_birth"].status is Status.found  # answered, defaults kept
    assert submission.position.item == case().answer("full_name", "C").answer("date_of_birth", "").iv.state
    assert Store(data_dir).holder(str(submission.id)) is None  # the lock is let go

    # the next session picks it up; input ends (Ctrl+D) in the middle of a list: its entries are kept
    start = case().answer("full_name", "C").answer("date_of_birth", "")
    done = len(start.lines)
    skips = start.to("aliases").lines[done:]  # the questions between the date of birth and the aliases
    shown, status = run_pty(data_dir, [str(submission.id)[:6]], [*skips, "y", "Cal Ashdale", "1", ""])
    assert status == 0
    assert "Kept the 1 entry given so far; the list is asked again next time.\r\nEnd of input. Saved" in shown
    resumed = stored(data_dir)
    assert resumed.perpetrators[0].answers["aliases"].value == [{"name": "Cal Ashdale", "type": "nickname"}]
    assert resumed.position.item == "aliases"


def test_the_terminal_closing_keeps_the_draft_and_lets_go_of_it(tmp_path: Path) -> None:
    data_dir = tmp_path / "store"
    child = spawn(data_dir, ["--flow", "police"])
    type_lines(child, case().lines[:3])
    child.expect_exact("Enter keeps: Police.")
    child.kill(signal.SIGHUP)  # as when the terminal window is closed
    shown, status = finish(child)
    assert status == 130 and "Stopped (SIGHUP). Saved: draft" in shown
    submission = stored(data_dir)
    assert submission.header.representative == "DC Ottilie Brambleworth" and submission.position.item == "agency"
    assert Store(data_dir).holder(str(submission.id)) is None
