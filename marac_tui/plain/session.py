"""The plain conversation: the app's interview, one line at a time, on stdin and stdout.

The same engine and store as the app: every change is saved as it happens, under the same edit
lock; going back keeps an answer's provenance as the app does; the review, export and finalise are
the app's own rules. Each question is said once — its position, its section when the section
changes, the prompt, the hint and how to answer — and every reply is one new line.
"""

from __future__ import annotations

from typing import Any

from marac_tui.cli import describe_error
from marac_tui.engine.interview import Change, Interview
from marac_tui.engine.provenance import CHECKED
from marac_tui.errors import UserError
from marac_tui.flow.loader import guidance_text
from marac_tui.flow.spec import Flow, Item, Kind
from marac_tui.flow.values import AnswerError
from marac_tui.plain import answers
from marac_tui.plain.commands import HELP, Command, Typed, read_line
from marac_tui.plain.lines import EndOfInput, Lines, Stopped
from marac_tui.plain.provenance_line import ProvenanceError, apply_changes, offered
from marac_tui.plain.render import (
    date_problem,
    first_sentence,
    how_to_answer,
    meta_words,
    options_lines,
    plain_text,
    spoken,
    value_text,
)
from marac_tui.submission import Status, SubmissionState

NO_GUIDANCE = "There is no guidance written for this question yet."
FULL_PROVENANCE_PROMPTS = 3  # the "how do you know?" line says how to answer it this many times
SHOWN_KINDS = (Kind.yesno, Kind.choice, Kind.multichoice, Kind.date, Kind.number)


class Quit(Exception):
    """The user typed quit."""


class Saver:
    """Save every change at once, as the app does. A failed write keeps its changes, and the next
    change (or leaving) writes them all."""

    def __init__(self, store: Any, lines: Lines) -> None:
        self.store = store
        self.lines = lines
        self.pending: list[Change] = []
        self.dropped: list[Change] = []  # answers the skip logic removed, since they were last said
        self.error: Exception | None = None

    def changed(self, interview: Interview, changes: list[Change]) -> None:
        self.pending += changes
        self.dropped += [c for c in changes if c.new is None and c.old is not None]
        self.save(interview)

    def save(self, interview: Interview) -> bool:
        try:
            with self.lines.busy():
                self.store.save(interview.submission, self.pending)
        except (UserError, OSError) as exc:
            self.error = exc
            self.lines.say(f"Error: not saved: {describe_error(exc)}. Your answers are kept here; the next answer tries again.")
            return False
        self.pending, self.error = [], None
        return True


class Session:
    """One submission, asked question by question on `lines`."""

    def __init__(self, interview: Interview, store: Any, lines: Lines, *, lock: Any = None,
                 read_only: str | None = None, resume_command: str = "marac-tui plain") -> None:  # fmt: skip
        self.interview = interview
        self.store = store
        self.lines = lines
        self.lock = lock
        self.read_only = read_only
        self.resume_command = resume_command
        self.saver = Saver(store, lines)
        self.heard: set[str] = set()  # instructions said in full once already
        self._provenance_asked = 0
        self._section: tuple[str, int | None] | None = None
        self._unfinished: tuple[Item, int | None, list[dict[str, Any]]] | None = None
        if read_only is None:
            interview.on_change = self.saver.changed

    @property
    def flow(self) -> Flow:
        return self.interview.flow

    # --- running -------------------------------------------------------------------------------

    def run(self, opening: list[str] | None = None) -> int:
        """Talk until the user quits or input ends; the exit status."""
        from marac_tui.plain.review import Reviewer

        with self.lines.stoppable():
            try:
                self.lines.say(*(opening or []))
                if self.read_only is not None:
                    self.lines.say(f"Read only: {self.read_only}.")
                    Reviewer(self).run(read_only=True)
                    return self._leave()
                while True:
                    if self.interview.submission.state is SubmissionState.finalised:
                        Reviewer(self).run(read_only=True)
                        return self._leave()
                    if self.interview.done:
                        self._at_the_end()
                    else:
                        self.ask_current()
            except Quit:
                return self._leave()
            except EndOfInput:
                return self._leave("End of input.")
            except Stopped as stop:
                self.lines.blank()  # end the prompt's line
                name = "Ctrl+C" if str(stop) == "SIGINT" else str(stop)
                return self._leave(f"Stopped ({name}).", status=130)
            except Exception as exc:  # noqa: BLE001 - the command's error boundary: one line, never a traceback
                self.lines.say(f"Error: plain mode stopped: {describe_error(exc)}.")
                self._leave()
                return 2
            finally:
                if self.lock is not None:
                    self.lock.release()

    def _leave(self, why: str = "", status: int = 0) -> int:
        self._keep_unfinished()
        unsaved = self.saver.pending or self.saver.error is not None
        saved = self.read_only is not None or not unsaved or self.saver.save(self.interview)
        sub = self.interview.submission
        short = str(sub.id)[:8]
        if not saved:
            self.lines.say(f"{why} Error: the last changes to {short} could not be saved.".strip())
            return 1
        if str(sub.id) not in self.store.ids():
            self.lines.say(f"{why} Nothing was answered, so nothing was saved.".strip())
            return status
        if self.read_only is not None:
            self.lines.say(f"{why} Closed {short}; nothing was changed.".strip())
            return status
        count = len(sub.answers) + sum(len(p.answers) for p in sub.perpetrators)
        state = "finalised submission" if sub.state is SubmissionState.finalised else "draft"
        self.lines.say(f"{why} Saved: {state} {short}, case {sub.case_ref}, {count} answers.".strip())
        if sub.state is SubmissionState.draft:
            self.lines.say(f"To carry on later, type: {self.resume_command} {short}")
        return status

    def unfinished_list(self, item: Item, entries: list[dict[str, Any]]) -> None:
        """The list being given: if the session ends before it is complete, its entries are kept."""
        self._unfinished = (item, self.interview.current_scope, entries)

    def _keep_unfinished(self) -> None:
        """Leaving in the middle of a list: keep the entries completed so far, and stay on the list."""
        if self._unfinished is None or self.read_only is not None:
            return
        item, scope, entries = self._unfinished
        self._unfinished = None
        iv = self.interview
        if not entries or iv.state != item.id or iv.current_scope != scope:
            return
        try:
            iv.answer(entries, self.interview.kept_meta(item, entries))
        except AnswerError:
            return
        iv.back()
        count = f"{len(entries)} entr{'y' if len(entries) == 1 else 'ies'}"
        self.lines.say(f"Kept the {count} given so far; the list is asked again next time.")

    # --- reading lines -------------------------------------------------------------------------

    def read(self, reminder: str) -> Typed:
        """The next line that is not a question about where we are (why, where, help, summary are
        answered here, then `reminder` is said and the line is read again); quit ends the session."""
        while True:
            typed = read_line(self.lines.ask("> "))
            if typed.command is Command.quit:
                raise Quit
            if typed.command in (Command.why, Command.where, Command.help, Command.summary):
                self.inform(typed.command)
                self.lines.say(reminder)
                continue
            return typed

    def ask(self, question: str) -> Typed:
        """Say `question`, then read the reply (see `read`)."""
        self.lines.say(question)
        return self.read(question)

    def error(self, message: str) -> None:
        """One line: what was wrong, and what to type instead."""
        text = " ".join(message.split())
        self.lines.say(f"Error: {text[:1].upper()}{text[1:]}")

    def inform(self, command: Command) -> None:
        if command is Command.help:
            self.lines.say(HELP)
        elif command is Command.why:
            self.lines.say(self._guidance())
        elif command is Command.where:
            self.lines.say(*self._where())
        elif command is Command.summary:
            from marac_tui.export.summary import build_summary, render_summary_text

            self.lines.say(spoken(render_summary_text(build_summary(self.interview.submission, self.flow)).rstrip()))

    # --- one question -------------------------------------------------------------------------

    def ask_current(self) -> None:
        """Ask the current question until something moves the interview on (or back)."""
        iv = self.interview
        item = iv.current
        assert item is not None
        scope = iv.current_scope
        number, total = self.position()
        self.say_question(item, scope, number, total)
        reminder = f"Question {number} again: {first_sentence(item.prompt)}"
        try:
            typed = self.read(reminder)
            while not self._answered(item, scope, typed, reminder):
                typed = self.read(reminder)
        except answers.Moved:
            self._unfinished = None  # a list left by back or skip is dropped, as in the app
            return

    def say_question(self, item: Item, scope: int | None, number: int, total: int) -> None:
        iv = self.interview
        section = iv.flow.section_of(item.id)
        where = ""
        if (section.id, scope) != self._section:
            self._section = (section.id, scope)
            where = f", {section.title}"
            if scope is not None:
                where += f", for {self.who(scope)}"
        self.lines.blank()
        self.lines.say(f"Question {number} of about {total}{where}.")
        self.lines.say(plain_text(item.prompt))
        if item.hint:
            self.lines.say(f"Hint: {item.hint}")
        current = iv.current_answer
        if item.kind is Kind.repeat:
            entries = list(current.value or []) if current else []
            answers.list_entries(self, item, entries)
            self.lines.say(answers.add_question(item, entries))
            return
        if item.kind is Kind.actions:
            answers.say_actions_context(self, item)
            return
        if current is not None and current.value is not None:
            self.lines.say(f"Earlier answer: {value_text(item, current.value, iv.flow)}. Enter keeps it.")
        elif item.default is not None:
            self.lines.say(f"Enter keeps: {value_text(item, item.default, iv.flow)}.")
        self.lines.say(*options_lines(item))
        brief = item.kind.value in self.heard
        self.heard.add(item.kind.value)
        instruction = how_to_answer(item, brief=brief)
        if instruction:
            self.lines.say(instruction)

    def who(self, scope: int) -> str:
        """Whose research this is: 'Corvin Ashdale', 'Maud Ashdale, alleged perpetrator 2 of 2', or
        'alleged perpetrator 2 of 2' before a name is given."""
        iv = self.interview
        count = iv.perpetrator_count()
        answer = iv.submission.perpetrators[scope].answers.get(iv.flow.perpetrators.name_item or "")
        named = answer is not None and isinstance(answer.value, str) and answer.value.strip()
        which = f"alleged perpetrator {scope + 1} of {count}" if count > 1 else "the alleged perpetrator"
        if not named:
            return which
        return iv.perpetrator_name(scope) + (f", {which}" if count > 1 else "")

    def _answered(self, item: Item, scope: int | None, typed: Typed, reminder: str) -> bool:
        """Record the answer typed (True), or say why not (False); a command may move instead."""
        if typed.command is not None:
            self.move(typed, reminder)
            return False
        iv = self.interview
        try:
            if item.kind is Kind.repeat:
                raw: Any = answers.ask_repeat(self, item, typed)
                self._unfinished = None
            elif item.kind is Kind.actions:
                raw = answers.ask_actions(self, item, typed)
            else:
                raw = answers.raw_line(self, item, typed.text)
            kept = self.interview.kept_meta(item, raw)
            warnings = iv.answer(raw, kept)
        except AnswerError as exc:
            problem = exc.problem
            if item.kind is Kind.date and exc.item_id == item.id and ("is not a date (use" in problem or problem.endswith("does not exist")):
                problem = date_problem(typed.text)  # say why, in words, where the engine gives only the forms
            self.error(f"{problem}. {how_to_answer(item, brief=True)}".rstrip(". ") + ".")
            return False
        answer = iv.answer_of(item.id, scope)
        if answer is not None and item.kind in (*SHOWN_KINDS, Kind.repeat, Kind.actions):
            self.lines.say(f"Recorded: {value_text(item, answer.value, iv.flow)}.")
        self._dropped(warnings)
        if answer is not None and iv.flow.is_research(item.id):
            self.ask_provenance(item, scope, kept=kept is not None)
        return True

    def _dropped(self, warnings: list[str]) -> None:
        """Say which answers the skip logic removed, by their questions."""
        dropped, self.saver.dropped = self.saver.dropped, []
        if not warnings:
            return
        iv = self.interview
        names = []
        for change in dropped:
            if change.item == "*":
                names.append(f"the research on perpetrator {(change.perpetrator or 0) + 1}")
                continue
            who = "" if change.perpetrator is None else f" (for {iv.perpetrator_name(change.perpetrator)})"
            names.append(f"{first_sentence(iv.flow.item(change.item).prompt)}{who}")
        self.lines.say(f"Note: no longer asked, so removed: {'; '.join(names or warnings)}")

    # --- how do you know? -------------------------------------------------------------------------

    def ask_provenance(self, item: Item, scope: int | None, kept: bool = False) -> None:
        """The optional provenance line after a research answer: Enter accepts what it offers."""
        iv = self.interview
        answer = iv.answer_of(item.id, scope)
        assert answer is not None
        proposed = iv.proposed(item.id, scope, answer.value)
        meta = offered(answer, proposed.meta.source)
        default = not kept and proposed.source_from is None and answer.status in CHECKED
        words = meta_words(meta, source_note="the default for a new research area" if default else "")
        self._provenance_asked += 1
        if self._provenance_asked > FULL_PROVENANCE_PROMPTS:
            self.lines.say(f"How do you know? {words}.")  # by now the prompt alone says Enter accepts it
        elif self._provenance_asked > 1:
            self.lines.say(f"How do you know? {words}. Enter accepts, or type changes.")
        else:
            example = self.flow.sources[1] if len(self.flow.sources) > 1 else "PNC"
            self.lines.say(
                f"How do you know? {words}. Enter accepts it, or type changes, for example: "
                f"opinion; source {example}; nothing held; withhold: third-party information."
            )
            self.lines.say("Type help for every change you can make.")
        reminder = f"How do you know? {meta_words(meta)}."
        while True:
            typed = self.read(reminder)
            if typed.command is Command.skip or (typed.command is None and not typed.text.strip()):
                return
            if typed.command is Command.rest:
                self._rest_after(item, scope, typed.whole_person)
                return
            if typed.command is not None:
                self.move(typed, reminder)
                continue
            try:
                changed = apply_changes(meta, typed.text, self.flow.sources)
                if changed != meta:
                    iv.set_meta(item.id, scope, changed)
            except (ProvenanceError, AnswerError) as exc:
                self.error(exc.problem if isinstance(exc, AnswerError) else str(exc))
                continue
            stored = iv.answer_of(item.id, scope)
            assert stored is not None
            self.lines.say(f"Recorded: {meta_words(stored)}.")
            return

    def _rest_after(self, item: Item, scope: int | None, whole_person: bool) -> None:
        """`rest not checked` at the provenance line: accept it, then record the rest as not checked
        (if the next question is still in the same section, or person's research)."""
        iv = self.interview
        here = iv.current
        same = here is not None and iv.current_scope == scope and (
            whole_person or iv.flow.section_of(here.id) is iv.flow.section_of(item.id)
        )
        if not same:
            self.lines.say(f"Accepted. That was the last question in {iv.flow.section_of(item.id).title}.")
            return
        self._rest_not_checked(whole_person)

    # --- moving -----------------------------------------------------------------------------------

    def move(self, typed: Typed, reminder: str = "") -> None:
        """Carry out a command that moves the interview: raises answers.Moved when it did; returns
        (having said why, or said `reminder` after a review that changed nothing) when it did not."""
        iv = self.interview
        command = typed.command
        if command is Command.back:
            if not iv.can_go_back():
                self.error("this is the first question; there is nothing before it")
                return
            iv.back()
            self.lines.say("Going back one question.")
            raise answers.Moved
        if command is Command.skip:
            item = iv.current
            assert item is not None
            try:
                self._dropped(iv.skip())
            except AnswerError as exc:
                self.error(f"{exc.problem}, so this question cannot be skipped. {how_to_answer(item, brief=True)}")
                return
            research = iv.flow.is_research(item.id)
            self.lines.say("Skipped: recorded as not checked." if research else "Skipped.")
            raise answers.Moved
        if command is Command.rest:
            self._rest_not_checked(typed.whole_person)
            return
        if command is Command.review:
            from marac_tui.plain.review import Reviewer

            if Reviewer(self).run():
                raise answers.Moved
            if reminder:
                self.lines.say(reminder)
            return
        self.inform(command) if command is not None else None

    def _rest_not_checked(self, whole_person: bool) -> None:
        iv = self.interview
        item = iv.current
        assert item is not None
        section = iv.flow.section_of(item.id)
        who = iv.perpetrator_name(iv.current_scope) if iv.current_scope is not None else ""
        try:
            count = iv.rest_not_checked(whole_perpetrator=whole_person)
        except AnswerError:
            count = -1
        if iv.current is item and count <= 0:
            self.error("rest not checked is for research; this question is not research: answer it or type skip")
            return
        where = f"the rest of the research on {who}" if whole_person else f"the rest of {section.title}"
        self.lines.say(f"Recorded {count} question{'s' if count != 1 else ''} as not checked: {where}.")
        raise answers.Moved

    def _at_the_end(self) -> None:
        """Every question asked: offer the review, or going back."""
        self.lines.blank()
        self.lines.say("That is every question. Type review to see the answers and gaps, then export or finalise;")
        self.lines.say("or back to change the last answer, summary for the Chair's summary, or quit.")
        while True:
            typed = self.read("Type review, back, summary or quit.")
            if typed.command in (Command.back, Command.review):
                try:
                    self.move(typed)
                except answers.Moved:
                    return
                continue
            self.error("every question is answered: type review, back, summary or quit")

    # --- where, why ----------------------------------------------------------------------------

    def position(self) -> tuple[int, int]:
        """The current question's number and the number of questions asked, given the answers so far."""
        iv = self.interview
        order = asking_order(iv)
        here = (iv.state, iv.current_scope)
        number = order.index(here) + 1 if here in order else len(order)
        return number, len(order)

    def _where(self) -> list[str]:
        iv = self.interview
        sub = iv.submission
        answered = [a for scope in [sub.answers, *(p.answers for p in sub.perpetrators)] for a in scope.values()]
        unchecked = sum(a.status is Status.not_checked for a in answered)
        lines = []
        if iv.done:
            lines.append(f"Every question is answered: {len(answered)} answers.")
        else:
            item = iv.current
            assert item is not None
            number, total = self.position()
            section = iv.flow.section_of(item.id)
            who = f", for {iv.perpetrator_name(iv.current_scope)}" if iv.current_scope is not None else ""
            left = [k for k in asking_order(iv)[number:] if iv.flow.section_of(k[0]) is section and k[1] == iv.current_scope]
            lines.append(f"Question {number} of about {total}, in {section.title}{who}.")
            not_checked = f"{unchecked} of them not checked" if unchecked else "none marked not checked"
            lines.append(f"Done: {len(answered)} answers, {not_checked}.")
            after = f"{len(left)} more in this section after this one" if left else "this is the last in this section"
            lines.append(f"Left: about {total - number + 1} questions; {after}.")
        names = [iv.perpetrator_name(i) for i in range(len(sub.perpetrators))]
        lines.append(f"Alleged perpetrators: {'; '.join(names)}.")
        return lines

    def _guidance(self) -> str:
        iv = self.interview
        if iv.done or iv.current is None:
            return NO_GUIDANCE
        text = guidance_text(iv.flow, iv.current.id)
        return f"Why this matters: {plain_text(text)}" if text else NO_GUIDANCE


def asking_order(interview: Interview) -> list[tuple[str, int | None]]:
    """Every question asked, given the answers so far, in the order the interview asks them: the case
    items, each perpetrator's block, then any case items after it."""
    flow = interview.flow
    items = flow.all_items()
    perp = [i for i, (section, _) in enumerate(items) if section.scope == "perpetrator"]
    if not perp:
        return [(item.id, None) for _, item in items if interview.relevant(item.id, 0)]
    first, last = perp[0], perp[-1]
    order: list[tuple[str, int | None]] = [(i.id, None) for _, i in items[:first] if interview.relevant(i.id, 0)]
    for p in range(interview.perpetrator_count()):
        order += [(i.id, p) for _, i in items[first : last + 1] if interview.relevant(i.id, p)]
    order += [(i.id, None) for _, i in items[last + 1 :] if interview.relevant(i.id, 0)]
    return order
