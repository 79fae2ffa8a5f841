"""The home screen: the submissions table, filter, new (flow choice), resume, delete, training,
and the passphrase prompt of an encrypted store."""

from __future__ import annotations

import time
from datetime import datetime, timezone
from pathlib import Path

import pytest
from textual.widgets import DataTable, Input, OptionList

from marac_tui.store import Store
from marac_tui.tui.app import build_app
from marac_tui.tui.screens import home
from marac_tui.tui.screens.home import ChooseScreen, ConfirmScreen, HomeScreen
from marac_tui.tui.screens.interview import InterviewScreen
from marac_tui.tui.screens.passphrase import PassphraseScreen
from tests.tui_app_support import SIZE, draft_at, make_app, run_async, settle, transcript_text, type_text


def rows(app) -> list[list[str]]:  # noqa: ANN001
    table = app.screen.query_one(DataTable)
    return [[str(getattr(c, "plain", c)) for c in table.get_row_at(i)] for i in range(table.row_count)]


def two_drafts(data_dir: Path) -> None:
    draft_at(data_dir, "homeless", {"case_ref": "MC-2026-0101", "full_name": "Corvin Ashdale"})
    draft_at(data_dir, "homeless", {"case_ref": "MC-2026-0202", "full_name": "Mabon Threlkeld"})


@run_async
async def test_table_lists_drafts_with_their_details(data_dir: Path) -> None:
    two_drafts(data_dir)
    app = make_app(data_dir)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
        table = rows(app)
        assert [r[:4] for r in table] == [
            ["MC-2026-0202", "Mabon Threlkeld", "police", "draft"],
            ["MC-2026-0101", "Corvin Ashdale", "police", "draft"],
        ]
        assert all(int(r[4]) >= 6 for r in table)  # answers so far


@run_async
async def test_typing_filters_the_table(data_dir: Path) -> None:
    two_drafts(data_dir)
    app = make_app(data_dir)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await type_text(pilot, "mabon")  # typed in the table: goes to the filter
        await pilot.pause()
        assert app.screen.query_one("#filter", Input).value == "mabon"
        assert [r[0] for r in rows(app)] == ["MC-2026-0202"]
        await type_text(pilot, " zz")
        await pilot.pause()
        assert rows(app) == [] and "Nothing matches" in str(app.screen.query_one("#home-empty").content)


@run_async
async def test_new_offers_the_flows_by_title(data_dir: Path) -> None:
    app = make_app(data_dir)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert "No submissions yet" in str(app.screen.query_one("#home-empty").content)
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, ChooseScreen)
        options = app.screen.query_one(OptionList)
        labels = [options.get_option_at_index(i).prompt.plain for i in range(options.option_count)]
        assert any(label.startswith("Police researcher") for label in labels)
        assert any(label.startswith("Probation officer") for label in labels)
        await pilot.press("down", "enter")
        await pilot.pause()
        assert isinstance(app.screen, InterviewScreen)
        assert app.screen.interview.flow.name == "probation"


@run_async
async def test_resume_opens_the_selected_draft(data_dir: Path) -> None:
    two_drafts(data_dir)
    app = make_app(data_dir)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("down", "enter")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, InterviewScreen)
        assert screen.interview.submission.header.case_ref == "MC-2026-0101"
        assert screen.interview.state == "homeless"
        await pilot.press("escape")  # home again; the lock is let go
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
    assert Store(data_dir).holder(rows_id(data_dir, "MC-2026-0101")) is None


def rows_id(data_dir: Path, case_ref: str) -> str:
    return next(s.id for s in Store(data_dir).list() if s.case_ref == case_ref)


@run_async
async def test_delete_asks_first(data_dir: Path) -> None:
    two_drafts(data_dir)
    app = make_app(data_dir)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("d")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        assert "MC-2026-0202" in str(app.screen.question)
        await pilot.press("enter")  # the focused button is "No"
        await settle(pilot)
        assert len(rows(app)) == 2
        await pilot.press("d")
        await pilot.pause()
        await pilot.press("y")
        await settle(pilot)
        assert [r[0] for r in rows(app)] == ["MC-2026-0101"]
    assert [s.case_ref for s in Store(data_dir).list()] == ["MC-2026-0101"]


@run_async
async def test_training_starts_a_fictional_case_with_its_brief(data_dir: Path) -> None:
    from marac_tui.training.scenarios import list_scenarios

    first = list_scenarios()[0]
    app = make_app(data_dir)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("t")
        await pilot.pause()
        assert isinstance(app.screen, ChooseScreen)
        await pilot.press("enter")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, InterviewScreen)
        assert screen.interview.submission.training == first.name
        assert first.brief.strip().splitlines()[0] in transcript_text(screen)
    assert [s.training for s in Store(data_dir).list()] == [first.name]


@run_async
async def test_encrypted_store_asks_for_the_passphrase(data_dir: Path) -> None:
    Store.init(data_dir, passphrase="correct horse battery")
    app = build_app(None, root=data_dir, cursor_blink=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, PassphraseScreen)
        await type_text(pilot, "wrong passphrase")
        await pilot.press("enter")
        await settle(pilot)
        assert "wrong passphrase" in str(app.screen.query_one("#passphrase-error").content)
        await type_text(pilot, "correct horse battery")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
        assert app.store.encrypted


@run_async
async def test_hostile_names_are_shown_literally_in_the_table(data_dir: Path) -> None:
    draft_at(data_dir, "homeless", {"case_ref": "[bold]MC-1[/]", "full_name": "Jon [/] \x1b[31mDoe"})
    app = make_app(data_dir)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert [r[:2] for r in rows(app)] == [["[bold]MC-1[/]", "Jon [/] \\x1b[31mDoe"]]
        await type_text(pilot, "[/]")  # filtering on markup-looking text is plain text too
        await pilot.pause()
        assert app.screen.query_one("#filter", Input).value == "[/]"
        assert len(rows(app)) == 1
        await type_text(pilot, "x")
        await pilot.pause()
        assert rows(app) == []


def test_last_change_is_short_enough_for_an_80_column_table(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TZ", "UTC")  # shown in local time
    time.tzset()
    today = datetime(2026, 11, 23, 9, 0, tzinfo=timezone.utc)
    assert home.when_changed("2026-11-21T14:05:00+00:00", today) == "21 Nov 14:05"
    assert home.when_changed("2025-03-02T08:00:00+00:00", today) == "02 Mar 2025"
    assert home.when_changed("not a date", today) == "not a date"


@run_async
async def test_twenty_drafts_fit_an_80_column_terminal_without_sideways_scrolling(data_dir: Path) -> None:
    for n in range(20):
        draft_at(data_dir, "homeless", {"case_ref": f"MC-2026-{n:04d}", "full_name": "Corvin Ashdale"})
    app = make_app(data_dir)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        table = app.screen.query_one(DataTable)
        assert table.row_count == 20
        assert table.show_vertical_scrollbar and not table.show_horizontal_scrollbar
