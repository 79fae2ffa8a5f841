"""The home screen's table of submissions: a light, line-drawn table with a row cursor.

It looks like Textual's DataTable with a row cursor and zebra stripes, but costs the same with
10,000 rows as with 20: it is given its rows as a `Rows` source, and draws (then keeps) only the
rows that come into view, each into a Strip from its cells' Rich segments (user text is never read
as markup). The header stays at the top while the rows scroll; a theme change or a resize redraws
what is in view.
"""

from __future__ import annotations

from typing import Any, Protocol

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
from marac_tui.tui.widgets.scrollbar import strip_scrollbars

PAD = 1  # blank cells each side of a column, as DataTable
KEPT = 512  # drawn rows kept before the oldest are dropped (a few screens' worth)


class Rows(Protocol):
    """What the table shows. Only `len`, `key` and `widths` are asked for every row set; `cells` only
    for the rows drawn."""

    def __len__(self) -> int: ...

    def key(self, index: int) -> str:
        """The submission id of row `index`."""
        ...

    def index(self, key: str) -> int | None:
        """The row showing `key`, if any."""
        ...

    def cells(self, index: int) -> list[Text]:
        """Row `index`'s one-line cells, one per column (right-justified Text for numbers)."""
        ...

    def widths(self) -> list[int]:
        """Each column's widest cell, in terminal cells."""
        ...


class NoRows:
    """An empty table."""

    def __len__(self) -> int:
        return 0

    def key(self, index: int) -> str:
        raise IndexError(index)

    def index(self, key: str) -> int | None:
        return None

    def cells(self, index: int) -> list[Text]:
        raise IndexError(index)

    def widths(self) -> list[int]:
        return []


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
        self._rows: Rows = NoRows()
        self._widths = [cell.cell_len + 2 * PAD for cell in self._header_cells]
        self._cursor = 0
        self._width = 0  # the strips are drawn at least this wide (the widget's width)
        self._colours: tuple[Style, ...] = ()
        self._header = Strip([])
        self._drawn: dict[int, Strip] = {}  # rows drawn so far, by index
        self._cursor_line: tuple[int, Strip] | None = None

    # --- what the screen calls --------------------------------------------------------------------

    @property
    def row_count(self) -> int:
        return len(self._rows)

    @property
    def cursor_row(self) -> int:
        return self._cursor

    @property
    def cursor_key(self) -> str | None:
        return self._rows.key(self._cursor) if len(self._rows) else None

    def rows_plain(self) -> list[list[str]]:
        """Every row's cells as plain text, as shown (this draws every row: for tests and small tables)."""
        return [[cell.plain for cell in self._rows.cells(index)] for index in range(len(self._rows))]

    def set_rows(self, rows: Rows) -> None:
        """Show these rows; the cursor stays on its key if that row is still here."""
        key = self.cursor_key
        self._rows = rows
        widths = rows.widths() or [0] * len(self._header_cells)
        self._widths = [max(header.cell_len, width) + 2 * PAD for header, width in zip(self._header_cells, widths)]
        kept = rows.index(key) if key is not None else None
        self._cursor = kept if kept is not None else min(self._cursor, max(0, len(rows) - 1))
        self.virtual_size = Size(sum(self._widths), len(rows) + 1)
        self._redraw()
        self._cursor_into_view()

    def on_mount(self) -> None:
        strip_scrollbars(self, horizontal=True)

    # --- keys and mouse ---------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Enter on an empty table is left to the screen (None: not run here, the footer unchanged)."""
        return None if action == "select" and not len(self._rows) else True

    def action_select(self) -> None:
        self.post_message(self.Selected(self._rows.key(self._cursor)))

    def action_move(self, rows: int) -> None:
        self._go(self._cursor + rows)

    def action_page(self, pages: int) -> None:
        self._go(self._cursor + pages * self._rows_in_view())

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
            self.refresh()
        self._cursor_into_view()

    def _rows_in_view(self) -> int:
        return max(1, self.scrollable_content_region.height - 1)

    def _cursor_into_view(self) -> None:
        top, shown = self.scroll_offset.y, self._rows_in_view()
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
        self._forget_drawn()
        self.refresh()

    def _forget_drawn(self) -> None:
        """Forget every drawn row at the current width and colours; the header is drawn now, the rows
        as they come into view."""
        self._width = self.size.width
        self._colours = self._styles()
        self._header = self._draw(self._header_cells, self._colours[1])
        self._drawn = {}
        self._cursor_line = None

    def _row_style(self, index: int) -> Style:
        base, _, even, _ = self._colours
        return base if index % 2 else even

    def _row(self, index: int) -> Strip:
        strip = self._drawn.get(index)
        if strip is None:
            if len(self._drawn) >= KEPT:
                self._drawn = {}
            strip = self._drawn[index] = self._draw(self._rows.cells(index), self._row_style(index))
        return strip

    def _cursor_strip(self) -> Strip:
        """The cursor row: its zebra colour overlaid with the cursor's (whose text colour wins)."""
        index = self._cursor
        if self._cursor_line is None or self._cursor_line[0] != index:
            cursor = self._colours[3]
            style = self._row_style(index) + cursor
            self._cursor_line = (index, self._draw(self._rows.cells(index), style, Style.from_color(cursor.color)))
        return self._cursor_line[1]

    def _draw(self, cells: list[Text], style: Style, post: Style | None = None) -> Strip:
        """One row at the drawn width: each cell padded (or cut) to its column, right-justified cells
        to the right."""
        console = self.app.console
        segments: list[Segment] = []
        for cell, width in zip(cells, self._widths):
            room = width - 2 * PAD
            if cell.cell_len > room:
                cell = cell.copy()
                cell.truncate(room, overflow="ellipsis")
            gap = room - cell.cell_len
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
        if not self._colours:  # drawn before any rows were set
            self._forget_drawn()
        if y == 0:
            strip = self._header
        elif not 0 <= index < len(self._rows):
            return Strip.blank(width, self.rich_style)
        elif index == self._cursor:
            strip = self._cursor_strip()
        else:
            strip = self._row(index)
        return strip.crop(x, x + width)
