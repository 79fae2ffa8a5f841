"""Export from the review: choose format, audience and path; the file is written in a worker.

The dialog stays open and shows the path written, or the one-line reason it was refused.
"""

from __future__ import annotations

from pathlib import Path

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Select, Static

from marac_tui.submission import Submission

FORMATS = (
    ("Word research form (.docx)", "docx"),
    ("Markdown (.md)", "md"),
    ("JSON (.json)", "json"),
    ("CSV row (.csv)", "csv"),
)
AUDIENCES = (
    ("The meeting: withheld answers left out", "meeting"),
    ("Internal: everything, with withhold reasons", "internal"),
)


def default_path(submission: Submission, fmt: str, audience: str, folder: Path | None = None) -> Path:
    """A file name that needs no user text: the submission id, audience and format."""
    return (folder or Path.cwd()) / f"marac-{str(submission.id)[:8]}-{audience}.{fmt}"


class ExportDialog(ModalScreen[Path | None]):
    """Pick a format, an audience and a path; Export writes it (never overwriting a file)."""

    BINDINGS = [Binding("escape", "close", "Close")]

    def __init__(self, submission: Submission, folder: Path | None = None) -> None:
        super().__init__()
        self.submission = submission
        self.folder = folder
        self.written: Path | None = None

    def compose(self) -> ComposeResult:
        first = default_path(self.submission, "docx", "meeting", self.folder)
        with Vertical(classes="dialog", id="export-dialog"):
            yield Static(Content("Export this submission"), classes="dialog-title")
            yield Label("Format")
            yield Select(FORMATS, value="docx", allow_blank=False, compact=True, id="export-format")
            yield Label("Audience")
            yield Select(AUDIENCES, value="meeting", allow_blank=False, compact=True, id="export-audience")
            yield Label("Save to (never overwritten)")
            yield Input(str(first), compact=True, id="export-path")
            yield Static(id="export-result")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Export", id="export-go", variant="primary", compact=True)
                yield Button("Close (esc)", id="export-close", compact=True)

    def choice(self) -> tuple[str, str]:
        fmt = self.query_one("#export-format", Select).value
        audience = self.query_one("#export-audience", Select).value
        return str(fmt), str(audience)

    @on(Select.Changed)
    def _suggest_path(self) -> None:
        """Keep the suggested name in step with the choices, unless the user typed their own."""
        path_input = self.query_one("#export-path", Input)
        suggestions = {
            str(default_path(self.submission, f, a, self.folder)) for _, f in FORMATS for _, a in AUDIENCES
        }
        if path_input.value in suggestions:
            path_input.value = str(default_path(self.submission, *self.choice(), self.folder))

    @on(Button.Pressed, "#export-go")
    @on(Input.Submitted, "#export-path")
    def _go(self) -> None:
        raw = self.query_one("#export-path", Input).value.strip()
        if not raw:
            self._show("Give a path to write to.", error=True)
            return
        fmt, audience = self.choice()
        self._show("Writing…")
        self._export(fmt, audience, Path(raw).expanduser())

    @work(thread=True, exclusive=True, group="export")
    def _export(self, fmt: str, audience: str, path: Path) -> None:
        from marac_tui.errors import UserError
        from marac_tui.export import export_submission

        try:
            written = export_submission(self.submission, fmt, audience, path, force=False)
        except (UserError, OSError, ValueError) as exc:
            message = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
            self.app.call_from_thread(self._show, f"Not written: {message}", True)
            return
        self.app.call_from_thread(self._done, written)

    def _done(self, written: Path) -> None:
        self.written = written
        self._show(f"Written: {written}")

    def _show(self, message: str, error: bool = False) -> None:
        result = self.query_one("#export-result", Static)
        result.set_class(error, "error")
        result.update(Content(message))

    @on(Button.Pressed, "#export-close")
    def action_close(self) -> None:
        self.dismiss(self.written)
