"""The Chair's view of one perpetrator, as pure functions: the risk flags the answers raise (each
citing the answers behind it), and the actions that fit the person, each with its reasons.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from marac_tui.flow.expr import compile_expression
from marac_tui.flow.spec import ActionSuggestion, Flow
from marac_tui.submission import RiskFlag


def _cites(expression: str, values: dict[str, Any]) -> list[str]:
    """The answered items an expression's truth rests on."""
    return [n for n in compile_expression(expression).support(values) if values.get(n) not in (None, [], "")]


def compute_risks(flow: Flow, values: dict[str, Any]) -> list[RiskFlag]:
    """Every risk rule of the flow that holds for these answers, citing the answers that raise it."""
    return [
        RiskFlag(id=rule.id, title=rule.title, cites=_cites(rule.when, values))
        for rule in flow.risks
        if compile_expression(rule.when).truth(values)
    ]


@dataclass(frozen=True)
class Suggestion:
    """An action the flow offers for this person, and why: the risks it addresses and the answers
    that make it fit."""

    action: ActionSuggestion
    risks: tuple[RiskFlag, ...]
    cites: tuple[str, ...]

    @property
    def id(self) -> str:
        return self.action.id

    def reason(self, label: Any = str) -> str:
        """One line saying why it is offered: 'Addresses: Access to weapons · fits: weapons_licensed'."""
        parts = []
        if self.risks:
            parts.append("addresses " + ", ".join(r.title for r in self.risks))
        elif self.cites:
            parts.append("prompted by " + ", ".join(label(c) for c in self.cites))
        fit = [c for c in self.cites if not any(c in r.cites for r in self.risks)]
        if self.risks and fit:
            parts.append("fits: " + ", ".join(label(c) for c in fit))
        text = "; ".join(parts)
        return text[:1].upper() + text[1:]


def _holds(expression: str | None, values: dict[str, Any]) -> bool:
    return expression is not None and compile_expression(expression).truth(values)


def suggestions(flow: Flow, raised: Iterable[RiskFlag], values: dict[str, Any]) -> list[Suggestion]:
    """The flow's actions prompted by the raised risks (or their own `offer_when`) that fit the person:
    `when` holds, if given, and `unless` does not."""
    raised = list(raised)
    offered = []
    for action in flow.actions:
        risks = tuple(r for r in raised if r.id in action.addresses)
        prompted = _holds(action.offer_when, values)
        if not (risks or prompted):
            continue
        if (action.when is not None and not _holds(action.when, values)) or _holds(action.unless, values):
            continue
        cites = [c for r in risks for c in r.cites]
        for expression in (action.offer_when if prompted else None, action.when):
            if expression is not None:
                cites += _cites(expression, values)
        offered.append(Suggestion(action, risks, tuple(dict.fromkeys(cites))))
    return offered
