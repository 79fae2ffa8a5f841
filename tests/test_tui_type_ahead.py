"""Keys typed while the next question is being drawn: the next question's input takes focus once its
prompt is painted (marac_tui/tui/after_paint.py), and a key typed before that waits and then reaches
that input (marac_tui/tui/type_ahead.py), whatever kind of input the question has. Keys go through
the app's key handling as a terminal's do; at 80×24 and 120×40."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path
from typing import Any

import pytest
from textual import events
from textual.widgets import Input

from marac_tui.store import Store
from marac_tui.tui.type_ahead import MAX_HOLD
from tests.tui_app_support import answer_box, draft_at, make_app, open_draft, run_async, settle

SIZES = [(80, 24), (120, 40)]


def _send(app: Any, keys: list[str]) -> None:
    """Keys as the terminal driver hands them to the app, without waiting for any to be handled."""
    for key in keys:
        key = "space" if key == " " else key
        event = events.Key(key, " " if key == "space" else key if len(key) == 1 else None)
        event.set_sender(app)
        app.post_message(event)


async def _answer_then_type(pilot: Any, answer: list[str], ahead: list[str]) -> bool:
    """Send `answer`; as soon as it is taken (the interview has moved on), send `ahead`, before the
    next prompt is painted. True if focus was still on the answered input when `ahead` was sent."""
    app = pilot.app
    interview = app.screen.interview
    asked, before = interview.state, app.focused
    _send(app, answer)
    deadline = time.monotonic() + 5
    while interview.state == asked and time.monotonic() < deadline:
        await asyncio.sleep(0)
    assert interview.state != asked, "the answer was not taken"
    early = app.focused is before
    _send(app, ahead)
    await settle(pilot)
    return early


@pytest.mark.parametrize("size", SIZES)
@run_async
async def test_text_typed_before_the_next_prompt_is_painted_lands_in_its_input(data_dir: Path,
                                                                               size: tuple[int, int]) -> None:  # fmt: skip
    draft = draft_at(data_dir, "sharing_basis")
    app = make_app(data_dir)
    async with app.run_test(size=size) as pilot:
        screen = await open_draft(pilot, draft)
        await settle(pilot)
        # a choice (4: Other) and then, straight away, the text of the next question (a text input)
        early = await _answer_then_type(pilot, ["4"], list("Chair agreed"))
        assert early  # the keys really were typed while the answered list still had the focus
        assert screen.interview.state == "sharing_basis_details"
        box = answer_box(screen, Input)
        assert box.value == "Chair agreed" and app.focused is box
        await pilot.press("enter")
        await settle(pilot)
        assert screen.interview.answer_of("sharing_basis", None).value == "other"
        assert screen.interview.answer_of("sharing_basis_details", None).value == "Chair agreed"
        # a choice answered by the key typed ahead after a text answer, then yes/no after yes/no
        await _answer_then_type(pilot, ["1"], ["ctrl+n"])  # High, then leave the checklist empty
        assert screen.interview.answer_of("dash_grade", None).value == "high"
        assert screen.interview.state == "previous_marac"
        await _answer_then_type(pilot, ["n"], ["y"])
        assert screen.interview.answer_of("previous_marac", None).value == "no"
        assert screen.interview.answer_of("dapo_pilot_area", None).value == "yes"
        assert screen.interview.state == "more_than_one"
        await settle(pilot)
        stored = Store(data_dir).load(str(draft.id))
        assert stored.answers["sharing_basis_details"].value == "Chair agreed"
        assert stored.answers["dapo_pilot_area"].value == "yes"


@run_async
async def test_a_hold_never_keeps_keys_back_for_long(data_dir: Path) -> None:
    draft = draft_at(data_dir, "sharing_basis_details", {"sharing_basis": "other"})
    app = make_app(data_dir)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_draft(pilot, draft)
        await settle(pilot)
        app.hold_keys()  # as if the next prompt never came
        _send(app, ["A"])
        await pilot.pause()
        assert answer_box(screen, Input).value == ""  # held
        await asyncio.sleep(MAX_HOLD + 0.1)
        _send(app, ["b"])  # a key after the longest hold: everything held goes on, in order
        await settle(pilot)
        assert answer_box(screen, Input).value == "Ab"
