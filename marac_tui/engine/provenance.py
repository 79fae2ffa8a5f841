"""How the representative knows an answer: status, source, date checked, fact or opinion, sharing.

Pure functions: the defaults proposed for a research answer, the rules every provenance must keep
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


def last_source(flow: Flow, submission: Submission) -> str | None:
    """The source of the most recent answer that has one, else the flow's first source."""
    latest: Answer | None = None
    for scope in [submission.answers, *(p.answers for p in submission.perpetrators)]:
        for answer in scope.values():
            if answer.source and (latest is None or answer.answered_at > latest.answered_at):
                latest = answer
    if latest is not None:
        return latest.source
    return flow.sources[0] if flow.sources else None


def default_meta(flow: Flow, submission: Submission, value: Any, prefill: bool) -> AnswerMeta:
    """The one-keystroke defaults for a research answer.

    With `prefill` (the chat), source, date and basis are proposed for the user to confirm;
    without it (an answers file), only the status is inferred and nothing else is assumed.
    """
    status = status_for(value)
    if not prefill:
        return AnswerMeta(status=status)
    return AnswerMeta(status=status, source=last_source(flow, submission), checked_on=date.today(), basis=Basis.fact)


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
