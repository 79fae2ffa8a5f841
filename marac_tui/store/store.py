"""The submission store: one small TinyDB file per submission, an append-only audit trail each,
and a list index that an autosave only appends to (see index.py).

Layout under the data dir (0700; every file 0600):
    store.json              format, and for an encrypted store: scrypt salt/parameters + verifier
    index.db, index.log     list index: snapshot + append-only log of changed rows
    index.head              the snapshot's newest rows (the home screen's first page)
    submissions/<id>.db     the submission (TinyDB, atomic writes) and its version counter
    submissions/.<id>.deleting   a deletion in progress (finished by the next delete or doctor --repair)
    backups/<id>.db         its last good copy (the version before the latest write)
    audit/<id>.audit        its audit trail, one record (the entries of one save) a line
    locks/<id>.lock/.owner  its edit lock and who holds it
    packs/<digest>.decisions  the Chair's match decisions on a case (see marac_tui.pack.decisions)
The engine calls `save` after every answer; the TUI and every CLI command go through this API.
"""

from __future__ import annotations

import builtins
import itertools
import json
import os
import uuid
from collections.abc import Callable, Iterable
from contextlib import contextmanager
from dataclasses import dataclass, fields
from pathlib import Path
from datetime import date
from typing import TYPE_CHECKING, Any, Iterator

from marac_tui.errors import UserError
from marac_tui.store import audit
from marac_tui.store.crypto import Sealer, is_sealed_file, is_sealed_line, new_encryption, unlock
from marac_tui.store.errors import (
    CorruptFile,
    PassphraseNeeded,
    StoreError,
    SubmissionExists,
    SubmissionFinalised,
    SubmissionLocked,
    WrongPassphrase,
)
from marac_tui.store.files import atomic_write, fsync_dir, make_private_dirs
from marac_tui.store.index import Index
from marac_tui.store.locks import EditLock, LockInfo, holder

if TYPE_CHECKING:  # TinyDB and the pydantic models are imported where used: listing needs only index rows
    from tinydb import TinyDB

    from marac_tui.submission import Submission

CONFIG = "store.json"
SUFFIX = ".db"
FOLDERS = {"data": "submissions", "backup": "backups", "audit": "audit", "lock": "locks", "owner": "locks"}
SUFFIXES = {"data": SUFFIX, "backup": SUFFIX, "audit": ".audit", "lock": ".lock", "owner": ".owner"}
FORMAT = 2  # 2: sealed payloads padded and marked, a version counter, scrypt settings bound (1 still opens)
TOMBSTONE = ".deleting"
PACKS = "packs"  # the Chair's decisions on a case's matches (marac_tui.pack.decisions)


def match_keys(submission: Submission) -> list[list[Any]]:
    """What recognising a person across submissions needs, per perpetrator: [name, date of birth
    (ISO), alias names]. Kept in the index row so matching never opens every file."""
    keys: list[list[Any]] = []
    for perpetrator in submission.perpetrators:
        answers = perpetrator.answers
        name = answers["full_name"].value if "full_name" in answers else None
        dob = answers["date_of_birth"].value if "date_of_birth" in answers else None
        aliases = answers["aliases"].value if "aliases" in answers else None
        keys.append([
            name if isinstance(name, str) else "",
            dob.isoformat() if isinstance(dob, date) else dob if isinstance(dob, str) else "",
            [a["name"] for a in aliases or [] if isinstance(a, dict) and isinstance(a.get("name"), str)]
            if isinstance(aliases, list) else [],
        ])  # fmt: skip
    return keys


@dataclass(slots=True)  # not frozen: building 10,000 frozen ones costs three times as much
class Summary:
    """One row of `marac-tui list` and the home screen; `keys` are the match keys (see match_keys) of
    a row made for the index (`of`): a listing leaves them out, as only matching reads them."""

    id: str
    case_ref: str
    flow: str
    state: str
    updated_at: str
    perpetrators: list[str]
    answered: int
    training: str | None = None
    keys: list[list[Any]] | None = None

    @classmethod
    def of(cls, submission: Submission) -> Summary:
        name_item = _name_item(submission.flow.name)
        return cls(
            id=str(submission.id),
            case_ref=submission.header.case_ref or "",
            flow=submission.flow.name,
            state=submission.state.value,
            updated_at=submission.updated_at.isoformat(),
            perpetrators=[p.name(name_item, i) for i, p in enumerate(submission.perpetrators)],
            answered=len(submission.answers) + sum(len(p.answers) for p in submission.perpetrators),
            training=submission.training,
            keys=match_keys(submission),
        )

    def to_json(self) -> dict[str, Any]:
        """The listing's fields (the match keys stay in the index)."""
        return {f.name: getattr(self, f.name) for f in fields(self) if f.name != "keys"}

    def row(self) -> list[Any]:
        """The fields after the id, in order (the index stores rows this compactly)."""
        return [self.case_ref, self.flow, self.state, self.updated_at, self.perpetrators, self.answered, self.training,
                self.keys]  # fmt: skip


_LISTED = 7  # the fields of an index row a listing gives: not the match keys (kept only for `matches`)


def _newest_first(sid: str, row: list[Any]) -> tuple[str, str]:
    """An index row's sort key (Summary.row's order): when it last changed, then its id."""
    return row[3], sid


def _name_item(flow_name: str) -> str | None:
    """The item that names a perpetrator in this flow (`perpetrators.name_item`); full_name if the
    flow is not known here."""
    from marac_tui.flow.loader import known_flow

    flow = known_flow(flow_name)
    return flow.perpetrators.name_item if flow is not None else "full_name"


def _version(stored: Any) -> int:
    """The version a stored document holds (0 before the first write, or before versions were kept)."""
    version = stored.get("version") if isinstance(stored, dict) else None
    return version if type(version) is int and version >= 0 else 0


def read_config(root: Path) -> dict[str, Any]:
    path = Path(root) / CONFIG
    try:
        config = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (OSError, ValueError, RecursionError):
        raise StoreError(f"{path}: damaged (not valid JSON); nothing was read or written - put back store.json "
                         "from a backup of the store") from None
    if not isinstance(config, dict):
        raise StoreError(f"{path}: damaged (not a store config); nothing was read or written - put back "
                         "store.json from a backup of the store")
    version = config.get("format", 1)
    if type(version) is not int or version < 1:
        raise CorruptFile(path, "not a store config")
    if version > FORMAT:
        raise StoreError(f"{path}: store format {version} is newer than this marac-tui; upgrade it first")
    return config


class Store:
    """Submissions under one data directory; `passphrase` opens an encrypted store."""

    def __init__(self, root: Path, passphrase: str | None = None) -> None:
        self.root = Path(root)
        config = read_config(self.root)
        self.sealer = self._unlock(config, passphrase)
        if self.sealer is None:
            self._refuse_if_sealed()
        self.index = Index(self.root, self.sealer, newest_first=_newest_first)
        self.index_damage: CorruptFile | None = None  # why the last `list` could not use the index
        self._locks: dict[str, EditLock] = {}

    def _unlock(self, config: dict[str, Any], passphrase: str | None) -> Sealer | None:
        encryption = config.get("encryption")
        if not encryption:
            return None
        if not passphrase:
            raise PassphraseNeeded(f"the store at {self.root} is encrypted: a passphrase is needed to open it")
        sealer = unlock(encryption, passphrase, str(self.root / CONFIG), legacy=config.get("format", 1) < 2)
        if sealer is None:
            raise WrongPassphrase(f"wrong passphrase for the store at {self.root}; nothing was read or changed")
        return sealer

    def _refuse_if_sealed(self) -> None:
        """Fail closed: a store without encryption settings that holds sealed files (store.json moved
        away or replaced) is refused before anything is read or written."""
        probes = [self.root / "index.db", self.root / "index.log"]
        for name in ("submissions", "backups", "audit"):
            try:
                with os.scandir(self.root / name) as entries:
                    probes += [Path(e.path) for e in itertools.islice((e for e in entries if not e.name.startswith(".")), 3)]
            except (FileNotFoundError, NotADirectoryError):
                continue
        for path in probes:
            try:
                with open(path, "rb") as handle:
                    head = handle.read(8)
            except (FileNotFoundError, IsADirectoryError):
                continue
            if is_sealed_file(head) or (path.suffix in (".log", ".audit") and is_sealed_line(head)):
                raise StoreError(
                    f"{self.root}: the store holds encrypted files ({path.name}), but {CONFIG} is missing or does not "
                    f"say it is encrypted; nothing was read or written. Put back {CONFIG} from a backup of the store"
                )

    @staticmethod
    def needs_passphrase(root: Path) -> bool:
        return bool(read_config(Path(root)).get("encryption"))

    @classmethod
    def init(cls, root: Path, passphrase: str | None = None) -> Store:
        """Create (or confirm) a store; with a passphrase, an encrypted one. Existing data is never re-keyed."""
        root = Path(root)
        config = read_config(root)
        if config.get("encryption"):
            if passphrase:
                raise StoreError(f"the store at {root} is already encrypted")
            return cls(root)
        store = cls(root)
        store._ensure()
        if passphrase:
            count = len(store.ids())
            if count:
                raise StoreError(
                    f"the store at {root} already holds {count} unencrypted submission(s); encryption is chosen "
                    "when a store is created: export them, init a new store with --encrypt and import them"
                )
            config["encryption"], _ = new_encryption(passphrase)
        config["format"] = FORMAT
        atomic_write(root / CONFIG, json.dumps(config, indent=2).encode())
        store = cls(root, passphrase)
        if passphrase:
            store.index.rebuild({}, {})  # no row of an earlier, unencrypted index survives
        return store

    @property
    def encrypted(self) -> bool:
        return self.sealer is not None

    # --- layout ------------------------------------------------------------------------------

    @property
    def submissions_dir(self) -> Path:
        return self.root / "submissions"

    @property
    def locks_dir(self) -> Path:
        return self.root / FOLDERS["lock"]

    def folders(self) -> list[Path]:
        """The store folder and every folder in it (`packs/` holds the Chair's match decisions)."""
        return [self.root, *(self.root / name for name in dict.fromkeys([*FOLDERS.values(), PACKS]))]

    def path(self, submission_id: str, kind: str = "data") -> Path:
        """A submission's file: kind is data, backup, audit, lock or owner."""
        return self.root / FOLDERS[kind] / f"{submission_id}{SUFFIXES[kind]}"

    def _ensure(self) -> None:
        for folder in self.folders():
            if not folder.is_dir():
                make_private_dirs(folder)

    def _db(self, sid: str) -> TinyDB:
        from marac_tui.store.database import open_db

        return open_db(self.path(sid), self.sealer, f"submission:{sid}".encode(), self.path(sid, "backup"))

    def _aad(self, sid: str, kind: str) -> bytes:
        return f"{kind}:{sid}".encode()

    def tombstone(self, sid: str) -> Path:
        """The marker of a deletion in progress (see `delete`)."""
        return self.submissions_dir / f".{sid}{TOMBSTONE}"

    def deleting(self) -> list[str]:
        """Submissions whose deletion was started and not finished (a kill, a full disk)."""
        try:
            names = os.listdir(self.submissions_dir)
        except FileNotFoundError:
            return []
        return [n[1 : -len(TOMBSTONE)] for n in names if n.startswith(".") and n.endswith(TOMBSTONE)]

    def ids(self) -> list[str]:
        """Ids of every submission file (a quick directory listing), less those being deleted."""
        return [sid for sid, _ in self._files()]

    # --- locking -------------------------------------------------------------------------------

    def acquire(self, submission_id: str) -> EditLock:
        """Hold a submission for editing (raises SubmissionLocked naming the holder); release() or `with`."""
        sid = self._exact(submission_id)
        current = self._locks.get(sid)
        if current is not None and current.held:
            return current
        self._ensure()
        lock = EditLock(sid, self.locks_dir).acquire()
        self._locks[sid] = lock
        return lock

    def holder(self, submission_id: str) -> LockInfo | None:
        """Who else is editing this submission (None if nobody, or if it is this store)."""
        sid = self._exact(submission_id)
        own = self._locks.get(sid)
        return None if own is not None and own.held else holder(sid, self.locks_dir)

    def editing(self) -> dict[str, LockInfo]:
        """Submissions that another live process or window holds for editing, by id."""
        found = {}
        for owner in self.locks_dir.glob("*.owner") if self.locks_dir.is_dir() else []:
            sid = owner.name[: -len(SUFFIXES["owner"])]
            info = self.holder(sid)
            if info is not None:
                found[sid] = info
        return found

    @contextmanager
    def _writing(self, sid: str) -> Iterator[None]:
        own = self._locks.get(sid)
        if own is not None and own.held:
            yield
            return
        self._ensure()
        with EditLock(sid, self.locks_dir, announce=False):
            yield

    def _exact(self, submission_id: str) -> str:
        try:
            return str(uuid.UUID(submission_id))
        except ValueError:
            return self.resolve(submission_id)

    def _existing(self, submission_id: str) -> str:
        """The full id of a submission in the store (UserError if there is none), before any lock is taken."""
        sid = self._exact(submission_id)
        if not self.path(sid).exists():
            raise UserError(f"no submission with id {sid!r} in {self.root}")
        return sid

    # --- writing -------------------------------------------------------------------------------

    def save(self, submission: Submission, changes: Iterable[Any] = (), actor: str | None = None) -> None:
        """Write the submission, its audit entries and its index row (called after every answer).

        Refused when another process holds the submission, or when it is finalised.
        """
        sid = str(submission.id)
        with self._writing(sid):
            who = self._actor(submission, actor)
            self._write(submission, audit.entries_for(changes, who, audit.now_iso()), who)

    def _actor(self, submission: Submission, actor: str | None) -> str:
        return (actor or submission.header.representative or "unknown").strip() or "unknown"

    def _write(
        self,
        submission: Submission,
        entries: list[audit.AuditEntry],
        actor: str,
        *,
        allow_finalised: bool = False,
        must_be_new: str | None = None,
    ) -> None:
        from tinydb.table import Document

        from marac_tui.submission import SubmissionState

        sid = str(submission.id)
        with self._db(sid) as db:
            table = db.table("submission")
            stored = table.get(doc_id=1)
            if stored is not None and must_be_new:
                raise SubmissionExists(f"{must_be_new}: submission {sid} is already in the store; not imported")
            old_state = stored["data"].get("state") if stored else None
            if old_state == SubmissionState.finalised.value and not allow_finalised:
                raise SubmissionFinalised(
                    f"submission {sid[:8]} is finalised and locked against changes; "
                    f"reopen it first (marac-tui reopen {sid[:8]} --reason ...)"
                )
            if stored is None and not must_be_new:
                entries = [audit.AuditEntry(audit.now_iso(), actor, "created"), *entries]
            if old_state == SubmissionState.draft.value and submission.state.value != old_state:
                entries.append(audit.AuditEntry(audit.now_iso(), actor, submission.state.value))
            # The version counter goes up by one a write; it is sealed with the data, and the audit
            # record and index row repeat it, so a copy put back from before is seen (doctor: rollback).
            version = _version(stored) + 1
            audit.append(self.path(sid, "audit"), version, entries, self.sealer, self._aad(sid, "audit"))
            # one write each (TinyDB's upsert would first write an empty table for a new document)
            if stored is None:
                table.insert(Document({"data": submission.to_json(), "version": version}, doc_id=1))
            else:
                table.update({"data": submission.to_json(), "version": version}, doc_ids=[1])
        self.index.put(sid, self.index_row(sid, submission), version)

    def index_row(self, sid: str, submission: Submission) -> list[Any]:
        """The list row of a saved submission, stamped with its file's inode so `list` sees a lag.

        Each atomic write gives the file a new inode, and the one before stays in use as the backup,
        so a row whose inode differs from the file's is older than the file.
        """
        return [*Summary.of(submission).row(), os.stat(self.path(sid)).st_ino]

    def finalise(self, submission_id: str, actor: str | None = None) -> Submission:
        """Lock a submission against changes (state finalised), audited."""
        from marac_tui.submission import SubmissionState

        sid = self._existing(submission_id)
        with self._writing(sid):
            submission = self._read(sid)
            if submission.state is SubmissionState.finalised:
                raise SubmissionFinalised(f"submission {sid[:8]} is already finalised")
            if missing := submission.withheld_without_reason():
                raise UserError(f"cannot finalise: {missing[0]} is withheld without a reason; "
                                "give the reason (or share it) first")  # fmt: skip
            submission.state = SubmissionState.finalised
            submission.touch()
            self._write(submission, [], self._actor(submission, actor))
        return submission

    def amend_tracking(
        self, submission_id: str, amend: Callable[[Submission], list[Any]], actor: str | None = None
    ) -> Submission:
        """Record the tracking of actions (status, due date, owners, notes) on any submission, a finalised
        one included, without reopening it: reporting progress on the plan is not a change to the research.

        `amend(submission)` makes the change and returns what it changed (objects with item, perpetrator,
        old and new) for the audit trail. If it changed anything but the actions' tracking, nothing is saved.
        """
        sid = self._exact(submission_id)
        with self._writing(sid):
            submission = self._read(sid)
            research = submission.research_view()
            changes = amend(submission)
            if submission.research_view() != research:
                raise StoreError(f"submission {sid[:8]}: only the actions' tracking may change here; nothing was saved")
            submission.touch()
            who = self._actor(submission, actor)
            self._write(submission, audit.entries_for(changes, who, audit.now_iso()), who, allow_finalised=True)
        return submission

    def reopen(self, submission_id: str, actor: str | None = None, reason: str = "") -> Submission:
        """Make a finalised submission editable again; the reason is recorded in the audit trail."""
        if not reason.strip():
            raise UserError("reopening a finalised submission needs a reason (--reason TEXT)")
        from marac_tui.submission import SubmissionState

        sid = self._existing(submission_id)
        with self._writing(sid):
            submission = self._read(sid)
            if submission.state is not SubmissionState.finalised:
                raise UserError(f"submission {sid[:8]} is not finalised; nothing to reopen")
            submission.state = SubmissionState.draft
            submission.touch()
            who = self._actor(submission, actor)
            entry = audit.AuditEntry(audit.now_iso(), who, "reopened", reason=reason.strip())
            self._write(submission, [entry], who, allow_finalised=True)
        return submission

    def import_submission(self, submission: Submission, source: str, actor: str | None = None) -> None:
        """Add a submission from outside; refused (SubmissionExists, naming `source`) if its id is taken."""
        sid = str(submission.id)
        self._ensure()
        if self.path(sid).exists():
            raise SubmissionExists(f"{source}: submission {sid} is already in the store; not imported")
        who = self._actor(submission, actor)
        entry = audit.AuditEntry(audit.now_iso(), who, "imported", reason=source)
        with self._writing(sid):
            self._write(submission, [entry], who, allow_finalised=True, must_be_new=source)

    def delete(self, submission_id: str) -> str:
        """Remove a submission and every trace of it: data, backup, audit trail, temporary and damaged
        copies, lock files and its index rows (the index is folded, so no old row survives)."""
        sid = self.resolve(submission_id)
        self.delete_many([sid])
        return sid

    def delete_many(self, ids: Iterable[str]) -> builtins.list[SubmissionLocked]:
        """Delete each submission (as `delete`) and fold the index once; those another process is
        editing are skipped and returned as their SubmissionLocked errors.

        A deletion first leaves a tombstone (`submissions/.<id>.deleting`); from then on the
        submission is gone for `list`, and an interrupted deletion is finished by the next one or
        by `doctor --repair`. The tombstone goes last, after the index is folded.
        """
        deleted, skipped = [], []
        for sid in ids:
            try:
                with self._writing(sid):
                    self._forget_decisions(sid)
                    self._mark_deleting(sid)
                    self._remove_files(sid)
            except SubmissionLocked as exc:
                skipped.append(exc)
                continue
            deleted.append(sid)
        self.finish_deleting(deleted)
        return skipped

    def finish_deleting(self, ids: builtins.list[str]) -> None:
        """Remove what is left of submissions being deleted, fold them out of the index, drop the tombstones."""
        for sid in ids:
            self._remove_files(sid)
        if ids:
            self.index.drop(ids)
        for sid in ids:
            self.tombstone(sid).unlink(missing_ok=True)
            lock = self._locks.pop(sid, None)
            if lock is not None:
                lock.release()
            self.path(sid, "lock").unlink(missing_ok=True)
        if ids:
            fsync_dir(self.submissions_dir)

    def _forget_decisions(self, sid: str) -> None:
        """Drop the Chair's match decisions that name this submission: they are kept per case under
        packs/, so under every case reference it has had (its audit trail holds the earlier ones)."""
        if not (self.root / PACKS).is_dir():
            return
        refs: set[str] = set()
        try:
            refs.add(self._read(sid).header.case_ref or "")
        except (CorruptFile, StoreError, OSError):  # a damaged file: the case reference its index row had
            try:
                row = self.index.rows().get(sid)
            except CorruptFile:
                row = None
            refs.add(row[0] if row else "")
        try:
            trail = audit.read(self.path(sid, "audit"), self.sealer, self._aad(sid, "audit"))[0]
        except OSError:
            trail = []
        for entry in (e for e in trail if e.item == "case_ref" and e.perpetrator is None):
            refs.update(v for v in (audit.plain_value(entry.old), audit.plain_value(entry.new)) if isinstance(v, str))
        from marac_tui.pack.decisions import forget

        for case_ref in refs - {""}:
            forget(self, case_ref, sid)

    def _mark_deleting(self, sid: str) -> None:
        fd = os.open(self.tombstone(sid), os.O_WRONLY | os.O_CREAT, 0o600)
        os.close(fd)
        fsync_dir(self.submissions_dir)

    def _remove_files(self, sid: str) -> None:
        for kind in ("data", "backup", "audit", "owner"):
            self.path(sid, kind).unlink(missing_ok=True)
        for folder in self.folders()[1:]:
            if folder.is_dir():
                for leftover in [*folder.glob(f".{sid}*.tmp"), *folder.glob(f"{sid}.*.damaged-*")]:
                    leftover.unlink(missing_ok=True)

    # --- reading -------------------------------------------------------------------------------

    def resolve(self, prefix: str) -> str:
        """A full id from an id or its unique prefix."""
        prefix = prefix.strip().lower()
        if len(prefix) < 4:
            raise UserError(f"submission id {prefix!r} is too short: give at least 4 characters")
        if len(prefix) == 36 and self.path(prefix).is_file():
            return prefix  # a whole id: no need to list the folder (matching loads a few of 10,000)
        matches = [sid for sid in self.ids() if sid.startswith(prefix)]
        if not matches:
            raise UserError(f"no submission with id {prefix!r} in {self.root}")
        if len(matches) > 1:
            raise UserError(f"submission id {prefix!r} is ambiguous: {', '.join(m[:8] for m in matches)}")
        return matches[0]

    def load(self, submission_id: str) -> Submission:
        return self._read(self.resolve(submission_id))

    def _read(self, sid: str) -> Submission:
        return self.read_versioned(sid)[0]

    def read_versioned(self, sid: str) -> tuple[Submission, int | None]:
        """A submission and the version its file holds (None for a file from before versions)."""
        from marac_tui.submission import Submission

        path = self.path(sid)
        with self._db(sid) as db:
            row = db.table("submission").get(doc_id=1)
        if row is None or not isinstance(row, dict) or "data" not in row:
            raise CorruptFile(path, "holds no submission")
        try:
            return Submission.model_validate(row["data"]), row.get("version")
        except ValueError as exc:
            raise CorruptFile(path, f"not a valid submission: {str(exc).splitlines()[0]}") from None

    def list(self) -> list[Summary]:
        """Every submission, newest first (by id among those changed at the same moment).

        Index rows older than their file (a save cut short between the two writes), and files the
        index does not know, are read from the file itself; the directory listing gives the inodes.
        """
        try:
            indexed = self.index.rows()
            self.index_damage = None
        except CorruptFile as exc:
            indexed = {}  # slower, but every file is read directly; `doctor --repair` rebuilds the index
            self.index_damage = exc
        summaries: builtins.list[Summary] = []
        for sid, inode in self._files():
            row = indexed.get(sid)
            if row is None or row[-1] != inode:
                try:
                    summaries.append(Summary.of(self._read(sid)))
                except CorruptFile:
                    pass  # reported by doctor; listing the rest matters more
                continue
            summaries.append(Summary(sid, *row[:_LISTED]))
        return sorted(summaries, key=lambda s: (s.updated_at, s.id), reverse=True)

    def newest(self, limit: int = 200) -> builtins.list[Summary] | None:
        """The newest submissions (at most `limit`), newest first, read without the whole index: the
        home screen's first page, at the same cost for 10,000 submissions as for 20.

        None when the index cannot tell them at that cost (no head, a damaged one, or a row older than
        its file): `list` then. A file the index has never heard of (a save cut short before its row)
        is only in `list`, which the home screen reads next.
        """
        try:
            rows = self.index.newest()
        except CorruptFile:
            return None
        if rows is None:
            return None
        summaries: builtins.list[Summary] = []
        for sid, row in sorted(rows.items(), key=lambda pair: _newest_first(*pair), reverse=True):
            if len(summaries) == limit:
                break
            try:
                inode = os.stat(self.path(sid)).st_ino
            except FileNotFoundError:
                continue  # deleted
            if row[-1] != inode:
                return None
            if not os.path.exists(self.tombstone(sid)):
                summaries.append(Summary(sid, *row[:_LISTED]))
        return summaries

    def _files(self) -> builtins.list[tuple[str, int]]:
        """(id, inode) of every submission file, less those being deleted."""
        try:
            entries = os.scandir(self.submissions_dir)
        except FileNotFoundError:
            return []
        files, gone = [], set()
        with entries:
            for entry in entries:
                if entry.name.startswith("."):
                    if entry.name.endswith(TOMBSTONE):
                        gone.add(entry.name[1 : -len(TOMBSTONE)])
                elif entry.name.endswith(SUFFIX):
                    files.append((entry.name[: -len(SUFFIX)], entry.inode()))
        return [(sid, inode) for sid, inode in files if sid not in gone]

    def history(self, submission_id: str) -> builtins.list[audit.AuditEntry]:
        sid = self.resolve(submission_id)
        return audit.read(self.path(sid, "audit"), self.sealer, self._aad(sid, "audit"))[0]

    def permission_warnings(self, deep: bool = False) -> builtins.list[str]:
        """Folders looser than 0700 and files looser than 0600 (`deep`: every submission file too)."""
        from marac_tui.store.health import permission_problems

        return [p.message for p in permission_problems(self, deep)]
