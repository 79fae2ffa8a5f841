"""Load a flow file: YAML with line numbers → pydantic models → cross-checks.

Every problem is reported as `PATH:LINE: message`, all of them at once.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from marac_tui.flow.spec import Flow, Item
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

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> _LineDict:
        mapping = _LineDict()
        mapping.line = node.start_mark.line + 1
        mapping.key_lines = {}
        for key_node, value_node in node.value:
            key = self.construct_object(key_node, deep=True)
            mapping[key] = self.construct_object(value_node, deep=True)
            mapping.key_lines[key] = key_node.start_mark.line + 1
        return mapping

    def construct_sequence(self, node: yaml.SequenceNode, deep: bool = False) -> _LineList:
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


def _prompts_root(path: Path) -> Path:
    local = path.resolve().parent.parent / "prompts"
    return local if local.is_dir() else prompts_dir()


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
    from marac_tui.flow.checks import cross_check  # imports this module's line helpers

    prompts = _prompts_root(path)
    problems = cross_check(path, data, flow, prompts)
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


def practice_text(flow: Flow) -> str | None:
    """The flow's own sharing rules (its `practice:` Markdown file), or None if it has none."""
    if not flow.practice:
        return None
    root = getattr(flow, "_prompts_root", None) or prompts_dir()
    try:
        return (root / flow.practice).read_text(encoding="utf-8").strip() or None
    except OSError:
        return None


FIRST_FLOWS = ("police", "probation")  # where a new submission is chosen: these lead, the others follow by agency


def agency_order(flow: Flow) -> tuple[int, str]:
    """Sort key for offering flows: police and probation first, then the other agencies by name."""
    first = FIRST_FLOWS.index(flow.name) if flow.name in FIRST_FLOWS else len(FIRST_FLOWS)
    return first, (flow.agency or flow.title).casefold()
