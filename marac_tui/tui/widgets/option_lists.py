"""The lists a choice and a checklist are answered in: every option on its own line (never cut),
a typed letter moves to the next option starting with it, and a checklist shows `[x]` / `[ ]`.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual import events, on
from textual.binding import Binding
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from marac_tui.flow.spec import Option as FlowOption
from marac_tui.tui.widgets.choices import next_starting_with

TICKED, UNTICKED = "[x]", "[ ]"


class LetterList(OptionList):
    """An OptionList of a flow's options: a letter moves to the next option whose label starts with it."""

    DEFAULT_CSS = """
    LetterList { height: auto; max-height: 100; }
    """

    class NoMatch(Message):
        """A letter was typed that starts no option (said under the field, so typing is never lost
        silently)."""

        def __init__(self, letter: str) -> None:
            super().__init__()
            self.letter = letter

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.flow_options: list[FlowOption] = []

    def show_options(self, options: Sequence[FlowOption], highlighted: int = 0) -> None:
        self.flow_options = list(options)
        self.clear_options()
        self.add_options([Option(self.prompt_for(n, o), id=o.value) for n, o in enumerate(self.flow_options)])
        self.highlighted = min(highlighted, len(self.flow_options) - 1) if self.flow_options else None

    def prompt_for(self, index: int, option: FlowOption) -> Text:
        return Text(f"{index + 1}  {option.label}")

    def on_key(self, event: events.Key) -> None:
        char = event.character
        if not (char and char.isalpha()):
            return
        event.stop()
        event.prevent_default()
        found = next_starting_with([o.label for o in self.flow_options], self.highlighted, char)
        if found is None:
            self.post_message(self.NoMatch(char))
        else:
            self.highlighted = found


class Checklist(LetterList):
    """Several options: Space (or a click) ticks and unticks the highlighted one, Enter sends."""

    BINDINGS = [
        Binding("space", "tick", "Tick", show=False),
        Binding("enter", "send", "Send", show=False),
    ]

    class Send(Message):
        """Enter pressed: the ticked values are final."""

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)
        self.ticked: set[str] = set()

    def show_checklist(self, options: Sequence[FlowOption], ticked: Sequence[str]) -> None:
        self.ticked = {value for value in ticked if value in {o.value for o in options}}
        self.show_options(options)

    @property
    def selected(self) -> list[str]:
        """The ticked values, in the flow's order."""
        return [o.value for o in self.flow_options if o.value in self.ticked]

    def prompt_for(self, index: int, option: FlowOption) -> Text:
        if option.value in self.ticked:
            return Text.assemble((TICKED, "bold"), " ", (option.label, "bold"))
        return Text.assemble((UNTICKED, "dim"), " ", option.label)

    def action_tick(self) -> None:
        index = self.highlighted
        if index is None:
            return
        value = self.flow_options[index].value
        self.ticked.symmetric_difference_update({value})
        self.replace_option_prompt_at_index(index, self.prompt_for(index, self.flow_options[index]))

    def action_send(self) -> None:
        self.post_message(self.Send())

    @on(OptionList.OptionSelected)
    def _clicked(self, event: OptionList.OptionSelected) -> None:
        """A click on an option ticks it (Enter sends instead)."""
        event.stop()
        self.action_tick()
