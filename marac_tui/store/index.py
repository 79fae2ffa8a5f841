"""The list index: a snapshot of summary rows plus an append-only log of changed rows.

An autosave appends one line (its new summary row) to `index.log` — constant cost whatever the
store holds. Reading replays the log over `index.db`. When the log grows past COMPACT_BYTES it is
folded into a new snapshot (atomic write) and emptied; replaying is idempotent, so a crash between
the two steps loses nothing. Appends and compaction hold `index.lock`, so no line is lost.

Each fold also writes `index.head`: the snapshot's HEAD_ROWS newest rows, naming the snapshot they
were taken from. The head and the log together give the newest rows (the home screen's first page)
without reading the whole snapshot, whatever the store holds (`newest`).
"""

from __future__ import annotations

import heapq
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from marac_tui.store.crypto import Sealer
from marac_tui.store.errors import CorruptFile, StoreError
from marac_tui.store.files import (
    FILE_MODE,
    TMP_SUFFIX,
    append_durably,
    atomic_write,
    decode,
    encode,
    encode_line,
    read_lines,
)

COMPACT_BYTES = 1 << 20
LOCK_TIMEOUT = 10.0  # seconds; a fold takes ~30 ms at 10,000 submissions
HEAD_ROWS = 256  # rows kept in index.head: more than the tallest terminal shows at once
_AAD = b"index"
_HEAD_AAD = b"index-head"


class Index:
    """`newest_first` gives a row's sort key from its id and row, newest largest (the head keeps the
    largest); no two rows have the same key."""

    def __init__(self, root: Path, sealer: Sealer | None, newest_first: Callable[[str, list[Any]], Any]) -> None:
        self.snapshot = root / "index.db"
        self.log = root / "index.log"
        self.head = root / "index.head"
        self.lock_path = root / "index.lock"
        self.sealer = sealer
        self.order = newest_first

    @contextmanager
    def _lock(self) -> Iterator[None]:
        """Hold `index.lock`; a holder that keeps it past LOCK_TIMEOUT is a one-line StoreError."""
        from filelock import FileLock, Timeout

        lock = FileLock(self.lock_path, mode=FILE_MODE, thread_local=False, timeout=LOCK_TIMEOUT)
        try:
            lock.acquire()
        except Timeout:
            raise StoreError(
                f"{self.lock_path}: held by another process for more than {LOCK_TIMEOUT:g} s "
                "(a hung marac-tui?); try again once it has finished"
            ) from None
        try:
            yield
        finally:
            lock.release()

    def put(self, submission_id: str, row: list[Any], version: int | None = None) -> None:
        """Append a submission's new row, with the version of the file it describes."""
        self._append({"id": submission_id, "row": row, "v": version})

    def drop(self, ids: list[str]) -> None:
        """Fold the index without these submissions: no line or snapshot holding their rows is left."""
        with self._lock():
            rows, versions = self._read()
            for sid in ids:
                rows.pop(sid, None)
                versions.pop(sid, None)
            self._write(rows, versions)

    def _append(self, entry: dict[str, Any]) -> None:
        with self._lock():
            size = append_durably(self.log, encode_line(entry, self.sealer, _AAD))
            if size > COMPACT_BYTES:
                self._write(*self._read())

    def rows(self) -> dict[str, list[Any]]:
        """Summary rows by submission id (a damaged snapshot raises CorruptFile)."""
        return self._read()[0]

    def versions(self) -> dict[str, int]:
        """The version of the file each row was made from, by submission id (rows from before versions have none)."""
        return self._read()[1]

    def _read(self) -> tuple[dict[str, list[Any]], dict[str, int]]:
        rows: dict[str, list[Any]] = {}
        versions: dict[str, int] = {}
        try:
            raw = self.snapshot.read_bytes()
        except FileNotFoundError:
            pass
        else:
            data = decode(raw, self.sealer, _AAD, self.snapshot)
            if not isinstance(data, dict) or not isinstance(data.get("rows"), dict):
                raise CorruptFile(self.snapshot, "not an index snapshot")
            rows = data["rows"]
            stored = data.get("versions")
            versions = stored if isinstance(stored, dict) else {}
        self._replay(rows, versions)
        return rows, versions

    def _replay(self, rows: dict[str, list[Any]], versions: dict[str, int]) -> None:
        """Apply the log to `rows` and `versions`, in place."""
        entries, _ = read_lines(self.log, self.sealer, _AAD)
        for entry in entries:
            if not isinstance(entry, dict):
                continue
            if "row" in entry:
                rows[entry["id"]] = entry["row"]
                if type(entry.get("v")) is int:
                    versions[entry["id"]] = entry["v"]
            elif "deleted" in entry:  # from before deletions folded the index
                rows.pop(entry["deleted"], None)
                versions.pop(entry["deleted"], None)

    def newest(self) -> dict[str, list[Any]] | None:
        """The rows newer than every row the head left out, by submission id, read from the head and
        the log only; None when no head describes the snapshot (a fold by an earlier version, or one
        cut short). A damaged head raises CorruptFile.

        Every row the head leaves out is a snapshot row no newer than the head's oldest (its floor),
        so the rows above the floor, once the log is replayed over the head, are exactly the store's
        newest rows, in the same order.
        """
        try:
            snapshot = os.stat(self.snapshot)
        except FileNotFoundError:
            snapshot = None
        try:
            raw = self.head.read_bytes()
        except FileNotFoundError:
            if snapshot is not None:
                return None
            rows: dict[str, list[Any]] = {}  # never folded: the log holds every row
            floor = None
        else:
            head = decode(raw, self.sealer, _HEAD_AAD, self.head)
            if not isinstance(head, dict) or not isinstance(head.get("rows"), list) or type(head.get("count")) is not int:
                raise CorruptFile(self.head, "not an index head")
            if snapshot is None or head.get("of") != _identity(snapshot):
                return None
            try:
                rows = {sid: row for sid, row in head["rows"] if isinstance(sid, str) and isinstance(row, list)}
            except (TypeError, ValueError):
                raise CorruptFile(self.head, "not an index head") from None
            floor = min(map(self.order, rows, rows.values())) if head["count"] > len(rows) else None
        self._replay(rows, {})
        if floor is None:
            return rows
        return {sid: row for sid, row in rows.items() if self.order(sid, row) > floor}

    def log_problems(self) -> list[int]:
        return read_lines(self.log, self.sealer, _AAD)[1]

    def rebuild(self, rows: dict[str, list[Any]], versions: dict[str, int] | None = None) -> None:
        """Replace the whole index by `rows` (doctor --repair, init)."""
        with self._lock():
            self._write(rows, versions or {})

    def _write(self, rows: dict[str, list[Any]], versions: dict[str, int]) -> None:
        """A new snapshot and its head, then an empty log (a kill between them only replays rows already
        folded). The old head goes first: a kill before the new one leaves no head (so `newest` says
        None), never one that still holds the rows of deleted submissions.

        No backup of the snapshot is kept: the index is rebuilt from the files when damaged, and an
        old copy would keep the rows of deleted submissions. For the same reason the temporary copies
        a kill in an earlier fold left behind go too: they are only ever written under `index.lock`,
        which this process holds, so none of them is a write in progress.
        """
        self.head.unlink(missing_ok=True)
        atomic_write(self.snapshot, encode({"rows": rows, "versions": versions}, self.sealer, _AAD))
        newest = heapq.nlargest(HEAD_ROWS, rows.items(), key=lambda pair: self.order(*pair))
        head = {"of": _identity(os.stat(self.snapshot)), "count": len(rows), "rows": newest}
        atomic_write(self.head, encode(head, self.sealer, _HEAD_AAD))
        atomic_write(self.log, b"")
        self.snapshot.with_name("index.db.bak").unlink(missing_ok=True)  # kept by earlier versions
        for name in (self.snapshot.name, self.head.name, self.log.name):
            for leftover in self.snapshot.parent.glob(f".{name}.*{TMP_SUFFIX}"):
                leftover.unlink(missing_ok=True)


def _identity(snapshot: os.stat_result) -> list[int]:
    """Which snapshot file this is: every write makes a new file (a new inode, written at a new time)."""
    return [snapshot.st_ino, snapshot.st_size, snapshot.st_mtime_ns]
