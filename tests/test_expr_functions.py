"""The expression functions the 2026 flows need: age from a date of birth, days between dates, and
entries of a repeat answer (a child recorded in the relationships, a new partner)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from marac_tui.flow.expr import compile_expression


def ev(source: str, **values: object) -> object:
    return compile_expression(source).evaluate(values)


@pytest.mark.parametrize(
    ("born", "on", "years"),
    [("2009-03-10", "2026-03-09", 16), ("2009-03-10", "2026-03-10", 17), ("2008-02-29", "2026-02-28", 17),
     ("2008-02-29", "2026-03-01", 18), ("1990-12-31", "2026-01-01", 35)],
)  # fmt: skip
def test_age_counts_whole_years_on_a_date(born: str, on: str, years: int) -> None:
    assert ev("age(date_of_birth, marac_date)", date_of_birth=born, marac_date=on) == years


def test_age_defaults_to_today_and_is_empty_without_a_date() -> None:
    ten_years_ago = date.today().replace(year=date.today().year - 10) - timedelta(days=1)
    assert ev("age(dob)", dob=ten_years_ago.isoformat()) == 10
    assert ev("age(dob, day)", dob=None, day="2026-01-01") is None
    assert ev("age(dob, day)", dob="not a date", day="2026-01-01") is None
    # an unknown age never makes a comparison true
    assert compile_expression("age(dob, day) < 18").truth({"dob": None, "day": "2026-01-01"}) is False
    assert compile_expression("age(dob, day) < 18").truth({"dob": "2010-05-05", "day": "2026-01-01"}) is True


def test_days_between_dates() -> None:
    assert ev("days(a, b)", a="2026-12-01", b="2027-02-14") == 75
    assert ev("days(a, b)", a="2026-12-01", b="2026-11-30") == -1
    assert ev("days(a, b)", a="2026-12-01", b=None) is None
    rule = compile_expression("0 <= days(marac_date, licence_end) <= 91")
    assert rule.truth({"marac_date": "2026-12-01", "licence_end": "2027-02-14"})
    assert not rule.truth({"marac_date": "2026-12-01", "licence_end": "2027-06-01"})
    assert not rule.truth({"marac_date": "2026-12-01", "licence_end": "2026-06-01"})
    assert not rule.truth({"marac_date": "2026-12-01"})


def test_entries_counts_filled_fields_or_matching_values() -> None:
    relationships = [
        {"person": "Ada Vellin", "relationship": "ex_partner", "children": "One, 4"},
        {"person": "Bryn Ostle", "relationship": "new_partner"},
        {"person": "Cai Rumbold", "relationship": "new_partner", "children": ""},
    ]
    assert ev("entries(r, 'children')", r=relationships) == 1
    assert ev("entries(r, 'relationship', 'new_partner')", r=relationships) == 2
    assert ev("entries(r, 'relationship', 'parent', 'sibling')", r=relationships) == 0
    assert ev("entries(r, 'children')", r=None) == 0
    assert ev("entries(r, 'children')", r="not a list") == 0


def test_a_rule_on_entries_cites_the_repeat() -> None:
    rule = compile_expression("new_partner == 'yes' or entries(relationships, 'relationship', 'new_partner') > 0")
    values = {"new_partner": "no", "relationships": [{"person": "Bryn Ostle", "relationship": "new_partner"}]}
    assert rule.support(values) == ["relationships"]
