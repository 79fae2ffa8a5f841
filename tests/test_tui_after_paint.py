"""What an answer sets off once the next prompt is on screen (marac_tui/tui/after_paint.py): the garbage
collector paused for the step and running again after it, the autosave written, the sidebar up to
date. Driven with Pilot as a user would, at 80×24 and 120×40."""

from __future__ import annotations

import gc
from pathlib import Path

from textual.app import App, ComposeResult
from textual.widgets import Static

from marac_tui.store import Store
from marac_tui.tui.after_paint import FALLBACK, AfterPaint
from tests.tui_app_support import SIZE, draft_at, make_app, open_draft, run_async, settle, type_text, visible_transcript
from tests.tui_harness import until


@run_async
async def test_an_answer_is_on_screen_saved_and_in_the_sidebar_with_the_collector_running_again(data_dir: Path) -> None:
    draft = draft_at(data_dir, "representative")
    app = make_app(data_dir)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_draft(pilot, draft)
        await type_text(pilot, "DC Ottilie Brambleworth")
        await pilot.press("enter")
        await settle(pilot)
        shown = visible_transcript(screen)
        assert "DC Ottilie Brambleworth" in shown
        assert "agency" in shown.lower()  # the next prompt
        stored = Store(data_dir).load(str(draft.id))
        assert stored.answers["representative"].value == "DC Ottilie Brambleworth"
        assert "saved" in screen.sub_title
        labels = screen.query_one("ProgressSidebar").labels()
        assert labels[("representative", None)].startswith("✓")
        assert labels[("agency", None)].startswith("▶")
        assert gc.isenabled()


@run_async
async def test_at_80_columns_a_run_of_answers_leaves_every_one_saved_and_the_collector_on(data_dir: Path) -> None:
    draft = draft_at(data_dir, "case_ref")
    app = make_app(data_dir)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_draft(pilot, draft)
        for text in ("MC-2026-0999", "11/12/2026", "PC Wren Halloway"):
            await type_text(pilot, text)
            await pilot.press("enter")  # no pause between answers: each one's work waits for its frame
        await settle(pilot)
        assert screen.interview.state == "agency"
        stored = Store(data_dir).load(str(draft.id))
        assert stored.answers["case_ref"].value == "MC-2026-0999"
        assert stored.answers["marac_date"].value == "2026-12-11"
        assert stored.answers["representative"].value == "PC Wren Halloway"
        assert gc.isenabled()


class _Still(App[None]):
    """An app whose screen never changes: no layout comes to end a held step."""

    def compose(self) -> ComposeResult:
        yield Static("nothing moves")


@run_async
async def test_a_step_that_moves_nothing_still_runs_its_work_after_the_fallback() -> None:
    app = _Still()
    ran: list[str] = []
    async with app.run_test(size=(80, 24)) as pilot:
        waiting = AfterPaint(app.screen)
        waiting.subscribe()
        waiting.hold()
        waiting.later(lambda: ran.append("saved"))
        assert not gc.isenabled() and not ran  # held
        await until(pilot, lambda: bool(ran), timeout=FALLBACK * 20)
        assert ran == ["saved"]
        assert gc.isenabled()
        waiting.hold()
        waiting.close()  # the screen goes: the collector is never left off
        assert gc.isenabled()
