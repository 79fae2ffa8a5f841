"""The chat transcript: the bot's prompts (trusted flow Markdown) and the user's answers (literal text)."""

from __future__ import annotations

from typing import Any

from rich.console import Group
from rich.markdown import Markdown
from rich.text import Text
from textual.containers import VerticalScroll
from textual.widget import Widget
from textual.widgets import Static

from marac_tui.flow.spec import Flow, Item, Kind
from marac_tui.flow.values import display
from marac_tui.submission import Answer
from marac_tui.tui.widgets.literal import literal

Key = tuple[str, "int | None"]


def describe(item: Item, value: Any, flow: Flow) -> str:
    """The user's answer as they would say it (plain text, several lines for lists)."""
    if value is None:
        return "(no answer)"
    if item.kind is Kind.repeat and value:
        fields = {f.id: f for f in item.fields or ()}
        lines = []
        for entry in value:
            parts = [f"{fields[k].prompt}: {display(fields[k], v)}" for k, v in entry.items() if k in fields]
            lines.append("• " + "; ".join(parts))
        return "\n".join(lines)
    if item.kind is Kind.actions and value:
        lines = []
        for action in value:
            owner = f" ({action['agency']})" if action.get("agency") else ""
            lines.append(f"• {flow.heading_title(action['heading'])}: {action['text']}{owner}")
        return "\n".join(lines)
    if item.kind is Kind.repeat:
        return "None"
    return display(item, value)


def provenance(answer: Answer | None) -> str:
    """One muted line: status · source · date checked · fact/opinion · shared or withheld (why)."""
    if answer is None or answer.status is None:
        return ""
    sharing = "shared" if answer.share else f"withheld: {answer.withhold_reason}"
    return " · ".join([*answer.provenance(), sharing])


class BotMessage(Static):
    """A prompt from the flow; its Markdown is trusted text written by a trainer."""

    def __init__(self, key: Key, prompt: str, hint: str | None = None, who: str | None = None) -> None:
        parts: list[Any] = []
        if who:
            parts.append(literal(who, 200, style="bold"))
        parts.append(Markdown(prompt))
        if hint:
            parts.append(Text(hint, style="italic"))
        super().__init__(Group(*parts), classes="bubble bot")
        self.key = key
        self.prompt = prompt


class UserMessage(Widget):
    """The user's answer, shown literally, with its provenance underneath in muted text."""

    DEFAULT_CSS = "UserMessage { height: auto; }"

    def __init__(self, key: Key, text: str, meta: str = "") -> None:
        super().__init__(classes="user-row")
        self.key = key
        self._text = text
        self._meta = meta

    def compose(self):  # noqa: ANN201
        yield Static(literal(self._text), classes="bubble user")
        line = Static(literal(self._meta, 400), classes="provenance")
        line.display = bool(self._meta)
        yield line

    def set_meta(self, meta: str) -> None:
        self._meta = meta
        if self.is_mounted:
            line = self.query_one(".provenance", Static)
            line.update(literal(meta, 400))
            line.display = bool(meta)


class NoteMessage(Static):
    """A quiet line: section headings, 'went back to…', 'interview complete'."""

    def __init__(self, text: str, key: Key | None = None, *, heading: bool = False) -> None:
        super().__init__(literal(text, 400), classes="note heading" if heading else "note")
        self.key = key
        self.text = text


class Transcript(VerticalScroll):
    """The conversation so far; new messages are appended at the bottom and scrolled into view."""

    can_focus = False
    # messages kept on screen (older ones are in the review and the sidebar): every message on the
    # screen is laid out again at each answer, so this bounds the per-answer cost
    KEEP = 60

    def add(self, *messages: Widget) -> None:
        excess = len(self.children) + len(messages) - self.KEEP
        if excess > 0:
            self.remove_children(list(self.children)[:excess])
        self.mount_all(messages)
        self.call_after_refresh(self.scroll_end, animate=False)

    def bot_message(self, key: Key) -> BotMessage | None:
        for message in self.query(BotMessage):
            if message.key == key:
                return message
        return None

    def last_user_message(self) -> UserMessage | None:
        found = self.query(UserMessage)
        return found.last() if found else None

    async def cut_from(self, key: Key) -> bool:
        """Remove the prompt for `key` and everything after it (going back); False if not shown."""
        start = self.bot_message(key)
        if start is None:
            return False
        children = list(self.children)
        await self.remove_children(children[children.index(start) :])
        return True
