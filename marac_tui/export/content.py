"""What every export shares: who may see what (the audience), and plain-text readings of answers.

User text is data: `clean` makes it safe for any output (no control characters, no lone surrogates),
and the meeting view removes withheld answers before any renderer sees the submission.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Any

from marac_tui.flow.spec import Flow, Item, Kind
from marac_tui.flow.values import display
from marac_tui.submission import HEADER_ITEMS, Answer, Submission

MEETING = "meeting"
INTERNAL = "internal"
AUDIENCES = (MEETING, INTERNAL)
_BAD = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


def clean(text: Any) -> str:
    """Plain text safe for a terminal, XML or a spreadsheet: control characters shown as escapes."""
    text = str(text).replace("\r\n", "\n").replace("\r", "\n")

    def escape(match: re.Match[str]) -> str:
        char = match.group()
        return "\ufffd" if unicodedata.category(char) in ("Cs", "Cn") else f"\\x{ord(char):02x}"

    return _BAD.sub(escape, text)


def one_line(text: Any, limit: int | None = None) -> str:
    """`clean` text on a single line, optionally cut to `limit` characters with an ellipsis."""
    line = " ".join(clean(text).split())
    if limit is not None and len(line) > limit:
        line = line[: limit - 1].rstrip() + "…"
    return line


def flow_for(submission: Submission) -> Flow | None:
    """The submission's flow, or None when it is missing or no longer loads (raw ids are shown)."""
    from marac_tui.flow.loader import load_named

    try:
        return load_named(submission.flow.name)
    except Exception:  # noqa: BLE001 - a missing or broken flow must not stop an export
        return None


def find_item(flow: Flow | None, item_id: str) -> Item | None:
    return flow.item(item_id) if flow is not None and flow.has_item(item_id) else None


def item_label(flow: Flow | None, item_id: str) -> str:
    """An item's prompt as a one-line label (Markdown emphasis removed), else its raw id."""
    item = find_item(flow, item_id)
    if item is None:
        retired = flow.retired_label(item_id) if flow is not None else None
        return one_line(retired, 160) if retired else item_id
    first = next((line for line in item.prompt.splitlines() if line.strip()), item_id)
    return one_line(re.sub(r"^#+\s*|[*_`]", "", first.strip()), 160) or item_id


def answer_text(item: Item | None, value: Any) -> str:
    """A plain reading of a stored value; repeats spelt out entry by entry."""
    if item is None:
        if isinstance(value, list):
            return "; ".join(answer_text(None, v) for v in value) or "None"
        if isinstance(value, dict):
            return ", ".join(f"{k}: {answer_text(None, v)}" for k, v in value.items())
        return "—" if value is None else clean(value)
    if item.kind == Kind.repeat and value:
        fields = item.fields or []
        entries = [", ".join(display(f, e[f.id]) for f in fields if e.get(f.id) is not None) for e in value]
        return clean("; ".join(entries))
    return clean(display(item, value))


def repeat_table(item: Item | None, value: Any) -> tuple[list[str], list[list[str]]] | None:
    """Column titles and rows for a repeat answer (a list of mappings), or None for other answers."""
    if not (isinstance(value, list) and value and all(isinstance(e, dict) for e in value)):
        return None
    if item is not None and item.kind == Kind.repeat:
        fields = item.fields or []
        columns = [one_line(f.prompt, 60) for f in fields]
        rows = [[clean(display(f, e.get(f.id))) if e.get(f.id) is not None else "" for f in fields] for e in value]
        return columns, rows
    if item is None:
        keys = list(dict.fromkeys(k for e in value for k in e))
        return keys, [[answer_text(None, e.get(k)) if e.get(k) is not None else "" for k in keys] for e in value]
    return None


def meta_line(answer: Answer) -> str | None:
    """How the representative knows: 'Found · PNC · checked 20 Nov 2026 · Fact', or None."""
    return " · ".join(one_line(part, 80) for part in answer.provenance()) or None


def meeting_view(submission: Submission) -> Submission:
    """A copy holding only what is shared: withheld answers, and citations of them, removed."""
    view = submission.model_copy(deep=True)
    withheld_case = {k for k, a in view.answers.items() if not a.share}
    view.answers = {k: a for k, a in view.answers.items() if a.share}
    view.header = view.header.model_copy(update={k: None for k in HEADER_ITEMS if k in withheld_case})
    for perpetrator in view.perpetrators:
        perpetrator.answers = {k: a for k, a in perpetrator.answers.items() if a.share}
        visible = set(view.answers) | set(perpetrator.answers)
        for risk in perpetrator.risks:
            risk.cites = [c for c in risk.cites if c in visible]
    return view


def for_audience(submission: Submission, audience: str) -> Submission:
    if audience not in AUDIENCES:
        raise ValueError(f"unknown audience {audience!r} (audiences: {', '.join(AUDIENCES)})")
    return meeting_view(submission) if audience == MEETING else submission


@dataclass(frozen=True)
class WithheldLine:
    """One answer kept back from the meeting, with the researcher's reason (internal only)."""

    where: str
    label: str
    text: str
    reason: str


def withheld_lines(submission: Submission, flow: Flow | None) -> list[WithheldLine]:
    name_item = flow.perpetrators.name_item if flow else None
    scopes = [("Case", submission.answers)]
    scopes += [(p.name(name_item, i), p.answers) for i, p in enumerate(submission.perpetrators)]
    return [
        WithheldLine(
            where=one_line(where, 80),
            label=item_label(flow, item_id),
            text=answer_text(find_item(flow, item_id), answer.value),
            reason=clean(answer.withhold_reason or ""),
        )
        for where, answers in scopes
        for item_id, answer in answers.items()
        if not answer.share
    ]


SHARING_BASIS = "sharing_basis"  # the case item every flow uses for the lawful basis of sharing (shared id)


def sharing_basis(flow: Flow | None, answers: dict[str, Answer]) -> str:
    """The lawful basis the agency shares on, as its label (with the details given for 'other'); '' if none."""
    answer = answers.get(SHARING_BASIS)
    if answer is None or answer.value in (None, ""):
        return ""
    text = answer_text(find_item(flow, SHARING_BASIS), answer.value)
    details = answers.get(f"{SHARING_BASIS}_details")
    if details is not None and details.value not in (None, ""):
        text += f" ({clean(details.value)})"
    return one_line(text, 200)
