"""What the interview asks, as pure functions over a flow and a submission: the values visible to
expressions, skip logic, the number of perpetrators, and the items still to be answered.

The engine, the exports and the summary share these, so they always agree on what was asked.
"""

from __future__ import annotations

from typing import Any

from marac_tui.flow.expr import compile_expression
from marac_tui.flow.spec import Flow
from marac_tui.submission import Answer, Submission, SubmissionState


def scope_of(flow: Flow, item_id: str, perpetrator: int | None) -> int | None:
    """The perpetrator index an item's answer lives under, or None for a case item."""
    return None if flow.section_of(item_id).scope == "case" else (perpetrator or 0)


def answers_in(submission: Submission, scope: int | None) -> dict[str, Answer]:
    return submission.answers if scope is None else submission.perpetrators[scope].answers


def values(submission: Submission, perpetrator: int | None) -> dict[str, Any]:
    """The values visible to expressions: case answers plus one perpetrator's."""
    visible = {k: a.value for k, a in submission.answers.items()}
    if perpetrator is not None and 0 <= perpetrator < len(submission.perpetrators):
        visible.update({k: a.value for k, a in submission.perpetrators[perpetrator].answers.items()})
    return visible


def relevant(flow: Flow, submission: Submission, item_id: str, perpetrator: int) -> bool:
    """Whether the item is asked (its `when` holds) for this perpetrator, or for the case."""
    item = flow.item(item_id)
    if item.when is None:
        return True
    return compile_expression(item.when).truth(values(submission, scope_of(flow, item_id, perpetrator)))


def perpetrator_count(flow: Flow, submission: Submission) -> int:
    """How many times the perpetrator sections run, from the flow's `count` over the case answers."""
    loop = flow.perpetrators
    try:
        count = int(compile_expression(loop.count).evaluate(values(submission, None)) or 1)
    except (TypeError, ValueError, ArithmeticError):
        count = 1
    return max(1, min(count, loop.max))


def scopes(flow: Flow, submission: Submission, section_scope: str) -> list[int | None]:
    """The scopes a section runs in: the case, or each perpetrator."""
    return [None] if section_scope == "case" else list(range(perpetrator_count(flow, submission)))


def added_after(flow: Flow, submission: Submission) -> set[str]:
    """The items a finalised submission was never asked: those its flow added after the version it
    was made with (a draft is asked them when it is opened again)."""
    return flow.added_since(submission.flow.version) if submission.state is SubmissionState.finalised else set()


def unanswered(flow: Flow, submission: Submission, research_only: bool = True) -> dict[int | None, list[str]]:
    """Items asked (skip logic applied) but not answered yet, by perpetrator (None: the case).

    A draft's research not done yet is not checked either, so the review, the summary and the exports
    all list these as gaps. A finalised submission made with an earlier flow version is not asked the
    items the flow added since.
    """
    pending: dict[int | None, list[str]] = {}
    later = added_after(flow, submission)
    for section, item in flow.all_items():
        if (research_only and not flow.is_research(item.id)) or item.id in later:
            continue
        for scope in scopes(flow, submission, section.scope):
            if scope is not None and scope >= len(submission.perpetrators):
                continue
            if item.id not in answers_in(submission, scope) and relevant(flow, submission, item.id, scope or 0):
                pending.setdefault(scope, []).append(item.id)
    return pending
