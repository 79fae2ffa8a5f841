"""The Chair's one-page summary: who, each perpetrator's risks and the answers behind them, the
proposed actions by heading, and the gaps. Built as data first (the TUI shows it), then as text.

It is always for the meeting: withheld answers are never quoted (a risk they raised still shows,
citing only shared answers).
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass, field, replace

from marac_tui.export.content import MEETING, meeting_view, one_line, sharing_basis
from marac_tui.export.markdown import md
from marac_tui.export.report import (
    DEFAULT_MARKING,
    Evidence,
    HeadingActions,
    PerpetratorPart,
    RiskLine,
    gap_lines,
    header_rows,
    not_checked,
    perpetrator_part,
    unanswered,
)
from marac_tui.flow.spec import Flow
from marac_tui.submission import Submission

EVIDENCE_CHARS = 140
WIDTH = 96


@dataclass
class ChairSummary:
    marking: str
    case_ref: str
    marac_date: str
    agency: str
    representative: str
    perpetrators: list[PerpetratorPart]  # each perpetrator's part of the form, risks' evidence shortened, no sections
    case_not_checked: list[str] = field(default_factory=list)
    audience: str = MEETING
    sharing_basis: str = ""


def build_summary(submission: Submission, flow: Flow | None, marking: str = DEFAULT_MARKING) -> ChairSummary:
    """The summary as data, for the meeting only; `flow` None shows raw item ids."""
    view = meeting_view(submission)
    header = dict(header_rows(view))
    pending = unanswered(flow, submission)
    briefs = []
    for index in range(len(view.perpetrators)):
        part = perpetrator_part(flow, view, index, pending.get(index, []))
        risks = [
            RiskLine(r.id, r.title, [Evidence(e.label, one_line(e.text, EVIDENCE_CHARS)) for e in r.evidence])
            for r in part.risks
        ]
        briefs.append(replace(part, sections=[], risks=risks))
    return ChairSummary(
        marking=one_line(marking, 80),
        case_ref=header["Case reference"],
        marac_date=header["MARAC date"],
        agency=header["Agency"],
        representative=header["Representative"],
        perpetrators=briefs,
        case_not_checked=not_checked(flow, view.answers, pending.get(None, [])),
        sharing_basis=sharing_basis(flow, view.answers),
    )


def _who(summary: ChairSummary) -> list[str]:
    names = [p.name for p in summary.perpetrators]
    label = "Alleged perpetrator" if len(names) == 1 else f"Alleged perpetrators ({len(names)})"
    basis = [f"Shared under: {summary.sharing_basis}"] if summary.sharing_basis else []
    return [
        f"Case {summary.case_ref} · MARAC {summary.marac_date}",
        f"From {summary.agency} ({summary.representative})",
        *basis,
        f"{label}: {'; '.join(names)}",
    ]


def _action_lines(brief: PerpetratorPart) -> list[str]:
    lines = []
    for heading in brief.actions:
        for action in heading.actions:
            owner = f" — {action.owners}" if action.owners != "—" else ""
            risks = f" (addresses: {', '.join(action.addresses)})" if action.addresses else ""
            due = f" · due {action.due_text}" if action.due else ""
            lines.append(f"{heading.title}: {one_line(action.text)}{owner}{risks} [{action.status_line}{due} · id {action.id}]")
    empty = [h.title for h in brief.actions if not h.actions]
    if empty:
        lines.append(f"No actions under: {', '.join(empty)}")
    return lines


def _gap_lines(brief: PerpetratorPart) -> list[str]:
    return gap_lines(brief.gaps, brief.not_checked, brief.not_checked_areas)


def _wrap(text: str, indent: str, hang: str = "  ") -> list[str]:
    return textwrap.wrap(text, WIDTH, initial_indent=indent, subsequent_indent=indent + hang) or [indent]


def render_summary_text(summary: ChairSummary) -> str:
    """Plain text (no markup), wrapped to fit a terminal, a TUI panel or a printed page."""
    lines = [f"CHAIR'S SUMMARY · {summary.marking}"]
    for line in _who(summary):
        lines += _wrap(line, "")
    if summary.case_not_checked:
        lines += _wrap(f"Case items not checked: {'; '.join(summary.case_not_checked)}", "")
    for number, brief in enumerate(summary.perpetrators, start=1):
        lines += ["", f"{number}. {brief.name.upper()}", "Risks"]
        for risk in brief.risks:
            lines += _wrap(f"! {risk.title}", "  ")
            for e in risk.evidence:
                lines += _wrap(f"{e.label} — {e.text}", "      ")
        if not brief.risks:
            lines.append("  none raised")
        lines.append("Actions")
        for line in _action_lines(brief):
            lines += _wrap(line, "  ")
        lines.append("Gaps")
        for line in _gap_lines(brief) or ["none"]:
            lines += _wrap(line, "  ")
    return "\n".join(lines) + "\n"


def render_summary_markdown(summary: ChairSummary) -> str:
    """The same summary as escaped Markdown."""
    lines = [f"**{md(summary.marking)}**", "", "# Chair's summary", ""]
    lines += [f"{md(line)}  " for line in _who(summary)]
    if summary.case_not_checked:
        lines.append(f"Case items not checked: {md('; '.join(summary.case_not_checked))}")
    for number, brief in enumerate(summary.perpetrators, start=1):
        lines += ["", f"## {number}. {md(brief.name)}", "", "**Risks**", ""]
        for risk in brief.risks:
            lines.append(f"- {md(risk.title)}")
            lines += [f"  - {md(e.label)} — {md(e.text)}" for e in risk.evidence]
        if not brief.risks:
            lines.append("- none raised")
        lines += ["", "**Actions**", ""]
        lines += [f"- {md(line)}" for line in _action_lines(brief)]
        lines += ["", "**Gaps**", ""]
        lines += [f"- {md(line)}" for line in _gap_lines(brief) or ["none"]]
    return "\n".join(lines) + "\n"
