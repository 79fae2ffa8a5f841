"""Start-up warnings appear in the app as notices (the command line's stderr is hidden behind the
app's screen until it closes)."""

from __future__ import annotations

import os
from pathlib import Path

from marac_tui.store import Store
from tests.tui_app_support import draft_at, make_app, run_async, settle


@run_async
async def test_a_folder_others_can_read_is_a_notice_in_the_app(data_dir: Path) -> None:
    draft_at(data_dir, "representative")
    os.chmod(data_dir, 0o755)
    app = make_app(data_dir)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        notices = [n for n in app._notifications if n.title == "Store warning"]
        assert notices and "0755" in notices[0].message and "0700" in notices[0].message
        assert "marac-tui doctor --repair" in notices[0].message


@run_async
async def test_a_damaged_index_is_a_notice_naming_doctor(data_dir: Path) -> None:
    draft_at(data_dir, "representative")
    store = Store(data_dir)
    store.index.snapshot.write_bytes(b"\x00 not an index")
    app = make_app(data_dir)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        messages = [n.message for n in app._notifications if n.title == "Store warning"]
        assert any("doctor" in m for m in messages), messages


@run_async
async def test_a_healthy_store_shows_no_warning(data_dir: Path) -> None:
    draft_at(data_dir, "representative")
    app = make_app(data_dir)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert not [n for n in app._notifications if n.title == "Store warning"]
