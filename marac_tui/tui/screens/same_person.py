"""'May appear in other cases': the interview's quiet notice, and carrying research forward.

Once a perpetrator's name and date of birth are both entered (or change), the store's index is
searched in a worker for the same person in other cases. If any turn up, a notice says so once
("may appear in 2 other cases: …"), naming a repeat MARAC within 12 months. F5 lists every match
with why it was made; Enter on one carries that research forward into this submission: each carried
answer is marked "carried forward from MC-…, re-check" and stays not checked until confirmed.
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import partial
from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from marac_tui.tui.widgets.literal import clean

KEYS = {"full_name", "date_of_birth", "aliases"}
REPEAT_WITHIN = timedelta(days=365)


def _when(marac_date: date | None, today: date | None) -> str:
    when = f"{marac_date:%d %b %Y}" if marac_date else "no MARAC date"
    if today is not None and marac_date is not None and timedelta(0) <= today - marac_date <= REPEAT_WITHIN:
        when += ", within 12 months: a repeat MARAC?"
    return when


def _case_line(found: Any, today: date | None) -> str:
    return f"{found.case_ref or '(no case ref)'} ({found.agency}, {_when(found.marac_date, today)})"


def notice_text(name: str, found: list[Any], own_case: str | None, meeting: date | None) -> str | None:
    """'Dallas Harrow may appear in 2 other cases: …', or None when there are no other cases."""
    others: dict[str, list[Any]] = {}
    for f in found:
        key = (f.case_ref or "").strip().casefold()
        if key != (own_case or "").strip().casefold():
            others.setdefault(key, []).append(f)
    if not others:
        return None
    today = meeting or date.today()
    cases = "; ".join(
        f"{group[0].case_ref or '(no case ref)'} ({', '.join(sorted({f.agency for f in group}))}; "
        f"{_when(max((f.marac_date for f in group if f.marac_date), default=None), today)})"
        for group in others.values()
    )
    count = f"{len(others)} other case{'s' if len(others) != 1 else ''}"
    return f"{name} may appear in {count}: {cases}. F5 to see why, and to carry that research forward."


class SamePersonScreen(ModalScreen[Any]):
    """The matches for one perpetrator; Enter carries the chosen one's research forward."""

    BINDINGS = [Binding("escape", "dismiss(None)", "Close")]

    def __init__(self, name: str, found: list[Any], meeting: date | None) -> None:
        super().__init__(classes="chooser")
        self.person = name
        self.found = found
        self.meeting = meeting

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(Text(clean(f"{self.person} may be the same person as:")), classes="dialog-title")
            options = []
            for n, f in enumerate(self.found):
                line = Text(clean(_case_line(f, self.meeting or date.today())), style="bold")
                line.append(clean(f"\n  {f.other_name} — why: {', '.join(f.match.reasons)}"))
                options.append(Option(line, id=str(n)))
            yield OptionList(*options, id="same-person-list")
            yield Static("Enter carries that research forward: each answer is marked 'carried forward from …, "
                         "re-check' and stays not checked until you confirm it · Esc to close", classes="keys",
                         markup=False)  # fmt: skip

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(self.found[int(event.option.id or 0)])


class SamePersonWatch:
    """The interview screen's hook: `changed` after each change, `open` for F5."""

    def __init__(self, screen: Any) -> None:
        self.screen = screen
        self.found: dict[int, list[Any]] = {}
        self._said: dict[int, str] = {}

    @property
    def interview(self) -> Any:
        return self.screen.interview

    def changed(self, changes: list[Any]) -> None:
        if self.screen.read_only:
            return
        for index in {c.perpetrator for c in changes if c.item in KEYS and c.perpetrator is not None}:
            answers = self.interview.submission.perpetrators[index].answers if index < len(
                self.interview.submission.perpetrators) else {}  # fmt: skip
            if all(answers.get(k) is not None and answers[k].value for k in ("full_name", "date_of_birth")):
                # once the next prompt is painted: the search's Python work would share the GIL with that frame
                self.screen.after_paint.later(partial(self._start_search, index))

    def _start_search(self, index: int) -> None:
        snapshot = self.interview.submission.model_copy(deep=True)
        self.screen.run_worker(partial(self._search, index, snapshot), thread=True, group="same-person",
                               exit_on_error=False)  # fmt: skip

    def _search(self, index: int, submission: Any) -> None:
        from marac_tui.pack.same_person import find_elsewhere

        found = [f for f in find_elsewhere(self.screen.store, submission) if f.perpetrator == index]
        self.screen.app.call_from_thread(self._found, index, found)

    def _found(self, index: int, found: list[Any]) -> None:
        self.found[index] = found
        submission = self.interview.submission
        name = self.interview.perpetrator_name(index)
        text = notice_text(name, found, submission.header.case_ref, submission.header.marac_date)
        if text is not None and self._said.get(index) != text:
            self._said[index] = text
            self.screen.notify(text, title="Same person?", timeout=12, markup=False)

    def open(self) -> None:
        index = self.interview.perpetrator
        found = self.found.get(index, [])
        name = self.interview.perpetrator_name(index)
        if not found:
            self.screen.notify(f"No other submission in the store appears to hold {name} (searched once the name and "
                               "date of birth are entered).", markup=False)  # fmt: skip
            return
        meeting = self.interview.submission.header.marac_date
        self.screen.app.push_screen(SamePersonScreen(name, found, meeting), partial(self._carry, index))

    def _carry(self, index: int, found: Any) -> None:
        from marac_tui.export.content import flow_for
        from marac_tui.pack.carry import carry_forward

        if found is None or self.screen.read_only:
            return
        interview = self.interview
        try:
            source = self.screen.store.load(found.submission_id)
        except Exception as exc:  # noqa: BLE001 - deleted or damaged since: shown
            self.screen.notify(str(exc), title="Cannot carry forward", severity="error", markup=False)
            return
        changes = carry_forward(interview.flow, interview.submission, index, source, found.other_perpetrator,
                                flow_for(source))  # fmt: skip
        if not changes:
            self.screen.notify("Nothing to carry forward: every item it holds is already answered here.", markup=False)
            return
        interview.submission.perpetrators[index].risks = interview.compute_risks(index)
        if interview.on_change is not None:
            interview.on_change(interview, changes)
        from marac_tui.tui.widgets.progress import ProgressSidebar

        self.screen.query_one(ProgressSidebar).show(interview)
        if interview.current_scope == index and any(c.item == interview.state for c in changes):
            self.screen.call_later(self.screen.action_jump_to, interview.state, index)  # ask it again, filled in
        case = clean(source.header.case_ref or found.submission_id[:8])
        self.screen.notify(f"Carried forward {len(changes)} answer{'s' if len(changes) != 1 else ''} from {case}: "
                           "each is marked to re-check, and stays not checked until you confirm it.",
                           title="Carried forward", markup=False)  # fmt: skip
