"""The plain conversation's input and output: whole lines, each written once, never rewritten.

Nothing here moves the cursor, clears the screen or sets a colour, and everything written goes
through `safe`, so text a user typed (or a flow file holds) can never act on the terminal. Input is
read with `readline` on the stream itself (never GNU readline, which would send escape sequences);
when input is not a terminal, each line read is echoed after its prompt so a piped session reads as
a conversation.
"""

from __future__ import annotations

import signal
import threading
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType
from typing import IO, Any

from marac_tui.cli.output import safe as cli_safe

ECHO_LIMIT = 400


def safe(text: Any) -> str:
    """`text` as terminal-safe lines, by the command line's one rule (`cli.output.safe`): control
    characters (ESC and CSI start escape sequences), DEL, bidi overrides and isolates and lone
    surrogates are shown as escapes; a carriage return ends a line as a newline does."""
    return cli_safe(str(text).replace("\r\n", "\n").replace("\r", "\n"), keep_newlines=True)


def shorten(text: str, limit: int) -> str:
    """`text` cut to `limit` characters, saying how many more there are."""
    if len(text) <= limit:
        return text
    return f"{text[:limit]} … ({len(text) - limit:,} more characters)"


class EndOfInput(Exception):
    """Input ended: the end of a script, or Ctrl+D on a terminal."""


class Stopped(Exception):
    """Ctrl+C, or the terminal went away (SIGHUP, SIGTERM): leave cleanly, everything saved."""


class Lines:
    """Line-by-line input and output on two text streams (stdin and stdout by default)."""

    def __init__(self, stdin: IO[str] | None = None, stdout: IO[str] | None = None) -> None:
        self.stdin = stdin or sys.stdin
        self.stdout = stdout or sys.stdout
        for stream in (self.stdin, self.stdout):
            reconfigure = getattr(stream, "reconfigure", None)
            if reconfigure is not None:  # a bad byte is replaced, never a crash
                reconfigure(errors="replace")
        self.echo = not _isatty(self.stdin)
        self.output_gone = False
        self._busy = 0
        self._stop_pending: int | None = None

    def _write(self, text: str) -> None:
        """Write and flush; once the output has gone (the terminal closed, a pipe's reader left),
        nothing more is written and the next question ends the session as the end of input would."""
        if self.output_gone:
            return
        try:
            self.stdout.write(text)
            self.stdout.flush()
        except OSError:
            self.output_gone = True

    def say(self, *texts: Any) -> None:
        """Write each text as whole lines (a text may hold several)."""
        self._write("".join(line.rstrip() + "\n" for text in texts for line in safe(text).split("\n")))

    def blank(self) -> None:
        self._write("\n")

    def ask(self, prompt: str = "> ") -> str:
        """Write the prompt and read one line (without its line ending); EndOfInput when input ends."""
        self._write(safe(prompt))
        line = "" if self.output_gone else self.stdin.readline()
        if line == "":
            self._write("\n")  # the prompt's line is ended, as Enter would
            raise EndOfInput
        line = line.rstrip("\r\n")
        if self.echo:
            self._write(shorten(safe(line), ECHO_LIMIT).replace("\n", " ") + "\n")
        return line

    # --- stopping ---------------------------------------------------------------------------------

    @contextmanager
    def stoppable(self) -> Iterator[None]:
        """Ctrl+C, SIGTERM and SIGHUP raise Stopped, but never in the middle of a save (`busy`)."""
        if threading.current_thread() is not threading.main_thread():
            yield  # signals are only delivered to the main thread
            return
        signals = [signal.SIGINT, signal.SIGTERM, signal.SIGHUP]
        previous = {sig: signal.getsignal(sig) for sig in signals}
        for sig in signals:
            signal.signal(sig, self._on_signal)
        try:
            yield
        finally:
            for sig, handler in previous.items():
                signal.signal(sig, handler)

    def _on_signal(self, signum: int, _frame: FrameType | None) -> None:
        if self._busy:
            self._stop_pending = signum
            return
        raise Stopped(signal.Signals(signum).name)

    @contextmanager
    def busy(self) -> Iterator[None]:
        """A stretch (a save) that a stop signal waits for; the stop is raised right after it."""
        self._busy += 1
        try:
            yield
        finally:
            self._busy -= 1
        if not self._busy and self._stop_pending is not None:
            signum, self._stop_pending = self._stop_pending, None
            raise Stopped(signal.Signals(signum).name)


def _isatty(stream: IO[str]) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False
