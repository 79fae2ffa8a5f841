"""Cursor blinking, off when the app asks (snapshot tests need a still screen)."""

from __future__ import annotations

from typing import Any


def quiet_cursor(widget: Any) -> None:
    """Turn off the cursor blink of an Input or TextArea when the app was built with cursor_blink=False."""
    if not getattr(widget.app, "cursor_blink", True):
        widget.cursor_blink = False
