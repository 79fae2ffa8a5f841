"""Gathering what the agencies shared on one case: the store's submissions with that case reference,
other agencies' meeting-audience JSON exports, and sealed files for the coordinator.

Only what an agency chose to share goes into a pack: store submissions are reduced to their meeting
view, and a file holding withheld answers (an internal copy) is refused, naming the file.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from marac_tui.engine.asked import unanswered
from marac_tui.export.content import flow_for, meeting_view, one_line
from marac_tui.flow.spec import Flow
from marac_tui.pack.model import PACK_KIND, Pack
from marac_tui.submission import Submission, SubmissionState

MAX_FILE_BYTES = 32 * 1024 * 1024


def case_key(case_ref: str | None) -> str:
    """Case references compared as a coordinator would: case and spacing do not matter."""
    return " ".join((case_ref or "").split()).casefold()


@dataclass
class Contribution:
    """One agency's submission as the meeting may see it, and where it came from."""

    submission: Submission  # the meeting view: nothing withheld is in it
    origin: str
    flow: Flow | None
    pending: dict[int | None, list[str]] = field(default_factory=dict)  # research not answered yet

    @property
    def sid(self) -> str:
        return str(self.submission.id)


@dataclass
class Gathered:
    case_ref: str
    marac_date: date | None
    current: list[Contribution]
    earlier: list[Contribution]  # the case's earlier meetings (an earlier MARAC date)
    earlier_packs: list[Pack]
    notes: list[str]
    refused: list[str]  # one line per file refused, naming it


class Refused(Exception):
    """A file that cannot go into the pack; the message names the file and why."""


def _from_store(submission: Submission) -> Contribution:
    flow = flow_for(submission)
    pending = unanswered(flow, submission) if flow is not None and submission.state is SubmissionState.draft else {}
    return Contribution(meeting_view(submission), "store", flow, pending)


def read_shared(path: Path, identity: Any = None) -> Submission | Pack:
    """A meeting-audience submission or an earlier pack from a JSON or sealed file; Refused otherwise."""
    from marac_tui.pack import sealed

    name = str(path)
    try:
        with open(path, "rb") as handle:
            raw = handle.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        raise Refused(f"{name}: cannot read it: {exc.strerror or exc}") from None
    if len(raw) > MAX_FILE_BYTES:
        raise Refused(f"{name}: over {MAX_FILE_BYTES // (1024 * 1024)} MiB, too large for a submission")
    if sealed.is_sealed(raw):
        if identity is None:
            raise Refused(f"{name}: sealed; give the key it was sealed for (--identity NAME.key)")
        try:
            raw = sealed.open_sealed(raw, identity)
        except sealed.SealError as exc:
            raise Refused(f"{name}: {exc}") from None
    elif raw.startswith(b"PK"):
        raise Refused(f"{name}: a Word document; a pack reads the JSON meeting export (export --format json)")
    try:
        data = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise Refused(f"{name}: not JSON; a pack reads JSON meeting exports and sealed files") from None
    if isinstance(data, dict) and data.get("kind") == PACK_KIND:
        try:
            return Pack.model_validate(data)
        except ValidationError as exc:
            raise Refused(f"{name}: not a valid meeting pack: {_first(exc)}") from None
    try:
        submission = Submission.model_validate(data)
    except ValidationError as exc:
        raise Refused(f"{name}: not a marac-tui submission: {_first(exc)}") from None
    withheld = sum(not a.share for scope in _scopes(submission) for a in scope.values())
    if withheld:
        raise Refused(
            f"{name}: an internal copy ({withheld} answer{'s' if withheld != 1 else ''} marked not shared); "
            "a pack takes only what agencies share: ask for the meeting export (--audience meeting)"
        )
    return submission


def _scopes(submission: Submission) -> list[dict[str, Any]]:
    return [submission.answers, *(p.answers for p in submission.perpetrators)]


def _first(exc: ValidationError) -> str:
    error = exc.errors()[0]
    where = ".".join(str(p) for p in error["loc"])
    return one_line(f"{where}: {error['msg']}" if where else error["msg"], 160)


def gather(
    case_ref: str,
    store: Any = None,
    files: Sequence[Path] = (),
    identity: Any = None,
    *,
    include_training: bool = False,
    meeting: date | None = None,
) -> Gathered:
    """Everything shared on `case_ref`: the current meeting's submissions, the earlier meetings',
    and earlier packs; files that cannot go in are listed in `refused`."""
    key = case_key(case_ref)
    notes: list[str] = []
    refused: list[str] = []
    found: dict[str, Contribution] = {}
    packs: list[Pack] = []
    training = 0

    def add(contribution: Contribution) -> None:
        sid = contribution.sid
        known = found.get(sid)
        if known is not None:
            newer = contribution if contribution.submission.updated_at > known.submission.updated_at else known
            notes.append(f"submission {sid[:8]} came from both {known.origin} and {contribution.origin}: "
                         f"the copy last changed is used ({newer.origin})")  # fmt: skip
            contribution = newer
        found[sid] = contribution

    for summary in store.list() if store is not None else []:
        if case_key(summary.case_ref) != key:
            continue
        if summary.training and not include_training:
            training += 1
            continue
        try:
            add(_from_store(store.load(summary.id)))
        except Exception as exc:  # noqa: BLE001 - a damaged file is named; the others still make the pack
            notes.append(f"submission {summary.id[:8]} in the store cannot be read: {one_line(exc, 120)}")
    if training:
        notes.append(f"{training} training run{'s' if training != 1 else ''} with this case reference left out")
    for path in files:
        try:
            shared = read_shared(Path(path), identity)
        except Refused as exc:
            refused.append(str(exc))
            continue
        if isinstance(shared, Pack):
            if case_key(shared.case_ref) != key:
                refused.append(f"{path}: a pack for case {one_line(shared.case_ref, 40)}, not {one_line(case_ref, 40)}")
            else:
                packs.append(shared)
            continue
        if case_key(shared.header.case_ref) != key:
            theirs = one_line(shared.header.case_ref or "no case reference", 40)
            refused.append(f"{path}: a submission for {theirs}, not {one_line(case_ref, 40)}")
            continue
        origin = f"{Path(path).name} (sealed)" if _sealed_file(Path(path)) else Path(path).name
        add(Contribution(shared, origin, flow_for(shared)))
    return _by_meeting(case_ref, list(found.values()), packs, notes, refused, meeting)


def _sealed_file(path: Path) -> bool:
    from marac_tui.pack.sealed import is_sealed

    try:
        with open(path, "rb") as handle:
            return is_sealed(handle.read(64))
    except OSError:
        return False


def _by_meeting(case_ref: str, contributions: list[Contribution], packs: list[Pack], notes: list[str],
                refused: list[str], meeting: date | None) -> Gathered:  # fmt: skip
    """Split the case's submissions into this meeting's and the earlier meetings' (by MARAC date)."""
    dates = [c.submission.header.marac_date for c in contributions if c.submission.header.marac_date]
    when = meeting or (max(dates) if dates else None)
    current, earlier = [], []
    for contribution in contributions:
        marac_date = contribution.submission.header.marac_date
        if when is None or marac_date is None or marac_date == when:
            current.append(contribution)
        elif marac_date < when:
            earlier.append(contribution)
        else:
            notes.append(f"submission {contribution.sid[:8]} is for a later meeting ({marac_date:%d %b %Y}): left out")
    return Gathered(case_ref, when, current, earlier, packs, notes, refused)
