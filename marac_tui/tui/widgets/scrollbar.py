"""Scrollbars drawn straight to strips.

Textual draws a scrollbar through a Rich render pass, which costs a couple of milliseconds a frame,
and the transcript's and the sidebar's scrollbars move with every answer. This renderer keeps
Textual's glyphs, colours and mouse behaviour (`ScrollBarRender.render_bar`) and skips the pass.
It is set on the scrollbars of the app's own scrolling widgets (`strip_scrollbars`), Textual's
documented per-instance way: nothing outside marac-tui's widgets, in this process or another app,
changes. Other widgets keep Textual's renderer, which draws the same glyphs in the same colours.
"""

from __future__ import annotations

from rich.color import Color
from rich.style import Style as RichStyle
from textual.css.styles import RulesMap
from textual.scrollbar import ScrollBar, ScrollBarRender
from textual.strip import Strip
from textual.style import Style
from textual.visual import RenderOptions, Visual
from textual.widget import Widget


class StripScrollBarRender(ScrollBarRender):
    """A `ScrollBarRender` that Textual can use as a Visual (see `visualize`)."""

    def visualize(self) -> Visual:
        return _ScrollBarVisual(self)


class _ScrollBarVisual(Visual):
    def __init__(self, bar: ScrollBarRender) -> None:
        self.bar = bar

    def get_optimal_width(self, rules: RulesMap, container_width: int) -> int:
        return container_width

    def get_height(self, rules: RulesMap, width: int) -> int:
        return 1

    def render_strips(self, width: int, height: int | None, style: Style, options: RenderOptions) -> list[Strip]:
        bar = self.bar
        size = (height or 1) if bar.vertical else width
        thickness = width if bar.vertical else (height or 1)
        colours = bar.style if isinstance(bar.style, RichStyle) else RichStyle.parse(str(bar.style))
        drawn = bar.render_bar(
            size=size,
            virtual_size=bar.virtual_size,
            window_size=bar.window_size,
            position=bar.position,
            thickness=thickness,
            vertical=bar.vertical,
            back_color=colours.bgcolor or Color.parse("#555555"),
            bar_color=colours.color or Color.parse("bright_magenta"),
        )
        if bar.vertical:
            return [Strip([segment], thickness) for segment in drawn.segments]
        line = [segment for segment in drawn.segments if segment.text != "\n"][:size]
        return [Strip(line, width)] * thickness


def strip_scrollbars(widget: Widget, horizontal: bool = False) -> None:
    """Draw `widget`'s vertical scrollbar (and its horizontal one, if asked) with `StripScrollBarRender`."""
    bars: list[ScrollBar] = [widget.vertical_scrollbar, widget.horizontal_scrollbar] if horizontal else [widget.vertical_scrollbar]
    for bar in bars:
        bar.renderer = StripScrollBarRender  # type: ignore[misc]

