"""The saved pre-meeting submission: what the representative found, and how they know it.

This model is the contract between engine, store and exports; `marac-tui schema` prints it.
"""

from __future__ import annotations

import copy
import hashlib
import secrets
import uuid
from datetime import date, datetime, timezone
from enum import Enum, StrEnum
from typing import Annotated, Any, ClassVar

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, model_validator

SCHEMA_VERSION = 2  # 2: actions carry an id, a due date, a status and its history (see migrate_data)


def now() -> datetime:
    return datetime.now(timezone.utc)


def _as_utc(value: datetime) -> datetime:
    """A timestamp without a time zone (an imported file's) is taken as UTC."""
    return value if value.tzinfo is not None else value.replace(tzinfo=timezone.utc)


UtcDatetime = Annotated[datetime, AfterValidator(_as_utc)]


class Status(str, Enum):
    """What the research found for an item: 'nothing held' is not 'not checked'."""

    found = "found"
    nothing_held = "nothing_held"
    not_checked = "not_checked"
    not_applicable = "not_applicable"


STATUS_LABELS = {
    Status.found: "Found",
    Status.nothing_held: "Nothing held",
    Status.not_checked: "Not checked",
    Status.not_applicable: "Not applicable",
}


class Basis(str, Enum):
    """Whether an answer is a fact from a record or a professional opinion."""

    fact = "fact"
    opinion = "opinion"


BASIS_LABELS = {Basis.fact: "Fact", Basis.opinion: "Professional opinion"}


class SubmissionState(str, Enum):
    draft = "draft"
    finalised = "finalised"


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Answer(_Model):
    """One answered item. Research items also carry status, source, date checked, basis and sharing."""

    value: Any = Field(default=None, description="The answer; a list of mappings for repeats")
    status: Status | None = Field(default=None, description="Research status; null for case details")
    source: str | None = Field(default=None, description="Where it was found, e.g. PNC, PND, nDelius")
    checked_on: date | None = Field(default=None, description="When the source was checked")
    basis: Basis | None = Field(default=None, description="Fact or professional opinion")
    share: bool = Field(default=True, description="Share at the meeting (relevant and proportionate)")
    withhold_reason: str | None = Field(default=None, description="Why it is not shared; required when share is false")
    answered_at: UtcDatetime = Field(default_factory=now)
    carried_from: str | None = Field(
        default=None, description="The case reference this answer was carried forward from; re-check it"
    )

    def provenance(self) -> list[str]:
        """How the representative knows, as short labels: status, source, date checked, basis.

        A 'not checked' answer shows no source or date: they would claim a check that did not happen.
        """
        if self.status is None:
            return []
        parts = [STATUS_LABELS[self.status]]
        if self.status is Status.not_checked and self.carried_from:
            parts.append(f"carried forward from {self.carried_from}, re-check")
        if self.status is not Status.not_checked:
            if self.source:
                parts.append(self.source)
            if self.checked_on:
                parts.append(f"checked {self.checked_on:%d %b %Y}")
            if self.basis:
                parts.append(BASIS_LABELS[self.basis])
        return parts


class ActionStatus(StrEnum):
    """Where an agreed action stands, as last reported (the SafeLives action tracking form's states)."""

    proposed = "proposed"
    agreed = "agreed"
    in_progress = "in_progress"
    done = "done"
    not_done = "not_done"


ACTION_STATUS_LABELS = {
    ActionStatus.proposed: "Proposed",
    ActionStatus.agreed: "Agreed",
    ActionStatus.in_progress: "In progress",
    ActionStatus.done: "Done",
    ActionStatus.not_done: "Not done",
}
ACTION_ID_PATTERN = r"^[a-z0-9][a-z0-9-]{2,31}$"


def new_action_id() -> str:
    """A short, random, stable id for a new action (8 hex characters)."""
    return secrets.token_hex(4)


class StatusReport(_Model):
    """One report of an action's status: what it was, on which date, and any note."""

    status: ActionStatus
    on: date = Field(description="The date the status was reported")
    note: str | None = None
    by: str | None = Field(default=None, description="Who reported it")


class Action(_Model):
    """An action for the safety plan that addresses the perpetrator's behaviour, and its tracking."""

    TRACKING: ClassVar[tuple[str, ...]] = ("agency", "owner", "due", "status", "status_date", "note", "history")

    id: str = Field(default_factory=new_action_id, pattern=ACTION_ID_PATTERN, description="Stable action id")
    heading: str = Field(description="One of the flow's action headings")
    text: str = Field(min_length=1)
    agency: str | None = Field(default=None, description="The agency that owns the action")
    owner: str | None = Field(default=None, description="The named person who owns it, if any")
    due: date | None = Field(default=None, description="When it is due")
    status: ActionStatus = Field(default=ActionStatus.proposed)
    status_date: date | None = Field(default=None, description="When the status was last reported")
    note: str | None = Field(default=None, description="The note given with the latest status report")
    history: list[StatusReport] = Field(default_factory=list, description="Every status report, oldest first")
    addresses: list[str] = Field(default_factory=list, description="Risk flag ids this action addresses")
    suggestion: str | None = Field(default=None, description="The flow's suggestion id, if taken from one")

    @property
    def open(self) -> bool:
        """Not done yet (proposed, agreed, in progress, or reported as not done)."""
        return self.status is not ActionStatus.done

    def overdue(self, today: date | None = None) -> bool:
        return self.open and self.due is not None and self.due < (today or date.today())

    def tracking(self, today: date | None = None) -> str:
        """One line: 'Agreed (reported 11 Dec 2026) · due 20 Dec 2026 · owner DS Corran', plain text."""
        status = ACTION_STATUS_LABELS[self.status]
        if self.status_date:
            status += f" (reported {self.status_date:%d %b %Y})"
        parts = [status]
        if self.due:
            parts.append(f"due {self.due:%d %b %Y}" + (" OVERDUE" if self.overdue(today) else ""))
        if self.owner:
            parts.append(f"owner {self.owner}")
        return " · ".join(parts)

    @staticmethod
    def is_list(value: Any) -> bool:
        """Whether a stored answer is a list of actions (the actions item's value)."""
        return (
            isinstance(value, list)
            and bool(value)
            and all(isinstance(e, dict) and "heading" in e and "text" in e for e in value)
        )


class RiskFlag(_Model):
    """A risk for the Chair, raised by a flow rule; `cites` are the answers that raised it."""

    id: str
    title: str
    cites: list[str] = Field(default_factory=list)


class Perpetrator(_Model):
    """The research on one alleged perpetrator."""

    answers: dict[str, Answer] = Field(default_factory=dict)
    risks: list[RiskFlag] = Field(default_factory=list, description="Computed from the answers at each save")

    def name(self, name_item: str | None, index: int) -> str:
        answer = self.answers.get(name_item or "")
        if answer is not None and isinstance(answer.value, str) and answer.value.strip():
            return answer.value.strip()
        return f"Perpetrator {index + 1}"

    def actions(self, item_id: str = "actions") -> list[Action]:
        answer = self.answers.get(item_id)
        return [Action.model_validate(a) for a in (answer.value or [])] if answer else []

    def gaps(self, item_id: str = "actions") -> list[RiskFlag]:
        """Risk flags that no action addresses."""
        addressed = {risk for action in self.actions(item_id) for risk in action.addresses}
        return [risk for risk in self.risks if risk.id not in addressed]


class CaseHeader(_Model):
    case_ref: str | None = None
    marac_date: date | None = None
    representative: str | None = None
    agency: str | None = None


HEADER_ITEMS = tuple(CaseHeader.model_fields)  # case items copied into the header


class FlowRef(_Model):
    name: str
    version: str
    title: str | None = None
    upgraded_from: list[str] = Field(default_factory=list, description="Earlier flow versions this draft began with")


class Position(_Model):
    """Where the interview stopped, so a draft resumes there."""

    item: str
    perpetrator: int = 0


class Submission(_Model):
    """A representative's pre-meeting research submission for one MARAC case."""

    id: uuid.UUID = Field(default_factory=uuid.uuid4)
    schema_version: int = SCHEMA_VERSION
    flow: FlowRef
    state: SubmissionState = SubmissionState.draft
    created_at: UtcDatetime = Field(default_factory=now)
    updated_at: UtcDatetime = Field(default_factory=now)
    header: CaseHeader = Field(default_factory=CaseHeader)
    answers: dict[str, Answer] = Field(default_factory=dict, description="Case-level answers")
    perpetrators: list[Perpetrator] = Field(default_factory=lambda: [Perpetrator()])
    position: Position | None = Field(default=None, description="Null once the interview is complete")
    training: str | None = Field(default=None, description="Scenario name when this is a training run")

    @model_validator(mode="before")
    @classmethod
    def _migrate(cls, data: Any) -> Any:
        return migrate_data(data) if isinstance(data, dict) else data

    @model_validator(mode="after")
    def _withheld_needs_reason(self) -> Submission:
        """A finalised submission withholds nothing without its reason. A draft may, for a while: an
        answer withheld as the interview closed, before its reason was typed, is kept withheld (never
        shared by default) and listed as a gap until the reason is given."""
        if self.state is SubmissionState.finalised and (missing := self.withheld_without_reason()):
            raise ValueError(f"{missing[0]}: withheld without a reason")
        return self

    def withheld_without_reason(self) -> list[str]:
        """The items (case ones by id, a person's as `perpetrators[N].id`) withheld with no reason given."""
        scopes = [("", self.answers), *((f"perpetrators[{n}].", p.answers) for n, p in enumerate(self.perpetrators))]
        return [f"{prefix}{item_id}" for prefix, answers in scopes for item_id, answer in answers.items()
                if not answer.share and not (answer.withhold_reason or "").strip()]  # fmt: skip

    @property
    def case_ref(self) -> str:
        return self.header.case_ref or "(no case ref)"

    def touch(self) -> None:
        self.updated_at = now()

    def to_json(self) -> dict[str, Any]:
        return self.model_dump(mode="json")

    def research_view(self) -> dict[str, Any]:
        """The submission without its actions' tracking (or the time of the last save): what a
        finalised submission must keep unchanged while its actions are tracked."""
        data = self.to_json()
        data.pop("updated_at", None)
        for perpetrator in data["perpetrators"]:
            for answer in perpetrator["answers"].values():
                if Action.is_list(answer["value"]):
                    answer["value"] = [{k: v for k, v in a.items() if k not in Action.TRACKING} for a in answer["value"]]
        return data


def _stable_id(*parts: Any) -> str:
    """A deterministic action id for an action saved before actions had ids: the same on every read."""
    return hashlib.sha256(":".join(map(str, parts)).encode()).hexdigest()[:8]


def migrate_data(data: dict[str, Any]) -> dict[str, Any]:
    """A stored submission in the current schema (a copy; the input is left as it was).

    Schema 1 (before December 2026) had actions with no id, due date or status: each gets an id
    derived from where it sits, so that every read of an unsaved old file gives the same ids, and
    the status 'proposed'. A submission from a newer marac-tui is refused, naming the versions.
    """
    version = data.get("schema_version", 1)
    if not isinstance(version, int) or version > SCHEMA_VERSION:
        raise ValueError(f"schema version {version!r} is newer than this marac-tui understands ({SCHEMA_VERSION}); upgrade marac-tui")
    if version == SCHEMA_VERSION:
        return data
    data = copy.deepcopy(data)
    for p, perpetrator in enumerate(data.get("perpetrators") or []):
        answers = perpetrator.get("answers") if isinstance(perpetrator, dict) else None
        for item_id, answer in (answers or {}).items():
            value = answer.get("value") if isinstance(answer, dict) else None
            if isinstance(value, list) and Action.is_list(value):
                for n, action in enumerate(value):
                    action.setdefault("id", _stable_id(data.get("id"), p, item_id, n))
    data["schema_version"] = SCHEMA_VERSION
    return data


def submission_schema() -> dict[str, Any]:
    """The JSON Schema that every exported submission validates against."""
    schema = Submission.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "MARAC perpetrator research submission"
    return schema
