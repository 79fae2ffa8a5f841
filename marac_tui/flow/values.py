"""Turn what a user typed (or an answers file holds) into a stored value of the item's kind.

Stored values are plain JSON: strings, numbers, lists, mappings; dates as ISO `YYYY-MM-DD`.
"""

from __future__ import annotations

import re
import calendar
from datetime import date, datetime
from typing import Any

from marac_tui.flow.spec import NO, UNKNOWN, YES, YESNO_VALUES, Flow, Item, Kind

_YESNO = {
    "y": YES, "yes": YES, "true": YES,
    "n": NO, "no": NO, "false": NO,
    "u": UNKNOWN, "unknown": UNKNOWN, "?": UNKNOWN, "not known": UNKNOWN,
}  # fmt: skip


class AnswerError(ValueError):
    """An answer that does not fit its item; the message names the item and the problem."""

    def __init__(self, item_id: str, problem: str) -> None:
        self.item_id = item_id
        self.problem = problem
        super().__init__(f"{item_id}: {problem}")


_MONTHS = {name.lower(): n for n, name in enumerate(calendar.month_name) if name}
_MONTHS.update({name.lower(): n for n, name in enumerate(calendar.month_abbr) if name})
_MONTHS["sept"] = 9
# The shapes a date is written in: (pattern, order of year/month/day groups).
_SHAPES = (
    (re.compile(r"(\d{4})[-/](\d{1,2})[-/](\d{1,2})"), "ymd"),
    (re.compile(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4}|\d{2})"), "dmy"),
    (re.compile(r"(\d{1,2})\s+([a-z]+)\.?,?\s+(\d{4})", re.IGNORECASE), "dmy"),
)
FUTURE_REFUSED = ("date_of_birth",)  # date items that cannot lie in the future (ids shared across flows)


def parse_date(raw: Any) -> date:
    """A date from an ISO string, a UK day-first date (`31/01/2026`, `31 Jan 2026`), or 'today'.

    A date of the right shape that does not exist says so ("31 February 1990 does not exist").
    """
    if isinstance(raw, datetime):
        return raw.date()
    if isinstance(raw, date):
        return raw
    text = str(raw).strip()
    if text.lower() == "today":
        return date.today()
    for pattern, order in _SHAPES:
        match = pattern.fullmatch(text)
        if match:
            parts = dict(zip(order, match.groups()))
            return _real_date(parts["y"], parts["m"], parts["d"], text)
    raise ValueError(f"{text[:40]!r} is not a date (use DD/MM/YYYY or YYYY-MM-DD)")


def _real_date(year_text: str, month_text: str, day_text: str, text: str) -> date:
    year = int(year_text)
    if len(year_text) == 2:  # as strptime's %y: 69-99 are 1969-1999, 00-68 are 2000-2068
        year += 1900 if year >= 69 else 2000
    month = int(month_text) if month_text.isdigit() else _MONTHS.get(month_text.lower(), 0)
    if not month_text.isdigit() and not month:
        raise ValueError(f"{text[:40]!r} is not a date: {month_text[:20]!r} is not a month")
    if not 1 <= month <= 12:
        raise ValueError(f"{text[:40]!r} is not a date: there is no month {month}")
    day = int(day_text)
    if not 1 <= year <= 9999 or not 1 <= day <= calendar.monthrange(year, month)[1]:
        raise ValueError(f"{day} {calendar.month_name[month]} {year} does not exist")
    return date(year, month, day)


def refuse_future(what: str, when: date) -> None:
    """ValueError for a date that cannot be later than today (a date of birth, a date checked)."""
    if when > date.today():
        raise ValueError(f"{what} {when:%d/%m/%Y} is in the future")


def lone_surrogate(data: Any) -> str | None:
    """Where `data` (nested lists and mappings) holds text with a lone surrogate, which is not text
    and cannot be stored or printed: a path like `perpetrators[1].full_name`, or None."""
    todo: list[tuple[str, Any]] = [("", data)]
    while todo:
        where, value = todo.pop()
        if isinstance(value, str) and _SURROGATE.search(value):
            return where or "(top level)"
        if isinstance(value, dict):
            for key, child in value.items():
                if isinstance(key, str) and _SURROGATE.search(key):
                    return f"{where}.(a key)" if where else "(a key)"
                todo.append((f"{where}.{key}" if where else str(key), child))
        elif isinstance(value, list):
            todo.extend((f"{where}[{n + 1}]", child) for n, child in enumerate(value))
    return None


_SURROGATE = re.compile("[\ud800-\udfff]")


def _is_empty(raw: Any) -> bool:
    return raw is None or (isinstance(raw, str) and not raw.strip()) or (isinstance(raw, (list, dict)) and not raw)


def _choice(item: Item, raw: Any) -> str:
    text = str(raw).strip()
    options = item.options or []
    if text.isdigit() and 1 <= int(text) <= len(options):
        return options[int(text) - 1].value
    for option in options:
        if text.lower() in (option.value.lower(), option.label.lower()):
            return option.value
    allowed = ", ".join(o.value for o in options)
    raise AnswerError(item.id, f"{text[:40]!r} is not one of the options ({allowed})")


def coerce(item: Item, raw: Any, flow: Flow | None = None) -> Any:
    """The stored value for `raw`, or None for no answer; raises AnswerError if it does not fit."""
    if _is_empty(raw):
        if item.required:
            raise AnswerError(item.id, "an answer is required")
        return [] if item.kind in (Kind.repeat, Kind.actions) and isinstance(raw, list) else None
    match item.kind:
        case Kind.text | Kind.longtext:
            if isinstance(raw, (dict, list)):
                raise AnswerError(item.id, f"expected text, got a {type(raw).__name__}")
            text = str(raw) if item.kind == Kind.longtext else str(raw).strip()
            if item.pattern and not re.fullmatch(item.pattern, text.strip(), re.IGNORECASE):
                raise AnswerError(item.id, item.constraint_message or f"{text[:40]!r} is not in the expected format")
            return text
        case Kind.yesno:
            key = {True: YES, False: NO}.get(raw) if isinstance(raw, bool) else _YESNO.get(str(raw).strip().lower())
            if key not in YESNO_VALUES:
                raise AnswerError(item.id, f"{str(raw)[:40]!r} is not yes, no or unknown")
            return key
        case Kind.choice:
            return _choice(item, raw)
        case Kind.multichoice:
            parts = raw if isinstance(raw, list) else [p for p in str(raw).split(",") if p.strip()]
            return list(dict.fromkeys(_choice(item, p) for p in parts))
        case Kind.date:
            try:
                when = parse_date(raw)
                if item.id in FUTURE_REFUSED:
                    refuse_future("the date of birth", when)
            except ValueError as exc:
                raise AnswerError(item.id, str(exc)) from None
            return when.isoformat()
        case Kind.number:
            return _number(item, raw)
        case Kind.repeat:
            if not isinstance(raw, list):
                raise AnswerError(item.id, "expected a list of entries")
            return [_group(item, entry, f"{item.id}[{n + 1}]") for n, entry in enumerate(raw)]
        case Kind.group:
            return _group(item, raw, item.id)
        case Kind.actions:
            return _actions(item, raw, flow)
    raise AnswerError(item.id, f"unsupported kind {item.kind}")  # pragma: no cover


def _number(item: Item, raw: Any) -> int | float:
    if isinstance(raw, bool):
        raise AnswerError(item.id, "expected a number")
    try:
        value = float(str(raw).strip().replace(",", ""))
    except ValueError:
        raise AnswerError(item.id, f"{str(raw)[:40]!r} is not a number") from None
    if value != value or value in (float("inf"), float("-inf")):
        raise AnswerError(item.id, "expected a finite number")
    if item.min is not None and value < item.min:
        raise AnswerError(item.id, f"must be at least {item.min:g}")
    if item.max is not None and value > item.max:
        raise AnswerError(item.id, f"must be at most {item.max:g}")
    return int(value) if value.is_integer() else value


def _group(item: Item, raw: Any, where: str) -> dict[str, Any]:
    if not isinstance(raw, dict):
        raise AnswerError(where, "expected a mapping of field names to answers")
    fields = {f.id: f for f in item.fields or ()}
    unknown = [k for k in raw if k not in fields]
    if unknown:
        raise AnswerError(where, f"unknown field {unknown[0]!r} (fields: {', '.join(fields)})")
    entry: dict[str, Any] = {}
    for field in fields.values():
        if field.pattern and field.pattern_when and not _holds(field.pattern_when, raw):
            field = field.model_copy(update={"pattern": None})  # e.g. a foreign plate is not a UK one
        try:
            value = coerce(field, raw.get(field.id))
        except AnswerError as exc:
            raise AnswerError(f"{where}.{field.id}", exc.problem) from None
        if value is not None:
            entry[field.id] = value
    return entry


def _holds(expression: str, entry: dict[str, Any]) -> bool:
    from marac_tui.flow.expr import compile_expression

    return compile_expression(expression).truth(entry)


def _actions(item: Item, raw: Any, flow: Flow | None) -> list[dict[str, Any]]:
    from pydantic import ValidationError

    from marac_tui.submission import Action

    if not isinstance(raw, list):
        raise AnswerError(item.id, "expected a list of actions")
    headings = {h.id for h in flow.action_headings} if flow else set()
    risks = {r.id for r in flow.risks} if flow else set()
    actions = []
    for n, entry in enumerate(raw):
        where = f"{item.id}[{n + 1}]"
        try:
            action = Action.model_validate(entry)
        except ValidationError as exc:
            err = exc.errors()[0]
            raise AnswerError(where, f"{'.'.join(map(str, err['loc']))}: {err['msg']}") from None
        if flow and action.heading not in headings:
            raise AnswerError(where, f"unknown heading {action.heading!r} (headings: {', '.join(headings)})")
        if flow and (bad := [r for r in action.addresses if r not in risks]):
            raise AnswerError(where, f"unknown risk {bad[0]!r}")
        actions.append(action.model_dump(mode="json", exclude_none=True))
    return actions


def display(item: Item, value: Any) -> str:
    """A one-line, human reading of a stored value (plain text, never markup)."""
    if value is None:
        return "—"
    match item.kind:
        case Kind.yesno:
            return str(value).capitalize()
        case Kind.choice:
            return item.option_label(value)
        case Kind.multichoice:
            return ", ".join(item.option_label(v) for v in value) or "None"
        case Kind.repeat:
            return f"{len(value)} entr{'y' if len(value) == 1 else 'ies'}" if value else "None"
        case Kind.group:
            fields = {f.id: f for f in item.fields or ()}
            return "; ".join(f"{fields[k].prompt}: {display(fields[k], v)}" for k, v in value.items() if k in fields)
        case Kind.actions:
            return f"{len(value)} action{'s' if len(value) != 1 else ''}"
        case Kind.date:
            try:
                return date.fromisoformat(value).strftime("%d %b %Y")
            except (TypeError, ValueError):
                return str(value)
    return str(value)
