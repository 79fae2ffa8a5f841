"""The app: the Chair screen (from home, Meeting pack), the 'may appear in other cases' notice in the
interview, and carrying research forward. Fixed sizes; what the user reads is asserted."""

from __future__ import annotations

import uuid
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import pytest
from pack_cases import CASE_REF, three_agencies
from textual.widgets import OptionList, Static

from marac_tui.store import Store
from marac_tui.submission import Status
from tests.tui_app_support import draft_at, make_app, open_draft, run_async, settle, type_text
from marac_tui.tui.screens.chair import ChairScreen

FIXED = datetime(2026, 12, 1, 9, 0, tzinfo=timezone.utc)


def pinned_store(data_dir: Path) -> Store:
    """The three agencies' research with fixed ids and times, so the screen is the same every run."""
    store = Store.init(data_dir)
    for n, submission in enumerate(three_agencies().values()):
        submission.id = uuid.UUID(int=n + 1)
        submission.created_at = submission.updated_at = FIXED.replace(minute=n)
        for scope in [submission.answers, *(p.answers for p in submission.perpetrators)]:
            for answer in scope.values():
                answer.answered_at = FIXED
        store.save(submission)
    return store


async def open_pack(pilot: Any) -> ChairScreen:
    await settle(pilot)
    await pilot.press("f5")
    await pilot.pause()
    await pilot.press("enter")
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, ChairScreen)
    return screen


def recording(app: Any) -> list[str]:
    """Every notice the app shows, kept (a shown notice expires, and a busy machine is slow)."""
    said: list[str] = []
    notify = app.notify

    def record(message: str, *args: Any, **kwargs: Any) -> None:
        said.append(message)
        notify(message, *args, **kwargs)

    app.notify = record
    return said


def lines(screen: ChairScreen) -> list[str]:
    brief = screen.query_one("#chair-brief", OptionList)
    out = []
    for n in range(brief.option_count):
        prompt = brief.get_option_at_index(n).prompt
        out.append(getattr(getattr(prompt, "renderable", prompt), "plain", str(prompt)))
    return out


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
@run_async
async def test_the_chair_screen_shows_the_pack(data_dir: Path, size: tuple[int, int]) -> None:
    pinned_store(data_dir)
    async with make_app(data_dir).run_test(size=size) as pilot:
        screen = await open_pack(pilot)
        status = screen.query_one("#chair-status", Static).content.plain
        assert status == (f"{CASE_REF} · MARAC 10 Dec 2026 · 3 agencies · 2 alleged perpetrators · 2 conflicts · "
                          "5 expected agencies absent")  # fmt: skip
        shown = lines(screen)
        assert ("• Housing — Keri Ashdown · housing, draft · from store · sharing: Data Protection Act 2018, "
                "Schedule 1 (safeguarding)") in shown
        assert "• Probation — Owen Treadgold · probation, draft · from store" in shown
        assert "• Police — DC Ines Marlowe · police, draft · from store" in shown
        assert shown[0] == "Who is not round the table (5)" and shown[1].startswith("• Mental health services: ")
        assert "P1: Dallas Harrow" in shown and "P2: Maureen Harrow" in shown
        assert "• Does the person have access to weapons?" in shown
        assert "Police: No (Nothing held · PNC · checked 30 Nov 2026)" in shown
        assert any(line.startswith("⇄ Probation (Dal Harrow) = Police (Dallas Harrow): same date of birth") for line in shown)
        assert ("• Disrupt: Disruption plan with one named police contact — owner Police, due —, Proposed "
                "(from Probation, Police)") in shown  # merged across agencies, with its tracking


@run_async
async def test_the_chair_splits_a_match_and_the_pack_holds_two_people(data_dir: Path) -> None:
    pinned_store(data_dir)
    app = make_app(data_dir)
    said = recording(app)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_pack(pilot)
        brief = screen.query_one("#chair-brief", OptionList)
        await pilot.press("s")  # not on a match line: says where to go, changes nothing
        assert "Move to a match line" in said[-1]
        target = next(n for n, line in enumerate(lines(screen)) if line.startswith("⇄ Probation (Dal Harrow)"))
        brief.highlighted = target
        await pilot.press("s")
        await settle(pilot)
        assert "4 alleged perpetrators" not in screen.query_one("#chair-status", Static).content.plain
        assert "3 alleged perpetrators" in screen.query_one("#chair-status", Static).content.plain
        assert "P3: Dal Harrow" in lines(screen)
    async with make_app(data_dir).run_test(size=(80, 24)) as pilot:  # the decision is kept for the case
        screen = await open_pack(pilot)
        assert "P3: Dal Harrow" in lines(screen)


@run_async
async def test_the_chair_exports_the_pack(data_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    pinned_store(data_dir)
    monkeypatch.chdir(tmp_path)
    app = make_app(data_dir)
    said = recording(app)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_pack(pilot)
        await pilot.press("x")
        await pilot.pause()
        await pilot.press("down", "enter")  # Markdown
        await pilot.pause()
        await pilot.press("enter")  # the proposed path
        await settle(pilot)
        written = tmp_path / f"{CASE_REF}-pack.md"
        assert written.read_text().startswith("**OFFICIAL-SENSITIVE**")
        assert f"Wrote {written}" in said


async def answer_police_until_dob(pilot: Any, case_ref: str) -> Any:
    """A new police draft with its case details (saved as the researcher left it), then the name and
    date of birth typed into the app, where the notice comes."""
    data_dir = pilot.app.store.root
    draft = draft_at(data_dir, "full_name", {"case_ref": case_ref, "marac_date": "2026-12-20",
                                             "representative": "DC Ana Pell", "agency": "Police"})  # fmt: skip
    await settle(pilot)
    screen = await open_draft(pilot, draft)
    await settle(pilot)
    await type_text(pilot, "Dallas Harrow")
    await pilot.press("enter")
    await pilot.pause()
    await type_text(pilot, "14/05/1986")
    await pilot.press("enter")
    await pilot.pause()
    await pilot.press("enter")  # the provenance strip: found, today
    await settle(pilot)
    assert screen.interview.state == "address"
    return screen


@run_async
async def test_a_quiet_notice_names_the_other_case_and_carried_answers_start_not_checked(data_dir: Path) -> None:
    pinned_store(data_dir)
    app = make_app(data_dir)
    said = recording(app)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await answer_police_until_dob(pilot, "MC-2026-0777")
        assert said == [
            "Dallas Harrow may appear in 1 other case: MC-2026-0555 (Hollinsby Police Public Protection, Hollinsby "
            "Probation Delivery Unit; 10 Dec 2026, within 12 months: a repeat MARAC?). F5 to see why, and to carry "
            "that research forward."  # housing's record has no date of birth: a name alone is not enough
        ]
        await pilot.press("f5")
        await pilot.pause()
        listed = pilot.app.screen.query_one("#same-person-list", OptionList)
        first = listed.get_option_at_index(0).prompt.plain
        assert first.startswith("MC-2026-0555 (Hollinsby Police Public Protection, 10 Dec 2026")
        assert "why: same date of birth, surname matches, first name matches" in first
        await pilot.press("enter")  # carry the police research forward
        await settle(pilot)
        answers = screen.interview.submission.perpetrators[0].answers
        carried = {k: a for k, a in answers.items() if a.carried_from}
        assert {"address", "aliases", "stalking", "weapons", "threats_to_kill"} <= set(carried)
        for answer in carried.values():
            assert answer.status is Status.not_checked and answer.source is None and answer.checked_on is None
            assert answer.provenance() == ["Not checked", "carried forward from MC-2026-0555, re-check"]
        assert not answers["threats_to_kill"].share  # withheld there, withheld here, with its reason
        assert answers["threats_to_kill"].withhold_reason == "SECRET-REASON-POLICE live covert operation"
        assert answers["address"].value == "22 Tanner's Row, Hollinsby"
        assert "Carried forward 8 answers from MC-2026-0555" in said[-1]
        await settle(pilot)  # the current question (the address) is asked again, with the carried answer in it
        assert screen.interview.state == "address"
        assert screen.answer_input.query_one("#answer-input").text == "22 Tanner's Row, Hollinsby"
        await pilot.press("ctrl+j")  # sent as it is: still carried, still not checked
        await settle(pilot)
        assert answers["address"].status is Status.not_checked and answers["address"].carried_from == "MC-2026-0555"
        await pilot.press("ctrl+o", "f")  # How you know: f Found — the researcher has checked it (one key, the strip folds)
        await settle(pilot)
        confirmed = screen.interview.submission.perpetrators[0].answers["address"]
        assert confirmed.status is Status.found and "re-check" not in " ".join(confirmed.provenance())
        stored = Store(data_dir).load(str(screen.interview.submission.id))
        assert stored.perpetrators[0].answers["weapons"].carried_from == "MC-2026-0555"  # saved, and audited
        assert any(e.item == "weapons" for e in Store(data_dir).history(str(stored.id)) if e.event == "change")


@run_async
async def test_a_coordinator_with_files_only_builds_the_pack_in_the_app(data_dir: Path, tmp_path: Path) -> None:
    from pack_cases import build, PROBATION, POLICE

    from marac_tui.cli import main
    from marac_tui.export import render
    from marac_tui.pack.sealed import load_recipient, seal

    Store.init(data_dir)
    assert main(["keys", "new", str(tmp_path / "coordinator")]) == 0
    police, probation = tmp_path / "police.json", tmp_path / "probation.age"
    police.write_bytes(render(build("police", POLICE), None, "json", "meeting"))
    recipient = load_recipient(tmp_path / "coordinator.pub")
    probation.write_bytes(seal(render(build("probation", PROBATION), None, "json", "meeting"), recipient))
    internal = tmp_path / "internal.json"
    internal.write_bytes(render(build("police", POLICE), None, "json", "internal"))
    app = make_app(data_dir)
    said = recording(app)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("f5")
        await pilot.pause()
        await pilot.press("enter")  # the only entry: another case reference
        await pilot.pause()
        await type_text(pilot, CASE_REF)
        await pilot.press("enter")
        await settle(pilot)
        screen = pilot.app.screen
        assert isinstance(screen, ChairScreen)
        assert lines(screen)[0].startswith("Nothing shared on this case yet: press a")
        status = screen.query_one("#chair-status", Static)
        assert status.content.plain == (f"{CASE_REF} · MARAC no date · 0 agencies · 0 alleged perpetrators · "
                                        "0 conflicts · 8 expected agencies absent")  # fmt: skip
        for path, key in ((police, None), (internal, None), (probation, tmp_path / "coordinator.key")):
            await pilot.press("a")
            await pilot.pause()
            await type_text(pilot, str(path))
            await pilot.press("enter")
            await pilot.pause()
            if key is not None:
                await type_text(pilot, str(key))
                await pilot.press("enter")
            await settle(pilot)
        assert any(m.startswith(f"{internal}: an internal copy") for m in said), said
        shown = lines(screen)
        assert "• Police — DC Ines Marlowe · police, draft · from police.json" in shown
        assert "• Probation — Owen Treadgold · probation, draft · from probation.age (sealed)" in shown
        assert "P1: Dallas Harrow" in shown and screen.files == [police, probation]
        assert status.content.plain == (f"{CASE_REF} · MARAC 10 Dec 2026 · 2 agencies · 1 alleged perpetrator · "
                                        "2 conflicts · 6 expected agencies absent")  # fmt: skip
