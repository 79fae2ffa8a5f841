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
            await pilot.press("ctrl+o", "o", "right", "enter")  # reopen: opinion, PND; keep
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
        await pilot.press("f4", "o", "2")
        assert not strip.folded and "Opinion" in chips_text(screen)
        await pilot.press("escape")
        await settle(pilot)
        assert strip.folded and chips_text(screen) == before and screen.interview.state == "aliases"
        await pilot.click(ChipLine, offset=(2, 0))
        await pilot.pause()
        assert not strip.folded and strip.has_focus_within
        await pilot.press("o", "enter")
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
        await pilot.press("ctrl+o", "2", "enter")  # nothing held after all
        await settle(pilot)
    answer = saved(data_dir, draft.id, "homeless")
    assert answer.status.value == "nothing_held" and answer.source == "PNC"
