"""A coordinator's list: one CSV row per submission, safe to open in a spreadsheet.

Cells that a spreadsheet would read as a formula (starting with = + - @, tab or carriage return)
get a leading apostrophe. UTF-8 with a byte-order mark, so Excel shows names correctly.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable

from marac_tui.export.content import flow_for, for_audience, one_line, sharing_basis
from marac_tui.export.report import actions_item
from marac_tui.submission import Action, Submission

COLUMNS = [
    "Case reference",
    "MARAC date",
    "Agency",
    "Basis for sharing",
    "Alleged perpetrator(s)",
    "Risk flags",
    "Actions",
    "Status",
    "Submission id",
    "Open actions",
    "Action tracking",
]
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: object) -> str:
    """The cell's text, defused if a spreadsheet would run it as a formula."""
    text = "" if value is None else one_line(value)
    return f"'{text}" if text.startswith(_FORMULA_START) else text


def csv_row(submission: Submission, audience: str) -> list[str]:
    flow = flow_for(submission)
    view = for_audience(submission, audience)
    name_item = flow.perpetrators.name_item if flow else "full_name"
    item_id = actions_item(flow)
    h = view.header
    return [
        safe_cell(h.case_ref),
        h.marac_date.isoformat() if h.marac_date else "",
        safe_cell(h.agency),
        safe_cell(sharing_basis(flow, view.answers)),
        safe_cell("; ".join(p.name(name_item, i) for i, p in enumerate(view.perpetrators))),
        str(sum(len(p.risks) for p in view.perpetrators)),
        str(sum(len(p.actions(item_id)) for p in view.perpetrators)),
        view.state.value,
        str(view.id),
        str(sum(a.open for p in view.perpetrators for a in p.actions(item_id))),
        safe_cell("; ".join(tracking_cell(a) for p in view.perpetrators for a in p.actions(item_id))),
    ]


def tracking_cell(action: Action) -> str:
    """'3f9c2b1a: Arrest ... | Police / DS Corran | due 2026-12-20 | agreed 2026-12-11' (ISO dates)."""
    parts = [f"{action.id}: {one_line(action.text)}", " / ".join(x for x in (action.agency, action.owner) if x) or "-",
             f"due {action.due.isoformat()}" if action.due else "no due date",
             action.status.value + (f" {action.status_date.isoformat()}" if action.status_date else "")]  # fmt: skip
    return " | ".join(parts)


def render_csv(submissions: Iterable[Submission], audience: str) -> bytes:
    """A header row, then one row per submission in MARAC-date then case-reference order."""
    rows = [csv_row(s, audience) for s in submissions]
    rows.sort(key=lambda r: (r[1] or "9999", r[0].lower()))
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8-sig")
