"""The pack as Markdown, JSON or a Word document. Every piece of user text is escaped for its medium."""

from __future__ import annotations

import json

from marac_tui.export.markdown import md, md_cell
from marac_tui.pack import model as m
from marac_tui.pack import wording as w

FORMATS = ("md", "docx", "json")


def render_pack(pack: m.Pack, fmt: str) -> bytes:
    if fmt == "json":
        return (json.dumps(pack.to_json(), indent=2, ensure_ascii=False) + "\n").encode("utf-8")
    if fmt == "md":
        return render_markdown(pack).encode("utf-8")
    if fmt == "docx":
        from marac_tui.pack.render_docx import render_docx

        return render_docx(pack)
    raise ValueError(f"unknown format {fmt!r} (formats: {', '.join(FORMATS)})")


def _table(columns: list[str], rows: list[list[str]]) -> list[str]:
    out = ["| " + " | ".join(md_cell(c) for c in columns) + " |", "|" + "---|" * len(columns)]
    return out + ["| " + " | ".join(md_cell(v) for v in row) + " |" for row in rows] + [""]


def _person(person: m.Person) -> list[str]:
    out = [f"## {person.key}: {md(person.name)}", "", md(w.identity_line(person)), ""]
    if person.matches:
        out += ["### Why these records are one person", ""]
        out += [f"- {md(w.match_line(person, link))}" for link in person.matches] + [""]
    out += ["### Risks", ""]
    for risk in person.risks:
        out.append(f"- **{md(risk.title)}**" + ("" if risk.addressed else " — no action addresses it"))
        out += [f"  - {md(r.agency)}: {md(w.evidence_text(r.evidence))}" for r in risk.raised_by]
    out += ([] if person.risks else ["No risk flags raised by any agency."]) + [""]
    out += ["### Where agencies disagree", ""]
    for conflict in person.conflicts:
        out.append(f"- **{md(conflict.label)}**")
        out += [f"  - {md(w.stance_text(s))}" for s in conflict.stances]
    out += ([] if person.conflicts else ["No disagreements between the agencies' shared answers."]) + [""]
    out += ["### Not checked by any agency", ""]
    out += [f"- **{md(area)}**: {md(text)}" for area, text in w.unchecked_by_area(person)]
    out += ([] if person.not_checked else ["Every item an agency asked was checked by at least one agency."]) + [""]
    out += ["### Proposed actions", ""]
    for heading in person.actions:
        out += [f"#### {md(heading.title)}", ""]
        rows = [[a.text, *w.action_cells(a), ", ".join(a.addresses) or "—"] for a in heading.actions]
        out += _table(w.ACTION_COLUMNS, rows)
    out += ([] if person.actions else ["No actions proposed by any agency.", ""])
    out += ["### Risks no action addresses", ""]
    out += [f"- {md(title)}" for title in person.unaddressed] or ["Every risk has an action."]
    out.append("")
    if person.other_cases:
        out += ["### The same person in other cases", ""]
        out += [f"- {md(w.other_case_line(o))}" for o in person.other_cases] + [""]
    return out


def render_markdown(pack: m.Pack) -> str:
    marking = f"**{md(pack.marking)}**"
    out = [marking, "", f"# {md(w.TITLE)}: {md(pack.case_ref)}", "", f"*{md(w.FOR_CHAIR)}*", ""]
    out += _table(["Case detail", "Value"], [
        ["Case reference", pack.case_ref],
        ["MARAC date", w.day(pack.marac_date)],
        ["Agencies", ", ".join(c.agency for c in pack.contributors) or "none"],
        ["Alleged perpetrators", ", ".join(f"{p.key} {p.name}" for p in pack.people) or "none"],
        ["Built", f"{pack.built_at:%d %b %Y %H:%M} UTC"],
    ])  # fmt: skip
    if pack.earlier_actions:
        out += ["## Actions from the last meeting not done", ""]
        out += _table(w.EARLIER_COLUMNS, [w.earlier_cells(a) for a in pack.earlier_actions])
    out += ["## Who is not round the table", ""]
    out += [f"- **{md(a.agency)}**: {md(a.why)}" for a in pack.absent] or ["Every expected agency sent research."]
    out += ["", "## Agencies in this pack", ""]
    out += _table(w.CONTRIBUTOR_COLUMNS, [w.contributor_cells(c) for c in pack.contributors])
    for person in pack.people:
        out += _person(person)
    if pack.notes:
        out += ["## Notes", ""] + [f"- {md(note)}" for note in pack.notes] + [""]
    return "\n".join([*out, marking, ""])
