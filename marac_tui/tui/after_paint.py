"""Work that waits for the frame showing the next prompt: the garbage collector, saving, searching.

An answer's step to the next prompt is what the user waits for; anything else it sets off runs once
that frame is painted. Python's cyclic collector runs whenever enough objects have been allocated,
wherever that happens: about one answer in ten met a full collection (100–250 ms on a busy two-core
machine) between its key and the next prompt, and most met a smaller one. Textual pauses the
collector for smooth scrolling (`App.PAUSE_GC_ON_SCROLL`); the interview pauses it for this step, and
the collection that fell due runs right after the frame. The autosave write and the 'same person'
search run in worker threads, whose Python work would share the GIL with that frame: they start
after it too (the answer is queued for saving before, as a snapshot).

Focus moves to the next question's input as that frame is handed over (the signal's immediate
subscribers run then, before the hidden input's own Hide would move the focus to a neighbour first):
Textual repaints the whole screen when focus moves, and that repaint would otherwise come before the
prompt (a third of an answer's time when the next question has another kind of input). Keys typed
in between wait and then go to the new input (`marac_tui/tui/type_ahead.py`).

"After the frame" is the screen's layout-refresh signal, which Textual publishes once a layout's
frame is written (`call_after_refresh` can run before the widgets' own refreshes reach the screen);
a step that moves nothing on screen gets no layout, so a timer runs the work after `FALLBACK` s.
"""

from __future__ import annotations

import gc
from collections.abc import Callable

from textual.screen import Screen
from textual.timer import Timer

from marac_tui.tui.type_ahead import hold_keys, release_keys

FALLBACK = 0.2  # seconds: the longest the work waits when no layout comes

_held = False  # True while the collector is paused by an AfterPaint


def _pause_collector() -> None:
    global _held
    if not _held and gc.isenabled():  # already off (a smooth scroll): whoever paused it resumes it
        gc.disable()
        _held = True


def _resume_collector() -> None:
    global _held
    if _held:
        _held = False
        gc.enable()


class AfterPaint:
    """A screen's queue of work for after its next painted layout (see the module docstring)."""

    def __init__(self, screen: Screen) -> None:
        self.screen = screen
        self._jobs: list[Callable[[], object]] = []
        self._focus: Callable[[], object] | None = None
        self._timer: Timer | None = None

    def subscribe(self) -> None:
        """Start listening for painted layouts (call once the screen is mounted)."""
        signal = self.screen.screen_layout_refresh_signal
        # the focus moves in the same step as the frame is handed over, before the hidden input's
        # own Hide would move it somewhere else first
        signal.subscribe(self.screen, lambda _screen: self._focus_now(), immediate=True)
        signal.subscribe(self.screen, lambda _screen: self.painted())
        self._timer = self.screen.set_interval(FALLBACK, self.painted, pause=True)

    def hold(self) -> None:
        """The next prompt is on its way: no garbage collection until its frame is painted, and the
        keys typed meanwhile wait for the input it brings."""
        _pause_collector()
        hold_keys(self.screen.app)
        self._arm()

    def later(self, job: Callable[[], object]) -> None:
        """Run `job` once the next frame is painted."""
        self._jobs.append(job)
        self._arm()

    def focus(self, focus: Callable[[], object]) -> None:
        """Run `focus` (which moves the focus) first once the next frame is painted; the app's keys
        wait until then."""
        hold_keys(self.screen.app)
        self._focus = focus
        self._arm()

    def _arm(self) -> None:
        if self._timer is None:  # not mounted yet: nothing is being painted
            self.painted()
            return
        self._timer.reset()
        self._timer.resume()

    def _focus_now(self) -> None:
        """Move the focus, if asked to, and hand on the keys typed meanwhile."""
        focus, self._focus = self._focus, None
        try:
            if focus is not None:
                focus()
        finally:
            release_keys(self.screen.app)  # they go through the app's queue: after the focus moved

    def painted(self) -> None:
        """The frame is on screen: the focus moves, the collector runs again, and what waited starts."""
        if self._timer is not None:
            self._timer.pause()
        self._focus_now()  # already done, unless no layout came (the fallback timer)
        _resume_collector()
        while self._jobs:  # one that fails leaves the rest queued for the next frame
            self._jobs.pop(0)()

    def close(self) -> None:
        """The screen is going: the collector runs again and queued work is dropped (the screen
        writes what is queued for saving itself, `InterviewScreen.close_out`)."""
        self._timer = None
        self._jobs.clear()
        self._focus = None
        release_keys(self.screen.app)
        _resume_collector()
