"""Follow-up questions and the answers they hang on: 'Which weapons?' follows 'Access to weapons?'
because its `when` reads that answer.

Withholding every follow-up of an answer leaves the answer itself saying only that something is held
back ("health or wellbeing issues? Yes", then nothing). So the chat offers to withhold the parent too,
and the meeting never sees a parent whose every answered follow-up is withheld.
"""

from __future__ import annotations

from marac_tui.flow.expr import compile_expression
from marac_tui.flow.spec import Flow
from marac_tui.submission import Answer


_MAPS: dict[int, tuple[Flow, dict[str, tuple[str, ...]]]] = {}  # id(flow) -> (flow, item -> parents)


def _parent_map(flow: Flow) -> dict[str, tuple[str, ...]]:
    """Each item's parents, worked out once per flow (flows are immutable)."""
    kept = _MAPS.get(id(flow))
    if kept is not None and kept[0] is flow:
        return kept[1]
    mapping: dict[str, tuple[str, ...]] = {}
    for section, item in flow.all_items():
        named = compile_expression(item.when).names if item.when else ()
        mapping[item.id] = tuple(n for n in named if flow.has_item(n) and flow.section_of(n).scope == section.scope)
    _MAPS[id(flow)] = (flow, mapping)
    return mapping


def _parents(flow: Flow, item_id: str) -> tuple[str, ...]:
    return _parent_map(flow).get(item_id, ())


def parents(flow: Flow, item_id: str) -> tuple[str, ...]:
    """The items (in the same scope) whose answers decide whether `item_id` is asked."""
    return _parents(flow, item_id)


def follow_ups(flow: Flow, item_id: str) -> tuple[str, ...]:
    """The items asked because of `item_id`'s answer, in flow order."""
    return tuple(other.id for _, other in flow.all_items() if item_id in _parents(flow, other.id))


def hidden_from_meeting(flow: Flow, answers: dict[str, Answer]) -> set[str]:
    """The answers (of one scope) the meeting does not see: those withheld, and any shared answer whose
    answered follow-ups are all hidden (so no bare "Yes" says that something is held back)."""
    hidden = {item_id for item_id, answer in answers.items() if not answer.share}
    changed = True
    while changed:
        changed = False
        for item_id in answers:
            if item_id in hidden or not flow.has_item(item_id):
                continue
            answered = [f for f in follow_ups(flow, item_id) if f in answers]
            if answered and all(f in hidden for f in answered):
                hidden.add(item_id)
                changed = True
    return hidden
