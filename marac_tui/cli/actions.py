"""`actions`, `action` and `suggestions`: the safety plan's actions across submissions, tracking one
action's status (audited, also on a finalised submission), and the suggestions that fit each person."""

from __future__ import annotations

import argparse
from datetime import date
from typing import Any

from marac_tui.cli.context import Context, add_id_argument
from marac_tui.errors import UserError


def register(commands: Any, common: argparse.ArgumentParser) -> None:
    listing = commands.add_parser(
        "actions", parents=[common], help="list the actions of every submission (owner, due date, status)",
        description="Every action in the store's submissions, with its owner, due date and status as last reported.",
    )  # fmt: skip
    listing.add_argument("--open", action="store_true", help="only actions not done (proposed, agreed, in progress, not done)")
    listing.add_argument("--case", metavar="REF", help="only this case reference (exact, any case)")
    listing.add_argument("--json", action="store_true")
    listing.set_defaults(handler=list_actions)

    one = commands.add_parser(
        "action", parents=[common], help="record an action's status (audited; works on a finalised submission)",
        description="Record the status of one action as reported (and, if they changed, its due date or owner). "
        "A finalised submission stays finalised: tracking the plan is not a change to the research.",
    )  # fmt: skip
    add_id_argument(one)
    one.add_argument("action_id", metavar="ACTION_ID", help="the action's id (see `marac-tui actions`), or a unique prefix")
    one.add_argument("--status", metavar="STATUS",
                     help="proposed, agreed, in_progress (or 'in progress'), done, not_done (or 'not done')")  # fmt: skip
    one.add_argument("--note", metavar="TEXT", help="what was reported, e.g. why it was not done")
    one.add_argument("--on", metavar="DATE", help="the date the status was reported (default: today)")
    one.add_argument("--due", metavar="DATE", help="a new due date")
    one.add_argument("--owner", metavar="NAME", help="the named person who owns it")
    one.add_argument("--agency", metavar="AGENCY", help="the agency that owns it")
    one.add_argument("--by", metavar="NAME", help="who records it (default: the submission's representative)")
    one.set_defaults(handler=track_action)

    suggest = commands.add_parser(
        "suggestions", parents=[common], help="the actions the flow suggests for each perpetrator, and why",
    )  # fmt: skip
    add_id_argument(suggest)
    suggest.add_argument("--json", action="store_true")
    suggest.set_defaults(handler=show_suggestions)


def _status(text: str | None):  # noqa: ANN202 - an ActionStatus, imported lazily
    """The status named (`in progress`, `in_progress` and `In-Progress` alike); UserError if it is none."""
    from marac_tui.submission import ActionStatus

    if text is None:
        return None
    key = "_".join(text.strip().lower().replace("-", " ").split())
    try:
        return ActionStatus(key)
    except ValueError:
        raise UserError(f"--status: {text[:40]!r} is not a status (use {', '.join(s.value for s in ActionStatus)})") from None


def _date(option: str, text: str | None) -> date | None:
    from marac_tui.flow.values import parse_date

    if text is None:
        return None
    try:
        return parse_date(text)
    except ValueError as exc:
        raise UserError(f"{option}: {exc}") from None


# --- actions ---------------------------------------------------------------------------------------


def action_rows(store: Any, open_only: bool = False, case: str | None = None) -> list[dict[str, Any]]:
    """One row per action in the store: its submission, case, perpetrator and tracking (JSON-ready)."""
    from marac_tui.export.content import flow_for
    from marac_tui.tracking import actions_of

    today = date.today()
    rows = []
    for summary in store.list():
        if case is not None and summary.case_ref.strip().lower() != case.strip().lower():
            continue
        submission = store.load(summary.id)
        flow = flow_for(submission)
        name_item = flow.perpetrators.name_item if flow else "full_name"
        for where in actions_of(submission):
            action = where.action
            if open_only and not action.open:
                continue
            rows.append({
                "submission": str(submission.id),
                "case_ref": submission.header.case_ref,
                "marac_date": submission.header.marac_date.isoformat() if submission.header.marac_date else None,
                "state": submission.state.value,
                "perpetrator": submission.perpetrators[where.perpetrator].name(name_item, where.perpetrator),
                "id": action.id,
                "heading": flow.heading_title(action.heading) if flow else action.heading,
                "text": action.text,
                "agency": action.agency,
                "owner": action.owner,
                "due": action.due.isoformat() if action.due else None,
                "status": action.status.value,
                "status_date": action.status_date.isoformat() if action.status_date else None,
                "note": action.note,
                "overdue": action.overdue(today),
                "addresses": action.addresses,
            })  # fmt: skip
    rows.sort(key=lambda r: (r["due"] or "9999", r["marac_date"] or "9999", r["case_ref"] or "", r["id"]))
    return rows


def list_actions(args: argparse.Namespace, ctx: Context) -> int:
    from marac_tui.export.content import one_line
    from marac_tui.submission import ACTION_STATUS_LABELS, ActionStatus

    rows = action_rows(ctx.store, open_only=args.open, case=args.case)
    if args.json:
        ctx.print_json(rows)
        return 0
    if not rows:
        what = "open actions" if args.open else "actions"
        ctx.print(f"no {what}" + (f" for case {one_line(args.case, 40)}" if args.case else "") + f" in {ctx.root}")
        return 0
    for r in rows:
        status = ACTION_STATUS_LABELS[ActionStatus(r["status"])]
        if r["status_date"]:
            status += f" {r['status_date']}"
        due = f"due {r['due']}" + (" OVERDUE" if r["overdue"] else "") if r["due"] else "no due date"
        who = " / ".join(one_line(x, 40) for x in (r["agency"], r["owner"]) if x) or "no owner"
        ctx.print(f"{r['id']}  {one_line(r['case_ref'] or '(no case ref)', 20)}  {r['submission'][:8]}  "
                  f"{status}  {due}  {who}")  # fmt: skip
        ctx.print(f"    {one_line(r['perpetrator'], 60)} · {one_line(r['heading'], 30)}: {one_line(r['text'])}")
        if r["note"]:
            ctx.print(f"    note: {one_line(r['note'])}")
    shown = "open action" if args.open else "action"
    ctx.print(f"{len(rows)} {shown}{'s' if len(rows) != 1 else ''}")
    return 0


def track_action(args: argparse.Namespace, ctx: Context) -> int:
    from marac_tui.export.content import one_line
    from marac_tui.tracking import find_action, track

    status, on, due = _status(args.status), _date("--on", args.on), _date("--due", args.due)
    store = ctx.store
    sid = store.resolve(args.id)
    found: dict[str, Any] = {}

    def amend(submission: Any) -> list[Any]:
        who = args.by or submission.header.representative
        changes = track(submission, args.action_id, status=status, reported_on=on, note=args.note,
                        due=due, owner=args.owner, agency=args.agency, by=who)  # fmt: skip
        found["action"] = find_action(submission, args.action_id).action
        return changes

    submission = store.amend_tracking(sid, amend, actor=args.by)
    action = found["action"]
    state = " (the submission stays finalised)" if submission.state.value == "finalised" else ""
    ctx.print(f"action {action.id}: {one_line(action.tracking())}{state}")
    ctx.print(f"    {one_line(action.text)}")
    return 0


# --- suggestions -----------------------------------------------------------------------------------


def suggestion_rows(submission: Any, flow: Any) -> list[dict[str, Any]]:
    """Each perpetrator's raised risks and the suggestions that fit them, with the reasons (JSON-ready)."""
    from marac_tui.engine.asked import values
    from marac_tui.engine.chair import suggestions
    from marac_tui.export.content import item_label
    from marac_tui.export.report import actions_item

    item_id = actions_item(flow)
    people = []
    for index, perpetrator in enumerate(submission.perpetrators):
        taken = {a.suggestion for a in perpetrator.actions(item_id) if a.suggestion}
        offered = suggestions(flow, perpetrator.risks, values(submission, index))
        people.append({
            "perpetrator": perpetrator.name(flow.perpetrators.name_item, index),
            "risks": [{"id": r.id, "title": r.title} for r in perpetrator.risks],
            "suggestions": [{
                "id": s.id,
                "heading": flow.heading_title(s.action.heading),
                "text": s.action.text,
                "owner": s.action.owner,
                "reason": s.reason(lambda i: item_label(flow, i)),
                "risks": [r.id for r in s.risks],
                "cites": list(s.cites),
                "taken": s.id in taken,
            } for s in offered],
        })  # fmt: skip
    return people


def show_suggestions(args: argparse.Namespace, ctx: Context) -> int:
    from marac_tui.export.content import flow_for, one_line

    submission = ctx.store.load(args.id)
    flow = flow_for(submission)
    if flow is None:
        raise UserError(f"flow {submission.flow.name!r} of submission {str(submission.id)[:8]} is not installed")
    people = suggestion_rows(submission, flow)
    if args.json:
        ctx.print_json({"submission": str(submission.id), "case_ref": submission.header.case_ref, "perpetrators": people})
        return 0
    for number, person in enumerate(people, start=1):
        ctx.print(f"{number}. {one_line(person['perpetrator'], 80)}")
        risks = ", ".join(one_line(r["title"], 80) for r in person["risks"]) or "none raised"
        ctx.print(f"   Risks: {risks}")
        if not person["suggestions"]:
            ctx.print("   No suggestions fit these answers.")
        for s in person["suggestions"]:
            mark = "[taken] " if s["taken"] else ""
            owner = f" ({one_line(s['owner'], 60)})" if s["owner"] else ""
            ctx.print(f"   - {mark}{one_line(s['heading'], 30)}: {one_line(s['text'])}{owner}")
            ctx.print(f"     why: {one_line(s['reason'])}")
    return 0
