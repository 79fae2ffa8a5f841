"""Accessibility of the app itself: NO_COLOR is honoured (the real app in a pseudo-terminal draws in
shades of grey only), and the home screen and help point to plain mode."""

from __future__ import annotations

import io
import re
import sys
from pathlib import Path

import pexpect

from marac_tui.tui.screens.help import HelpScreen
from tests.plain_support import environment
from tests.tui_app_support import SIZE, make_app, run_async

SGR = re.compile(r"\x1b\[([0-9;:]*)m")


def colours(output: str) -> tuple[int, int]:
    """(grey, coloured) foreground and background colours in the SGR sequences of `output`."""
    grey = coloured = 0
    for params in SGR.findall(output):
        parts = [p for p in re.split("[;:]", params) if p]
        i = 0
        while i < len(parts):
            code = parts[i]
            if code in ("38", "48") and i + 1 < len(parts) and parts[i + 1] == "2":
                r, g, b = (int(p) for p in parts[i + 2 : i + 5])
                grey, coloured = (grey + 1, coloured) if r == g == b else (grey, coloured + 1)
                i += 5
            elif code in ("38", "48") and i + 1 < len(parts) and parts[i + 1] == "5":
                n = int(parts[i + 2])
                grey, coloured = (grey + 1, coloured) if n in (0, 7, 8, 15, 16, 231) or n >= 232 else (grey, coloured + 1)
                i += 3
            else:
                if code.isdigit() and (30 <= int(code) <= 36 or 41 <= int(code) <= 46 or 91 <= int(code) <= 96):
                    coloured += 1
                i += 1
    return grey, coloured


def app_output(data_dir: Path, no_color: bool) -> str:
    """What the real app sends to a 256-colour terminal, from start to its home screen and out."""
    env = environment()
    env.update(COLORTERM="truecolor")
    if no_color:
        env["NO_COLOR"] = "1"
    child = pexpect.spawn(sys.executable, ["-m", "marac_tui", "--data-dir", str(data_dir)], env=env,
                          encoding="utf-8", timeout=30, dimensions=(24, 80))  # fmt: skip
    child.logfile_read = io.StringIO()
    child.expect("No submissions yet")
    child.sendcontrol("q")
    child.expect(pexpect.EOF)
    child.close()
    return child.logfile_read.getvalue()


def test_no_color_draws_the_app_in_greys_only(tmp_path: Path) -> None:
    grey, coloured = colours(app_output(tmp_path / "store", no_color=False))
    assert coloured > 20  # the check can fail: without NO_COLOR the theme's colours are drawn
    grey, coloured = colours(app_output(tmp_path / "store", no_color=True))
    assert (grey > 20, coloured) == (True, 0)


@run_async
async def test_home_and_help_point_to_plain_mode(data_dir: Path) -> None:
    app = make_app(data_dir)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert app.screen.sub_title == "Screen reader? marac-tui plain"
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        text = str(app.screen.query_one("#help-plain").content)
        assert "marac-tui plain" in text and "never redrawn" in text
