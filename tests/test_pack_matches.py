"""The same person across submissions: the matching rules, `marac-tui matches`, and other cases in a pack."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pack_cases import CASE_REF, POLICE, PROBATION, build

from marac_tui.cli import main
from marac_tui.pack import make_pack
from marac_tui.pack.match import MATCH_WEIGHT, PersonRecord, compare, find_in, matches
from marac_tui.store import Store

DOB = date(1986, 5, 14)


def person(ref: str, name: str, dob: date | None = DOB, aliases: tuple[str, ...] = (), where: str = "police",
           case: str = "") -> PersonRecord:  # fmt: skip
    return PersonRecord(ref, name, dob, aliases, where, case, ref.split("/")[0])


@pytest.mark.parametrize(("a", "b", "same", "why"), [
    (person("a/1", "Dallas Harrow", aliases=("Dal",)), person("b/1", "Dal Harrow", where="probation"), True,
     ["same date of birth", "surname matches", "'Dal' is an alias in the police submission"]),
    (person("a/1", "Dallas Harrow"), person("b/1", "Dallas Harow", date(1986, 4, 14)), True,
     ["dates of birth nearly the same (14/05/1986, 14/04/1986)", "surnames nearly the same (Harrow, Harow)",
      "first name matches"]),
    (person("a/1", "Stephen Oake"), person("b/1", "Steven Oake"), True,
     ["same date of birth", "surname matches", "first names sound the same (Stephen, Steven)"]),
    (person("a/1", "Zoë Pellow"), person("b/1", "ZOE PELLOW"), True, ["same date of birth", "surname matches",
                                                                       "first name matches"]),
    (person("a/1", "Moira Kett", aliases=("Strand",)), person("b/1", "Moira Strand"), True,
     ["same date of birth", "'Strand' is an alias in the police submission", "first name matches"]),
    (person("a/1", "Dallas Harrow"), person("b/1", "Darren Harrow"), False, None),  # a twin brother
    (person("a/1", "Dallas Harrow"), person("b/1", "Dallas Harrow", date(1990, 1, 2)), False, None),
    (person("a/1", "Dallas Harrow", None), person("b/1", "Dallas Harrow"), False, None),  # name only, other cases
    (person("a/1", "Dallas Harrow", None, case="mc1"), person("b/1", "Dallas Harrow", case="mc1", where="housing"),
     True, ["no date of birth in the police submission", "surname matches", "first name matches"]),
])  # fmt: skip
def test_matching_rules_and_their_reasons(a: PersonRecord, b: PersonRecord, same: bool, why: list[str] | None) -> None:
    weight, reasons = compare(a, b)
    assert (weight >= MATCH_WEIGHT) is same, (weight, reasons)
    if why is not None:
        assert reasons == why


PEOPLE = st.tuples(
    st.sampled_from(["Dallas Harrow", "Dal Harrow", "Maureen Harrow", "D Harrow", "Alis Quern", "Dallas", "Zoë Quern"]),
    st.sampled_from([DOB, date(1986, 4, 14), date(1986, 5, 15), date(1990, 1, 2), None]),
    st.lists(st.sampled_from(["Dal", "Quern", "Al Harrow", "dh_86"]), max_size=2).map(tuple),
)


@given(st.lists(PEOPLE, min_size=2, max_size=6))
def test_comparing_is_symmetric_and_blocking_loses_no_match(people: list) -> None:  # noqa: ANN001
    records = [person(f"s{n}/1", name, dob, aliases) for n, (name, dob, aliases) in enumerate(people)]
    for a in records:
        for b in records:
            assert compare(a, b)[0] == compare(b, a)[0]
    scored = {frozenset((a.ref, b.ref)) for i, a in enumerate(records) for b in records[i + 1 :]
              if compare(a, b)[0] >= MATCH_WEIGHT}  # fmt: skip
    assert {frozenset((m.a, m.b)) for m in matches(records)} == scored


def test_find_in_skips_the_same_submission() -> None:
    me = person("a/1", "Dallas Harrow")
    assert find_in(me, [person("a/2", "Dallas Harrow"), person("b/1", "Dallas Harrow")])[0].b == "b/1"
    assert len(find_in(me, [person("a/2", "Dallas Harrow")])) == 0


def earlier_case(**changes: object) -> dict:
    return dict(PROBATION, case_ref="MC-2025-0101", marac_date="2025-06-12", **changes)


def test_matches_lists_the_same_person_in_other_cases(data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    store = Store.init(data_dir)
    police = build("police", POLICE)
    earlier = build("probation", earlier_case())
    stranger = build("police", dict(POLICE, case_ref="MC-2026-0002", perpetrators=[{"full_name": "Alis Quern"}]))
    for submission in (police, earlier, stranger):
        store.save(submission)
    assert main(["matches", str(police.id)[:8]]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "Dallas Harrow may appear in 1 other submission (1 other case):"
    assert out[1].startswith("  MC-2025-0101         Hollinsby Probation Deliver… 12 Jun 2025")
    assert "12 Jun 2025" in out[1] and f"{str(earlier.id)[:8]}/1" in out[1]
    assert out[1].endswith("same date of birth, surname matches, 'Dal' is an alias in the Hollinsby Police Public "
                           "Protection submission")  # fmt: skip
    assert main(["matches", str(police.id), "--json"]) == 0
    [found] = json.loads(capsys.readouterr().out)
    assert (found["case_ref"], found["marac_date"], found["other_name"]) == ("MC-2025-0101", "2025-06-12", "Dal Harrow")
    assert found["reasons"][0] == "same date of birth"
    assert main(["matches", str(stranger.id)]) == 0
    assert capsys.readouterr().out == "Alis Quern: no other submission in the store appears to be the same person\n"


def test_the_pack_shows_other_cases_without_their_withheld_aliases(data_dir: Path) -> None:
    store = Store.init(data_dir)
    store.save(build("police", POLICE))
    hidden = {"value": [{"name": "SECRET-ALIAS Dally", "type": "nickname"}], "share": False, "reason": "SECRET-WHY"}
    probation = dict(PROBATION["perpetrators"][0], aliases=hidden, full_name="Dallas Harrow")
    store.save(build("probation", earlier_case(perpetrators=[probation])))
    pack = make_pack(CASE_REF, store).pack
    [other] = pack.people[0].other_cases
    assert (other.case_ref, other.marac_date, other.agency) == ("MC-2025-0101", date(2025, 6, 12),
                                                                  "Hollinsby Probation Delivery Unit")  # fmt: skip
    assert other.reasons == ["same date of birth", "surname matches", "first name matches"]
    assert "SECRET" not in pack.model_dump_json()
