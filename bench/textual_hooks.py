"""The only place that touches Textual's private API: the hooks the benchmarks time frames with.

A benchmark needs to know when a frame is handed to the terminal, and to send a key the way a
terminal does. Textual has no public API for either, so these wrap three private names:

- `App._display(screen, update)`: called with each frame (a compositor update) for the driver;
- `App._batch_count`: non-zero while updates are batched (a frame composed then is not shown);
- `App._driver.send_message(message)`: how a driver hands the app a key from the terminal.

`check(app)` verifies all three before any timing starts and `HookMissing` names the one that
changed, so a new Textual release makes the bench fail at once, saying what to update, instead of
timing something else. Headless, Textual composes each frame but skips turning it into terminal
output; `FrameWatch` does that step too (`render_segments`), so the cost a real terminal pays is
in the figure.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from textual import events
from textual.app import App

HOOKS = "App._display(screen, renderable), App._batch_count, App._driver.send_message(message)"


class HookMissing(RuntimeError):
    """Textual changed one of the private names the benchmarks rely on."""

    def __init__(self, hook: str, found: str) -> None:
        import textual

        super().__init__(
            f"bench: Textual {textual.__version__} changed {hook} ({found}); "
            f"update bench/textual_hooks.py (it relies on {HOOKS})"
        )


def check(app: App[Any], *, driver: bool = True) -> None:
    """Fail loudly, naming the hook, if a private name the benchmarks use is not as expected
    (`driver`: the app is running, so its driver is there to check too)."""
    display = getattr(type(app), "_display", None)
    if not callable(display):
        raise HookMissing("App._display", "no such method")
    params = list(inspect.signature(display).parameters)
    if params[:3] != ["self", "screen", "renderable"]:
        raise HookMissing("App._display", f"parameters are {params}")
    if not isinstance(getattr(app, "_batch_count", None), int):
        raise HookMissing("App._batch_count", "not an int attribute")
    if not driver:
        return
    running = getattr(app, "_driver", None)
    if running is None or not callable(getattr(running, "send_message", None)):
        raise HookMissing("App._driver.send_message", "no driver, or it has no send_message")


@contextmanager
def frames(app: App[Any], shown: Callable[[], None]) -> Iterator[None]:
    """Call `shown()` after each frame handed to the terminal, for as long as the block runs (it may
    start before the app runs)."""
    check(app, driver=False)
    display = app._display

    def display_and_watch(screen: Any, renderable: Any) -> None:
        display(screen, renderable)
        if renderable is not None and not app._batch_count:
            if app.is_headless and hasattr(renderable, "render_segments"):
                renderable.render_segments(app.console)  # what the driver would write
            shown()

    app._display = display_and_watch  # type: ignore[method-assign]
    try:
        yield
    finally:
        del app._display


def send_key(app: App[Any], key: str) -> None:
    """Hand the app a key as its driver does when the terminal sends one."""
    check(app)
    event = events.Key(key, " " if key == "space" else key if len(key) == 1 else None)
    event.set_sender(app)
    app._driver.send_message(event)  # type: ignore[union-attr]
