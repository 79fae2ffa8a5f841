"""The review screen: answers by section with provenance and gaps, edit in place, finalise, export,
the Chair's summary, and hostile user text."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from textual.widgets import OptionList, Select, Static

from marac_tui.export.content import one_line
from marac_tui.store import Store
from marac_tui.submission import SubmissionState
from marac_tui.tui.screens.export_dialog import ExportDialog
from marac_tui.tui.screens.review import ConfirmFinalise, ReviewScreen
from marac_tui.tui.screens.review_rows import VALUE_CHARS, review_rows
from marac_tui.tui.screens.summary import SummaryScreen
from tests.tui_harness import (
    HostApp,
    StandInInterviewScreen,
    example_answers,
    interview_for,
    resume_at,
    run_async,
    until,
)

SIZE = (110, 40)


def listing_text(app: HostApp) -> str:
    listing = app.screen.query_one("#review-list", OptionList)
    return "\n".join(listing.get_option_at_index(i).prompt.plain for i in range(listing.option_count))


def status_text(app: HostApp) -> str:
    return app.screen.query_one("#review-status", Static).content.plain


def highlight_row(app: HostApp, needle: str, occurrence: int = 0) -> None:
    listing = app.screen.query_one("#review-list", OptionList)
    found = [i for i in range(listing.option_count) if needle in listing.get_option_at_index(i).prompt.plain]
    if len(found) <= occurrence:
        raise AssertionError(f"no row {occurrence + 1} with {needle!r}")
    listing.highlighted = found[occurrence]


@pytest.fixture
def store(data_dir: Path) -> Store:
    return Store(data_dir)


@run_async
async def test_review_lists_answers_by_section_with_provenance(store: Store) -> None:
    app = HostApp(interview_for(store), store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen)
        text = listing_text(app)
        # case first, then the perpetrator with their sections in flow order
        assert text.index("Case details") < text.index("Alleged perpetrator 1: Darren Quillfeather")
        assert text.index("Personal details") < text.index("Risks for the Chair")
        assert "14 Larchwood Rise, Eastbury (confirmed on force system)" in text
        assert "Found · Force system · checked 20 Nov 2026" in text
        assert "Withheld from the meeting: Third-party information from another force" in text
        assert "Daz Quill, Nickname, PND" in text  # repeats spelt out, not "2 entries"
        # the risk flag with the answer that raised it, and the action that addresses it
        assert "! Serial perpetrator" in text
        assert "Is there evidence that this person has abused other partners or family members?: Yes" in text
        action = "Manage: Address as a serial perpetrator under local procedures — Police"
        assert f"{action} (addresses: Serial perpetrator)" in text
        assert "Draft" in status_text(app)


@run_async
async def test_gaps_are_highlighted_and_counted(store: Store) -> None:
    answers = example_answers()
    perpetrator = answers["perpetrators"][0]
    perpetrator.pop("actions")  # the three risks are left with no action
    perpetrator["date_of_birth"] = "1988-04-17"  # found, with no source or date given
    perpetrator.pop("warning_markers")  # not answered in the file: not checked
    app = HostApp(interview_for(store, answers), store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        text = listing_text(app)
        status = status_text(app)
        assert "⚠ No action addresses this risk" in text
        assert "3 risks with no action" in status
        assert "⚠ Not checked" in text and "not checked" in status
        assert "⚠ No source" in text  # date of birth: found, but no source given
        # the practice check: advice grouped by rule, each finding leading to its item
        assert "Practice check" in text
        assert "Risk with no action addressing it (3)" in text
        assert "• Darren Quillfeather: risk “Serial perpetrator” has no action addressing it" in text
        # n moves to the next row with a gap, in order
        listing = app.screen.query_one("#review-list", OptionList)
        await pilot.press("n")
        first = listing.highlighted
        assert "⚠" in listing.get_option_at_index(first).prompt.plain
        await pilot.press("n")
        assert listing.highlighted > first


@run_async
async def test_selecting_an_answer_jumps_the_interview_there(store: Store) -> None:
    interview = interview_for(store)
    assert interview.done
    app = HostApp(interview, store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        highlight_row(app, "Date of birth?")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, StandInInterviewScreen)
        assert app.screen.jumps == [("date_of_birth", 0)]
        assert interview.state == "date_of_birth" and interview.perpetrator == 0
        assert "Interview at date_of_birth" in app.screen.query_one("#where", Static).content.plain


@run_async
async def test_a_case_item_is_edited_with_no_perpetrator(store: Store) -> None:
    interview = interview_for(store)
    app = HostApp(interview, store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        highlight_row(app, "When is the MARAC meeting?")
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, StandInInterviewScreen))
        assert app.screen.jumps == [("marac_date", None)] and interview.state == "marac_date"


@run_async
async def test_escape_returns_without_moving(store: Store) -> None:
    interview = interview_for(store)
    app = HostApp(interview, store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("escape")
        assert isinstance(app.screen, StandInInterviewScreen)
        assert app.screen.jumps == [] and interview.done


@run_async
async def test_finalise_asks_first_then_locks(store: Store) -> None:
    interview = interview_for(store)
    sid = str(interview.submission.id)
    app = HostApp(interview, store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f")
        assert isinstance(app.screen, ConfirmFinalise)
        assert "gaps remain" in " ".join(s.content.plain for s in app.screen.query(Static))
        await pilot.press("enter")  # Enter alone cancels: the focus starts on Cancel
        assert isinstance(app.screen, ReviewScreen)
        await pilot.press("f")
        await pilot.press("escape")  # changed my mind
        assert isinstance(app.screen, ReviewScreen)
        assert store.load(sid).state is SubmissionState.draft

        await pilot.press("f")
        await pilot.press("y")
        await until(pilot, lambda: status_text(app).startswith("FINALISED"))
        assert store.load(sid).state is SubmissionState.finalised
        assert interview.submission.state is SubmissionState.finalised
        assert status_text(app).startswith("FINALISED")
        # read only now: selecting an answer does not leave the review
        highlight_row(app, "Date of birth?")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen)


@run_async
async def test_export_writes_the_chosen_format_and_audience(store: Store, tmp_path: Path) -> None:
    app = HostApp(interview_for(store), store)
    meeting = tmp_path / "meeting.md"
    internal = tmp_path / "internal.md"
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("x")
        dialog = app.screen
        assert isinstance(dialog, ExportDialog)
        dialog.query_one("#export-format", Select).value = "md"
        await pilot.pause()
        path_input = dialog.query_one("#export-path")
        assert path_input.value.endswith("-meeting.md")  # the suggestion follows the choices
        path_input.value = str(meeting)
        result = dialog.query_one("#export-result", Static)
        await pilot.click("#export-go")
        await until(pilot, lambda: result.content.plain.startswith(("Written", "Not written")))
        assert result.content.plain == f"Written: {meeting}"

        dialog.query_one("#export-audience", Select).value = "internal"
        path_input.value = str(internal)
        path_input.focus()
        await pilot.press("enter")  # the keyboard way: enter in the path field exports too
        await until(pilot, lambda: result.content.plain == f"Written: {internal}")

        # the same path again: refused, in one line, and the file is untouched
        before = meeting.read_bytes()
        path_input.value = str(meeting)
        await pilot.press("enter")
        await until(pilot, lambda: not result.content.plain.startswith(("Written", "Writing")))
        assert result.content.plain.startswith("Not written:") and "\n" not in result.content.plain
        assert result.has_class("error")
        assert meeting.read_bytes() == before

        await pilot.press("escape")
        assert isinstance(app.screen, ReviewScreen)
    assert stat.S_IMODE(os.stat(meeting).st_mode) == 0o600
    assert "MC-2026-0142" in meeting.read_text()
    withheld = "Two previous partners recorded as victims"
    assert withheld not in meeting.read_text()
    assert withheld in internal.read_text()


@run_async
async def test_export_to_a_missing_folder_says_so(store: Store, tmp_path: Path) -> None:
    app = HostApp(interview_for(store), store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("x")
        app.screen.query_one("#export-path").value = str(tmp_path / "no-such-folder" / "x.docx")
        result = app.screen.query_one("#export-result", Static)
        await pilot.click("#export-go")
        await until(pilot, lambda: result.content.plain.startswith("Not written"))
        message = result.content.plain
        assert message.startswith("Not written:") and "no-such-folder" in message


@run_async
async def test_chairs_summary_screen(store: Store) -> None:
    app = HostApp(interview_for(store), store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("c")
        assert isinstance(app.screen, SummaryScreen)
        text = app.screen.query_one("#summary-text", Static).content.plain
        assert "1. DARREN QUILLFEATHER" in text
        assert "! Serial perpetrator" in text
        assert "Manage: Address as a serial perpetrator" in text
        assert "Two previous partners" not in text  # withheld answers are never quoted to the Chair
        await pilot.press("escape")
        assert isinstance(app.screen, ReviewScreen)


HOSTILE_NAME = "[red]Jon [/] Doe[/bold] \x1b[31mred\x1b[0m $primary"
MEGABYTE = "x" * (1 << 20)


def hostile_answers() -> dict:
    answers = example_answers()
    answers["case_ref"] = "[bold]MC-[/]1"
    perpetrator = answers["perpetrators"][0]
    perpetrator["full_name"] = HOSTILE_NAME
    perpetrator["address"] = {"value": MEGABYTE, "source": "[link=x]PNC[/link]", "checked": "2026-11-20"}
    perpetrator["aliases"] = [{"name": "[/]", "type": "nickname", "source": "\x1b[2J"}]
    return answers


@run_async
async def test_hostile_text_is_shown_literally(store: Store) -> None:
    app = HostApp(interview_for(store, hostile_answers()), store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        text = listing_text(app)
        assert "[red]Jon [/] Doe[/bold] \\x1b[31mred\\x1b[0m $primary" in text
        assert "\x1b" not in text  # escapes are shown as text, never sent to the terminal
        assert "[link=x]PNC[/link]" in text
        assert f"({len(MEGABYTE):,} characters in all)" in text
        assert app.screen.sub_title == "[bold]MC-[/]1"
        app.save_screenshot(path=str(store.root), filename="hostile-review.svg")  # renders without error

        await pilot.press("c")
        summary = app.screen.query_one("#summary-text", Static).content.plain
        assert "[RED]JON [/] DOE[/BOLD]" in summary
        assert "\x1b" not in summary
        app.save_screenshot(path=str(store.root), filename="hostile-summary.svg")


def two_perpetrators() -> dict:
    answers = example_answers()
    answers["more_than_one"] = "yes"
    answers["perpetrator_count"] = 2
    second = {"full_name": "Morwenna Tallis-Brook", "date_of_birth": "1990-02-03"}
    answers["perpetrators"].append(second)
    return answers


@run_async
async def test_each_perpetrator_has_its_own_part_and_edits_go_to_the_right_one(store: Store) -> None:
    interview = interview_for(store, two_perpetrators())
    assert interview.perpetrator_count() == 2
    app = HostApp(interview, store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        text = listing_text(app)
        first = text.index("Alleged perpetrator 1: Darren Quillfeather")
        second = text.index("Alleged perpetrator 2: Morwenna Tallis-Brook")
        assert first < second
        assert text.index("03 Feb 1990") > second  # the second person's answers sit under their heading
        highlight_row(app, "full name, as confirmed", occurrence=1)  # the full-name answer in part 2
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, StandInInterviewScreen))
        assert app.screen.jumps == [("full_name", 1)]
        assert interview.state == "full_name" and interview.perpetrator == 1


@given(st.text(min_size=1, max_size=200).filter(str.strip))
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_any_text_is_shown_as_text(store: Store, typed: str) -> None:
    """Whatever is typed into a free-text answer reaches the review as plain, printable text."""
    answers = example_answers()
    answers["perpetrators"][0]["address"] = {"value": typed, "source": typed, "checked": "2026-11-20"}
    rows = review_rows(interview_for(store, answers), [])
    shown = "\n".join(row.prompt.plain for row in rows)
    assert one_line(typed, VALUE_CHARS) in shown
    assert not any(ch in shown for ch in "\x1b\x00\x07\x08\r\x7f")


@run_async
async def test_a_training_run_says_so(store: Store) -> None:
    interview = interview_for(store)
    interview.submission.training = "first-case"
    app = HostApp(interview, store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert status_text(app).startswith("Training run, fictional case (first-case) · Draft")


@run_async
async def test_finalise_in_the_real_app_after_an_edit(store: Store) -> None:
    """Open the draft from home, change an answer, review, finalise: the change is in what is locked."""
    from marac_tui.tui.app import build_app

    sid = resume_at(store, interview_for(store), "serial_details")
    app = build_app(store, cursor_blink=False)
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: type(app.screen).__name__ == "HomeScreen")
        app.open_submission(sid)
        await until(pilot, lambda: type(app.screen).__name__ == "InterviewScreen")
        await until(pilot, lambda: app.screen.interview.state == "serial_details")
        await pilot.press("ctrl+r")
        await until(pilot, lambda: isinstance(app.screen, ReviewScreen))
        highlight_row(app, "Which agency or unit")
        await pilot.press("enter")
        await until(pilot, lambda: type(app.screen).__name__ == "InterviewScreen")
        await until(pilot, lambda: app.screen.interview.state == "agency")
        await pilot.pause()
        app.screen.focused.value = "Eastbury CID"  # the text field of the agency question
        await pilot.press("enter")
        await until(pilot, lambda: app.screen.interview.submission.header.agency == "Eastbury CID")
        await pilot.press("ctrl+r")
        await until(pilot, lambda: isinstance(app.screen, ReviewScreen))
        await pilot.press("f", "y")
        await until(pilot, lambda: status_text(app).startswith("FINALISED"))
    saved = store.load(sid)
    assert saved.state is SubmissionState.finalised
    assert saved.header.agency == "Eastbury CID"


@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=["80x24", "120x40"])
def test_page_keys_home_and_end_move_at_once(store: Store, size: tuple[int, int]) -> None:
    @run_async
    async def run() -> None:
        app = HostApp(interview_for(store), store)
        async with app.run_test(size=size) as pilot:
            await pilot.pause()
            listing = app.screen.query_one("#review-list", OptionList)
            first = listing.highlighted
            assert first is not None and "MARAC case reference" in listing.get_option_at_index(first).prompt.plain
            await pilot.press("pagedown")
            after_one = listing.highlighted
            assert after_one is not None and first < after_one < listing.option_count - 1  # a page, not the end
            await pilot.press("pagedown")
            assert listing.highlighted is not None and listing.highlighted > after_one
            await pilot.press("pageup")
            assert listing.highlighted is not None and listing.highlighted < listing.option_count - 1
            await pilot.press("end")
            last = listing.highlighted
            await pilot.press("home")
            assert listing.highlighted == first and last is not None and last > first
            await pilot.press("pageup")  # at the top: the highlight stays
            assert listing.highlighted == first

    run()


@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=["80x24", "120x40"])
@run_async
async def test_e_or_enter_on_any_answer_goes_to_it_and_j_jumps_by_name(store: Store, size: tuple[int, int]) -> None:
    app = HostApp(interview_for(store), store)
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        highlight_row(app, "Date of birth?")
        await pilot.press("e")
        await pilot.pause()
        stand_in = app.screen
        assert isinstance(stand_in, StandInInterviewScreen) and stand_in.jumps[-1] == ("date_of_birth", 0)
        stand_in.action_review()
        await pilot.pause()
        highlight_row(app, "What is the MARAC case reference?")
        await pilot.press("enter")
        await pilot.pause()
        assert stand_in.jumps[-1] == ("case_ref", None)
        stand_in.action_review()
        await pilot.pause()
        await pilot.press("j")
        await pilot.pause()
        for char in "aliases":
            await pilot.press(char)
        await pilot.pause(0.3)
        await pilot.press("enter")
        await until(pilot, lambda: app.screen is stand_in)
        assert stand_in.jumps[-1] == ("aliases", 0)


@run_async
async def test_the_footer_and_help_list_edit_and_jump(store: Store) -> None:
    from marac_tui.tui.screens.help import HelpScreen

    app = HostApp(interview_for(store), store)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        shown = {active.binding.key: active.binding.description for active in app.screen.active_bindings.values()
                 if active.binding.show}  # fmt: skip
        assert shown.get("e") == "Edit" and shown.get("j") == "Jump to item"
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        keys = app.screen.query_one("#help-screen-keys", Static).content.plain
        assert "Edit" in keys and "Jump to item" in keys


def test_follow_choice_and_wrong_audience() -> None:
    from marac_tui.tui.screens.export_dialog import follow_choice, wrong_audience

    assert follow_choice(Path("/x/MC-0142-meeting.docx"), "md", "internal") == Path("/x/MC-0142-internal.md")
    assert follow_choice(Path("/x/MC-0142.docx"), "docx", "internal") == Path("/x/MC-0142-internal.docx")
    assert follow_choice(Path("/x/notes.txt"), "csv", "meeting") == Path("/x/notes.txt-meeting.csv")
    assert follow_choice(Path("/x/meeting.md"), "md", "internal") == Path("/x/internal.md")
    assert wrong_audience(Path("MC-0142-meeting.docx"), "internal")
    assert wrong_audience(Path("Internal copy.md"), "meeting")
    assert not wrong_audience(Path("MC-0142-internal.docx"), "internal")
    assert not wrong_audience(Path("meetings-list.csv"), "internal")  # a word, not the audience


@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=["80x24", "120x40"])
def test_export_defaults_to_a_private_folder_and_the_name_follows_the_audience(
    store: Store, data_dir: Path, size: tuple[int, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("MARAC_TUI_EXPORT_DIR", raising=False)
    os.umask(0o022)

    @run_async
    async def run() -> None:
        app = HostApp(interview_for(store), store)
        async with app.run_test(size=size) as pilot:
            await pilot.press("x")
            await pilot.pause()
            dialog = app.screen
            path_input = dialog.query_one("#export-path")
            first = Path(path_input.value)
            assert first.parent == data_dir / "exports" and first.name.endswith("-meeting.docx")
            assert Path.cwd() not in first.parents
            path_input.value = str(data_dir / "exports" / "MC-2026-0142-meeting.docx")  # typed by the user
            dialog.query_one("#export-audience", Select).value = "internal"
            await pilot.pause()
            assert path_input.value == str(data_dir / "exports" / "MC-2026-0142-internal.docx")
            dialog.query_one("#export-format", Select).value = "md"
            await pilot.pause()
            assert path_input.value.endswith("MC-2026-0142-internal.md")
            result = dialog.query_one("#export-result", Static)
            path_input.focus()
            await pilot.press("enter")
            await until(pilot, lambda: result.content.plain.startswith(("Written", "Not written")))
            assert result.content.plain == f"Written: {data_dir / 'exports' / 'MC-2026-0142-internal.md'}"
            # a name saying the other audience is refused
            path_input.value = str(data_dir / "exports" / "MC-2026-0142-meeting.md")
            await pilot.press("enter")
            await pilot.pause()
            assert "the name says 'meeting' but this is the internal copy" in result.content.plain
        folder = data_dir / "exports"
        assert stat.S_IMODE(os.stat(folder).st_mode) == 0o700
        assert stat.S_IMODE(os.stat(folder / "MC-2026-0142-internal.md").st_mode) == 0o600

    run()


@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=["80x24", "120x40"])
@run_async
async def test_an_existing_file_asks_overwrite_in_the_app(store: Store, tmp_path: Path, size: tuple[int, int]) -> None:
    from marac_tui.tui.screens.ask import AskScreen

    target = tmp_path / "MC-2026-0142-meeting.md"
    target.write_text("an older copy")
    app = HostApp(interview_for(store), store)
    async with app.run_test(size=size) as pilot:
        await pilot.press("x")
        await pilot.pause()
        dialog = app.screen
        dialog.query_one("#export-format", Select).value = "md"
        await pilot.pause()
        path_input = dialog.query_one("#export-path")
        path_input.value = str(target)
        path_input.focus()
        result = dialog.query_one("#export-result", Static)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, AskScreen) and "Overwrite" in app.screen.question.plain
        await pilot.press("enter")  # No has the focus
        await pilot.pause()
        assert app.screen is dialog and "is kept as it was" in result.content.plain
        assert target.read_text() == "an older copy"
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("y")
        await until(pilot, lambda: result.content.plain.startswith("Written"))
        assert "--force" not in result.content.plain
    assert "MC-2026-0142" in target.read_text() and stat.S_IMODE(os.stat(target).st_mode) == 0o600


@run_async
async def test_the_chairs_summary_is_wrapped_to_an_80_column_window(store: Store) -> None:
    app = HostApp(interview_for(store), store)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("c")
        await pilot.pause()
        await pilot.pause()
        text = app.screen.query_one("#summary-text", Static).content.plain
        width = app.screen.query_one("#summary-scroll").scrollable_content_region.width
        assert max(len(line) for line in text.splitlines()) <= width
        assert "Referral to substance misuse services" in " ".join(text.split())  # nothing cut off
