"""Leaving the interview: it will not close while an answer is unsaved (README: "will not leave while
unsaved"), and closes once the save goes through, with nothing lost."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from marac_tui.store import Store
from marac_tui.tui.app import build_app
from marac_tui.tui.screens.home import HomeScreen
from marac_tui.tui.screens.interview import InterviewScreen
from tests.tui_app_support import SIZE, draft_at, notifications, open_draft, run_async, settle, type_text


class FullDisk(Store):
    """A store whose disk is full while `full` is set."""

    full = False

    def save(self, submission: Any, changes: Any = (), actor: str | None = None) -> None:
        if self.full:
            raise OSError(28, "No space left on device")
        super().save(submission, changes, actor)


@run_async
async def test_a_failed_final_save_keeps_the_interview_open_until_it_is_saved(data_dir: Path) -> None:
    draft = draft_at(data_dir, "representative")
    store = FullDisk(data_dir)
    app = build_app(store, cursor_blink=False)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        screen = await open_draft(pilot, draft)
        store.full = True
        await type_text(pilot, "DC Ottilie Brambleworth")
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("escape")  # leave: the last answer is still unsaved
        await settle(pilot)
        assert app.screen is screen and isinstance(screen, InterviewScreen)
        assert any("Stay on this screen" in text for text in notifications(app))
        assert Store(data_dir).load(str(draft.id)).answers.get("representative") is None  # not on disk yet
        assert screen.interview.answer_of("representative", None).value == "DC Ottilie Brambleworth"  # kept here
        assert Store(data_dir).holder(str(draft.id)) is not None  # still holding the draft
        store.full = False
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
    stored = Store(data_dir).load(str(draft.id))
    assert stored.answers["representative"].value == "DC Ottilie Brambleworth"
    assert Store(data_dir).holder(str(draft.id)) is None  # and the lock was let go
