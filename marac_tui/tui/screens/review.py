"""The review: every answer by section, gaps highlighted, edit in place, export and finalise.

Selecting an answer dismisses the screen with (item id, perpetrator index) so the interview jumps
there; the index is None for a case item. Escape dismisses with None.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen, Screen
from textual.widgets import Button, Footer, Header, OptionList, Static
from textual.widgets.option_list import Option

from marac_tui.engine.interview import Interview
from marac_tui.export.content import one_line
from marac_tui.submission import SubmissionState
from marac_tui.tui.screens.review_rows import Row, gap_counts, gap_summary, review_rows

if TYPE_CHECKING:
    from marac_tui.store import Store

Key = tuple[str, int | None]


def practice_findings(interview: Interview) -> tuple[list[Any], str | None]:
    """The practice-check findings, or why the check could not run (e.g. a trainer's broken word list)."""
    from marac_tui.training.check import practice_check

    try:
        return practice_check(interview.submission, interview.flow), None
    except Exception as exc:  # noqa: BLE001 - advice must never stop the review
        return [], f"Practice check unavailable: {str(exc).splitlines()[0] if str(exc) else type(exc).__name__}"


class ConfirmFinalise(ModalScreen[bool]):
    """Ask before locking a submission; says how many gaps remain."""

    BINDINGS = [Binding("escape", "dismiss(False)", "Cancel"), Binding("y", "dismiss(True)", "Finalise")]
    AUTO_FOCUS = "#cancel"  # Enter alone must not lock the submission

    def __init__(self, gaps: int) -> None:
        super().__init__()
        self.gaps = gaps

    def compose(self) -> ComposeResult:
        remaining = {0: "No gaps remain. ", 1: "1 gap remains (see the review). "}.get(
            self.gaps, f"{self.gaps} gaps remain (see the review). "
        )
        with Vertical(classes="dialog"):
            yield Static(Content("Finalise this submission?"), classes="dialog-title")
            yield Static(
                Content(
                    f"{remaining}Finalising locks the submission against changes; "
                    "reopening it later needs a recorded reason."
                )
            )
            with Horizontal(classes="dialog-buttons"):
                yield Button("Finalise (y)", id="confirm", variant="warning", compact=True)
                yield Button("Cancel (esc)", id="cancel", compact=True)

    @on(Button.Pressed, "#confirm")
    def _confirm(self) -> None:
        self.dismiss(True)

    @on(Button.Pressed, "#cancel")
    def _cancel(self) -> None:
        self.dismiss(False)


class ReviewScreen(Screen[Key | None]):
    """All answers with their provenance and gaps; pick one to change it."""

    TITLE = "Review"
    BINDINGS = [
        Binding("escape", "back", "Back to interview"),
        Binding("n", "next_gap", "Next gap"),
        Binding("c", "summary", "Chair's summary"),
        Binding("x", "export", "Export"),
        Binding("f", "finalise", "Finalise"),
    ]
    COMMAND_NAMES = {"back": ("Back to the interview", "Close the review and carry on where you were")}

    def __init__(self, interview: Interview, store: Store) -> None:
        super().__init__()
        self.interview = interview
        self.store = store
        self.rows: list[Row] = []
        self.note: str | None = None

    @property
    def submission(self):  # noqa: ANN201 - the interview's Submission
        return self.interview.submission

    @property
    def finalised(self) -> bool:
        return self.submission.state is SubmissionState.finalised

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="review-status")
        yield OptionList(id="review-list")
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = one_line(self.submission.case_ref, 60)
        self.refresh_rows()
        self.query_one(OptionList).focus()

    def refresh_rows(self) -> None:
        """Rebuild the list from the interview (after a finalise, or on mount)."""
        findings, self.note = practice_findings(self.interview)
        self.rows = review_rows(self.interview, findings)
        options = [
            Option(row.prompt, id=None if row.heading else f"row-{n}", disabled=row.heading)
            for n, row in enumerate(self.rows)
        ]
        if self.note:
            options.append(Option(Content.styled(self.note, "italic $text-muted"), disabled=True))
        listing = self.query_one(OptionList)
        listing.clear_options()
        listing.add_options(options)
        state = "FINALISED · read only" if self.finalised else "Draft"
        if self.submission.training:
            state = f"Training run, fictional case ({one_line(self.submission.training, 40)}) · {state}"
        status = Content.assemble((f"{state} · ", "bold"), gap_summary(self.rows))
        self.query_one("#review-status", Static).update(status)

    def row_of(self, option: Option) -> Row | None:
        if option.id is None or not option.id.startswith("row-"):
            return None
        return self.rows[int(option.id.removeprefix("row-"))]

    @on(OptionList.OptionSelected, "#review-list")
    def _edit(self, event: OptionList.OptionSelected) -> None:
        row = self.row_of(event.option)
        if row is None or row.key is None:
            return
        if self.finalised:
            self.notify("This submission is finalised and read only.", severity="warning")
            return
        self.dismiss(row.key)

    def action_back(self) -> None:
        self.dismiss(None)

    def action_next_gap(self) -> None:
        """Move the highlight to the next row with a gap (wrapping round)."""
        listing = self.query_one(OptionList)
        start = listing.highlighted if listing.highlighted is not None else -1
        count = listing.option_count
        for step in range(1, count + 1):
            index = (start + step) % count
            row = self.row_of(listing.get_option_at_index(index))
            if row is not None and row.gaps:
                listing.highlighted = index
                return
        self.notify("No gaps left.")

    def action_summary(self) -> None:
        from marac_tui.tui.screens.summary import SummaryScreen

        self.app.push_screen(SummaryScreen(self.submission, self.interview.flow))

    def action_export(self) -> None:
        from marac_tui.tui.screens.export_dialog import ExportDialog

        self.app.push_screen(ExportDialog(self.submission))

    def action_finalise(self) -> None:
        if self.finalised:
            self.notify("Already finalised.")
            return
        gaps = sum(gap_counts(self.rows).values())
        self.app.push_screen(ConfirmFinalise(gaps), self._finalise_confirmed)

    def _finalise_confirmed(self, confirmed: bool | None) -> None:
        if confirmed:
            self._finalise()

    @work(thread=True, exclusive=True, group="finalise")
    def _finalise(self) -> None:
        sid = str(self.submission.id)
        try:
            for saver in self._autosavers():
                saver.flush()  # queued autosaves first, so nothing is refused once it is locked
            self.store.save(self.submission)
            saved = self.store.finalise(sid)
        except Exception as exc:  # noqa: BLE001 - shown to the user as one line; nothing is lost
            message = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
            self.app.call_from_thread(self.notify, f"Not finalised: {message}", severity="error", markup=False)
            return
        self.app.call_from_thread(self._finalised, saved)

    def _autosavers(self) -> list[Any]:
        """The autosave queues of screens editing this same interview (the interview screen has one)."""
        return [
            screen.autosaver
            for screen in self.app.screen_stack
            if getattr(screen, "interview", None) is self.interview and hasattr(screen, "autosaver")
        ]

    def _finalised(self, saved: Any) -> None:
        self.submission.state = saved.state
        self.submission.updated_at = saved.updated_at
        self.refresh_rows()
        self.notify("Finalised: the submission is locked against changes.")
