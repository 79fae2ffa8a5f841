"""Start-up warnings appear in the app as notices (the command line's stderr is hidden behind the
app's screen until it closes), read from the screen as the user sees them, at 80x24 and 120x40."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from marac_tui.store import Store
from tests.tui_app_support import draft_at, make_app, notifications, run_async, settle

SIZES = [(80, 24), (120, 40)]
IDS = ["80x24", "120x40"]


def store_warnings(app: object) -> list[str]:
    return [text for text in notifications(app) if "Store warning" in text]


@pytest.mark.parametrize("size", SIZES, ids=IDS)
def test_a_folder_others_can_read_is_a_notice_in_the_app(data_dir: Path, size: tuple[int, int]) -> None:
    draft_at(data_dir, "representative")
    os.chmod(data_dir, 0o755)

    @run_async
    async def run() -> None:
        app = make_app(data_dir)
        async with app.run_test(size=size, notifications=True) as pilot:
            await settle(pilot)
            shown = " ".join(" ".join(store_warnings(app)).split())
            assert "0755" in shown and "0700" in shown, notifications(app)
            assert "marac-tui doctor --repair" in shown

    run()


@pytest.mark.parametrize("size", SIZES, ids=IDS)
def test_a_damaged_index_is_a_notice_naming_doctor(data_dir: Path, size: tuple[int, int]) -> None:
    draft_at(data_dir, "representative")
    Store(data_dir).index.snapshot.write_bytes(b"\x00 not an index")

    @run_async
    async def run() -> None:
        app = make_app(data_dir)
        async with app.run_test(size=size, notifications=True) as pilot:
            await settle(pilot)
            assert any("doctor" in text for text in store_warnings(app)), notifications(app)

    run()


@run_async
async def test_a_healthy_store_shows_no_warning(data_dir: Path) -> None:
    draft_at(data_dir, "representative")
    app = make_app(data_dir)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await settle(pilot)
        assert not store_warnings(app)
