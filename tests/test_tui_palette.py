"""Command palette (every action of the screen, by name), the theme switch, and help."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest
from textual.command import CommandList, CommandPalette
from textual.widgets import Static

from marac_tui.store import Store
from marac_tui.tui.screens.help import HelpScreen
from marac_tui.tui.screens.review import ReviewScreen
from marac_tui.tui.themes import HIGH_CONTRAST_NAME, SETTINGS_FILE
from tests.tui_harness import (
    HostApp,
    StandInInterviewScreen,
    example_answers,
    interview_for,
    resume_at,
    run_async,
    until,
)

SIZE = (110, 40)


@pytest.fixture
def store(data_dir: Path) -> Store:
    return Store(data_dir)


def palette_entries(app: HostApp) -> list[str]:
    listing = app.screen.query_one(CommandList)
    return [listing.get_option_at_index(i).prompt.plain.split("\n")[0] for i in range(listing.option_count)]


async def open_palette(pilot, query: str = "") -> list[str]:  # noqa: ANN001 - Pilot
    app = pilot.app
    await pilot.press("ctrl+p")
    await until(pilot, lambda: isinstance(app.screen, CommandPalette))
    if query:
        await pilot.press(*query)
    await until(pilot, lambda: app.screen.query_one(CommandList).option_count > 0)
    await pilot.pause(0.3)  # let every provider finish
    return palette_entries(app)


@run_async
async def test_palette_lists_the_interview_actions(store: Store) -> None:
    app = HostApp(interview_for(store), store, open_review=False)
    async with app.run_test(size=SIZE) as pilot:
        entries = await open_palette(pilot)
        for name in ("Skip (not checked)", "Review answers", "Jump to item…", "Switch theme",
                     "High-contrast theme", "Help", "Quit"):
            assert name in entries
        # the stand-in screen has no back/guidance actions, so they are not offered
        assert "Go back one question" not in entries
        assert "Toggle why-this-matters panel" not in entries


@run_async
async def test_palette_lists_only_what_the_review_supports(store: Store) -> None:
    app = HostApp(interview_for(store), store)
    async with app.run_test(size=SIZE) as pilot:
        entries = await open_palette(pilot)
        for name in ("Back to the interview", "Edit this answer", "Next gap", "Chair's summary", "Export…",
                     "Finalise submission", "Jump to item…"):  # fmt: skip
            assert name in entries  # jumping from the review goes to the interview at that item
        assert "Skip (not checked)" not in entries and "Rest not checked…" not in entries


@run_async
async def test_running_a_command_from_the_palette(store: Store) -> None:
    app = HostApp(interview_for(store), store, open_review=False)
    async with app.run_test(size=SIZE) as pilot:
        entries = await open_palette(pilot, "review answers")
        assert entries[0] == "Review answers"
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, ReviewScreen))


@run_async
async def test_jump_to_an_item_by_name(store: Store) -> None:
    answers = example_answers()
    answers["perpetrators"][0]["full_name"] = "Jon [/] Doe [red]"
    interview = interview_for(store, answers)
    app = HostApp(interview, store, open_review=False)
    async with app.run_test(size=SIZE) as pilot:
        entries = await open_palette(pilot, "jump date of birth")
        assert entries[0] == "Jump to: Personal details › Date of birth? (Jon [/] Doe [red])"  # shown literally
        await pilot.press("enter")
        screen = app.screen
        await until(pilot, lambda: isinstance(app.screen, StandInInterviewScreen) and screen.jumps)
        assert screen.jumps == [("date_of_birth", 0)] and interview.state == "date_of_birth"


@run_async
async def test_jump_to_item_palette_lists_only_items(store: Store) -> None:
    interview = interview_for(store)
    app = HostApp(interview, store, open_review=False)
    async with app.run_test(size=SIZE) as pilot:
        await open_palette(pilot, "jump to item")
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, CommandPalette))
        await until(pilot, lambda: app.screen.query_one(CommandList).option_count > 5)
        entries = palette_entries(app)
        assert entries[0] == "Jump to: Case details › What is the MARAC case reference?"
        assert all(entry.startswith("Jump to: ") for entry in entries)
        assert "Jump to: Personal details › Date of birth? (Darren Quillfeather)" in entries
        await pilot.press(*"aliases", "enter")
        await until(pilot, lambda: interview.state == "aliases")


@run_async
async def test_high_contrast_theme_is_switched_and_remembered(store: Store, data_dir: Path) -> None:
    app = HostApp(interview_for(store), store)
    async with app.run_test(size=SIZE) as pilot:
        assert app.theme != HIGH_CONTRAST_NAME
        await open_palette(pilot, "high-contrast")
        await pilot.press("enter")
        await until(pilot, lambda: app.theme == HIGH_CONTRAST_NAME)
        await until(pilot, lambda: (data_dir / SETTINGS_FILE).exists())
    settings = data_dir / SETTINGS_FILE
    assert json.loads(settings.read_text())["theme"] == HIGH_CONTRAST_NAME
    assert stat.S_IMODE(os.stat(settings).st_mode) == 0o600

    again = HostApp(interview_for(store), store)  # a new session starts in the remembered theme
    async with again.run_test(size=SIZE) as pilot:
        assert again.theme == HIGH_CONTRAST_NAME
        await open_palette(pilot, "high-contrast")
        await pilot.press("enter")
        await until(pilot, lambda: again.theme == "textual-dark")


@run_async
async def test_a_broken_settings_file_is_ignored(store: Store, data_dir: Path) -> None:
    data_dir.mkdir(parents=True, exist_ok=True)
    (data_dir / SETTINGS_FILE).write_text('{"theme": ["not", "a name"]')
    app = HostApp(interview_for(store), store)
    async with app.run_test(size=SIZE):
        assert app.theme == "textual-dark"


@run_async
async def test_help_shows_this_screens_keys_and_the_practice_rules(store: Store) -> None:
    app = HostApp(interview_for(store), store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("question_mark")
        await until(pilot, lambda: isinstance(app.screen, HelpScreen))
        keys = app.screen.query_one("#help-screen-keys", Static).content.plain
        assert "n  " in keys and "Next gap" in keys and "Finalise" in keys
        assert "Focus Next" not in keys  # generic keys are listed once, under "Everywhere"
        practice = app.screen.query_one("#help-practice", Static).content.plain
        for phrase in ("relevant and proportionate", "fact", "professional opinion", "Nothing held",
                       "not checked", "Never contact the victim"):
            assert phrase in practice
        await pilot.press("escape")
        assert isinstance(app.screen, ReviewScreen)


@run_async
async def test_palette_in_the_real_app_follows_the_screen(store: Store) -> None:
    from marac_tui.tui.app import build_app

    answers = example_answers()
    answers["perpetrators"][0]["date_of_birth"] = "1988-04-17"  # found, with no source: the first gap
    sid = resume_at(store, interview_for(store, answers), "serial_details")
    app = build_app(store, cursor_blink=False)
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: type(app.screen).__name__ == "HomeScreen")
        home = await open_palette(pilot)
        for name in ("New submission", "Resume", "Delete", "Filter submissions", "High-contrast theme", "Help"):
            assert name in home
        assert "Skip (not checked)" not in home
        await pilot.press("escape")

        app.open_submission(sid)
        await until(pilot, lambda: type(app.screen).__name__ == "InterviewScreen")
        await until(pilot, lambda: app.screen.interview.state == "serial_details")
        asking = await open_palette(pilot)
        for name in ("Go back one question", "Skip (not checked)", "Toggle why-this-matters panel",
                     "Toggle progress sidebar", "Review answers", "Chair's summary", "Jump to item…"):
            assert name in asking
        assert "New submission" not in asking
        await pilot.press(*"review answers", "enter")
        await until(pilot, lambda: isinstance(app.screen, ReviewScreen))
        await pilot.press("n", "enter")  # the first gap (date of birth: no source) → edit it in place
        await until(pilot, lambda: type(app.screen).__name__ == "InterviewScreen")
        await until(pilot, lambda: app.screen.interview.state == "date_of_birth")
