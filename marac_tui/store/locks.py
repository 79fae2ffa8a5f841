"""One writer per submission, across processes and windows.

`<id>.lock` is a `filelock` lock (flock: the kernel frees it when the holder dies). Beside it,
`<id>.owner` says who holds it — pid, host, user, when, and the process start time so a reused pid
is not mistaken for the holder. An owner file whose process is gone is a stale lock: it is taken
over on the next acquire and reported by `doctor`.
"""

from __future__ import annotations

import getpass
import json
import os
import socket
from dataclasses import asdict, dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING

from marac_tui.store.errors import SubmissionLocked
from marac_tui.store.files import FILE_MODE, atomic_write

if TYPE_CHECKING:  # filelock is imported when a lock is taken
    from filelock import BaseFileLock


def _start_time(pid: int) -> str | None:
    """The kernel's start time of a process (Linux), to tell a reused pid from the holder."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return stat.rsplit(")", 1)[-1].split()[19]


@dataclass(frozen=True)
class LockInfo:
    """Who holds a submission open for editing."""

    pid: int
    host: str
    user: str
    since: str
    started: str | None = None

    @classmethod
    def mine(cls) -> LockInfo:
        try:
            user = getpass.getuser()
        except Exception:  # noqa: BLE001 - no user name is not a reason to refuse editing
            user = "unknown"
        since = datetime.now(timezone.utc).isoformat(timespec="seconds")
        return cls(os.getpid(), socket.gethostname(), user, since, _start_time(os.getpid()))

    @classmethod
    def read(cls, path: Path) -> LockInfo | None:
        try:
            return cls(**json.loads(path.read_text(encoding="utf-8")))
        except (OSError, ValueError, TypeError):
            return None

    def alive(self) -> bool:
        """False only when we can tell the holder has gone (same host, process gone or pid reused)."""
        if self.host != socket.gethostname():
            return True
        try:
            os.kill(self.pid, 0)
        except ProcessLookupError:
            return False
        except PermissionError:
            return True
        return self.started is None or _start_time(self.pid) in (None, self.started)

    def describe(self) -> str:
        when = self.since[:16].replace("T", " ")
        return f"{self.user} (process {self.pid} on {self.host}, since {when} UTC)"


class EditLock:
    """The right to write one submission; a context manager. `took_over` names a stale holder."""

    def __init__(self, submission_id: str, folder: Path, announce: bool = True) -> None:
        self.submission_id = submission_id
        self.lock_path = folder / f"{submission_id}.lock"
        self.owner_path = folder / f"{submission_id}.owner"
        self.announce = announce
        self.took_over: LockInfo | None = None
        self._lock: BaseFileLock | None = None

    @property
    def held(self) -> bool:
        return self._lock is not None

    def acquire(self) -> EditLock:
        from filelock import FileLock, Timeout

        lock = FileLock(self.lock_path, timeout=0, mode=FILE_MODE, thread_local=False)
        try:
            lock.acquire()
        except Timeout:
            holder = LockInfo.read(self.owner_path)
            raise SubmissionLocked(
                self.submission_id, holder.describe() if holder else "another process or window"
            ) from None
        self._lock = lock
        previous = LockInfo.read(self.owner_path)
        if previous is not None and previous.pid != os.getpid():
            self.took_over = previous
        if self.announce:
            atomic_write(self.owner_path, json.dumps(asdict(LockInfo.mine())).encode())
        return self

    def release(self) -> None:
        if self._lock is None:
            return
        if self.announce:
            self.owner_path.unlink(missing_ok=True)
        self._lock.release()
        self._lock = None

    def __enter__(self) -> EditLock:
        return self if self.held else self.acquire()

    def __exit__(self, *exc: object) -> None:
        self.release()


def holder(submission_id: str, folder: Path) -> LockInfo | None:
    """Who is editing a submission right now, or None (a stale owner file counts as nobody)."""
    info = LockInfo.read(folder / f"{submission_id}.owner")
    if info is None or not info.alive():
        return None
    probe = EditLock(submission_id, folder, announce=False)
    try:
        probe.acquire()
    except SubmissionLocked:
        return info
    probe.release()
    return None
