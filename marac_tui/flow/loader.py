"""Load a flow file: YAML with line numbers → pydantic models → cross-checks.

Every problem is reported as `PATH:LINE: message`, all of them at once.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from marac_tui.flow.expr import ExpressionError, compile_expression
from marac_tui.flow.spec import CONTAINER_KINDS, Flow, Item, Kind
from marac_tui.paths import flows_dir, prompts_dir


@dataclass(frozen=True)
class Problem:
    path: Path
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"


class FlowError(Exception):
    """A flow file with one or more problems."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sorted(problems, key=lambda p: p.line)
        super().__init__("\n".join(str(p) for p in self.problems))


class _LineDict(dict):
    line = 0
    key_lines: dict[Any, int]


class _LineList(list):
    line = 0
    item_lines: list[int]


class _LineLoader(yaml.SafeLoader):
    """A safe loader whose mappings and lists remember the line of each entry."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> _LineDict:  # type: ignore[override]
        mapping = _LineDict()
        mapping.line = node.start_mark.line + 1
        mapping.key_lines = {}
        for key_node, value_node in node.value:
            key = self.construct_object(key_node, deep=True)
            mapping[key] = self.construct_object(value_node, deep=True)
            mapping.key_lines[key] = key_node.start_mark.line + 1
        return mapping

    def construct_sequence(self, node: yaml.SequenceNode, deep: bool = False) -> _LineList:  # type: ignore[override]
        sequence = _LineList(self.construct_object(child, deep=True) for child in node.value)
        sequence.line = node.start_mark.line + 1
        sequence.item_lines = [child.start_mark.line + 1 for child in node.value]
        return sequence


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _LineLoader.construct_mapping)
_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _LineLoader.construct_sequence)


def _line_at(data: Any, loc: tuple[Any, ...]) -> tuple[int, str | None]:
    """The line of the deepest node on `loc`, and the id of the nearest item on the way."""
    line = getattr(data, "line", 1)
    owner = None
    for part in loc:
        if isinstance(data, _LineDict) and part in data:
            line = data.key_lines[part]
            data = data[part]
        elif isinstance(data, _LineList) and isinstance(part, int) and part < len(data):
            line = data.item_lines[part]
            data = data[part]
        else:
            break
        if isinstance(data, _LineDict) and isinstance(data.get("id"), str):
            owner = data["id"]
    return line, owner


def _parse(path: Path) -> tuple[Any, list[Problem]]:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        return None, [Problem(path, 1, f"cannot read flow file: {exc}")]
    try:
        data = yaml.load(text, Loader=_LineLoader)  # noqa: S506 - a SafeLoader subclass
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark else 1
        return None, [Problem(path, line, f"not valid YAML: {getattr(exc, 'problem', exc)}")]
    if not isinstance(data, dict):
        return None, [Problem(path, 1, "a flow file must be a mapping with name, version, title and sections")]
    return data, []


def _validation_problems(path: Path, data: Any, error: ValidationError) -> list[Problem]:
    problems = []
    for err in error.errors():
        loc = tuple(p for p in err["loc"] if not (isinstance(p, str) and p.startswith("function-")))
        line, owner = _line_at(data, loc)
        message = err["msg"].removeprefix("Value error, ")
        field = next((str(p) for p in reversed(loc) if isinstance(p, str)), "")
        where = f"item {owner!r}" if owner else "flow"
        if field and field != "id" or err["type"] == "missing":
            where += f", {field}"
        problems.append(Problem(path, line, f"{where}: {message}"))
    return problems


def _line_of_item(data: Any, item_id: str) -> int:
    for s_index, section in enumerate(data.get("sections") or []):
        for i_index, item in enumerate((section or {}).get("items") or []):
            if isinstance(item, dict) and item.get("id") == item_id:
                return _line_at(data, ("sections", s_index, "items", i_index))[0]
    return 1


def _line_of_list_entry(data: Any, key: str, entry_id: str) -> int:
    for index, entry in enumerate(data.get(key) or []):
        if isinstance(entry, dict) and entry.get("id") == entry_id:
            return _line_at(data, (key, index))[0]
    return _line_at(data, (key,))[0]


def _prompts_root(path: Path) -> Path:
    local = path.resolve().parent.parent / "prompts"
    return local if local.is_dir() else prompts_dir()


def _cross_check(path: Path, data: Any, flow: Flow, prompts: Path) -> list[Problem]:
    """What pydantic cannot see: ids across sections, names in expressions, files, references."""
    problems: list[Problem] = []
    seen: set[str] = set()
    case_ids = {i.id for s in flow.sections if s.scope == "case" for i in s.items}
    all_ids = {i.id for _, i in flow.all_items()}

    def expr(source: str, known: set[str], line: int, what: str) -> None:
        try:
            expression = compile_expression(source)
        except ExpressionError as exc:
            problems.append(Problem(path, line, f"{what}: {exc}"))
            return
        for name in expression.names:
            if name not in known:
                problems.append(Problem(path, line, f"{what}: unknown item {name!r} in {source!r}"))

    def file(name: str | None, line: int, what: str) -> None:
        if name and name.endswith(".md") and not (prompts / name).is_file():
            problems.append(Problem(path, line, f"{what}: missing prompt file {name!r} (looked in {prompts})"))

    def item_checks(item: Item, scope: set[str], line: int) -> None:
        what = f"item {item.id!r}"
        if item.when:
            expr(item.when, scope, line, f"{what}, when")
        if item.constraint:
            expr(item.constraint, scope, line, f"{what}, constraint")
        file(item.prompt, line, what)
        file(item.guidance, line, f"{what}, guidance")
        if item.kind in CONTAINER_KINDS:
            inner = scope | {f.id for f in item.fields or ()}
            for field in item.fields or ():
                if field.kind in CONTAINER_KINDS or field.kind == Kind.actions:
                    problems.append(Problem(path, line, f"{what}: field {field.id!r} cannot itself be a {field.kind.value}"))
                item_checks(field, inner, line)

    for section in flow.sections:
        file(section.guidance, _line_of_list_entry(data, "sections", section.id), f"section {section.id!r}, guidance")
        scope = case_ids if section.scope == "case" else all_ids
        for item in section.items:
            line = _line_of_item(data, item.id)
            if item.id in seen:
                problems.append(Problem(path, line, f"duplicate item id {item.id!r}"))
            seen.add(item.id)
            if item.kind == Kind.actions and section.scope != "perpetrator":
                problems.append(Problem(path, line, f"item {item.id!r}: an actions item belongs in a perpetrator section"))
            item_checks(item, scope, line)

    loop_line = _line_at(data, ("perpetrators",))[0]
    expr(flow.perpetrators.count, case_ids, loop_line, "perpetrators, count")
    if flow.perpetrators.name_item and flow.perpetrators.name_item not in all_ids:
        problems.append(Problem(path, loop_line, f"perpetrators, name_item: unknown item {flow.perpetrators.name_item!r}"))

    risk_ids: set[str] = set()
    for risk in flow.risks:
        line = _line_of_list_entry(data, "risks", risk.id)
        if risk.id in risk_ids:
            problems.append(Problem(path, line, f"duplicate risk id {risk.id!r}"))
        risk_ids.add(risk.id)
        expr(risk.when, all_ids, line, f"risk {risk.id!r}")
    headings = {h.id for h in flow.action_headings}
    suggestion_ids: set[str] = set()
    for suggestion in flow.actions:
        line = _line_of_list_entry(data, "actions", suggestion.id)
        what = f"action {suggestion.id!r}"
        if suggestion.id in suggestion_ids:
            problems.append(Problem(path, line, f"duplicate action id {suggestion.id!r}"))
        suggestion_ids.add(suggestion.id)
        if suggestion.heading not in headings:
            problems.append(Problem(path, line, f"{what}: unknown heading {suggestion.heading!r}"))
        for risk_id in suggestion.addresses:
            if risk_id not in risk_ids:
                problems.append(Problem(path, line, f"{what}: unknown risk {risk_id!r}"))
        if suggestion.when:
            expr(suggestion.when, all_ids, line, what)
    return problems


def _resolve_prompts(flow: Flow, prompts: Path) -> Flow:
    """Replace `prompt: something.md` with the file's text."""

    def resolve(item: Item) -> Item:
        update: dict[str, Any] = {}
        if item.prompt.endswith(".md") and (prompts / item.prompt).is_file():
            update["prompt"] = (prompts / item.prompt).read_text(encoding="utf-8").strip()
        if item.fields:
            update["fields"] = [resolve(f) for f in item.fields]
        return item.model_copy(update=update) if update else item

    sections = [s.model_copy(update={"items": [resolve(i) for i in s.items]}) for s in flow.sections]
    return Flow.model_validate({**flow.model_dump(), "sections": [s.model_dump() for s in sections]})


def check_flow(path: str | Path) -> tuple[Flow | None, list[Problem]]:
    """Validate a flow file; the flow (if usable) and every problem found."""
    path = Path(path)
    data, problems = _parse(path)
    if problems:
        return None, problems
    try:
        flow = Flow.model_validate(data)
    except ValidationError as exc:
        return None, _validation_problems(path, data, exc)
    prompts = _prompts_root(path)
    problems = _cross_check(path, data, flow, prompts)
    if problems:
        return None, problems
    resolved = _resolve_prompts(flow, prompts)
    resolved._prompts_root = prompts
    return resolved, []


def load_flow(path: str | Path) -> Flow:
    flow, problems = check_flow(path)
    if flow is None:
        raise FlowError(problems)
    return flow


def available_flows() -> dict[str, Path]:
    """Shipped flows by name (the file stem)."""
    return {p.stem: p for p in sorted(flows_dir().glob("*.yaml"))}


_cache: dict[str, Flow] = {}


def load_named(name: str) -> Flow:
    """A shipped flow by name, or a path to a flow file."""
    from marac_tui.errors import UserError

    if name in _cache:
        return _cache[name]
    flows = available_flows()
    path = flows.get(name) or (Path(name) if name.endswith((".yaml", ".yml")) else None)
    if path is None or not path.is_file():
        raise UserError(f"unknown flow {name!r}; available: {', '.join(flows) or 'none'}")
    flow = load_flow(path)
    _cache[name] = flow
    return flow


def guidance_text(flow: Flow, item_id: str) -> str | None:
    """The 'why this matters' Markdown for an item (its own, else its section's)."""
    section = flow.section_of(item_id)
    name = flow.item(item_id).guidance or section.guidance
    if not name:
        return None
    root = getattr(flow, "_prompts_root", None) or prompts_dir()
    try:
        return (root / name).read_text(encoding="utf-8")
    except OSError:
        return None
