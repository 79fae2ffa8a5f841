"""The short debrief a trainer shows after a training run: scores, strengths, things to look again at.

Plain text only (the TUI wraps it in a Text, so names from the trainee never become markup).
"""

from __future__ import annotations

import re
from collections import defaultdict
from typing import TYPE_CHECKING

from marac_tui.flow.spec import Flow, Kind
from marac_tui.training.check import label, phrase

if TYPE_CHECKING:
    from marac_tui.training.compare import Comparison, ItemResult

TOP = 3
OUTCOME_LABELS = {
    "found": "found",
    "partly": "partly",
    "missed": "MISSED",
    "agreed": "agreed",
    "not_checked": "unchecked",
    "added": "added",
    "differs": "differs",
}


def _line(text: str, limit: int = 110) -> str:
    """User text on one safe line: control characters (ANSI escapes too) shown as '?', long text cut."""
    text = re.sub(r"[\x00-\x1f\x7f-\x9f]", "?", " ".join(str(text).split()))
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _titles(flow: Flow) -> dict[str, str]:
    return {s.id: s.title for s in flow.sections}


def _points(results: list[ItemResult], attr: str) -> tuple[float, float]:
    return sum(getattr(r, attr)[0] for r in results), sum(getattr(r, attr)[1] for r in results)


def _who(c: Comparison, r: ItemResult) -> str:
    return "" if r.perpetrator is None else f"{c.who(r.perpetrator)}: "


def strengths(c: Comparison, flow: Flow) -> list[str]:
    """Up to three things the trainee did as the model did, most instructive first."""
    found: list[str] = []
    for r in c.items:
        if r.share_points == (1.0, 1.0):
            found.append(f"{_who(c, r)}withheld {phrase(r.item)} with a reason, as the model did")
    for p in c.perpetrators:
        if p.model_risks and len(p.addressed) == len(p.model_risks):
            found.append(f"{p.model_name}: every risk flag has an action addressing it")
    for attr, text in (
        ("source_points", "a source and date checked for every item"),
        ("basis_points", "fact and opinion kept apart"),
    ):
        earned, possible = _points(c.items, attr)
        if possible and earned == possible:
            found.append(text[0].upper() + text[1:])
    titles = _titles(flow)
    for s in sorted(c.sections, key=lambda s: (-(s.percent or 0), -s.possible)):
        if (s.percent or 0) >= 80:
            found.append(f"{titles.get(s.id, s.title)}: {s.percent}% of the model's research")
    return found[:TOP]


def look_again(c: Comparison, flow: Flow) -> list[str]:
    """Up to three things to look again at: the most serious kind first, one of each kind before more."""
    kinds: list[list[str]] = []
    kinds.append(
        [
            f"The model researched {p.model_name}; your submission has no matching perpetrator"
            for p in c.perpetrators
            if p.trainee_index is None
        ]
    )
    missed: dict[int | None, list[ItemResult]] = defaultdict(list)
    for r in c.items:
        if r.outcome == "missed" and flow.item(r.item).kind != Kind.actions:
            missed[r.perpetrator].append(r)
    lines = []
    for perpetrator, results in missed.items():
        main = [r for r in results if not flow.item(r.item).when] or results  # the questions, not their details
        who = "" if perpetrator is None else f"{c.who(perpetrator)}: "
        lines.append(f"{who}missed {', '.join(phrase(r.item) for r in main)}")
    kinds.append(lines)
    kinds.append(
        [
            f"{p.model_name}: no action addresses {', '.join(r for r in p.model_risks if r not in p.addressed)}"
            for p in c.perpetrators
            if len(p.addressed) < len(p.model_risks)
        ]
    )
    sharing = []
    for r in c.items:
        if r.share_points == (0.0, 1.0) and r.outcome not in ("missed", "not_checked"):
            side = "shared" if any(n.startswith("the model withholds") for n in r.notes) else "withheld"
            sharing.append(f"{_who(c, r)}{phrase(r.item)} {side}; the model did the opposite ({r.notes[0]})")
    kinds.append(sharing)
    for attr, text in (
        ("basis_points", "recorded as fact/opinion differently from the model"),
        ("source_points", "with no source or date checked"),
    ):
        wrong = [r for r in c.items if getattr(r, attr)[1] and not getattr(r, attr)[0] and r.outcome != "missed"]
        kinds.append([f"{len(wrong)} answer(s) {text}, e.g. {_who(c, wrong[0])}{phrase(wrong[0].item)}"] if wrong else [])
    added = [r for r in c.items if r.outcome == "added"]
    kinds.append(
        [
            f"{len(added)} item(s) recorded as found where the records hold nothing, e.g. {_who(c, added[0])}{phrase(added[0].item)}"
        ]
        if added
        else []
    )
    unchecked = [r for r in c.items if r.outcome == "not_checked"]
    kinds.append(
        [f"{len(unchecked)} item(s) left unchecked where the answer is 'nothing held': that still has to be checked"]
        if unchecked
        else []
    )
    notes: list[str] = []
    depth = 0
    while len(notes) < TOP and any(len(k) > depth for k in kinds):
        notes += [k[depth] for k in kinds if len(k) > depth]
        depth += 1
    return notes[:TOP]


def render_debrief(c: Comparison, details: bool = False) -> str:
    """The debrief as plain text; with `details`, every item that lost points or was added."""
    name = c.title or c.scenario or "training run"
    lines = [f"Debrief: {_line(name)} (fictional training case)", "", f"Overall: {c.percent}% of the model submission", ""]
    lines.append("By section")
    width = max((len(s.title) for s in c.sections), default=10)
    for s in c.sections:
        lines.append(f"  {s.title:<{width}}  {s.percent:>3}%")
    for p in c.perpetrators:
        if p.model_risks:
            lines.append(
                f"  Risk flags for {_line(p.model_name)}: raised {len(p.raised)} of {len(p.model_risks)}, addressed {len(p.addressed)}"
            )
    if c.extra_perpetrators:
        lines.append(f"  Not in the model: {_line(', '.join(c.extra_perpetrators))}")
    lines += ["", "What went well"]
    lines += [f"  + {_line(s, 200)}" for s in c.strengths] or ["  (nothing yet matches the model)"]
    lines += ["", "Look again at"]
    lines += [f"  - {_line(s, 200)}" for s in c.look_again] or ["  Nothing: this matches the model."]
    if details:
        lines += ["", "Item by item (only items that lost points or were added)"]
        for r in c.items:
            if r.earned >= r.possible and r.outcome != "added":
                continue
            lines.append(
                f"  {OUTCOME_LABELS.get(r.outcome, r.outcome):<9} {_line(_who(c, r))}{' ' if r.perpetrator is not None else ''}{label(r.item)}"
            )
            lines.append(f"            you: {_line(r.trainee)}")
            lines.append(f"            model: {_line(r.model)}")
            lines += [f"            note: {_line(n)}" for n in r.notes]
    return "\n".join(lines)
