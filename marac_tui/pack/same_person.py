"""The same person in other submissions of the store: a possible serial perpetrator, or a repeat MARAC.

Candidates come from the index rows' match keys (name, date of birth, aliases), so 10,000 stored
submissions are searched without opening them; only the few that match are read, for their agency
and MARAC date. What a pack says about other cases is worked out again from their meeting views,
so a withheld alias never reaches a pack.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import Any

from marac_tui.export.content import meeting_view, one_line
from marac_tui.pack.gather import case_key
from marac_tui.pack.match import MATCH_WEIGHT, Match, PersonRecord, compare, find_in, parse_dob, sound, tokens
from marac_tui.pack.model import OtherCase
from marac_tui.store.store import Summary, match_keys
from marac_tui.submission import Submission


def records_of(submission: Submission, where: str | None = None) -> list[PersonRecord]:
    """The submission's alleged perpetrators as match records."""
    label = where or _where(submission)
    sid = str(submission.id)
    return [
        PersonRecord(f"{sid}/{n}", name, parse_dob(dob), tuple(aliases), label, case_key(submission.header.case_ref), sid)
        for n, (name, dob, aliases) in enumerate(match_keys(submission), start=1)
        if name
    ]


def _where(submission: Submission) -> str:
    return one_line(submission.header.agency or submission.flow.title or submission.flow.name, 60)


_FIELDS = list(Summary.__dataclass_fields__)[1:]  # an index row holds these, in order, then the inode
_CASE, _FLOW, _TRAINING, _KEYS = (_FIELDS.index(f) for f in ("case_ref", "flow", "training", "keys"))


@lru_cache(maxsize=65536)
def _sounds(text: str) -> frozenset[str]:
    return frozenset(sound(w) for w in tokens(text))


def _rows(store: Any) -> Iterable[tuple[str, list[Any]]]:
    """Every index row, straight from the index (no directory listing): a row is at most one save
    behind its file, which matters little for a match. A damaged index falls back to `list`."""
    from marac_tui.store.errors import CorruptFile

    try:
        return store.index.rows().items()
    except CorruptFile:
        return [(s.id, [*s.row(), 0]) for s in store.list()]


def stored_records(store: Any, skip: Iterable[str] = (), include_training: bool = False,
                   near: Sequence[PersonRecord] = ()) -> list[PersonRecord]:  # fmt: skip
    """Match records for the stored submissions (not those in `skip`), from the index rows; a row
    written before the keys were indexed is read from its file. With `near`, only records that may
    share a blocking key with one of them: a cheap first cut on the date of birth and name sounds."""
    skipped = set(skip)
    dobs = {r.dob.isoformat() for r in near if r.dob}
    sounds = frozenset().union(*(_sounds(text) for r in near for text in (r.name, *r.aliases)))
    records: list[PersonRecord] = []
    for sid, row in _rows(store):
        if sid in skipped or (row[_TRAINING] and not include_training):
            continue
        keys = row[_KEYS] if len(row) > _KEYS + 1 else None
        if keys is None:
            try:
                keys = match_keys(store.load(sid))
            except Exception:  # noqa: BLE001 - a damaged file is doctor's to report; the search goes on
                continue
        if near and not any(
            (dob or "")[:10] in dobs or not sounds.isdisjoint(_sounds(name))
            or any(not sounds.isdisjoint(_sounds(a)) for a in aliases)
            for name, dob, aliases in keys
        ):  # fmt: skip
            continue
        case = case_key(row[_CASE])
        records += [PersonRecord(f"{sid}/{n}", name, parse_dob(dob), tuple(aliases), row[_FLOW], case, sid)
                    for n, (name, dob, aliases) in enumerate(keys, start=1) if name]  # fmt: skip
    return records


@dataclass(frozen=True)
class Found:
    """One match in another submission, with what the listing shows of it."""

    perpetrator: int  # 0-based, in the submission searched from
    name: str
    submission_id: str
    other_perpetrator: int
    other_name: str
    case_ref: str
    agency: str
    marac_date: date | None
    match: Match

    def to_json(self) -> dict[str, Any]:
        return {
            "perpetrator": self.perpetrator + 1,
            "name": self.name,
            "submission_id": self.submission_id,
            "other_perpetrator": self.other_perpetrator + 1,
            "other_name": self.other_name,
            "case_ref": self.case_ref,
            "agency": self.agency,
            "marac_date": self.marac_date.isoformat() if self.marac_date else None,
            "weight": self.match.weight,
            "reasons": list(self.match.reasons),
        }


def find_elsewhere(store: Any, submission: Submission, records: list[PersonRecord] | None = None) -> list[Found]:
    """Other stored submissions that appear to hold the same person as `submission`, strongest first.
    The reasons are worked out again once each candidate is read, naming its agency."""
    sid = str(submission.id)
    queries = records if records is not None else records_of(submission)
    others = stored_records(store, skip=[sid], near=queries)
    found = []
    for query in queries:
        for match in find_in(query, others):
            other_sid, number = match.b.rsplit("/", 1)
            try:
                other = store.load(other_sid)
            except Exception:  # noqa: BLE001 - unreadable since it was indexed: left out
                continue
            record = next((r for r in records_of(other) if r.ref == match.b), None)
            if record is None:
                continue
            weight, reasons = compare(query, record)
            if weight < MATCH_WEIGHT:
                continue
            found.append(Found(
                perpetrator=int(query.ref.rsplit("/", 1)[1]) - 1,
                name=query.name,
                submission_id=other_sid,
                other_perpetrator=int(number) - 1,
                other_name=record.name,
                case_ref=other.header.case_ref or "",
                agency=record.where,
                marac_date=other.header.marac_date,
                match=Match(query.ref, record.ref, round(weight, 1), tuple(reasons)),
            ))  # fmt: skip
    return sorted(found, key=lambda f: (f.perpetrator, -f.match.weight))


def other_cases_for_pack(store: Any, case_ref: str) -> Any:
    """For `build_pack`: a person's appearances in other cases, from those cases' meeting views."""
    key = case_key(case_ref)
    cache: dict[str, tuple[Submission | None, list[PersonRecord]]] = {}

    def lookup(records: list[PersonRecord]) -> list[OtherCase]:
        others = [r for r in stored_records(store, near=records) if r.case_ref != key]
        seen: dict[tuple[str, str], OtherCase] = {}
        for query in records:
            for match in find_in(query, others):
                other_sid = match.b.rsplit("/", 1)[0]
                if other_sid not in cache:
                    try:
                        view = meeting_view(store.load(other_sid))
                        cache[other_sid] = (view, records_of(view))
                    except Exception:  # noqa: BLE001 - unreadable: left out
                        cache[other_sid] = (None, [])
                other, candidates = cache[other_sid]
                record = next((r for r in candidates if r.ref == match.b), None)
                if other is None or record is None:
                    continue
                weight, reasons = compare(query, record)
                if weight < MATCH_WEIGHT:
                    continue
                summary = (record.case_ref, record.where)
                if summary not in seen:
                    seen[summary] = OtherCase(case_ref=one_line(other.header.case_ref or "", 80), agency=record.where,
                                              marac_date=other.header.marac_date, reasons=reasons)  # fmt: skip
        return sorted(seen.values(), key=lambda o: (o.marac_date or date.min), reverse=True)

    return lookup
