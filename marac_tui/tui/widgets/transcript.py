"""The chat transcript: the bot's prompts (trusted flow Markdown) and the user's answers (literal text).

One scrolling widget draws every message as lines (the line API, as Textual's Log does): a message is
rendered once at the current width and kept, so adding an answer costs the same on the first
question and the hundredth, and nothing a user typed is ever read as markup. Text can be selected
with the mouse and copied (Ctrl+C) as in Log: each drawn line carries its offsets, the selection is
highlighted where it falls, and `get_selection` gives the text under it without the bubbles' edges.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Literal

from rich.console import Group, RenderableType
from rich.markdown import Markdown
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.geometry import Size
from textual.scroll_view import ScrollView
from textual.selection import Selection
from textual.strip import Strip

from marac_tui.flow.spec import Flow, Item, Kind
from marac_tui.flow.values import display
from marac_tui.submission import Answer
from marac_tui.tui.widgets.colour_watch import RedrawOnColourChange
from marac_tui.tui.widgets.literal import literal
from marac_tui.tui.widgets.scrollbar import strip_scrollbars

Key = tuple[str, "int | None"]
Role = Literal["bot", "user", "note", "heading"]
ROLE_STYLES = ("bot", "bot-edge", "user", "user-edge", "meta", "note", "heading")
ROLE_INDEX = {name: n for n, name in enumerate(ROLE_STYLES, 1)}  # in Transcript._colours

BOT_SHARE = 0.88  # of the width, for a prompt bubble
USER_SHARE = 0.80  # of the width, for an answer bubble and its provenance line
USER_LINES = 8  # lines of an answer shown in the conversation
BOT_EDGE, USER_EDGE = "▌", "▐"


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


def without_edges(line: str) -> str:
    """A drawn line with its bubble edge (a prompt's first cell, an answer's last) blanked, columns kept."""
    if line.startswith(BOT_EDGE):
        return " " + line[1:]
    body = line.rstrip()
    if body.endswith(USER_EDGE):
        return body[:-1] + " "
    return line


MARKDOWN_SIGNS = re.compile(r"[*_`#\[\]<>|\\~]|^\s*([-+]|\d+[.)])\s", re.MULTILINE)


def prompt_renderable(prompt: str) -> RenderableType:
    """A prompt as Markdown, or as plain text when it uses none (the same look, a tenth of the time)."""
    if MARKDOWN_SIGNS.search(prompt) or "\n\n" in prompt:
        return Markdown(prompt)
    return Text(" ".join(prompt.split()))


@dataclass(eq=False)
class Message:
    """One message of the conversation. `text` is flow Markdown for a prompt, literal text otherwise."""

    role: Role
    text: str
    key: Key | None = None
    hint: str | None = None
    meta: str = ""
    lines: list[Strip] = field(default_factory=list, repr=False)

    @property
    def shown(self) -> str:
        """The text as the screen shows it (control characters made visible, long values cut)."""
        return self.text if self.role == "bot" else literal(self.text).plain


class Transcript(RedrawOnColourChange, ScrollView, can_focus=False):
    """The conversation so far; new messages are added at the bottom and scrolled into view."""

    COMPONENT_CLASSES = {f"transcript--{name}" for name in ROLE_STYLES}
    DEFAULT_CSS = """
    Transcript { height: 1fr; scrollbar-gutter: stable; }
    Transcript > .transcript--bot { background: $primary 10%; }
    Transcript > .transcript--bot-edge { color: $primary; background: $primary 10%; }
    Transcript > .transcript--user { background: $success 12%; }
    Transcript > .transcript--user-edge { color: $success; background: $success 12%; }
    Transcript > .transcript--meta { color: $text-muted; text-style: italic; }
    Transcript > .transcript--note { color: $text-muted; }
    Transcript > .transcript--heading { color: $accent; text-style: bold; }
    """
    # messages kept (older ones are in the review and the sidebar); bounds memory and re-wrapping
    KEEP = 400

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.messages: list[Message] = []
        self._lines: list[Strip] = []
        self._width = 0
        self._colours: tuple[Style, ...] = ()

    # --- what the screen calls --------------------------------------------------------------------

    def add_bot(self, key: Key, prompt: str, hint: str | None = None) -> Message:
        return self._add(Message("bot", prompt, key, hint=hint))

    def add_user(self, key: Key, text: str, meta: str = "") -> Message:
        return self._add(Message("user", text, key, meta=meta))

    def add_note(self, text: str, key: Key | None = None, *, heading: bool = False) -> Message:
        return self._add(Message("heading" if heading else "note", text, key))

    def set_meta(self, message: Message, meta: str) -> None:
        """Change the provenance line under an answer already shown."""
        message.meta = meta
        message.lines = []
        self._relayout()

    def bot_message(self, key: Key) -> Message | None:
        return next((m for m in reversed(self.messages) if m.role == "bot" and m.key == key), None)

    def user_message(self, key: Key) -> Message | None:
        """The latest answer shown for `key`, if it is still in the conversation."""
        return next((m for m in reversed(self.messages) if m.role == "user" and m.key == key), None)

    def last_heading(self) -> Message | None:
        return next((m for m in reversed(self.messages) if m.role == "heading"), None)

    def cut_from(self, key: Key) -> bool:
        """Remove the prompt for `key` and everything after it (going back); False if not shown."""
        start = self.bot_message(key)
        if start is None:
            return False
        del self.messages[self.messages.index(start) :]
        self._relayout()
        return True

    def scroll_to_message(self, message: Message) -> None:
        """Put a message at the top of the view (read-only jumps)."""
        line = 0
        for shown in self.messages:
            if shown is message:
                break
            line += len(shown.lines)
        self.scroll_to(y=line, animate=False)

    def rendered(self) -> list[str]:
        """Every line as drawn (for tests and screen readers of the log): plain text, trailing space cut."""
        return [strip.text.rstrip() for strip in self._lines]

    # --- selection and copy (as Textual's Log) ----------------------------------------------------

    def get_selection(self, selection: Selection) -> tuple[str, str] | None:
        """The text under the selection, line by line as drawn, without the bubbles' edges or padding."""
        text = "\n".join(without_edges(strip.text) for strip in self._lines)
        lines = [line.strip() for line in selection.extract(text).splitlines()]
        while lines and not lines[0]:
            lines.pop(0)
        return "\n".join(lines).rstrip(), "\n"

    def selection_updated(self, selection: Selection | None) -> None:
        self.refresh()

    # --- drawing ----------------------------------------------------------------------------------

    def _add(self, message: Message) -> Message:
        self.messages.append(message)
        excess = len(self.messages) - self.KEEP
        if excess > 0:
            del self.messages[:excess]
            self._relayout()
        elif self._width:
            self._lines.extend(self._lines_of(message))
            self._set_size()
        self.scroll_end(animate=False, immediate=False)  # back to the newest, even if scrolled up to read
        return message

    def _relayout(self) -> None:
        if self._width:
            self._lines = [line for message in self.messages for line in self._lines_of(message)]
            self._set_size()
        self.refresh()

    def _set_size(self) -> None:
        self.virtual_size = Size(self._width, len(self._lines))
        self.refresh()

    def on_mount(self) -> None:
        strip_scrollbars(self)
        self.anchor()  # kept scrolled to the newest message as lines are added, in the same frame

    def on_resize(self) -> None:
        width = self.scrollable_content_region.width
        if width != self._width:
            self._width = width
            self._redraw()

    def _styles(self) -> tuple[Style, ...]:
        """The transcript's own colours, then each role's."""
        return (self.rich_style, *(self.get_component_rich_style(f"transcript--{name}") for name in ROLE_STYLES))

    def _redraw(self) -> None:
        """Every message drawn again (a new width, new colours)."""
        self._colours = self._styles()
        for message in self.messages:
            message.lines = []
        self._relayout()

    def render_line(self, y: int) -> Strip:
        index = self.scroll_offset.y + y
        if not 0 <= index < len(self._lines):
            return Strip.blank(self._width, self._base)
        line = self._lines[index]  # drawn at the full width already
        selection = self.text_selection
        if selection is not None and (span := selection.get_span(index)) is not None:
            start, end = span
            end = line.cell_length if end == -1 else end
            if start < end:
                before, chosen, after = line.divide([start, end, line.cell_length])
                style = self.screen.get_component_rich_style("screen--selection")
                chosen = Strip(Segment.apply_style(chosen, post_style=style), chosen.cell_length)
                line = Strip.join([before, chosen, after])
        return line.apply_offsets(0, index)  # where a mouse selection starts and ends

    def _lines_of(self, message: Message) -> list[Strip]:
        """The message's lines at the current width (drawn once, then kept)."""
        if not message.lines:
            draw = {"bot": self._draw_bot, "user": self._draw_user}.get(message.role, self._draw_note)
            message.lines = [Strip.blank(self._width, self._base), *draw(message)]
        return message.lines

    @property
    def _base(self) -> Style | None:
        """The transcript's own colours (between and around the bubbles)."""
        return self._colours[0] if self._colours else None

    def _style(self, name: str) -> Style:
        """A role's colours: those the lines are drawn in (`_colours`, kept up to date by `_restyle`)."""
        if self._colours:
            return self._colours[ROLE_INDEX[name]]
        return self.get_component_rich_style(f"transcript--{name}")

    def _wrap(self, renderable: RenderableType, width: int, style: Style) -> list[list[Segment]]:
        console = self.app.console
        return console.render_lines(renderable, console.options.update_width(max(1, width)), style=style, pad=True)

    def _draw_bot(self, message: Message) -> list[Strip]:
        """A bubble on the left: an edge, then the prompt's Markdown and its hint in italics."""
        box = max(12, int(self._width * BOT_SHARE))
        body, edge = self._style("bot"), self._style("bot-edge")
        parts: list[RenderableType] = [prompt_renderable(message.text)]
        if message.hint:
            parts.append(Text(message.hint, style="italic"))
        pad = Segment(" ", body)
        rows = self._wrap(Group(*parts), box - 3, body)
        return [self._row([Segment(BOT_EDGE, edge), pad, *row, pad]) for row in rows]

    def _draw_user(self, message: Message) -> list[Strip]:
        """A bubble on the right, as wide as the answer, with its provenance underneath."""
        share = max(8, int(self._width * USER_SHARE))
        body, edge = self._style("user"), self._style("user-edge")
        text = literal(message.text)
        longest = max((len(line) for line in text.plain.splitlines()), default=0)
        inner = max(1, min(longest, share - 3))
        pad = Segment(" ", body)
        rows = self._wrap(text, inner, body)
        if len(rows) > USER_LINES:  # a long paste must not push the question out of view
            more = Text(f"… {len(rows) - USER_LINES + 1} more lines (all kept; see the review)", style="italic dim")
            rows = rows[: USER_LINES - 1] + self._wrap(more, inner, body)[:1]
        strips = [self._row([pad, *row, pad, Segment(USER_EDGE, edge)], right=True) for row in rows]
        if message.meta:
            meta = literal(message.meta, 400)
            meta_width = min(meta.cell_len, share)
            strips += [self._row([*row, Segment(" ", self._base)], right=True)
                       for row in self._wrap(meta, meta_width, self._style("meta"))]  # fmt: skip
        return strips

    def _draw_note(self, message: Message) -> list[Strip]:
        style = self._style(message.role)
        return [self._row(row) for row in self._wrap(literal(message.text, 400), self._width, style)]

    def _row(self, segments: list[Segment], *, right: bool = False) -> Strip:
        """One line at the full width: left-aligned, or pushed to the right edge."""
        strip = Strip(segments)
        gap = self._width - strip.cell_length
        if gap <= 0:
            return strip.crop(0, self._width)
        filler = Segment(" " * gap, self._base)
        return Strip([filler, *segments] if right else [*segments, filler])
