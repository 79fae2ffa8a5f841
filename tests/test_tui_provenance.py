"""Provenance at no extra key: each research answer is recorded with the proposed provenance and the
next question follows at once; the folded strip says how the last answer is known and where that
came from; Ctrl+O (or F4, or a click) reopens it; Enter keeps a change, Esc drops it."""

from __future__ import annotations

from pathlib import Path

import pytest

from marac_tui.store import Store
from marac_tui.tui.widgets.provenance import ChipLine, ProvenanceStrip
from tests.tui_app_support import chips_text, draft_at, make_app, notifications, open_draft, run_async, settle, type_text

SIZES = [(80, 24), (120, 40)]


def saved(data_dir: Path, sid: object, item: str):  # noqa: ANN201
    return Store(data_dir).load(str(sid)).perpetrators[0].answers[item]


def strip_title(screen) -> str:  # noqa: ANN001
    return screen.query_one(ProvenanceStrip).query_one(".strip-title").content.plain


@pytest.mark.parametrize("size", SIZES, ids=["80x24", "120x40"])
def test_an_opinion_carries_through_its_research_area_and_not_beyond(data_dir: Path, size: tuple[int, int]) -> None:
    """The reported case: a probation opinion on alcohol misuse needed `o` on every item."""

    @run_async
    async def run(data_dir: Path) -> None:
        draft = draft_at(data_dir, "substance_misuse")
        app = make_app(data_dir)
        async with app.run_test(size=size) as pilot:
            screen = await open_draft(pilot, draft)
            await pilot.press("y")
            await settle(pilot)
            assert "the flow's default source" in strip_title(screen)  # the first answer in this area
            await pilot.press("ctrl+o", "o", "ctrl+o", "2")  # one key each: opinion, then PND
            await settle(pilot)
            assert screen.interview.state == "substance_types"  # the question did not move
            await pilot.press("a", "space", "enter")  # Alcohol
            await settle(pilot)
            title = strip_title(screen)
            assert "source and fact/opinion as for “Is there evidence of drug or alcohol…”" in title
            assert "PND" in chips_text(screen) and "Opinion" in chips_text(screen)
            await type_text(pilot, "Drinks daily; two drink-driving arrests")
            await pilot.press("ctrl+j")
            await settle(pilot)
            assert "as for “Which substances?”" in strip_title(screen)
            await screen.action_jump_to("risk_to_professionals")  # another research area
            await pilot.pause()
            await pilot.press("n")
            await settle(pilot)
            assert "first answer in Risks to professionals" in strip_title(screen)
        sid = draft.id
        for item in ("substance_misuse", "substance_types", "substance_details"):
            answer = saved(data_dir, sid, item)
            assert (answer.source, answer.basis.value) == ("PND", "opinion"), item
        other = saved(data_dir, sid, "risk_to_professionals")
        assert (other.source, other.basis.value, other.status.value) == ("PNC", "fact", "nothing_held")

    run(data_dir)


@run_async
async def test_escape_drops_a_change_and_f4_and_a_click_reopen(data_dir: Path) -> None:
    draft = draft_at(data_dir, "homeless", {"date_of_birth": "1990-03-01"})
    app = make_app(data_dir)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_draft(pilot, draft)
        await pilot.press("n")
        await settle(pilot)
        strip = screen.query_one(ProvenanceStrip)
        before = chips_text(screen)
        await pilot.press("f4", "right", "right")  # arrows step through the sources; nothing kept yet
        assert not strip.folded and "Force system" in chips_text(screen)
        await pilot.press("escape")
        await settle(pilot)
        assert strip.folded and chips_text(screen) == before and screen.interview.state == "aliases"
        await pilot.click(ChipLine, offset=(2, 0))
        await pilot.pause()
        assert not strip.folded and strip.has_focus_within
        await pilot.press("o")  # one key: recorded, folded, back to the question
        await settle(pilot)
        assert strip.folded and screen.answer_input is not None and screen.answer_input.has_focus_within
    assert saved(data_dir, draft.id, "homeless").basis.value == "opinion"


@run_async
async def test_ctrl_o_before_any_research_answer_says_what_it_does(data_dir: Path) -> None:
    draft = draft_at(data_dir, "representative")
    app = make_app(data_dir)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        screen = await open_draft(pilot, draft)
        await pilot.press("ctrl+o")
        await pilot.pause()
        assert any("answer one first" in n for n in notifications(app))
        assert not screen.query_one(ProvenanceStrip).display


@run_async
async def test_a_skipped_item_shows_not_checked_and_can_be_corrected_to_nothing_held(data_dir: Path) -> None:
    draft = draft_at(data_dir, "homeless", {"date_of_birth": "1990-03-01"})
    app = make_app(data_dir)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_draft(pilot, draft)
        await pilot.press("ctrl+n")
        await settle(pilot)
        assert "Not checked" in chips_text(screen) and "no source or date kept" in strip_title(screen)
        await pilot.press("ctrl+o", "n")  # nothing held after all
        await settle(pilot)
    answer = saved(data_dir, draft.id, "homeless")
    assert answer.status.value == "nothing_held" and answer.source == "PNC"


@pytest.mark.parametrize("size", SIZES, ids=["80x24", "120x40"])
@pytest.mark.parametrize("choice", ["y", "n"])
def test_withholding_a_follow_up_offers_to_withhold_its_parent_with_the_same_reason(
    data_dir: Path, choice: str, size: tuple[int, int]
) -> None:
    from marac_tui.export.markdown import render_markdown
    from marac_tui.export.report import build_report
    from marac_tui.flow.loader import load_named
    from marac_tui.tui.screens.ask import AskScreen

    @run_async
    async def run(data_dir: Path) -> None:
        draft = draft_at(data_dir, "wellbeing")
        app = make_app(data_dir)
        async with app.run_test(size=size) as pilot:
            screen = await open_draft(pilot, draft)
            await pilot.press("y")
            await settle(pilot)
            await type_text(pilot, "A diagnosis shared by the GP")
            await pilot.press("ctrl+j")
            await settle(pilot)
            await pilot.press("ctrl+o", "w")
            await pilot.pause()
            await type_text(pilot, "Medical information, not proportionate")
            await pilot.press("enter")
            await pilot.pause()
            assert isinstance(app.screen, AskScreen)
            assert "Are there health or wellbeing issues" in app.screen.question.plain
            assert "(Yes) too?" in app.screen.question.plain
            await pilot.press(choice)
            await settle(pilot)
            assert app.screen is screen
        stored = Store(data_dir).load(str(draft.id))
        parent = stored.perpetrators[0].answers["wellbeing"]
        if choice == "y":
            assert (parent.share, parent.withhold_reason) == (False, "Medical information, not proportionate")
        else:
            assert parent.share
        form = render_markdown(build_report(stored, load_named("police"), "meeting"))
        assert "health or wellbeing issues" not in form  # never a bare Yes, whichever was chosen
        assert "A diagnosis shared by the GP" not in form

    run(data_dir)


@pytest.mark.parametrize("size", SIZES, ids=["80x24", "120x40"])
def test_a_question_the_flow_names_a_source_for_proposes_it_and_the_area_goes_on_as_before(
    data_dir: Path, size: tuple[int, int]
) -> None:
    """The PNC ID is checked on PNC though the area so far came from the force system; the next
    question follows the force system again (in the trial, one Intelligence answer was followed by
    every later answer in its area)."""

    @run_async
    async def run() -> None:
        draft = draft_at(data_dir, "address", {"date_of_birth": "1985-06-14"})
        app = make_app(data_dir)
        async with app.run_test(size=size) as pilot:
            screen = await open_draft(pilot, draft)
            await type_text(pilot, "22 Kestle Row, Marbury")
            await pilot.press("ctrl+j")
            await settle(pilot)
            await pilot.press("ctrl+o", "3")  # Force system
            await settle(pilot)
            await pilot.press("n", "n")  # not homeless; no aliases
            await settle(pilot)
            await type_text(pilot, "85/339120L")
            await pilot.press("enter")
            await settle(pilot)
            assert "PNC" in chips_text(screen) and "the source the flow names for this question" in strip_title(screen)
            await pilot.press("2")  # ex-partner
            await settle(pilot)
            assert "Force system" in chips_text(screen)
            assert "source as for “Record any aliases" in strip_title(screen)  # not the PNC ID
        answers = Store(data_dir).load(str(draft.id)).perpetrators[0].answers
        assert (answers["pnc_id"].source, answers["relationship_to_victim"].source) == ("PNC", "Force system")

    run()
