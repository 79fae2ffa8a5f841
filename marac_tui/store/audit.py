"""The audit trail: every change to a submission, appended to `<id>.audit`, one entry a line.

Entries are never rewritten; in an encrypted store each line is sealed on its own. A line cut short
by a crash is skipped on reading (and reported by `doctor`).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from marac_tui.store.crypto import Sealer
from marac_tui.store.files import append_durably, encode_line, read_lines


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
        return f"{when}  {self.actor}  {where}: {_show(_value(self.old))} -> {_show(_value(self.new))}{_meta(self.old, self.new)}"


def _value(answer: Any) -> Any:
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


def append(path: Path, entries: list[AuditEntry], sealer: Sealer | None, aad: bytes) -> None:
    if entries:
        append_durably(path, b"".join(encode_line(e.to_json(), sealer, aad) for e in entries))


def read(path: Path, sealer: Sealer | None, aad: bytes) -> tuple[list[AuditEntry], list[int]]:
    """The readable entries, oldest first, and the line numbers that could not be read."""
    rows, bad = read_lines(path, sealer, aad)
    entries = []
    for row in rows:
        try:
            entries.append(AuditEntry(**row))
        except TypeError:
            bad.append(0)
    return entries, bad
