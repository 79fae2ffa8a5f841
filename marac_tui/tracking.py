"""Tracking the actions agreed for a perpetrator: who owns each one, when it is due, and its status
as last reported. Pure functions over a submission; the store records them (audited) even on a
finalised submission, because reporting progress on a plan is not a change to the research.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from marac_tui.errors import UserError
from marac_tui.submission import Action, ActionStatus, StatusReport, Submission

MIN_PREFIX = 3


@dataclass(frozen=True)
class Located:
    """Where an action lives: perpetrator index, the actions item, its place in the list."""

    perpetrator: int
    item: str
    index: int
    action: Action


@dataclass(frozen=True)
class TrackingChange:
    """One audited tracking change (the shape the store's audit trail takes from the engine)."""

    item: str
    perpetrator: int | None
    old: Any
    new: Any


def actions_of(submission: Submission) -> list[Located]:
    """Every action in the submission, perpetrator by perpetrator, in plan order."""
    found = []
    for index, perpetrator in enumerate(submission.perpetrators):
        for item_id, answer in perpetrator.answers.items():
            if not Action.is_list(answer.value):
                continue
            for n, entry in enumerate(answer.value):
                found.append(Located(index, item_id, n, Action.model_validate(entry)))
    return found


def find_action(submission: Submission, action_id: str) -> Located:
    """The action with this id, or the only one whose id starts with it (at least 3 characters)."""
    wanted = action_id.strip().lower()
    if len(wanted) < MIN_PREFIX:
        raise UserError(f"action id {action_id!r} is too short: give at least {MIN_PREFIX} characters")
    everything = actions_of(submission)
    exact = [a for a in everything if a.action.id == wanted]
    matches = exact or [a for a in everything if a.action.id.startswith(wanted)]
    if not matches:
        raise UserError(f"no action {action_id!r} in submission {str(submission.id)[:8]} (see `marac-tui actions`)")
    if len(matches) > 1:
        raise UserError(f"action id {action_id!r} is ambiguous: {', '.join(m.action.id for m in matches)}")
    return matches[0]


def _tracked(action: Action) -> dict[str, Any]:
    return action.model_dump(mode="json", include=set(Action.TRACKING) - {"history"}, exclude_none=True)


def track(
    submission: Submission,
    action_id: str,
    *,
    status: ActionStatus | None = None,
    reported_on: date | None = None,
    note: str | None = None,
    due: date | None = None,
    owner: str | None = None,
    agency: str | None = None,
    by: str | None = None,
) -> list[TrackingChange]:
    """Record a status report (and any new due date or owner) on one action; returns the change.

    A status report keeps its date, its note and who gave it in the action's history; the action
    shows the latest. Nothing else about the action (its text, heading, risks) can change here.
    """
    where = find_action(submission, action_id)
    action = where.action
    old = _tracked(action)
    today = reported_on or date.today()
    if reported_on is not None and reported_on > date.today():
        raise UserError(f"--on {reported_on:%d %b %Y} is in the future: give the date the status was reported")
    updates: dict[str, Any] = {}
    if status is not None or note is not None:
        report = StatusReport(status=status or action.status, on=today, note=(note or "").strip() or None, by=by)
        updates.update(status=report.status, status_date=today, note=report.note,
                       history=[*action.history, report])  # fmt: skip
    if due is not None:
        updates["due"] = due
    for key, value in (("owner", owner), ("agency", agency)):
        if value is not None:
            updates[key] = " ".join(value.split()) or None
    if not updates:
        raise UserError("nothing to record: give --status, --note, --due, --owner or --agency")
    changed = action.model_copy(update=updates)
    Action.model_validate(changed.model_dump())  # the same rules as any action
    answer = submission.perpetrators[where.perpetrator].answers[where.item]
    entries = list(answer.value)
    entries[where.index] = changed.model_dump(mode="json", exclude_none=True)
    answer.value = entries
    return [TrackingChange(f"action {action.id}", where.perpetrator, old, _tracked(changed))]
