"""The audit trail: every change to a submission, appended to `<id>.audit`.

Each save appends one record, one line: the version it writes and its entries. In an encrypted
store the record is sealed (and padded) as one, so the line's size does not tell which answer was
given. Records are never rewritten; a line cut short by a crash is skipped on reading (and reported
by `doctor`). Stores from before records hold one entry a line, which is still read.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from marac_tui.store.crypto import Sealer
from marac_tui.store.files import append_durably, atomic_write, encode_line, read_lines


@dataclass(frozen=True)
class AuditEntry:
    """One change: when, by whom, what (item and perpetrator), old → new; or a lifecycle event."""

    at: str
    actor: str
    event: str
    item: str | None = None
    perpetrator: int | None = None
    old: Any = None
    new: Any = None
    reason: str | None = None

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    def describe(self) -> str:
        """One plain line; values are JSON-quoted so control characters print literally."""
        when = self.at[:19].replace("T", " ")
        if self.event != "change":
            reason = f": {_show(self.reason)}" if self.reason else ""
            return f"{when}  {self.actor}  {self.event}{reason}"
        where = self.item or "?"
        if self.perpetrator is not None:
            where += f" [perpetrator {self.perpetrator + 1}]"
        return f"{when}  {self.actor}  {where}: {_show(plain_value(self.old))} -> {_show(plain_value(self.new))}{_meta(self.old, self.new)}"


def plain_value(answer: Any) -> Any:
    """The value an entry's old or new side holds (an answer's value, or the value itself)."""
    return answer.get("value") if isinstance(answer, dict) and "answered_at" in answer else answer


def _meta(old: Any, new: Any) -> str:
    if not (isinstance(old, dict) and isinstance(new, dict)):
        return ""
    keys = ("status", "source", "checked_on", "basis", "share", "withhold_reason")
    changed = [f"{k} {_show(old.get(k))} -> {_show(new.get(k))}" for k in keys if old.get(k) != new.get(k)]
    return f" ({'; '.join(changed)})" if changed else ""


def _show(value: Any) -> str:
    return "(none)" if value is None else json.dumps(value, ensure_ascii=False)


def now_iso() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="milliseconds")


def entries_for(changes: Iterable[Any], actor: str, at: str) -> list[AuditEntry]:
    """Audit entries from the engine's Change(item, perpetrator, old, new) objects."""
    return [AuditEntry(at, actor, "change", c.item, c.perpetrator, c.old, c.new) for c in changes]


@dataclass(frozen=True)
class Record:
    """One save's audit entries and the version it wrote (None: a line from before versions)."""

    version: int | None
    entries: list[AuditEntry]

    def to_json(self) -> dict[str, Any]:
        if self.version is None:
            return self.entries[0].to_json()
        return {"v": self.version, "entries": [e.to_json() for e in self.entries]}


def append(path: Path, version: int, entries: list[AuditEntry], sealer: Sealer | None, aad: bytes) -> None:
    """Append one save's record (even with no entries: every version has its record)."""
    append_durably(path, encode_line(Record(version, entries).to_json(), sealer, aad))


def read_records(path: Path, sealer: Sealer | None, aad: bytes) -> tuple[list[Record], list[int]]:
    """The readable records, oldest first, and the line numbers that could not be read."""
    rows, bad = read_lines(path, sealer, aad)
    records = []
    for row in rows:
        try:
            if isinstance(row, dict) and "entries" in row:
                version = row["v"]
                if type(version) is not int:
                    raise TypeError(version)
                records.append(Record(version, [AuditEntry(**e) for e in row["entries"]]))
            else:
                records.append(Record(None, [AuditEntry(**row)]))
        except (TypeError, KeyError):
            bad.append(0)
    return records, bad


def read(path: Path, sealer: Sealer | None, aad: bytes) -> tuple[list[AuditEntry], list[int]]:
    """The readable entries, oldest first, and the line numbers that could not be read."""
    records, bad = read_records(path, sealer, aad)
    return [e for r in records for e in r.entries], bad


def last_version(records: list[Record]) -> int | None:
    return next((r.version for r in reversed(records) if r.version is not None), None)


def rewrite(path: Path, records: list[Record], sealer: Sealer | None, aad: bytes) -> None:
    """Replace the trail by `records` in one atomic write (doctor, after linking the damaged one aside)."""
    atomic_write(path, b"".join(encode_line(r.to_json(), sealer, aad) for r in records))
