"""Snapshots of the review and the Chair's summary at a fixed size (update: --snapshot-update)."""

from __future__ import annotations

from pathlib import Path

import pytest

from marac_tui.store import Store
from marac_tui.tui.themes import HIGH_CONTRAST_NAME
from tests.tui_harness import HostApp, example_answers, interview_for, resume_at

SIZE = (100, 36)


@pytest.fixture
def store(data_dir: Path) -> Store:
    return Store(data_dir)


def gappy_answers() -> dict:
    """The example with its action removed: the serial-perpetrator risk is left unaddressed."""
    answers = example_answers()
    answers["perpetrators"][0].pop("actions")
    return answers


def test_review_top(snap_compare, store: Store) -> None:  # noqa: ANN001 - syrupy fixture
    assert snap_compare(HostApp(interview_for(store), store), terminal_size=SIZE)


def test_review_next_gap_highlighted(snap_compare, store: Store) -> None:  # noqa: ANN001
    assert snap_compare(HostApp(interview_for(store, gappy_answers()), store), press=["n", "n"], terminal_size=SIZE)


def test_review_risks_without_action(snap_compare, store: Store) -> None:  # noqa: ANN001
    async def to_risks(pilot) -> None:  # noqa: ANN001 - Pilot
        listing = pilot.app.screen.query_one("#review-list")
        prompts = [listing.get_option_at_index(i).prompt.plain for i in range(listing.option_count)]
        index = prompts.index("Risks for the Chair")
        listing.highlighted = index + 1
        listing.scroll_to_highlight()  # the row comes into view at the bottom
        await pilot.pause()

    app = HostApp(interview_for(store, gappy_answers()), store)
    assert snap_compare(app, terminal_size=SIZE, run_before=to_risks)


def test_review_high_contrast(snap_compare, store: Store) -> None:  # noqa: ANN001
    async def high_contrast(pilot) -> None:  # noqa: ANN001 - Pilot
        pilot.app.theme = HIGH_CONTRAST_NAME
        await pilot.press("n")

    assert snap_compare(HostApp(interview_for(store), store), terminal_size=SIZE, run_before=high_contrast)


def test_chairs_summary(snap_compare, store: Store) -> None:  # noqa: ANN001
    assert snap_compare(HostApp(interview_for(store), store), press=["c"], terminal_size=SIZE)


def test_hostile_names_in_review(snap_compare, store: Store) -> None:  # noqa: ANN001
    answers = example_answers()
    answers["case_ref"] = "[bold]MC-[/]1"
    answers["perpetrators"][0]["full_name"] = "[red]Jon [/] Doe \x1b[31mred"
    answers["perpetrators"][0]["address"]["value"] = "[link=https://x.invalid]Flat 1[/link] " + "y" * 5000
    assert snap_compare(HostApp(interview_for(store, answers), store), terminal_size=SIZE)


def test_review_in_the_app(snap_compare, store: Store) -> None:  # noqa: ANN001
    """The same review, reached as a user would: open the draft from home, then ctrl+r."""
    from marac_tui.tui.app import build_app

    sid = resume_at(store, interview_for(store, gappy_answers()), "serial_details")

    async def open_review(pilot) -> None:  # noqa: ANN001 - Pilot
        app = pilot.app
        while type(app.screen).__name__ != "HomeScreen":
            await pilot.pause()
        app.open_submission(sid)
        while getattr(getattr(app.screen, "interview", None), "state", None) != "serial_details":
            await pilot.pause()
        await pilot.press("ctrl+r")
        while type(app.screen).__name__ != "ReviewScreen":
            await pilot.pause()
        await pilot.press("n")

    assert snap_compare(build_app(store, cursor_blink=False), terminal_size=SIZE, run_before=open_review)


@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=["80x24", "120x40"])
def test_review_footer_lists_edit_and_jump(snap_compare, store: Store, size) -> None:  # noqa: ANN001
    """The first answer highlighted (the page keys work at once); the footer lists Edit and Jump."""
    assert snap_compare(HostApp(interview_for(store), store), terminal_size=size)


@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=["80x24", "120x40"])
def test_export_dialog_follows_the_audience(snap_compare, store: Store, size, monkeypatch) -> None:  # noqa: ANN001
    """The default path is in the private exports folder; switching to internal renames the file."""
    from pathlib import Path

    from marac_tui.tui.screens import export_dialog

    monkeypatch.setattr(export_dialog, "export_folder", lambda _root: Path("/home/researcher/marac/exports"))

    async def to_internal(pilot) -> None:  # noqa: ANN001 - Pilot
        await pilot.press("x")
        await pilot.pause()
        pilot.app.screen.query_one("#export-audience").value = "internal"
        await pilot.pause()

    interview = interview_for(store)
    interview.submission.id = __import__("uuid").UUID("3f2a0c4e-0000-4000-8000-000000000142")
    assert snap_compare(HostApp(interview, store), terminal_size=size, run_before=to_internal)
