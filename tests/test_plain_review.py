"""Plain mode's review: answers and gaps as lines, an answer changed by its number, export and
finalise with confirmation, a finalised submission read only; and the commands that say where
you are, why a question matters, the Chair's summary and help."""

from __future__ import annotations

import os
import re
import stat
from pathlib import Path

from marac_tui.store import Store
from marac_tui.submission import SubmissionState
from tests.plain_support import assert_no_escapes, case, run_piped, run_pty, same_as_the_app, stored

QUICK = case().answer("full_name", "Corvin Ashdale").answer("date_of_birth", "23/04/1985").command("rest not checked all")
QUICK_CASE = QUICK.actions("none").lines  # no action taken, none of one's own


def test_review_then_finalise_with_confirmation_as_in_the_app(tmp_path: Path) -> None:
    shown = same_as_the_app(tmp_path, [*QUICK_CASE, "review", "finalise", "n", "finalise", "y", "quit"], end="exit")
    review = shown.split("That is every question.", 1)[1]
    assert "Review of MC-2026-0917. Draft. Gaps: " in review
    assert "Date of birth?\r\n  23 April 1985\r\n  Found · PNC · checked " in review  # dates said in full
    assert "Current address, and when was it last confirmed?\r\n  Not checked: a gap." in review
    assert "gaps remain. Finalising locks the submission against changes" in review
    assert "Not finalised: it is still a draft." in review
    assert "Finalised: the submission is locked against changes." in review
    assert stored(tmp_path / "plain").state is SubmissionState.finalised


def test_an_answer_is_changed_from_the_review_by_its_number(tmp_path: Path) -> None:
    data_dir = tmp_path / "store"
    first = run_piped(data_dir, ["--flow", "police"], [*QUICK_CASE, "review", "quit"]).stdout
    number = re.search(r"\n(\d+)\. Date of birth\?\n", first).group(1)
    address = re.search(r"\n(\d+)\. Current address", first).group(1)
    result = run_piped(data_dir, [str(stored(data_dir).id)], ["review", "gaps", number, "24/04/1985", "", "quit"])
    assert result.returncode == 0, result.stderr
    assert_no_escapes(result.stdout)
    gaps = result.stdout.split("> gaps", 1)[1].split("End of the review.", 1)[0]
    assert f"{number}. Date of birth?" not in gaps and f"{address}. Current address" in gaps  # only gaps, same numbers
    assert "Date of birth?" in result.stdout.split(f"> {number}", 1)[1]  # asked again
    assert stored(data_dir).perpetrators[0].answers["date_of_birth"].value == "1985-04-24"


def test_export_from_the_review_asks_then_writes_a_private_file(tmp_path: Path) -> None:
    data_dir, out = tmp_path / "store", tmp_path / "out.md"
    start = case().answer("full_name", "Corvin Ashdale").answer("date_of_birth", "23/04/1985", "withhold: third-party information")
    script = [*start.command("rest not checked all").actions("none").lines,
              "review", "export", "2", "2", str(out), "n",           # said no: nothing written
              "export", "2", "2", str(out), "y",                     # written
              "export", "2", "2", str(out), "y", "quit"]  # fmt: skip
    result = run_piped(data_dir, ["--flow", "police"], script)
    assert result.returncode == 0, result.stderr
    assert_no_escapes(result.stdout)
    assert "Which format?\n1. Word research form\n2. Markdown\n" in result.stdout
    assert f"Write the internal copy as Markdown to {out}? (y/n)" in result.stdout
    assert "Not exported." in result.stdout and f"Written: {out}" in result.stdout
    [refused] = [line for line in result.stdout.splitlines() if line.startswith("Error:")]
    assert refused.startswith(f"Error: Not written: {out}") and "exists" in refused
    assert stat.S_IMODE(os.stat(out).st_mode) == 0o600
    assert "third-party information" in out.read_text(encoding="utf-8")  # internal: the reason is kept


def test_a_finalised_submission_opens_read_only(tmp_path: Path) -> None:
    data_dir = tmp_path / "store"
    run_piped(data_dir, ["--flow", "police"], [*QUICK_CASE, "review", "finalise", "y", "quit"])
    submission = stored(data_dir)
    before = Store(data_dir).history(str(submission.id))
    shown, status = run_pty(data_dir, [str(submission.id)[:8]], ["back", "summary", "quit"], end="exit")
    assert status == 0
    assert_no_escapes(shown)
    assert "Read only: this submission is finalised; reopen it (marac-tui reopen) to change it." in shown
    assert "Error: This submission is finalised and read only: type export, summary or quit" in shown
    assert "CHAIR'S SUMMARY" in shown and "Closed " in shown and "nothing was changed" in shown
    assert Store(data_dir).history(str(submission.id)) == before


def test_where_why_summary_and_help(tmp_path: Path) -> None:
    start = case().answer("full_name", "Corvin Ashdale").lines
    result = run_piped(tmp_path / "store", ["--flow", "police"], [*start, "where", "why", "summary", "help", "\\help", "quit"])
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert re.search(r"Question \d+ of about \d+, in Personal details, for Corvin Ashdale\.\nDone: \d+ answers, none marked not checked\.", out)
    why = out.split("> why\n", 1)[1].splitlines()[0]
    assert why.startswith("Why this matters: ") and len(why) > 60  # the section's guidance, as plain text
    assert "CHAIR'S SUMMARY · OFFICIAL-SENSITIVE\nCase MC-2026-0917 · MARAC 10 December 2026" in out
    assert "rest not checked: record the rest of this section as not checked, and move on." in out
    again = re.findall(r"Question \d+ again: ", out)
    assert len(again) == 4  # after each, the question again
    answered = out.split("> \\help\n", 1)[1].splitlines()[0]  # a backslash: the word is an answer, not help
    assert answered.startswith("Error: ") and "'help'" in answered
