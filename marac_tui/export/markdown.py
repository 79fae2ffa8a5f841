"""The research form as Markdown, for plain-text channels. Every piece of text is escaped, so a name
like `[red]`, `# x` or `a | b` shows literally and can never add a heading, a link or a table cell."""

from __future__ import annotations

import re

from marac_tui.export.content import clean, one_line
from marac_tui.export.report import Block, PerpetratorPart, Report, Row, gap_lines

ACTION_COLUMNS = ["Action", "Owner", "Due", "Status", "Risks addressed", "Action id"]
_SPECIAL = re.compile(r"([\\`*_\[\]<>#|~&!{}])")
_LINE_START = re.compile(r"^(\d+)([.)])|^([-+=:])")


def md(text: str) -> str:
    """Escape text for Markdown; lines are kept (joined with hard breaks), leading spaces dropped."""
    lines = []
    for line in clean(text).split("\n"):
        line = _SPECIAL.sub(r"\\\1", line.strip())
        line = _LINE_START.sub(lambda m: f"{m[1]}\\{m[2]}" if m[1] else f"\\{m[3]}", line)
        if line:
            lines.append(line)
    return "\\\n  ".join(lines)


def md_cell(text: str) -> str:
    """Escape text for one table cell (single line)."""
    return md(one_line(text)) or " "


def _table(columns: list[str], rows: list[list[str]], indent: str = "") -> list[str]:
    out = [f"{indent}| " + " | ".join(md_cell(c) for c in columns) + " |"]
    out.append(f"{indent}|" + "---|" * len(columns))
    out += [f"{indent}| " + " | ".join(md_cell(v) for v in row) + " |" for row in rows]
    return out


def _row(row: Row) -> list[str]:
    text = f"{len(row.table.rows)} entries" if row.table is not None else md(row.text)
    out = [f"- **{md(row.label)}** {text}"]
    if row.meta:
        out.append(f"  *{md(row.meta)}*")
    if row.withheld_reason is not None:
        out.append(f"  **NOT SHARED (internal):** {md(row.withheld_reason)}")
    if row.table is not None:
        out += ["", *_table(row.table.columns, row.table.rows, indent="  "), ""]
    return out


def _block(block: Block, level: str) -> list[str]:
    out = [f"{level} {md(block.title)}", ""]
    for row in block.rows:
        out += _row(row)
    return [*out, ""]


def _perpetrator(number: int, part: PerpetratorPart) -> list[str]:
    out = [f"## Alleged perpetrator {number}: {md(part.name)}", ""]
    for block in part.sections:
        out += _block(block, "###")
    out += ["### Risks for the Chair", ""]
    for risk in part.risks:
        out.append(f"- **{md(risk.title)}**")
        out += [f"  - raised by {md(e.label)}: {md(e.text)}" for e in risk.evidence]
    if not part.risks:
        out.append("No risk flags raised.")
    out += ["", "### Proposed actions", ""]
    for heading in part.actions:
        out += [f"#### {md(heading.title)}", ""]
        if heading.actions:
            rows = [[a.text, a.owners, a.due_text, a.status_line, ", ".join(a.addresses) or "—", a.id]
                    for a in heading.actions]  # fmt: skip
            out += _table(ACTION_COLUMNS, rows)
        else:
            out.append("None proposed.")
        out.append("")
    out += ["### Gaps", ""]
    gaps = gap_lines(part.gaps, part.not_checked, part.not_checked_areas)
    out += [f"- {md(line)}" for line in gaps]
    if not gaps:
        out.append("No gaps: every risk has an action and every item was checked.")
    return [*out, ""]


def render_markdown(report: Report) -> str:
    marking = f"**{md(report.marking)}**"
    out = [marking, "", f"# {md(report.title)}", ""]
    if report.internal:
        out += ["**INTERNAL COPY:** includes information not shared at the meeting, and why. Do not circulate.", ""]
    else:
        out += ["*For the MARAC meeting: only information marked to be shared is included.*", ""]
    out += _table(["Case detail", "Value"], [list(pair) for pair in report.header])
    out.append("")
    if report.case_sections or report.case_not_checked:
        out += ["## Case", ""]
        for block in report.case_sections:
            out += _block(block, "###")
        out += [f"- Not checked: {md(n)}" for n in report.case_not_checked]
    for number, part in enumerate(report.perpetrators, start=1):
        out += _perpetrator(number, part)
    if report.internal:
        out += ["## Information not shared, and why", ""]
        rows = [[w.where, w.label, w.text, w.reason] for w in report.withheld]
        out += _table(["Whose research", "Item", "Answer", "Why not shared"], rows) if rows else ["Nothing was withheld."]
        out.append("")
    out += [marking, ""]
    return "\n".join(out)
