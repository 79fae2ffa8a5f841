"""The other agencies in the app, at 80×24 and 120×40: the new-submission chooser lists every flow by
agency with its one-line description, choosing one opens its interview, help shows that agency's own
sharing rules, and the home table names each submission's flow. All names are fictional."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import OptionList

from marac_tui.flow.loader import load_named
from marac_tui.tui.screens.help import HelpScreen
from marac_tui.tui.screens.home import ChooseScreen, HomeScreen
from marac_tui.tui.screens.interview import InterviewScreen
from marac_tui.tui.widgets.submissions import SubmissionTable
from tests.tui_app_support import draft_at, make_app, run_async, settle

SIZES = [(80, 24), (120, 40)]
ORDER = ["police", "probation", "childrens_social_care", "substance_misuse", "housing", "mental_health"]


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@run_async
async def test_chooser_lists_every_flow_by_agency_with_its_description(data_dir: Path, size) -> None:
    app = make_app(data_dir)
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, ChooseScreen)
        options = app.screen.query_one(OptionList)
        assert [options.get_option_at_index(i).id for i in range(options.option_count)] == ORDER
        assert options.virtual_size.height <= options.size.height, "the six flows need no scrolling"
        labels = [options.get_option_at_index(i).prompt.plain for i in range(options.option_count)]
        for name, label in zip(ORDER, labels, strict=True):
            flow = load_named(name)
            first, second = label.split("\n")
            assert first.startswith(flow.agency) and f"{name} {flow.version}" in first
            assert second.strip() == flow.description, "the shipped descriptions are shown in full"
            assert len(second) <= size[0] - 16, "the description stays on one line"
        await pilot.press("down", "down", "down", "down", "enter")  # housing
        await pilot.pause()
        assert isinstance(app.screen, InterviewScreen)
        assert app.screen.interview.flow.name == "housing"
        assert app.screen.interview.current.id == "case_ref"


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@run_async
async def test_help_shows_the_agencys_own_sharing_rules(data_dir: Path, size) -> None:
    submission = draft_at(data_dir, "sharing_basis", flow="mental_health")
    app = make_app(data_dir)
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        app.open_submission(str(submission.id))
        await settle(pilot)
        assert isinstance(app.screen, InterviewScreen)
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        rules = str(app.screen.query_one("#help-agency").content)
        assert rules.startswith("Sharing from mental health records")
        assert "clinical detail beyond what the risk needs" in rules
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, InterviewScreen)


@run_async
async def test_help_on_home_has_no_agency_rules(data_dir: Path) -> None:
    app = make_app(data_dir)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        assert not app.screen.query("#help-agency")


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@run_async
async def test_home_table_names_each_submissions_flow(data_dir: Path, size) -> None:
    for name in ("childrens_social_care", "housing", "mental_health"):
        draft_at(data_dir, "marac_date", flow=name)
    app = make_app(data_dir)
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
        table = app.screen.query_one(SubmissionTable)
        flows = sorted(row[2] for row in table.rows_plain())
        assert flows == ["childrens so…", "housing", "mental health"]
        await pilot.press("s", "o", "c", "i", "a", "l")  # the filter finds a flow by its words
        await pilot.pause()
        assert [row[2] for row in table.rows_plain()] == ["childrens so…"]


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@run_async
async def test_training_a_multi_agency_case_asks_which_part(data_dir: Path, tmp_path: Path, monkeypatch, size) -> None:
    from tests.test_training_parts import TWO_PARTS
    from tests.tui_app_support import transcript_text

    folder = tmp_path / "scenarios"
    folder.mkdir()
    (folder / "brack-lane.yaml").write_text(TWO_PARTS.format(name="brack-lane"), encoding="utf-8")
    monkeypatch.setattr("marac_tui.training.scenarios.scenarios_dir", lambda: folder)
    app = make_app(data_dir)
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        await pilot.press("t")
        await pilot.pause()
        assert isinstance(app.screen, ChooseScreen)
        await pilot.press("enter")  # the only case
        await pilot.pause()
        assert isinstance(app.screen, ChooseScreen) and "which agency's part" in app.screen.heading
        options = app.screen.query_one(OptionList)
        assert [options.get_option_at_index(i).id for i in range(options.option_count)] == ["mental_health", "housing"]
        assert options.get_option_at_index(1).prompt.plain.startswith("Housing · Housing provider")
        await pilot.press("down", "enter")
        await settle(pilot)
        assert isinstance(app.screen, InterviewScreen)
        assert app.screen.interview.flow.name == "housing"
        assert app.screen.interview.submission.training == "brack-lane"
        shown = transcript_text(app.screen)
        assert "Referral to the Hollin MARAC" in shown and "You are the tenancy officer." in shown
