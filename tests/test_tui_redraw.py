"""Line-drawn widgets keep the lines they drew: a theme switch and a live resize must draw them again.

The home table and the transcript draw each row or message once, into strips, and keep them. These
tests read what they draw (`render_line`, the line API Textual composes the screen from) before and
after a theme switch or a resize, and check it against the widget's colours and width of the moment.
"""

from __future__ import annotations

from pathlib import Path

from rich.style import Style
from textual.strip import Strip

from marac_tui.tui.widgets.submissions import SubmissionTable
from marac_tui.tui.widgets.transcript import ROLE_STYLES, Transcript
from tests.tui_app_support import SIZE, draft_at, make_app, open_draft, run_async, settle


def backgrounds(strip: Strip) -> set[object]:
    return {segment.style.bgcolor for segment in strip if isinstance(segment.style, Style)}


def other_theme(app) -> str:  # noqa: ANN001
    return "textual-light" if app.theme != "textual-light" else "nord"


def twenty_drafts(data_dir: Path) -> None:
    for n in range(20):
        draft_at(data_dir, "homeless", {"case_ref": f"MC-2026-{n:04d}", "full_name": "Corvin Ashdale"})


@run_async
async def test_a_theme_switch_recolours_every_line_of_the_home_table(data_dir: Path) -> None:
    twenty_drafts(data_dir)
    app = make_app(data_dir)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        table = app.screen.query_one(SubmissionTable)
        header_before, row_before = backgrounds(table.render_line(0)), backgrounds(table.render_line(2))
        app.theme = other_theme(app)
        await settle(pilot)
        header = table.get_component_rich_style("submission-table--header").bgcolor
        assert backgrounds(table.render_line(0)) == {header} != header_before
        assert backgrounds(table.render_line(2)) == {table.rich_style.bgcolor} != row_before  # an odd row
        even = table.get_component_rich_style("submission-table--even-row")
        assert backgrounds(table.render_line(3)) == {(table.rich_style + even).bgcolor}
        await pilot.press("down")  # rows drawn after the switch are in the new colours too
        await pilot.press("end")
        await pilot.pause()
        last = table.scrollable_content_region.height - 1
        assert backgrounds(table.render_line(last - 1)) <= {table.rich_style.bgcolor, (table.rich_style + even).bgcolor}


@run_async
async def test_a_live_resize_redraws_the_home_table_at_the_new_width(data_dir: Path) -> None:
    twenty_drafts(data_dir)
    app = make_app(data_dir)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        table = app.screen.query_one(SubmissionTable)
        narrow = table.scrollable_content_region.width
        assert table.render_line(1).cell_length == narrow
        for size in (SIZE, (100, 30)):  # wider (the rows must reach the new edge), then narrower
            await pilot.resize_terminal(*size)
            await settle(pilot)
            width = table.scrollable_content_region.width
            assert width != narrow
            for y in range(table.scrollable_content_region.height):
                assert table.render_line(y).cell_length == width
                assert backgrounds(table.render_line(y).crop(width - 1, width)) != {None}  # coloured to the edge
            assert table.render_line(1).text.split()[0] == "MC-2026-0019"


@run_async
async def test_a_theme_switch_and_a_resize_redraw_the_transcript(data_dir: Path) -> None:
    draft = draft_at(data_dir, "homeless", {"full_name": "Corvin Ashdale " * 12})  # a long answer that wraps
    app = make_app(data_dir)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_draft(pilot, draft)
        await settle(pilot)
        transcript = screen.query_one(Transcript)

        def drawn() -> list[Strip]:
            return [transcript.render_line(y) for y in range(transcript.scrollable_content_region.height)]

        def palette() -> set[object]:
            styles = [transcript.rich_style, *(transcript.get_component_rich_style(f"transcript--{r}") for r in ROLE_STYLES)]
            return {transcript.rich_style.bgcolor, *((transcript.rich_style + s).bgcolor for s in styles)}

        before = set().union(*map(backgrounds, drawn()))
        app.theme = other_theme(app)
        await settle(pilot)
        after = set().union(*map(backgrounds, drawn()))
        assert after != before and after <= palette()

        lines_before = transcript.rendered()
        await pilot.resize_terminal(90, 30)
        await settle(pilot)
        width = transcript.scrollable_content_region.width
        assert all(strip.cell_length == width for strip in drawn())
        lines = transcript.rendered()
        assert len(lines) > len(lines_before)  # narrower: the long answer wraps onto more lines
        assert max(len(line) for line in lines) <= width
