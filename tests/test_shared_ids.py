"""The shared-id rule: the same question has the same id in every flow that asks it, so the meeting
pack, comparisons and exports can join agencies' research on it.

"The same question" is pinned down two ways:
- by id: an id used in more than one flow must be the same kind of question everywhere, with the same
  option values and the same repeat fields, in the same scope (case or perpetrator);
- by wording: two unconditional questions worded alike (ignoring case and punctuation) in two flows
  must share one id, so nobody asks "Date of birth?" under two names;
and a table of the ids the pack joins on, which every flow that asks the question must use.
"""

from __future__ import annotations

import re
from itertools import combinations

import pytest

from marac_tui.flow.loader import available_flows, load_named
from marac_tui.flow.spec import Flow, Item

FLOWS = {name: load_named(name) for name in available_flows()}
AGENCY_FLOWS = ["mental_health", "substance_misuse", "childrens_social_care", "housing"]

# The ids the meeting pack joins on, and the flows that must ask them under exactly that id.
CASE_IDS = ["case_ref", "marac_date", "representative", "agency", "more_than_one", "perpetrator_count"]
IDENTITY_IDS = ["full_name", "date_of_birth", "address", "aliases"]
SHARED = {
    **{item_id: sorted(FLOWS) for item_id in CASE_IDS + IDENTITY_IDS},
    "sharing_basis": AGENCY_FLOWS,
    "relationship_to_victim": AGENCY_FLOWS,
    "perpetrator_role": AGENCY_FLOWS,
    "caldicott_consulted": ["mental_health", "substance_misuse"],
    "risk_to_professionals": sorted(FLOWS),
    "child_protection": ["police", "probation", "mental_health", "substance_misuse", "childrens_social_care"],
    "self_harm": ["police", "probation", "mental_health", "substance_misuse"],
    "substance_misuse": ["police", "probation", "mental_health", "substance_misuse"],
    "mental_health": ["police", "probation", "mental_health"],
    "weapons": ["police", "probation", "mental_health", "housing"],
    "homeless": ["police", "probation", "housing"],
    "premises": ["police", "probation", "housing"],
    "other_information": sorted(FLOWS),
}


def shape(item: Item) -> tuple:
    """What must agree for two items to be the same question: kind, option values, fields (recursively)."""
    options = tuple(o.value for o in item.options or ())
    fields = tuple((f.id, shape(f)) for f in item.fields or ())
    return item.kind.value, options, fields


def wording(item: Item) -> str:
    return " ".join(re.findall(r"[a-z0-9']+", item.prompt.lower()))


def scope(flow: Flow, item_id: str) -> str:
    return flow.section_of(item_id).scope


def test_there_are_six_flows() -> None:
    assert {"police", "probation", *AGENCY_FLOWS} <= set(FLOWS)


@pytest.mark.parametrize("item_id", sorted(SHARED))
def test_each_shared_id_is_used_by_every_flow_that_asks_it(item_id: str) -> None:
    missing = [name for name in SHARED[item_id] if not FLOWS[name].has_item(item_id)]
    assert not missing, f"{item_id} is missing from {missing}"


def ids_in_several_flows() -> list[str]:
    seen: dict[str, int] = {}
    for flow in FLOWS.values():
        for _, item in flow.all_items():
            seen[item.id] = seen.get(item.id, 0) + 1
    return sorted(i for i, n in seen.items() if n > 1)


@pytest.mark.parametrize("item_id", ids_in_several_flows())
def test_an_id_in_several_flows_is_the_same_question_everywhere(item_id: str) -> None:
    having = {name: flow for name, flow in FLOWS.items() if flow.has_item(item_id)}
    shapes = {name: shape(flow.item(item_id)) for name, flow in having.items()}
    first = next(iter(shapes.values()))
    assert all(s == first for s in shapes.values()), f"{item_id} differs: {shapes}"
    assert len({scope(flow, item_id) for flow in having.values()}) == 1, f"{item_id} changes scope"


def test_the_same_wording_means_the_same_id() -> None:
    """Unconditional questions worded alike in two flows must share one id (follow-ups like 'What is
    recorded, and when?' are exempt: their gate says what they are about)."""
    clashes = []
    for (a_name, a), (b_name, b) in combinations(FLOWS.items(), 2):
        b_items = {wording(i): i.id for _, i in b.all_items() if i.when is None}
        for _, item in a.all_items():
            other = b_items.get(wording(item))
            if item.when is None and other is not None and other != item.id:
                clashes.append(f"{a_name}.{item.id} / {b_name}.{other}: {item.prompt!r}")
    assert not clashes


def test_shared_risks_keep_their_titles() -> None:
    """A risk id raised by several agencies means one thing, so the pack can attribute it to each."""
    titles: dict[str, set[str]] = {}
    for flow in FLOWS.values():
        for risk in flow.risks:
            titles.setdefault(risk.id, set()).add(risk.title)
    assert {rid: t for rid, t in titles.items() if len(t) > 1} == {}


def test_a_shape_difference_is_caught() -> None:
    """The check above can fail: an extra option is a different question."""
    police = FLOWS["police"].item("weapon_types")
    changed = police.model_copy(update={"options": [*(police.options or ()), police.options[0].model_copy(update={"value": "sword"})]})
    assert shape(changed) != shape(police)
