"""A plain-text reading of a submission, for `marac-tui show` (no markup, ever)."""

from __future__ import annotations

from marac_tui.export.content import clean, flow_for
from marac_tui.flow.spec import Flow
from marac_tui.flow.values import display
from marac_tui.submission import Answer, Submission


def _line(flow: Flow | None, item_id: str, answer: Answer) -> str:
    if flow is not None and flow.has_item(item_id):
        item = flow.item(item_id)
        text = display(item, answer.value)
    else:
        text = str(answer.value)
    extra = answer.provenance()
    if not answer.share:
        extra.append(f"WITHHELD: {answer.withhold_reason}")
    meta = f"  [{'; '.join(extra)}]" if extra else ""
    return clean(f"  {item_id}: {text}{meta}")


def render_text(submission: Submission) -> str:
    flow = flow_for(submission)
    h = submission.header
    lines = [
        f"Submission {submission.id}  ({submission.state.value})",
        clean(f"Case {h.case_ref or '-'}  MARAC {h.marac_date or '-'}  {h.agency or ''}  {h.representative or ''}".rstrip()),
        f"Flow {submission.flow.name} {submission.flow.version}; updated {submission.updated_at:%Y-%m-%d %H:%M}",
        "",
        "Case",
        *(_line(flow, k, a) for k, a in submission.answers.items()),
    ]
    name_item = flow.perpetrators.name_item if flow else None
    for index, perpetrator in enumerate(submission.perpetrators):
        lines += ["", clean(perpetrator.name(name_item, index))]
        lines += [_line(flow, k, a) for k, a in perpetrator.answers.items()]
        for action in perpetrator.actions():
            owners = " / ".join(x for x in (action.agency, action.owner) if x)
            lines.append(clean(f"  ACTION {action.id} {action.heading}: {action.text}" + (f" — {owners}" if owners else "")
                               + f" [{action.tracking()}]"))  # fmt: skip
        for risk in perpetrator.risks:
            lines.append(f"  RISK {risk.title} (from {', '.join(risk.cites) or '-'})")
        for gap in perpetrator.gaps():
            lines.append(f"  GAP no action addresses: {gap.title}")
    return "\n".join(lines)
