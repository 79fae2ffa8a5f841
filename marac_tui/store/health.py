"""`marac-tui doctor`: find what is wrong with a store and, when asked, put it right.

Checks permissions, damaged submission files, damaged audit lines, stale edit locks, leftover
temporary files and an index out of step with the files. Repair never deletes data: a damaged file
is moved aside (`<name>.damaged-<time>`) before its last good copy (backups/) is put back.
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any

from marac_tui.store import audit
from marac_tui.store.errors import CorruptFile
from marac_tui.store.files import DIR_MODE, FILE_MODE, TMP_SUFFIX, atomic_write, decode
from marac_tui.store.locks import LockInfo

if TYPE_CHECKING:
    from marac_tui.store.store import Store


@dataclass
class Finding:
    kind: str  # permissions, corrupt, audit, stale-lock, leftover, index
    path: Path
    message: str
    repaired: bool = False

    def describe(self) -> str:
        return f"{'repaired' if self.repaired else 'problem'}: {self.message}"


def permission_problems(store: Store, deep: bool = False) -> list[Finding]:
    found = []
    folders = [p for p in store.folders() if p.is_dir()]
    files = [p for p in store.root.iterdir() if p.is_file()] if store.root.is_dir() else []
    if deep:
        files += [p for folder in folders[1:] for p in folder.iterdir() if p.is_file()]
    for path, wanted in [*((f, DIR_MODE) for f in folders), *((f, FILE_MODE) for f in files)]:
        try:
            mode = stat.S_IMODE(path.stat().st_mode)
        except FileNotFoundError:
            continue
        if mode & ~wanted:
            kind = "folder" if wanted == DIR_MODE else "file"
            found.append(
                Finding("permissions", path, f"{path}: {kind} is {mode:04o}, others can read it (want {wanted:04o})")
            )
    return found


def _stamp() -> str:
    return datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S")


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def check(store: Store, repair: bool = False) -> list[Finding]:
    """Every problem found; with `repair`, fixed where it can be, each marked `repaired`."""
    findings = permission_problems(store, deep=True)
    if repair:
        for f in findings:
            os.chmod(f.path, DIR_MODE if f.path.is_dir() else FILE_MODE)
            f.repaired = True
    findings += _leftovers(store, repair)
    ids = store.ids()
    good: dict[str, list[Any]] = {}
    for sid in ids:
        findings += _check_submission(store, sid, repair, good)
        findings += _check_audit(store, sid, repair)
    if store.locks_dir.is_dir():
        for owner in store.locks_dir.glob("*.owner"):
            findings += _check_owner(owner, repair)
    findings += _check_index(store, good, len(ids), repair)
    return findings


def _leftovers(store: Store, repair: bool) -> list[Finding]:
    found = []
    for folder in store.folders():
        if not folder.is_dir():
            continue
        for path in folder.glob(f".*{TMP_SUFFIX}"):
            try:
                pid = int(path.name.rsplit(".", 3)[-3])
            except (ValueError, IndexError):
                pid = -1
            if pid > 0 and pid != os.getpid() and _pid_alive(pid):
                continue  # a write in progress elsewhere
            finding = Finding("leftover", path, f"{path}: temporary file left by an interrupted save")
            if repair:
                path.unlink(missing_ok=True)
                finding.repaired = True
            found.append(finding)
    return found


def _check_submission(store: Store, sid: str, repair: bool, good: dict[str, list[Any]]) -> list[Finding]:
    path = store.path(sid)
    try:
        good[sid] = store.index_row(sid, store._read(sid))
        return []
    except CorruptFile as exc:
        finding = Finding("corrupt", path, str(exc).split(";")[0])
    backup = store.path(sid, "backup")
    restorable = _backup_readable(store, sid, backup)
    if not restorable:
        finding.message += " - and no readable last good copy"
        return [finding]
    finding.message += " - a last good copy is kept"
    if repair:
        os.replace(path, path.with_name(f"{path.name}.damaged-{_stamp()}"))
        atomic_write(path, backup.read_bytes())
        good[sid] = store.index_row(sid, store._read(sid))
        finding.message += "; restored it (the damaged file is kept beside it as .damaged-*)"
        finding.repaired = True
    return [finding]


def _backup_readable(store: Store, sid: str, backup: Path) -> bool:
    from marac_tui.submission import Submission

    try:
        data = decode(backup.read_bytes(), store.sealer, f"submission:{sid}".encode(), backup)
        Submission.model_validate(data["submission"]["1"]["data"])
    except (OSError, CorruptFile, KeyError, TypeError, ValueError):
        return False
    return True


def _check_audit(store: Store, sid: str, repair: bool) -> list[Finding]:
    path = store.path(sid, "audit")
    aad = f"audit:{sid}".encode()
    entries, bad = audit.read(path, store.sealer, aad)
    if not bad:
        return []
    finding = Finding("audit", path, f"{path}: {len(bad)} unreadable audit line(s), e.g. a save cut short")
    if repair:
        os.replace(path, path.with_name(f"{path.name}.damaged-{_stamp()}"))
        audit.append(path, entries, store.sealer, aad)
        finding.message += "; kept the readable entries (the original is kept as .damaged-*)"
        finding.repaired = True
    return [finding]


def _check_owner(path: Path, repair: bool) -> list[Finding]:
    info = LockInfo.read(path)
    if not path.exists() or (info is not None and info.alive()):
        return []
    who = info.describe() if info else "an unreadable owner file"
    finding = Finding("stale-lock", path, f"{path}: stale edit lock from {who}, which is no longer running")
    if repair:
        path.unlink(missing_ok=True)
        finding.repaired = True
    return [finding]


def _check_index(store: Store, good: dict[str, list[Any]], count: int, repair: bool) -> list[Finding]:
    problem = None
    try:
        rows = store.index.rows()
    except CorruptFile as exc:
        problem, rows = str(exc).split(";")[0], {}
    if problem is None:
        stale = {sid for sid, row in good.items() if rows.get(sid) != row}
        extra = set(rows) - set(store.ids())
        bad_lines = store.index.log_problems()
        if stale or extra or bad_lines:
            problem = (
                f"{store.index.snapshot}: index out of step with the files "
                f"({len(stale)} stale or missing row(s), {len(extra)} row(s) without a file, "
                f"{len(bad_lines)} unreadable log line(s))"
            )
    if problem is None:
        return []
    finding = Finding("index", store.index.snapshot, problem)
    if repair:
        store.index.rebuild(good)
        finding.message += f"; rebuilt it from the {len(good)} readable submission(s) of {count}"
        finding.repaired = True
    return [finding]
