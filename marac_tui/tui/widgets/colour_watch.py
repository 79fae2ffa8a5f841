"""For widgets that draw their lines once and keep them (the transcript, the submissions table)."""

from __future__ import annotations

from typing import Any


class RedrawOnColourChange:
    """Redraw the kept lines when the widget's colours change (a theme switch, focus for some).

    Textual applies styles again often, mostly with nothing changed, so the colours the lines were
    drawn in (`_colours`) are compared with the current ones (`_styles()`) first. Mix in before the
    Textual widget class; the widget provides `_colours`, `_styles` and `_redraw`.
    """

    _colours: tuple[Any, ...]

    def notify_style_update(self) -> None:
        super().notify_style_update()  # type: ignore[misc]
        if self.is_mounted:  # type: ignore[attr-defined]
            self.call_later(self._restyle)  # type: ignore[attr-defined]

    def _restyle(self) -> None:
        if self._styles() != self._colours:
            self._redraw()

    def _styles(self) -> tuple[Any, ...]:
        raise NotImplementedError

    def _redraw(self) -> None:
        raise NotImplementedError
