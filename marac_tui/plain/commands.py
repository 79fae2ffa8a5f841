"""The command words a user can type at any prompt, and the help that lists them.

A line is a command only when it is exactly one of the words (any case, spaces around it ignored).
To answer with such a word itself, start the line with a backslash: `\\back` answers "back".
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum


class Command(str, Enum):
    back = "back"
    skip = "skip"
    rest = "rest not checked"
    why = "why"
    where = "where"
    review = "review"
    summary = "summary"
    help = "help"
    quit = "quit"


ALIASES = {
    "back": Command.back,
    "skip": Command.skip,
    "rest not checked": Command.rest,
    "rest of section not checked": Command.rest,
    "why": Command.why,
    "where": Command.where,
    "review": Command.review,
    "summary": Command.summary,
    "help": Command.help,
    "?": Command.help,
    "quit": Command.quit,
    "exit": Command.quit,
}
WHOLE_PERSON = ("rest not checked all", "rest not checked for this person")


@dataclass(frozen=True)
class Typed:
    """One line as the user meant it: a command (with `whole_person` for the rest of a person's
    research), or an answer (`text`, with a leading backslash removed)."""

    command: Command | None = None
    text: str = ""
    whole_person: bool = False


def read_line(line: str) -> Typed:
    """What a typed line means."""
    if line.startswith("\\"):
        return Typed(text=line[1:])
    words = " ".join(line.lower().split())
    if words in WHOLE_PERSON:
        return Typed(Command.rest, whole_person=True)
    command = ALIASES.get(words)
    return Typed(command) if command is not None else Typed(text=line)


HELP = """\
Commands: type one of these words at any prompt, then Enter.
back: go back one question; the earlier answer is offered again.
skip: move on without an answer. A research item is recorded as not checked.
rest not checked: record the rest of this section as not checked, and move on.
rest not checked all: the same for the rest of this person's research.
why: why this question matters (the guidance).
where: where you are: the section, how many questions are done and how many are left.
review: every answer and its gaps; from there, change an answer, export, or finalise.
summary: the Chair's summary.
help: this list.
quit: stop here. Every answer is already saved; run the same command with the submission id to carry on.
To answer with one of these words itself, start the line with a backslash, for example \\back.

Answers: Enter on an empty line keeps the answer offered, if there is one.
Yes or no questions take y, n or u for not known. Options take their number; several options take numbers separated by commas, or none.
Dates take 23/04/1985, 1985-04-23, 23 Apr 1985 or today.
Long answers: end a line with a backslash to carry on in the next line.

How do you know: after each research answer, one line says how you know it, for example: Found, PNC, checked today, fact, shared.
Press Enter to accept it, or type the changes, separated by commas:
found, nothing held, not checked, or not applicable;
source and a name, for example source PND; or just the name of a source;
checked and a date, for example checked 28/11/2026;
fact or opinion;
share, or withhold: and the reason, for example withhold: third-party information. Withholding needs a reason.
Not checked keeps no source and no date."""
