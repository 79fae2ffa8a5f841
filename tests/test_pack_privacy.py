"""Property: whatever each agency withholds, and however its research reaches the coordinator (the
store, a meeting export, a sealed file), no withheld text or reason appears anywhere in the pack;
what the pack shows of shared answers is there."""

from __future__ import annotations

import copy
import tempfile
from pathlib import Path

import pyrage
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pack_cases import AGENCIES, CASE_REF, FLOWS, build
from test_pack import pack_texts

from marac_tui.export import render
from marac_tui.pack import make_pack
from marac_tui.pack.sealed import seal
from marac_tui.store import Store

# per agency: the items that may be withheld, each with the marker the answer then carries
CANDIDATES = {
    "police": {"aliases": "ALIAS-P", "address": "ADDR-P", "stalking": "SRC-P", "threats_to_kill_details": "DETAIL-P"},
    "probation": {"address": "ADDR-B", "weapons": "SRC-B", "weapons_location": "LOCATION-B"},
    "housing": {"address": "ADDR-H", "risk_to_professionals": "SRC-H"},
}
ROUTES = ("store", "json", "sealed")
KEY = pyrage.x25519.Identity.generate()


def marked(agency: str, withheld: frozenset[str]) -> dict:
    """The agency's answers with a marker in each candidate item, and the chosen items withheld."""
    answers = copy.deepcopy(AGENCIES[agency])
    person = answers["perpetrators"][0]
    for item, marker in CANDIDATES[agency].items():
        if item == "aliases":
            person[item] = {"value": [{"name": f"Dal {marker}", "type": "nickname"}]}
        elif marker.startswith("SRC"):
            person[item] = {"value": "yes", "source": marker, "checked": "2026-11-30"}
        else:
            person.setdefault(item, {})
            streets = {"police": "7 Quarry Lane", "probation": "Flat 2, Birch Court", "housing": "40 Weir Road"}
            value = f"{marker} {streets[agency]}" if item == "address" else f"{marker} under the stairs"
            person[item] = {**person[item], "value": value}
        if item in withheld:
            person[item] = {**person[item], "share": False, "reason": f"REASON-{agency}-{item}"}
    if agency == "probation":
        person["weapons"].setdefault("value", "yes")
    return answers


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                 HealthCheck.function_scoped_fixture])  # fmt: skip
@given(
    st.fixed_dictionaries({a: st.frozensets(st.sampled_from(sorted(c))) for a, c in CANDIDATES.items()}),
    st.fixed_dictionaries({a: st.sampled_from(ROUTES) for a in CANDIDATES}),
)
def test_nothing_withheld_reaches_a_pack(withheld: dict[str, frozenset[str]], routes: dict[str, str]) -> None:
    with tempfile.TemporaryDirectory(prefix="issue-17-privacy-") as folder:
        root = Path(folder)
        store = Store.init(root / "store")
        files = []
        for agency in CANDIDATES:
            submission = build(FLOWS[agency], marked(agency, withheld[agency]))
            if routes[agency] == "store":
                store.save(submission)
                continue
            data = render(submission, None, "json", "meeting")
            path = root / f"{agency}.{'age' if routes[agency] == 'sealed' else 'json'}"
            path.write_bytes(seal(data, KEY.to_public()) if routes[agency] == "sealed" else data)
            files.append(path)
        made = make_pack(CASE_REF, store, files, KEY)
        assert made.refused == []
        text = pack_texts(made.pack)
    assert "REASON-" not in text
    for agency, items in CANDIDATES.items():
        for item, marker in items.items():
            if item in withheld[agency]:
                assert marker not in text, (agency, item)
    shown = [("police", "aliases"), ("police", "stalking"), ("probation", "weapons"), ("housing", "risk_to_professionals")]
    for agency, item in shown:  # aliases name the person; a risk's source is in its evidence
        if item not in withheld[agency]:
            assert CANDIDATES[agency][item] in text, (agency, item)
    sharing = [a for a in CANDIDATES if "address" not in withheld[a]]
    if len(sharing) >= 2:  # different addresses are a conflict, quoted
        assert all(CANDIDATES[a]["address"] in text for a in sharing)
