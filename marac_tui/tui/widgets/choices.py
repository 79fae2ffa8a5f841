"""Options as the user reads and types them: numbered in full, picked by number or by the start of
their label, and found by their first letter in a list. Pure functions; the inputs use them.
"""

from __future__ import annotations

from collections.abc import Sequence

from marac_tui.flow.spec import Option


class NoSuchOption(ValueError):
    """What was typed names no option, or more than one; the message says which, in words."""


SEPARATOR = " · "


def numbered(options: Sequence[Option]) -> str:
    """Every option with its number: '1 Nickname · 2 Previous surname · 3 Online handle · 4 Other'."""
    return SEPARATOR.join(numbered_parts(options))


def numbered_parts(options: Sequence[Option]) -> list[str]:
    return [f"{n} {option.label}" for n, option in enumerate(options, 1)]


def packed(parts: Sequence[str], width: int) -> list[str]:
    """The parts joined by ' · ' into lines at most `width` wide, breaking between parts (a part
    wider than a line gets a line of its own, wrapped by whoever draws it)."""
    lines: list[str] = []
    for part in parts:
        if lines and len(lines[-1]) + len(SEPARATOR) + len(part) <= width:
            lines[-1] += SEPARATOR + part
        else:
            lines.append(part)
    return lines


def resolve(options: Sequence[Option], typed: str) -> str:
    """The value of the option `typed` names: its number, its value or label, or the start of one
    label (any case). Empty text gives ''. NoSuchOption when nothing, or more than one, fits."""
    text = " ".join(typed.split())
    if not text:
        return ""
    folded = text.casefold()
    if text.isdigit():
        if 1 <= int(text) <= len(options):
            return options[int(text) - 1].value
        raise NoSuchOption(f"there is no option {text}: choose 1–{len(options)}")
    for option in options:
        if folded in (option.value.casefold(), option.label.casefold()):
            return option.value
    starting = [o for o in options if o.label.casefold().startswith(folded)]
    if len(starting) == 1:
        return starting[0].value
    if starting:
        names = " or ".join(o.label for o in starting)
        raise NoSuchOption(f"'{text[:40]}' could be {names}: type more of it, or its number")
    raise NoSuchOption(f"'{text[:40]}' is not one of the options ({numbered(options)})")


def next_starting_with(labels: Sequence[str], after: int | None, letter: str) -> int | None:
    """The index of the next label (after `after`, wrapping round) that starts with `letter`, or None."""
    if not labels or not letter:
        return None
    start = -1 if after is None else after
    folded = letter.casefold()
    for step in range(1, len(labels) + 1):
        index = (start + step) % len(labels)
        if labels[index].casefold().startswith(folded):
            return index
    return None
