"""The area under the conversation where the current question is answered.

The inputs for the simple kinds are mounted once and loaded with each new item, so moving to the next
question adds no widgets; an editor (repeat group, actions) or a note is mounted for its moment and
removed after it.
"""

from __future__ import annotations

from typing import Any

from textual.containers import VerticalScroll
from textual.widget import Widget

from marac_tui.flow.spec import Item
from marac_tui.tui.widgets.answers import AnswerInput


class AnswerArea(VerticalScroll):
    """Shows one input (or editor, or note) at a time."""

    TALL = "75%"  # editors get more room than the stylesheet's max-height

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._inputs: dict[type[AnswerInput], AnswerInput] = {}

    async def show_input(self, kind: type[AnswerInput], item: Item, value: Any) -> AnswerInput:
        """The reusable input of `kind`, loaded with `item` (mounted the first time it is needed)."""
        await self._clear_others()
        widget = self._inputs.get(kind)
        if widget is None:
            widget = self._inputs[kind] = kind(item, value)
            await self.mount(widget)
        else:
            widget.load(item, value)
        self._only(widget, tall=kind.TALL)
        return widget

    async def show(self, widget: Widget, *, tall: bool = False) -> None:
        """A widget made for this moment, in place of the reusable inputs."""
        await self._clear_others()
        self._only(None, tall=tall)
        await self.mount(widget)

    def _only(self, shown: AnswerInput | None, *, tall: bool) -> None:
        for widget in self._inputs.values():
            widget.display = widget is shown
        # set inline: a class on the area would restyle every input in it
        self.styles.max_height = self.TALL if tall else None
        self.display = True

    async def _clear_others(self) -> None:
        kept = set(self._inputs.values())
        others = [child for child in self.children if child not in kept]
        if others:
            await self.remove_children(others)
