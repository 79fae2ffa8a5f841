"""Fictional training scenarios: `flows/scenarios/*.yaml`, validated and run through the real engine.

A scenario holds a case brief the trainee reads, the screens a diligent researcher would see on
each source system, and a model submission in the answers-file format of `marac-tui run`.
YAML anchors and merge keys (`<<: *pnc`) may be used to repeat provenance; put them under `anchors:`.
"""

from __future__ import annotations

import re
import uuid
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, ValidationError, field_validator

from marac_tui.errors import UserError
from marac_tui.flow.loader import Problem, YamlError, line_at, read_yaml
from marac_tui.flow.spec import Flow
from marac_tui.paths import flows_dir, prompts_dir
from marac_tui.submission import FlowRef, Submission

NAME_PATTERN = r"^[a-z][a-z0-9_-]*$"


class ScenarioError(UserError):
    """A scenario file with problems; the message is the first `PATH:LINE: problem`."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
        super().__init__(f"{problems[0]}{more}")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class FactScreen(_Strict):
    """What the trainee sees when they check one system for one person."""

    system: str = Field(min_length=1, description="PNC, PND, Force system, Intelligence, Partner agencies...")
    subject: str | None = Field(default=None, description="Whose record this is (a perpetrator's name)")
    screen: str = Field(min_length=1, description="The record as it would appear, in plain text")


class Scenario(_Strict):
    """One fictional case for training."""

    name: str = Field(pattern=NAME_PATTERN)
    title: str = Field(min_length=1)
    flow: str = Field(min_length=1)
    fictional: str = Field(description="A prominent marker saying that everything in the case is invented")
    level: int = Field(default=1, ge=1, le=5, description="1 = introductory")
    summary: str = Field(min_length=1, description="One line for the scenario list")
    brief: str = Field(min_length=1, description="Markdown: the referral as the trainee reads it")
    facts: list[FactScreen] = Field(min_length=1)
    teaching_points: list[str] = Field(default_factory=list, description="For the trainer's debrief")
    model: dict[str, Any] = Field(description="The model submission, in the answers-file format")
    anchors: Any = Field(default=None, description="YAML anchors for repeated provenance; otherwise ignored")
    _path: Path | None = PrivateAttr(default=None)

    @field_validator("fictional")
    @classmethod
    def _says_fictional(cls, value: str) -> str:
        if "fictional" not in value.lower():
            raise ValueError("must say plainly that the case is FICTIONAL")
        return value

    @property
    def path(self) -> Path | None:
        return self._path

    def systems(self) -> list[str]:
        """The systems the trainee can check, in the order the scenario lists them."""
        return list(dict.fromkeys(f.system for f in self.facts))

    def screens(self, system: str) -> list[FactScreen]:
        """Every screen for one system (case-insensitive), one per person searched."""
        return [f for f in self.facts if f.system.lower() == system.strip().lower()]

    def load_flow(self) -> Flow:
        from marac_tui.flow.loader import load_named

        return load_named(self.flow)

    def model_submission(self) -> Submission:
        """The model answers run through the real engine (a fresh copy each call)."""
        return _model_submission(self).model_copy(deep=True)


# --- loading --------------------------------------------------------------------------------------


def _plain(value: Any) -> Any:
    """Ordinary dicts and lists (the loader's line-aware ones are not needed past validation)."""
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, datetime):
        return value.date()
    return value


def scenarios_dir() -> Path:
    return flows_dir() / "scenarios"


def training_text(name: str) -> str:
    """A trainer-editable Markdown text from prompts/training/ (empty if it is missing)."""
    try:
        return (prompts_dir() / "training" / name).read_text(encoding="utf-8").strip()
    except OSError:
        return ""


def _answers_line(data: Any, message: str) -> int:
    """The line in `model:` that an engine message like `perpetrators[2].weapons: ...` points at."""
    match = re.match(r"(?:perpetrators\[(\d+)\]\.)?([a-z_][a-z0-9_]*)", message)
    loc: tuple[Any, ...] = ("model",)
    if match:
        loc = ("model", "perpetrators", int(match.group(1)) - 1, match.group(2)) if match.group(1) else ("model", match.group(2))
    return line_at(data, loc)[0]


def check_scenario(path: str | Path) -> tuple[Scenario | None, list[Problem]]:
    """Validate a scenario file, including a full run of its model through the engine."""
    from marac_tui.engine.headless import AnswersError, run_answers
    from marac_tui.engine.interview import Interview
    from marac_tui.flow.loader import FlowError, load_named

    path = Path(path)
    try:
        data = read_yaml(path, lines=True)
    except YamlError as exc:
        return None, [Problem(path, exc.line, exc.message)]
    if not isinstance(data, dict):
        return None, [Problem(path, 1, "a scenario must be a mapping with name, title, flow, brief, facts and model")]
    try:
        scenario = Scenario.model_validate(data)
    except ValidationError as exc:
        problems = []
        for err in exc.errors():
            line, _ = line_at(data, err["loc"])
            where = ".".join(str(p) for p in err["loc"]) or "scenario"
            problems.append(Problem(path, line, f"{where}: {err['msg'].removeprefix('Value error, ')}"))
        return None, problems
    if scenario.name != path.stem:
        return None, [
            Problem(path, getattr(data, "key_lines", {}).get("name", 1), f"name {scenario.name!r} must match the file name {path.stem!r}")
        ]
    try:
        flow = load_named(scenario.flow)
    except (UserError, FlowError) as exc:
        return None, [Problem(path, getattr(data, "key_lines", {}).get("flow", 1), f"flow: {str(exc).splitlines()[0]}")]
    interview = Interview(flow, prefill=False)
    warnings: list[str] = []
    try:
        run_answers(interview, _plain(data["model"]), warn=warnings.append)
    except AnswersError as exc:
        return None, [Problem(path, _answers_line(data, str(exc)), f"model: {exc}")]
    problems = [Problem(path, _answers_line(data, w), f"model: {w}") for w in warnings]
    if problems:
        return None, problems
    interview.submission.training = scenario.name
    scenario._path = path
    _MODELS[path] = interview.submission
    return scenario, []


_MODELS: dict[Path, Submission] = {}


def _model_submission(scenario: Scenario) -> Submission:
    if scenario.path not in _MODELS:
        raise ScenarioError([Problem(scenario.path or Path(scenario.name), 1, "scenario was not loaded from a file")])
    return _MODELS[scenario.path]


@cache
def _load_path(path: Path, mtime: float) -> Scenario:
    scenario, problems = check_scenario(path)
    if scenario is None:
        raise ScenarioError(problems)
    return scenario


def load_scenario(name_or_path: str) -> Scenario:
    """A shipped scenario by name, or a path to a scenario file; ScenarioError if broken."""
    path = scenarios_dir() / f"{name_or_path}.yaml"
    if not path.is_file() and name_or_path.endswith((".yaml", ".yml")):
        path = Path(name_or_path)
    if not path.is_file():
        names = ", ".join(p.stem for p in _scenario_paths()) or "none"
        raise UserError(f"unknown scenario {name_or_path!r}; available: {names}")
    path = path.resolve()
    return _load_path(path, path.stat().st_mtime)


def _scenario_paths() -> list[Path]:
    folder = scenarios_dir()
    return sorted(folder.glob("*.yaml")) if folder.is_dir() else []


def list_scenarios() -> list[Scenario]:
    """Every shipped scenario, introductory ones first; ScenarioError names the first broken file."""
    scenarios = [load_scenario(str(p)) for p in _scenario_paths()]
    return sorted(scenarios, key=lambda s: (s.level, s.name))


# --- training runs --------------------------------------------------------------------------------


def _flow_ref(flow: Flow) -> FlowRef:
    return FlowRef(name=flow.name, version=flow.version, title=flow.title)


def start_training(store: Any, name: str) -> Submission:
    """A new, saved draft for a scenario's flow, marked as a training run of `name`."""
    scenario = load_scenario(name)
    submission = Submission(flow=_flow_ref(scenario.load_flow()), training=scenario.name)
    store.save(submission)
    return submission


def reset_training(store: Any, submission_id: str | uuid.UUID) -> Submission:
    """Discard a training run's answers and start it again from the first question (same id).

    A finalised run is reopened first; the store's audit trail records the reset.
    """
    from marac_tui.engine.interview import Change
    from marac_tui.submission import SubmissionState

    old = store.load(str(submission_id))
    if not old.training:
        raise UserError(f"submission {str(old.id)[:8]} is not a training run; only training runs can be reset")
    scenario = load_scenario(old.training)
    if old.state is SubmissionState.finalised:
        store.reopen(str(old.id), reason="training run reset for replay")
    fresh = Submission(id=old.id, flow=_flow_ref(scenario.load_flow()), created_at=old.created_at, training=old.training)
    store.save(fresh, [Change("*", None, "training run reset: every answer discarded", None)])
    return fresh
