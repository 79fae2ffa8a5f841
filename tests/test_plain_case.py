"""Plain mode, a whole case with one alleged perpetrator: through a terminal and through a pipe, the
output is plain lines only, and the store holds exactly what the app stores for the same answers."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from marac_tui.submission import Basis, Status
from tests.plain_support import CASE, assert_no_escapes, audit_changes, comparable, in_the_app, run_piped, run_pty, stored

# Every question of the police flow for one person, as typed in plain mode ("" is Enter).
WHOLE_CASE = [
    *CASE,
    "Corvin Ashdale",
    "23/04/1985", "",                                   # date of birth; provenance accepted
    "14 Fenwick Row, Eastmere", "source Force system",
    "n", "",                                            # homeless: nothing held
    "y", "Cal Ashdale", "1", "PNC", "n", "",            # one alias
    "y", "", "Two earlier partners in Westmere", "opinion",
    "n", "",                                            # child protection
    "y", "Wren Haddow", "1", "2019 to now", "None", "", "1", "n", "",  # one relationship
    "y", "", "Assault occasioning ABH, 2021", "",
    "Violent, domestic abuse", "",
    "Neighbour reports shouting most nights", "withhold: third-party information, not yet graded",
    "n", "", "y", "", "Threatened the victim by text, 2026", "",
    "n", "", "u", "", "n", "", "n", "", "n", "",
    "y", "", "1, 4", "", "Non-molestation order protecting Wren Haddow until 2027", "",
    "n", "",
    "Warehouse operative", "",
    "n", "", "n", "", "n", "",                          # physical ability, weapons, specialist skills
    "n", "", "n", "", "n", "",                          # vehicles, premises, IT systems
    "y", "", "1", "", "Drinks heavily at weekends", "",
    "n", "", "n", "", "n", "", "n", "",
    "n", "", "n", "", "n", "", "n", "",
    "", "",                                             # anything else: nothing
    "1", "n",                                           # take the first suggested action
]  # fmt: skip


def check_whole_case(data_dir: Path) -> None:
    submission = stored(data_dir)
    person = submission.perpetrators[0].answers
    assert submission.header.case_ref == "MC-2026-0917"
    assert person["date_of_birth"].value == "1985-04-23"
    assert person["address"].source == "Force system"
    assert person["serial_details"].basis is Basis.opinion
    assert person["child_protection"].status is Status.nothing_held
    assert person["coercive_control"].status is Status.not_checked and person["coercive_control"].source is None
    withheld = person["intelligence"]
    assert (withheld.share, withheld.withhold_reason) == (False, "third-party information, not yet graded")
    assert person["aliases"].value == [{"name": "Cal Ashdale", "type": "nickname", "source": "PNC"}]
    assert person["court_order_types"].value == ["non_molestation", "dvpo"]
    assert [a["suggestion"] for a in person["actions"].value] == ["arrest_charge"]
    assert person["threats_to_kill"].checked_on == date.today()
    assert submission.position is None  # every question asked


def test_whole_case_through_a_terminal_matches_the_app(tmp_path: Path) -> None:
    plain_dir, app_dir = tmp_path / "plain", tmp_path / "app"
    shown, status = run_pty(plain_dir, ["--flow", "police"], WHOLE_CASE)
    assert status == 0
    assert_no_escapes(shown)
    assert "Question 1 of about" in shown and "That is every question." in shown
    assert "1. Nickname\r\n2. Previous surname\r\n" in shown  # options numbered, one a line
    check_whole_case(plain_dir)
    in_the_app(app_dir, WHOLE_CASE)
    assert comparable(stored(plain_dir)) == comparable(stored(app_dir))
    assert audit_changes(plain_dir) == audit_changes(app_dir)


def test_whole_case_through_a_pipe_matches_the_terminal(tmp_path: Path) -> None:
    pty_dir, pipe_dir = tmp_path / "pty", tmp_path / "pipe"
    result = run_piped(pipe_dir, ["--flow", "police"], WHOLE_CASE)
    assert result.returncode == 0, result.stderr
    assert_no_escapes(result.stdout)
    assert "> MC-2026-0917\n" in result.stdout  # a piped line is echoed after its prompt
    assert result.stdout.rstrip().endswith("plain " + str(stored(pipe_dir).id)[:8])
    check_whole_case(pipe_dir)
    run_pty(pty_dir, ["--flow", "police"], WHOLE_CASE)
    assert comparable(stored(pipe_dir)) == comparable(stored(pty_dir))
