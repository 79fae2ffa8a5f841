"""The app in a real browser: headless Chromium against `marac-tui serve` on 127.0.0.1.

Skipped unless /usr/bin/chromium and the Python `playwright` package are present (no browser download:
the system Chromium is used). Set MARAC_BROWSER_SHOT=path.png to keep the screenshot.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from marac_tui.store import Store
from tests.test_serve import fetch, free_port
from tests.tui_harness import interview_for

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]  # fmt: skip

playwright = pytest.importorskip("playwright.sync_api", reason="the playwright package is not installed")
pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason=f"{CHROMIUM} is not installed"),
]


def wait_until(predicate, seconds: float, what: str) -> None:  # noqa: ANN001
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.25)
    raise AssertionError(f"in the browser: {what} did not happen within {seconds:.0f} s")


def case_refs(root: Path) -> set[str]:
    return {summary.case_ref for summary in Store(root).list()}


def test_new_user_in_a_browser(data_dir: Path, tmp_path: Path) -> None:
    interview_for(Store(data_dir))  # one saved draft, so the home screen has a row
    assert case_refs(data_dir) == {"MC-2026-0142"}
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "marac_tui", "serve", "--port", str(port), "--data-dir", str(data_dir)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    shot = Path(os.environ.get("MARAC_BROWSER_SHOT") or tmp_path / "browser.png")
    try:
        url = f"http://127.0.0.1:{port}/"
        fetch(url, time.monotonic() + 30)
        with playwright.sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            page = browser.new_page(viewport={"width": 1280, "height": 800})
            page.goto(url)
            page.wait_for_timeout(1500)
            if page.locator("#start").is_visible():  # the landing card, when textual-serve shows one
                page.locator("#start").click()
            page.wait_for_timeout(4000)  # the app starts in its own process per browser tab
            page.locator("#terminal").click(position={"x": 640, "y": 400})  # give the terminal the keyboard
            page.wait_for_timeout(500)
            page.keyboard.press("n")  # new submission: choose the flow
            page.wait_for_timeout(1500)
            page.keyboard.press("Enter")
            page.wait_for_timeout(2500)
            page.keyboard.type("BROWSER-0001")  # the first question: the case reference
            page.keyboard.press("Enter")
            wait_until(lambda: "BROWSER-0001" in case_refs(data_dir), 20, "saving the typed case reference")
            page.keyboard.press("Control+p")
            page.wait_for_timeout(1000)
            page.keyboard.type("high-contrast")
            page.wait_for_timeout(1500)
            page.keyboard.press("Enter")
            settings = data_dir / "settings.json"
            wait_until(lambda: settings.exists() and "high-contrast" in settings.read_text(), 20, "the theme switch")
            page.keyboard.press("Control+r")  # the review, in the high-contrast theme
            page.wait_for_timeout(2500)
            page.screenshot(path=str(shot))
            browser.close()
    finally:
        server.terminate()
        server.communicate(timeout=15)
    assert shot.stat().st_size > 10_000
