"""The submission store on TinyDB: one small database file per submission, plus an index.

The engine calls `save` after every answer; the TUI and every CLI command go through this API.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tinydb import Query, TinyDB

from marac_tui.errors import UserError
from marac_tui.submission import Submission

DIR_MODE = 0o700
FILE_MODE = 0o600


@dataclass(frozen=True)
class Summary:
    """One row of `marac-tui list` and the home screen."""

    id: str
    case_ref: str
    flow: str
    state: str
    updated_at: str
    perpetrators: list[str]
    answered: int
    training: str | None = None

    @classmethod
    def of(cls, submission: Submission, name_item: str | None = "full_name") -> Summary:
        return cls(
            id=str(submission.id),
            case_ref=submission.header.case_ref or "",
            flow=submission.flow.name,
            state=submission.state.value,
            updated_at=submission.updated_at.isoformat(),
            perpetrators=[p.name(name_item, i) for i, p in enumerate(submission.perpetrators)],
            answered=len(submission.answers) + sum(len(p.answers) for p in submission.perpetrators),
            training=submission.training,
        )

    def to_json(self) -> dict[str, Any]:
        return dict(self.__dict__)


class Store:
    """Submissions under one data directory."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)

    # --- layout ------------------------------------------------------------------------------

    @property
    def submissions_dir(self) -> Path:
        return self.root / "submissions"

    def _path(self, submission_id: str) -> Path:
        return self.submissions_dir / f"{submission_id}.json"

    def _ensure(self) -> None:
        for folder in (self.root, self.submissions_dir):
            folder.mkdir(mode=DIR_MODE, parents=True, exist_ok=True)
            os.chmod(folder, DIR_MODE)

    def _db(self, path: Path) -> TinyDB:
        self._ensure()
        fresh = not path.exists()
        db = TinyDB(path, ensure_ascii=False)
        if fresh:
            os.chmod(path, FILE_MODE)
        return db

    def _index(self) -> TinyDB:
        return self._db(self.root / "index.json")

    # --- API ---------------------------------------------------------------------------------

    def save(self, submission: Submission, changes: Iterable[Any] = (), actor: str | None = None) -> None:
        """Write the whole submission and its index row (called after every answer)."""
        sid = str(submission.id)
        with self._db(self._path(sid)) as db:
            db.table("submission").upsert({"id": sid, "data": submission.to_json()}, Query().id == sid)
        with self._index() as index:
            index.table("submissions").upsert(Summary.of(submission).to_json(), Query().id == sid)

    def resolve(self, prefix: str) -> str:
        """A full id from an id or its unique prefix."""
        prefix = prefix.strip().lower()
        if len(prefix) < 4:
            raise UserError(f"submission id {prefix!r} is too short: give at least 4 characters")
        matches = [s.id for s in self.list() if s.id.startswith(prefix)]
        if not matches:
            raise UserError(f"no submission with id {prefix!r} in {self.root}")
        if len(matches) > 1:
            raise UserError(f"submission id {prefix!r} is ambiguous: {', '.join(m[:8] for m in matches)}")
        return matches[0]

    def load(self, submission_id: str) -> Submission:
        sid = self.resolve(submission_id)
        with self._db(self._path(sid)) as db:
            rows = db.table("submission").all()
        if not rows:
            raise UserError(f"submission {sid} has no data in {self._path(sid)}")
        return Submission.model_validate(rows[0]["data"])

    def list(self) -> list[Summary]:
        if not (self.root / "index.json").exists():
            return []
        with self._index() as index:
            rows = index.table("submissions").all()
        summaries = [Summary(**row) for row in rows]
        return sorted(summaries, key=lambda s: s.updated_at, reverse=True)

    def delete(self, submission_id: str) -> str:
        sid = self.resolve(submission_id)
        self._path(sid).unlink(missing_ok=True)
        with self._index() as index:
            index.table("submissions").remove(Query().id == sid)
        return sid

