"""Keys typed ahead of the next question wait for its input instead of reaching the last one's.

Between an answer and the next question's input taking focus, a key from the terminal would go to
whatever is focused: the input just answered, now hidden, which drops it (or a list that takes it
as a move). An app built on `TypeAheadApp` holds the terminal's keys while a screen says so
(`hold_keys`) and hands them on, in the order typed, once the new input has focus
(`release_keys`). No key waits long: a key that arrives once a hold is older than `MAX_HOLD`
seconds hands on everything held, itself last.
"""

from __future__ import annotations

import time
from typing import Any

from textual import events
from textual.app import App

MAX_HOLD = 0.5  # seconds: past this a held key is handed on whatever the screen is doing


class TypeAheadApp(App[Any]):
    """An App whose keys can be held for a moment (see the module docstring)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._held: list[events.Key] | None = None
        self._held_since = 0.0

    def hold_keys(self) -> None:
        """Keep the terminal's keys from now on until `release_keys`."""
        if self._held is None:
            self._held = []
            self._held_since = time.monotonic()

    def release_keys(self) -> None:
        """Hand the held keys on, in order, to whatever has focus once they are processed."""
        held, self._held = self._held, None
        for key in held or ():
            again = events.Key(key.key, key.character)
            again.set_sender(self)
            self.post_message(again)

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, events.Key) and not event.is_forwarded and self._held is not None:
            self._held.append(event)
            if time.monotonic() - self._held_since > MAX_HOLD:
                self.release_keys()  # held too long: nothing typed is kept back any more
            return
        await super().on_event(event)


def hold_keys(app: App[Any]) -> None:
    """Hold `app`'s keys, if it can."""
    if isinstance(app, TypeAheadApp):
        app.hold_keys()


def release_keys(app: App[Any]) -> None:
    """Release `app`'s held keys, if it holds any."""
    if isinstance(app, TypeAheadApp):
        app.release_keys()
