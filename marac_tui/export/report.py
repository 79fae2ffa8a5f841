"""The research form as data: built once per audience, then laid out as Word or Markdown.

Building the content in one place means the DOCX and the Markdown say the same thing, and the
audience rule (withheld answers never reach the meeting) is applied before any layout happens.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from marac_tui.engine.asked import unanswered as asked_unanswered
from marac_tui.export.content import (
    INTERNAL,
    WithheldLine,
    answer_text,
    clean,
    find_item,
    for_audience,
    item_label,
    meta_line,
    one_line,
    repeat_table,
    withheld_lines,
)
from marac_tui.flow.spec import Flow, Kind
from marac_tui.submission import ACTION_STATUS_LABELS, HEADER_ITEMS, Action, Answer, Perpetrator, Status, Submission

DEFAULT_MARKING = "OFFICIAL-SENSITIVE"
TITLE = "MARAC research on the alleged perpetrator"
LIST_LIMIT = 4


@dataclass
class Table:
    columns: list[str]
    rows: list[list[str]]


@dataclass
class Row:
    """One answered item: its label, the answer, how it is known, and (internal only) why it is kept back."""

    label: str
    text: str
    meta: str | None = None
    table: Table | None = None
    withheld_reason: str | None = None


@dataclass
class Block:
    """One research area (a flow section) with its answered items."""

    title: str
    rows: list[Row]


@dataclass
class Evidence:
    label: str
    text: str


@dataclass
class RiskLine:
    id: str
    title: str
    evidence: list[Evidence]


@dataclass
class ActionLine:
    """One action of the plan, with its tracking: owner agency and person, due date, status as reported."""

    text: str
    agency: str | None
    addresses: list[str]
    id: str = ""
    owner: str | None = None
    due: str | None = None
    status: str = "Proposed"
    status_date: str | None = None
    note: str | None = None
    overdue: bool = False

    @property
    def owners(self) -> str:
        """'Police / DS Corran', the agency and the named owner, or a dash."""
        return " / ".join(x for x in (self.agency, self.owner) if x) or "—"

    @property
    def status_line(self) -> str:
        """'Agreed (reported 11 Dec 2026)', with the note if there is one."""
        line = self.status + (f" (reported {self.status_date})" if self.status_date else "")
        return line + (f": {self.note}" if self.note else "")

    @property
    def due_text(self) -> str:
        return (self.due + (" (overdue)" if self.overdue else "")) if self.due else "—"


@dataclass
class HeadingActions:
    title: str
    actions: list[ActionLine]


@dataclass
class PerpetratorPart:
    name: str
    sections: list[Block]
    risks: list[RiskLine]
    actions: list[HeadingActions]
    gaps: list[str]
    not_checked: list[str]
    not_checked_areas: list[tuple[str, int]]


@dataclass
class Report:
    title: str
    marking: str
    audience: str
    header: list[tuple[str, str]]
    case_sections: list[Block]
    case_not_checked: list[str]
    perpetrators: list[PerpetratorPart]
    withheld: list[WithheldLine] = field(default_factory=list)

    @property
    def internal(self) -> bool:
        return self.audience == INTERNAL


def _date(value: date | None) -> str:
    return f"{value:%d %b %Y}" if value else "—"


def header_rows(submission: Submission) -> list[tuple[str, str]]:
    h = submission.header
    return [
        ("Case reference", one_line(h.case_ref or "—", 120)),
        ("MARAC date", _date(h.marac_date)),
        ("Agency", one_line(h.agency or "—", 120)),
        ("Representative", one_line(h.representative or "—", 120)),
    ]


def actions_item(flow: Flow | None) -> str:
    """The id of the perpetrator-scope item that holds the actions."""
    if flow is not None:
        for section, item in flow.all_items():
            if section.scope == "perpetrator" and item.kind == Kind.actions:
                return item.id
    return "actions"


def _row(flow: Flow | None, item_id: str, answer: Answer) -> Row:
    item = find_item(flow, item_id)
    columns_rows = repeat_table(item, answer.value)
    return Row(
        label=item_label(flow, item_id),
        text="" if columns_rows else answer_text(item, answer.value),
        meta=meta_line(answer),
        table=Table(*columns_rows) if columns_rows else None,
        withheld_reason=None if answer.share else clean(answer.withhold_reason or ""),
    )


def _blocks(flow: Flow | None, answers: dict[str, Answer], scope: str, skip: set[str]) -> list[Block]:
    """Answered items in flow order, one block per section; answers the flow no longer knows go last."""
    blocks = []
    known: set[str] = set()
    for section in flow.sections if flow else []:
        if section.scope != scope:
            continue
        ids = [i.id for i in section.items]
        known.update(ids)
        rows = [_row(flow, i, answers[i]) for i in ids if i in answers and i not in skip]
        if rows:
            blocks.append(Block(one_line(section.title, 120), rows))
    if flow is not None and scope == "perpetrator":
        known |= {i.id for s in flow.sections for i in s.items}
    rest = [_row(flow, k, a) for k, a in answers.items() if k not in known and k not in skip]
    if rest:
        blocks.append(Block("Answers" if flow is None else "Other answers", rows=rest))
    return blocks


def unanswered(flow: Flow | None, submission: Submission) -> dict[int | None, list[str]]:
    """Research items the interview still has to ask (its skip logic applied), by perpetrator (None: the
    case): a draft's research not done yet is not checked either."""
    return {} if flow is None else asked_unanswered(flow, submission)


def not_checked(flow: Flow | None, answers: dict[str, Answer], pending: Sequence[str] = ()) -> list[str]:
    """Labels of the items marked not checked, then of those not answered yet."""
    marked = [item_label(flow, k) for k, a in answers.items() if a.status == Status.not_checked]
    return marked + [f"{item_label(flow, k)} (not answered yet)" for k in pending]


def not_checked_areas(flow: Flow | None, answers: dict[str, Answer], pending: Sequence[str] = ()) -> list[tuple[str, int]]:
    """Research areas with items not checked (or not answered yet), and how many, in flow order."""
    counts: dict[str, int] = {}
    marked = [item_id for item_id, answer in answers.items() if answer.status == Status.not_checked]
    for item_id in [*marked, *pending]:
        title = flow.section_of(item_id).title if flow is not None and flow.has_item(item_id) else "Other"
        counts[title] = counts.get(title, 0) + 1
    order = {s.title: n for n, s in enumerate(flow.sections)} if flow else {}
    return sorted(((one_line(t, 80), c) for t, c in counts.items()), key=lambda tc: order.get(tc[0], len(order)))


def risk_title(flow: Flow | None, perpetrator: Perpetrator, risk_id: str) -> str:
    title = next((r.title for r in perpetrator.risks if r.id == risk_id), None)
    if title is None and flow is not None:
        title = next((r.title for r in flow.risks if r.id == risk_id), None)
    return one_line(title or risk_id, 120)


def _risks(flow: Flow | None, submission: Submission, perpetrator: Perpetrator) -> list[RiskLine]:
    lines = []
    for risk in perpetrator.risks:
        evidence = []
        for item_id in risk.cites:
            answer = perpetrator.answers.get(item_id) or submission.answers.get(item_id)
            if answer is not None:
                text = answer_text(find_item(flow, item_id), answer.value)
                evidence.append(Evidence(item_label(flow, item_id), text))
        lines.append(RiskLine(risk.id, one_line(risk.title, 120), evidence))
    return lines


def _action_line(flow: Flow | None, perpetrator: Perpetrator, action: Action) -> ActionLine:
    return ActionLine(
        text=clean(action.text),
        agency=one_line(action.agency, 80) if action.agency else None,
        addresses=[risk_title(flow, perpetrator, r) for r in action.addresses],
        id=action.id,
        owner=one_line(action.owner, 80) if action.owner else None,
        due=_date(action.due) if action.due else None,
        status=ACTION_STATUS_LABELS[action.status],
        status_date=_date(action.status_date) if action.status_date else None,
        note=one_line(action.note) if action.note else None,
        overdue=action.overdue(),
    )


def _actions(flow: Flow | None, perpetrator: Perpetrator, item_id: str) -> list[HeadingActions]:
    actions = perpetrator.actions(item_id)
    heading_ids = [h.id for h in flow.action_headings] if flow else []
    heading_ids += [a.heading for a in actions if a.heading not in heading_ids]
    return [
        HeadingActions(
            title=one_line(flow.heading_title(hid) if flow else hid, 80),
            actions=[_action_line(flow, perpetrator, a) for a in actions if a.heading == hid],
        )
        for hid in dict.fromkeys(heading_ids)
    ]


def perpetrator_part(flow: Flow | None, submission: Submission, index: int, pending: Sequence[str] = ()) -> PerpetratorPart:
    """One perpetrator's part of the form; `pending`: their research items not answered yet."""
    perpetrator = submission.perpetrators[index]
    item_id = actions_item(flow)
    name = perpetrator.name(flow.perpetrators.name_item if flow else None, index)
    return PerpetratorPart(
        name=one_line(name, 120),
        sections=_blocks(flow, perpetrator.answers, "perpetrator", {item_id}),
        risks=_risks(flow, submission, perpetrator),
        actions=_actions(flow, perpetrator, item_id),
        gaps=[one_line(g.title, 120) for g in perpetrator.gaps(item_id)],
        not_checked=not_checked(flow, perpetrator.answers, pending),
        not_checked_areas=not_checked_areas(flow, perpetrator.answers, pending),
    )


def gap_lines(gaps: list[str], labels: list[str], areas: list[tuple[str, int]]) -> list[str]:
    """Risks no action addresses, then what was not checked: by name if few, else by research area."""
    lines = [f"No action addresses: {g}" for g in gaps]
    if 0 < len(labels) <= LIST_LIMIT:
        lines.append(f"Not checked: {'; '.join(labels)}")
    elif labels:
        counted = ", ".join(f"{title} ({count})" for title, count in areas)
        lines.append(f"Not checked ({len(labels)} items): {counted}")
    return lines


def build_report(submission: Submission, flow: Flow | None, audience: str, marking: str = DEFAULT_MARKING) -> Report:
    """The research form's content for `audience` ('meeting' leaves out every withheld answer)."""
    view = for_audience(submission, audience)
    pending = unanswered(flow, submission)
    return Report(
        title=TITLE,
        marking=one_line(marking, 80),
        audience=audience,
        header=header_rows(view),
        case_sections=_blocks(flow, view.answers, "case", set(HEADER_ITEMS)),
        case_not_checked=not_checked(flow, view.answers, pending.get(None, [])),
        perpetrators=[perpetrator_part(flow, view, i, pending.get(i, [])) for i in range(len(view.perpetrators))],
        withheld=withheld_lines(view, flow) if audience == INTERNAL else [],
    )
