"""'Rest not checked': one key (Ctrl+T) or the palette, a confirmation naming both choices with their
counts (Cancel focused), then the rest of the research area, or of the person, recorded as not checked."""

from __future__ import annotations

from pathlib import Path

import pytest

from marac_tui.store import Store
from marac_tui.submission import Status
from marac_tui.tui.screens.interview import InterviewScreen
from marac_tui.tui.screens.rest_not_checked import RestNotCheckedScreen
from tests.tui_app_support import draft_at, make_app, notifications, open_draft, run_async, settle, transcript_text, type_text

SIZES = [(80, 24), (120, 40)]
TWO = {"more_than_one": "yes", "perpetrator_count": 2}


def statuses(data_dir: Path, sid: object, perpetrator: int) -> dict[str, Status | None]:
    answers = Store(data_dir).load(str(sid)).perpetrators[perpetrator].answers
    return {k: a.status for k, a in answers.items()}


@pytest.mark.parametrize("size", SIZES, ids=["80x24", "120x40"])
def test_ctrl_t_then_p_records_the_rest_of_a_barely_known_person(data_dir: Path, size: tuple[int, int]) -> None:
    @run_async
    async def run(data_dir: Path) -> None:
        draft = draft_at(data_dir, "full_name", {**TWO, "full_name": None})
        app = make_app(data_dir)
        async with app.run_test(size=size) as pilot:
            screen = await open_draft(pilot, draft)
            await type_text(pilot, "Corvin Ashdale")
            await pilot.press("enter")
            await settle(pilot)
            assert screen.interview.state == "date_of_birth"
            await pilot.press("ctrl+t")
            await pilot.pause()
            dialog = app.screen
            assert isinstance(dialog, RestNotCheckedScreen)
            labels = [str(b.label) for b in dialog.query("Button")]
            assert labels[0].startswith("s  The rest of Personal details (") and labels[0].endswith("items)")
            assert labels[1].startswith("p  All of Corvin Ashdale's remaining research (")
            assert app.screen.focused.id == "rest-cancel"  # Enter alone records nothing
            person = dialog.counts.person
            await pilot.press("p")
            await settle(pilot)
            assert isinstance(app.screen, InterviewScreen)
            iv = screen.interview
            assert (iv.state, iv.current_scope) == ("actions", 0)  # past the research, at the plan
            assert f"⤼ {person} not checked: Corvin Ashdale's remaining research" in transcript_text(screen)
        recorded = statuses(data_dir, draft.id, 0)
        research = [k for k in recorded if k != "full_name"]
        assert len(research) == person and all(recorded[k] is Status.not_checked for k in research)
        stored = Store(data_dir).load(str(draft.id)).perpetrators[0].answers
        assert all(stored[k].source is None and stored[k].checked_on is None for k in research)
        assert statuses(data_dir, draft.id, 1) == {}  # the second person is untouched

    run(data_dir)


@run_async
async def test_s_records_only_the_rest_of_the_area_and_keeps_answers_given(data_dir: Path) -> None:
    draft = draft_at(data_dir, "address", {"date_of_birth": "1990-03-01"})
    app = make_app(data_dir)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_draft(pilot, draft)
        await pilot.press("ctrl+t")
        await pilot.pause()
        section = app.screen.counts.section
        await pilot.press("s")
        await settle(pilot)
        assert screen.interview.flow.section_of(screen.interview.state).id == "serial"  # the next area
    recorded = statuses(data_dir, draft.id, 0)
    assert recorded["date_of_birth"] is Status.found  # kept
    assert section == 6
    assert [k for k, v in recorded.items() if v is Status.not_checked] == ["address", "homeless", "aliases", "pnc_id",
                                                                          "relationship_to_victim", "perpetrator_role"]


@run_async
async def test_escape_or_enter_records_nothing_and_the_palette_offers_it(data_dir: Path) -> None:
    draft = draft_at(data_dir, "address")
    app = make_app(data_dir)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_draft(pilot, draft)
        await pilot.press("ctrl+t")
        await pilot.pause()
        await pilot.press("enter")  # Cancel has the focus
        await pilot.pause()
        await pilot.press("ctrl+t")
        await pilot.pause()
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is screen and screen.interview.state == "address"
        await pilot.press("ctrl+p")
        await pilot.pause()
        await type_text(pilot, "rest not checked")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, RestNotCheckedScreen)
    assert "address" not in statuses(data_dir, draft.id, 0)


@run_async
async def test_on_a_case_item_it_says_it_is_for_research(data_dir: Path) -> None:
    draft = draft_at(data_dir, "representative")
    app = make_app(data_dir)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        screen = await open_draft(pilot, draft)
        await pilot.press("ctrl+t")
        await pilot.pause()
        assert app.screen is screen
        assert any("only research can be recorded as not checked" in n for n in notifications(app))
