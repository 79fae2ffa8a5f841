"""Load a flow file: YAML with line numbers → pydantic models → cross-checks.

Every problem is reported as `PATH:LINE: message`, all of them at once.
"""

from __future__ import annotations

from collections.abc import Hashable
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


MAX_BYTES = 16 * 1024 * 1024  # a flow, scenario or answers file; a pasted megabyte fits many times over
MAX_DEPTH = 64  # nesting, counted after anchors are expanded
MAX_NODES = 200_000  # values in a document, counted after anchors are expanded (no "billion laughs")


class YamlError(ValueError):
    """A YAML file that cannot be read: its line (1-based) and what is wrong, in plain words."""

    def __init__(self, line: int, message: str) -> None:
        self.line = line
        self.message = message
        super().__init__(f"{line}: {message}")


class _LineDict(dict):
    line = 0
    key_lines: dict[Any, int]


class _LineList(list):
    line = 0
    item_lines: list[int]


class SafeYamlLoader(yaml.SafeLoader):
    """PyYAML's safe loader with limits: nesting depth, expanded size, recursive anchors, and scalars
    (an impossible date, a 5,000-digit number) refused as YAML errors with their line, never a crash."""

    _depth = 0

    def compose_node(self, parent: Any, index: Any) -> Any:
        self._depth += 1
        try:
            if self._depth > MAX_DEPTH:
                raise yaml.composer.ComposerError(
                    None, None, f"nested more than {MAX_DEPTH} levels deep", self.peek_event().start_mark
                )
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1

    def compose_document(self) -> Any:
        node = super().compose_document()
        _check_expansion(node)
        return node

    def construct_yaml_timestamp(self, node: yaml.ScalarNode) -> Any:
        try:
            return super().construct_yaml_timestamp(node)
        except ValueError:
            from marac_tui.flow.values import parse_date

            try:
                parse_date(node.value)
                problem = f"{node.value} is not a date"
            except ValueError as exc:
                problem = str(exc)
            raise yaml.constructor.ConstructorError(None, None, problem, node.start_mark) from None

    def construct_yaml_int(self, node: yaml.ScalarNode) -> int:
        try:
            return super().construct_yaml_int(node)
        except ValueError:
            raise yaml.constructor.ConstructorError(
                None, None, f"a number of {len(node.value)} characters is too long to read", node.start_mark
            ) from None


SafeYamlLoader.add_constructor("tag:yaml.org,2002:timestamp", SafeYamlLoader.construct_yaml_timestamp)
SafeYamlLoader.add_constructor("tag:yaml.org,2002:int", SafeYamlLoader.construct_yaml_int)


def _check_expansion(root: yaml.Node | None) -> None:
    """Refuse a document whose aliases expand past MAX_NODES values or MAX_DEPTH levels, or loop."""
    sizes: dict[int, tuple[int, int] | None] = {}  # id(node) -> (values, depth); None while being walked

    def walk(node: yaml.Node) -> tuple[int, int]:
        known = sizes.get(id(node), ())
        if known is None:
            raise yaml.composer.ComposerError(None, None, "an anchor refers to itself", node.start_mark)
        if known:
            return known
        sizes[id(node)] = None
        children: list[yaml.Node] = []
        if isinstance(node, yaml.SequenceNode):
            children = node.value
        elif isinstance(node, yaml.MappingNode):
            children = [part for pair in node.value for part in pair]
        count, depth = 1, 1
        for child in children:
            child_count, child_depth = walk(child)
            count, depth = count + child_count, max(depth, child_depth + 1)
            if count > MAX_NODES or depth > MAX_DEPTH:
                what = f"more than {MAX_NODES:,} values" if count > MAX_NODES else f"more than {MAX_DEPTH} levels"
                raise yaml.composer.ComposerError(
                    None, None, f"its anchors and aliases expand to {what}", node.start_mark
                )
        sizes[id(node)] = (count, depth)
        return count, depth

    if root is not None:
        walk(root)


class LineLoader(SafeYamlLoader):
    """The safe, limited loader whose mappings and lists remember the line of each entry (see
    `line_at`). Merge keys (`<<: *anchor`) work as in any YAML loader."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> _LineDict:
        self.flatten_mapping(node)
        mapping = _LineDict()
        mapping.line = node.start_mark.line + 1
        mapping.key_lines = {}
        for key_node, value_node in node.value:
            key = self.construct_object(key_node, deep=True)
            if not isinstance(key, Hashable):
                raise yaml.constructor.ConstructorError(None, None, "found unhashable key", key_node.start_mark)
            mapping[key] = self.construct_object(value_node, deep=True)
            mapping.key_lines[key] = key_node.start_mark.line + 1
        return mapping

    def construct_sequence(self, node: yaml.SequenceNode, deep: bool = False) -> _LineList:
        sequence = _LineList(self.construct_object(child, deep=True) for child in node.value)
        sequence.line = node.start_mark.line + 1
        sequence.item_lines = [child.start_mark.line + 1 for child in node.value]
        return sequence


LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, LineLoader.construct_mapping)
LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, LineLoader.construct_sequence)


def load_yaml(text: str, *, lines: bool = False) -> Any:
    """One YAML document, safely and within the limits; `lines`: mappings and lists remember their
    lines (for `line_at`). Raises YamlError naming the line."""
    try:
        return yaml.load(text, Loader=LineLoader if lines else SafeYamlLoader)  # noqa: S506 - SafeLoader subclasses
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise YamlError(mark.line + 1 if mark else 1, f"not valid YAML: {getattr(exc, 'problem', None) or exc}") from None
    except RecursionError:
        raise YamlError(1, "not valid YAML: nested too deeply") from None


def read_yaml(path: Path, *, lines: bool = False) -> Any:
    """A YAML file, read as UTF-8 within MAX_BYTES (see `load_yaml`); YamlError (line 1) if unreadable."""
    try:
        with open(path, "rb") as handle:
            raw = handle.read(MAX_BYTES + 1)
    except OSError as exc:
        raise YamlError(1, f"cannot read the file: {exc.strerror or exc}") from None
    if len(raw) > MAX_BYTES:
        raise YamlError(1, f"the file is larger than {MAX_BYTES // (1024 * 1024)} MiB; not read")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise YamlError(raw[: exc.start].count(b"\n") + 1, "the file is not UTF-8 text") from None
    return load_yaml(text, lines=lines)


def line_at(data: Any, loc: tuple[Any, ...]) -> tuple[int, str | None]:
    """The line of the deepest node on `loc` (data from `load_yaml(..., lines=True)`), and the id of
    the nearest item on the way."""
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
        data = read_yaml(path, lines=True)
    except YamlError as exc:
        return None, [Problem(path, exc.line, exc.message)]
    if not isinstance(data, dict):
        return None, [Problem(path, 1, "a flow file must be a mapping with name, version, title and sections")]
    return data, []


def _validation_problems(path: Path, data: Any, error: ValidationError) -> list[Problem]:
    problems = []
    for err in error.errors():
        loc = tuple(p for p in err["loc"] if not (isinstance(p, str) and p.startswith("function-")))
        line, owner = line_at(data, loc)
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


def load_named(name: str, paths: bool = False) -> Flow:
    """A shipped flow by name; with `paths` (a flow named on the command line), also a flow file.

    A name read from data (a stored or imported submission's `flow.name`) never names a file.
    """
    from marac_tui.errors import UserError

    key = name if not paths else f"path:{name}"
    if key in _cache:
        return _cache[key]
    flows = available_flows()
    path = flows.get(name) or (Path(name) if paths and name.endswith((".yaml", ".yml")) else None)
    if path is None or not path.is_file():
        raise UserError(f"unknown flow {name[:80]!r}; available: {', '.join(flows) or 'none'}")
    flow = load_flow(path)
    _cache[key] = flow
    return flow


def known_flow(name: str) -> Flow | None:
    """The flow called `name`: shipped, or already loaded by this process (a `--flow` file); else None."""
    from marac_tui.errors import UserError

    for flow in _cache.values():
        if flow.name == name:
            return flow
    try:
        return load_named(name)
    except (UserError, FlowError):
        return None


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
