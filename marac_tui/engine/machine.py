"""Compile a flow into a `transitions` state machine.

States are the flow's items (plus `done`). The triggers `answer` and `skip` move forward and `back`
moves backward; each is a list of candidate transitions tried in order, guarded by conditions that
are the items' skip logic. Perpetrator-scope sections form a loop run once per perpetrator: the
transitions that cross the loop's boundary carry callbacks that move the perpetrator cursor.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol

from transitions import Machine

from marac_tui.flow.spec import Flow

DONE = "done"


class Cursor(Protocol):
    """What the machine's conditions and callbacks need from the interview."""

    perpetrator: int

    def relevant(self, item_id: str, perpetrator: int) -> bool: ...

    def perpetrator_count(self) -> int: ...


class _Named:
    """A named callable, so diagrams and errors read `when_aliases` rather than a lambda."""

    def __init__(self, name: str, func: Callable[[], Any]) -> None:
        self.__name__ = name
        self._func = func

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return self._func()

    def __repr__(self) -> str:
        return self.__name__


class FlowMachine:
    """The transition table for a flow, bound to one cursor (the interview)."""

    def __init__(self, flow: Flow, cursor: Cursor) -> None:
        self.flow = flow
        self.cursor = cursor
        self.order = [item.id for _, item in flow.all_items()]
        self.scope = {item.id: section.scope for section, item in flow.all_items()}
        perp = [i for i, item_id in enumerate(self.order) if self.scope[item_id] == "perpetrator"]
        self.loop = (perp[0], perp[-1]) if perp else None
        self.states = [*self.order, DONE]
        self.transitions = self._table()

    # --- conditions and callbacks -------------------------------------------------------------

    def _when(self, item_id: str, offset: int | None = None, fixed: int | None = None) -> _Named:
        """Condition: the item is asked for the current perpetrator (+offset), or a fixed one."""
        item = self.flow.item(item_id)
        label = f"when_{item_id}" if item.when else f"ask_{item_id}"

        def check() -> bool:
            p = fixed if fixed is not None else self.cursor.perpetrator + (offset or 0)
            if fixed == -1:
                p = self.cursor.perpetrator_count() - 1
            return self.cursor.relevant(item_id, p)

        return _Named(label, check)

    def _more(self) -> _Named:
        return _Named("another_perpetrator", lambda: self.cursor.perpetrator + 1 < self.cursor.perpetrator_count())

    def _earlier(self) -> _Named:
        return _Named("earlier_perpetrator", lambda: self.cursor.perpetrator > 0)

    def _set(self, name: str, value: Callable[[], int]) -> _Named:
        def apply() -> None:
            self.cursor.perpetrator = value()

        return _Named(name, apply)

    # --- the table ---------------------------------------------------------------------------

    def _chain(self, trigger: str, source: str, targets: list[str], **extra: Any) -> list[dict[str, Any]]:
        """Candidate transitions to `targets` in order, stopping after the first always-asked item."""
        rows = []
        conditions = extra.pop("conditions", [])
        offset, fixed = extra.pop("offset", None), extra.pop("fixed", None)
        for target in targets:
            guard = self._when(target, offset, fixed)
            rows.append({"trigger": trigger, "source": source, "dest": target,
                         "conditions": [*conditions, guard], **extra})  # fmt: skip
            if not self.flow.item(target).when:
                break
        return rows

    def _stops_chain(self, targets: list[str]) -> bool:
        return any(not self.flow.item(t).when for t in targets)

    def _forward(self, source: str, index: int) -> list[dict[str, Any]]:
        rows: list[dict[str, Any]] = []
        after = self.order[index + 1 :]
        if self.loop is None:
            groups: list[tuple[list[str], dict[str, Any]]] = [(after, {})]
        else:
            first, last = self.loop
            block = self.order[first : last + 1]
            tail = self.order[last + 1 :]
            enter = {"fixed": 0, "before": self._set("first_perpetrator", lambda: 0)}
            if index < first:
                groups = [(self.order[index + 1 : first], {}), (block, enter), (tail, {})]
            elif index <= last:
                groups = [
                    (self.order[index + 1 : last + 1], {}),
                    (block, {"conditions": [self._more()], "offset": 1,
                             "before": self._set("next_perpetrator", lambda: self.cursor.perpetrator + 1)}),
                    (tail, {}),
                ]  # fmt: skip
            else:
                groups = [(after, {})]
        for targets, extra in groups:
            rows += self._chain("answer", source, targets, **dict(extra))
            if extra.get("conditions") is None and self._stops_chain(targets):
                break
        rows.append({"trigger": "answer", "source": source, "dest": DONE})
        return rows

    def _backward(self, source: str, index: int) -> list[dict[str, Any]]:
        rows: list[dict[str, Any]] = []
        before = list(reversed(self.order[:index]))
        if self.loop is None:
            groups: list[tuple[list[str], dict[str, Any]]] = [(before, {})]
        else:
            first, last = self.loop
            block = list(reversed(self.order[first : last + 1]))
            head = list(reversed(self.order[:first]))
            if index < first:
                groups = [(before, {})]
            elif index <= last:
                groups = [
                    (list(reversed(self.order[first:index])), {}),
                    (block, {"conditions": [self._earlier()], "offset": -1,
                             "before": self._set("previous_perpetrator", lambda: self.cursor.perpetrator - 1)}),
                    (head, {}),
                ]  # fmt: skip
            else:
                groups = [
                    (list(reversed(self.order[last + 1 : index])), {}),
                    (block, {"fixed": -1, "before": self._set("last_perpetrator",
                                                              lambda: self.cursor.perpetrator_count() - 1)}),
                    (head, {}),
                ]  # fmt: skip
        for targets, extra in groups:
            rows += self._chain("back", source, targets, **dict(extra))
            if extra.get("conditions") is None and self._stops_chain(targets):
                break
        return rows

    def _table(self) -> list[dict[str, Any]]:
        rows: list[dict[str, Any]] = []
        for index, item_id in enumerate(self.order):
            forward = self._forward(item_id, index)
            rows += forward
            rows += [{**row, "trigger": "skip"} for row in forward]
            rows += self._backward(item_id, index)
        rows += self._backward(DONE, len(self.order))
        return rows

    def build(self, model: Any, initial: str) -> Machine:
        return Machine(
            model=model,
            states=self.states,
            transitions=self.transitions,
            initial=initial,
            auto_transitions=False,
            ignore_invalid_triggers=True,
        )
