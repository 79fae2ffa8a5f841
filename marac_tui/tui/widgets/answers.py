"""Answer inputs, one per item kind. Each posts `AnswerInput.Entered(raw)`; the screen records it.

The simple kinds (text, number, date, long text, yes/no, choice, checklist) are mounted once and
loaded with each new item (`load`), so moving to the next question adds no widgets. Repeat groups
and actions have their own editors (see `repeat_editor`, `actions_editor`), built per item.
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
from textual.widget import Widget
from textual.widgets import Button, Input, OptionList, SelectionList, Static, TextArea
from textual.widgets.input import Selection as TextSelection

from marac_tui.flow.spec import NO, UNKNOWN, YES, YESNO_VALUES, Item, Kind
from marac_tui.flow.values import parse_date
from marac_tui.tui.widgets.cursor import quiet_cursor
from marac_tui.tui.widgets.literal import literal
from marac_tui.tui.widgets.option_lists import Checklist, LetterList


class ErrorLine(Static):
    """Why an answer (or a part of it) was refused, under the field; hidden until there is a reason."""

    DEFAULT_CSS = """
    ErrorLine { color: $text-error; height: auto; display: none; }
    ErrorLine.shown { display: block; }
    """

    def __init__(self) -> None:
        super().__init__("", classes="answer-error")

    def report(self, message: str) -> None:
        self.update(literal(message, 400))
        self.add_class("shown")

    def clear(self) -> None:
        self.remove_class("shown")


class AnswerInput(Vertical):
    """Base for the answer area's inputs: an error line under the control, and the Entered message."""

    DEFAULT_CSS = """
    AnswerInput { height: auto; }
    AnswerInput > .keys { color: $text-muted; height: auto; }
    """
    REUSABLE = False  # True: mounted once and `load`ed with each item of its kind
    TALL = False  # True: the answer area makes room for every option

    class Entered(Message):
        """The user gave an answer (raw, as typed or picked) for the item the input was loaded with."""

        def __init__(self, widget: AnswerInput, raw: Any) -> None:
            super().__init__()
            self.widget = widget
            self.raw = raw
            self.asked = widget.asked

        @property
        def control(self) -> AnswerInput:
            return self.widget

    def __init__(self, item: Item, value: Any = None, **kwargs: Any) -> None:
        super().__init__(classes=f"answer answer-{item.kind.value}", **kwargs)
        self.item = item
        self.value = value
        self.asked = 0  # which question this input was loaded for (the screen counts them)
        self._keys_shown = ""  # the key help under the control
        self.loaded_at = message_clock()

    def compose(self) -> ComposeResult:
        yield from self.controls()
        yield ErrorLine()
        self._keys_shown = self.keys_help()
        yield Static(Text(self._keys_shown), classes="keys")

    def controls(self) -> ComposeResult:
        raise NotImplementedError

    def keys_help(self) -> str:
        return ""

    def on_mount(self) -> None:
        for widget in self.query("Input, TextArea"):
            quiet_cursor(widget)
        self.fill()

    def load(self, item: Item, value: Any) -> None:
        """Show another item of the same kind in this (already mounted) input."""
        self.item = item
        self.value = value
        self.loaded_at = message_clock()
        self.clear_error()
        keys = self.keys_help()
        if keys != self._keys_shown:  # the next item of a kind mostly has the same keys: no update, no layout
            self._keys_shown = keys
            self.query_one(".keys", Static).update(Text(keys))
        self.fill()

    def fill(self) -> None:
        """Put the item's current value (or default) into the controls."""

    def focus_target(self) -> Widget | None:
        """The control that takes the focus when this input is shown."""
        return next((w for w in self.query("*") if w.focusable), None)

    def focus_input(self) -> None:
        target = self.focus_target()
        if target is not None:
            target.focus()

    def show_error(self, message: str) -> None:
        self.query_one(ErrorLine).report(message)

    def clear_error(self) -> None:
        self.query_one(ErrorLine).clear()

    def submit(self, raw: Any, sent: Message | None = None) -> None:
        """Post the answer; `sent` is the control's message, ignored if it predates the current item
        (an Enter pressed twice must not answer the next question with the last one's text)."""
        if sent is not None and sent.time < self.loaded_at:
            return
        self.clear_error()
        self.post_message(self.Entered(self, raw))


def message_clock() -> float:
    """Now, on the clock Textual stamps messages with (`Message.time`)."""
    return Message().time


class TextAnswer(AnswerInput):
    """One line of text (also used for numbers)."""

    REUSABLE = True

    def controls(self) -> ComposeResult:
        yield Input(id="answer-input")

    def fill(self) -> None:
        start = self.value if self.value is not None else self.item.default
        box = self.query_one(Input)
        box.placeholder = self.item.hint or ""
        box.value = "" if start is None else str(start)
        if self.value is None and box.value:  # a default: Enter keeps it, typing replaces it
            box.selection = TextSelection(0, len(box.value))
        else:
            box.cursor_position = len(box.value)

    def keys_help(self) -> str:
        return "Enter to send" + ("" if self.item.required else " · Ctrl+N to skip")

    @on(Input.Submitted)
    def _send(self, event: Input.Submitted) -> None:
        event.stop()
        self.submit(event.value, event)


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

    REUSABLE = True

    def controls(self) -> ComposeResult:
        yield Input(placeholder="DD/MM/YYYY", validators=[DateValidator()], validate_on=["submitted"],
                    id="answer-input")  # fmt: skip

    def fill(self) -> None:
        shown = ""
        if self.value:
            try:
                shown = date.fromisoformat(self.value).strftime("%d/%m/%Y")
            except (TypeError, ValueError):
                shown = str(self.value)
        box = self.query_one(Input)
        box.value = shown
        box.cursor_position = len(shown)

    def keys_help(self) -> str:
        return "DD/MM/YYYY, YYYY-MM-DD or 'today' · Enter to send"

    @on(Input.Submitted)
    def _send(self, event: Input.Submitted) -> None:
        event.stop()
        result = event.validation_result
        if result is not None and not result.is_valid:
            self.show_error(result.failure_descriptions[0])
            return
        self.submit(event.value, event)

    @on(Input.Changed)
    def _recheck(self, event: Input.Changed) -> None:
        if DateValidator().validate(event.value).is_valid:
            self.clear_error()


class LongTextAnswer(AnswerInput):
    """Several lines; Enter makes a new line, Ctrl+J (Ctrl+Enter, Alt+Enter where the terminal tells
    them apart) sends."""

    BINDINGS = [Binding("ctrl+enter,alt+enter,ctrl+j", "send", "Send", show=False)]
    REUSABLE = True

    def controls(self) -> ComposeResult:
        yield TextArea(id="answer-input", soft_wrap=True)

    def fill(self) -> None:
        area = self.query_one(TextArea)
        area.load_text("" if self.value is None else str(self.value))
        area.move_cursor(area.document.end)

    def keys_help(self) -> str:
        return "Enter for a new line · Ctrl+J (or Ctrl+Enter) to send"

    def action_send(self) -> None:
        self.submit(self.query_one(TextArea).text)


class YesNoAnswer(AnswerInput):
    """Yes / No / Not known as single keys y, n, u (or the buttons)."""

    BINDINGS = [
        Binding("y", f"pick('{YES}')", "Yes", show=False),
        Binding("n", f"pick('{NO}')", "No", show=False),
        Binding("u", f"pick('{UNKNOWN}')", "Not known", show=False),
    ]
    CHOICES = ((YES, "Yes", "y"), (NO, "No", "n"), (UNKNOWN, "Not known", "u"))
    REUSABLE = True

    def controls(self) -> ComposeResult:
        with Horizontal(classes="yesno"):
            for value, label, key in self.CHOICES:
                yield Button(f"{label} ({key})", id=f"yesno-{value}", compact=True)

    def keys_help(self) -> str:
        return "y yes · n no · u not known"

    def focus_target(self) -> Widget | None:
        chosen = self.value if self.value in YESNO_VALUES else YES
        return self.query_one(f"#yesno-{chosen}", Button)

    def action_pick(self, value: str) -> None:
        self.submit(value)

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.submit((event.button.id or "").removeprefix("yesno-"), event)


class ChoiceAnswer(AnswerInput):
    """One option: its number, or a letter to move to it (or ↑↓) and Enter. Every option is on its
    own line, never cut."""

    BINDINGS = [Binding(str(n), f"pick({n})", show=False) for n in range(1, 10)]
    REUSABLE = True
    TALL = True

    def controls(self) -> ComposeResult:
        yield LetterList(id="answer-input")

    def fill(self) -> None:
        options = self.item.options or []
        values = [o.value for o in options]
        self.query_one(LetterList).show_options(options, values.index(self.value) if self.value in values else 0)

    def keys_help(self) -> str:
        count = len(self.item.options or ())
        numbers = "1" if count == 1 else f"1–{min(count, 9)}"
        return f"{numbers} to choose · or a letter (or ↑↓) to move, Enter to choose"

    def action_pick(self, number: int) -> None:
        options = self.item.options or []
        if 1 <= number <= len(options):
            self.submit(options[number - 1].value)

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.submit(event.option.id, event)

    @on(LetterList.NoMatch)
    def _no_match(self, event: LetterList.NoMatch) -> None:
        event.stop()
        self.show_error(f"No option starts with '{event.letter}': press its number, or ↑↓ and Enter.")

    @on(OptionList.OptionHighlighted)
    def _moved(self, event: OptionList.OptionHighlighted) -> None:
        event.stop()
        self.clear_error()


class ChecklistList(SelectionList):
    """A SelectionList where Space ticks and Enter sends the ticked values."""

    BINDINGS = [Binding("enter", "send", "Send", show=False)]

    class Send(Message):
        """Enter pressed: the ticked values are final."""

    def action_send(self) -> None:
        self.post_message(self.Send())


class MultiChoiceAnswer(AnswerInput):
    """Several options, each shown as [x] or [ ]: Space ticks, a letter moves to an option, Enter
    sends (nothing ticked means none)."""

    REUSABLE = True
    TALL = True

    def controls(self) -> ComposeResult:
        yield Checklist(id="answer-input")

    def fill(self) -> None:
        self.query_one(Checklist).show_checklist(self.item.options or [], self.value or [])

    def keys_help(self) -> str:
        return "Space ticks [x] or unticks [ ] · a letter moves to an option · Enter sends"

    @on(Checklist.Send)
    def _send(self, event: Checklist.Send) -> None:
        event.stop()
        self.submit(self.query_one(Checklist).selected)

    @on(LetterList.NoMatch)
    def _no_match(self, event: LetterList.NoMatch) -> None:
        event.stop()
        self.show_error(f"No option starts with '{event.letter}': ↑↓ move, Space ticks, Enter sends.")

    @on(OptionList.OptionHighlighted)
    def _moved(self, event: OptionList.OptionHighlighted) -> None:
        event.stop()
        self.clear_error()


def input_class(kind: Kind) -> type[AnswerInput] | None:
    """The reusable input for a kind, or None when the kind has its own editor (`editor_for`)."""
    if kind in (Kind.repeat, Kind.actions):
        return None
    return KINDS.get(kind, TextAnswer)


def editor_for(item: Item, value: Any, **context: Any) -> AnswerInput:
    """The editor of a repeat group or an actions item, built for this item (actions get the
    interview context: risks, suggestions, whose they are)."""
    if item.kind is Kind.repeat:
        from marac_tui.tui.widgets.repeat_editor import RepeatEditor

        return RepeatEditor(item, value)
    from marac_tui.tui.widgets.actions_editor import ActionsEditor

    return ActionsEditor(item, value, **context)


KINDS: dict[Kind, type[AnswerInput]] = {
    Kind.longtext: LongTextAnswer,
    Kind.yesno: YesNoAnswer,
    Kind.choice: ChoiceAnswer,
    Kind.multichoice: MultiChoiceAnswer,
    Kind.date: DateAnswer,
}
