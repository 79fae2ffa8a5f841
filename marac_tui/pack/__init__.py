"""The meeting pack: every agency's shared research on one case joined into the Chair's brief.

gather (store, meeting exports, sealed files) → match (the same person across agencies) → brief (per
person: risks, conflicts, gaps, actions; who is absent; last meeting's actions) → render (Markdown,
Word, JSON). `make_pack` runs the whole pipeline for the CLI and the Chair screen.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from marac_tui.pack.model import Decision, Pack


@dataclass
class Made:
    pack: Pack
    refused: list[str]  # one line per file that could not go in, naming it
    decisions: list[Decision]  # the Chair's decisions in force (stored ones, then the new ones)


def resolve_ref(given: str, refs: Sequence[str]) -> str:
    """A full record reference from what the Chair typed: a submission id (or its first characters)
    and the perpetrator's number, e.g. 3f2a1b9c/1."""
    from marac_tui.errors import UserError

    prefix, _, number = given.strip().lower().rpartition("/")
    if len(prefix) < 4 or not number.isdigit():
        raise UserError(f"{given!r}: give a record as the pack shows it, e.g. 3f2a1b9c/1 (submission id/number)")
    found = [r for r in refs if r.startswith(prefix) and r.rsplit("/", 1)[1] == number]
    if len(found) != 1:
        problem = "is in no submission of this pack" if not found else "is ambiguous: give more of the id"
        raise UserError(f"{given!r} {problem}")
    return found[0]


def make_pack(
    case_ref: str,
    store: Any = None,
    files: Sequence[Path] = (),
    identity: Any = None,
    *,
    decide: Sequence[tuple[str, str, str]] = (),
    expected: Path | None = None,
    marking: str | None = None,
    include_training: bool = False,
    meeting: date | None = None,
) -> Made:
    """Gather, match and brief one case. The Chair's stored decisions apply, then `decide`: (kind,
    record, record) with kind 'confirm' or 'split' and records as `resolve_ref` reads them."""
    from marac_tui.export.report import DEFAULT_MARKING
    from marac_tui.pack.agencies import load_expected
    from marac_tui.pack.brief import build_pack
    from marac_tui.pack.decisions import load_decisions, replace_decision
    from marac_tui.pack.gather import gather
    from marac_tui.pack.same_person import other_cases_for_pack

    gathered = gather(case_ref, store, files, identity, include_training=include_training, meeting=meeting)
    agreed = load_decisions(store, case_ref) if store is not None else []
    refs = [f"{c.submission.id}/{n}" for c in gathered.current for n in range(1, len(c.submission.perpetrators) + 1)]
    for kind, a, b in decide:
        new = Decision(kind=kind, a=resolve_ref(a, refs), b=resolve_ref(b, refs))  # type: ignore[arg-type]
        agreed = replace_decision(agreed, new)
    pack = build_pack(
        gathered,
        load_expected(expected, getattr(store, "root", None)),
        agreed,
        marking=marking or DEFAULT_MARKING,
        other_cases=other_cases_for_pack(store, case_ref) if store is not None else None,
    )
    return Made(pack, gathered.refused, agreed)
