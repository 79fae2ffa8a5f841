"""The small expression language of flow files: skip logic, constraints, risk rules.

Python syntax, a safe subset: names are item ids (an unanswered item is `None`), `.` is the
answer being checked, literals, comparisons (including `in`), `and` / `or` / `not`, `x if c else y`,
and the functions `len`, `count`, `any_of`, `lower`, `age`, `days` and `entries`. Nothing else can be
evaluated.
"""

from __future__ import annotations

import ast
import io
import tokenize
from collections.abc import Callable, Mapping
from datetime import date
from functools import lru_cache
from typing import Any

SELF = "_self_"  # what `.` becomes before parsing
MAX_LENGTH = 100_000  # the longest string or list `+` or `*` may build (`'x' * 999999999` is refused)


def _count(value: Any) -> int:
    if value is None:
        return 0
    if isinstance(value, (list, tuple, str)):
        return len(value)
    return 1


def _any_of(value: Any, *candidates: Any) -> bool:
    values = value if isinstance(value, (list, tuple)) else [value]
    return any(v in candidates for v in values)


def _lower(value: Any) -> str:
    return "" if value is None else str(value).lower()


def _date(value: Any) -> date | None:
    """An ISO date (as answers store them), or None for anything else."""
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value)) if value else None
    except ValueError:
        return None


def _age(born: Any, on: Any = None) -> int | None:
    """Whole years from `born` to `on` (default today); None if either is not a date."""
    start, end = _date(born), (_date(on) if on is not None else date.today())
    if start is None or end is None:
        return None
    return end.year - start.year - ((end.month, end.day) < (start.month, start.day))


def _days(start: Any, end: Any) -> int | None:
    """Days from `start` to `end` (negative if `end` is earlier); None if either is not a date."""
    first, last = _date(start), _date(end)
    return None if first is None or last is None else (last - first).days


def _entries(value: Any, field: str, *wanted: Any) -> int:
    """How many entries of a repeat answer have `field` filled in (or, given values, equal to one)."""
    if not isinstance(value, list):
        return 0
    found = [e.get(field) for e in value if isinstance(e, dict) and e.get(field) not in (None, "", [])]
    return len([f for f in found if not wanted or f in wanted])


FUNCTIONS: dict[str, Callable[..., Any]] = {
    "len": _count,
    "count": _count,
    "any_of": _any_of,
    "lower": _lower,
    "age": _age,
    "days": _days,
    "entries": _entries,
}

_COMPARE: dict[type, Callable[[Any, Any], bool]] = {
    ast.Eq: lambda a, b: a == b,
    ast.NotEq: lambda a, b: a != b,
    ast.Lt: lambda a, b: a is not None and b is not None and a < b,
    ast.LtE: lambda a, b: a is not None and b is not None and a <= b,
    ast.Gt: lambda a, b: a is not None and b is not None and a > b,
    ast.GtE: lambda a, b: a is not None and b is not None and a >= b,
    ast.In: lambda a, b: b is not None and a in b,
    ast.NotIn: lambda a, b: b is None or a not in b,
    ast.Is: lambda a, b: a is b,
    ast.IsNot: lambda a, b: a is not b,
}


class ExpressionError(ValueError):
    """An expression that cannot be parsed or uses something outside the language."""


class Expression:
    """A parsed, checked expression; `names` are the item ids it reads."""

    def __init__(self, source: str) -> None:
        self.source = source
        try:
            self._tree = ast.parse(_with_self(source.strip()), mode="eval").body
        except SyntaxError as exc:
            raise ExpressionError(f"cannot parse expression {source!r}: {exc.msg}") from None
        names: list[str] = []
        self._check(self._tree, names)
        self.names = tuple(dict.fromkeys(n for n in names if n != SELF))

    def evaluate(self, values: Mapping[str, Any], this: Any = None) -> Any:
        return self._eval(self._tree, values, this)

    def truth(self, values: Mapping[str, Any], this: Any = None) -> bool:
        try:
            return bool(self.evaluate(values, this))
        except (TypeError, ValueError, ArithmeticError):
            return False

    def comparisons(self) -> list[tuple[str, Any]]:
        """(name, literal) pairs the expression tests for equality or membership, e.g. `x == 'yes'`."""
        pairs: list[tuple[str, Any]] = []

        def literal(node: ast.AST) -> bool:
            return isinstance(node, ast.Constant) and node.value is not None

        for node in ast.walk(self._tree):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "any_of":
                if node.args and isinstance(node.args[0], ast.Name):
                    pairs += [(node.args[0].id, a.value) for a in node.args[1:] if literal(a)]  # type: ignore[attr-defined]
                continue
            if not isinstance(node, ast.Compare):
                continue
            operands = [node.left, *node.comparators]
            for op, a, b in zip(node.ops, operands, operands[1:]):
                if isinstance(op, (ast.Eq, ast.NotEq)):
                    for x, y in ((a, b), (b, a)):
                        if isinstance(x, ast.Name) and literal(y):
                            pairs.append((x.id, y.value))  # type: ignore[attr-defined]
                elif isinstance(op, (ast.In, ast.NotIn)):
                    elts = b.elts if isinstance(b, (ast.List, ast.Tuple)) else [b]
                    if isinstance(a, ast.Name):
                        pairs += [(a.id, e.value) for e in elts if literal(e)]  # type: ignore[attr-defined]
                    elif literal(a):
                        pairs += [(e.id, a.value) for e in elts if isinstance(e, ast.Name)]  # type: ignore[attr-defined]
        return [(name, value) for name, value in pairs if name != SELF]

    def support(self, values: Mapping[str, Any]) -> list[str]:
        """The names whose values make the expression true (what a risk flag cites); [] if false."""
        try:
            cited = self._support(self._tree, values) if self.evaluate(values) else []
        except (TypeError, ValueError, ArithmeticError):
            return []
        return [n for n in dict.fromkeys(cited) if n != SELF]

    def _support(self, node: ast.AST, values: Mapping[str, Any]) -> list[str]:
        """Names of the parts that hold: true `or` branches, all `and` operands, matching list entries."""
        match node:
            case ast.BoolOp(op=ast.Or(), values=operands):
                return [n for o in operands if self._eval(o, values, None) for n in self._support(o, values)]
            case ast.BoolOp(values=operands):
                return [n for o in operands for n in self._support(o, values)]
            case ast.Compare(left=left, ops=[ast.In()], comparators=[ast.List(elts=elts) | ast.Tuple(elts=elts)]):
                wanted = self._eval(left, values, None)
                hits = [e for e in elts if self._eval(e, values, None) == wanted]
                return [*_names(left), *(n for e in hits for n in _names(e))]
            case ast.IfExp(test=test, body=body, orelse=orelse):
                branch = body if self._eval(test, values, None) else orelse
                return [*_names(test), *self._support(branch, values)]
        return _names(node)

    def _check(self, node: ast.AST, names: list[str]) -> None:
        match node:
            case ast.Constant(value=v) if v is None or isinstance(v, (str, int, float, bool)):
                return
            case ast.Name(id=name):
                names.append(name)
                return
            case ast.List(elts=elts) | ast.Tuple(elts=elts):
                children: list[ast.AST] = list(elts)
            case ast.BoolOp(values=values):
                children = list(values)
            case ast.UnaryOp(op=ast.Not() | ast.USub(), operand=operand):
                children = [operand]
            case ast.BinOp(op=ast.Add() | ast.Sub() | ast.Mult(), left=left, right=right):
                children = [left, right]
            case ast.Compare(left=left, comparators=comparators):  # every comparison operator is in _COMPARE
                children = [left, *comparators]
            case ast.IfExp(test=test, body=body, orelse=orelse):
                children = [test, body, orelse]
            case ast.Call(func=ast.Name(id=fname)) if fname not in FUNCTIONS:
                raise ExpressionError(f"unknown function {fname!r} in {self.source!r}")
            case ast.Call(func=ast.Name(), args=args, keywords=[]):
                children = list(args)
            case ast.Call(func=ast.Name(id=fname)):
                raise ExpressionError(f"{fname}() takes no keyword arguments, in {self.source!r}")
            case _:
                raise ExpressionError(f"{type(node).__name__} is not allowed in {self.source!r}")
        for child in children:
            self._check(child, names)

    def _eval(self, node: ast.AST, values: Mapping[str, Any], this: Any) -> Any:
        ev = self._eval
        match node:
            case ast.Constant(value=v):
                return v
            case ast.Name(id=name):
                return this if name == SELF else values.get(name)
            case ast.List(elts=elts) | ast.Tuple(elts=elts):
                return [ev(e, values, this) for e in elts]
            case ast.BoolOp(op=ast.And(), values=operands):
                result: Any = True
                for operand in operands:
                    result = ev(operand, values, this)
                    if not result:
                        return result
                return result
            case ast.BoolOp(values=operands):
                result = False
                for operand in operands:
                    result = ev(operand, values, this)
                    if result:
                        return result
                return result
            case ast.UnaryOp(op=ast.Not(), operand=operand):
                return not ev(operand, values, this)
            case ast.UnaryOp(operand=operand):
                return -ev(operand, values, this)
            case ast.BinOp(op=op, left=left, right=right):
                return _arithmetic(op, ev(left, values, this), ev(right, values, this), self.source)
            case ast.Compare(left=left, ops=ops, comparators=comparators):
                a = ev(left, values, this)
                for compare, comparator in zip(ops, comparators):
                    b = ev(comparator, values, this)
                    if not _COMPARE[type(compare)](a, b):
                        return False
                    a = b
                return True
            case ast.IfExp(test=test, body=body, orelse=orelse):
                return ev(body, values, this) if ev(test, values, this) else ev(orelse, values, this)
            case ast.Call(func=ast.Name(id=fname), args=args):
                return FUNCTIONS[fname](*(ev(a, values, this) for a in args))
        raise ExpressionError(f"cannot evaluate {self.source!r}")  # pragma: no cover - _check forbids it


@lru_cache(maxsize=2048)
def compile_expression(source: str) -> Expression:
    """Parse once, reuse everywhere."""
    return Expression(source)


def _names(node: ast.AST) -> list[str]:
    """The item names a node reads (a function's own name is not one)."""
    functions = {id(n.func) for n in ast.walk(node) if isinstance(n, ast.Call)}
    return [n.id for n in ast.walk(node) if isinstance(n, ast.Name) and id(n) not in functions]


def _with_self(text: str) -> str:
    """`text` with each `.` that stands for the answer being checked written as SELF.

    A `.` is the answer unless it follows something it could be an attribute of (a name, a literal,
    a closing bracket); dots inside string literals and numbers are tokens of their own, untouched.
    """
    try:
        tokens = list(tokenize.generate_tokens(io.StringIO(text).readline))
    except (tokenize.TokenError, SyntaxError):
        return text  # ast.parse reports it
    starts = [0]
    for line in text.splitlines(keepends=True):
        starts.append(starts[-1] + len(line))
    dots: list[int] = []
    before: tokenize.TokenInfo | None = None
    for token in tokens:
        if token.type == tokenize.OP and token.string == "." and not _attribute_base(before):
            row, col = token.start
            dots.append(starts[row - 1] + col)
        if token.type not in (tokenize.NL, tokenize.NEWLINE, tokenize.COMMENT):
            before = token
    for at in reversed(dots):
        text = f"{text[:at]}({SELF}){text[at + 1:]}"  # bracketed: never glued to a neighbouring name
    return text


def _attribute_base(token: tokenize.TokenInfo | None) -> bool:
    """Whether a `.` after `token` would read an attribute (then it is left for _check to refuse)."""
    if token is None:
        return False
    if token.type in (tokenize.NAME, tokenize.NUMBER, tokenize.STRING):
        return token.string not in {"and", "or", "not", "in", "is", "if", "else"}
    return token.type == tokenize.OP and token.string in {")", "]", "}"}


def _arithmetic(op: ast.operator, a: Any, b: Any, source: str) -> Any:
    """`a + b`, `a - b` or `a * b`, refusing to build a string or list longer than MAX_LENGTH."""
    if isinstance(op, ast.Sub):
        return a - b
    if isinstance(op, ast.Add):
        if isinstance(a, (str, list, tuple)) and isinstance(b, (str, list, tuple)):
            _check_length(len(a) + len(b), source)
        return a + b
    for sequence, times in ((a, b), (b, a)):
        if isinstance(sequence, (str, list, tuple)) and isinstance(times, int):
            _check_length(len(sequence) * max(times, 0), source)
    return a * b


def _check_length(length: int, source: str) -> None:
    if length > MAX_LENGTH:
        raise ExpressionError(f"{source!r} would build a value of {length:,} items (at most {MAX_LENGTH:,})")
