"""User text shown literally: never parsed as markup, control characters made visible, huge values cut."""

from __future__ import annotations

from rich.text import Text

DISPLAY_LIMIT = 2000


def clean(text: str) -> str:
    """Make control characters (ANSI escapes, bells…) visible instead of letting them act."""
    if text.isprintable():
        return text
    out = []
    for char in text:
        if char in "\n\t" or char.isprintable():
            out.append(char)
        else:
            out.append(f"\\x{ord(char):02x}" if ord(char) < 0x100 else f"\\u{ord(char):04x}")
    return "".join(out)


def literal(text: object, limit: int | None = DISPLAY_LIMIT, style: str = "") -> Text:
    """A rich Text of `text` exactly as typed (up to `limit` characters, with a note of the rest)."""
    value = str(text)
    extra = 0
    if limit is not None and len(value) > limit:
        extra = len(value) - limit
        value = value[:limit]
    result = Text(clean(value), style=style)
    if extra:
        result.append(f" … ({extra:,} more characters)", style="italic dim")
    return result


def one_line(text: object, limit: int = 60) -> Text:
    """A single line for tables and lists: newlines folded, long values ellipsised."""
    value = " ".join(str(text).split())
    if len(value) > limit:
        value = value[: limit - 1] + "…"
    return Text(clean(value))
