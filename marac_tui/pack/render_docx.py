"""The pack as a Word document, laid out like the research form: the protective marking in every
page header and footer, the case and page numbers in the footer, shaded tables that repeat their
heading row on each page."""

from __future__ import annotations

import io

from docx import Document

from marac_tui.export import docx_export as form
from marac_tui.pack import model as m
from marac_tui.pack import wording as w

WIDTH = form.PAGE_WIDTH_CM


def _bullets(document, lines: list[str]) -> None:  # noqa: ANN001 - python-docx Document
    for line in lines:
        form._styled(document, "ListBullet", line)


def _person(document, person: m.Person) -> None:  # noqa: ANN001
    form._heading(document, f"{person.key}: {person.name}", 1)
    form._run(document.add_paragraph(), w.identity_line(person), italic=True, color=form.GREY)
    if person.matches:
        form._heading(document, "Why these records are one person", 2)
        _bullets(document, [w.match_line(person, link) for link in person.matches])
    form._heading(document, "Risks", 2)
    if person.risks:
        rows = [
            [risk.title + ("" if risk.addressed else "\nNo action addresses it"),
             "\n".join(f"{r.agency}: {w.evidence_text(r.evidence)}" for r in risk.raised_by)]
            for risk in person.risks
        ]  # fmt: skip
        form._table(document, ["Risk", "Raised by, with the shared answers"], rows, [5.0, WIDTH - 5.0])
    else:
        form._none(document, "No risk flags raised by any agency.")
    form._heading(document, "Where agencies disagree", 2)
    if person.conflicts:
        rows = [[c.label, "\n".join(w.stance_text(s) for s in c.stances)] for c in person.conflicts]
        form._table(document, ["Item", "What each agency recorded"], rows, [5.0, WIDTH - 5.0])
    else:
        form._none(document, "No disagreements between the agencies' shared answers.")
    form._heading(document, "Not checked by any agency", 2)
    if person.not_checked:
        rows = [list(line) for line in w.unchecked_by_area(person)]
        form._table(document, ["Research area", "Items, and who asked"], rows, [5.0, WIDTH - 5.0])
    else:
        form._none(document, "Every item an agency asked was checked by at least one agency.")
    form._heading(document, "Proposed actions", 2)
    for heading in person.actions:
        form._heading(document, heading.title, 3)
        rows = [[a.text, *w.action_cells(a), ", ".join(a.addresses) or "—"] for a in heading.actions]
        form._table(document, w.ACTION_COLUMNS, rows, [4.6, 2.4, 2.2, 2.2, 2.4, WIDTH - 13.8])
    if not person.actions:
        form._none(document, "No actions proposed by any agency.")
    form._heading(document, "Risks no action addresses", 2)
    if person.unaddressed:
        _bullets(document, person.unaddressed)
    else:
        form._none(document, "Every risk has an action.")
    if person.other_cases:
        form._heading(document, "The same person in other cases", 2)
        _bullets(document, [w.other_case_line(o) for o in person.other_cases])


def _front(document, pack: m.Pack) -> None:  # noqa: ANN001
    form._heading(document, f"{w.TITLE}: {pack.case_ref}", 0)
    form._run(document.add_paragraph(), w.FOR_CHAIR, italic=True, color=form.GREY)
    table = form._grid(document, 0, 2)
    rows = [
        ("Case reference", pack.case_ref),
        ("MARAC date", w.day(pack.marac_date)),
        ("Agencies", ", ".join(c.agency for c in pack.contributors) or "none"),
        ("Alleged perpetrators", ", ".join(f"{p.key} {p.name}" for p in pack.people) or "none"),
        ("Built", f"{pack.built_at:%d %b %Y %H:%M} UTC"),
    ]
    for label, value in rows:
        cells = table.add_row().cells
        form._shade(cells[0], form.LABEL_FILL)
        form._run(cells[0].paragraphs[0], label, bold=True)
        form._run(cells[1].paragraphs[0], value)
    form._widths(table, [5.0, WIDTH - 5.0])
    if pack.earlier_actions:
        form._heading(document, "Actions from the last meeting not done", 1)
        rows_ = [w.earlier_cells(a) for a in pack.earlier_actions]
        form._table(document, w.EARLIER_COLUMNS, rows_, [2.8, 2.0, 5.2, 2.6, 2.2, WIDTH - 14.8])
    form._heading(document, "Who is not round the table", 1)
    if pack.absent:
        form._table(document, ["Agency", "Why it matters for the person"], [[a.agency, a.why] for a in pack.absent],
                    [4.5, WIDTH - 4.5])  # fmt: skip
    else:
        form._none(document, "Every expected agency sent research.")
    form._heading(document, "Agencies in this pack", 1)
    form._table(document, w.CONTRIBUTOR_COLUMNS, [w.contributor_cells(c) for c in pack.contributors],
                [3.2, 3.2, 3.6, 3.6, WIDTH - 13.6])  # fmt: skip


class _Marked:
    """What the research form's header and footer need (the marking, the case in the first row)."""

    def __init__(self, pack: m.Pack) -> None:
        self.marking = pack.marking
        self.header = [("Case reference", pack.case_ref)]


def render_docx(pack: m.Pack) -> bytes:
    document = Document()
    form._styles(document)
    props = document.core_properties
    props.title = f"{w.TITLE} — {pack.case_ref}"
    props.author = props.last_modified_by = "marac-tui"
    props.comments = ""
    props.keywords = pack.marking
    form._marking(document, _Marked(pack))  # type: ignore[arg-type]  # reads .marking and .header only
    _front(document, pack)
    for person in pack.people:
        _person(document, person)
    if pack.notes:
        form._heading(document, "Notes", 1)
        _bullets(document, pack.notes)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
