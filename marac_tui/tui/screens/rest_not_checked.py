"""'Rest not checked': the confirmation before the rest of a research area, or the rest of one person's
research, is recorded as not checked in one go (each item then keeps no source or date, and shows
as a gap in the review and the Chair's summary).
"""

from __future__ import annotations

from dataclasses import dataclass

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from marac_tui.engine.interview import Interview
from marac_tui.export.content import one_line

SECTION, PERSON = "section", "person"


@dataclass(frozen=True)
class RestCounts:
    """How many items each choice would record as not checked, and what it is called."""

    section: int
    section_title: str
    person: int | None  # None: a case item, no person's research to pass over
    who: str


def rest_counts(interview: Interview) -> RestCounts:
    """Count, on a copy, what `rest_not_checked` would record: nothing changes in `interview`."""
    item = interview.current
    assert item is not None
    scope = interview.current_scope

    def count(whole: bool) -> int:
        copy = Interview(interview.flow, interview.submission.model_copy(deep=True), prefill=False)
        return copy.rest_not_checked(whole_perpetrator=whole)

    title = interview.flow.section_of(item.id).title
    who = "" if scope is None else interview.perpetrator_name(scope)
    return RestCounts(count(False), title, None if scope is None else count(True), who)


def items(n: int) -> str:
    return "1 item" if n == 1 else f"{n} items"


class RestNotCheckedScreen(ModalScreen[str | None]):
    """Which rest to record as not checked: this research area (s) or this person's research (p).
    Cancel has the focus, so Enter alone records nothing. Dismisses with SECTION, PERSON or None."""

    BINDINGS = [
        Binding("escape", "dismiss(None)", "Cancel"),
        Binding("s", "choose('section')", "Rest of this area"),
        Binding("p", "choose('person')", "Rest of this person"),
    ]
    AUTO_FOCUS = "#rest-cancel"

    def __init__(self, counts: RestCounts) -> None:
        super().__init__(classes="rest-not-checked")
        self.counts = counts

    def compose(self) -> ComposeResult:
        counts = self.counts
        with Vertical(classes="dialog", id="rest-dialog"):
            yield Static(Content("Record the rest as not checked?"), classes="dialog-title")
            yield Static(Content(
                "Each item is recorded as not checked: no source, no date, nothing claimed. The review and "
                "the Chair's summary list them as gaps; answers already given are kept. You can still go "
                "back to any of them."))  # fmt: skip
            yield Button(f"s  The rest of {one_line(counts.section_title, 60)} ({items(counts.section)})",
                         id="rest-section", compact=True)  # fmt: skip
            if counts.person is not None:
                yield Button(f"p  All of {one_line(counts.who, 40)}'s remaining research ({items(counts.person)})",
                             id="rest-person", compact=True)  # fmt: skip
            yield Button("Esc  Cancel", id="rest-cancel", variant="primary", compact=True)

    def action_choose(self, which: str) -> None:
        if which == PERSON and self.counts.person is None:
            return
        self.dismiss(which)

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        event.stop()
        chosen = {"rest-section": SECTION, "rest-person": PERSON}.get(event.button.id or "")
        self.dismiss(chosen)
