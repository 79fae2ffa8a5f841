"""The actions editor as a user meets it, at 80×24 and 120×40: every suggestion in full with the line
on why it is offered, the add-your-own form wholly in view and usable, and each action's owner, due
date and status set in the editor and saved. All names are fictional."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from textual.geometry import Region
from textual.widgets import Input

from marac_tui.export.content import item_label
from marac_tui.store import Store
from marac_tui.submission import Answer
from marac_tui.tui.widgets.actions_editor import ActionForm, ActionsEditor, SuggestionList
from tests.tui_app_support import draft_at, make_app, open_draft, run_async, settle, type_text

SIZES = [(80, 24), (120, 40)]
RISKY = {"weapons": "yes", "weapon_types": ["shotgun"], "stalking": "yes", "homeless": "yes"}


def saved_actions(data_dir: Path, sid: object) -> list[dict]:
    return Store(data_dir).load(str(sid)).perpetrators[0].answers["actions"].value


BORDERS = str.maketrans("", "", "▊▎▔▁▕▏│╭╮╰╯─")


def drawn(widget) -> str:  # noqa: ANN001
    """Every line the widget draws, as plain text (its border left out)."""
    width, height = widget.outer_size
    return "\n".join(strip.text.translate(BORDERS) for strip in widget.render_lines(Region(0, 0, width, height)))


def fully_in_view(screen, widget) -> bool:  # noqa: ANN001
    geometry = screen.find_widget(widget)
    return geometry.region.height > 0 and geometry.clip.contains_region(geometry.region)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@run_async
async def test_every_suggestion_is_shown_in_full_with_why(data_dir: Path, size: tuple[int, int]) -> None:
    draft = draft_at(data_dir, "actions", RISKY)
    app = make_app(data_dir)
    async with app.run_test(size=size) as pilot:
        screen = await open_draft(pilot, draft)
        editor = screen.query_one(ActionsEditor)
        suggestions = screen.query_one(SuggestionList)
        await pilot.pause()
        assert fully_in_view(screen, suggestions) and fully_in_view(screen, screen.query_one("#gaps"))
        for index, s in enumerate(editor.suggestions):  # ↓ through the list: each one can be read whole
            suggestions.highlighted = index
            await pilot.pause()
            text = " ".join(drawn(suggestions).split())
            assert " ".join(s.action.text.split()) in text, s.id  # wrapped, never cut
            assert "why: " + s.reason(lambda i: item_label(editor.flow, i)) in text
            assert "…" not in text
        assert "tenancy" not in {s.id for s in editor.suggestions}  # homeless: it does not fit
        assert "[ ] " in drawn(suggestions)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@run_async
async def test_the_own_action_form_is_wholly_in_view_and_saves_owner_due_and_status(
    data_dir: Path, size: tuple[int, int]
) -> None:
    draft = draft_at(data_dir, "actions", {"stalking": "yes", "threatens_victim": "yes"})
    app = make_app(data_dir)
    async with app.run_test(size=size) as pilot:
        screen = await open_draft(pilot, draft)
        await pilot.press("a")
        await pilot.pause()
        form = screen.query_one(ActionForm)
        for widget in [*form.query(Input), form.query_one("#form-risks")]:
            assert fully_in_view(screen, widget), (widget.id, size)
        assert screen.focused is form.query_one("#form-heading", Input)
        for value in ["2", "Patrols past the victim's workplace at shift changes", "Eastmere Police", "PS Hale Monbury",
                      "19/12/2026", "agreed"]:  # fmt: skip
            await type_text(pilot, value)
            await pilot.press("enter")
        await pilot.pause()
        assert screen.focused is form.query_one("#form-risks")
        await pilot.press("space", "enter")  # tick the first risk, save
        await pilot.pause()
        assert not screen.query(ActionForm)
        plan = screen.query_one("#plan")
        shown = " ".join(drawn(plan).split())
        assert "Eastmere Police / PS Hale Monbury · due 19 Dec 2026 · Agreed (reported" in shown
        await pilot.press("ctrl+j")
        await settle(pilot)
    (action,) = [a for a in saved_actions(data_dir, draft.id) if not a.get("suggestion")]
    assert action["heading"] == "disrupt" and action["owner"] == "PS Hale Monbury"
    assert (action["agency"], action["due"], action["status"]) == ("Eastmere Police", "2026-12-19", "agreed")
    assert action["status_date"] == date.today().isoformat() and action["addresses"] == ["stalking"]
    assert len(action["id"]) == 8


@run_async
async def test_a_bad_due_date_is_refused_under_the_form_and_nothing_typed_is_lost(data_dir: Path) -> None:
    draft = draft_at(data_dir, "actions", {"stalking": "yes"})
    app = make_app(data_dir)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_draft(pilot, draft)
        await pilot.press("a")
        await pilot.pause()
        for value in ["1", "Charge the harassment", "", "", "31/02/2027", ""]:
            await type_text(pilot, value)
            await pilot.press("enter")
        await pilot.press("ctrl+j")
        await pilot.pause()
        errors = " ".join(w.content.plain for w in screen.query(".answer-error.shown"))
        assert errors.startswith("Due: 31 February 2027 does not exist")
        form = screen.query_one(ActionForm)
        assert form.query_one("#form-text", Input).value == "Charge the harassment"
        assert fully_in_view(screen, screen.query_one(".answer-error.shown"))


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@run_async
async def test_a_taken_suggestion_gets_its_owner_due_date_and_status(data_dir: Path, size: tuple[int, int]) -> None:
    draft = draft_at(data_dir, "actions", {"stalking": "yes"})
    app = make_app(data_dir)
    async with app.run_test(size=size) as pilot:
        screen = await open_draft(pilot, draft)
        suggestions = screen.query_one(SuggestionList)
        suggestions.highlighted = [s.id for s in suggestions.suggestions].index("stalking_order")
        await pilot.press("space")
        await pilot.pause()
        assert "Every risk flag raised has an action" in screen.query_one("#gaps").content.plain
        await pilot.press("tab")  # to the plan
        await pilot.pause()
        await pilot.press("e")
        await pilot.pause()
        form = screen.query_one(ActionForm)
        assert form.query_one("#form-agency", Input).value == "Police"
        form.query_one("#form-owner", Input).value = "DC Ama Ferrow"
        form.query_one("#form-due", Input).value = "2027-01-08"
        form.query_one("#form-status", Input).value = "3"
        await pilot.press("ctrl+j")
        await pilot.pause()
        assert not screen.query(ActionForm)
        screen.query_one(SuggestionList).focus()
        await pilot.press("enter")
        await settle(pilot)
    (action,) = saved_actions(data_dir, draft.id)
    assert action["suggestion"] == "stalking_order" and action["owner"] == "DC Ama Ferrow"
    assert (action["due"], action["status"]) == ("2027-01-08", "in_progress")
    assert action["history"][-1]["status"] == "in_progress"


@run_async
async def test_removing_a_taken_suggestion_unticks_it_and_kept_actions_survive(data_dir: Path) -> None:
    kept = {"id": "k33p0001", "heading": "manage", "text": "An action from an earlier visit", "addresses": [],
            "suggestion": "no_longer_offered"}  # fmt: skip
    draft = draft_at(data_dir, "actions", {"stalking": "yes"})
    store = Store(data_dir)
    submission = store.load(str(draft.id))
    submission.perpetrators[0].answers["actions"] = Answer(value=[kept])
    store.save(submission)
    app = make_app(data_dir)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_draft(pilot, submission)
        suggestions = screen.query_one(SuggestionList)
        suggestions.highlighted = 0
        await pilot.press("space", "tab")
        await pilot.pause()
        assert len(screen.query_one(ActionsEditor).actions()) == 2
        await pilot.press("x")  # the highlighted plan entry: the taken suggestion comes first
        await pilot.pause()
        assert suggestions.selected == []
        screen.query_one(SuggestionList).focus()
        await pilot.press("enter")
        await settle(pilot)
    assert [a["id"] for a in saved_actions(data_dir, draft.id)] == ["k33p0001"]


# --- snapshots ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_snapshot_actions_editor(snap_compare, data_dir: Path, size: tuple[int, int]) -> None:
    draft = draft_at(data_dir, "actions", RISKY)

    async def opened(pilot) -> None:  # noqa: ANN001
        await open_draft(pilot, draft)
        await pilot.pause()

    assert snap_compare(make_app(data_dir), terminal_size=size, run_before=opened)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_snapshot_own_action_form(snap_compare, data_dir: Path, size: tuple[int, int]) -> None:
    draft = draft_at(data_dir, "actions", {"stalking": "yes", "threatens_victim": "yes"})

    async def form(pilot) -> None:  # noqa: ANN001
        await open_draft(pilot, draft)
        await pilot.pause()
        await pilot.press("a")
        await pilot.pause()
        await type_text(pilot, "2")
        await pilot.press("enter")
        await type_text(pilot, "Patrols past the workplace")
        await pilot.pause()

    assert snap_compare(make_app(data_dir), terminal_size=size, run_before=form)
