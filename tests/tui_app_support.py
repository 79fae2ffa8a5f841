"""Helpers for the app tests: a store in the test's data dir, drafts stopped at a chosen item,
and readers for what the user sees on the interview screen. All names are fictional.
"""

from __future__ import annotations

import asyncio
import functools
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from textual.pilot import Pilot
from textual.widget import Widget
from textual.widgets import Input

from marac_tui.engine.interview import Interview
from marac_tui.flow.loader import load_named
from marac_tui.store import Store
from marac_tui.submission import Submission
from marac_tui.tui.app import MaracApp, build_app
from marac_tui.tui.widgets.literal import literal

SIZE = (120, 40)

CASE = {
    "case_ref": "MC-2026-0917",
    "marac_date": "2026-12-10",
    "representative": "DC Ottilie Brambleworth",
    "agency": "Eastmere Police",
    "more_than_one": "no",
    "full_name": "Corvin Ashdale",
}


def run_async(test: Callable[..., Awaitable[None]]) -> Callable[..., None]:
    """Run an async Pilot test without an async pytest plugin (fixtures are still injected)."""

    @functools.wraps(test)
    def run(*args: Any, **kwargs: Any) -> None:
        asyncio.run(test(*args, **kwargs))

    return run


def make_app(data_dir: Path) -> MaracApp:
    return build_app(Store(data_dir), cursor_blink=False)


def draft_at(data_dir: Path, stop_at: str, answers: dict[str, Any] | None = None, flow: str = "police") -> Submission:
    """A saved draft: `answers` (default: the case details) given in order, the rest skipped, up to `stop_at`."""
    given = {**CASE, **(answers or {})}
    interview = Interview(load_named(flow))
    while not interview.done and interview.state != stop_at:
        raw = given.get(interview.state)
        if raw is None:
            interview.skip()
        else:
            interview.answer(raw)
    assert interview.state == stop_at, f"never reached {stop_at}"
    Store(data_dir).save(interview.submission)
    return interview.submission


async def open_draft(pilot: Pilot, submission: Submission) -> Any:
    """Open a saved draft from the home screen, as a user would (it is the newest row)."""
    app = pilot.app
    await pilot.pause()
    app.open_submission(str(submission.id))
    await pilot.pause()
    return app.screen


async def settle(pilot: Pilot) -> None:
    """Let messages, mounts and the autosave worker finish."""
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def type_text(pilot: Pilot, text: str) -> None:
    await pilot.press(*[{" ": "space"}.get(c, c) for c in text])


def transcript_text(screen: Any) -> str:
    """The transcript as plain text: prompts as the flow wrote them, answers, provenance and notes as shown."""
    from marac_tui.tui.widgets.transcript import Transcript

    lines = []
    for message in screen.query_one(Transcript).messages:
        lines.append(message.shown)
        if message.meta:
            lines.append(literal(message.meta, 400).plain)
    return "\n".join(lines)


def user_bubbles(screen: Any) -> list[str]:
    """The answers in the transcript, as shown."""
    from marac_tui.tui.widgets.transcript import Transcript

    return [m.shown for m in screen.query_one(Transcript).messages if m.role == "user"]


def drawn_transcript(screen: Any) -> str:
    """Every line the transcript draws (including those scrolled out of view), as plain text."""
    from marac_tui.tui.widgets.transcript import Transcript

    return "\n".join(screen.query_one(Transcript).rendered())


def visible_transcript(screen: Any) -> str:
    """The transcript lines in view (what the user can read without scrolling)."""
    from marac_tui.tui.widgets.transcript import Transcript

    transcript = screen.query_one(Transcript)
    top, height = transcript.scroll_offset.y, transcript.scrollable_content_region.height
    return "\n".join(transcript.rendered()[top : top + height])


def answer_box(screen: Any, kind: type[Widget] = Input) -> Any:
    """The control the current question is answered in (the one the user sees)."""
    return screen.answer_input.query_one("#answer-input", kind)


def chips_text(screen: Any) -> str:
    """The provenance chips as shown (status, source, date checked, fact/opinion, shared/withheld)."""
    from marac_tui.tui.widgets.provenance import ChipLine

    return screen.query_one(ChipLine).plain


def error_text(screen: Any) -> str:
    from textual.widgets import Static

    shown = [w for w in screen.query(".answer-error.shown")]
    return " ".join(w.content.plain for w in shown if isinstance(w, Static))


def notifications(app: Any) -> list[str]:
    """The notifications on screen, as the user reads them (title and message of each toast; the
    app must run with `run_test(notifications=True)`)."""
    return [str(toast.render()) for toast in app.screen.query("Toast")]
