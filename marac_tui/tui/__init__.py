"""The Textual app. Every scrollbar in it is drawn by `widgets.scrollbar` (set here, on import, so the
app, its screens and their tests all draw the same way)."""

from marac_tui.tui.widgets.scrollbar import use_strip_scrollbars

use_strip_scrollbars()
