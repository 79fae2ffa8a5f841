"""The home screen's table of submissions: a light, line-drawn table with a row cursor.

It looks like Textual's DataTable with a row cursor and zebra stripes, at a fraction of the start-up
cost: each row is drawn once into a Strip from its cells' Rich segments (user text is never read as
markup), the header stays at the top while the rows scroll, and only the cursor row is redrawn as
the cursor moves.
"""

from __future__ import annotations

from typing import Any

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.geometry import Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from marac_tui.tui.widgets.colour_watch import RedrawOnColourChange

PAD = 1  # blank cells each side of a column, as DataTable


class SubmissionTable(RedrawOnColourChange, ScrollView, can_focus=True):
    """Rows of one-line cells keyed by submission id; Enter or a click posts `Selected`."""

    COMPONENT_CLASSES = {"submission-table--header", "submission-table--cursor", "submission-table--even-row"}
    # DataTable's colours (row cursor, zebra stripes)
    DEFAULT_CSS = """
    SubmissionTable {
        background: $surface;
        color: $foreground;
        height: auto;
        max-height: 100%;
        &:focus {
            background-tint: $foreground 5%;
            & > .submission-table--cursor {
                background: $block-cursor-background;
                color: $block-cursor-foreground;
                text-style: $block-cursor-text-style;
            }
            & > .submission-table--header { background-tint: $foreground 5%; }
        }
        &:dark > .submission-table--even-row { background: $surface-darken-1 40%; }
        & > .submission-table--header { text-style: bold; background: $panel; color: $foreground; }
        &:ansi > .submission-table--header { background: ansi_bright_blue; color: ansi_default; }
        & > .submission-table--even-row { background: $surface-lighten-1 50%; }
        & > .submission-table--cursor {
            background: $block-cursor-blurred-background;
            color: $block-cursor-blurred-foreground;
            text-style: $block-cursor-blurred-text-style;
        }
    }
    """
    BINDINGS = [
        Binding("enter", "select", "Select", show=False),
        Binding("up", "move(-1)", "Cursor up", show=False),
        Binding("down", "move(1)", "Cursor down", show=False),
        Binding("pageup", "page(-1)", "Page up", show=False),
        Binding("pagedown", "page(1)", "Page down", show=False),
        Binding("home", "first", "First row", show=False),
        Binding("end", "last", "Last row", show=False),
    ]

    class Selected(Message):
        """A row was chosen (Enter, or a click); `key` is its submission id."""

        def __init__(self, key: str) -> None:
            super().__init__()
            self.key = key

    def __init__(self, *columns: str, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._header_cells = [Text(label) for label in columns]
        self._keys: list[str] = []
        self._cells: list[list[Text]] = []
        self._widths = [cell.cell_len + 2 * PAD for cell in self._header_cells]
        self._cursor = 0
        self._width = 0  # the strips are drawn at least this wide (the widget's width)
        self._colours: tuple[Style, ...] = ()
        self._header = Strip([])
        self._lines: list[Strip] = []
        self._cursor_line = Strip([])

    # --- what the screen calls --------------------------------------------------------------------

    @property
    def row_count(self) -> int:
        return len(self._keys)

    @property
    def cursor_row(self) -> int:
        return self._cursor

    @property
    def cursor_key(self) -> str | None:
        return self._keys[self._cursor] if self._keys else None

    def rows_plain(self) -> list[list[str]]:
        """Every row's cells as plain text, as shown."""
        return [[cell.plain for cell in cells] for cells in self._cells]

    def set_rows(self, rows: list[tuple[str, list[Text]]]) -> None:
        """Show these rows (key, one-line cells); the cursor stays on its key if that row is still here."""
        key = self.cursor_key
        self._keys = [row_key for row_key, _ in rows]
        self._cells = [cells for _, cells in rows]
        columns = zip(self._header_cells, *self._cells)
        self._widths = [max(cell.cell_len for cell in column) + 2 * PAD for column in columns]
        self._cursor = self._keys.index(key) if key in self._keys else min(self._cursor, max(0, self.row_count - 1))
        self.virtual_size = Size(sum(self._widths), self.row_count + 1)
        self._redraw()
        self._cursor_into_view()

    # --- keys and mouse ---------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Enter on an empty table is left to the screen (None: not run here, the footer unchanged)."""
        return None if action == "select" and not self._keys else True

    def action_select(self) -> None:
        self.post_message(self.Selected(self._keys[self._cursor]))

    def action_move(self, rows: int) -> None:
        self._go(self._cursor + rows)

    def action_page(self, pages: int) -> None:
        self._go(self._cursor + pages * max(1, self.scrollable_content_region.height - 1))

    def action_first(self) -> None:
        self._go(0)

    def action_last(self) -> None:
        self._go(self.row_count - 1)

    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None or offset.y == 0:  # outside the rows, or on the header
            return
        row = self.scroll_offset.y + offset.y - 1
        if row < self.row_count:
            self._go(row)
            self.action_select()

    def _go(self, row: int) -> None:
        row = max(0, min(row, self.row_count - 1))
        if row != self._cursor:
            self._cursor = row
            self._draw_cursor()
            self.refresh()
        self._cursor_into_view()

    def _cursor_into_view(self) -> None:
        top, shown = self.scroll_offset.y, max(1, self.scrollable_content_region.height - 1)
        if self._cursor < top:
            self.scroll_to(y=self._cursor, animate=False)
        elif self._cursor >= top + shown:
            self.scroll_to(y=self._cursor - shown + 1, animate=False)

    # --- drawing ----------------------------------------------------------------------------------

    def on_resize(self) -> None:
        if self.size.width != self._width:
            self._redraw()

    def _styles(self) -> tuple[Style, ...]:
        """The table, header, even-row and cursor colours."""
        component = self.get_component_rich_style
        return (self.rich_style, *(component(f"submission-table--{name}") for name in ("header", "even-row", "cursor")))

    def _redraw(self) -> None:
        self._width = self.size.width
        self._colours = self._styles()
        self._header = self._draw(self._header_cells, self._colours[1])
        self._lines = [self._draw(cells, self._row_style(index)) for index, cells in enumerate(self._cells)]
        self._draw_cursor()
        self.refresh()

    def _row_style(self, index: int) -> Style:
        base, _, even, _ = self._colours
        return base if index % 2 else even

    def _draw_cursor(self) -> None:
        """The cursor row: its zebra colour overlaid with the cursor's (whose text colour wins)."""
        if self._colours and self._cells:
            cursor, index = self._colours[3], self._cursor
            style = self._row_style(index) + cursor
            self._cursor_line = self._draw(self._cells[index], style, Style.from_color(cursor.color))

    def _draw(self, cells: list[Text], style: Style, post: Style | None = None) -> Strip:
        """One row at the drawn width: each cell padded to its column, right-justified cells to the right."""
        console = self.app.console
        segments: list[Segment] = []
        for cell, width in zip(cells, self._widths):
            gap = width - 2 * PAD - cell.cell_len
            left = PAD + (gap if cell.justify == "right" else 0)
            segments.append(Segment(" " * left, style))
            segments.extend(Segment.apply_style(cell.render(console), style, post))
            segments.append(Segment(" " * (width - left - cell.cell_len), style))
        filler = max(self._width, sum(self._widths)) - sum(self._widths)
        segments.append(Segment(" " * filler, style))
        return Strip(segments).simplify()

    def render_line(self, y: int) -> Strip:
        x, width = self.scroll_offset.x, self.scrollable_content_region.width
        index = self.scroll_offset.y + y - 1
        if y == 0:
            strip = self._header
        elif index == self._cursor and self._lines:
            strip = self._cursor_line
        elif 0 <= index < len(self._lines):
            strip = self._lines[index]
        else:
            return Strip.blank(width, self.rich_style)
        return strip.crop(x, x + width)
