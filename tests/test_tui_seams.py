"""How marac-tui meets Textual: nothing set process-wide, no reactive of Textual's redefined."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from pathlib import Path

from textual.dom import DOMNode
from textual.reactive import Reactive
from textual.scrollbar import ScrollBar, ScrollBarRender

import marac_tui.tui
from marac_tui.tui.widgets.progress import ProgressSidebar
from marac_tui.tui.widgets.scrollbar import StripScrollBarRender
from marac_tui.tui.widgets.submissions import SubmissionTable
from marac_tui.tui.widgets.transcript import Transcript
from tests.tui_app_support import SIZE, draft_at, make_app, open_draft, run_async, settle


def tui_classes() -> list[type]:
    found = []
    for module in pkgutil.walk_packages(marac_tui.tui.__path__, "marac_tui.tui."):
        for _, cls in inspect.getmembers(importlib.import_module(module.name), inspect.isclass):
            if issubclass(cls, DOMNode) and cls.__module__.startswith("marac_tui."):
                found.append(cls)
    return found


def test_no_reactive_of_a_textual_class_is_redefined() -> None:
    redefined = []
    for cls in tui_classes():
        for name, value in vars(cls).items():
            if not isinstance(value, Reactive):
                continue
            for base in cls.__mro__[1:]:
                if base.__module__.startswith("textual.") and isinstance(vars(base).get(name), Reactive):
                    redefined.append(f"{cls.__name__}.{name} (from {base.__name__})")
    assert len(tui_classes()) > 20
    assert redefined == []


@run_async
async def test_the_strip_scrollbars_are_set_per_widget_not_for_the_process(data_dir: Path) -> None:
    assert ScrollBar.renderer is ScrollBarRender  # importing the app changed nothing
    draft = draft_at(data_dir, "homeless")
    app = make_app(data_dir)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        table = app.screen.query_one(SubmissionTable)
        assert table.vertical_scrollbar.renderer is StripScrollBarRender
        screen = await open_draft(pilot, draft)
        await settle(pilot)
        assert screen.query_one(Transcript).vertical_scrollbar.renderer is StripScrollBarRender
        tree = screen.query_one(ProgressSidebar).query_one("#progress-tree")
        assert tree.vertical_scrollbar.renderer is StripScrollBarRender
        assert ScrollBar.renderer is ScrollBarRender  # and running it neither


TEXTUAL_OBJECTS = {"app", "pilot", "screen", "driver", "tree", "table", "transcript", "widget", "box", "toast", "sidebar"}


def test_no_test_reads_private_textual_state() -> None:
    """Tests read what a user would see through Textual's public API (the bench's hooks live in one
    shim, bench/textual_hooks.py, which is not a test)."""
    import ast

    found = []
    for path in sorted(Path(__file__).parent.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not (isinstance(node, ast.Attribute) and node.attr.startswith("_") and not node.attr.startswith("__")):
                continue
            base = node.value
            name = base.attr if isinstance(base, ast.Attribute) else base.id if isinstance(base, ast.Name) else ""
            if name in TEXTUAL_OBJECTS:
                found.append(f"{path.name}:{node.lineno} {name}.{node.attr}")
    assert found == []
