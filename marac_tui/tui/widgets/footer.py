"""The key line at the foot of the home and interview screens: one widget, repainted only when the
keys it shows change.

Textual's Footer builds a widget per key and rebuilds them on every focus change; in the interview
focus moves at every answer, and that rebuild (and the styling of each key widget) cost more than the
answer itself, and a sixth of start-up. This draws the same keys, styled by the same theme
variables, as one line of text. A click on a key presses it, as in Textual's Footer.
"""

from __future__ import annotations

from typing import Any

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style as RichStyle
from textual import events
from textual.screen import Screen
from textual.strip import Strip
from textual.widget import Widget


class SteadyFooter(Widget, can_focus=False):
    """The screen's shown bindings (one per action) and, on the right, the command palette key."""

    ALLOW_SELECT = False
    COMPONENT_CLASSES = {"footer-key--key", "footer-key--description"}
    DEFAULT_CSS = """
    SteadyFooter {
        dock: bottom;
        height: 1;
        color: $footer-foreground;
        background: $footer-background;
        .footer-key--key {
            color: $footer-key-foreground;
            background: $footer-key-background;
            text-style: bold;
        }
        .footer-key--description {
            color: $footer-description-foreground;
            background: $footer-description-background;
        }
    }
    """

    def __init__(self) -> None:
        super().__init__()
        self._shown: tuple[Any, ...] = ()
        self._spans: list[tuple[int, int, str]] = []  # (start, end, key) of each key drawn

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def _keys(self, screen: Screen) -> tuple[tuple[str, str, str, bool], ...]:
        """(key, key display, description, enabled) of each shown binding, the first key per action."""
        keys: dict[str, tuple[str, str, str, bool]] = {}
        for active in screen.active_bindings.values():
            binding = active.binding
            if binding.show and binding.action not in keys:
                keys[binding.action] = (binding.key, self.app.get_key_display(binding), binding.description, active.enabled)
        return tuple(keys.values())

    def _palette_key(self, screen: Screen) -> tuple[str, str, str, bool] | None:
        if not self.app.ENABLE_COMMAND_PALETTE:
            return None
        found = screen.active_bindings.get(self.app.COMMAND_PALETTE_BINDING)
        if found is None:
            return None
        binding = found.binding
        return (binding.key, self.app.get_key_display(binding), binding.description, found.enabled)

    def _bindings_changed(self, screen: Screen) -> None:
        if screen is not self.screen:
            return
        shown = (self._keys(screen), self._palette_key(screen))
        if shown != self._shown:
            self._shown = shown
            self.refresh()

    def render_line(self, y: int) -> Strip:
        """The keys as one line of segments (drawn directly: converting styled text costs more)."""
        if y:
            return Strip.blank(self.size.width, self.rich_style)
        if not self._shown:
            self._shown = (self._keys(self.screen), self._palette_key(self.screen))
        keys, palette = self._shown
        base = self.rich_style
        key_style = base + self.get_component_rich_style("footer-key--key")
        description_style = base + self.get_component_rich_style("footer-key--description")
        dim = RichStyle(dim=True)
        segments: list[Segment] = []
        width = 0
        self._spans = []

        def add(text: str, style: RichStyle) -> None:
            nonlocal width
            segments.append(Segment(text, style))
            width += cell_len(text)

        def draw(key: tuple[str, str, str, bool]) -> None:
            name, display, description, enabled = key
            start = width
            add(f" {display} ", key_style if enabled else key_style + dim)
            if description:
                add(f"{description} ", description_style if enabled else description_style + dim)
            self._spans.append((start, width, name))

        for key in self._fitting(keys, palette):
            draw(key)
        if palette is not None:  # docked right, after a thin rule, as in Textual's Footer
            gap = self.size.width - width - cell_len(f"▏{palette[1]} {palette[2]} ")
            if gap > 0:
                add(" " * gap, base)
                add("▏", base + dim)
                start = width
                add(palette[1], key_style)
                add(f" {palette[2]} ", description_style)
                self._spans.append((start, width, palette[0]))
        return Strip(segments, width).crop_extend(0, self.size.width, base)

    def _fitting(self, keys: tuple[Any, ...], palette: Any) -> tuple[Any, ...]:
        """The keys that fit beside the palette key; in a narrow window the last one (help) stays and
        the ones before it give way, so help and the palette are always on screen."""
        room = self.size.width - (cell_len(f" ▏{palette[1]} {palette[2]} ") if palette else 0)

        def width(shown: tuple[Any, ...]) -> int:
            return sum(cell_len(f" {k[1]} {k[2]} ") if k[2] else cell_len(f" {k[1]} ") for k in shown)

        shown = keys
        while len(shown) > 1 and width(shown) > room:
            shown = (*shown[:-2], shown[-1])
        return shown

    def on_mouse_down(self, event: events.MouseDown) -> None:
        for start, end, key in self._spans:
            if start <= event.x < end:
                self.app.simulate_key(key)
                return
