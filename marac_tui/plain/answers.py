"""Answering one question in plain mode, by kind: the raw answer the engine is given, exactly as the
app's input for that kind would give it (so both store the same thing).

Simple kinds take one line. A list (aliases, vehicles…) asks "Add an alias? (y/n)" and then each
field; the actions ask which suggestions to take and then for actions of your own.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from marac_tui.engine.chair import Suggestion
from marac_tui.flow.spec import Flow, Item, Kind
from marac_tui.flow.values import AnswerError, coerce
from marac_tui.plain.commands import Command, Typed
from marac_tui.plain.render import action_text, entry_text, how_to_answer, options_lines
from marac_tui.submission import RiskFlag

if TYPE_CHECKING:
    from marac_tui.plain.session import Session

YES_WORDS = ("y", "yes", "a", "add")
NO_WORDS = ("", "n", "no", "done")
CONTINUE = "\\"


class Moved(Exception):
    """A command moved the interview (back, skip, rest not checked, a jump from the review)."""


class Cancelled(Exception):
    """`back` at the first field of an entry: the entry is dropped, the list stays as it was."""


def raw_line(session: Session, item: Item, first: str) -> Any:
    """The raw answer for a one-line kind; a long text continues while its lines end in a backslash.
    An empty line keeps the earlier answer (or the default), as Enter does in the app."""
    if not first.strip():
        current = session.interview.current_answer
        if current is not None and current.value is not None:
            return current.value
        if item.default is not None:
            return item.default
        if item.kind in (Kind.yesno, Kind.choice, Kind.multichoice):
            raise AnswerError(item.id, "nothing was typed")
        return ""
    if item.kind is not Kind.longtext:
        return first
    lines = [first]
    while lines[-1].endswith(CONTINUE):
        lines[-1] = lines[-1][: -len(CONTINUE)]
        lines.append(session.lines.ask("> "))
    return "\n".join(lines)


# --- lists (repeat items) -------------------------------------------------------------------------


def add_question(item: Item, entries: list[dict[str, Any]]) -> str:
    """'Add an alias? (y/n)' for the first entry, the flow's 'Add another alias?' after it."""
    again = item.add_prompt or "Add another?"
    if entries:
        return f"{again} (y/n)"
    first = again.replace("another ", "a ", 1)
    if first.startswith("Add a ") and first[6:7].lower() in "aeiou":
        first = "Add an " + first[6:]
    return f"{first} (y/n)"


def ask_repeat(session: Session, item: Item, typed: Typed) -> list[dict[str, Any]]:
    """The list, entry by entry; `typed` is the first line typed at the question."""
    current = session.interview.current_answer
    entries: list[dict[str, Any]] = [dict(e) for e in (current.value or [])] if current else []
    session.unfinished_list(item, entries)
    while True:
        words = " ".join(typed.text.lower().split())
        if typed.command is not None:
            session.move(typed)
        elif words in YES_WORDS:
            try:
                entry = ask_entry(session, item)
            except Cancelled:
                session.lines.say("Entry cancelled.")
            else:
                entries.append(entry)
                session.lines.say(f"Added: {entry_text(item, entry)}.")
        elif words in NO_WORDS:
            return entries
        elif words.startswith("remove ") and entries:
            number = words.removeprefix("remove ").strip()
            if number.isdigit() and 1 <= int(number) <= len(entries):
                removed = entries.pop(int(number) - 1)
                session.lines.say(f"Removed: {entry_text(item, removed)}.")
            else:
                session.error(f"there is no entry {number}: type remove and a number from 1 to {len(entries)}")
        else:
            remove = f", or remove and a number (1 to {len(entries)})" if entries else ""
            session.error(f"type y to add an entry, n when the list is complete{remove}")
        typed = session.ask(add_question(item, entries))


def list_entries(session: Session, item: Item, entries: list[dict[str, Any]]) -> None:
    if not entries:
        return
    count = f"{len(entries)} entr{'y' if len(entries) == 1 else 'ies'}"
    session.lines.say(f"Recorded so far, {count}:")
    for n, entry in enumerate(entries, 1):
        session.lines.say(f"{n}. {entry_text(item, entry)}")
    session.lines.say("To take one out, type remove and its number.")


def ask_entry(session: Session, item: Item) -> dict[str, Any]:
    """One entry, field by field; `skip` leaves a field empty, `back` returns to the one before."""
    fields = list(item.fields or ())
    raw: dict[str, str] = {}
    index = 0
    announced = -1
    while index < len(fields):
        field = fields[index]
        if announced != index:
            announced = index
            _say_field(session, field)
        typed = session.read(_field_prompt(field))
        if typed.command is Command.back:
            if index == 0:
                raise Cancelled
            index -= 1
            continue
        if typed.command is Command.skip:
            text = ""
        elif typed.command is not None:
            session.error("finish this entry first: answer this field, type skip to leave it empty, or back")
            continue
        else:
            text = typed.text
        try:
            coerce(field, text)
        except AnswerError as exc:
            session.error(f"{exc.problem}. {_field_instruction(field)}")
            continue
        raw[field.id] = text
        index += 1
    entry: dict[str, Any] = coerce(item, [raw])[0]  # as the app's entry form stores it
    return entry


def _field_prompt(field: Item) -> str:
    need = " (needed)" if field.required else ""
    return f"{field.prompt.rstrip(':')}{need}:"


def _field_instruction(field: Item) -> str:
    instruction = how_to_answer(field, brief=True)
    if not field.required:
        instruction = f"{instruction} Enter to leave it empty.".strip()
    return instruction


def _say_field(session: Session, field: Item) -> None:
    """The field's name, its hint and options, and how to answer it."""
    session.lines.say(_field_prompt(field))
    if field.hint:
        session.lines.say(f"Hint: {field.hint}")
    session.lines.say(*options_lines(field), *[line for line in [_field_instruction(field)] if line])


# --- actions --------------------------------------------------------------------------------------


def suggestion_action(suggestion: Suggestion, raised: set[str]) -> dict[str, Any]:
    """A taken suggestion as the app's actions editor stores it."""
    s = suggestion.action
    addresses = [r for r in s.addresses if r in raised] or list(s.addresses)
    action: dict[str, Any] = {"heading": s.heading, "text": s.text, "addresses": addresses, "suggestion": s.id}
    if s.owner:
        action["agency"] = s.owner
    return action


def ask_actions(session: Session, item: Item, typed: Typed) -> list[dict[str, Any]]:
    """Suggested actions to take (by number), then actions of your own."""
    iv = session.interview
    flow = iv.flow
    p = iv.current_scope or 0
    risks = list(iv.submission.perpetrators[p].risks)
    suggestions = iv.suggestions(p)
    current = iv.current_answer
    actions = list(current.value or []) if current else []
    taken = {a["suggestion"]: a for a in actions if a.get("suggestion")}
    own = [a for a in actions if not a.get("suggestion")]
    chosen = [s.id for s in suggestions if s.id in taken]
    if suggestions:
        while True:
            if typed.command is not None:
                session.move(typed)
                typed = session.read("Suggestions to take:")
                continue
            try:
                chosen = _numbers(typed.text, suggestions, chosen)
                break
            except ValueError as exc:
                session.error(str(exc))
            typed = session.read("Suggestions to take:")
        names = "; ".join(action_text(flow, suggestion_action(s, set())) for s in suggestions if s.id in chosen)
        session.lines.say(f"Taken: {names or 'none'}.")
        typed = session.ask(_own_question(own))
    raised = {r.id for r in risks}
    while True:
        words = " ".join(typed.text.lower().split())
        if typed.command is not None:
            session.move(typed)
        elif words in YES_WORDS:
            try:
                own.append(ask_own_action(session, flow, risks))
                session.lines.say(f"Added: {action_text(flow, own[-1])}.")
            except Cancelled:
                session.lines.say("Action cancelled.")
        elif words in NO_WORDS:
            break
        elif words.startswith("remove ") and own:
            number = words.removeprefix("remove ").strip()
            if number.isdigit() and 1 <= int(number) <= len(own):
                session.lines.say(f"Removed: {action_text(flow, own.pop(int(number) - 1))}.")
            else:
                session.error(f"there is no action {number} of yours: type remove and a number from 1 to {len(own)}")
        else:
            session.error("type y to add an action of your own, or n when you have finished")
        typed = session.ask(_own_question(own))
    result = [taken.get(s.id, suggestion_action(s, raised)) for s in suggestions if s.id in chosen]
    return result + own


def say_actions_context(session: Session, item: Item) -> None:
    """Before the actions question: the risks raised, the suggestions, and any actions already chosen."""
    iv = session.interview
    p = iv.current_scope or 0
    risks = iv.submission.perpetrators[p].risks
    titles = ", ".join(r.title for r in risks) or "none so far"
    session.lines.say(f"Risk flags raised for {iv.perpetrator_name(p)}: {titles}.")
    suggestions = iv.suggestions(p)
    current = iv.current_answer
    actions = list(current.value or []) if current else []
    taken = {a.get("suggestion") for a in actions}
    if suggestions:
        session.lines.say(f"{len(suggestions)} suggested actions:")
        for n, s in enumerate(suggestions, 1):
            mark = " Taken." if s.id in taken else ""
            session.lines.say(f"{n}. {action_text(iv.flow, suggestion_action(s, set()))}. {s.reason()}.{mark}")
        keep = " Enter keeps the ones taken." if taken - {None} else ""
        session.lines.say(f"Type the numbers of the suggestions to take, separated by commas, or none.{keep}")
    else:
        session.lines.say("No suggested actions for these answers.")
        session.lines.say(_own_question([a for a in actions if not a.get("suggestion")]))


def _own_question(own: list[dict[str, Any]]) -> str:
    if own:
        return f"You have {len(own)} action(s) of your own. Add another? (y/n, or remove and a number)"
    return "Add an action of your own? (y/n)"


def _numbers(text: str, suggestions: list[Suggestion], chosen: list[str]) -> list[str]:
    words = " ".join(text.lower().split())
    if not words:
        return chosen
    if words in ("none", "no", "n"):
        return []
    picked = []
    for part in words.replace(" and ", ",").replace(";", ",").split(","):
        part = part.strip()
        if not part:
            continue
        if not part.isdigit() or not 1 <= int(part) <= len(suggestions):
            raise ValueError(
                f"{part[:20]!r} is not a suggestion: type numbers from 1 to {len(suggestions)}, separated by commas, or none"
            )
        picked.append(suggestions[int(part) - 1].id)
    return [s.id for s in suggestions if s.id in picked]


def ask_own_action(session: Session, flow: Flow, risks: list[RiskFlag]) -> dict[str, Any]:
    """Heading, what will be done, who does it, and the risks it addresses; `back` cancels."""
    headings = flow.action_headings
    session.lines.say("Heading:")
    for n, heading in enumerate(headings, 1):
        session.lines.say(f"{n}. {heading.title}")
    session.lines.say("Type the number of a heading.")
    heading = _ask_until(session, "Heading:", lambda t: _heading(flow, t))
    session.lines.say("What will be done? Type the action.")
    text = _ask_until(session, "Action:", _needed)
    session.lines.say("Which agency will do it? Enter to leave it empty.")
    agency = _ask_until(session, "Agency:", str.strip)
    action: dict[str, Any] = {"heading": heading, "text": text}
    if agency:
        action["agency"] = agency
    addresses: list[str] = []
    if risks:
        session.lines.say("Which risks does it address?")
        for n, risk in enumerate(risks, 1):
            session.lines.say(f"{n}. {risk.title}")
        session.lines.say("Type their numbers, separated by commas, or none.")
        addresses = _ask_until(session, "Risks:", lambda t: _risk_numbers(risks, t))
    action["addresses"] = addresses
    return action


def _ask_until(session: Session, prompt: str, parse: Any) -> Any:
    while True:
        typed = session.read(prompt)
        if typed.command is Command.back:
            raise Cancelled
        if typed.command is not None:
            session.error("finish this action first, or type back to cancel it")
            continue
        try:
            return parse(typed.text)
        except ValueError as exc:
            session.error(str(exc))


def _heading(flow: Flow, text: str) -> str:
    raw = text.strip().lower()
    headings = flow.action_headings
    if raw.isdigit() and 1 <= int(raw) <= len(headings):
        return headings[int(raw) - 1].id
    for h in headings:
        if raw in (h.id, h.title.lower()):
            return h.id
    raise ValueError(f"type the number of a heading, from 1 to {len(headings)}")


def _needed(text: str) -> str:
    if not text.strip():
        raise ValueError("say what will be done: type the action")
    return text.strip()


def _risk_numbers(risks: list[RiskFlag], text: str) -> list[str]:
    words = " ".join(text.lower().split())
    if words in ("", "none", "no", "n"):
        return []
    picked = []
    for part in words.replace(";", ",").split(","):
        part = part.strip()
        if not part.isdigit() or not 1 <= int(part) <= len(risks):
            raise ValueError(f"type risk numbers from 1 to {len(risks)}, separated by commas, or none")
        picked.append(risks[int(part) - 1].id)
    return [r.id for r in risks if r.id in picked]
