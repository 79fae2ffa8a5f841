"""The interview screen, driven with Pilot as a user would: answers of every kind, errors under the
field, the provenance strip, back and edit, the sidebar, guidance, autosave, resume, hostile text."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from textual.widgets import Input, Markdown, TextArea, Tree

from marac_tui.store import Store
from marac_tui.tui.screens.interview import InterviewScreen
from marac_tui.tui.widgets.guidance import GuidancePanel
from marac_tui.tui.widgets.progress import ProgressSidebar
from marac_tui.tui.widgets.provenance import ProvenanceStrip
from tests.tui_app_support import (
    SIZE,
    answer_box,
    chips_text,
    draft_at,
    error_text,
    make_app,
    notifications,
    open_draft,
    run_async,
    settle,
    transcript_text,
    type_text,
    user_bubbles,
    visible_transcript,
)


def saved(data_dir: Path, submission_id: object, item: str, perpetrator: int | None = 0):  # noqa: ANN201
    stored = Store(data_dir).load(str(submission_id))
    answers = stored.answers if perpetrator is None else stored.perpetrators[perpetrator].answers
    return answers.get(item)


@run_async
async def test_new_submission_three_answers_are_saved(data_dir: Path) -> None:
    app = make_app(data_dir)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("n")
        await pilot.pause()
        await pilot.press("enter")  # the first flow: police researcher
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, InterviewScreen)
        await type_text(pilot, "MC-2026-0917")
        await pilot.press("enter")
        await type_text(pilot, "10/12/2026")
        await pilot.press("enter")
        await type_text(pilot, "DC Ottilie Brambleworth")
        await pilot.press("enter")
        await settle(pilot)
        assert user_bubbles(screen) == ["MC-2026-0917", "10 Dec 2026", "DC Ottilie Brambleworth"]
        assert screen.interview.state == "agency"
        assert answer_box(screen).value == "Police"  # the item's default, ready to accept
        assert "saved" in screen.sub_title
        sid = screen.interview.submission.id
    stored = Store(data_dir).load(str(sid))
    assert stored.answers["case_ref"].value == "MC-2026-0917"
    assert stored.answers["marac_date"].value == "2026-12-10"
    assert stored.answers["representative"].value == "DC Ottilie Brambleworth"
    assert stored.position is not None and stored.position.item == "agency"


@run_async
async def test_date_error_shown_under_the_field_and_text_kept(data_dir: Path) -> None:
    draft = draft_at(data_dir, "marac_date")
    app = make_app(data_dir)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_draft(pilot, draft)
        await type_text(pilot, "31/02/2026")
        await pilot.press("enter")
        await pilot.pause()
        assert "31 February 2026 does not exist" in error_text(screen)
        box = answer_box(screen)
        assert box.value == "31/02/2026"
        assert screen.interview.state == "marac_date"
        await pilot.press(*["backspace"] * 10)
        await type_text(pilot, "28/02/2027")
        await pilot.press("enter")
        await settle(pilot)
        assert error_text(screen) == ""
        assert screen.interview.state == "representative"
    assert saved(data_dir, draft.id, "marac_date", None).value == "2027-02-28"


@run_async
async def test_number_out_of_range_is_refused_and_kept(data_dir: Path) -> None:
    draft = draft_at(data_dir, "perpetrator_count", {"more_than_one": "yes"})
    app = make_app(data_dir)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_draft(pilot, draft)
        await type_text(pilot, "9")
        await pilot.press("enter")
        await pilot.pause()
        assert "must be at most 6" in error_text(screen)
        assert answer_box(screen).value == "9"
        await pilot.press("backspace", "2", "enter")
        await settle(pilot)
        assert screen.interview.perpetrator_count() == 2
    assert saved(data_dir, draft.id, "perpetrator_count", None).value == 2


@run_async
async def test_yesno_single_key_records_the_proposed_provenance_with_no_extra_key(data_dir: Path) -> None:
    draft = draft_at(data_dir, "serial_perpetrator")
    app = make_app(data_dir)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_draft(pilot, draft)
        await pilot.press("y")  # ONE key: the answer, with the proposed provenance, and on to the next
        await settle(pilot)
        assert screen.interview.state == "serial_details"
        strip = screen.query_one(ProvenanceStrip)
        assert strip.display and strip.folded and not strip.has_focus_within
        chips = chips_text(screen)
        assert "Found" in chips and "PNC" in chips and "Fact" in chips and "Shared" in chips
        title = strip.query_one(".strip-title").content.plain
        assert "“Is there evidence that this person has…”" in title and "the flow's default source" in title
        assert "Ctrl+O" in title
        assert "Found · PNC · checked" in transcript_text(screen)
    answer = saved(data_dir, draft.id, "serial_perpetrator")
    assert (answer.value, answer.status.value, answer.source) == ("yes", "found", "PNC")
    assert answer.checked_on == date.today() and answer.basis.value == "fact" and answer.share is True


@run_async
async def test_provenance_withhold_requires_a_reason(data_dir: Path) -> None:
    draft = draft_at(data_dir, "homeless")
    app = make_app(data_dir)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_draft(pilot, draft)
        await pilot.press("n")  # not homeless: 'nothing held' by default
        await pilot.pause()
        await pilot.press("ctrl+o", "3", "o", "right")  # reopen it: not checked, opinion, next source (PND)
        await pilot.press("w")  # withhold: the reason box opens
        await pilot.pause()
        await pilot.press("enter")  # leave the reason empty: refused, and the box stays open
        await pilot.pause()
        assert "Say why this is withheld" in error_text(screen)
        assert screen.interview.state != "homeless" and isinstance(screen.focused, Input)
        await type_text(pilot, "Third-party information from Fenbridge force")
        await pilot.press("enter", "enter")  # the reason, then keep
        await settle(pilot)
        assert screen.query_one(ProvenanceStrip).folded
        assert screen.answer_input is not None and screen.answer_input.has_focus_within  # back to the question
        assert "withheld: Third-party information from Fenbridge force" in transcript_text(screen)
    answer = saved(data_dir, draft.id, "homeless")
    assert answer.value == "no" and answer.status.value == "not_checked" and answer.basis.value == "opinion"
    assert answer.source is None and answer.share is False  # not checked: no source is kept
    assert answer.withhold_reason == "Third-party information from Fenbridge force"


@run_async
async def test_longtext_newlines_and_ctrl_enter(data_dir: Path) -> None:
    draft = draft_at(data_dir, "address")
    app = make_app(data_dir)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_draft(pilot, draft)
        assert isinstance(screen.focused, TextArea)
        await type_text(pilot, "14 Wrenfold Court")
        await pilot.press("enter")
        await type_text(pilot, "Harlow Vale")
        await pilot.press("ctrl+enter")
        await settle(pilot)
        assert screen.interview.state == "homeless"
    assert saved(data_dir, draft.id, "address").value == "14 Wrenfold Court\nHarlow Vale"


@run_async
async def test_choice_by_number_and_multichoice_by_space(data_dir: Path) -> None:
    draft = draft_at(data_dir, "weapon_types", {"weapons": "yes"})
    app = make_app(data_dir)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_draft(pilot, draft)
        await pilot.press("space", "down", "space", "enter")  # firearm and shotgun
        await pilot.pause()
        assert screen.interview.state == "weapons_licensed"
        await pilot.press("2")  # Not licensed
        await settle(pilot)
        assert "Firearm, Shotgun" in user_bubbles(screen)
        assert "Not licensed" in user_bubbles(screen)
    assert saved(data_dir, draft.id, "weapon_types").value == ["firearm", "shotgun"]
    assert saved(data_dir, draft.id, "weapons_licensed").value == "unlicensed"


@run_async
async def test_repeat_add_edit_remove_then_done(data_dir: Path) -> None:
    draft = draft_at(data_dir, "aliases")
    app = make_app(data_dir)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_draft(pilot, draft)
        await pilot.press("y")  # add one
        await pilot.pause()
        await pilot.press("enter")  # the alias is required
        await pilot.pause()
        assert "Alias: an answer is required" in error_text(screen)
        await type_text(pilot, "Corky")
        await pilot.press("enter", "1", "enter")
        await type_text(pilot, "PND")
        await pilot.press("enter")
        await pilot.pause()
        assert "Add another alias?" in str(screen.query_one("#add-question").content)
        await pilot.press("y")
        await pilot.pause()
        await type_text(pilot, "c_ashdale")
        await pilot.press("enter", "3", "enter", "enter")
        await pilot.pause()
        await pilot.press("enter")  # edit the highlighted (first) entry
        await pilot.pause()
        await pilot.press("end", "backspace", "backspace", "backspace", "backspace", "backspace")
        await type_text(pilot, "Cory")
        await pilot.press("enter", "enter", "enter")
        await pilot.pause()
        await pilot.press("down", "x")  # remove the second
        await pilot.press("n")  # no more: send the list
        await settle(pilot)
        assert screen.interview.state == "pnc_id"  # the next personal detail
    assert saved(data_dir, draft.id, "aliases").value == [{"name": "Cory", "type": "nickname", "source": "PND"}]


@run_async
async def test_actions_suggestions_own_action_and_gaps(data_dir: Path) -> None:
    draft = draft_at(data_dir, "actions", {"weapons": "yes", "weapon_types": ["shotgun"], "stalking": "yes"})
    app = make_app(data_dir)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_draft(pilot, draft)
        gaps = screen.query_one("#gaps")
        assert "Access to weapons" in gaps.content.plain and "Stalking" in gaps.content.plain
        suggestions = screen.query_one("#suggestions")
        texts = [suggestions.get_option_at_index(i).prompt.plain for i in range(suggestions.option_count)]
        firearms = next(i for i, t in enumerate(texts) if "firearms licensing" in t)
        suggestions.highlighted = firearms
        await pilot.press("space")
        await pilot.pause()
        assert "Access to weapons" not in gaps.content.plain
        await pilot.press("a")
        await pilot.pause()
        await type_text(pilot, "2")
        await pilot.press("enter")
        await type_text(pilot, "Flag the address for a marker check")
        await pilot.press("enter")
        await type_text(pilot, "Eastmere Police")
        await pilot.press("enter", "enter", "enter", "enter")  # no named owner, no due date, status proposed
        await pilot.pause()
        risks = screen.query_one("#form-risks")
        risk_titles = [risks.get_option_at_index(i).prompt.plain for i in range(risks.option_count)]
        risks.highlighted = next(i for i, t in enumerate(risk_titles) if "Stalking" in t)
        await pilot.press("space", "enter")
        await pilot.pause()
        assert "Every risk flag raised has an action" in gaps.content.plain
        screen.query_one("#suggestions").focus()
        await pilot.press("enter")
        await settle(pilot)
    actions = saved(data_dir, draft.id, "actions").value
    assert [a.get("suggestion") for a in actions] == ["firearms_review", None]
    own = {k: v for k, v in actions[1].items() if k != "id"}
    assert own == {"heading": "disrupt", "text": "Flag the address for a marker check", "agency": "Eastmere Police",
                   "status": "proposed", "history": [], "addresses": ["stalking"]}  # fmt: skip
    assert len(actions[1]["id"]) == 8 and actions[0]["id"] != actions[1]["id"]


@run_async
async def test_back_any_number_of_steps_shows_the_earlier_answer(data_dir: Path) -> None:
    draft = draft_at(data_dir, "more_than_one")
    app = make_app(data_dir)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_draft(pilot, draft)
        await pilot.press("ctrl+b")
        await pilot.pause()
        assert screen.interview.state == "dapo_pilot_area"  # the case items skipped on the way are asked again
        await pilot.press(*["ctrl+b"] * 5)
        await pilot.pause()
        assert screen.interview.state == "agency"
        await pilot.press("ctrl+b", "ctrl+b")
        await pilot.pause()
        assert screen.interview.state == "marac_date"
        assert answer_box(screen).value == "10/12/2026"
        await pilot.press("enter")  # keep it
        await pilot.pause()
        assert screen.interview.state == "representative"


@run_async
async def test_editing_an_earlier_answer_reapplies_skip_logic(data_dir: Path) -> None:
    draft = draft_at(data_dir, "date_of_birth", {"more_than_one": "yes", "perpetrator_count": 2})
    app = make_app(data_dir)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        screen = await open_draft(pilot, draft)
        assert screen.interview.perpetrator_count() == 2
        await screen.action_jump_to("more_than_one")
        await pilot.pause()
        await pilot.press("n")
        await settle(pilot)
        assert screen.interview.perpetrator_count() == 1
        messages = notifications(app)
        assert any("No longer asked" in m and "How many alleged perpetrators" in m for m in messages)
        assert not any("perpetrator_count" in m for m in messages)  # said in words, not ids
    assert saved(data_dir, draft.id, "perpetrator_count", None) is None


@run_async
async def test_sidebar_marks_states_and_jumps(data_dir: Path) -> None:
    draft = draft_at(data_dir, "homeless", {"date_of_birth": "1990-03-01"})
    app = make_app(data_dir)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_draft(pilot, draft)
        sidebar = screen.query_one(ProgressSidebar)
        tree = sidebar.query_one(Tree)
        labels = sidebar.labels()
        assert labels[("case_ref", None)].startswith("✓")
        assert labels[("date_of_birth", 0)].startswith("●")  # found
        assert labels[("address", 0)].startswith("?")  # skipped research: not checked
        assert labels[("homeless", 0)].startswith("▶")
        assert labels[("homeless_details", 0)].startswith("⤼")  # not asked
        assert "Corvin Ashdale" in [n.label.plain for n in tree.root.children]
        tree.select_node(sidebar.leaf("representative"))
        await pilot.pause()
        assert screen.interview.state == "representative"
        assert answer_box(screen).value == "DC Ottilie Brambleworth"
        assert transcript_text(screen).splitlines()[-1] == "Who is preparing this research (your name)?"
        assert "Corvin Ashdale" not in user_bubbles(screen)  # the transcript is back at that question
        tree.select_node(sidebar.leaf("aliases", 0))  # further on: not in the transcript yet
        await pilot.pause()
        assert screen.interview.state == "aliases"
        assert "↪ Jumped to: Record any aliases" in transcript_text(screen)


@run_async
async def test_guidance_panel_toggles_and_follows_the_item(data_dir: Path) -> None:
    draft = draft_at(data_dir, "more_than_one")
    app = make_app(data_dir)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_draft(pilot, draft)
        panel = screen.query_one(GuidancePanel)
        assert not panel.display
        await pilot.press("f2")
        await pilot.pause()
        assert panel.display
        shown = panel.query_one(Markdown).source
        assert "more than one person" in shown
        await pilot.press("n")  # answer: the panel follows to the next item
        await pilot.pause()
        assert panel.query_one(Markdown).source != shown
        await pilot.press("f2")
        await pilot.pause()
        assert not panel.display


@run_async
async def test_resume_where_it_stopped_after_quitting(data_dir: Path) -> None:
    app = make_app(data_dir)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("n", "enter")
        await pilot.pause()
        await type_text(pilot, "MC-2026-0917")
        await pilot.press("enter")
        await type_text(pilot, "today")
        await pilot.press("enter")
        await type_text(pilot, "DC Ottilie Brambleworth")
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("ctrl+q")
    again = make_app(data_dir)
    async with again.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("enter")  # resume the only row
        await pilot.pause()
        screen = again.screen
        assert isinstance(screen, InterviewScreen)
        assert screen.interview.state == "agency"
        today = date.today().strftime("%d %b %Y")
        assert user_bubbles(screen)[:3] == ["MC-2026-0917", today, "DC Ottilie Brambleworth"]
        assert "Which agency or unit" in transcript_text(screen).splitlines()[-1]


@run_async
async def test_hostile_strings_display_literally(data_dir: Path) -> None:
    draft = draft_at(data_dir, "address", {"full_name": "[red]Jon[/] \x1b[31mDoe [/]"})
    paste = "[bold]x[/] " * 100_000  # 1.1 MB of markup-looking text
    app = make_app(data_dir)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_draft(pilot, draft)
        area = answer_box(screen, TextArea)
        area.insert(paste)
        await pilot.press("ctrl+enter")
        await settle(pilot)
        text = transcript_text(screen)
        assert "Personal details — [red]Jon[/] \\x1b[31mDoe [/]" in text
        bubble = user_bubbles(screen)[-1]
        assert bubble.startswith("[bold]x[/] [bold]x[/]") and "more characters)" in bubble
        assert len(bubble) < 3000
        tree = screen.query_one(Tree)
        assert "[red]Jon[/] \\x1b[31mDoe [/]" in [n.label.plain for n in tree.root.children]
        await pilot.press("ctrl+b")  # back: the input gets the whole value back
        await pilot.pause()
        assert answer_box(screen, TextArea).text == paste
    assert saved(data_dir, draft.id, "address").value == paste


@run_async
async def test_locked_submission_opens_read_only(data_dir: Path) -> None:
    draft = draft_at(data_dir, "homeless")
    other_window = Store(data_dir)
    lock = other_window.acquire(str(draft.id))
    try:
        app = make_app(data_dir)
        async with app.run_test(size=SIZE) as pilot:
            screen = await open_draft(pilot, draft)
            assert screen.read_only and "being edited by" in screen.read_only
            assert "Read-only" in screen.query_one(".read-only").content.plain
            await pilot.press("ctrl+b")
            await pilot.pause()
            assert screen.interview.state == "homeless"
            assert "Corvin Ashdale" in user_bubbles(screen)
    finally:
        lock.release()


@run_async
async def test_finalised_submission_opens_read_only_in_review(data_dir: Path) -> None:
    from marac_tui.tui.screens.review import ReviewScreen

    draft = draft_at(data_dir, "homeless")
    Store(data_dir).finalise(str(draft.id))
    app = make_app(data_dir)
    async with app.run_test(size=SIZE) as pilot:
        await open_draft(pilot, draft)
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, InterviewScreen) and "finalised" in (app.screen.read_only or "")


class FailingStore(Store):
    """A store whose disk is 'full' until `fail` is cleared."""

    fail = True

    def save(self, submission, changes=(), actor=None):  # noqa: ANN001, ANN201
        if self.fail:
            raise OSError(28, "No space left on device")
        return super().save(submission, changes, actor)


@run_async
async def test_a_failed_save_is_shown_and_retried_without_loss(data_dir: Path) -> None:
    from marac_tui.tui.app import build_app

    draft = draft_at(data_dir, "representative")
    store = FailingStore(data_dir)
    app = build_app(store, cursor_blink=False)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        screen = await open_draft(pilot, draft)
        await type_text(pilot, "DC Ottilie Brambleworth")
        await pilot.press("enter")
        await settle(pilot)
        assert "NOT SAVED" in screen.sub_title
        assert any("No space left" in n for n in notifications(app))
        store.fail = False
        await pilot.press("enter")  # the agency default
        await settle(pilot)
        assert "saved" in screen.sub_title and "NOT" not in screen.sub_title
    stored = Store(data_dir).load(str(draft.id))
    assert stored.answers["representative"].value == "DC Ottilie Brambleworth"
    assert stored.answers["agency"].value == "Police"


@run_async
async def test_the_last_answer_opens_the_review_and_finalising_makes_it_read_only(data_dir: Path) -> None:
    from marac_tui.tui.screens.review import ReviewScreen

    draft = draft_at(data_dir, "actions")
    app = make_app(data_dir)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_draft(pilot, draft)
        await pilot.press("ctrl+j")  # no actions: the interview is complete
        await settle(pilot)
        assert screen.interview.done and isinstance(app.screen, ReviewScreen)
        await pilot.press("f")
        await pilot.pause()
        await pilot.press("y")  # confirm finalising
        await settle(pilot)
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is screen and "finalised" in (screen.read_only or "")
        await pilot.press("ctrl+b")
        await pilot.pause()
        assert screen.interview.done  # read-only: nothing moves
    assert Store(data_dir).load(str(draft.id)).state.value == "finalised"


@run_async
async def test_a_double_enter_does_not_answer_the_next_question_too(data_dir: Path) -> None:
    draft = draft_at(data_dir, "representative")
    app = make_app(data_dir)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_draft(pilot, draft)
        old = answer_box(screen)
        await type_text(pilot, "DC Ottilie Brambleworth")
        await old.action_submit()
        await old.action_submit()  # the same input, twice, before the next prompt is up
        await settle(pilot)
        assert screen.interview.state == "agency"
        assert screen.interview.answer_of("agency") is None


@run_async
async def test_answering_again_keeps_the_recorded_provenance(data_dir: Path) -> None:
    draft = draft_at(data_dir, "homeless")
    app = make_app(data_dir)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_draft(pilot, draft)
        await pilot.press("y", "ctrl+o", "right", "w")  # found; reopen: next source, withhold
        await pilot.pause()
        await type_text(pilot, "Shared by a partner agency in confidence")
        await pilot.press("enter", "enter")
        await pilot.pause()
        await pilot.press("ctrl+b")  # back to it, and keep the same answer
        await pilot.pause()
        await pilot.press("y")
        await settle(pilot)
        chips = chips_text(screen)
        assert "Withheld: Shared by a partner agency in confidence" in chips and "PND" in chips
        assert "as recorded before" in screen.query_one(ProvenanceStrip).query_one(".strip-title").content.plain
    answer = saved(data_dir, draft.id, "homeless")
    assert (answer.share, answer.withhold_reason, answer.source) == (
        False, "Shared by a partner agency in confidence", "PND")  # fmt: skip


@run_async
async def test_the_current_question_is_in_view_on_opening_and_after_each_answer(data_dir: Path) -> None:
    draft = draft_at(data_dir, "homeless", {"date_of_birth": "1990-03-01"})
    app = make_app(data_dir)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_draft(pilot, draft)
        await settle(pilot)
        assert "Is the person homeless" in visible_transcript(screen)
        await pilot.press("n")
        await settle(pilot)
        shown = visible_transcript(screen)
        assert "No" in shown and "Record any aliases" in shown  # the answer and the next question


@run_async
async def test_f1_opens_help_while_typing_and_a_question_mark_stays_text(data_dir: Path) -> None:
    from marac_tui.tui.screens.help import HelpScreen

    draft = draft_at(data_dir, "representative")
    app = make_app(data_dir)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_draft(pilot, draft)
        await type_text(pilot, "DC Brambleworth?")
        assert answer_box(screen).value == "DC Brambleworth?"
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is screen and answer_box(screen).value == "DC Brambleworth?"


@run_async
async def test_quitting_with_the_provenance_strip_open_keeps_what_it_shows(data_dir: Path) -> None:
    draft = draft_at(data_dir, "address")
    app = make_app(data_dir)
    async with app.run_test(size=SIZE) as pilot:
        await open_draft(pilot, draft)
        await type_text(pilot, "14 Larchwood Rise")
        await pilot.press("ctrl+j")
        await pilot.pause()
        await pilot.press("ctrl+o", "o", "w")  # reopen: opinion; withhold, and the reason box opens
        await pilot.pause()
        await type_text(pilot, "Half-typed reason")
        await pilot.press("ctrl+q")  # quit before pressing Enter
        await pilot.pause()
    answer = saved(data_dir, draft.id, "address")
    assert (answer.share, answer.withhold_reason, answer.basis.value) == (False, "Half-typed reason", "opinion")


@run_async
async def test_strip_refuses_a_future_date_and_an_empty_reason_and_not_checked_keeps_no_source(data_dir: Path) -> None:
    draft = draft_at(data_dir, "homeless", {"date_of_birth": "1990-03-01"})
    app = make_app(data_dir)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_draft(pilot, draft)
        await pilot.press("n")
        await pilot.pause()
        await pilot.press("ctrl+o", "d", *["backspace"] * 10)  # reopen; clear the date box
        await type_text(pilot, "01/01/2099")
        await pilot.press("enter")
        await pilot.pause()
        assert "is in the future" in error_text(screen)
        await pilot.press("escape", "w")  # cancel the date; withhold
        await pilot.pause()
        await pilot.press("enter")  # no reason typed
        await pilot.pause()
        assert "Say why this is withheld" in error_text(screen)
        await pilot.press("escape", "w", "3")  # share again; not checked
        await pilot.pause()
        assert "no source" in chips_text(screen) and "not checked" in chips_text(screen)
        await pilot.press("enter")
        await settle(pilot)
    answer = saved(data_dir, draft.id, "homeless")
    assert (answer.status.value, answer.source, answer.checked_on, answer.share) == ("not_checked", None, None, True)


@run_async
async def test_an_80_column_window_keeps_help_and_the_palette_in_the_footer(data_dir: Path) -> None:
    from marac_tui.tui.widgets.footer import SteadyFooter

    draft = draft_at(data_dir, "homeless", {"date_of_birth": "1990-03-01"})
    app = make_app(data_dir)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_draft(pilot, draft)
        await pilot.pause()
        line = screen.query_one(SteadyFooter).render_line(0).text
        assert "Help" in line and "palette" in line and "Back" in line
        assert not screen.query_one(ProgressSidebar).display  # the conversation gets the width
        assert "Is the person homeless" in visible_transcript(screen)


@run_async
async def test_naming_the_perpetrator_does_not_repeat_the_section_heading(data_dir: Path) -> None:
    draft = draft_at(data_dir, "full_name", {"full_name": None})
    app = make_app(data_dir)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_draft(pilot, draft)
        await type_text(pilot, "Corvin Ashdale")
        await pilot.press("enter")
        await settle(pilot)
        headings = [line for line in transcript_text(screen).splitlines() if line.startswith("Personal details")]
        assert len(headings) == 1
