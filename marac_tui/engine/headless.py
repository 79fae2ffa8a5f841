"""Feed an answers file through the interview engine, exactly as the chat would.

The answers file maps item ids to values. A perpetrator's items go under `perpetrators:` (a list,
one mapping per perpetrator) or, for a single perpetrator, at the top level. A value may be given
with its provenance as a mapping: `{value, status, source, checked, basis, share, reason}`.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from marac_tui.engine.interview import AnswerMeta, Interview
from marac_tui.flow.spec import Flow, Kind
from marac_tui.flow.values import AnswerError, parse_date, refuse_future
from marac_tui.submission import Basis, Status

META_KEYS = {"value", "status", "source", "checked", "checked_on", "basis", "share", "reason", "withhold_reason"}


class AnswersError(ValueError):
    """A problem in the answers file, naming the item."""


def _split(item_kind: Kind, raw: Any, where: str) -> tuple[Any, AnswerMeta | None]:
    """Separate a value from its provenance mapping, if it has one."""
    is_meta = isinstance(raw, dict) and (item_kind != Kind.group or "value" in raw) and set(raw) <= META_KEYS
    if not is_meta:
        if isinstance(raw, dict) and item_kind not in (Kind.group,):
            unknown = sorted(map(str, set(raw) - META_KEYS))
            raise AnswersError(f"{where}: unknown key {unknown[0]!r} (allowed: {', '.join(sorted(META_KEYS))})")
        return raw, None
    try:
        checked = raw.get("checked", raw.get("checked_on"))
        share = raw.get("share", True)
        if not isinstance(share, bool):
            raise ValueError(f"share must be true or false, not {_shown(share)}")
        checked_on = parse_date(_text(raw, "checked", checked, dates=True)) if checked else None
        if checked_on is not None:
            refuse_future("the date checked", checked_on)
        meta = AnswerMeta(
            status=Status(_text(raw, "status")) if raw.get("status") else None,
            source=_text(raw, "source"),
            checked_on=checked_on,
            basis=Basis(_text(raw, "basis")) if raw.get("basis") else None,
            share=share,
            withhold_reason=_text(raw, "reason", raw.get("reason", raw.get("withhold_reason"))),
        )
    except ValueError as exc:
        raise AnswersError(f"{where}: {exc}") from None
    return raw.get("value"), meta


def _text(raw: dict[str, Any], key: str, value: Any = None, dates: bool = False) -> Any:
    """A provenance field that must be text (a date too, for `checked`); ValueError naming it otherwise."""
    value = raw.get(key) if value is None else value
    if value is None or isinstance(value, str) or (dates and isinstance(value, date)):
        return value
    raise ValueError(f"{key} must be text, not {_shown(value)}")


def _shown(value: Any) -> str:
    kind = {list: "a list", dict: "a mapping", bool: "true/false"}.get(type(value))
    return kind or repr(value)[:40]


def _scopes(flow: Flow, data: dict[str, Any]) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """Case answers and per-perpetrator answers; unknown ids are errors."""
    if not isinstance(data, dict):
        raise AnswersError("the answers file must be a mapping of item ids to answers")
    case_ids = {i.id for s in flow.sections if s.scope == "case" for i in s.items}
    perp_ids = {i.id for s in flow.sections if s.scope == "perpetrator" for i in s.items}
    case = {k: v for k, v in data.items() if k in case_ids}
    top_perp = {k: v for k, v in data.items() if k in perp_ids}
    perpetrators = data.get("perpetrators")
    for key in data:
        if key not in case_ids and key not in perp_ids and key != "perpetrators":
            raise AnswersError(f"{key}: unknown item id in flow {flow.name!r}")
    if perpetrators is None:
        return case, [top_perp]
    if top_perp:
        raise AnswersError(f"{next(iter(top_perp))}: put perpetrator answers under 'perpetrators:'")
    if not isinstance(perpetrators, list) or not all(isinstance(p, dict) for p in perpetrators):
        raise AnswersError("perpetrators: expected a list of mappings, one per perpetrator")
    for n, answers in enumerate(perpetrators):
        for key in answers:
            if key not in perp_ids:
                where = "a case item" if key in case_ids else "unknown item id"
                raise AnswersError(f"perpetrators[{n + 1}].{key}: {where} in flow {flow.name!r}")
    return case, perpetrators


def run_answers(interview: Interview, data: Any, warn: Callable[[str], None]) -> None:
    """Answer every reachable item from `data`; items with no answer are skipped (research: not checked).

    Raises AnswersError naming the item on the first answer that does not fit; what was answered
    before it has already been recorded (and autosaved through `interview.on_change`).
    """
    flow = interview.flow
    case, perpetrators = _scopes(flow, data)
    used: set[tuple[int | None, str]] = set()
    while not interview.done:
        item = interview.current
        assert item is not None
        scope = interview.current_scope
        source = case if scope is None else (perpetrators[scope] if scope < len(perpetrators) else {})
        where = item.id if scope is None else f"perpetrators[{scope + 1}].{item.id}"
        try:
            if item.id in source:
                used.add((scope, item.id))
                value, meta = _split(item.kind, source[item.id], where)
                for warning in interview.answer(value, meta):
                    warn(warning)
            else:
                if item.required:
                    raise AnswersError(f"{where}: an answer is required")
                interview.skip()
        except AnswerError as exc:
            raise AnswersError(f"{where}: {exc.problem}" if exc.item_id == item.id else f"{scope_prefix(scope)}{exc}") from None
    for n, answers in [(None, case), *enumerate(perpetrators)]:
        for key in answers:
            if (n, key) not in used:
                who = "" if n is None else f"perpetrators[{n + 1}]."
                warn(f"{who}{key}: not asked, given the other answers; not stored")


def scope_prefix(scope: int | None) -> str:
    return "" if scope is None else f"perpetrators[{scope + 1}]."
