"""Plain mode, answer by answer: a list (repeat), a withheld answer with its reason, a bad date
answered again — each compared with the app — and the provenance line, command words, hostile text,
training runs and the flow chooser."""

from __future__ import annotations

import re
from datetime import date, timedelta
from pathlib import Path

import pytest

from marac_tui.engine.provenance import AnswerMeta
from marac_tui.plain.commands import Command, read_line
from marac_tui.plain.lines import safe
from marac_tui.plain.provenance_line import ProvenanceError, apply_changes
from marac_tui.submission import Basis, Status
from tests.plain_support import Script, assert_no_escapes, case, run_piped, same_as_the_app, stored

def person() -> Script:
    return case().answer("full_name", "Corvin Ashdale")


A_LIST = (
    person()
    .to("aliases")
    .type("y", "")                        # Add an alias? The alias is needed: refused, asked again
    .type("Cal Ashdale", "1", "PNC")
    .type("y", "C. Ashdale", "9")         # 9 is not an option: refused, asked again
    .type("2", "")
    .type("n", "")                        # the list is complete; provenance accepted
    .lines
)


def test_a_list_asks_add_then_each_field(tmp_path: Path) -> None:
    shown = same_as_the_app(tmp_path, A_LIST)
    assert "Add an alias? (y/n)\r\n" in shown
    assert "Add another alias? (y/n)\r\n" in shown
    assert "Alias (needed):\r\n" in shown and "Type of alias:\r\n1. Nickname\r\n" in shown
    assert "Error: An answer is required." in shown
    assert "Error: '9' is not one of the options" in shown
    aliases = stored(tmp_path / "plain").perpetrators[0].answers["aliases"]
    assert aliases.value == [
        {"name": "Cal Ashdale", "type": "nickname", "source": "PNC"},
        {"name": "C. Ashdale", "type": "previous_surname"},
    ]
    assert aliases.status is Status.found


WITHHELD = (
    person()
    .answer("homeless", "u", "found")                       # not known, then found after all
    .answer("serial_perpetrator", "y")
    .answer("serial_details", "Two earlier partners in another force area",
            "withhold")                                     # no reason: refused
    .type("opinion, withhold: third-party information, not yet graded")
    .lines
)


def test_a_withheld_answer_needs_its_reason(tmp_path: Path) -> None:
    shown = same_as_the_app(tmp_path, WITHHELD)
    assert "Error: Withholding needs a reason: type withhold: and the reason" in shown
    assert "Recorded: Found, PNC, checked today, professional opinion, withheld: third-party information, not yet graded." in shown
    person = stored(tmp_path / "plain").perpetrators[0].answers
    assert (person["homeless"].status, person["homeless"].source) == (Status.found, "PNC")  # the source proposed
    answer = person["serial_details"]
    assert (answer.share, answer.withhold_reason, answer.basis) == (False, "third-party information, not yet graded", Basis.opinion)


BAD_DATES = (
    Script()
    .answer("case_ref", "MC-2026-0917")
    .type("31/11/2026", "next week")     # no such day; not a date: refused
    .answer("marac_date", "10 Dec 2026")  # the app's forms are accepted
    .answer("representative", "DC Ottilie Brambleworth")
    .answer("agency", "")
    .answer("more_than_one", "n")
    .answer("full_name", "Corvin Ashdale")
    .to("date_of_birth")
    .type("1985-02-29")                  # not a leap year: refused
    .answer("date_of_birth", "today", "checked tomorrow")  # not a date: refused
    .type("checked 01/01/2099")          # in the future: refused
    .type("nothing held, checked 28/11/2026")
    .lines
)


def test_a_bad_date_is_answered_again(tmp_path: Path) -> None:
    shown = same_as_the_app(tmp_path, BAD_DATES)
    errors = [line for line in shown.splitlines() if line.startswith("Error:")]
    # why, in words (from the engine where it says, else from plain mode), then what to type
    assert re.fullmatch(r"Error: .*\b31 November 2026\b.*\. Type a date, or today\.", errors[0])
    assert errors[1] == "Error: 'next week' is not a date I can read. Type a date, or today."
    assert re.fullmatch(r"Error: .*\b29 February 1985\b.*\. Type a date, or today\.", errors[2])
    assert errors[3] == "Error: 'tomorrow' is not a date: type checked and a date such as 28/11/2026, 2026-11-28 or today"
    assert errors[4] == "Error: 01/01/2099 is in the future: type the date you checked, e.g. checked today"
    submission = stored(tmp_path / "plain")
    assert submission.header.marac_date == date(2026, 12, 10)
    born = submission.perpetrators[0].answers["date_of_birth"]
    assert born.value == date.today().isoformat()
    assert (born.status, born.checked_on) == (Status.nothing_held, date(2026, 11, 28))


# --- the provenance line and the command words --------------------------------------------------

FOUND = AnswerMeta(status=Status.found, source="PNC", checked_on=date(2026, 11, 30), basis=Basis.fact)
SOURCES = ["PNC", "PND", "Force system"]


@pytest.mark.parametrize(
    ("line", "changes"),
    [
        ("opinion", {"basis": Basis.opinion}),
        ("professional opinion", {"basis": Basis.opinion}),
        ("nothing held", {"status": Status.nothing_held}),
        ("Not Checked", {"status": Status.not_checked}),
        ("n/a", {"status": Status.not_applicable}),
        ("source oasys", {"source": "oasys"}),
        ("source pnd", {"source": "PND"}),
        ("force system", {"source": "Force system"}),
        ("checked 28/11/2026", {"checked_on": date(2026, 11, 28)}),
        ("27 Nov 2026", {"checked_on": date(2026, 11, 27)}),
        ("withhold: third-party, not graded; yet", {"share": False, "withhold_reason": "third-party, not graded; yet"}),
        ("withhold not relevant", {"share": False, "withhold_reason": "not relevant"}),
        ("opinion; PND, withhold: x", {"basis": Basis.opinion, "source": "PND", "share": False, "withhold_reason": "x"}),
        ("no source", {"source": None}),
    ],
)
def test_provenance_changes(line: str, changes: dict) -> None:
    expected = {**FOUND.__dict__, **changes}
    assert apply_changes(FOUND, line, SOURCES, today=date(2026, 12, 1)).__dict__ == expected


@pytest.mark.parametrize(
    ("line", "says"),
    [
        ("withhold", "withholding needs a reason"),
        ("withhold:  ", "withholding needs a reason"),
        ("source", "say which source"),
        ("checked", "say when you checked"),
        ("checked 02/12/2026", "is in the future"),
        ("fact, maybe", "'maybe' is not a change I know: type found, nothing held"),
    ],
)
def test_provenance_changes_refused(line: str, says: str) -> None:
    with pytest.raises(ProvenanceError, match=says):
        apply_changes(FOUND, line, SOURCES, today=date(2026, 12, 1))


def test_share_after_withhold_drops_the_reason() -> None:
    withheld = apply_changes(FOUND, "withhold: x", SOURCES)
    assert apply_changes(withheld, "share", SOURCES).__dict__ == FOUND.__dict__


@pytest.mark.parametrize(
    ("line", "command", "text"),
    [
        ("back", Command.back, ""),
        ("  BACK ", Command.back, ""),
        ("rest  not checked", Command.rest, ""),
        ("why", Command.why, ""),
        ("quit", Command.quit, ""),
        ("\\back", None, "back"),
        ("back garden", None, "back garden"),
    ],
)
def test_command_words(line: str, command: Command | None, text: str) -> None:
    typed = read_line(line)
    assert (typed.command, typed.text) == (command, text)


def test_rest_not_checked_all_is_the_whole_person() -> None:
    assert read_line("rest not checked all").whole_person is True
    assert read_line("rest not checked").whole_person is False


# --- text is data ----------------------------------------------------------------------------


def test_safe_shows_control_characters_and_bidi_overrides_as_escapes() -> None:
    assert safe("a\x1b[31mb\x07\x9b\u202ec\r\nd\tt") == "a\\x1b[31mb\\x07\\x9b\\u202ec\nd\\x09t"
    assert safe("Zoë [red]x[/] שלום") == "Zoë [red]x[/] שלום"  # printable text, RTL included, as it is


def test_hostile_text_is_stored_as_typed_and_printed_as_data(tmp_path: Path) -> None:
    hostile = "Corvin \x1b[2J\x1b[31mAshdale\x1b]0;pwned\x07 [red]x[/] \u202eesrever\x00"
    huge = "A" * 1_000_000
    script = case().answer("full_name", hostile).answer("date_of_birth", "").answer("address", huge).lines
    result = run_piped(tmp_path / "store", ["--flow", "police"], [*script, "why", "quit"])
    assert result.returncode == 0, result.stderr
    assert_no_escapes(result.stdout)
    assert "Corvin \\x1b[2J\\x1b[31mAshdale\\x1b]0;pwned\\x07 [red]x[/] \\u202eesrever\\x00" in result.stdout
    assert "(999,600 more characters)" in result.stdout  # a pasted megabyte is echoed cut, and kept whole
    person = stored(tmp_path / "store").perpetrators[0].answers
    assert person["full_name"].value == hostile.strip()
    assert person["address"].value == huge


# --- starting ------------------------------------------------------------------------------------


def test_a_training_run_starts_with_the_fictional_brief(tmp_path: Path) -> None:
    result = run_piped(tmp_path / "store", ["--training", "linnet-close"], ["quit"])
    assert result.returncode == 0, result.stderr
    assert_no_escapes(result.stdout)
    assert "FICTIONAL" in result.stdout and "Scenario: " in result.stdout
    assert "Question 1 of about" in result.stdout
    assert stored(tmp_path / "store").training == "linnet-close"


def test_with_no_flow_it_asks_which(tmp_path: Path) -> None:
    result = run_piped(tmp_path / "store", [], ["7", "2", "quit"])
    assert result.returncode == 0, result.stderr
    assert "Which flow?" in result.stdout and "1. Police researcher" in result.stdout
    assert "Error: type a number from 1 to 6, or quit." in result.stdout
    assert "marac-tui plain mode: Probation officer. New submission" in result.stdout
    assert "Nothing was answered, so nothing was saved." in result.stdout


def test_bad_arguments_are_one_line_and_exit_2(tmp_path: Path) -> None:
    result = run_piped(tmp_path / "store", ["--flow", "nosuch"], [])
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr.splitlines() == [
        "marac-tui: error: unknown flow 'nosuch'; available: childrens_social_care, housing, mental_health, police, "
        "probation, substance_misuse"
    ]
    result = run_piped(tmp_path / "store", ["abcd"], [])
    assert result.returncode == 2 and result.stderr.startswith("marac-tui: error: no submission with id 'abcd'")


def test_yesterday_is_a_date_checked(tmp_path: Path) -> None:
    yesterday = date.today() - timedelta(days=1)
    changed = apply_changes(FOUND, f"checked {yesterday:%d/%m/%Y}", SOURCES)
    assert changed.checked_on == yesterday
