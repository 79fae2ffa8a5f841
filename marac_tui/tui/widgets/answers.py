"""Answer inputs, one per item kind. Each posts `AnswerInput.Entered(raw)`; the screen records it.

Errors (from the engine's AnswerError or a validator) are shown under the field and what the
user typed stays where it is.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.validation import ValidationResult, Validator
from textual.widgets import Button, Input, OptionList, SelectionList, Static, TextArea
from textual.widgets.option_list import Option
from textual.widgets.selection_list import Selection

from marac_tui.flow.spec import Item, Kind
from marac_tui.flow.values import parse_date
from marac_tui.tui.widgets.cursor import quiet_cursor
from marac_tui.tui.widgets.literal import literal


class AnswerInput(Vertical):
    """Base for the answer area's inputs: an error line under the control, and the Entered message."""

    DEFAULT_CSS = """
    AnswerInput { height: auto; }
    AnswerInput > .answer-error { color: $text-error; height: auto; display: none; }
    AnswerInput > .answer-error.shown { display: block; }
    AnswerInput > .keys { color: $text-muted; height: auto; }
    """

    class Entered(Message):
        """The user gave an answer (raw, as typed or picked) for the current item."""

        def __init__(self, widget: AnswerInput, raw: Any) -> None:
            super().__init__()
            self.widget = widget
            self.raw = raw

        @property
        def control(self) -> AnswerInput:
            return self.widget

    def __init__(self, item: Item, value: Any = None, **kwargs: Any) -> None:
        super().__init__(classes=f"answer answer-{item.kind.value}", **kwargs)
        self.item = item
        self.value = value

    def compose(self) -> ComposeResult:
        yield from self.controls()
        yield Static("", classes="answer-error")
        if self.keys_help():
            yield Static(self.keys_help(), classes="keys")

    def controls(self) -> ComposeResult:
        raise NotImplementedError

    def keys_help(self) -> str:
        return ""

    def on_mount(self) -> None:
        for widget in self.query("Input, TextArea"):
            quiet_cursor(widget)

    def focus_input(self) -> None:
        focusable = [w for w in self.query("*") if w.focusable]
        if focusable:
            focusable[0].focus()

    def show_error(self, message: str) -> None:
        error = self.query_one(".answer-error", Static)
        error.update(literal(message, 400))
        error.add_class("shown")

    def clear_error(self) -> None:
        self.query_one(".answer-error", Static).remove_class("shown")

    def submit(self, raw: Any) -> None:
        self.clear_error()
        self.post_message(self.Entered(self, raw))


class TextAnswer(AnswerInput):
    """One line of text (also used for numbers)."""

    def controls(self) -> ComposeResult:
        start = self.value if self.value is not None else self.item.default
        yield Input("" if start is None else str(start), placeholder=self.item.hint or "", id="answer-input")

    def keys_help(self) -> str:
        return "Enter to send" + ("" if self.item.required else " · Ctrl+N to skip")

    @on(Input.Submitted)
    def _send(self, event: Input.Submitted) -> None:
        event.stop()
        self.submit(event.value)


class DateValidator(Validator):
    """A date the flow accepts: YYYY-MM-DD, DD/MM/YYYY, '12 Mar 2026' or 'today'."""

    def validate(self, value: str) -> ValidationResult:
        if not value.strip():
            return self.success()
        try:
            parse_date(value)
        except ValueError as exc:
            return self.failure(str(exc))
        return self.success()


class DateAnswer(AnswerInput):
    """A date, checked before it is sent; the error stays under the field until it is fixed."""

    def controls(self) -> ComposeResult:
        shown = ""
        if self.value:
            try:
                shown = date.fromisoformat(self.value).strftime("%d/%m/%Y")
            except (TypeError, ValueError):
                shown = str(self.value)
        yield Input(
            shown,
            placeholder="DD/MM/YYYY",
            validators=[DateValidator()],
            validate_on=["submitted"],
            id="answer-input",
        )

    def keys_help(self) -> str:
        return "DD/MM/YYYY, YYYY-MM-DD or 'today' · Enter to send"

    @on(Input.Submitted)
    def _send(self, event: Input.Submitted) -> None:
        event.stop()
        result = event.validation_result
        if result is not None and not result.is_valid:
            self.show_error(result.failure_descriptions[0])
            return
        self.submit(event.value)

    @on(Input.Changed)
    def _recheck(self, event: Input.Changed) -> None:
        if DateValidator().validate(event.value).is_valid:
            self.clear_error()


class LongTextAnswer(AnswerInput):
    """Several lines; Enter makes a new line, Ctrl+J (Ctrl+Enter, Alt+Enter where the terminal tells
    them apart) sends."""

    BINDINGS = [Binding("ctrl+enter,alt+enter,ctrl+j", "send", "Send", show=False)]

    def controls(self) -> ComposeResult:
        yield TextArea("" if self.value is None else str(self.value), id="answer-input", soft_wrap=True)

    def keys_help(self) -> str:
        return "Enter for a new line · Ctrl+J (or Ctrl+Enter) to send"

    def action_send(self) -> None:
        self.submit(self.query_one(TextArea).text)


class YesNoAnswer(AnswerInput):
    """Yes / No / Not known as single keys y, n, u (or the buttons)."""

    BINDINGS = [
        Binding("y", "pick('yes')", "Yes", show=False),
        Binding("n", "pick('no')", "No", show=False),
        Binding("u", "pick('unknown')", "Not known", show=False),
    ]
    CHOICES = (("yes", "Yes", "y"), ("no", "No", "n"), ("unknown", "Not known", "u"))

    def controls(self) -> ComposeResult:
        with Horizontal(classes="yesno"):
            for value, label, key in self.CHOICES:
                yield Button(f"{label} ({key})", id=f"yesno-{value}", compact=True)

    def keys_help(self) -> str:
        return "y yes · n no · u not known"

    def focus_input(self) -> None:
        chosen = self.value if self.value in ("yes", "no", "unknown") else "yes"
        self.query_one(f"#yesno-{chosen}", Button).focus()

    def action_pick(self, value: str) -> None:
        self.submit(value)

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.submit((event.button.id or "").removeprefix("yesno-"))


class ChoiceAnswer(AnswerInput):
    """One option: number keys, or arrows and Enter."""

    BINDINGS = [Binding(str(n), f"pick({n})", show=False) for n in range(1, 10)]

    def controls(self) -> ComposeResult:
        options = [Option(Text(f"{n}  {o.label}"), id=o.value) for n, o in enumerate(self.item.options or (), 1)]
        yield OptionList(*options, id="answer-input")

    def on_mount(self) -> None:
        values = [o.value for o in self.item.options or ()]
        if self.value in values:
            self.query_one(OptionList).highlighted = values.index(self.value)

    def keys_help(self) -> str:
        return "1–9 or ↑↓ and Enter to choose"

    def action_pick(self, number: int) -> None:
        options = self.item.options or []
        if 1 <= number <= len(options):
            self.submit(options[number - 1].value)

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.submit(event.option.id)


class ChecklistList(SelectionList):
    """A SelectionList where Space ticks and Enter sends the ticked values."""

    BINDINGS = [Binding("enter", "send", "Send", show=False)]

    class Send(Message):
        """Enter pressed: the ticked values are final."""

    def action_send(self) -> None:
        self.post_message(self.Send())


class MultiChoiceAnswer(AnswerInput):
    """Several options: Space to tick, Enter to send (nothing ticked means none)."""

    def controls(self) -> ComposeResult:
        chosen = set(self.value or [])
        yield ChecklistList(
            *[Selection(Text(o.label), o.value, o.value in chosen) for o in self.item.options or ()],
            id="answer-input",
        )

    def keys_help(self) -> str:
        return "Space to tick · Enter to send"

    @on(ChecklistList.Send)
    def _send(self, event: ChecklistList.Send) -> None:
        event.stop()
        self.submit(list(self.query_one(ChecklistList).selected))


def answer_input(item: Item, value: Any, **context: Any) -> AnswerInput:
    """The input for an item's kind; repeat and actions editors get the interview context."""
    if item.kind is Kind.repeat:
        from marac_tui.tui.widgets.repeat_editor import RepeatEditor

        return RepeatEditor(item, value)
    if item.kind is Kind.actions:
        from marac_tui.tui.widgets.actions_editor import ActionsEditor

        return ActionsEditor(item, value, **context)
    kinds: dict[Kind, type[AnswerInput]] = {
        Kind.longtext: LongTextAnswer,
        Kind.yesno: YesNoAnswer,
        Kind.choice: ChoiceAnswer,
        Kind.multichoice: MultiChoiceAnswer,
        Kind.date: DateAnswer,
    }
    return kinds.get(item.kind, TextAnswer)(item, value)
