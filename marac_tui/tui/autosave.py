"""Autosave off the UI thread: snapshots queue up and one worker at a time writes them, in order.

Saves are coalesced (the newest snapshot with every change since the last write) and never
reordered. A snapshot is the submission pickled in memory (a third of the time a deep copy takes,
and it is taken between an answer and the next prompt); the worker unpickles it to write it. A
failed write keeps its snapshot and changes queued and raises in the worker, so the screen shows
the failure; the next change (or `retry`) tries again. Nothing is dropped.
"""

from __future__ import annotations

import pickle
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from marac_tui.submission import Submission

if TYPE_CHECKING:
    from marac_tui.store import Store


class Autosaver:
    """Queue `store.save` calls; `start(fn)` must run `fn` in a thread (a Textual thread worker)."""

    def __init__(self, store: Store, start: Callable[[Callable[[], str]], None]) -> None:
        self.store = store
        self._start = start
        self._lock = threading.Lock()
        self._write_lock = threading.Lock()
        self._pending: tuple[bytes, list[Any]] | None = None
        self._running = False

    def queue(self, submission: Submission, changes: list[Any]) -> None:
        snapshot = pickle.dumps(submission, pickle.HIGHEST_PROTOCOL)
        with self._lock:
            earlier = self._pending[1] if self._pending else []
            self._pending = (snapshot, [*earlier, *changes])
        self.retry()

    def retry(self) -> None:
        with self._lock:
            if self._pending is None or self._running:
                return
            self._running = True
        self._start(self.drain)

    def drain(self) -> str:
        """Write until nothing is queued (runs in the worker thread); raises on a failed write."""
        try:
            while self._write_next():
                pass
            return "saved"
        finally:
            with self._lock:
                self._running = False

    def _write_next(self) -> bool:
        """Take the newest queued snapshot and write it; taking and writing are one step, so writes
        happen in the order they were queued whichever thread does them."""
        with self._write_lock:
            with self._lock:
                job, self._pending = self._pending, None
            if job is None:
                return False
            try:
                self.store.save(pickle.loads(job[0]), job[1])  # noqa: S301 - our own snapshot, in memory
            except BaseException:
                with self._lock:
                    newer = self._pending
                    self._pending = job if newer is None else (newer[0], [*job[1], *newer[1]])
                raise
            return True

    def flush(self) -> None:
        """Write anything still queued, here and now (leaving the screen, quitting); raises if it fails."""
        while self._write_next():
            pass
