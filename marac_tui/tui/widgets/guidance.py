"""'Why this matters': the guidance for the current item, from prompts/ (trusted Markdown)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Markdown, Static

from marac_tui.flow.loader import guidance_text
from marac_tui.flow.spec import Flow

NO_GUIDANCE = "_There is no guidance written for this question yet._"


class GuidancePanel(VerticalScroll):
    """A side panel that follows the current item; toggled with F2 or g."""

    can_focus = False

    def __init__(self, flow: Flow, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.flow = flow
        self._shown: str | None = None

    def compose(self) -> ComposeResult:
        yield Static("Why this matters", classes="panel-title")
        yield Markdown("", id="guidance-text")

    def show_item(self, item_id: str | None) -> None:
        """Show the guidance for `item_id` (only reloads when the text changes)."""
        text = NO_GUIDANCE if item_id is None else (guidance_text(self.flow, item_id) or NO_GUIDANCE)
        if text != self._shown:
            self._shown = text
            self.query_one("#guidance-text", Markdown).update(text)
            self.scroll_home(animate=False)
