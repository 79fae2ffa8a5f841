"""Bring a draft made with an earlier version of its flow up to the flow as it is now.

What each version changed is data in the flow (`changes:`): answers to a merged item move to the item
that now asks the same thing (a 'yes' wins), and the new version is recorded with the one the draft
began with. New items need nothing: the interview, the review and the exports list them as not
answered yet. A finalised submission is never upgraded; it keeps the version it was finalised with.
"""

from __future__ import annotations

from marac_tui.flow.spec import YES, Flow, version_key
from marac_tui.submission import Answer, FlowRef, Submission, SubmissionState

FLOW_VERSION_ITEM = "flow version"  # how the upgrade appears in the audit trail


def needs_upgrade(flow: Flow, submission: Submission) -> bool:
    return (
        submission.state is SubmissionState.draft
        and submission.flow.name == flow.name
        and version_key(submission.flow.version) < version_key(flow.version)
    )


def upgrade(flow: Flow, submission: Submission) -> list[tuple[str, int | None, object, object]]:
    """Upgrade a draft in place; returns (item, perpetrator, old, new) for each change, for the audit trail.

    Nothing is lost: an answer to a merged item that does not move (it is not 'yes', or the new item
    already says 'yes') stays in the submission under its old id, shown with its old question.
    """
    if not needs_upgrade(flow, submission):
        return []
    old_version = submission.flow.version
    changes: list[tuple[str, int | None, object, object]] = []
    scopes: list[tuple[int | None, dict[str, Answer]]] = [(None, submission.answers)]
    scopes += list(enumerate(p.answers for p in submission.perpetrators))
    for change in flow.changes:
        if version_key(change.version) <= version_key(old_version):
            continue
        for old_id, new_id in change.merged.items():
            for scope, answers in scopes:
                moved = answers.get(old_id)
                if moved is None or moved.value != YES:
                    continue
                current = answers.get(new_id)
                if current is not None and current.value == YES:
                    continue
                answers[new_id] = moved.model_copy()
                del answers[old_id]
                changes.append((new_id, scope, current.model_dump(mode="json") if current else None,
                                moved.model_dump(mode="json")))  # fmt: skip
                changes.append((old_id, scope, moved.model_dump(mode="json"), None))
    submission.flow = FlowRef(
        name=flow.name,
        version=flow.version,
        title=flow.title,
        upgraded_from=[*submission.flow.upgraded_from, old_version],
    )
    changes.append((FLOW_VERSION_ITEM, None, old_version, flow.version))
    return changes
