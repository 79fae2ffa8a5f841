"""Fictional training scenarios: `flows/scenarios/*.yaml`, validated and run through the real engine.

A scenario holds a case brief the trainee reads, the screens a diligent researcher would see on
each source system, and a model submission in the answers-file format of `marac-tui run`.
A multi-agency scenario holds one such part per agency instead (`parts:`, each with its own flow,
brief, screens and model), all about the same case, so that the agencies' research can be joined.
YAML anchors and merge keys (`<<: *pnc`) may be used to repeat provenance; put them under `anchors:`.
"""

from __future__ import annotations

import re
import uuid
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, ValidationError, field_validator, model_validator

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


class ScenarioPart(_Strict):
    """One agency's part of a scenario: the flow it researches in, what it reads, what its systems
    show, and its model submission."""

    flow: str = Field(min_length=1, description="The agency's flow, e.g. mental_health")
    brief: str = Field(default="", description="Markdown: this agency's own brief, after the shared referral")
    facts: list[FactScreen] = Field(min_length=1)
    teaching_points: list[str] = Field(default_factory=list, description="For the trainer's debrief")
    model: dict[str, Any] = Field(description="The model submission, in the answers-file format")
    anchors: Any = Field(default=None, description="YAML anchors for repeated provenance; otherwise ignored")


class Scenario(_Strict):
    """One fictional case for training: one flow (`flow`, `facts`, `model`) or several agencies'
    parts (`parts`), each researching the same case in its own flow."""

    name: str = Field(pattern=NAME_PATTERN)
    title: str = Field(min_length=1)
    flow: str | None = Field(default=None, min_length=1, description="The flow of a one-agency scenario")
    fictional: str = Field(description="A prominent marker saying that everything in the case is invented")
    level: int = Field(default=1, ge=1, le=5, description="1 = introductory")
    summary: str = Field(min_length=1, description="One line for the scenario list")
    brief: str = Field(min_length=1, description="Markdown: the referral as the trainee reads it")
    facts: list[FactScreen] = Field(default_factory=list, description="One-agency scenario: the system screens")
    teaching_points: list[str] = Field(default_factory=list, description="For the trainer's debrief")
    model: dict[str, Any] | None = Field(default=None, description="One-agency scenario: the model submission")
    parts: list[ScenarioPart] = Field(default_factory=list, description="Multi-agency scenario: one part per agency")
    anchors: Any = Field(default=None, description="YAML anchors for repeated provenance; otherwise ignored")
    _path: Path | None = PrivateAttr(default=None)

    @field_validator("fictional")
    @classmethod
    def _says_fictional(cls, value: str) -> str:
        if "fictional" not in value.lower():
            raise ValueError("must say plainly that the case is FICTIONAL")
        return value

    @model_validator(mode="after")
    def _one_shape(self) -> Scenario:
        single = (self.flow, self.model, self.facts or None)
        if self.parts:
            if any(v is not None for v in single):
                raise ValueError("a scenario has either parts (one per agency) or flow, facts and model, not both")
            flows = [p.flow for p in self.parts]
            if len(set(flows)) != len(flows):
                raise ValueError(f"each agency has one part; repeated: {sorted({f for f in flows if flows.count(f) > 1})}")
        elif any(v is None for v in single):
            missing = [k for k, v in zip(("flow", "model", "facts"), single, strict=True) if v is None]
            raise ValueError(f"a scenario needs flow, facts and model (or parts); missing: {', '.join(missing)}")
        return self

    @property
    def path(self) -> Path | None:
        return self._path

    @property
    def multi_agency(self) -> bool:
        return bool(self.parts)

    def all_parts(self) -> list[ScenarioPart]:
        """Every agency's part; a one-agency scenario is one part with no brief of its own."""
        if self.parts:
            return list(self.parts)
        assert self.flow is not None and self.model is not None
        return [ScenarioPart(flow=self.flow, facts=self.facts, model=self.model, teaching_points=self.teaching_points)]

    def agencies(self) -> list[str]:
        """The flows the scenario has parts for, in its order."""
        return [p.flow for p in self.all_parts()]

    def part(self, agency: str | None = None) -> ScenarioPart:
        """The part for `agency` (a flow name); without one, the only part (UserError if there are several)."""
        parts = self.all_parts()
        if agency is None:
            if len(parts) == 1:
                return parts[0]
            raise UserError(
                f"scenario {self.name!r} has a part for each agency: choose one with --agency "
                f"({', '.join(self.agencies())})"
            )
        for part in parts:
            if part.flow == agency.strip():
                return part
        raise UserError(f"scenario {self.name!r} has no part for {agency!r}; agencies: {', '.join(self.agencies())}")

    def brief_for(self, agency: str | None = None) -> str:
        """What the trainee reads: the referral, then their agency's own brief (if any)."""
        own = self.part(agency).brief.strip()
        return self.brief.strip() + (f"\n\n{own}" if own else "")

    def systems(self, agency: str | None = None) -> list[str]:
        """The systems the trainee can check (one agency's, or every agency's), in the scenario's order."""
        parts = self.all_parts() if agency is None else [self.part(agency)]
        return list(dict.fromkeys(f.system for p in parts for f in p.facts))

    def screens(self, system: str, agency: str | None = None) -> list[FactScreen]:
        """Every screen for one system (case-insensitive), one per person searched."""
        parts = self.all_parts() if agency is None else [self.part(agency)]
        return [f for p in parts for f in p.facts if f.system.lower() == system.strip().lower()]

    def load_flow(self, agency: str | None = None) -> Flow:
        from marac_tui.flow.loader import load_named

        return load_named(self.part(agency).flow)

    def model_submission(self, agency: str | None = None) -> Submission:
        """One part's model answers run through the real engine (a fresh copy each call)."""
        return _model_submission(self, self.part(agency).flow).model_copy(deep=True)

    def models(self) -> dict[str, Submission]:
        """Every part's model submission, by flow name (fresh copies)."""
        return {agency: self.model_submission(agency) for agency in self.agencies()}


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


def _answers_line(data: Any, message: str, base: tuple[Any, ...] = ("model",)) -> int:
    """The line under `base` (a model) that an engine message like `perpetrators[2].weapons: ...` points at."""
    match = re.match(r"(?:perpetrators\[(\d+)\]\.)?([a-z_][a-z0-9_]*)", message)
    loc: tuple[Any, ...] = base
    if match:
        loc = (*base, "perpetrators", int(match.group(1)) - 1, match.group(2)) if match.group(1) else (*base, match.group(2))
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
        return None, [Problem(path, 1, "a scenario must be a mapping with name, title, brief, and flow, facts and model (or parts)")]
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
    models: dict[str, Submission] = {}
    for index, part in enumerate(scenario.all_parts()):
        base: tuple[Any, ...] = ("parts", index) if scenario.multi_agency else ()
        where = f"parts[{index + 1}] ({part.flow}): " if scenario.multi_agency else ""
        try:
            flow = load_named(part.flow)
        except (UserError, FlowError) as exc:
            line = line_at(data, (*base, "flow"))[0]
            return None, [Problem(path, line, f"{where}flow: {str(exc).splitlines()[0]}")]
        interview = Interview(flow, prefill=False)
        warnings: list[str] = []
        model = data["parts"][index]["model"] if scenario.multi_agency else data["model"]
        try:
            run_answers(interview, _plain(model), warn=warnings.append)
        except AnswersError as exc:
            return None, [Problem(path, _answers_line(data, str(exc), (*base, "model")), f"{where}model: {exc}")]
        problems = [Problem(path, _answers_line(data, w, (*base, "model")), f"{where}model: {w}") for w in warnings]
        if problems:
            return None, problems
        interview.submission.training = scenario.name
        models[part.flow] = interview.submission
    scenario._path = path
    _MODELS[path] = models
    return scenario, []


_MODELS: dict[Path, dict[str, Submission]] = {}  # scenario file -> flow -> model submission


def _model_submission(scenario: Scenario, agency: str) -> Submission:
    if scenario.path not in _MODELS:
        raise ScenarioError([Problem(scenario.path or Path(scenario.name), 1, "scenario was not loaded from a file")])
    return _MODELS[scenario.path][agency]


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


def start_training(store: Any, name: str, agency: str | None = None) -> Submission:
    """A new, saved draft in the flow of the scenario's part for `agency` (a flow name; a one-agency
    scenario needs none), marked as a training run of `name`."""
    scenario = load_scenario(name)
    submission = Submission(flow=_flow_ref(scenario.load_flow(agency)), training=scenario.name)
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
    flow = scenario.load_flow(old.flow.name if scenario.multi_agency else None)
    fresh = Submission(id=old.id, flow=_flow_ref(flow), created_at=old.created_at, training=old.training)
    store.save(fresh, [Change("*", None, "training run reset: every answer discarded", None)])
    return fresh
