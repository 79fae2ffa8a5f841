"""The list index: a snapshot of summary rows plus an append-only log of changed rows.

An autosave appends one line (its new summary row) to `index.log` — constant cost whatever the
store holds. Reading replays the log over `index.db`. When the log grows past COMPACT_BYTES it is
folded into a new snapshot (atomic write) and emptied; replaying is idempotent, so a crash between
the two steps loses nothing. Appends and compaction hold `index.lock`, so no line is lost.
"""

from __future__ import annotations

from collections.abc import Iterator
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
_AAD = b"index"


class Index:
    def __init__(self, root: Path, sealer: Sealer | None) -> None:
        self.snapshot = root / "index.db"
        self.log = root / "index.log"
        self.lock_path = root / "index.lock"
        self.sealer = sealer

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
        return rows, versions

    def log_problems(self) -> list[int]:
        return read_lines(self.log, self.sealer, _AAD)[1]

    def rebuild(self, rows: dict[str, list[Any]], versions: dict[str, int] | None = None) -> None:
        """Replace the whole index by `rows` (doctor --repair, init)."""
        with self._lock():
            self._write(rows, versions or {})

    def _write(self, rows: dict[str, list[Any]], versions: dict[str, int]) -> None:
        """A new snapshot, then an empty log (a kill between them only replays rows already folded).

        No backup of the snapshot is kept: the index is rebuilt from the files when damaged, and an
        old copy would keep the rows of deleted submissions. For the same reason the temporary copies
        a kill in an earlier fold left behind go too: they are only ever written under `index.lock`,
        which this process holds, so none of them is a write in progress.
        """
        atomic_write(self.snapshot, encode({"rows": rows, "versions": versions}, self.sealer, _AAD))
        atomic_write(self.log, b"")
        self.snapshot.with_name("index.db.bak").unlink(missing_ok=True)  # kept by earlier versions
        for name in (self.snapshot.name, self.log.name):
            for leftover in self.snapshot.parent.glob(f".{name}.*{TMP_SUFFIX}"):
                leftover.unlink(missing_ok=True)
