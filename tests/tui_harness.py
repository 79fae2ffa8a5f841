"""A small host app for the review, summary, help and palette tests.

It stands in for the interview screen (same attribute and action names as the real one: `interview`,
`action_review`, `action_jump_to`) over a real Interview and a real Store, so these screens are
tested without depending on the app shell.
"""

from __future__ import annotations

import asyncio
import functools
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import yaml
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Footer, Header, Static

from marac_tui.engine.headless import run_answers
from marac_tui.engine.interview import Interview
from marac_tui.flow.loader import load_named
from marac_tui.store import Store
from marac_tui.tui.commands import MaracCommands
from marac_tui.tui.screens.help import HelpScreen
from marac_tui.tui.screens.review import ReviewScreen
from marac_tui.tui.themes import apply_saved_theme, remember_theme_changes

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "police-answers.yaml"
SCREENS_TCSS = ROOT / "marac_tui" / "tui" / "screens.tcss"


def example_answers() -> dict[str, Any]:
    """The example answers, each action given a fixed id (a new action's id is random) so screens that
    show ids are the same every run."""
    answers = yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))
    for n, person in enumerate(answers.get("perpetrators", [])):
        for m, action in enumerate(person.get("actions") or []):
            if isinstance(action, dict):
                action.setdefault("id", f"{n:04x}{m:04x}")
    return answers


def interview_for(store: Store, answers: dict[str, Any] | None = None) -> Interview:
    """An interview over the police flow, fed `answers` (default: the example), autosaving to `store`."""
    def autosave(interview: Interview, changes: list) -> None:
        store.save(interview.submission, changes)

    interview = Interview(load_named("police"), prefill=False, on_change=autosave)
    run_answers(interview, example_answers() if answers is None else answers, lambda message: None)
    store.save(interview.submission)
    return interview


class StandInInterviewScreen(Screen[None]):
    """Where the review returns to; records the jumps it was asked to make."""

    def __init__(self, interview: Interview) -> None:
        super().__init__()
        self.interview = interview
        self.jumps: list[tuple[str, int | None]] = []

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(Content(f"Interview at {self.interview.state}"), id="where")
        yield Footer()

    def action_review(self) -> None:
        self.app.push_screen(ReviewScreen(self.interview, self.app.store), self.reviewed)

    def reviewed(self, key: tuple[str, int | None] | None) -> None:
        if key is not None:
            self.action_jump_to(*key)

    def action_jump_to(self, item_id: str, perpetrator: int | None = None) -> None:
        self.interview.jump(item_id, perpetrator or 0)
        self.jumps.append((item_id, perpetrator))
        self.query_one("#where", Static).update(Content(f"Interview at {self.interview.state}"))

    def action_skip(self) -> None:
        self.interview.skip()


class HostApp(App[None]):
    """Like the real app: same stylesheet for these screens, same palette, `?` for help, themes."""

    CSS_PATH = [SCREENS_TCSS]
    COMMANDS = App.COMMANDS | {MaracCommands}
    BINDINGS = [Binding("question_mark,f1", "help", "Help")]

    def __init__(self, interview: Interview, store: Store, open_review: bool = True) -> None:
        super().__init__()
        self.interview = interview
        self.store = store
        self.open_review = open_review
        apply_saved_theme(self)

    def on_mount(self) -> None:
        remember_theme_changes(self)
        screen = StandInInterviewScreen(self.interview)
        self.push_screen(screen)
        if self.open_review:
            screen.action_review()

    def action_help(self) -> None:
        self.push_screen(HelpScreen())


def run_async(test: Callable[..., Awaitable[None]]) -> Callable[..., None]:
    """Run an async Pilot test without a pytest async plugin (fixtures still injected)."""

    @functools.wraps(test)
    def run(*args: Any, **kwargs: Any) -> None:
        asyncio.run(test(*args, **kwargs))

    return run


async def until(pilot: Any, predicate: Callable[[], bool], timeout: float = 15.0) -> None:
    """Let the app run until `predicate()` holds (workers finish at their own pace on a busy machine)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not predicate():
        if loop.time() > deadline:
            raise AssertionError("timed out waiting for the app")
        await pilot.pause(0.05)


def resume_at(store: Store, interview: Interview, item_id: str, perpetrator: int = 0) -> str:
    """Leave the draft part-way (at `item_id`), as if the user had stopped there; returns its id."""
    interview.jump(item_id, perpetrator)
    store.save(interview.submission)
    return str(interview.submission.id)
