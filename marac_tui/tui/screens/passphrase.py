"""The passphrase prompt for an encrypted store, shown before anything is read."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from marac_tui.tui.widgets.cursor import quiet_cursor
from marac_tui.tui.widgets.literal import literal


class PassphraseScreen(ModalScreen[Any]):
    """Ask for the store's passphrase; dismisses with the opened Store, or None on Escape."""

    BINDINGS = [Binding("escape", "dismiss(None)", "Quit")]

    def __init__(self, root: Path | None) -> None:
        super().__init__()
        self.root = root

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static("This store is encrypted", classes="dialog-title")
            yield Static(literal(f"Passphrase for {self.root}", 300))
            yield Input(password=True, placeholder="Passphrase", id="passphrase")
            yield Static("", id="passphrase-error", classes="answer-error")
            yield Static("Enter to unlock · Esc to quit", classes="keys")

    def on_mount(self) -> None:
        box = self.query_one(Input)
        quiet_cursor(box)
        box.focus()

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        if not event.value:
            return
        event.input.disabled = True
        self.query_one("#passphrase-error", Static).update(Text("Checking…"))
        self._unlock(event.value)

    @work(thread=True, exclusive=True)
    def _unlock(self, passphrase: str) -> None:
        """Derive the key off the UI thread (scrypt is deliberately slow)."""
        from marac_tui.store import Store

        try:
            store = Store(self.root, passphrase=passphrase)  # type: ignore[arg-type]
        except Exception as exc:  # noqa: BLE001 - wrong passphrase or a damaged config: one line
            self.app.call_from_thread(self._failed, str(exc))
            return
        self.app.call_from_thread(self.dismiss, store)

    def _failed(self, message: str) -> None:
        self.query_one("#passphrase-error", Static).update(literal(message, 300, style="bold"))
        box = self.query_one(Input)
        box.disabled = False
        box.value = ""
        box.focus()
