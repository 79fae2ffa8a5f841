"""A yes/no question in a dialog (overwrite a file? withhold the parent answer too?): y or n, the safe
answer (No) has the focus, Esc is No."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static


class AskScreen(ModalScreen[bool]):
    """Dismisses True for yes (y, or the Yes button), False for no (n, Esc, Enter on the focused No)."""

    BINDINGS = [Binding("escape,n", "dismiss(False)", "No"), Binding("y", "dismiss(True)", "Yes")]
    AUTO_FOCUS = "#ask-no"

    def __init__(self, question: Text, yes: str, no: str, detail: Text | None = None) -> None:
        super().__init__(classes="ask")
        self.question = question
        self.detail = detail
        self.labels = (yes, no)

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="ask-dialog"):
            yield Static(self.question, classes="dialog-title")
            if self.detail is not None:
                yield Static(self.detail)
            with Horizontal(classes="dialog-buttons"):
                yield Button(self.labels[0], id="ask-yes", variant="warning", compact=True)
                yield Button(self.labels[1], id="ask-no", variant="primary", compact=True)

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(event.button.id == "ask-yes")
