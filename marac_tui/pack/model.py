"""The meeting pack as data: the Chair's brief on one case, joined from every agency's shared research.

This model is the pack's JSON and its schema (`marac-tui schema --pack`); the Markdown, the Word
document and the Chair screen are laid out from it. Everything in it comes from meeting-audience
copies: a withheld answer never reaches a pack.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from marac_tui.submission import ActionStatus

PACK_KIND: Literal["marac-pack"] = "marac-pack"
PACK_SCHEMA_VERSION = 1


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Contributor(_Model):
    """One agency's submission in the pack, and where it came from."""

    agency: str = Field(description="The agency as the pack names it (the expected agency when known)")
    agency_answer: str | None = Field(default=None, description="The agency or unit as the submission gives it")
    representative: str | None = None
    flow: str
    submission_id: str
    state: str = Field(description="draft or finalised")
    origin: str = Field(description="'store', or the file it was read from (sealed files say so)")
    marac_date: date | None = None
    updated_at: datetime
    sharing_basis: str | None = Field(default=None, description="The lawful basis the agency relies on to share")


class Record(_Model):
    """One agency's record of an alleged perpetrator; `ref` is '<submission id>/<number>'."""

    ref: str
    agency: str
    name: str
    date_of_birth: date | None = None
    aliases: list[str] = Field(default_factory=list)


class MatchLink(_Model):
    """Why two records were taken to be the same person."""

    a: str
    b: str
    weight: float = Field(description="Evidence weight (log2); matched from 10")
    reasons: list[str]
    decision: Literal["proposed", "confirmed"] = "proposed"


class Evidence(_Model):
    item: str
    label: str
    text: str
    provenance: str | None = None


class RaisedBy(_Model):
    agency: str
    evidence: list[Evidence] = Field(default_factory=list, description="The shared answers behind the flag")


class Risk(_Model):
    id: str
    title: str
    raised_by: list[RaisedBy]
    addressed: bool = Field(description="Whether any agency's action addresses it")


class Stance(_Model):
    agency: str
    text: str
    provenance: str | None = None


class Conflict(_Model):
    """The same item answered differently by two or more agencies."""

    item: str
    label: str
    stances: list[Stance]


class Unchecked(_Model):
    """A research item that no agency checked: who asked it, and what they recorded."""

    item: str
    label: str
    area: str
    agencies: list[str]


class Tracking(_Model):
    """One agency's part in an action: owner, due date and status as that agency recorded them."""

    agency: str = Field(description="The agency whose submission proposes it")
    owner_agency: str | None = None
    owner: str | None = Field(default=None, description="A named owner, if given")
    due: date | None = None
    status: ActionStatus | None = Field(default=None, description="As last reported; null in packs made before tracking")
    status_date: date | None = Field(default=None, description="When the status was last reported")
    note: str | None = Field(default=None, description="The note given with the latest status report")
    overdue: bool = Field(default=False, description="Open and past its due date when the pack was built")
    submission_id: str
    action_id: str | None = Field(default=None, description="The action's stable id in its submission")


class Action(_Model):
    heading: str
    text: str
    owners: list[str] = Field(description="Owner agencies, merged across the agencies proposing it")
    addresses: list[str] = Field(default_factory=list, description="Risk titles it addresses")
    proposed_by: list[Tracking]


class HeadingActions(_Model):
    heading: str
    title: str
    actions: list[Action]


class OtherCase(_Model):
    """The same person, by the match keys, in another case in the store."""

    case_ref: str
    agency: str
    marac_date: date | None = None
    reasons: list[str]


class Person(_Model):
    key: str = Field(description="P1, P2… in the order the agencies name them")
    name: str
    other_names: list[str] = Field(default_factory=list)
    date_of_birth: date | None = None
    aliases: list[str] = Field(default_factory=list)
    agencies: list[str]
    records: list[Record]
    matches: list[MatchLink] = Field(default_factory=list)
    risks: list[Risk] = Field(default_factory=list)
    conflicts: list[Conflict] = Field(default_factory=list)
    not_checked: list[Unchecked] = Field(default_factory=list)
    actions: list[HeadingActions] = Field(default_factory=list)
    unaddressed: list[str] = Field(default_factory=list, description="Risk titles no agency's action addresses")
    other_cases: list[OtherCase] = Field(default_factory=list)


class Absent(_Model):
    agency: str
    why: str


class EarlierAction(_Model):
    """An action from the last meeting that is not done."""

    marac_date: date | None = None
    person: str
    heading: str
    text: str
    owner_agency: str | None = None
    owner: str | None = None
    due: date | None = None
    status: ActionStatus | None = None
    status_date: date | None = None
    note: str | None = None
    agency: str
    overdue: bool = False
    action_id: str | None = None


class Decision(_Model):
    """The Chair's word on two records: the same person (confirm), or two people (split)."""

    kind: Literal["confirm", "split"]
    a: str
    b: str


class Pack(_Model):
    kind: Literal["marac-pack"] = PACK_KIND
    schema_version: int = PACK_SCHEMA_VERSION
    case_ref: str
    marac_date: date | None = None
    built_at: datetime
    marking: str
    contributors: list[Contributor]
    people: list[Person]
    absent: list[Absent] = Field(default_factory=list, description="Expected agencies that sent nothing")
    earlier_actions: list[EarlierAction] = Field(default_factory=list, description="Last meeting's actions not done")
    decisions: list[Decision] = Field(default_factory=list)
    notes: list[str] = Field(default_factory=list, description="What was left out of the pack, and why")

    def to_json(self) -> dict[str, Any]:
        return self.model_dump(mode="json")


def pack_schema() -> dict[str, Any]:
    schema = Pack.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "MARAC meeting pack"
    return schema
