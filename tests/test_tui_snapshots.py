"""Snapshots of the home screen and of the interview with each input kind and the guidance panel.

Fixed terminal size, cursor blink off, fixed dates: a change in what the user sees shows up as a diff.
Update with `pytest tests/test_tui_snapshots.py --snapshot-update` and look at the SVGs.
"""

from __future__ import annotations

from datetime import date, datetime, timezone
import time
from pathlib import Path
from typing import Any

import pytest

from marac_tui.store import Store
from marac_tui.submission import Submission
from marac_tui.tui.screens import home
from tests.tui_app_support import SIZE, draft_at, make_app

FIXED_DAY = date(2026, 11, 20)
FIXED_TIME = datetime(2026, 11, 20, 9, 30, tzinfo=timezone.utc)


class FixedDate(date):
    """Today, as far as the app can tell, in the snapshots: 20 Nov 2026."""

    @classmethod
    def today(cls) -> date:  # type: ignore[override]
        return FIXED_DAY


class FixedClock(datetime):
    @classmethod
    def now(cls, tz=None) -> datetime:  # type: ignore[override]  # noqa: ANN001
        return FIXED_TIME if tz is None else FIXED_TIME.astimezone(tz)


@pytest.fixture(autouse=True)
def fixed_today(monkeypatch: pytest.MonkeyPatch) -> None:
    """Answers given during a snapshot are checked 'today' and saved 'now': both pinned."""
    from marac_tui.engine import interview, provenance
    from marac_tui.tui.screens import interview as interview_screen
    from marac_tui.tui.widgets import provenance as strip

    for module in (interview, provenance, strip):
        monkeypatch.setattr(module, "date", FixedDate)
    monkeypatch.setattr(interview_screen, "datetime", FixedClock)


def pinned(data_dir: Path, stop_at: str, answers: dict[str, Any] | None = None) -> Submission:
    """A draft whose dates (checked, answered, updated) are fixed, so the screen is the same every run."""
    submission = draft_at(data_dir, stop_at, answers)
    for scope in [submission.answers, *(p.answers for p in submission.perpetrators)]:
        for answer in scope.values():
            answer.answered_at = FIXED_TIME
            if answer.checked_on is not None:
                answer.checked_on = FIXED_DAY
    submission.created_at = submission.updated_at = FIXED_TIME
    Store(data_dir).save(submission)
    return submission


def opened(submission: Submission, *keys: str):  # noqa: ANN201
    async def run_before(pilot) -> None:  # noqa: ANN001
        await pilot.pause()
        await pilot.app.workers.wait_for_complete()
        pilot.app.open_submission(str(submission.id))
        await pilot.pause()
        if keys:
            await pilot.press(*keys)
        await pilot.pause()

    return run_before


def test_home(snap_compare, data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TZ", "UTC")  # 'Last change' is shown in local time
    time.tzset()
    monkeypatch.setattr(home, "now", lambda: datetime(2026, 11, 23, 9, 0, tzinfo=timezone.utc))  # same year
    pinned(data_dir, "homeless", {"case_ref": "MC-2026-0101", "full_name": "Corvin Ashdale"})
    second = draft_at(data_dir, "homeless", {"case_ref": "MC-2026-0202", "full_name": "Mabon Threlkeld"})
    second.created_at = second.updated_at = datetime(2026, 11, 21, 14, 5, tzinfo=timezone.utc)
    Store(data_dir).save(second)

    async def settle(pilot) -> None:  # noqa: ANN001
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()

    assert snap_compare(make_app(data_dir), terminal_size=SIZE, run_before=settle)


KINDS = {
    "text": ("representative", {}),
    "longtext": ("address", {}),
    "yesno": ("homeless", {"date_of_birth": "1990-03-01"}),
    "choice": ("weapons_licensed", {"weapons": "yes", "weapon_types": ["shotgun"]}),
    "multichoice": ("weapon_types", {"weapons": "yes"}),
    "date": ("marac_date", {}),
    "number": ("perpetrator_count", {"more_than_one": "yes"}),
    "repeat": ("aliases", {}),
    "actions": ("actions", {"weapons": "yes", "weapon_types": ["shotgun"], "stalking": "yes"}),
}


@pytest.mark.parametrize("kind", list(KINDS))
def test_interview_input_kind(snap_compare, data_dir: Path, kind: str) -> None:
    stop_at, answers = KINDS[kind]
    submission = pinned(data_dir, stop_at, answers)
    assert snap_compare(make_app(data_dir), terminal_size=SIZE, run_before=opened(submission))


def test_date_error_under_the_field(snap_compare, data_dir: Path) -> None:
    submission = pinned(data_dir, "marac_date")
    keys = [*"31/02/2026", "enter"]
    assert snap_compare(make_app(data_dir), terminal_size=SIZE, run_before=opened(submission, *keys))


def test_repeat_entry_form(snap_compare, data_dir: Path) -> None:
    submission = pinned(data_dir, "aliases")
    keys = ["y", *"Corky", "enter", "1", "enter", *"PND", "enter", "y", *"c_ashdale", "enter"]
    assert snap_compare(make_app(data_dir), terminal_size=SIZE, run_before=opened(submission, *keys))


def test_guidance_side_panel(snap_compare, data_dir: Path) -> None:
    submission = pinned(data_dir, "serial_perpetrator")
    assert snap_compare(make_app(data_dir), terminal_size=SIZE, run_before=opened(submission, "f2"))


NARROW = (80, 24)


@pytest.mark.parametrize("kind", ["choice", "multichoice"])
def test_every_option_at_80x24(snap_compare, data_dir: Path, kind: str) -> None:
    """The whole list on screen in a small terminal: numbers for a choice, [x] / [ ] for a checklist."""
    stop_at, answers = KINDS[kind]
    submission = pinned(data_dir, stop_at, answers)
    keys = ["s", "space", "k", "space"] if kind == "multichoice" else []
    assert snap_compare(make_app(data_dir), terminal_size=NARROW, run_before=opened(submission, *keys))


def test_repeat_entry_form_at_80x24(snap_compare, data_dir: Path) -> None:
    """A relationship entry: both choice fields' options in full, wrapped between options."""
    submission = pinned(data_dir, "relationships")
    assert snap_compare(make_app(data_dir), terminal_size=NARROW, run_before=opened(submission, "y"))


@pytest.mark.parametrize("size", [NARROW, SIZE], ids=["80x24", "120x40"])
def test_folded_provenance_of_the_last_answer(snap_compare, data_dir: Path, size: tuple[int, int]) -> None:
    """After a research answer: the next question, and under it how the last answer is known."""
    submission = pinned(data_dir, "homeless", {"date_of_birth": "1990-03-01"})
    assert snap_compare(make_app(data_dir), terminal_size=size, run_before=opened(submission, "n"))


@pytest.mark.parametrize("size", [NARROW, SIZE], ids=["80x24", "120x40"])
def test_reopened_provenance(snap_compare, data_dir: Path, size: tuple[int, int]) -> None:
    submission = pinned(data_dir, "homeless", {"date_of_birth": "1990-03-01"})
    assert snap_compare(make_app(data_dir), terminal_size=size, run_before=opened(submission, "n", "ctrl+o", "o"))


@pytest.mark.parametrize("size", [NARROW, SIZE], ids=["80x24", "120x40"])
def test_rest_not_checked_confirmation(snap_compare, data_dir: Path, size: tuple[int, int]) -> None:
    submission = pinned(data_dir, "address", {"date_of_birth": "1990-03-01"})
    assert snap_compare(make_app(data_dir), terminal_size=size, run_before=opened(submission, "ctrl+t"))
