"""Export from the review: choose format, audience and path; the file is written in a worker.

The file goes by default to a private exports folder in the data folder (0700; MARAC_TUI_EXPORT_DIR
chooses another), never the current directory. Its name follows the format and the audience, and a
name that says the other audience is refused, so an internal copy is never saved under a meeting
name. An existing file is only replaced after "Overwrite?" is answered yes. The dialog stays open
and shows the path written, or the one-line reason it was refused.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Select, Static

from rich.text import Text

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


EXPORT_DIR_ENV = "MARAC_TUI_EXPORT_DIR"
AUDIENCE_WORDS = {"meeting": "internal", "internal": "meeting"}  # audience: the word its name must not carry


def export_folder(data_dir: Path | None) -> Path:
    """Where exports go unless the user types another path: $MARAC_TUI_EXPORT_DIR, else `exports/` in
    the data folder (created private, 0700, when the first file is written)."""
    chosen = os.environ.get(EXPORT_DIR_ENV)
    if chosen:
        return Path(chosen).expanduser()
    return (data_dir or Path.home()) / "exports"


def default_path(submission: Submission, fmt: str, audience: str, folder: Path) -> Path:
    """A file name that needs no user text: the submission id, audience and format."""
    return folder / f"marac-{str(submission.id)[:8]}-{audience}.{fmt}"


def follow_choice(path: Path, fmt: str, audience: str) -> Path:
    """The same file with the format's suffix and the audience in its name: 'MC-0142-meeting.docx'
    becomes 'MC-0142-internal.md' for an internal Markdown copy; a name without an audience gets one."""
    stem = path.name
    if stem.lower().endswith(tuple(f".{f}" for _, f in FORMATS)):
        stem = stem.rsplit(".", 1)[0]
    if stem.lower() in AUDIENCE_WORDS:  # the name is just an audience: 'meeting.md'
        return path.with_name(f"{audience}.{fmt}")
    stem = re.sub(r"[-_ ](meeting|internal)$", "", stem, flags=re.IGNORECASE)
    return path.with_name(f"{stem}-{audience}.{fmt}")


def wrong_audience(path: Path, audience: str) -> bool:
    """Whether the file's name says the other audience (an internal copy named '...-meeting...')."""
    return re.search(rf"(?<![a-z]){AUDIENCE_WORDS[audience]}(?![a-z])", path.name, re.IGNORECASE) is not None


def make_private_folder(folder: Path) -> None:
    """Create the exports folder 0700 whatever the umask (an existing folder is left as it is)."""
    if not folder.exists():
        folder.mkdir(parents=True, mode=0o700)
        os.chmod(folder, 0o700)


class ExportDialog(ModalScreen[Path | None]):
    """Pick a format, an audience and a path; Export writes it (never overwriting a file)."""

    BINDINGS = [Binding("escape", "close", "Close")]

    def __init__(self, submission: Submission, folder: Path) -> None:
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
            yield Label("Save to (the name follows the format and the audience)")
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
    def _follow_choices(self) -> None:
        """Keep the file name in step with the format and the audience, typed or suggested."""
        path_input = self.query_one("#export-path", Input)
        typed = path_input.value.strip()
        fmt, audience = self.choice()
        if not typed:
            path_input.value = str(default_path(self.submission, fmt, audience, self.folder))
        else:
            path_input.value = str(follow_choice(Path(typed).expanduser(), fmt, audience))

    @on(Button.Pressed, "#export-go")
    @on(Input.Submitted, "#export-path")
    def _go(self) -> None:
        raw = self.query_one("#export-path", Input).value.strip()
        if not raw:
            self._show("Give a path to write to.", error=True)
            return
        fmt, audience = self.choice()
        path = Path(raw).expanduser()
        if wrong_audience(path, audience):
            other = AUDIENCE_WORDS[audience]
            self._show(f"Not written: the name says {other!r} but this is the {audience} copy; "
                       f"change the name or the audience.", error=True)  # fmt: skip
            return
        if path.is_file():
            from marac_tui.tui.screens.ask import AskScreen

            question = Text("Overwrite ")
            question.append(str(path))
            question.append("?")
            detail = Text("The file there now is replaced by this export.")
            self.app.push_screen(AskScreen(question, "Yes, overwrite (y)", "No, keep it (n)", detail),
                                 lambda yes: self._overwrite(yes, fmt, audience, path))  # fmt: skip
            return
        self._show("Writing…")
        self._export(fmt, audience, path, False)

    def _overwrite(self, yes: bool | None, fmt: str, audience: str, path: Path) -> None:
        if not yes:
            self._show(f"Not written: {path} is kept as it was.", error=True)
            return
        self._show("Writing…")
        self._export(fmt, audience, path, True)

    @work(thread=True, exclusive=True, group="export")
    def _export(self, fmt: str, audience: str, path: Path, force: bool) -> None:
        from marac_tui.errors import UserError
        from marac_tui.export import export_submission

        try:
            if path.parent == self.folder:
                make_private_folder(self.folder)
            written = export_submission(self.submission, fmt, audience, path, force=force)
        except (UserError, OSError, ValueError) as exc:
            message = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
            if path.exists() and not force:  # appeared meanwhile: ask, as for any existing file
                message = f"{path} appeared meanwhile; press Export again to choose whether to overwrite it"
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
