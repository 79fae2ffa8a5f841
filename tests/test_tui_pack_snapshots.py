"""Snapshots of the Chair screen (the meeting pack) at 80×24 and 120×40.

Fixed ids and times (see test_tui_pack.pinned_store). Update with
`pytest tests/test_tui_pack_snapshots.py --snapshot-update` and look at the SVGs.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from test_tui_pack import pinned_store

from tests.tui_app_support import make_app


async def _open_pack(pilot) -> None:  # noqa: ANN001
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    await pilot.press("f5")
    await pilot.pause()
    await pilot.press("enter")
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def _at_first_match(pilot) -> None:  # noqa: ANN001
    await _open_pack(pilot)
    brief = pilot.app.screen.query_one("#chair-brief")
    brief.highlighted = next(n for n in range(brief.option_count) if (brief.get_option_at_index(n).id or "").startswith("match:"))
    await pilot.pause()


@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=["80x24", "120x40"])
def test_chair_screen(snap_compare, data_dir: Path, size: tuple[int, int]) -> None:  # noqa: ANN001
    pinned_store(data_dir)
    assert snap_compare(make_app(data_dir), terminal_size=size, run_before=_open_pack)


@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=["80x24", "120x40"])
def test_chair_screen_on_a_match(snap_compare, data_dir: Path, size: tuple[int, int]) -> None:  # noqa: ANN001
    pinned_store(data_dir)
    assert snap_compare(make_app(data_dir), terminal_size=size, run_before=_at_first_match)
