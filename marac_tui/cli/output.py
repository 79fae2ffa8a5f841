"""Terminal-safe output: user text is data, never terminal control.

Everything the command line prints goes through `safe`: control characters (C0, DEL, C1), bidi
overrides and isolates, and lone surrogates are shown as escapes (`\\x1b`, `\\u202e`, `\\udc80`),
so a case ref holding `\\x1b[2K\\r` cannot rewrite a line and a lone surrogate cannot crash the print.
`safe_json` does the same inside JSON text, where the escapes are valid JSON.
"""

from __future__ import annotations

import re
import sys
from typing import Any, TextIO

# C0 and C1 controls, DEL, the bidi embeddings/overrides/isolates and marks, the line and paragraph
# separators, and surrogates (which cannot be encoded, so printing one would raise).
_OTHERS = "\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff"
_UNSAFE_RE = re.compile(f"[\x00-\x1f{_OTHERS}]")
_UNSAFE_BUT_NEWLINE_RE = re.compile(f"[\x00-\x09\x0b-\x1f{_OTHERS}]")


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def safe(text: Any, keep_newlines: bool = False) -> str:
    """`text` with every control character escaped; newlines kept only when asked (multi-line output)."""
    pattern = _UNSAFE_BUT_NEWLINE_RE if keep_newlines else _UNSAFE_RE
    return pattern.sub(_escape, str(text))


def safe_json(text: str) -> str:
    """JSON text (from json.dumps with ensure_ascii=False) with bidi controls and surrogates as \\u escapes.

    JSON already escapes C0 controls inside strings; what it leaves raw is escaped here, still valid
    JSON (the newlines of its indentation are kept).
    """
    return _UNSAFE_BUT_NEWLINE_RE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def say(stream: TextIO, *parts: Any) -> None:
    """Print user-facing lines (newlines between them kept, everything else escaped)."""
    print(*(safe(p, keep_newlines=True) for p in parts), file=stream)


def error_line(message: Any, prefix: str = "error") -> None:
    """The one line a refused command prints on stderr: `marac-tui: error: ...`."""
    print(f"marac-tui: {prefix}: {safe(message)}", file=sys.stderr, flush=True)


def make_streams_safe() -> None:
    """Whatever the locale, an unencodable character prints as an escape instead of raising."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            try:
                reconfigure(errors="backslashreplace")
            except (ValueError, OSError):  # a closed or detached stream: nothing to do
                pass
