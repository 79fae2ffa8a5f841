"""`marac-tui doctor`: find what is wrong with a store and, when asked, put it right.

Checks permissions, damaged submission files, damaged audit lines, rolled-back copies, interrupted
deletions, orphan files (an audit trail, a backup or a lock with no submission), stale edit locks,
leftover temporary files and an index out of step with the files. Repair never loses data: a
damaged file is first linked aside (`<name>.damaged-<time>`), then its last good copy replaces it in
one atomic rename, so the live name never goes missing; a backup with no data file is put back.
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any

from marac_tui.store import audit
from marac_tui.store.errors import CorruptFile, StoreError
from marac_tui.store.files import DIR_MODE, FILE_MODE, TMP_SUFFIX, atomic_write, decode, fsync_dir

if TYPE_CHECKING:
    from marac_tui.store.store import Store

DOCTOR = "marac-tui doctor"


@dataclass
class Finding:
    kind: str  # permissions, corrupt, audit, rollback, deleting, orphan, stale-lock, leftover, index
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
    return datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S%f")


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
    findings += _interrupted_deletions(store, repair)
    findings += _leftovers(store, repair)
    findings += _orphans(store, repair)
    ids = store.ids()
    good: dict[str, list[Any]] = {}
    versions: dict[str, int | None] = {}
    try:
        indexed = store.index.versions()
    except CorruptFile:
        indexed = {}  # reported (and rebuilt) by the index check
    for sid in ids:
        damaged = _check_submission(store, sid, repair, good, versions)
        findings += damaged + _check_audit(store, sid, repair)
        if not damaged:  # a damaged file put back from its last good copy is one version behind, rightly
            findings += _check_rollback(store, sid, repair, good, versions, indexed.get(sid))
    if store.locks_dir.is_dir():
        for owner in store.locks_dir.glob("*.owner"):
            findings += _check_owner(owner, repair)
    findings += _check_index(store, good, versions, len(ids), repair)
    return findings


def _interrupted_deletions(store: Store, repair: bool) -> list[Finding]:
    found = []
    for sid in store.deleting():
        finding = Finding("deleting", store.tombstone(sid), f"submission {sid}: a deletion was interrupted")
        if repair:
            store.finish_deleting([sid])
            finding.message += "; finished it (no file of it is left)"
            finding.repaired = True
        found.append(finding)
    return found


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


def _orphans(store: Store, repair: bool) -> list[Finding]:
    """Files of a submission whose data file is missing: a backup is put back; an audit trail of a
    first save that never completed, and a lock no one holds, are removed."""
    found = []
    live = set(store.ids())
    for kind in ("backup", "audit", "lock"):
        folder = store.path("x", kind).parent
        suffix = store.path("x", kind).name[1:]
        for path in sorted(folder.glob(f"*{suffix}")) if folder.is_dir() else []:
            sid = path.name[: -len(suffix)]
            if sid in live or path.name.startswith("."):
                continue
            if kind == "lock" and store.holder(sid) is not None:
                continue  # someone is creating it right now
            found.append(_orphan(store, sid, kind, path, repair))
    return [f for f in found if f is not None]


def _orphan(store: Store, sid: str, kind: str, path: Path, repair: bool) -> Finding | None:
    if kind == "backup":
        finding = Finding("orphan", path, f"{path}: a last good copy without its submission file")
        if not _backup_readable(store, sid, path):
            finding.message += " - and it cannot be read"
            return finding
        if repair:
            atomic_write(store.path(sid), path.read_bytes())
            finding.message += f"; put it back as {store.path(sid)}"
            finding.repaired = True
        return finding
    if kind == "audit" and store.path(sid, "backup").exists():
        return None  # the backup's finding puts the submission back, with its audit trail
    what = "an audit trail of a first save that never completed" if kind == "audit" else "an edit lock of no submission"
    finding = Finding("orphan", path, f"{path}: {what}")
    if repair:
        path.unlink(missing_ok=True)
        fsync_dir(path.parent)
        finding.message += "; removed it"
        finding.repaired = True
    return finding


def _link_aside(path: Path) -> Path:
    """A hard link to `path` under a `.damaged-<time>` name: the original stays where it was."""
    aside = path.with_name(f"{path.name}.damaged-{_stamp()}")
    os.link(path, aside)
    fsync_dir(path.parent)
    return aside


def _check_submission(
    store: Store, sid: str, repair: bool, good: dict[str, list[Any]], versions: dict[str, int | None]
) -> list[Finding]:
    path = store.path(sid)
    try:
        submission, versions[sid] = store.read_versioned(sid)
        good[sid] = store.index_row(sid, submission)
        return []
    except CorruptFile as exc:
        finding = Finding("corrupt", path, str(exc).split(";")[0])
    backup = store.path(sid, "backup")
    if not _backup_readable(store, sid, backup):
        finding.message += " - and no readable last good copy"
        return [finding]
    finding.message += " - a last good copy is kept"
    if repair:
        _link_aside(path)
        atomic_write(path, backup.read_bytes())
        submission, versions[sid] = store.read_versioned(sid)
        good[sid] = store.index_row(sid, submission)
        finding.message += "; restored it (the damaged file is kept beside it as .damaged-*)"
        finding.repaired = True
    return [finding]


def _backup_readable(store: Store, sid: str, backup: Path) -> bool:
    return _version_of(store, sid, backup) is not False


def _version_of(store: Store, sid: str, path: Path) -> int | None | bool:
    """The version a copy of a submission file holds (None: from before versions), False if unreadable."""
    from marac_tui.submission import Submission

    try:
        doc = decode(path.read_bytes(), store.sealer, f"submission:{sid}".encode(), path)["submission"]["1"]
        Submission.model_validate(doc["data"])
    except (OSError, StoreError, KeyError, TypeError, ValueError):
        return False
    version = doc.get("version")
    return version if isinstance(version, int) else None


def _check_audit(store: Store, sid: str, repair: bool) -> list[Finding]:
    path = store.path(sid, "audit")
    aad = f"audit:{sid}".encode()
    records, bad = audit.read_records(path, store.sealer, aad)
    if not bad:
        return []
    finding = Finding("audit", path, f"{path}: {len(bad)} unreadable audit line(s), e.g. a save cut short")
    if repair:
        _link_aside(path)
        audit.rewrite(path, records, store.sealer, aad)
        finding.message += "; kept the readable entries (the original is kept as .damaged-*)"
        finding.repaired = True
    return [finding]


def _check_rollback(
    store: Store,
    sid: str,
    repair: bool,
    good: dict[str, list[Any]],
    versions: dict[str, int | None],
    index_version: int | None,
) -> list[Finding]:
    """A file older than what its backup, the index or its audit trail has seen was put back by
    someone: an older copy swapped over the live file. Reported; repair puts back the newest copy kept."""
    live = versions.get(sid)
    if live is None:
        return []  # unreadable (reported above), or written before versions were kept
    backup = store.path(sid, "backup")
    backup_version = _version_of(store, sid, backup) if backup.exists() else None
    records, _ = audit.read_records(store.path(sid, "audit"), store.sealer, f"audit:{sid}".encode())
    audit_version = audit.last_version(records)
    seen = max(v for v in (backup_version, index_version, audit_version - 1 if audit_version else None, live)
               if type(v) is int)  # fmt: skip
    if seen <= live:
        return []
    path = store.path(sid)
    finding = Finding(
        "rollback", path,
        f"{path}: rolled back: it holds version {live}, but version {seen} was saved "
        f"(an older copy was put in its place; a change such as a finalise may have been undone)",
    )  # fmt: skip
    if not repair:
        return [finding]
    restored = live
    if isinstance(backup_version, int) and backup_version > live:
        _link_aside(path)
        atomic_write(path, backup.read_bytes())
        restored = backup_version
        good[sid] = store.index_row(sid, store.read_versioned(sid)[0])
        finding.message += f"; put back version {restored}, the newest copy kept (the older file is kept as .damaged-*)"
    else:
        finding.message += f"; no newer copy is kept, so it stays at version {live}"
    note = f"rolled back: version {seen} was saved, version {restored} is the newest copy kept"
    entry = audit.AuditEntry(audit.now_iso(), DOCTOR, "restored", reason=note)
    audit.append(store.path(sid, "audit"), restored, [entry], store.sealer, f"audit:{sid}".encode())
    versions[sid] = restored
    finding.message += "; recorded in its history"
    finding.repaired = True
    return [finding]


def _check_owner(path: Path, repair: bool) -> list[Finding]:
    from marac_tui.store.locks import LockInfo

    info = LockInfo.read(path)
    if not path.exists() or (info is not None and info.alive()):
        return []
    who = info.describe() if info else "an unreadable owner file"
    finding = Finding("stale-lock", path, f"{path}: stale edit lock from {who}, which is no longer running")
    if repair:
        path.unlink(missing_ok=True)
        finding.repaired = True
    return [finding]


def _check_index(
    store: Store, good: dict[str, list[Any]], versions: dict[str, int | None], count: int, repair: bool
) -> list[Finding]:
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
        try:
            head = store.index.newest() or {}
        except CorruptFile as exc:
            problem = str(exc).split(";")[0]
        else:
            if any(rows.get(sid) != row for sid, row in head.items()):
                problem = f"{store.index.head}: the newest rows it keeps are out of step with the index"
    if problem is None:
        return []
    finding = Finding("index", store.index.snapshot, problem)
    if repair:
        store.index.rebuild(good, {sid: v for sid, v in versions.items() if sid in good and v is not None})
        finding.message += f"; rebuilt it from the {len(good)} readable submission(s) of {count}"
        finding.repaired = True
    return [finding]
