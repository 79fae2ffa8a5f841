"""Carrying earlier research forward into a new submission on the same person.

Every carried answer keeps its value and whether it was shared (a withholding keeps its reason),
but claims no check: it is *not checked*, with no source and no date, and marked "carried forward
from MC-…, re-check" until the researcher confirms it. Only research items this flow asks, of the
same kind, that are not answered yet are carried; nothing already answered is overwritten.
"""

from __future__ import annotations

from marac_tui.engine.asked import relevant
from marac_tui.engine.interview import Change
from marac_tui.flow.spec import Flow, Kind
from marac_tui.submission import Answer, Status, Submission


def carry_forward(flow: Flow, target: Submission, perpetrator: int, source: Submission, source_perpetrator: int,
                  source_flow: Flow | None = None) -> list[Change]:  # fmt: skip
    """Copy `source`'s research on one person into `target`'s perpetrator `perpetrator`, in flow order
    (so a follow-up goes with the answer that asks it); returns the changes, for the audit trail."""
    earlier = source.perpetrators[source_perpetrator].answers
    answers = target.perpetrators[perpetrator].answers
    label = source.header.case_ref or f"submission {str(source.id)[:8]}"
    changes = []
    for section, item in flow.all_items():
        if section.scope != "perpetrator" or not flow.is_research(item.id) or item.kind == Kind.actions:
            continue
        old = earlier.get(item.id)
        if old is None or item.id in answers or old.value is None:
            continue
        if source_flow is not None and (not source_flow.has_item(item.id) or source_flow.item(item.id).kind != item.kind):
            continue
        if not relevant(flow, target, item.id, perpetrator):
            continue
        carried = Answer(value=old.value, status=Status.not_checked, basis=old.basis, share=old.share,
                         withhold_reason=old.withhold_reason if not old.share else None, carried_from=label)  # fmt: skip
        answers[item.id] = carried
        changes.append(Change(item.id, perpetrator, None, carried.model_dump(mode="json")))
    return changes
