"""The gaps in a submission, found once: the review, the Chair's summary and every export count and
list these, so they always agree.

A gap is an asked item with no answer yet, a research item not checked, one found (or nothing held)
with no source or no date checked, an answer withheld without a reason, or a risk for the Chair that
no action addresses. For the meeting, gaps on answers it does not see (withheld, or a bare parent of
withheld follow-ups) are left out, so the list never hints at what is held back.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from enum import Enum

from marac_tui.engine import asked
from marac_tui.engine.followups import hidden_from_meeting
from marac_tui.flow.spec import Flow, Item, Kind
from marac_tui.submission import Answer, Status, Submission

MEETING, INTERNAL = "meeting", "internal"


class GapKind(str, Enum):
    """What is missing; the value is how the review and the exports say it."""

    not_answered = "Not answered"
    not_checked = "Not checked"
    no_source = "No source"
    no_date = "No date checked"
    no_reason = "Withheld without a reason"
    no_action = "Risk with no action"


@dataclass(frozen=True)
class Gap:
    """One gap: its kind, the item (or, for a risk with no action, the risk flag's id), whose it is."""

    kind: GapKind
    item: str
    perpetrator: int | None


def answer_gaps(flow: Flow, item: Item, answer: Answer | None) -> tuple[GapKind, ...]:
    """The gaps of one asked item, given its answer (None: not answered yet)."""
    if answer is None:
        return (GapKind.not_answered,)
    found: list[GapKind] = []
    if flow.is_research(item.id):
        if answer.status is Status.not_checked:
            found.append(GapKind.not_checked)
        elif answer.status in (Status.found, Status.nothing_held):
            if not (answer.source or "").strip():
                found.append(GapKind.no_source)
            if answer.checked_on is None:
                found.append(GapKind.no_date)
    if not answer.share and not (answer.withhold_reason or "").strip():
        found.append(GapKind.no_reason)
    return tuple(found)


def actions_item(flow: Flow) -> str:
    """The id of the perpetrator item that holds the actions."""
    for section, item in flow.all_items():
        if section.scope == "perpetrator" and item.kind is Kind.actions:
            return item.id
    return "actions"


def find_gaps(flow: Flow, submission: Submission, audience: str = INTERNAL) -> list[Gap]:
    """Every gap in interview order: the case, then each perpetrator's items and their risks with
    no action. `audience` 'meeting' leaves out the gaps on answers the meeting does not see."""
    found: list[Gap] = []
    plan = actions_item(flow)
    never_asked = asked.added_after(flow, submission)
    for scope in [None, *range(len(submission.perpetrators))]:
        answers = asked.answers_in(submission, scope)
        hidden = hidden_from_meeting(flow, answers) if audience == MEETING else set()
        for section in flow.sections:
            if (section.scope == "case") != (scope is None):
                continue
            for item in section.items:
                if item.id in hidden or item.id in never_asked:
                    continue
                if not asked.relevant(flow, submission, item.id, scope or 0):
                    continue
                found += [Gap(kind, item.id, scope) for kind in answer_gaps(flow, item, answers.get(item.id))]
        if scope is not None:
            for risk in submission.perpetrators[scope].gaps(plan):
                found.append(Gap(GapKind.no_action, risk.id, scope))
    return found


def count_by_kind(gaps: list[Gap]) -> Counter[GapKind]:
    return Counter(gap.kind for gap in gaps)


def for_perpetrator(gaps: list[Gap], perpetrator: int | None) -> list[Gap]:
    return [gap for gap in gaps if gap.perpetrator == perpetrator]
