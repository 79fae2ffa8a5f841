"""A Footer that rebuilds only when the keys it shows change.

Textual's Footer recomposes on every focus change; in the interview focus moves at every answer, so
that rebuild would cost more than the answer itself. The keys shown are the screen's own (constant);
each answer input lists its keys in its own hint line.
"""

from __future__ import annotations

from typing import Any

from textual.screen import Screen
from textual.widgets import Footer


class SteadyFooter(Footer):
    """Footer that skips the rebuild when the shown bindings are the same as last time."""

    _shown: tuple[Any, ...] | None = None

    def _signature(self, screen: Screen) -> tuple[Any, ...]:
        return tuple(
            (binding.key, binding.action, binding.description, enabled, tooltip)
            for (_, binding, enabled, tooltip) in screen.active_bindings.values()
            if binding.show
        )

    def bindings_changed(self, screen: Screen) -> None:
        if self.is_attached and screen is self.screen and self._bindings_ready:
            signature = self._signature(screen)
            if signature == self._shown:
                return
            self._shown = signature
        super().bindings_changed(screen)
