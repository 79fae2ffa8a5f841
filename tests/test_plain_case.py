"""Plain mode, a whole case with one alleged perpetrator: through a terminal and through a pipe, the
output is plain lines only, and the store holds exactly what the app stores for the same answers."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from marac_tui.submission import Basis, Status
from marac_tui.engine.asked import values
from marac_tui.engine.chair import suggestions
from marac_tui.flow.loader import load_named
from tests.plain_support import assert_no_escapes, audit_changes, case, comparable, in_the_app, run_piped, run_pty, stored


def police_flow():  # noqa: ANN201 - the shipped police Flow
    return load_named("police")

# Every question of the police flow for one person, as typed in plain mode: the answers named here,
# and "skip" for every other question (so the case reaches its end however the flow grows).
WHOLE_CASE = (
    case()
    .answer("full_name", "Corvin Ashdale")
    .answer("date_of_birth", "23/04/1985")                      # provenance accepted with Enter
    .answer("address", "14 Fenwick Row, Eastmere", "source Force system")
    .answer("homeless", "n")
    .entries("aliases", ["Cal Ashdale", "1", "PNC"])
    .answer("serial_perpetrator", "y")
    .answer("serial_details", "Two earlier partners in Westmere", "opinion")
    .answer("child_protection", "n", "nothing held")
    .entries("relationships", ["Wren Haddow", "1", "2019 to now", "None", "", "1"])
    .answer("previous_convictions", "y")
    .answer("warning_markers", "Violent, domestic abuse")
    .answer("intelligence", "Neighbour reports shouting most nights", "withhold: third-party information, not yet graded")
    .answer("arson", "n")
    .answer("threats_to_kill", "y")
    .answer("threats_to_kill_details", "Threatened the victim by text, 2026")
    .answer("sexual_violence", "n")
    .answer("coercive_control", "u")
    .answer("court_orders", "y")
    .answer("court_order_types", "1, 4")
    .answer("court_order_details", "Non-molestation order protecting Wren Haddow until 2027")
    .answer("employment", "Warehouse operative")
    .answer("weapons", "n")
    .entries("vehicles")                                       # none held
    .answer("substance_misuse", "y")
    .answer("substance_types", "1")
    .answer("substance_details", "Drinks heavily at weekends")
    .answer("other_information", "")
    .actions("1")                                               # take the first suggested action
    .to_the_end()
    .lines
)


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
    options = [o.value for o in police_flow().item("court_order_types").options or ()]
    assert person["court_order_types"].value == [options[0], options[3]]
    first = suggestions(police_flow(), submission.perpetrators[0].risks, values(submission, 0))[0]
    [taken] = person["actions"].value
    assert (taken["suggestion"], taken["text"]) == (first.id, first.action.text)
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
