"""The flow expression language: what it evaluates, and everything it refuses (with the reason)."""

from __future__ import annotations

import pytest

from marac_tui.flow.expr import MAX_LENGTH, Expression, ExpressionError, compile_expression


def ev(source: str, this: object = None, **values: object) -> object:
    return Expression(source).evaluate(values, this)


# --- what it evaluates ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("source", "values", "expected"),
    [
        ("x == 'yes'", {"x": "yes"}, True),
        ("x != 'yes'", {"x": "no"}, True),
        ("x < 3", {"x": 2}, True),
        ("x <= 2", {"x": 2}, True),
        ("x > 3", {"x": 2}, False),
        ("x >= 2", {"x": 2}, True),
        ("x < 3", {}, False),  # an unanswered item is never less or more than anything
        ("x <= 3", {}, False),
        ("x > 3", {}, False),
        ("x >= 3", {}, False),
        ("3 > x", {}, False),
        ("'a' in x", {"x": ["a", "b"]}, True),
        ("'a' in x", {}, False),
        ("'a' not in x", {}, True),
        ("'c' not in x", {"x": ["a"]}, True),
        ("x is None", {}, True),
        ("x is not None", {"x": 0}, True),
        ("1 < x < 3", {"x": 2}, True),
        ("1 < x < 3", {"x": 3}, False),
        ("x and y", {"x": 1, "y": 2}, 2),
        ("x and y", {"x": 0, "y": 2}, 0),
        ("x or y", {"x": 0, "y": 2}, 2),
        ("x or y", {"x": 0, "y": ""}, ""),
        ("not x", {"x": ""}, True),
        ("-x", {"x": 4}, -4),
        ("x + 1", {"x": 4}, 5),
        ("x - 1", {"x": 4}, 3),
        ("x * 2", {"x": 4}, 8),
        ("'ab' * 2", {}, "abab"),
        ("x + 'b'", {"x": "a"}, "ab"),
        ("[1, x]", {"x": 2}, [1, 2]),
        ("(1, x)", {"x": 2}, [1, 2]),
        ("'big' if x > 2 else 'small'", {"x": 3}, "big"),
        ("'big' if x > 2 else 'small'", {"x": 1}, "small"),
        ("len(x)", {"x": ["a", "b"]}, 2),
        ("count(x)", {"x": "abc"}, 3),
        ("count(x)", {"x": 7}, 1),
        ("count(x)", {}, 0),
        ("any_of(x, 'a', 'b')", {"x": ["c", "b"]}, True),
        ("any_of(x, 'a', 'b')", {"x": "a"}, True),
        ("any_of(x, 'a')", {"x": ["c"]}, False),
        ("lower(x) == 'jo'", {"x": "JO"}, True),
        ("lower(x)", {}, ""),
        ("None", {}, None),
        ("1.5 > 1", {}, True),
    ],
)
def test_evaluates(source: str, values: dict[str, object], expected: object) -> None:
    assert Expression(source).evaluate(values) == expected


def test_a_lone_dot_is_the_answer_being_checked() -> None:
    assert ev(". > 3", this=4) is True
    assert ev("len(.) <= 2", this=["a", "b"]) is True
    assert ev("not .", this="") is True
    assert ev("not.", this="") is True  # never glued to the keyword before it
    assert ev("x if . else y", this=0, x=1, y=2) == 2
    assert ev(". in ['a', 'b']", this="a") is True
    assert Expression(". > 3 and x == 1").names == ("x",)  # `.` is not an item


def test_the_answer_dot_reaches_every_part_of_an_expression() -> None:
    """A constraint such as `len(.) <= 3` or `. + 1 > x` must read the answer itself, wherever it sits."""
    assert ev("[., 1]", this="a") == ["a", 1]
    assert ev("not .", this="yes") is False
    assert ev("-.", this=5) == -5
    assert ev(". + 1", this=2) == 3 and ev("1 + .", this=2) == 3
    assert ev(". if x else 0", this=7, x=1) == 7
    assert ev("1 if . else 2", this="yes") == 1
    assert ev("len(.)", this=["a", "b", "c"]) == 3
    assert ev("count(.) <= 2", this=["a", "b", "c"]) is False


def test_a_dot_inside_a_string_literal_is_text() -> None:
    assert ev("x == 'a . b'", x="a . b") is True
    assert ev(". == 'a . b'", this="a . b") is True
    assert ev("x == \"end .\"", x="end .") is True
    assert ev("x in ['. ', ' . ', '.']", x=" . ") is True
    assert ev(". == 'x.y'", this="x.y") is True
    assert ev(".5 < .", this=1) is True  # a number's dot is part of the number


def test_names_and_comparisons_are_reported_for_the_flow_check() -> None:
    expression = Expression("a == 'yes' and 'x' in b and c in ['p', 'q'] and any_of(d, 'r', None) and 'y' != e")
    assert expression.names == ("a", "b", "c", "d", "e")
    assert expression.comparisons() == [("a", "yes"), ("b", "x"), ("c", "p"), ("c", "q"), ("d", "r"), ("e", "y")]
    assert Expression(". == 'yes'").comparisons() == []


def test_support_names_the_answers_that_made_it_true() -> None:
    expression = Expression("(a == 'yes' or b == 'yes') and c")
    assert expression.support({"a": "yes", "b": "no", "c": 1}) == ["a", "c"]
    assert expression.support({"a": "no", "b": "no", "c": 1}) == []
    assert Expression("x in ['p', y]").support({"x": "p", "y": "q"}) == ["x"]
    assert Expression("x in ['p', y]").support({"x": "q", "y": "q"}) == ["x", "y"]
    assert Expression("a if b else c").support({"a": 1, "b": 0, "c": 2}) == ["b", "c"]
    assert Expression("x > 1").support({"x": "text"}) == []  # a type error is false, citing nothing


def test_truth_is_false_for_values_of_the_wrong_type() -> None:
    assert Expression("x > 1").truth({"x": "text"}) is False
    assert Expression("x - 1").truth({"x": "text"}) is False
    assert Expression("-x").truth({"x": "text"}) is False


def test_compiled_once() -> None:
    assert compile_expression("x == 1") is compile_expression("x == 1")


# --- what it refuses, and why ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("source", "reason"),
    [
        ("x ==", "cannot parse expression"),
        ("'unterminated", "cannot parse expression"),
        ("(x", "cannot parse expression"),
        ("x = 1", "cannot parse expression"),
        ("__import__('os')", "unknown function '__import__'"),
        ("open('/etc/passwd')", "unknown function 'open'"),
        ("len(x, key=1)", "len() takes no keyword arguments"),
        ("x.upper()", "Call is not allowed"),
        ("x.__class__", "Attribute is not allowed"),
        ("'a'.join(x)", "Call is not allowed"),
        ("(1).real", "Attribute is not allowed"),
        ("x[0]", "Subscript is not allowed"),
        ("x ** 2", "BinOp is not allowed"),
        ("x / 2", "BinOp is not allowed"),
        ("x // 2", "BinOp is not allowed"),
        ("x % 2", "BinOp is not allowed"),
        ("x << 2", "BinOp is not allowed"),
        ("x | y", "BinOp is not allowed"),
        ("~x", "UnaryOp is not allowed"),
        ("+x", "UnaryOp is not allowed"),
        ("lambda: 1", "Lambda is not allowed"),
        ("(lambda: 1)()", "Call is not allowed"),
        ("[a for a in x]", "ListComp is not allowed"),
        ("{'a': 1}", "Dict is not allowed"),
        ("{1, 2}", "Set is not allowed"),
        ("f'{x}'", "JoinedStr is not allowed"),
        ("(y := 1)", "NamedExpr is not allowed"),
        ("len(*x)", "Starred is not allowed"),
        ("b'bytes'", "Constant is not allowed"),
        ("1j", "Constant is not allowed"),
        ("...", "Constant is not allowed"),
        ("[x, x.y]", "Attribute is not allowed"),  # refused anywhere in the tree, not only at the top
        ("not x.y", "Attribute is not allowed"),
        ("x if y.z else 1", "Attribute is not allowed"),
        ("len(x.y)", "Attribute is not allowed"),
        ("1 < x.y", "Attribute is not allowed"),
        ("x and y.z", "Attribute is not allowed"),
        ("x + y.z", "Attribute is not allowed"),
    ],
)
def test_refuses(source: str, reason: str) -> None:
    with pytest.raises(ExpressionError) as refused:
        Expression(source)
    assert reason in str(refused.value)
    assert repr(source) in str(refused.value)  # names the expression it refused


def test_refusals_are_value_errors_with_one_line() -> None:
    with pytest.raises(ValueError, match="cannot parse"):
        compile_expression("x ==")


@pytest.mark.parametrize(
    "source",
    ["'x' * 999999999", "999999999 * 'x'", "[1] * 999999999", "x * 999999999", "(x + x) * 2"],
)
def test_a_huge_string_or_list_is_refused_not_built(source: str) -> None:
    big = "y" * (MAX_LENGTH // 2 + 1)
    expression = Expression(source)  # parses: the size is only known when it runs
    with pytest.raises(ExpressionError, match="would build a value"):
        expression.evaluate({"x": big})
    assert expression.truth({"x": big}) is False  # as a condition it is simply false


def test_building_up_to_the_limit_is_fine() -> None:
    assert len(ev("'x' * n", n=MAX_LENGTH)) == MAX_LENGTH  # type: ignore[arg-type]
    assert ev("'x' * n", n=-3) == ""
    assert len(ev("x + x", x="y" * (MAX_LENGTH // 2))) == MAX_LENGTH  # type: ignore[arg-type]


# --- found missing by mutation testing ------------------------------------------------------------


@pytest.mark.parametrize(
    ("source", "this", "values", "expected"),
    [
        ("x and . == 'y'", "y", {"x": 1}, True),  # a `.` after a keyword is the answer, not an attribute
        ("x or . == 'y'", "y", {"x": 0}, True),
        ("'a' in .", ["a"], {}, True),
        ("None is .", None, {}, True),
        ("1 if x else .", 5, {"x": 0}, 5),
        ("(x == 1 or\n . == 2)", 2, {"x": 0}, True),  # over lines: the `.` found where it is
        ("(x == 'a . b' or\n  . == 'a . b')", "a . b", {"x": None}, True),
    ],
)
def test_the_answer_dot_after_keywords_and_over_lines(source: str, this: object, values: dict, expected: object) -> None:
    assert Expression(source).evaluate(values, this) == expected


@pytest.mark.parametrize("source", ["[x].y", "{x}.y", "(x).y", "'a'.upper", "x.y"])
def test_a_dot_after_a_bracket_name_or_literal_is_an_attribute_and_refused(source: str) -> None:
    with pytest.raises(ExpressionError, match="Attribute is not allowed"):
        Expression(source)


def test_a_long_sum_is_refused_and_a_repeat_by_zero_is_empty() -> None:
    half = "a" * (MAX_LENGTH // 2 + 1)
    with pytest.raises(ExpressionError) as refused:
        ev("x + x", x=half)
    assert str(refused.value) == f"'x + x' would build a value of {2 * len(half):,} items (at most {MAX_LENGTH:,})"
    with pytest.raises(ExpressionError, match=r"^'x \* 3' would build"):
        ev("x * 3", x=half)
    big = "a" * (MAX_LENGTH + 1)
    assert ev("x * 0", x=big) == "" and ev("-1 * x", x=big) == ""


def test_any_of_a_single_text_answer_compares_it_whole() -> None:
    assert ev("any_of(x, 'ab')", x="ab") is True
    assert ev("any_of(x, 'a')", x="ab") is False


def test_comparisons_skip_what_is_not_a_name_against_a_literal() -> None:
    assert Expression("any_of('a', 'b')").comparisons() == []
    assert Expression("x == y").comparisons() == []
    assert Expression("'a' == 'b'").comparisons() == []
    assert sorted(Expression("x == 'a' or any_of(y, 'b', z)").comparisons()) == [("x", "a"), ("y", "b")]


def test_support_follows_true_or_branches_and_the_if_branch_taken() -> None:
    assert Expression("a == 'no' or b in ['x', 'y']").support({"a": "yes", "b": "y"}) == ["b"]
    taken = "(b in ['x', 'y']) if a == 'yes' else (c in ['x', 'y'])"
    assert Expression(taken).support({"a": "yes", "b": "x", "c": "y"}) == ["a", "b"]
    assert Expression(taken).support({"a": "no", "b": "x", "c": "y"}) == ["a", "c"]
