"""What plain mode says, as text: questions, how to answer each kind, answers and provenance in words.

Written to be heard as well as read: words rather than symbols, one fact a line, and dates spoken
in full ("1 December 2026", "today").
"""

from __future__ import annotations

import calendar
import re
from datetime import date
from typing import Any

from marac_tui.engine.provenance import AnswerMeta
from marac_tui.flow.spec import UNKNOWN, Flow, Item, Kind
from marac_tui.flow.values import display
from marac_tui.submission import STATUS_LABELS, Answer, Basis, Status

VALUE_LIMIT = 300

_EMPHASIS = re.compile(r"(\*\*|__|\*|`)")
_LINK = re.compile(r"\[([^\]]+)\]\(([^)]+)\)")
_HEADING = re.compile(r"^\s{0,3}#+\s*")
_BULLET = re.compile(r"^(\s*)[-*+]\s+")


def plain_text(markdown: str) -> str:
    """Trusted flow Markdown as plain lines: emphasis dropped, links spelt out, one paragraph a line."""
    paragraphs: list[str] = []
    current: list[str] = []
    for raw in markdown.splitlines():
        line = _LINK.sub(r"\1 (\2)", _EMPHASIS.sub("", _HEADING.sub("", raw)))
        bullet = _BULLET.match(line)
        if not line.strip() or bullet:
            if current:
                paragraphs.append(" ".join(current))
                current = []
        if bullet:
            current = ["- " + line[bullet.end() :].strip()]
        elif line.strip():
            current.append(line.strip())
    if current:
        paragraphs.append(" ".join(current))
    return "\n".join(paragraphs)


def spoken_date(day: date | None, today: date | None = None) -> str:
    if day is None:
        return "no date"
    if day == (today or date.today()):
        return "today"
    return f"{day.day} {day:%B %Y}"


def options_lines(item: Item) -> list[str]:
    """Each option on its own line, numbered, with its full label."""
    return [f"{n}. {option.label}" for n, option in enumerate(item.options or (), 1)]


def how_to_answer(item: Item, brief: bool = False) -> str:
    """What to type for an item of this kind; `brief` once the user has heard it in full."""
    match item.kind:
        case Kind.yesno:
            return "y, n or u." if brief else "Type y for yes, n for no, or u for not known."
        case Kind.choice:
            return "Type the number of one option."
        case Kind.multichoice:
            return "Type the numbers of all that apply, separated by commas, or none."
        case Kind.date:
            if brief:
                return "Type a date, or today."
            return "Type a date, such as 23/04/1985 or 23 April 1985, or type today."
        case Kind.number:
            limits = ""
            if item.min is not None and item.max is not None:
                limits = f" from {item.min:g} to {item.max:g}"
            elif item.min is not None:
                limits = f", at least {item.min:g}"
            elif item.max is not None:
                limits = f", at most {item.max:g}"
            return f"Type a number{limits}."
        case Kind.longtext:
            if brief:
                return ""
            return "Type the answer. To write several lines, end each line but the last with a backslash."
        case Kind.text:
            return "" if brief else "Type the answer."
    return ""


MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_SHORT_DATE = re.compile(r"\b(\d{1,2}) (" + "|".join(MONTHS) + r") (\d{4})\b")
_LONG_MONTHS = dict(zip(MONTHS, ("January", "February", "March", "April", "May", "June", "July", "August",
                                 "September", "October", "November", "December")))  # fmt: skip


def spoken(text: str) -> str:
    """Short dates said in full: '01 Dec 2026' becomes '1 December 2026' (a speech synthesiser reads
    'Dec' as a word and '01' as 'zero one')."""
    return _SHORT_DATE.sub(lambda m: f"{int(m.group(1))} {_LONG_MONTHS[m.group(2)]} {m.group(3)}", text)


def date_problem(text: str) -> str:
    """Why a typed date is refused, in words: a day that does not exist, or a form not understood."""
    day_first = re.fullmatch(r"\s*(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})\s*", text)
    year_first = re.fullmatch(r"\s*(\d{4})[/-](\d{1,2})[/-](\d{1,2})\s*", text)
    if day_first or year_first:
        if day_first:
            day, month, year = map(int, day_first.groups())
        else:
            year, month, day = map(int, year_first.groups())  # type: ignore[union-attr]
        if 1 <= month <= 12:
            last = calendar.monthrange(year, month)[1]
            if not 1 <= day <= last:
                return f"there is no {day} {calendar.month_name[month]} {year}: that month has {last} days"
        else:
            order = "the day comes first, then the month" if day_first else "the year, then the month, then the day"
            return f"{text.strip()} has no month {month}: {order}"
    return f"{text.strip()[:40]!r} is not a date I can read"


def value_text(item: Item, value: Any, flow: Flow) -> str:
    """A stored answer as it would be said back (one line, long text cut)."""
    if value is None:
        return "no answer"
    if item.kind is Kind.repeat:
        return f"{len(value)} entr{'y' if len(value) == 1 else 'ies'}" if value else "none"
    if item.kind is Kind.actions:
        if not value:
            return "no actions"
        return "; ".join(action_text(flow, action) for action in value)
    if item.kind is Kind.date and isinstance(value, str):
        try:
            return spoken_date(date.fromisoformat(value), today=date.min)
        except ValueError:
            pass
    if item.kind is Kind.yesno and value == UNKNOWN:
        return "Not known"
    text = " ".join(display(item, value).split())
    if len(text) > VALUE_LIMIT:
        text = f"{text[:VALUE_LIMIT]} … ({len(text):,} characters in all)"
    return text


def entry_text(item: Item, entry: dict[str, Any]) -> str:
    """One entry of a list, field by field: 'Name: Cal Ashdale, Type: Alias'."""
    fields = {f.id: f for f in item.fields or ()}
    parts = [f"{fields[k].prompt.rstrip('?:')}: {display(fields[k], v)}" for k, v in entry.items() if k in fields]
    return ", ".join(parts) or "(empty)"


def action_text(flow: Flow, action: dict[str, Any]) -> str:
    owner = f" ({action['agency']})" if action.get("agency") else ""
    return f"{flow.heading_title(action['heading'])}: {action['text']}{owner}"


def meta_words(meta: AnswerMeta | Answer, today: date | None = None, source_note: str = "") -> str:
    """Provenance in words: 'Found, PNC, checked today, fact, shared' (`source_note` follows the
    source, in brackets)."""
    status = meta.status or Status.found
    parts = [STATUS_LABELS[status]]
    if status is Status.not_checked:
        parts.append("so no source and no date")
    else:
        parts.append((meta.source or "no source") + (f" ({source_note})" if source_note else ""))
        parts.append("checked " + spoken_date(meta.checked_on, today) if meta.checked_on else "no date checked")
    parts.append("professional opinion" if meta.basis is Basis.opinion else "fact")
    if meta.share:
        parts.append("shared")
    elif (meta.withhold_reason or "").strip():
        parts.append(f"withheld: {meta.withhold_reason}")
    else:
        parts.append("withheld, reason still needed")
    return ", ".join(parts)


def first_sentence(prompt: str) -> str:
    """The first line of a prompt, for reminders."""
    text = plain_text(prompt)
    return text.splitlines()[0] if text else prompt
