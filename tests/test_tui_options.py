"""Every option visible at 80×24 and up, in every choice, checklist and repeat-entry field of every
shipped flow; choices by number or by the start of a label; checklists by letter, with [x] / [ ]."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Input

from marac_tui.flow.loader import available_flows, load_named
from marac_tui.flow.spec import Item, Kind
from marac_tui.tui.widgets.answer_area import AnswerArea
from marac_tui.tui.widgets.answers import input_class
from marac_tui.tui.widgets.choices import NoSuchOption, next_starting_with, numbered, resolve
from marac_tui.tui.widgets.option_lists import Checklist, LetterList
from marac_tui.tui.widgets.repeat_editor import EntryForm, OptionsLine, RepeatEditor
from tests.tui_app_support import answer_box, draft_at, error_text, make_app, open_draft, run_async, settle, type_text

SIZES = [(80, 24), (120, 40)]
IDS = ["80x24", "120x40"]


def option_items(kinds: tuple[Kind, ...]) -> list[tuple[str, Item]]:
    found = []
    for name in available_flows():
        for _section, item in load_named(name).all_items():
            if item.kind in kinds:
                found.append((name, item))
    return found


def fully_visible(widget, screen) -> bool:  # noqa: ANN001
    """Inside the screen and not scrolled or clipped by the answer area."""
    area = screen.query_one(AnswerArea)
    return (
        screen.region.contains_region(widget.region)
        and area.max_scroll_y == 0
        and area.region.contains_region(widget.region)
        and widget.max_scroll_y == 0
    )


# --- the pure rules ---------------------------------------------------------------------------------


def test_resolve_takes_a_number_a_name_or_the_start_of_one_label(police_flow) -> None:  # noqa: ANN001
    options = police_flow.item("premises").fields[1].options  # Work, Family or friends, Second home, Storage…
    assert resolve(options, "3") == "second_home"
    assert resolve(options, "second home") == resolve(options, "  SEC ") == "second_home"
    assert resolve(options, "sto") == "storage"
    assert resolve(options, "") == ""
    with pytest.raises(NoSuchOption, match="could be Second home or Storage or lock-up"):
        resolve(options, "s")
    with pytest.raises(NoSuchOption, match="no option 9: choose 1–5"):
        resolve(options, "9")
    with pytest.raises(NoSuchOption, match="not one of the options .1 Work · 2 Family or friends"):
        resolve(options, "garage")


def test_next_starting_with_wraps_round_and_ignores_case() -> None:
    labels = ["Firearm", "Shotgun", "Knife", "Crossbow", "Sword"]
    assert next_starting_with(labels, 0, "s") == 1
    assert next_starting_with(labels, 1, "S") == 4
    assert next_starting_with(labels, 4, "s") == 1
    assert next_starting_with(labels, None, "f") == 0
    assert next_starting_with(labels, 2, "z") is None


# --- every option on screen ----------------------------------------------------------------------------


@pytest.mark.parametrize("size", SIZES, ids=IDS)
def test_every_choice_and_checklist_option_is_visible(data_dir: Path, size: tuple[int, int]) -> None:
    """Each choice and multichoice item of every flow, in the real interview screen at this size."""

    @run_async
    async def run(data_dir: Path) -> None:
        draft = draft_at(data_dir, "full_name", {"full_name": None})
        app = make_app(data_dir)
        async with app.run_test(size=size) as pilot:
            screen = await open_draft(pilot, draft)
            area = screen.query_one(AnswerArea)
            for flow, item in option_items((Kind.choice, Kind.multichoice)):
                kind = input_class(item.kind)
                widget = await area.show_input(kind, item, None)
                await pilot.pause()
                listing = widget.query_one(LetterList)
                assert listing.option_count == len(item.options)
                assert fully_visible(listing, screen), f"{flow} {item.id}: options cut at {size}"
                lines = [listing.render_line(y).text for y in range(listing.content_region.height)]
                shown = " ".join(" ".join(lines).split())
                for n, option in enumerate(item.options, 1):
                    assert option.label in shown, f"{flow} {item.id}: {option.label!r} not shown at {size}"
                    if item.kind is Kind.choice:
                        assert f"{n} {option.label}" in shown

    run(data_dir)


@pytest.mark.parametrize("size", SIZES, ids=IDS)
def test_every_repeat_entry_choice_field_shows_all_its_options(data_dir: Path, size: tuple[int, int]) -> None:
    @run_async
    async def run(data_dir: Path) -> None:
        draft = draft_at(data_dir, "full_name", {"full_name": None})
        app = make_app(data_dir)
        async with app.run_test(size=size) as pilot:
            screen = await open_draft(pilot, draft)
            area = screen.query_one(AnswerArea)
            for flow, item in option_items((Kind.repeat,)):
                if not any(f.options for f in item.fields or ()):
                    continue
                editor = RepeatEditor(item, None)
                await area.show(editor, tall=True)
                await pilot.pause()
                await editor.action_add()
                await pilot.pause()
                form = editor.query_one(EntryForm)
                shown = list(form.query(OptionsLine))
                assert [s.text for s in shown] == [numbered(f.options) for f in item.fields if f.options]
                for line in shown:
                    assert fully_visible(line, screen), f"{flow} {item.id}: options cut at {size}"
                    drawn = [line.render_line(y).text.rstrip() for y in range(line.content_region.height)]
                    assert " · ".join(d for d in drawn if d) == line.text  # every option, whole, in order
                for box in form.query(Input):
                    assert fully_visible(box, screen), f"{flow} {item.id}: a field is out of view at {size}"

    run(data_dir)


# --- typing, as a user would -----------------------------------------------------------------------------


@run_async
async def test_a_repeat_choice_field_takes_the_start_of_a_label_and_says_when_it_is_ambiguous(data_dir: Path) -> None:
    draft = draft_at(data_dir, "premises")
    app = make_app(data_dir)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_draft(pilot, draft)
        await pilot.press("y")
        await pilot.pause()
        await type_text(pilot, "Flat 2, 9 Osier Lane")
        await pilot.press("enter")
        await type_text(pilot, "s")  # Second home or Storage or lock-up
        await pilot.press("enter")
        await pilot.pause()
        assert "'s' could be Second home or Storage or lock-up" in error_text(screen)
        assert isinstance(screen.focused, Input) and screen.focused.id == "field-type"
        await type_text(pilot, "to")
        await pilot.press("enter")
        await type_text(pilot, "Intelligence")
        await pilot.press("enter")
        await pilot.pause()
        assert screen.query_one(RepeatEditor).entries == [
            {"address": "Flat 2, 9 Osier Lane", "type": "storage", "source": "Intelligence"}
        ]


@pytest.mark.parametrize("size", SIZES, ids=IDS)
def test_a_saved_entry_is_listed_in_full_never_cut(data_dir: Path, size: tuple[int, int]) -> None:
    """The trial: a relationship entry read "…Dates of the relationship: 2019 to 2025; Chi…"."""
    draft = draft_at(data_dir, "relationships")
    typed = ["Mirren Toft", "2", "2019 to 2025", "two, aged 4 and 7", "alternate weekends via a contact centre", "1"]

    @run_async
    async def run() -> None:
        app = make_app(data_dir)
        async with app.run_test(size=size) as pilot:
            screen = await open_draft(pilot, draft)
            await pilot.press("y")
            await settle(pilot)
            for value in typed:
                await type_text(pilot, value)
                await pilot.press("enter")
                await pilot.pause()
            await settle(pilot)
            entries = screen.query_one("#entries")
            shown = " ".join(" ".join(entries.render_line(y).text.strip(" ▊▎▔▁").split())
                             for y in range(entries.size.height))  # fmt: skip
            assert "…" not in shown
            for words in ("Mirren Toft", "Ex-partner", "two, aged 4 and 7", "alternate weekends via a contact centre",
                          "None known"):  # fmt: skip
                assert words in shown, shown

    run()


@pytest.mark.parametrize("size", SIZES, ids=IDS)
def test_checklist_letters_move_space_ticks_and_the_glyphs_differ(data_dir: Path, size: tuple[int, int]) -> None:
    @run_async
    async def run(data_dir: Path) -> None:
        draft = draft_at(data_dir, "weapon_types", {"weapons": "yes"})
        app = make_app(data_dir)
        async with app.run_test(size=size) as pilot:
            screen = await open_draft(pilot, draft)
            checklist = answer_box(screen, Checklist)
            labels = [o.label for o in checklist.flow_options]
            await type_text(pilot, "s")  # the next option starting with s
            assert checklist.highlighted == labels.index("Shotgun")
            await pilot.press("space")
            await type_text(pilot, "k")
            await pilot.press("space")
            await type_text(pilot, "q")  # starts no option: said, nothing ticked
            await pilot.pause()
            assert "No option starts with 'q'" in error_text(screen)
            lines = [checklist.get_option_at_index(i).prompt.plain for i in range(checklist.option_count)]
            assert lines[labels.index("Shotgun")] == "[x] Shotgun"
            assert lines[labels.index("Firearm")] == "[ ] Firearm"
            assert sum(line.startswith("[x] ") for line in lines) == 2
            await pilot.press("enter")
            await settle(pilot)
            assert screen.interview.answer_of("weapon_types", 0).value == ["shotgun", "bladed"]

    run(data_dir)


@run_async
async def test_a_typed_sentence_in_a_checklist_never_ticks_silently(data_dir: Path) -> None:
    draft = draft_at(data_dir, "weapon_types", {"weapons": "yes"})
    app = make_app(data_dir)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_draft(pilot, draft)
        await type_text(pilot, "zzz")
        await pilot.pause()
        assert "No option starts with 'z'" in error_text(screen)
        assert answer_box(screen, Checklist).selected == []


@run_async
async def test_a_choice_takes_a_letter_then_enter(data_dir: Path) -> None:
    draft = draft_at(data_dir, "weapons_licensed", {"weapons": "yes", "weapon_types": ["shotgun"]})
    app = make_app(data_dir)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_draft(pilot, draft)
        listing = answer_box(screen, LetterList)
        assert [o.label for o in listing.flow_options] == ["Licensed", "Not licensed", "Some are", "Not known"]
        await type_text(pilot, "n")
        assert listing.highlighted == 1
        await type_text(pilot, "n")
        assert listing.highlighted == 3
        await pilot.press("enter")
        await settle(pilot)
        assert screen.interview.answer_of("weapons_licensed", 0).value == "unknown"
