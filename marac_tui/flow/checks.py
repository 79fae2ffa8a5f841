"""Cross-checks on a flow that pydantic cannot see: ids across sections, names and values in
expressions, prompt files, the perpetrator loop, risks and actions.

Every problem carries the line of the YAML key it is about, so `flow check` prints `PATH:LINE:`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from marac_tui.flow.expr import ExpressionError, compile_expression
from marac_tui.flow.loader import Problem, line_at
from marac_tui.flow.spec import CONTAINER_KINDS, YESNO_VALUES, Flow, Item, Kind


def _allowed_values(item: Item) -> tuple[str, ...] | None:
    """The only values a yesno or choice answer can take; None for free kinds."""
    if item.kind == Kind.yesno:
        return YESNO_VALUES
    if item.kind in (Kind.choice, Kind.multichoice):
        return tuple(o.value for o in item.options or ())
    return None


class _Checker:
    def __init__(self, path: Path, data: Any, flow: Flow, prompts: Path) -> None:
        self.path, self.data, self.flow, self.prompts = path, data, flow, prompts
        self.problems: list[Problem] = []
        self.items = {i.id: i for _, i in flow.all_items()}

    def add(self, line: int, message: str) -> None:
        self.problems.append(Problem(self.path, line, message))

    def line(self, *loc: Any) -> int:
        return line_at(self.data, loc)[0]

    def expr(self, source: str, known: dict[str, Item], line: int, what: str, later: set[str] = frozenset()) -> None:  # type: ignore[assignment]
        try:
            expression = compile_expression(source)
        except ExpressionError as exc:
            self.add(line, f"{what}: {exc}")
            return
        for name in expression.names:
            if name in later:
                self.add(line, f"{what}: {name!r} has no answer yet when this is asked, in {source!r}")
            elif name not in known:
                self.add(line, f"{what}: unknown item {name!r} in {source!r}")
        for name, value in expression.comparisons():
            allowed = _allowed_values(known[name]) if name in known else None
            if allowed is not None and value not in allowed:
                kind = known[name].kind.value
                self.add(line, f"{what}: {name!r} ({kind}) can never be {value!r}; its values are {', '.join(allowed)}")

    def file(self, name: str | None, line: int, what: str, always: bool = False) -> None:
        if name and (always or name.endswith(".md")) and not (self.prompts / name).is_file():
            self.add(line, f"{what}: missing prompt file {name!r} (looked in {self.prompts})")

    def item(self, item: Item, known: dict[str, Item], later: set[str], loc: tuple[Any, ...]) -> None:
        what = f"item {item.id!r}"
        if item.when:
            self.expr(item.when, known, self.line(*loc, "when"), f"{what}, when", later | {item.id})
        if item.constraint:
            self.expr(item.constraint, known, self.line(*loc, "constraint"), f"{what}, constraint", later)
        if item.pattern_when:
            self.expr(item.pattern_when, known, self.line(*loc, "pattern_when"), f"{what}, pattern_when", later)
        self.file(item.prompt, self.line(*loc, "prompt"), what)
        self.file(item.guidance, self.line(*loc, "guidance"), f"{what}, guidance", always=True)
        if item.kind in CONTAINER_KINDS:
            inner = {**known, **{f.id: f for f in item.fields or ()}}
            for index, field in enumerate(item.fields or ()):
                field_loc = (*loc, "fields", index)
                if field.kind in CONTAINER_KINDS or field.kind == Kind.actions:
                    self.add(self.line(*field_loc), f"{what}: field {field.id!r} cannot itself be a {field.kind.value}")
                self.item(field, inner, later, field_loc)

    def sections(self) -> None:
        flow = self.flow
        case_items = {i.id: i for s in flow.sections if s.scope == "case" for i in s.items}
        seen: set[str] = set()
        order = [i.id for _, i in flow.all_items()]
        self.file(flow.practice, self.line("practice"), "practice", always=True)
        for s_index, section in enumerate(flow.sections):
            s_loc = ("sections", s_index)
            self.file(section.guidance, self.line(*s_loc, "guidance"), f"section {section.id!r}, guidance", always=True)
            known = case_items if section.scope == "case" else self.items
            for i_index, item in enumerate(section.items):
                loc = (*s_loc, "items", i_index)
                line = self.line(*loc)
                if item.id in seen:
                    self.add(line, f"duplicate item id {item.id!r}")
                seen.add(item.id)
                if item.kind == Kind.actions and section.scope != "perpetrator":
                    self.add(line, f"item {item.id!r}: an actions item belongs in a perpetrator section")
                later = set(order[order.index(item.id) + 1 :])
                self.item(item, known, later, loc)

    def loop(self) -> None:
        flow = self.flow
        scopes = [s.scope for s in flow.sections]
        perp = [n for n, scope in enumerate(scopes) if scope == "perpetrator"]
        if perp and perp != list(range(perp[0], perp[-1] + 1)):
            gap = next(n for n in range(perp[0], perp[-1] + 1) if scopes[n] == "case")
            self.add(
                self.line("sections", gap),
                f"section {flow.sections[gap].id!r}: a case section sits between perpetrator sections; "
                "the perpetrator sections must be together, as they run once per perpetrator",
            )
        perp_items = [(s, n, i) for s, section in enumerate(flow.sections) if section.scope == "perpetrator"
                      for n, i in enumerate(section.items)]  # fmt: skip
        for position, (s, n, item) in enumerate(perp_items):
            if item.kind == Kind.actions and position != len(perp_items) - 1:
                self.add(self.line("sections", s, "items", n),
                         f"item {item.id!r}: the actions item must be the last perpetrator item")  # fmt: skip
        case_items = {i.id: i for s in flow.sections if s.scope == "case" for i in s.items}
        self.expr(flow.perpetrators.count, case_items, self.line("perpetrators", "count"), "perpetrators, count")
        name_item = flow.perpetrators.name_item
        if name_item and name_item not in self.items:
            self.add(self.line("perpetrators", "name_item"), f"perpetrators, name_item: unknown item {name_item!r}")
        elif name_item and flow.section_of(name_item).scope != "perpetrator":
            self.add(self.line("perpetrators", "name_item"),
                     f"perpetrators, name_item: {name_item!r} is not in a perpetrator section")  # fmt: skip

    def risks_and_actions(self) -> None:
        flow = self.flow
        risk_ids: set[str] = set()
        for index, risk in enumerate(flow.risks):
            if risk.id in risk_ids:
                self.add(self.line("risks", index), f"duplicate risk id {risk.id!r}")
            risk_ids.add(risk.id)
            self.expr(risk.when, self.items, self.line("risks", index, "when"), f"risk {risk.id!r}")
        headings = {h.id for h in flow.action_headings}
        suggestion_ids: set[str] = set()
        for index, suggestion in enumerate(flow.actions):
            what = f"action {suggestion.id!r}"
            if suggestion.id in suggestion_ids:
                self.add(self.line("actions", index), f"duplicate action id {suggestion.id!r}")
            suggestion_ids.add(suggestion.id)
            if suggestion.heading not in headings:
                self.add(self.line("actions", index, "heading"), f"{what}: unknown heading {suggestion.heading!r}")
            for risk_id in suggestion.addresses:
                if risk_id not in risk_ids:
                    self.add(self.line("actions", index, "addresses"), f"{what}: unknown risk {risk_id!r}")
            for key in ("offer_when", "when", "unless"):
                if expression := getattr(suggestion, key):
                    self.expr(expression, self.items, self.line("actions", index, key), f"{what}, {key}")


    def changes(self) -> None:
        """The version history names items that exist (added, merged into) or no longer do (retired)."""
        for index, change in enumerate(self.flow.changes):
            for key, ids, must_exist in (
                ("added", change.added, True),
                ("merged", change.merged.values(), True),
                ("retired", change.retired, False),
            ):
                for item_id in ids:
                    if (item_id in self.items) != must_exist:
                        state = "is not in the flow" if must_exist else "is still in the flow"
                        self.add(self.line("changes", index, key), f"changes {change.version}: {key} item {item_id!r} {state}")


def cross_check(path: Path, data: Any, flow: Flow, prompts: Path) -> list[Problem]:
    """Every cross-reference problem in the flow, each with its line."""
    checker = _Checker(path, data, flow, prompts)
    checker.sections()
    checker.loop()
    checker.risks_and_actions()
    checker.changes()
    return sorted(checker.problems, key=lambda p: p.line)
