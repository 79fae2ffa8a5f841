"""A flow as a Mermaid state diagram, drawn by transitions' GraphMachine (no graphviz needed).

States are the flow's items; edges are the engine's own transitions, labelled with their trigger
and the named skip-logic conditions that guard them (`when_<item>`, `another_perpetrator`, ...).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from marac_tui.engine.machine import FlowMachine
from marac_tui.flow.spec import Flow

TRIGGERS = ("answer", "skip", "back")


class _Blank:
    """A cursor for drawing only: the diagram never evaluates a condition."""

    perpetrator = 0

    def relevant(self, item_id: str, perpetrator: int) -> bool:
        return True

    def perpetrator_count(self) -> int:
        return 1


class _Model:
    pass


def mermaid(flow: Flow, triggers: Iterable[str] = TRIGGERS) -> str:
    """The Mermaid `stateDiagram-v2` text for `flow`, showing only the given triggers."""
    from transitions.extensions import GraphMachine

    wanted = set(triggers)
    spec = FlowMachine(flow, _Blank())
    rows: list[dict[str, Any]] = [row for row in spec.transitions if row["trigger"] in wanted]
    model = _Model()
    GraphMachine(
        model=model,
        states=spec.states,
        transitions=rows,
        initial=spec.states[0],
        graph_engine="mermaid",
        auto_transitions=False,
        show_conditions=True,
        title=f"{flow.title} ({flow.name} {flow.version})",
    )
    return str(model.get_graph().draw(None))  # type: ignore[attr-defined]
