"""Selecting and copying text in the conversation (the line-drawn transcript), as a user would:
drag with the mouse over a prompt and an answer, press Ctrl+C, and read what reaches the clipboard."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Button

from marac_tui.tui.widgets.transcript import Transcript
from tests.tui_app_support import draft_at, make_app, open_draft, run_async, settle


def line_of(transcript: Transcript, text: str) -> int:
    """The index of the last drawn line containing `text`."""
    lines = transcript.rendered()
    return max(n for n, line in enumerate(lines) if text in line)


def on_screen(transcript: Transcript, line: int, column: int) -> tuple[int, int]:
    """Where a drawn line's column is on the screen (inside the padding; the view may be scrolled)."""
    region = transcript.content_region
    return region.x + column, region.y + line - transcript.scroll_offset.y


@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=["80x24", "120x40"])
def test_drag_select_then_ctrl_c_copies_the_text_under_the_selection(data_dir: Path, size: tuple[int, int]) -> None:
    @run_async
    async def run(data_dir: Path) -> None:
        draft = draft_at(data_dir, "date_of_birth", {"full_name": "Corvin [b]Ashdale[/b]"})
        app = make_app(data_dir)
        copied: list[str] = []
        app.copy_to_clipboard = lambda text: (copied.append(text), type(app).copy_to_clipboard(app, text))  # type: ignore[method-assign]
        async with app.run_test(size=size) as pilot:
            screen = await open_draft(pilot, draft)
            await settle(pilot)
            transcript = screen.query_one(Transcript)
            answer = line_of(transcript, "Corvin [b]Ashdale[/b]")
            prompt = line_of(transcript, "Date of birth?")
            drawn = transcript.rendered()
            start = drawn[answer].index("Corvin")
            end = drawn[prompt].index("Date of birth?") + len("Date of birth?")
            await pilot.mouse_down(offset=on_screen(transcript, answer, start))
            await pilot.hover(offset=on_screen(transcript, prompt, end - 1))
            await pilot.mouse_up(offset=on_screen(transcript, prompt, end - 1))
            await pilot.pause()
            assert screen.get_selected_text() is not None
            # the highlight is drawn where the selection is
            selection_style = screen.get_component_rich_style("screen--selection")
            row = transcript.render_line(answer - transcript.scroll_offset.y)
            assert any(seg.style and seg.style.bgcolor == selection_style.bgcolor and "Ashdale" in seg.text
                       for seg in row)  # fmt: skip
            await pilot.press("ctrl+c")  # the date box has the focus, with nothing selected in it
            await pilot.pause()
            assert app.screen is screen and screen.is_mounted  # no crash
            assert copied, "nothing reached the clipboard"
            text = copied[-1]
            assert text.startswith("Corvin [b]Ashdale[/b]")  # literal, as typed; no bubble edge
            # the answer, a blank line, the prompt (Textual 8.0 leaves the cell under the pointer out, 8.2 keeps it)
            assert text.endswith(("Date of birth?", "Date of birth")) and "\n\n" in text
            assert "▌" not in text and "▐" not in text
            assert app.clipboard == text

    run(data_dir)


@run_async
async def test_ctrl_c_with_the_yesno_buttons_focused_copies_a_selected_prompt(data_dir: Path) -> None:
    draft = draft_at(data_dir, "homeless", {"date_of_birth": "1990-03-01"})
    app = make_app(data_dir)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_draft(pilot, draft)
        await settle(pilot)
        assert isinstance(screen.focused, Button)
        transcript = screen.query_one(Transcript)
        prompt = line_of(transcript, "homeless")
        drawn = transcript.rendered()
        start = drawn[prompt].index("Is")
        end = drawn[prompt].rstrip().rindex("?")
        await pilot.mouse_down(offset=on_screen(transcript, prompt, start))
        await pilot.hover(offset=on_screen(transcript, prompt, end))
        await pilot.mouse_up(offset=on_screen(transcript, prompt, end))
        await pilot.press("ctrl+c")
        await pilot.pause()
        assert app.clipboard.startswith("Is the person homeless")
        assert app.clipboard.endswith(("?", "settled address"))  # Textual 8.0 leaves the cell under the pointer out
        assert "\n" not in app.clipboard


def test_select_all_copies_every_message_without_edges(data_dir: Path) -> None:
    from textual.selection import SELECT_ALL

    @run_async
    async def run(data_dir: Path) -> None:
        draft = draft_at(data_dir, "homeless", {"date_of_birth": "1990-03-01"})
        app = make_app(data_dir)
        async with app.run_test(size=(80, 24)) as pilot:
            screen = await open_draft(pilot, draft)
            await settle(pilot)
            text, end = screen.query_one(Transcript).get_selection(SELECT_ALL)
            assert end == "\n"
            assert "MC-2026-0917" in text and "Corvin Ashdale" in text and "01 Mar 1990" in text
            assert not any(line != line.strip() for line in text.splitlines())
            assert "▌" not in text and "▐" not in text

    run(data_dir)
