"""The app in a real browser: headless Chromium against `marac-tui serve` on 127.0.0.1, opened with
the address (and key) that `serve` prints, as a user would.

Needs Debian's /usr/bin/chromium and the Python `playwright` package (no browser download: the system
Chromium is used); `.ci/run` installs both, so in CI this runs. Set MARAC_BROWSER_SHOT=path.png to
keep the screenshot.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from marac_tui.store import Store
from tests.test_serve import start_serve, stop
from tests.tui_harness import interview_for

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]  # fmt: skip

IN_CI = bool(os.environ.get("CI") or os.environ.get("MARAC_TUI_CI"))  # .ci/run installs both: there, a missing one is a failure, never a skip
if IN_CI:
    import playwright.sync_api as playwright
else:
    playwright = pytest.importorskip("playwright.sync_api", reason="the playwright package is not installed")
pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not IN_CI and not Path(CHROMIUM).exists(), reason=f"{CHROMIUM} is not installed"),
]


def wait_until(predicate, seconds: float, what: str) -> None:  # noqa: ANN001
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.25)
    raise AssertionError(f"in the browser: {what} did not happen within {seconds:.0f} s")


def press_and_see(page, key: str, what: str, seconds: float = 60) -> None:  # noqa: ANN001
    """Press `key` and wait until the screen shows something else (the terminal is a canvas)."""
    before = page.locator("#terminal").screenshot()
    page.keyboard.press(key)
    wait_until(lambda: page.locator("#terminal").screenshot() != before, seconds, what)
    page.wait_for_timeout(1000)


def case_refs(root: Path) -> set[str]:
    return {summary.case_ref for summary in Store(root).list()}


def test_new_user_in_a_browser(data_dir: Path, tmp_path: Path) -> None:
    interview_for(Store(data_dir))  # one saved draft, so the home screen has a row
    assert case_refs(data_dir) == {"MC-2026-0142"}
    served = start_serve(data_dir, tmp_path)
    shot = Path(os.environ.get("MARAC_BROWSER_SHOT") or tmp_path / "browser.png")
    outside: list[str] = []
    try:
        with playwright.sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            page = browser.new_page(viewport={"width": 1280, "height": 800})
            page.on("request", lambda r: None if r.url.startswith((served.origin, "ws://127.0.0.1", "data:"))
                    else outside.append(r.url))  # fmt: skip
            refused = page.goto(served.origin + "/")
            assert refused is not None and refused.status == 403  # no key, no app
            page.goto(served.url)
            assert page.url == served.origin + "/"  # the key left the address bar (and the history)
            wait_until(lambda: page.evaluate("document.body.classList.contains('-first-byte')"), 60, "the app appearing")
            page.wait_for_timeout(1500)
            page.locator("#terminal").click(position={"x": 640, "y": 400})  # give the terminal the keyboard
            press_and_see(page, "n", "the flow chooser")  # new submission: choose the flow
            press_and_see(page, "Enter", "the first question")
            for _ in range(4):  # a key typed while a loaded machine is still drawing can be lost: type again
                page.keyboard.type("BROWSER-0001")  # the first question: the case reference
                page.keyboard.press("Enter")
                try:
                    wait_until(lambda: "BROWSER-0001" in case_refs(data_dir), 15, "saving the typed case reference")
                    break
                except AssertionError:
                    continue
            assert "BROWSER-0001" in case_refs(data_dir)
            page.keyboard.press("Control+p")
            page.wait_for_timeout(1000)
            page.keyboard.type("high-contrast")
            page.wait_for_timeout(1500)
            page.keyboard.press("Enter")
            settings = data_dir / "settings.json"
            wait_until(lambda: settings.exists() and "high-contrast" in settings.read_text(), 30, "the theme switch")
            page.keyboard.press("Control+r")  # the review, in the high-contrast theme
            page.wait_for_timeout(2500)
            page.screenshot(path=str(shot))
            browser.close()
    finally:
        stop(served)
    assert outside == []  # nothing was asked of any other site (no Google Fonts)
    assert shot.stat().st_size > 10_000
