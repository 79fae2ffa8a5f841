"""Opening a plain session: a new submission, a draft resumed by id (or prefix), or a training run.

A submission open elsewhere (the app, another plain session) is refused, naming who holds it.
"""

from __future__ import annotations

from typing import Any

from marac_tui.engine.interview import Interview
from marac_tui.errors import UserError
from marac_tui.flow.loader import FlowError, agency_order, available_flows, load_named, practice_text
from marac_tui.flow.spec import Flow
from marac_tui.plain.lines import EndOfInput, Lines
from marac_tui.plain.render import plain_text
from marac_tui.plain.session import Session
from marac_tui.store.errors import SubmissionLocked
from marac_tui.submission import FlowRef, Submission, SubmissionState

WELCOME = "Each answer is saved as soon as you give it. Type help at any prompt for the commands, or quit to stop."


def _flow(name: str) -> Flow:
    try:
        return load_named(name)
    except FlowError as exc:
        raise UserError(str(exc.problems[0])) from None


def _lock(store: Any, submission: Submission) -> Any:
    try:
        return store.acquire(str(submission.id))
    except SubmissionLocked as exc:
        raise UserError(
            f"submission {str(submission.id)[:8]} is open elsewhere, by {exc.holder}: close it there first"
        ) from None


def choose_flow(lines: Lines) -> Flow:
    """Ask which flow a new submission uses (only if there is a choice)."""
    names = sorted(available_flows())
    if not names:
        raise UserError("no flows are installed")
    flows = sorted((_flow(name) for name in names), key=agency_order)
    if len(flows) == 1:
        return flows[0]
    lines.say("Which flow? A new submission starts with the questions of the flow you choose.")
    for n, flow in enumerate(flows, 1):
        lines.say(f"{n}. {flow.title}" + (f": {flow.description}" if flow.description else ""))
    lines.say(f"Type a number from 1 to {len(flows)}.")
    while True:
        try:
            text = lines.ask("> ").strip().lower()
        except EndOfInput:
            raise UserError("input ended before a flow was chosen; nothing was started") from None
        if text.isdigit() and 1 <= int(text) <= len(flows):
            return flows[int(text) - 1]
        for flow in flows:
            if text in (flow.name, flow.title.lower()):
                return flow
        if text in ("quit", "exit"):
            raise UserError("no submission started")
        lines.say(f"Error: type a number from 1 to {len(flows)}, or quit.")


def open_session(store: Any, lines: Lines, *, submission_id: str | None = None, flow_name: str | None = None,
                 training: str | None = None, agency: str | None = None,
                 resume_command: str = "marac-tui plain") -> tuple[Session, list[str]]:  # fmt: skip
    """The session to run, and what to say first (`agency`: the part of a multi-agency training case)."""
    opening: list[str] = []
    read_only = None
    if submission_id is not None:
        submission = store.load(submission_id)
        flow = _flow(submission.flow.name)
        if submission.state is SubmissionState.finalised:
            read_only = "this submission is finalised; reopen it (marac-tui reopen) to change it"
        kind = "training run" if submission.training else "draft"
        opening.append(f"marac-tui plain mode: {flow.title}. Resuming {kind} {str(submission.id)[:8]}, case {submission.case_ref}.")
        if submission.training:
            opening.append(f"This is a training run of the fictional case {submission.training}; "
                           f"marac-tui scenarios {submission.training} shows its brief again.")  # fmt: skip
    elif training is not None:
        from marac_tui.training.scenarios import load_scenario, start_training, training_text

        scenario = load_scenario(training)
        agency = scenario.part(agency).flow  # a multi-agency case needs its part named: one clear line if not
        flow = _flow(agency)
        submission = start_training(store, scenario.name, agency)
        opening += [
            f"marac-tui plain mode: {flow.title}. Training run {str(submission.id)[:8]}.",
            plain_text(training_text("intro.md")),
            scenario.fictional.strip(),
            f"Scenario: {scenario.title}.",
            plain_text(scenario.brief_for(agency)),
        ]
    else:
        flow = _flow(flow_name) if flow_name else choose_flow(lines)
        submission = Submission(flow=FlowRef(name=flow.name, version=flow.version, title=flow.title))
        opening.append(f"marac-tui plain mode: {flow.title}. New submission {str(submission.id)[:8]}.")
    if submission_id is None and (rules := practice_text(flow)):  # a new start hears the agency's sharing rules
        opening.append(plain_text(rules))
    lock = None if read_only else _lock(store, submission)
    opening.append(WELCOME)
    interview = Interview(flow, submission)
    return Session(interview, store, lines, lock=lock, read_only=read_only, resume_command=resume_command), opening
