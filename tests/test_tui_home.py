"""The home screen: the submissions table, filter, new (flow choice), resume, delete, training,
and the passphrase prompt of an encrypted store."""

from __future__ import annotations

import time
from datetime import datetime, timezone
from pathlib import Path

import pytest
from textual import events
from textual.widgets import Input, OptionList

from marac_tui.store import Store
from marac_tui.tui.app import build_app
from marac_tui.tui.screens import home
from marac_tui.tui.screens.home import ChooseScreen, ConfirmScreen, HomeScreen
from marac_tui.tui.screens.interview import InterviewScreen
from marac_tui.tui.screens.passphrase import PassphraseScreen
from marac_tui.tui.widgets.submissions import SubmissionTable
from tests.tui_app_support import (
    SIZE,
    draft_at,
    make_app,
    notifications,
    run_async,
    settle,
    transcript_text,
    type_text,
)
from tests.tui_harness import until


def rows(app) -> list[list[str]]:  # noqa: ANN001
    return app.screen.query_one(SubmissionTable).rows_plain()


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
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        assert "No submissions yet" in str(app.screen.query_one("#home-empty").content)
        await pilot.press("enter")  # an empty table leaves Enter to the screen
        await pilot.pause()
        assert any("Nothing to resume" in n for n in notifications(app))
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, ChooseScreen)
        options = app.screen.query_one(OptionList)
        labels = [options.get_option_at_index(i).prompt.plain for i in range(options.option_count)]
        assert any(label.startswith("Police · Police researcher") for label in labels)
        assert any(label.startswith("Probation Service · Probation officer") for label in labels)
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
        await until(pilot, lambda: "wrong passphrase" in str(app.screen.query_one("#passphrase-error").content))
        await until(pilot, lambda: app.screen.query_one("#passphrase", Input).has_focus)
        await type_text(pilot, "correct horse battery")
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, HomeScreen))  # scrypt, then the screen swap
        await settle(pilot)  # and the home screen mounted and listed (nothing left half-done at exit)
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


def twenty_drafts(data_dir: Path) -> None:
    for n in range(20):
        draft_at(data_dir, "homeless", {"case_ref": f"MC-2026-{n:04d}", "full_name": "Corvin Ashdale"})


@run_async
async def test_twenty_drafts_fit_an_80_column_terminal_without_sideways_scrolling(data_dir: Path) -> None:
    twenty_drafts(data_dir)
    app = make_app(data_dir)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        table = app.screen.query_one(SubmissionTable)
        assert table.row_count == 20
        assert table.show_vertical_scrollbar and not table.show_horizontal_scrollbar


def shown(app) -> list[str]:  # noqa: ANN001
    """The table's lines in view, as drawn (header first)."""
    table = app.screen.query_one(SubmissionTable)
    return [table.render_line(y).text.strip() for y in range(table.scrollable_content_region.height)]


def three_drafts(data_dir: Path) -> None:
    two_drafts(data_dir)
    draft_at(data_dir, "homeless", {"case_ref": "MC-2026-0303", "full_name": "Ysolde Penhallow"})


async def resumed(pilot) -> str:  # noqa: ANN001
    """The case ref of the submission the app opened."""
    await settle(pilot)
    assert isinstance(pilot.app.screen, InterviewScreen)
    return pilot.app.screen.interview.submission.header.case_ref


@run_async
async def test_arrow_keys_and_enter_resume_the_chosen_submission(data_dir: Path) -> None:
    three_drafts(data_dir)
    app = make_app(data_dir)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert [line.split()[0] for line in shown(app)[:4]] == ["Case", "MC-2026-0303", "MC-2026-0202", "MC-2026-0101"]
        await pilot.press("down", "down", "down", "up")  # the cursor stops at the last row
        await pilot.press("enter")
        assert await resumed(pilot) == "MC-2026-0202"


@run_async
async def test_a_click_on_a_row_resumes_that_submission(data_dir: Path) -> None:
    three_drafts(data_dir)
    app = make_app(data_dir)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.click(SubmissionTable, offset=(0, 0))  # the header: nothing happens
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        await pilot.click(SubmissionTable, offset=(20, 3))  # the third row
        assert await resumed(pilot) == "MC-2026-0101"


@run_async
async def test_end_home_and_page_keys_keep_the_cursor_row_in_view(data_dir: Path) -> None:
    twenty_drafts(data_dir)
    app = make_app(data_dir)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        table = app.screen.query_one(SubmissionTable)
        assert "MC-2026-0000" not in "\n".join(shown(app))  # the oldest is below the fold
        await pilot.press("end")
        assert table.cursor_key == rows_id(data_dir, "MC-2026-0000")
        assert shown(app)[0].split()[:2] == ["Case", "ref"]  # the header stays at the top
        assert shown(app)[-1].startswith("MC-2026-0000")
        await pilot.press("home")
        assert shown(app)[1].startswith("MC-2026-0019") and table.cursor_row == 0
        await pilot.press("pagedown")
        page = table.cursor_row
        assert page > 5 and shown(app)[-1].startswith(f"MC-2026-{19 - page:04d}")
        await pilot.press("pageup", "enter")
        assert await resumed(pilot) == "MC-2026-0019"


@run_async
async def test_the_cursor_stays_on_the_same_submission_while_filtering(data_dir: Path) -> None:
    three_drafts(data_dir)
    app = make_app(data_dir)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        table = app.screen.query_one(SubmissionTable)
        await pilot.press("down")
        await type_text(pilot, "mabon")
        await pilot.pause()
        assert [r[0] for r in rows(app)] == ["MC-2026-0202"] and table.cursor_row == 0
        await pilot.press(*["backspace"] * len("mabon"))
        await pilot.pause()
        assert len(rows(app)) == 3 and table.cursor_row == 1  # still on Mabon Threlkeld
        await pilot.press("enter", "enter")  # leave the filter box, then resume
        assert await resumed(pilot) == "MC-2026-0202"


@run_async
async def test_a_name_that_looks_like_markup_is_drawn_literally(data_dir: Path) -> None:
    draft_at(data_dir, "homeless", {"case_ref": "MC-2026-0404", "full_name": "[red]Jon[/]"})
    app = make_app(data_dir)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        table = app.screen.query_one(SubmissionTable)
        assert shown(app)[1].startswith("MC-2026-0404  [red]Jon[/]")
        assert not any(segment.style and segment.style.color and segment.style.color.name == "red"
                       for segment in table.render_line(1))  # fmt: skip


@run_async
async def test_fast_typing_in_the_table_filters_even_through_n_and_d(data_dir: Path) -> None:
    draft_at(data_dir, "homeless", {"case_ref": "MC-2026-0101", "full_name": "Corvin Ashdale"})
    draft_at(data_dir, "homeless", {"case_ref": "MC-2026-0202", "full_name": "Dana Nolan"})
    app = make_app(data_dir)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        for char in "corvin":  # queued at once, as a fast typist's keys arrive: the n belongs to the filter
            app.post_message(events.Key(char, char))
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        assert app.screen.query_one("#filter", Input).value == "corvin"
        assert [r[0] for r in rows(app)] == ["MC-2026-0101"]
        await pilot.press("enter")  # Enter in the filter opens the match
        await pilot.pause()
        assert isinstance(app.screen, InterviewScreen)


@run_async
async def test_escape_clears_the_filter_and_down_goes_to_the_table(data_dir: Path) -> None:
    draft_at(data_dir, "homeless", {"case_ref": "MC-2026-0101", "full_name": "Corvin Ashdale"})
    draft_at(data_dir, "homeless", {"case_ref": "MC-2026-0202", "full_name": "Dana Nolan"})
    app = make_app(data_dir)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"dana")
        await pilot.pause()
        assert len(rows(app)) == 1
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen.query_one("#filter", Input).value == "" and len(rows(app)) == 2
        await pilot.press("down")
        await pilot.pause()
        assert app.screen.query_one(SubmissionTable).has_focus


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
@pytest.mark.parametrize("typed", [["slash"], ["slash", *"po"], list("po")], ids=["slash", "slash-text", "text"])
def test_down_from_the_filter_lands_on_the_highlighted_row_even_typed_fast(
    data_dir: Path, size: tuple[int, int], typed: list[str]
) -> None:
    """The keys are queued at once, as a fast typist's (or a paste's) arrive: ↓ after the filter keys
    goes to the highlighted row without moving it, and Enter opens that row."""

    @run_async
    async def run(data_dir: Path) -> None:
        three_drafts(data_dir)  # "po" (police) matches all three: the first stays highlighted
        app = make_app(data_dir)
        async with app.run_test(size=size) as pilot:
            await settle(pilot)
            table = app.screen.query_one(SubmissionTable)
            assert table.has_focus and table.cursor_row == 0
            for key in [*typed, "down"]:
                app.post_message(events.Key(key, key if len(key) == 1 else None))
            await pilot.pause()
            await pilot.pause()
            assert app.screen.focused is table and table.cursor_row == 0
            assert shown(app)[1].startswith("MC-2026-0303")  # the newest, highlighted at launch
            await pilot.press("enter")
            assert await resumed(pilot) == "MC-2026-0303"

    run(data_dir)


def folded_store(data_dir: Path, count: int) -> list[str]:
    """`count` submissions, an hour apart (the newest last), with the index folded as a full log folds
    it; returns their case references, newest first."""
    from datetime import timedelta

    from marac_tui.submission import Answer, CaseHeader, FlowRef, Submission

    store = Store.init(data_dir)
    start = datetime(2026, 10, 1, 9, 0, tzinfo=timezone.utc)
    for n in range(count):
        when = start + timedelta(hours=n)
        submission = Submission(flow=FlowRef(name="police", version="1"), created_at=when, updated_at=when,
                                header=CaseHeader(case_ref=f"MC-2026-{n:04d}", representative="DC Ines Marlow"))  # fmt: skip
        submission.perpetrators[0].answers["full_name"] = Answer(value="Tobin Warrell")
        store.save(submission)
    store.index.rebuild(store.index.rows(), store.index.versions())
    return [f"MC-2026-{n:04d}" for n in reversed(range(count))]


@pytest.mark.parametrize("meanwhile", ["moves", "filters"])
@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=["80x24", "120x40"])
def test_the_newest_rows_show_before_the_whole_list_is_read(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch, size: tuple[int, int], meanwhile: str
) -> None:
    """With a big store the table is up from the index's head at once; the rest follows, and the
    cursor, or the filter typed meanwhile, carries over to the whole list."""
    import threading

    from marac_tui.store import index

    monkeypatch.setattr(index, "HEAD_ROWS", 30)
    newest = folded_store(data_dir, 70)
    whole_list = Store.list
    ids = {s.case_ref: s.id for s in whole_list(Store(data_dir))}
    release = threading.Event()

    def slow_list(self: Store) -> list:
        assert release.wait(20), "the test never let the list through"
        return whole_list(self)

    monkeypatch.setattr(Store, "list", slow_list)

    @run_async
    async def run() -> None:
        app = make_app(data_dir)
        async with app.run_test(size=size) as pilot:
            table = app.screen.query_one(SubmissionTable)
            await until(pilot, lambda: table.row_count > 0)
            assert 20 < table.row_count < 70  # the head's rows (less its oldest), not the whole list
            assert [line.split()[0] for line in shown(app)[1:4]] == newest[:3]
            if meanwhile == "moves":
                await pilot.press("down", "down")
                assert table.cursor_key == ids[newest[2]]
                release.set()
                await until(pilot, lambda: table.row_count == 70)
                assert table.cursor_key == ids[newest[2]]  # still on the same submission
                await pilot.press("end")
                assert shown(app)[-1].startswith("MC-2026-0000") and table.cursor_key == ids["MC-2026-0000"]
            else:
                await type_text(pilot, "0001")  # older than the first page: not in it yet
                await pilot.pause()
                assert "Reading the rest of the list" in str(app.screen.query_one("#home-empty").render())
                release.set()
                await until(pilot, lambda: table.row_count == 1)
                assert rows(app)[0][0] == "MC-2026-0001"
                assert "Nothing matches" not in str(app.screen.query_one("#home-empty").render())

    run()


def test_once_the_whole_list_is_shown_the_collector_leaves_start_up_alone_until_the_app_ends(data_dir: Path) -> None:
    """A full collection over 10,000 listed submissions stalls a key typed into the filter for 0.1 s:
    what start-up made is frozen (gc.freeze) once the list is up, and given back when the app ends."""
    import gc

    two_drafts(data_dir)
    assert gc.get_freeze_count() == 0

    @run_async
    async def run() -> None:
        app = make_app(data_dir)
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            assert len(rows(app)) == 2 and gc.get_freeze_count() > 0

    run()
    assert gc.get_freeze_count() == 0
