"""The repeat-group editor: a list of entries to add, edit or remove, then 'done'.

After each entry it asks the flow's add_prompt ("Add another alias?"): y adds, n sends the list.
"""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.geometry import Size
from textual.widget import Widget
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from marac_tui.flow.spec import Item, Kind, Option as FlowOption
from marac_tui.flow.values import AnswerError, coerce, display
from marac_tui.tui.widgets.answers import AnswerInput
from marac_tui.tui.widgets.choices import SEPARATOR, NoSuchOption, numbered_parts, packed, resolve
from marac_tui.tui.widgets.cursor import quiet_cursor
from marac_tui.tui.widgets.literal import one_line


def field_placeholder(field: Item) -> str:
    if field.kind is Kind.choice:
        return "number, or the start of a name below"
    if field.kind is Kind.multichoice:
        return "numbers or names below, with commas"
    if field.kind is Kind.date:
        return "DD/MM/YYYY"
    if field.kind is Kind.yesno:
        return "yes / no / unknown"
    return field.hint or ""


def field_text(field: Item, value: Any) -> str:
    """A stored field value as the user would type it back."""
    if value is None:
        return ""
    if field.kind in (Kind.choice, Kind.date):
        return display(field, value)
    if isinstance(value, list):
        return ", ".join(field.option_label(v) for v in value)
    return str(value)


class OptionsLine(Widget):
    """A choice field's options, numbered, in full: wrapped between options, never cut."""

    DEFAULT_CSS = "OptionsLine { height: auto; }"

    def __init__(self, options: list[FlowOption]) -> None:
        super().__init__(classes="field-options")
        self.parts = numbered_parts(options)

    @property
    def text(self) -> str:
        return SEPARATOR.join(self.parts)

    def _lines(self, width: int) -> list[str]:
        return packed(self.parts, max(1, width))

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return sum(max(1, -(-len(line) // max(1, width))) for line in self._lines(width))

    def render(self) -> Text:
        return Text("\n".join(self._lines(self.content_size.width)))


class EntryForm(Vertical):
    """One entry's fields; Enter moves to the next field and saves after the last, Escape cancels."""

    DEFAULT_CSS = """
    EntryForm { height: auto; }
    EntryForm Horizontal { height: auto; margin: 1 0 0 0; }
    EntryForm Static.field-label { width: 26; margin: 0; color: $text-muted; }
    EntryForm Input { width: 1fr; margin: 0; }
    """

    def __init__(self, item: Item, entry: dict[str, Any] | None) -> None:
        super().__init__(classes="entry-form")
        self.item = item
        self.entry = entry or {}

    def compose(self) -> ComposeResult:
        for field in self.item.fields or ():
            label = f"{field.prompt}{' *' if field.required else ''}"
            with Horizontal():
                yield Static(Text(label), classes="field-label")
                yield Input(field_text(field, self.entry.get(field.id)), placeholder=field_placeholder(field),
                            id=f"field-{field.id}", compact=True)  # fmt: skip
            if field.options:
                yield OptionsLine(field.options)

    def on_mount(self) -> None:
        for box in self.query(Input):
            quiet_cursor(box)
        self.query(Input).first().focus()

    def raw(self) -> dict[str, Any]:
        """What was typed in each field; a choice typed by number or by the start of its name is
        read as that option (NoSuchOption, naming the field, when it fits none or several)."""
        raw: dict[str, Any] = {}
        for field in self.item.fields or ():
            typed = self.query_one(f"#field-{field.id}", Input).value
            raw[field.id] = option_values(field, typed) if field.options else typed
        return raw


def option_values(field: Item, typed: str) -> str | list[str]:
    """A choice field's typed text as its option value (a list for several, comma-separated)."""
    options = field.options or []
    try:
        if field.kind is Kind.multichoice:
            return [resolve(options, part) for part in typed.split(",") if part.strip()]
        return resolve(options, typed)
    except NoSuchOption as exc:
        raise AnswerError(field.id, str(exc)) from None


class RepeatEditor(AnswerInput):
    """Entries of a repeating group: a/y add, Enter edit, x remove, n or Ctrl+Enter done."""

    DEFAULT_CSS = """
    RepeatEditor #form-slot { height: auto; }
    """

    BINDINGS = [
        Binding("a,y", "add", "Add", show=False),
        Binding("x,delete", "remove", "Remove", show=False),
        Binding("n", "done", "Done", show=False),
        Binding("ctrl+enter,alt+enter,ctrl+j", "done", "Done", show=False),
        Binding("escape", "cancel", show=False),
    ]

    def __init__(self, item: Item, value: Any = None) -> None:
        super().__init__(item, value)
        self.entries: list[dict[str, Any]] = [dict(e) for e in (value or [])]
        self.editing: int | None = None  # index being edited; len(entries) for a new one

    def controls(self) -> ComposeResult:
        yield OptionList(id="entries")
        yield Static("", id="add-question")
        yield Vertical(id="form-slot")

    def keys_help(self) -> str:
        if self.editing is not None:
            return "Enter next field (saves after the last) · Esc cancel · * required"
        return "y/a add · Enter edit · x remove · n done (sends the list)"

    def on_mount(self) -> None:
        self._refresh()

    def focus_target(self) -> Widget | None:
        return self.query_one("#entries", OptionList)

    def _summary(self, entry: dict[str, Any]) -> Text:
        fields = {f.id: f for f in self.item.fields or ()}
        parts = [f"{fields[k].prompt}: {display(fields[k], v)}" for k, v in entry.items() if k in fields]
        return one_line("; ".join(parts) or "(empty)", 2000)  # in full, wrapped (bounded against a pasted megabyte)

    def _refresh(self) -> None:
        entries = self.query_one("#entries", OptionList)
        previous = entries.highlighted or 0
        entries.clear_options()
        entries.add_options([Option(self._summary(e)) for e in self.entries])
        entries.display = bool(self.entries)
        if self.entries:
            entries.highlighted = min(previous, len(self.entries) - 1)
        if self.entries:
            question = self.item.add_prompt or "Add another?"
        else:
            question = "None recorded yet. Add one?"
        self.query_one("#add-question", Static).update(Text(f"{question}  y yes · n no, done", style="bold"))

    async def _open_form(self, index: int) -> None:
        self.editing = index
        slot = self.query_one("#form-slot", Vertical)
        await slot.remove_children()
        entry = self.entries[index] if index < len(self.entries) else None
        await slot.mount(EntryForm(self.item, entry))
        self.query_one("#add-question").display = False
        self.query_one(".keys", Static).update(self.keys_help())

    async def _close_form(self) -> None:
        self.editing = None
        await self.query_one("#form-slot", Vertical).remove_children()
        self.query_one("#add-question").display = True
        self.query_one(".keys", Static).update(self.keys_help())
        self._refresh()
        self.focus_input()

    async def action_add(self) -> None:
        if self.editing is None:
            await self._open_form(len(self.entries))

    async def action_remove(self) -> None:
        entries = self.query_one("#entries", OptionList)
        if self.editing is None and entries.highlighted is not None and self.entries:
            del self.entries[entries.highlighted]
            self._refresh()

    async def action_cancel(self) -> None:
        if self.editing is None:
            from textual.actions import SkipAction

            raise SkipAction()
        self.clear_error()
        await self._close_form()

    async def action_done(self) -> None:
        if self.editing is not None:
            await self._save_entry()
            return
        self.submit(list(self.entries))

    @on(OptionList.OptionSelected, "#entries")
    async def _edit(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        await self._open_form(event.option_index)

    @on(Input.Submitted)
    async def _next_field(self, event: Input.Submitted) -> None:
        event.stop()
        field = next(f for f in self.item.fields or () if f"field-{f.id}" == event.input.id)
        if field.required and not event.value.strip():
            self.show_error(f"{field.prompt}: an answer is required")
            return
        if field.options:
            try:
                option_values(field, event.value)
            except AnswerError as exc:
                self.show_error(f"{field.prompt}: {exc.problem}")
                return
        self.clear_error()
        boxes = list(self.query(EntryForm).first().query(Input))
        index = boxes.index(event.input)
        if index + 1 < len(boxes):
            boxes[index + 1].focus()
        else:
            await self._save_entry()

    async def _save_entry(self) -> None:
        form = self.query(EntryForm).first()
        try:
            entry = coerce(self.item, [form.raw()])[0]
        except AnswerError as exc:
            field_id = exc.item_id.rsplit(".", 1)[-1]
            fields = {f.id: f for f in self.item.fields or ()}
            where = fields[field_id].prompt if field_id in fields else self.item.prompt
            self.show_error(f"{where}: {exc.problem}")
            if field_id in fields:
                form.query_one(f"#field-{field_id}", Input).focus()
            return
        self.clear_error()
        if self.editing is not None and self.editing < len(self.entries):
            self.entries[self.editing] = entry
        else:
            self.entries.append(entry)
        await self._close_form()
