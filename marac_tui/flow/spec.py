"""The flow specification: what a trainer writes in `flows/*.yaml`, validated by pydantic.

A flow is sections of items (ODK-style: kind, id, prompt, hint, required, when, constraint,
fields for repeats), risk rules and action suggestions. Nothing here knows about the UI.
"""

from __future__ import annotations

import re
from enum import Enum
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, field_validator, model_validator

ID_PATTERN = r"^[a-z][a-z0-9_]*$"


class Kind(str, Enum):
    """What kind of answer an item takes."""

    text = "text"
    longtext = "longtext"
    yesno = "yesno"
    choice = "choice"
    multichoice = "multichoice"
    date = "date"
    number = "number"
    repeat = "repeat"
    group = "group"
    actions = "actions"


CHOICE_KINDS = {Kind.choice, Kind.multichoice}
CONTAINER_KINDS = {Kind.repeat, Kind.group}
YES, NO, UNKNOWN = "yes", "no", "unknown"
YESNO_VALUES = (YES, NO, UNKNOWN)
NONE = "none"  # the option value a choice uses for "none held"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Option(_Strict):
    """One choice: the stored value and the label shown."""

    value: str = Field(pattern=ID_PATTERN)
    label: str

    @model_validator(mode="before")
    @classmethod
    def _from_string(cls, data: Any) -> Any:
        if isinstance(data, str):
            return {"value": data, "label": data.replace("_", " ").capitalize()}
        return data


class Item(_Strict):
    """One question (or a repeating group of questions) in a flow."""

    id: str = Field(pattern=ID_PATTERN)
    kind: Kind
    prompt: str = Field(min_length=1, description="Markdown; a value ending in .md names a file in prompts/")
    hint: str | None = None
    required: bool = False
    when: str | None = Field(default=None, description="Skip logic: ask only when this expression is true")
    constraint: str | None = Field(default=None, description="Expression over `.` (the answer) that must be true")
    constraint_message: str | None = None
    pattern: str | None = Field(default=None, description="Regular expression a text answer must match")
    pattern_when: str | None = Field(
        default=None, description="In a repeat's fields: apply `pattern` only when this holds over the entry's fields"
    )
    options: list[Option] | None = None
    fields: list[Item] | None = None
    min: float | None = None
    max: float | None = None
    default: Any = None
    guidance: str | None = Field(default=None, description="Markdown file in prompts/: why this item matters")
    research: bool | None = Field(default=None, description="Answers carry status, source, date, fact/opinion, share")
    add_prompt: str | None = Field(default=None, description="For repeats: the 'add another?' question")

    @field_validator("pattern")
    @classmethod
    def _pattern_compiles(cls, value: str | None) -> str | None:
        if value is not None:
            try:
                re.compile(value)
            except re.error as exc:
                raise ValueError(f"pattern is not a valid regular expression: {exc}") from None
        return value

    @model_validator(mode="after")
    def _kind_needs(self) -> Item:
        if self.kind in CHOICE_KINDS and not self.options:
            raise ValueError(f"a {self.kind.value} item needs options")
        if self.kind not in CHOICE_KINDS and self.options:
            raise ValueError(f"options are only for choice and multichoice items, not {self.kind.value}")
        if self.kind in CONTAINER_KINDS and not self.fields:
            raise ValueError(f"a {self.kind.value} item needs fields")
        if self.kind not in CONTAINER_KINDS and self.fields:
            raise ValueError(f"fields are only for repeat and group items, not {self.kind.value}")
        if self.options:
            _no_duplicates([o.value for o in self.options], "option")
        if self.fields:
            _no_duplicates([f.id for f in self.fields], "field id")
        return self

    def option_label(self, value: str) -> str:
        for option in self.options or ():
            if option.value == value:
                return option.label
        return value


class Section(_Strict):
    """A titled group of items; `scope: perpetrator` sections run once per alleged perpetrator."""

    id: str = Field(pattern=ID_PATTERN)
    title: str
    scope: Literal["case", "perpetrator"] = "case"
    research: bool = False
    guidance: str | None = None
    items: list[Item] = Field(min_length=1)


class RiskRule(_Strict):
    """A risk flag for the Chair, raised when its expression holds for a perpetrator."""

    id: str = Field(pattern=ID_PATTERN)
    title: str
    when: str
    explain: str | None = None


class ActionHeading(_Strict):
    id: str = Field(pattern=ID_PATTERN)
    title: str
    description: str | None = None


class ActionSuggestion(_Strict):
    """An example action addressing the perpetrator's behaviour.

    It is offered when one of the risks it `addresses` is raised (or `offer_when` holds), and only if
    it fits the person: `when` (if given) holds and `unless` (if given) does not.
    """

    id: str = Field(pattern=ID_PATTERN)
    heading: str
    text: str
    addresses: list[str] = Field(default_factory=list, description="Risk ids that prompt this action")
    offer_when: str | None = Field(default=None, description="Also offer when this expression holds, with no risk")
    when: str | None = Field(default=None, description="Fit: offer only when this expression holds")
    unless: str | None = Field(default=None, description="Fit: never offer when this expression holds")
    owner: str | None = Field(default=None, description="The agency that usually owns it")

    @model_validator(mode="after")
    def _prompted(self) -> ActionSuggestion:
        if not self.addresses and not self.offer_when:
            raise ValueError(f"action {self.id!r} needs `addresses` (risk ids) or `offer_when`, or it is never offered")
        return self


class FlowChange(_Strict):
    """What one version of a flow changed, so submissions made with an earlier version still read well.

    `added`: items new in this version (a finalised submission from before it is not asked them);
    `merged`: old item id -> the item that now asks the same (a draft's 'yes' moves across);
    `retired`: old item id -> its old question, the label its answers keep in exports.
    """

    version: str
    note: str | None = None
    added: list[str] = Field(default_factory=list)
    merged: dict[str, str] = Field(default_factory=dict)
    retired: dict[str, str] = Field(default_factory=dict)


def version_key(version: str) -> tuple[int, ...]:
    """'2.0' -> (2, 0), so versions compare as numbers ('10.0' is after '9.1')."""
    return tuple(int(part) if part.isdigit() else 0 for part in re.split(r"[.-]", version.strip()))


class PerpetratorLoop(_Strict):
    """How many times the perpetrator-scope sections run."""

    count: str = Field(default="1", description="Expression over case answers giving the number of perpetrators")
    max: int = Field(default=6, ge=1, le=20)
    name_item: str | None = Field(default=None, description="The item whose answer names each perpetrator")


class Flow(_Strict):
    """A whole interview: sections, the perpetrator loop, risk rules and actions."""

    name: str = Field(pattern=ID_PATTERN)
    version: str
    title: str
    description: str | None = None
    agency: str | None = Field(default=None, description="The agency whose representative uses this flow")
    sources: list[str] = Field(default_factory=list, description="Source systems offered for 'where found'")
    practice: str | None = Field(
        default=None, description="Markdown file in prompts/: this agency's own sharing rules (what it must not share)"
    )
    perpetrators: PerpetratorLoop = PerpetratorLoop()
    sections: list[Section] = Field(min_length=1)
    risks: list[RiskRule] = Field(default_factory=list)
    action_headings: list[ActionHeading] = Field(default_factory=list)
    actions: list[ActionSuggestion] = Field(default_factory=list)
    changes: list[FlowChange] = Field(default_factory=list, description="What each version changed, oldest first")
    _item_index: dict[str, tuple[Section, Item]] = PrivateAttr(default_factory=dict)
    _prompts_root: Path | None = PrivateAttr(default=None)

    def all_items(self) -> list[tuple[Section, Item]]:
        return [(section, item) for section in self.sections for item in section.items]

    def item(self, item_id: str) -> Item:
        return self._index()[item_id][1]

    def section_of(self, item_id: str) -> Section:
        return self._index()[item_id][0]

    def has_item(self, item_id: str) -> bool:
        return item_id in self._index()

    def is_research(self, item_id: str) -> bool:
        section, item = self._index()[item_id]
        return section.research if item.research is None else item.research

    def risk(self, risk_id: str) -> RiskRule:
        return next(r for r in self.risks if r.id == risk_id)

    def retired_label(self, item_id: str) -> str | None:
        """The question a removed item used to ask (its answers in older submissions keep it)."""
        return next((c.retired[item_id] for c in reversed(self.changes) if item_id in c.retired), None)

    def added_since(self, version: str) -> set[str]:
        """Items this flow added after `version`: a submission made with that version was not asked them."""
        old = version_key(version)
        return {i for c in self.changes if version_key(c.version) > old for i in c.added}

    def heading_title(self, heading_id: str) -> str:
        return next((h.title for h in self.action_headings if h.id == heading_id), heading_id)

    def _index(self) -> dict[str, tuple[Section, Item]]:
        return self._item_index

    def model_post_init(self, __context: Any) -> None:
        self._item_index = {item.id: (section, item) for section, item in self.all_items()}


def _no_duplicates(values: list[str], what: str) -> None:
    seen: set[str] = set()
    for value in values:
        if value in seen:
            raise ValueError(f"duplicate {what} {value!r}")
        seen.add(value)
