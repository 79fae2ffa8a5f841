"""The research form as a Word document (python-docx), laid out like a MARAC research form.

Protective marking in the page header and footer; a case-details table; per alleged perpetrator,
one table per research area (answer, then status · source · date checked · fact/opinion), repeating
entries as nested tables, the risk flags with the answers that raised them, the proposed actions
under the flow's headings, and the gaps. The internal copy adds "Information not shared, and why".
"""

from __future__ import annotations

import io

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

from marac_tui.export.report import Block, PerpetratorPart, Report, Row, gap_lines

FONT = "Arial"
INK = RGBColor(0x1F, 0x2A, 0x44)
GREY = RGBColor(0x59, 0x59, 0x59)
RED = RGBColor(0xA5, 0x00, 0x21)
LABEL_FILL = "E7E9EE"
HEAD_FILL = "1F2A44"
WITHHELD_FILL = "FBE9EC"
PAGE_WIDTH_CM = 17.0  # A4 less 2 cm margins


def _shade(cell, fill: str) -> None:  # noqa: ANN001 - python-docx _Cell
    tc_pr = cell._tc.get_or_add_tcPr()
    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), fill)
    tc_pr.append(shd)


def _repeat_header(row) -> None:  # noqa: ANN001 - python-docx _Row
    tr_pr = row._tr.get_or_add_trPr()
    flag = OxmlElement("w:tblHeader")
    flag.set(qn("w:val"), "true")
    tr_pr.append(flag)


def _field(paragraph, code: str) -> None:  # noqa: ANN001 - python-docx Paragraph
    """A Word field such as PAGE or NUMPAGES (LibreOffice and Word both fill it in)."""
    simple = OxmlElement("w:fldSimple")
    simple.set(qn("w:instr"), code)
    run = OxmlElement("w:r")
    props = OxmlElement("w:rPr")
    size = OxmlElement("w:sz")
    size.set(qn("w:val"), "16")
    color = OxmlElement("w:color")
    color.set(qn("w:val"), str(GREY))
    props.extend([color, size])
    run.append(props)
    text = OxmlElement("w:t")
    text.text = "1"
    run.append(text)
    simple.append(run)
    paragraph._p.append(simple)


def _run(paragraph, text: str, *, bold=False, italic=False, size=None, color=None):  # noqa: ANN001, ANN202
    run = paragraph.add_run(text)
    run.bold = bold or None
    run.italic = italic or None
    if size:
        run.font.size = Pt(size)
    if color is not None:
        run.font.color.rgb = color
    return run


def _styled(container, style_id: str, text: str = ""):  # noqa: ANN001, ANN202
    """A paragraph in a built-in style, set by id (python-docx's lookup by name is slow)."""
    paragraph = container.add_paragraph(text)
    paragraph._p.style = style_id
    return paragraph


def _heading(document, text: str, level: int) -> None:  # noqa: ANN001
    _styled(document, "Title" if level == 0 else f"Heading{level}", text)


def _grid(container, rows: int, cols: int):  # noqa: ANN001, ANN202
    table = container.add_table(rows=rows, cols=cols)
    table._tbl.tblStyle_val = "TableGrid"
    return table


def _widths(table, widths_cm: list[float]) -> None:  # noqa: ANN001 - python-docx Table
    """Fixed column widths: the grid (LibreOffice reads it) and every cell (Word reads those)."""
    table.autofit = False
    for column, width in zip(table.columns, widths_cm, strict=False):
        column.width = Cm(width)
    for row in table.rows:
        for cell, width in zip(row.cells, widths_cm, strict=False):
            cell.width = Cm(width)


def _table(container, columns: list[str], rows: list[list[str]], widths_cm: list[float]):  # noqa: ANN001, ANN202
    """A grid with a shaded heading row that repeats on each page."""
    table = _grid(container, 1, len(columns))
    table.alignment = WD_TABLE_ALIGNMENT.LEFT
    for cell, title in zip(table.rows[0].cells, columns, strict=True):
        _shade(cell, HEAD_FILL)
        _run(cell.paragraphs[0], title, bold=True, size=9, color=RGBColor(0xFF, 0xFF, 0xFF))
    _repeat_header(table.rows[0])
    for values in rows:
        cells = table.add_row().cells
        for cell, value in zip(cells, values, strict=False):
            _run(cell.paragraphs[0], value, size=9)
    _widths(table, widths_cm)
    return table


def _styles(document) -> None:  # noqa: ANN001 - python-docx Document
    normal = document.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(10)
    for name, size in (("Title", 18), ("Heading 1", 14), ("Heading 2", 12), ("Heading 3", 10.5)):
        style = document.styles[name]
        style.font.name = FONT
        style.font.size = Pt(size)
        style.font.color.rgb = INK
    section = document.sections[0]
    section.page_width, section.page_height = Cm(21.0), Cm(29.7)
    for side in ("left_margin", "right_margin"):
        setattr(section, side, Cm(2.0))
    section.top_margin = section.bottom_margin = Cm(1.8)


def _marking(document, report: Report) -> None:  # noqa: ANN001
    section = document.sections[0]
    head = section.header.paragraphs[0]
    head.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _run(head, report.marking, bold=True, size=11, color=RED)
    foot = section.footer.paragraphs[0]
    foot.alignment = WD_ALIGN_PARAGRAPH.CENTER
    case = report.header[0][1]
    _run(foot, f"{report.marking}  ·  Case {case}  ·  Page ", size=8, color=GREY)
    _field(foot, "PAGE")
    _run(foot, " of ", size=8, color=GREY)
    _field(foot, "NUMPAGES")


def _heading_block(document, report: Report) -> None:  # noqa: ANN001
    _heading(document, report.title, 0)
    if report.internal:
        banner = document.add_paragraph()
        _run(banner, "INTERNAL COPY — ", bold=True, color=RED)
        _run(banner, "includes information not shared at the meeting, and why. Do not circulate.", color=RED)
    else:
        note = document.add_paragraph()
        _run(note, "For the MARAC meeting: only information marked to be shared is included.", italic=True, color=GREY)
    table = _grid(document, 0, 2)
    for label, value in report.header:
        cells = table.add_row().cells
        _shade(cells[0], LABEL_FILL)
        _run(cells[0].paragraphs[0], label, bold=True)
        _run(cells[1].paragraphs[0], value)
    _widths(table, [5.0, PAGE_WIDTH_CM - 5.0])


def _answer_cell(cell, row: Row) -> None:  # noqa: ANN001 - python-docx _Cell
    first = cell.paragraphs[0]
    if row.table is not None:
        count = len(row.table.rows)
        _run(first, f"{count} entr{'y' if count == 1 else 'ies'}", size=9, color=GREY)
    else:
        _run(first, row.text)
    if row.meta:
        _run(cell.add_paragraph(), row.meta, italic=True, size=8.5, color=GREY)
    if row.withheld_reason is not None:
        _shade(cell, WITHHELD_FILL)
        note = cell.add_paragraph()
        _run(note, "NOT SHARED (internal): ", bold=True, size=8.5, color=RED)
        _run(note, row.withheld_reason, size=8.5, color=RED)
    if row.table is not None:
        width = (PAGE_WIDTH_CM - 6.4) / max(1, len(row.table.columns))
        _table(cell, row.table.columns, row.table.rows, [width] * len(row.table.columns))


def _section(document, block: Block) -> None:  # noqa: ANN001
    _heading(document, block.title, 2)
    table = _grid(document, 0, 2)
    for row in block.rows:
        cells = table.add_row().cells
        _shade(cells[0], LABEL_FILL)
        _run(cells[0].paragraphs[0], row.label, bold=True, size=9)
        _answer_cell(cells[1], row)
    _widths(table, [6.0, PAGE_WIDTH_CM - 6.0])


def _none(document, text: str) -> None:  # noqa: ANN001
    _run(document.add_paragraph(), text, italic=True, color=GREY)


def _perpetrator(document, number: int, part: PerpetratorPart) -> None:  # noqa: ANN001
    _heading(document, f"Alleged perpetrator {number}: {part.name}", 1)
    for block in part.sections:
        _section(document, block)
    _heading(document, "Risks for the Chair", 2)
    if part.risks:
        rows = [
            [risk.title, "\n".join(f"{e.label}: {e.text}" for e in risk.evidence) or "—"] for risk in part.risks
        ]
        _table(document, ["Risk", "Raised by"], rows, [5.0, PAGE_WIDTH_CM - 5.0])
    else:
        _none(document, "No risk flags raised.")
    _heading(document, "Proposed actions", 2)
    for heading in part.actions:
        _heading(document, heading.title, 3)
        if heading.actions:
            rows = [[f"{a.text}\n(id {a.id})", a.owners, a.due_text, a.status_line, ", ".join(a.addresses) or "—"]
                    for a in heading.actions]  # fmt: skip
            _table(document, ["Action", "Owner", "Due", "Status", "Risks addressed"], rows, [6.0, 3.0, 2.3, 2.7, 3.0])
        else:
            _none(document, "None proposed.")
    _heading(document, "Gaps", 2)
    gaps = gap_lines(part.gaps, part.not_checked, part.not_checked_areas)
    for gap in gaps:
        _styled(document, "ListBullet", gap)
    if not gaps:
        _none(document, "No gaps: every risk has an action and every item was checked.")


def _withheld(document, report: Report) -> None:  # noqa: ANN001
    """On a page of its own, so it can be taken out of a copy that goes further."""
    document.add_page_break()
    _heading(document, "Information not shared, and why", 1)
    if not report.withheld:
        _none(document, "Nothing was withheld.")
        return
    rows = [[w.where, w.label, w.text, w.reason] for w in report.withheld]
    _table(document, ["Whose research", "Item", "Answer", "Why not shared"], rows, [3.0, 4.5, 5.0, 4.5])


def render_docx(report: Report) -> bytes:
    document = Document()
    _styles(document)
    props = document.core_properties
    props.title = f"{report.title} — {report.header[0][1]}"
    props.author = props.last_modified_by = "marac-tui"
    props.comments = ""
    props.keywords = report.marking
    _marking(document, report)
    _heading_block(document, report)
    if report.case_sections or report.case_not_checked:
        _heading(document, "Case", 1)
        for block in report.case_sections:
            _section(document, block)
        for label in report.case_not_checked:
            _styled(document, "ListBullet", f"Not checked: {label}")
    for number, part in enumerate(report.perpetrators, start=1):
        _perpetrator(document, number, part)
    if report.internal:
        _withheld(document, report)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
