"""How the representative knows an answer: status, source, date checked, fact or opinion, sharing.

Pure functions: the defaults proposed for a research answer (they follow the previous answer in the
same research area, else the flow's default, and say which), the rules every provenance must keep
(withholding needs a reason; "not checked" claims no source and no date), and the stored fields.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from marac_tui.flow.spec import NO, NONE, UNKNOWN, Flow
from marac_tui.flow.values import AnswerError
from marac_tui.submission import Answer, Basis, Status, Submission


@dataclass
class AnswerMeta:
    """How the representative knows: status, source, date checked, fact/opinion, sharing."""

    status: Status | None = None
    source: str | None = None
    checked_on: date | None = None
    basis: Basis | None = None
    share: bool = True
    withhold_reason: str | None = None

    def merged(self, **changes: Any) -> AnswerMeta:
        """A copy with the given fields replaced; None leaves a field as it is."""
        values = {**self.__dict__, **{k: v for k, v in changes.items() if v is not None}}
        return AnswerMeta(**values)


def status_for(value: Any) -> Status:
    """The status a value implies: no answer or 'unknown' is not checked, 'no' or empty is nothing held."""
    if value is None or value == UNKNOWN:
        return Status.not_checked
    if value in (NO, NONE, []):
        return Status.nothing_held
    return Status.found


CHECKED = (Status.found, Status.nothing_held)  # something was looked at: a source and a basis to follow


@dataclass(frozen=True)
class Prefill:
    """The provenance proposed for a research answer, and where its source and basis came from:
    the item (and perpetrator) of the earlier answer they follow, or None for the flow's default."""

    meta: AnswerMeta
    area: str
    source_from: tuple[str, int | None] | None = None
    basis_from: tuple[str, int | None] | None = None


def _area_answers(flow: Flow, submission: Submission, item_id: str, perpetrator: int | None) -> list[tuple[Answer, str, int | None]]:
    """The answers in the item's research area (its section), this person's first, then the others'."""
    section = flow.section_of(item_id)
    ids = {item.id for item in section.items} - {item_id}
    if section.scope == "case":
        scopes: list[tuple[int | None, dict[str, Answer]]] = [(None, submission.answers)]
    else:
        people: list[tuple[int | None, dict[str, Answer]]] = list(enumerate(p.answers for p in submission.perpetrators))
        scopes = [(n, a) for n, a in people if n == perpetrator] + [(n, a) for n, a in people if n != perpetrator]
    ranked: list[tuple[Answer, str, int | None]] = []
    for scope, answers in scopes:
        mine = [(a, k, scope) for k, a in answers.items() if k in ids and a.status in CHECKED]
        ranked += sorted(mine, key=lambda found: found[0].answered_at, reverse=True)
    return ranked


def prefill(flow: Flow, submission: Submission, item_id: str, perpetrator: int | None, value: Any,
            today: date) -> Prefill:  # fmt: skip
    """The provenance proposed for a research answer to `item_id`.

    Status follows the value ('no' nothing held, 'unknown' not checked). Source and fact/opinion follow
    the latest checked answer in the same research area (this person's first, then another's); where
    the area has none, the flow's default: its first source, and fact. The date checked is today.
    """
    source: str | None = flow.sources[0] if flow.sources else None
    basis = Basis.fact
    source_from = basis_from = None
    for answer, other, scope in _area_answers(flow, submission, item_id, perpetrator):
        if source_from is None and answer.source:
            source, source_from = answer.source, (other, scope)
        if basis_from is None and answer.basis is not None:
            basis, basis_from = answer.basis, (other, scope)
        if source_from and basis_from:
            break
    meta = AnswerMeta(status=status_for(value), source=source, checked_on=today, basis=basis)
    return Prefill(meta, flow.section_of(item_id).title, source_from, basis_from)


def short_label(flow: Flow, item_id: str, limit: int = 40) -> str:
    """An item's question, short enough for a status line (cut between words)."""
    first = next((line.strip() for line in flow.item(item_id).prompt.splitlines() if line.strip()), item_id)
    text = " ".join(first.replace("*", "").replace("`", "").split())
    if len(text) <= limit:
        return text
    return (text[: limit - 1].rsplit(" ", 1)[0] or text[: limit - 1]).rstrip(" ,;:") + "…"


def origin_note(flow: Flow, proposed: Prefill) -> str:
    """Where the proposed source and fact/opinion came from, in words: 'as for “Date of birth?”', or
    the flow's defaults for a research area with no checked answer yet."""
    if proposed.meta.status is Status.not_checked:
        return "not checked: no source or date kept"
    if proposed.source_from is None and proposed.basis_from is None:
        return f"first answer in {proposed.area}: the flow's default source"
    if proposed.source_from == proposed.basis_from or proposed.basis_from is None:
        assert proposed.source_from is not None
        what = "source and fact/opinion" if proposed.basis_from else "source"
        return f"{what} as for “{short_label(flow, proposed.source_from[0])}”"
    if proposed.source_from is None:
        return f"fact/opinion as for “{short_label(flow, proposed.basis_from[0])}”; the flow's default source"
    return (f"source as for “{short_label(flow, proposed.source_from[0])}”, "
            f"fact/opinion as for “{short_label(flow, proposed.basis_from[0])}”")  # fmt: skip


def default_meta(flow: Flow, submission: Submission, item_id: str, perpetrator: int | None, value: Any,
                 prefill_meta: bool) -> AnswerMeta:  # fmt: skip
    """The one-keystroke defaults for a research answer.

    With `prefill_meta` (the chat), source, date and basis are proposed (see `prefill`); without it
    (an answers file), only the status is inferred and nothing else is assumed.
    """
    if not prefill_meta:
        return AnswerMeta(status=status_for(value))
    return prefill(flow, submission, item_id, perpetrator, value, date.today()).meta


def validate_meta(item_id: str, meta: AnswerMeta, need_reason: bool = True) -> None:
    """Refuse a withholding with no reason (unless the reason is still to come)."""
    if need_reason and not meta.share and not (meta.withhold_reason or "").strip():
        raise AnswerError(item_id, "withheld without a reason: say why it is not shared")


def meta_fields(meta: AnswerMeta) -> dict[str, Any]:
    """The stored provenance fields of an answer; a 'not checked' answer keeps no source or date."""
    unchecked = meta.status is Status.not_checked  # nothing was looked at: no source, no date
    return {
        "status": meta.status,
        "source": None if unchecked else (meta.source or "").strip() or None,
        "checked_on": None if unchecked else meta.checked_on,
        "basis": meta.basis,
        "share": meta.share,
        "withhold_reason": ((meta.withhold_reason or "").strip() or None) if not meta.share else None,
    }
