"""Helpers for the plain-mode tests: run `marac-tui plain` through a pseudo-terminal (pexpect) or a
pipe, check its output holds no escape sequence, and drive the real app with Pilot through the same
answers so the two stores can be compared. All names are fictional.

A script is the list of lines a user types in plain mode. `TuiDriver` turns each line into the keys
an app user presses for the same thing (y for yes, Enter to accept the provenance strip, o for
opinion, Ctrl+N to skip…), reading the screen the app is on, as a user would.
"""

from __future__ import annotations

import asyncio
import io
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pexpect

from marac_tui.flow.spec import Kind
from marac_tui.plain.commands import Command, read_line
from marac_tui.plain.provenance_line import ProvenanceError, apply_changes, offered
from marac_tui.store import Store
from marac_tui.submission import Status

ROOT = Path(__file__).resolve().parent.parent
PROMPT = "\n> "
# Any escape sequence or control character but newline, carriage return and tab (C0, DEL, C1).
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
INFORMATION = (Command.why, Command.where, Command.help, Command.summary)
VOLATILE = {"id", "created_at", "updated_at", "answered_at"}



def environment(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("MARAC_TUI_")}
    env.update(TERM="xterm-256color", PYTHONIOENCODING="utf-8", COLUMNS="80", LINES="24", **extra)
    return env


def command(data_dir: Path, *args: str) -> list[str]:
    return [sys.executable, "-m", "marac_tui", "--data-dir", str(data_dir), "plain", *args]


def run_piped(data_dir: Path, args: list[str], script: list[str], timeout: float = 60,
              **env: str) -> subprocess.CompletedProcess[str]:  # fmt: skip
    """`marac-tui plain ARGS` with the script on its standard input (a pipe, not a terminal)."""
    return subprocess.run(command(data_dir, *args), input="".join(f"{line}\n" for line in script),
                          capture_output=True, text=True, encoding="utf-8", env=environment(**env), timeout=timeout)  # fmt: skip


def spawn(data_dir: Path, args: list[str]) -> pexpect.spawn:
    """`marac-tui plain ARGS` on a pseudo-terminal, 80 x 24; `child.logfile_read` keeps all it shows."""
    argv = command(data_dir, *args)
    child = pexpect.spawn(argv[0], argv[1:], env=environment(), encoding="utf-8", timeout=30, dimensions=(24, 80),
                          cwd=str(data_dir.parent))  # fmt: skip
    child.delaybeforesend = None
    child.logfile_read = io.StringIO()
    return child


TERMINAL_PROMPT = PROMPT.replace("\n", "\r\n")


def type_lines(child: pexpect.spawn, script: list[str]) -> None:
    """Type each line of the script at the next prompt."""
    for line in script:
        child.expect_exact(TERMINAL_PROMPT)
        child.sendline(line)


def finish(child: pexpect.spawn) -> tuple[str, int]:
    """Wait for the program to end: everything the terminal showed, and the exit status."""
    child.expect(pexpect.EOF)
    child.close()
    shown = child.logfile_read.getvalue()
    return shown, child.exitstatus if child.exitstatus is not None else 128 + (child.signalstatus or 0)


def run_pty(data_dir: Path, args: list[str], script: list[str], end: str = "eof") -> tuple[str, int]:
    """Type the script at the prompts on a terminal, one line a prompt; then end the input with
    Ctrl+D (`end="eof"`), Ctrl+C (`"interrupt"`) or nothing more (`"exit"`: the script quits).
    Returns everything the terminal showed, and the exit status."""
    child = spawn(data_dir, args)
    type_lines(child, script)
    if end != "exit":
        child.expect_exact(TERMINAL_PROMPT)
        child.sendeof() if end == "eof" else child.sendintr()
    return finish(child)


def assert_no_escapes(text: str) -> None:
    """No escape sequence, colour or cursor movement: nothing but text, newlines and tabs."""
    found = CONTROL.search(text)
    assert found is None, f"control character {found.group()!r} at {found.start()}: {text[max(0, found.start() - 60):found.start() + 20]!r}"


def stored(data_dir: Path) -> Any:
    """The only submission in a store."""
    store = Store(data_dir)
    ids = store.ids()
    assert len(ids) == 1, f"expected one submission in {data_dir}, found {len(ids)}"
    return store.load(ids[0])


def comparable(submission: Any) -> dict[str, Any]:
    """A submission without what differs between two sessions with the same answers: ids and times."""
    return _drop(submission.to_json())


def _drop(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _drop(v) for k, v in value.items() if k not in VOLATILE}
    if isinstance(value, list):
        return [_drop(v) for v in value]
    return value


def audit_changes(data_dir: Path) -> list[tuple[Any, ...]]:
    """The audit trail as (event, item, perpetrator, old, new), times and ids left out."""
    store = Store(data_dir)
    [sid] = store.ids()
    return [(e.event, e.item, e.perpetrator, _drop(e.old), _drop(e.new)) for e in store.history(sid)]


# --- the same answers in the app ---------------------------------------------------------------


class TuiDriver:
    """Give the app, through Pilot, the answers a plain-mode script types."""

    def __init__(self, pilot: Any) -> None:
        self.pilot = pilot
        self.actions_stage: str | None = None  # "suggestions", "own" or "form" inside an actions item
        self.own_field = 0
        self.answered: tuple[Any, int | None] | None = None  # a research answer plain mode asks about
        self.more_text = ""  # the lines of a long answer so far, each ended by a backslash
        self.review_stage: str | None = None  # "review" or "confirm" while plain mode is in its review

    @property
    def screen(self) -> Any:
        return self.pilot.app.screen

    async def settle(self) -> None:
        await self.pilot.pause()
        await self.pilot.app.workers.wait_for_complete()
        await self.pilot.pause()

    async def type(self, text: str) -> None:
        """Put text into the focused field as a paste does (key by key costs seconds a case)."""
        from textual.widgets import Input, TextArea

        focused = self.pilot.app.focused
        if isinstance(focused, Input):
            focused.insert_text_at_cursor(text)
        elif isinstance(focused, TextArea):
            focused.insert(text)
        else:
            await self.pilot.press(*[{" ": "space"}.get(c, c) for c in text])
        await self.pilot.pause()

    async def clear_and_type(self, text: str) -> None:
        await self.pilot.press("ctrl+a", "ctrl+k")
        await self.type(text)

    async def run(self, script: list[str]) -> None:
        for line in script:
            await self.line(line)
            await self.pilot.pause()
        await self.settle()

    async def line(self, line: str) -> None:
        typed = read_line(line)
        if typed.command is Command.quit:
            if self.review_stage is None:
                await self.pilot.press("escape")
            return
        if typed.command in INFORMATION:
            return  # said in plain mode, and the question asked again: nothing changes
        if self.review_stage is not None or typed.command is Command.review:
            await self.review(typed)
            return
        screen = self.screen
        iv = screen.interview
        if self.answered is not None:
            await self.provenance(line)
            return
        item = iv.current
        editor = screen.answer_input
        if item is not None and item.kind is Kind.repeat and getattr(editor, "editing", None) is not None:
            await self.entry_field(item, "" if typed.command is Command.skip else typed.text)
            return
        here = (iv.state, iv.current_scope)
        if item is not None and item.kind is Kind.actions and self.actions_stage is not None:
            await self.actions(typed.text)
        elif typed.command is Command.back:
            await self.pilot.press("ctrl+b")
            return
        elif typed.command is Command.skip:
            await self.pilot.press("ctrl+n")
            return
        elif typed.command is Command.rest:
            await self.rest(typed.whole_person)
            return
        else:
            await self.answer(item, typed.text)
        await self.pilot.pause()
        answer = iv.answer_of(item.id, here[1]) if item is not None else None
        moved = (iv.state, iv.current_scope) != here
        if moved and answer is not None and iv.flow.is_research(item.id):
            self.answered = (item, here[1])  # plain mode asks how you know next; the app has folded it

    async def review(self, typed: Any) -> None:
        """The review (Ctrl+R; the app opens it by itself after the last question): finalise with its
        confirmation, or back to the questions."""
        from marac_tui.tui.screens.review import ReviewScreen

        words = typed.text.strip().lower()
        if self.review_stage is None:
            if not isinstance(self.pilot.app.screen, ReviewScreen):
                await self.pilot.press("ctrl+r")
            self.review_stage = "review"
        elif self.review_stage == "confirm":
            await self.pilot.press("y" if words in ("y", "yes") else "escape")
            await self.settle()
            self.review_stage = "review"
        elif words in ("finalise", "finalize"):
            await self.pilot.press("f")
            self.review_stage = "confirm"
        elif typed.command is Command.back or not words:
            await self.pilot.press("escape")
            self.review_stage = None
        await self.pilot.pause()

    async def entry_field(self, item: Any, text: str) -> None:
        """A field of a list entry. The app checks an entry when it is saved, plain mode each field as
        it is given; a value plain mode refuses is not typed here either (the app user would be sent
        back to it when saving, and put the same right value in)."""
        from marac_tui.flow.values import AnswerError, coerce

        field_id = (self.pilot.app.focused.id or "").removeprefix("field-")
        field = next(f for f in item.fields if f.id == field_id)
        try:
            coerce(field, text)
        except AnswerError:
            return
        await self.clear_and_type(text)
        await self.pilot.press("enter")

    async def rest(self, whole_person: bool) -> None:
        """Rest not checked: Ctrl+T, then s (this area) or p (this person); refused for a case item."""
        from marac_tui.tui.screens.rest_not_checked import RestNotCheckedScreen

        await self.pilot.press("ctrl+t")
        await self.pilot.pause()
        if isinstance(self.pilot.app.screen, RestNotCheckedScreen):
            await self.pilot.press("p" if whole_person else "s")
            await self.settle()

    async def answer(self, item: Any, text: str) -> None:
        kind = item.kind
        if kind in (Kind.yesno, Kind.choice):
            await self.pilot.press(text.strip().lower()[:1] if kind is Kind.yesno else text.strip())
        elif kind is Kind.multichoice:
            picks = [] if text.strip().lower() == "none" else [int(n) for n in text.replace(" ", "").split(",") if n]
            await self.tick(picks)
            await self.pilot.press("enter")
        elif kind is Kind.longtext:
            if text.endswith("\\"):  # plain mode reads the next line as more of this answer
                self.more_text += text[:-1] + "\n"
                return
            await self.type(self.more_text + text)
            self.more_text = ""
            await self.pilot.press("ctrl+j")
        elif kind is Kind.repeat:
            await self.pilot.press("y" if text.strip().lower() in ("y", "yes") else "n")
        elif kind is Kind.actions:
            self.actions_stage = "suggestions" if self.screen.interview.suggestions(self.screen.interview.current_scope or 0) else "own"
            await self.actions(text)
        else:
            if text:
                await self.clear_and_type(text)
            await self.pilot.press("enter")

    async def tick(self, numbers: list[int]) -> None:
        """Tick options (1-based) in the focused checklist: down to each, then Space."""
        at = 1
        for number in sorted(numbers):
            await self.pilot.press(*["down"] * (number - at), "space")
            at = number

    async def actions(self, text: str) -> None:
        words = text.strip().lower()
        if self.actions_stage == "suggestions":
            if words and words != "none":
                await self.tick([int(n) for n in words.replace(" ", "").split(",")])
            self.actions_stage = "own"
        elif self.actions_stage == "own":
            if words in ("y", "yes"):
                await self.pilot.press("a")
                self.actions_stage, self.own_field = "form", 0
            else:
                await self.pilot.press("ctrl+j")
                self.actions_stage = None
        elif self.actions_stage == "form":
            if self.own_field < 3:
                await self.type(text)
                await self.pilot.press("enter")
                self.own_field += 1
                if self.own_field == 3:
                    await self.pilot.press("enter", "enter", "enter")  # owner, due date, status: as offered
                if self.own_field == 3 and not self.screen.answer_input.risks:
                    await self.pilot.press("enter")  # no risks to tick: plain mode does not ask
                    self.actions_stage = "own"
            else:
                if words and words != "none":
                    await self.tick([int(n) for n in words.replace(" ", "").split(",")])
                await self.pilot.press("enter")
                self.actions_stage = "own"

    async def provenance(self, line: str) -> None:
        """After a research answer the app has already recorded its provenance and asks the next
        question; to change it, Ctrl+O opens the strip, then the keys that make it show what the plain
        line asks for, then Enter."""
        from marac_tui.tui.widgets.provenance import ProvenanceStrip

        typed = read_line(line)
        iv = self.screen.interview
        item, scope = self.answered
        if typed.command is Command.back:
            self.answered = None
            await self.pilot.press("ctrl+b")
            return
        if typed.command is Command.rest:  # accepted; then the rest of the area, if still in it
            self.answered = None
            here = iv.current
            if here is not None and iv.current_scope == scope and (
                typed.whole_person or iv.flow.section_of(here.id) is iv.flow.section_of(item.id)
            ):
                await self.rest(typed.whole_person)
            return
        if typed.command is Command.skip or not line.strip():
            self.answered = None
            return
        answer = iv.answer_of(item.id, scope)
        start = offered(answer, iv.proposed(item.id, scope, answer.value).meta.source)
        try:
            target = apply_changes(start, line, iv.flow.sources)
        except ProvenanceError:
            return  # refused in plain mode too: nothing changes, and it asks again
        self.answered = None
        await self.pilot.press("ctrl+o")
        await self.pilot.pause()
        strip = self.screen.query_one(ProvenanceStrip)
        assert strip.meta == start, f"the app offers {strip.meta}, plain mode {start}"
        statuses = [Status.found, Status.nothing_held, Status.not_checked, Status.not_applicable]
        if target.status != start.status:
            await self.pilot.press(str(statuses.index(target.status) + 1))
        if target.basis != start.basis:
            await self.pilot.press("o")
        if target.source != start.source:
            await self.pilot.press("s")
            await self.clear_and_type(target.source or "")
            await self.pilot.press("enter")
        if target.checked_on != start.checked_on and target.checked_on is not None:
            await self.pilot.press("d")
            await self.clear_and_type(f"{target.checked_on:%d/%m/%Y}")
            await self.pilot.press("enter")
        if target.share != start.share:
            await self.pilot.press("w")
            if not target.share:
                await self.settle()
                await self.type(target.withhold_reason or "")
                await self.pilot.press("enter")
        await self.settle()
        await self.pilot.press("enter")


async def app_session(data_dir: Path, script: list[str], resume: str | None = None, flow: str = "police") -> None:
    """The same answers given in the app (80 x 24): a new submission, or `resume` (an id) opened."""
    from marac_tui.tui.app import build_app

    app = build_app(Store(data_dir), cursor_blink=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        if resume is None:
            app.start_submission(flow)
        else:
            app.open_submission(resume)
        driver = TuiDriver(pilot)
        await driver.settle()
        await driver.run(script)
        if hasattr(app.screen, "close_out"):
            await pilot.press("escape")
            await driver.settle()


def in_the_app(data_dir: Path, script: list[str], resume: str | None = None) -> None:
    asyncio.run(app_session(data_dir, script, resume))


def same_as_the_app(tmp_path: Path, script: list[str], args: list[str] | None = None, end: str = "eof") -> str:
    """Run the script in plain mode on a terminal, through a pipe, and in the app; assert the three
    stores hold the same submission (and the terminal's and the app's the same audit trail), and that
    plain mode wrote no escape sequence. Returns what the terminal showed."""
    plain_dir, pipe_dir, app_dir = tmp_path / "plain", tmp_path / "pipe", tmp_path / "app"
    shown, status = run_pty(plain_dir, args or ["--flow", "police"], script, end=end)
    assert status == (130 if end == "interrupt" else 0), shown[-400:]
    assert_no_escapes(shown)
    piped = run_piped(pipe_dir, args or ["--flow", "police"], script)
    assert piped.returncode == 0, piped.stderr
    assert_no_escapes(piped.stdout)
    assert_same(comparable(stored(pipe_dir)), comparable(stored(plain_dir)))
    in_the_app(app_dir, script)
    assert_same(comparable(stored(plain_dir)), comparable(stored(app_dir)))
    assert audit_changes(plain_dir) == audit_changes(app_dir)
    return shown


def assert_same(plain: Any, app: Any, where: str = "") -> None:
    """Equal, or fail naming the first place they differ."""
    if isinstance(plain, dict) and isinstance(app, dict):
        for key in sorted(set(plain) | set(app), key=str):
            assert key in plain and key in app, f"{where}.{key}: plain {plain.get(key)!r}, app {app.get(key)!r}"
            assert_same(plain[key], app[key], f"{where}.{key}")
    elif isinstance(plain, list) and isinstance(app, list) and len(plain) == len(app):
        for n, (a, b) in enumerate(zip(plain, app)):
            assert_same(a, b, f"{where}[{n}]")
    else:
        assert plain == app, f"{where}: plain {plain!r}, app {app!r}"


# --- scripts, built against the engine ------------------------------------------------------------

DEFAULTS = {Kind.yesno: "n", Kind.choice: "1", Kind.multichoice: "1", Kind.date: "today", Kind.number: "1"}


class Script:
    """The lines a user types in plain mode, built by walking the engine alongside: `to(item)` skips
    every question before it (a needed one gets a plain default answer), so a test names only the
    questions it is about and keeps working when a flow gains questions elsewhere."""

    def __init__(self, flow: str = "police") -> None:
        from marac_tui.engine.interview import Interview
        from marac_tui.flow.loader import load_named

        self.iv = Interview(load_named(flow))
        self.lines: list[str] = []

    def to(self, item_id: str, perpetrator: int = 0) -> Script:
        """Skip ahead to a question (of one perpetrator)."""
        iv = self.iv
        while not (iv.state == item_id and (iv.current_scope is None or iv.perpetrator == perpetrator)):
            assert not iv.done, f"the interview ended before {item_id}"
            self._pass()
        return self

    def to_the_end(self) -> Script:
        while not self.iv.done:
            self._pass()
        return self

    def _pass(self) -> None:
        """Skip the current question; a needed one (and the actions) gets a plain default answer."""
        iv = self.iv
        item = iv.current
        assert item is not None
        if item.required or item.kind is Kind.actions:
            default = DEFAULTS.get(item.kind, "n" if item.kind is Kind.actions else "Test")
            self.answer(item.id, "" if item.default is not None else default, perpetrator=iv.perpetrator)
        else:
            self.lines.append("skip")
            iv.skip()

    def answer(self, item_id: str, line: str, how: str = "", perpetrator: int = 0) -> Script:
        """Answer a question with one line (a long answer may go on over several, each but the last
        ending in a backslash), then, for research, the provenance line `how` (Enter by default)."""
        self.to(item_id, perpetrator)
        item, scope = self.iv.current, self.iv.current_scope
        assert item is not None
        self.lines += line.split("\n")
        if item.kind is Kind.actions:
            self.iv.answer([])  # what is taken does not change what is asked next
        else:
            self.iv.answer(self._raw(item, line.replace("\\\n", "\n")))
        return self.provenance(item, scope, how)

    def actions(self, take: str = "none", *own: tuple[str, str, str], perpetrator: int = 0) -> Script:
        """The actions: which suggestions to take (if any are offered), then actions of one's own
        (heading number, what, agency; addressing no risk)."""
        self.to("actions", perpetrator)
        if self.iv.suggestions(perpetrator):
            self.lines.append(take)
        risks = self.iv.submission.perpetrators[perpetrator].risks
        for heading, text, agency in own:
            self.lines += ["y", heading, text, agency, *(["none"] if risks else [])]
        self.lines.append("n")
        self.iv.answer([])
        return self

    def entries(self, item_id: str, *entries: list[str], how: str = "", perpetrator: int = 0) -> Script:
        """A list: y and each field's line, for each entry; then n."""
        self.to(item_id, perpetrator)
        item, scope = self.iv.current, self.iv.current_scope
        assert item is not None and item.kind is Kind.repeat
        fields = [f.id for f in item.fields or ()]
        for entry in entries:
            self.lines += ["y", *entry]
        self.lines.append("n")
        self.iv.answer([{k: v for k, v in zip(fields, entry) if v} for entry in entries])
        return self.provenance(item, scope, how)

    def provenance(self, item: Any, scope: int | None, how: str) -> Script:
        """The provenance line after a research answer (none after an answer to anything else)."""
        iv = self.iv
        answered = iv.submission.answers if scope is None else iv.submission.perpetrators[scope].answers
        if not iv.flow.is_research(item.id) or item.id not in answered:
            return self
        self.lines.append(how)
        typed = read_line(how)
        if typed.command is Command.back:
            iv.back()
        elif typed.command is Command.rest and iv.current is not None and iv.current_scope == scope and (
            typed.whole_person or iv.flow.section_of(iv.current.id) is iv.flow.section_of(item.id)
        ):
            iv.rest_not_checked(typed.whole_person)
        return self

    def command(self, word: str) -> Script:
        """back, skip or rest not checked (all) at a question."""
        self.lines.append(word)
        typed = read_line(word)
        if typed.command is Command.back:
            self.iv.back()
        elif typed.command is Command.skip:
            self.iv.skip()
        elif typed.command is Command.rest:
            self.iv.rest_not_checked(typed.whole_person)
        return self

    def back_to(self, item_id: str) -> Script:
        """back, as many times as it takes to reach a question."""
        while self.iv.state != item_id:
            self.command("back")
        return self

    def type(self, *lines: str) -> Script:
        """Lines that change nothing: refused answers, questions about where you are."""
        self.lines += lines
        return self

    def _raw(self, item: Any, line: str) -> Any:
        if line.strip():
            return line
        current = self.iv.current_answer
        if current is not None and current.value is not None:
            return current.value
        return item.default if item.default is not None else ""


def case(perpetrators: int = 1) -> Script:
    """The case details of a fictional case, with one alleged perpetrator (or more)."""
    script = (
        Script()
        .answer("case_ref", "MC-2026-0917")
        .answer("marac_date", "10/12/2026")
        .answer("representative", "DC Ottilie Brambleworth")
        .answer("agency", "")
    )
    if perpetrators == 1:
        return script.answer("more_than_one", "n")
    return script.answer("more_than_one", "y").answer("perpetrator_count", str(perpetrators))
