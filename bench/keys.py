"""Keys per answer: the real app, driven with Pilot through examples/police-answers.yaml as a person
would, provenance included, counting every key except the characters of the answers themselves.

    python bench/keys.py [--size 120x40] [--keys-out FILE]

The example answers every research area for one alleged perpetrator. The bench starts from the home
screen (n, then Enter for the police flow), answers each question the app asks with the example's
answer, and then makes the recorded provenance match the example's (status, source, date checked,
fact or opinion, withheld with its reason) with the strip's keys. At the end the submission the app
saved must equal the example run headless (`marac-tui run`), value and provenance, or the bench fails.

Counted: every key pressed (Enter, y/n/u, a choice's number, Space, arrows, Ctrl+O, Ctrl+J, ...).
Not counted: the characters of an answer (text, a date, a list entry's field, a withholding reason,
a typed source). The floor is one key per question the app puts: each item's answer (Enter after a
text, or the single key of a yes/no or a choice), the flow chosen at the start, each field of a list
entry and each "Add another?" (y, then n to close the list), each tick of a checklist or action taken
and the key that sends them, and "withhold the answer it follows too?". Everything else is overhead:
opening the flow chooser, moving in lists, and every provenance change. The last line is
`keys ratio R (goal <= 1.25)`, R = keys / floor; the line before gives keys per item answered alone,
for comparison.
`--keys-out` writes the keys as sent, one per line (`type:TEXT` for answer characters), to replay
them elsewhere (e.g. in tmux) and count them independently.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

GOAL = 1.25
EXAMPLE = ROOT / "examples" / "police-answers.yaml"
STATUS_KEYS = {"found": "f", "nothing_held": "n", "not_checked": "c", "not_applicable": "a"}
TYPED_KEYS = {" ": "space"}


@dataclass
class Tally:
    """What was pressed: counted keys, answer characters, the floor, and the log of both."""

    keys: int = 0
    chars: int = 0
    floor: int = 0
    items: int = 0  # items answered (the floor of one key per item alone)
    questions: int = 0  # floor keys that are not items: fields, "add another?", ticks, the flow
    log: list[str] = field(default_factory=list)
    by_reason: dict[str, int] = field(default_factory=dict)


class Person:
    """Presses keys on the app and counts them."""

    def __init__(self, pilot: Any, tally: Tally) -> None:
        self.pilot = pilot
        self.tally = tally

    async def key(self, key: str, why: str) -> None:
        self.tally.keys += 1
        self.tally.by_reason[why] = self.tally.by_reason.get(why, 0) + 1
        self.tally.log.append(key)
        await self.pilot.press(key)

    async def type(self, text: str) -> None:
        if not text:
            return
        self.tally.chars += len(text)
        self.tally.log.append(f"type:{text}")
        await self.pilot.press(*[TYPED_KEYS.get(c, c) for c in text])

    async def settle(self) -> None:
        await self.pilot.pause()
        await self.pilot.app.workers.wait_for_complete()
        await self.pilot.pause()


def model_submission() -> Any:
    """The example, run headless: what the app must end up holding."""
    import yaml

    from marac_tui.engine.headless import run_answers
    from marac_tui.engine.interview import Interview
    from marac_tui.flow.loader import load_named

    interview = Interview(load_named("police"), prefill=False)
    run_answers(interview, yaml.safe_load(EXAMPLE.read_text(encoding="utf-8")), lambda message: None)
    return interview.submission


def as_typed(item: Any, value: Any) -> str:
    """An answer as a person types it (dates as YYYY-MM-DD, choices in list fields by number)."""
    from marac_tui.flow.spec import Kind

    if value is None:
        return ""
    if item.kind is Kind.choice:
        return str([o.value for o in item.options].index(value) + 1)
    if item.kind is Kind.date:
        return str(value)
    return str(value)


async def until(pilot: Any, predicate: Any, timeout: float = 20.0) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not predicate():
        if loop.time() > deadline:
            raise SystemExit("bench/keys: the app did not reach the expected state in time")
        await pilot.pause(0.02)


async def answer(person: Person, screen: Any, item: Any, value: Any) -> None:
    """Give `value` to the current question with the keys of its kind."""
    from marac_tui.flow.spec import Kind
    from marac_tui.tui.widgets.choices import next_starting_with

    tally = person.tally
    kind = item.kind
    if kind is Kind.yesno:
        await person.key({"yes": "y", "no": "n", "unknown": "u"}[value], "answer")
        tally.floor += 1
    elif kind is Kind.choice:
        await person.key(as_typed(item, value), "answer")
        tally.floor += 1
    elif kind is Kind.multichoice:
        labels = [o.label for o in item.options]
        at = 0
        for index, option in enumerate(item.options):
            if option.value not in value:
                continue
            by_letter, steps = at, 0
            while by_letter != index and steps <= len(labels):
                by_letter = next_starting_with(labels, by_letter, labels[index][0]) or index
                steps += 1
            moves = [labels[index][0].lower()] * steps if steps < abs(index - at) else ["down"] * (index - at)
            for move in moves:
                await person.key(move, "move in a list")
            await person.key("space", "answer")
            at = index
            tally.floor += 1
        await person.key("enter", "answer")
        tally.floor += 1
    elif kind is Kind.repeat:
        for entry in value:
            await person.key("y", "answer")  # "Add another?" yes
            tally.floor += 1
            for entry_field in item.fields:
                await person.type(as_typed(entry_field, entry.get(entry_field.id)))
                await person.key("enter", "answer")
                tally.floor += 1
        await person.key("n", "answer")
        tally.floor += 1
    elif kind is Kind.actions:
        suggestions = screen.query_one("#suggestions")
        ids = [suggestions.get_option_at_index(i).id for i in range(suggestions.option_count)]
        wanted = sorted(ids.index(a["suggestion"]) for a in value)
        at = 0
        for index in wanted:
            for _ in range(index - at):
                await person.key("down", "move in a list")
            await person.key("space", "answer")
            tally.floor += 1
            at = index
        await person.key("enter", "answer")
        tally.floor += 1
    else:
        box = screen.answer_input
        if kind is Kind.longtext:
            await person.type(str(value))
            await person.key("ctrl+j", "answer")
        else:
            shown = box.query_one("#answer-input").value if box is not None else ""
            text = as_typed(item, value)
            if shown != text:
                await person.type(text)
            await person.key("enter", "answer")
        tally.floor += 1


async def match_provenance(person: Person, screen: Any, item: Any, scope: int | None, wanted: Any,
                           model_answers: dict[str, Any]) -> None:  # fmt: skip
    """Make the recorded provenance of the last answer what the example says, one change at a time."""
    from marac_tui.tui.screens.ask import AskScreen

    app = person.pilot.app
    flow = screen.interview.flow

    def recorded() -> Any:
        return screen.interview.answer_of(item.id, scope)

    async def change(*keys: str, text: str | None = None, finish: bool = False) -> None:
        await person.key("ctrl+o", "provenance")
        for key in keys:
            await person.key(key, "provenance")
        if text is not None:
            await person.type(text)
        if finish:
            await person.key("enter", "provenance")
        await person.settle()

    if wanted.status is not None and recorded().status is not wanted.status:
        await change(STATUS_KEYS[wanted.status.value])
    if wanted.status is not None and wanted.status.value == "not_checked":
        return
    if wanted.source and recorded().source != wanted.source:
        if wanted.source in flow.sources[:9]:
            await change(str(flow.sources.index(wanted.source) + 1))
        else:
            await change("s", text=wanted.source, finish=True)
    if wanted.checked_on and recorded().checked_on != wanted.checked_on:
        await change("d", text=wanted.checked_on.strftime("%d/%m/%Y"), finish=True)
    if wanted.basis is not None and recorded().basis is not wanted.basis:
        await change("o")
    if not wanted.share and recorded().share:
        await change("w", text=wanted.withhold_reason or "", finish=True)
        if isinstance(app.screen, AskScreen):  # withhold the answer it follows too? as the example says
            from marac_tui.engine.followups import parents

            parent = next((p for p in parents(flow, item.id) if p in model_answers), None)
            keep = parent is None or model_answers[parent].share
            await person.key("n" if keep else "y", "answer")
            person.tally.floor += 1
            person.tally.questions += 1
            await person.settle()


def compare(model: Any, saved: Any) -> list[str]:
    """Where the app's submission differs from the example's (value, and provenance the example gives)."""
    problems = []
    scopes = [("case", model.answers, saved.answers)]
    people = zip(model.perpetrators, saved.perpetrators, strict=True)
    scopes += [(f"perpetrator {n + 1}", m.answers, s.answers) for n, (m, s) in enumerate(people)]
    for where, wanted, got in scopes:
        for item_id, answer in wanted.items():
            mine = got.get(item_id)
            if mine is None:
                problems.append(f"{where} {item_id}: not answered")
                continue
            if item_id == "actions":  # the suggestions taken (their texts come from the flow)
                same = sorted(a.get("suggestion") or "" for a in mine.value) == sorted(
                    a.get("suggestion") or "" for a in answer.value)  # fmt: skip
            else:
                same = mine.value == answer.value
            if not same:
                problems.append(f"{where} {item_id}: {mine.value!r} != {answer.value!r}")
            for name in ("status", "source", "checked_on", "basis", "withhold_reason"):
                if getattr(answer, name) is not None and getattr(mine, name) != getattr(answer, name):
                    problems.append(f"{where} {item_id}.{name}: {getattr(mine, name)!r} != {getattr(answer, name)!r}")
            if answer.share != mine.share:
                problems.append(f"{where} {item_id}.share: {mine.share} != {answer.share}")
    return problems


async def run(size: tuple[int, int]) -> tuple[Tally, list[str]]:
    from marac_tui.store import Store
    from marac_tui.tui.app import build_app
    from marac_tui.tui.screens.interview import InterviewScreen

    model = model_submission()
    tally = Tally()
    with tempfile.TemporaryDirectory(prefix="issue-12-keys-") as folder:
        store = Store(Path(folder) / "store")
        app = build_app(store, cursor_blink=False)
        async with app.run_test(size=size) as pilot:
            person = Person(pilot, tally)
            await person.settle()
            await person.key("n", "open the flow chooser")
            await person.settle()
            await person.key("enter", "answer")  # the flow: police researcher (the first)
            tally.floor += 1
            tally.questions += 1
            await until(pilot, lambda: isinstance(app.screen, InterviewScreen))
            await person.settle()
            screen = app.screen
            iv = screen.interview
            while not iv.done:
                item, scope = iv.current, iv.current_scope
                answers = model.answers if scope is None else model.perpetrators[scope].answers
                wanted = answers.get(item.id)
                before = (iv.state, iv.current_scope)
                floor_before = tally.floor
                if wanted is None:
                    await person.key("ctrl+n", "answer")
                    tally.floor += 1
                else:
                    await answer(person, screen, item, wanted.value)
                tally.items += 1
                tally.questions += tally.floor - floor_before - 1
                await until(pilot, lambda: iv.done or (iv.state, iv.current_scope) != before)  # noqa: B023
                await person.settle()
                if wanted is not None and iv.flow.is_research(item.id):
                    await match_provenance(person, screen, item, scope, wanted, answers)
            await person.settle()
            screen.close_out()
        saved = Store(Path(folder) / "store").load(str(iv.submission.id))
    return tally, compare(model, saved)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", default="120x40", help="terminal size, COLUMNSxROWS (default 120x40)")
    parser.add_argument("--keys-out", type=Path, help="write the keys as sent, one per line")
    args = parser.parse_args()
    columns, rows = (int(n) for n in args.size.lower().split("x"))
    tally, problems = asyncio.run(run((columns, rows)))
    if args.keys_out:
        args.keys_out.write_text("\n".join(tally.log) + "\n", encoding="utf-8")
    for problem in problems:
        print(f"MISMATCH {problem}")
    print(f"example: {EXAMPLE.relative_to(ROOT)}; terminal {columns}x{rows}; {date.today():%d %b %Y}")
    for why, count in sorted(tally.by_reason.items(), key=lambda kv: -kv[1]):
        print(f"  {count:4d} keys: {why}")
    print(f"keys {tally.keys}, answer characters (not counted) {tally.chars}, floor {tally.floor} "
          f"({tally.items} items answered + {tally.questions} other questions)")  # fmt: skip
    print(f"keys per item answered {tally.keys / tally.items:.2f} (for comparison)")
    if problems:
        raise SystemExit("bench/keys: the app's submission differs from the example (see MISMATCH lines)")
    print(f"keys ratio {tally.keys / tally.floor:.2f} (goal <= {GOAL})")


if __name__ == "__main__":
    main()
