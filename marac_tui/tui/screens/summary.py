"""The Chair's summary on one screen: who, each perpetrator's risks and evidence, actions, gaps.

The text comes from the export package (the same words as the printed summary) and is shown as
plain text: nothing in it is read as markup.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Footer, Header, Static

from marac_tui.flow.spec import Flow
from marac_tui.submission import Submission


def summary_text(submission: Submission, flow: Flow | None, width: int | None = None) -> str:
    """The Chair's summary as plain text (withheld answers never quoted), wrapped at `width`."""
    from marac_tui.export.summary import WIDTH, build_summary, render_summary_text

    return render_summary_text(build_summary(submission, flow), min(width or WIDTH, WIDTH))


class SummaryScreen(Screen[None]):
    """Read-only view of what the Chair will hear; escape returns."""

    TITLE = "Chair's summary"
    BINDINGS = [Binding("escape", "close", "Back"), Binding("q", "close", "Back", show=False)]

    def __init__(self, submission: Submission, flow: Flow | None) -> None:
        super().__init__()
        self.submission = submission
        self.flow = flow

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="summary-scroll"):
            yield Static(Content(summary_text(self.submission, self.flow)), id="summary-text")
        yield Footer()

    def on_mount(self) -> None:
        from marac_tui.export.content import one_line

        self.sub_title = one_line(self.submission.case_ref, 60)
        self.query_one("#summary-scroll").focus()

    def on_resize(self) -> None:
        """Wrapped to the window (nothing cut off at 80 columns), the printed width at most."""
        width = max(40, self.query_one("#summary-scroll").scrollable_content_region.width)
        self.query_one("#summary-text", Static).update(Content(summary_text(self.submission, self.flow, width)))

    def action_close(self) -> None:
        self.dismiss(None)
