"""Stores for the benchmarks: many realistic submissions, quickly.

Each submission is the police example answered through the real engine once, then copied with its
own id, case reference, perpetrator name and time (an hour older each, as a store kept for years
would be), and saved through `Store.save` (so every file, audit
trail and index row is the real thing). While seeding, and only then, `os.fsync` does nothing: a
benchmark's store needs no protection against power loss, and 10,000 saves take about a minute
instead of four.
"""

from __future__ import annotations

import os
import uuid
from datetime import timedelta
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

ROOT = Path(__file__).resolve().parent.parent

if TYPE_CHECKING:
    from marac_tui.submission import Submission

FIRST = ["Corvin", "Mabon", "Ysolde", "Dana", "Idris", "Tamsin", "Osric", "Fenella", "Bram", "Lowena"]
LAST = ["Ashdale", "Threlkeld", "Penhallow", "Nolan", "Brackwater", "Quillfeather", "Marrick", "Tresize"]


@contextmanager
def no_fsync() -> Iterator[None]:
    real = os.fsync
    os.fsync = lambda fd: None
    try:
        yield
    finally:
        os.fsync = real


def example_submission(perpetrators: int = 1) -> Submission:
    """The police example answers, every item answered, for `perpetrators` alleged perpetrators."""
    import yaml

    from marac_tui.engine.headless import run_answers
    from marac_tui.engine.interview import Interview
    from marac_tui.flow.loader import load_named

    data: dict[str, Any] = yaml.safe_load((ROOT / "examples" / "police-answers.yaml").read_text(encoding="utf-8"))
    if perpetrators > 1:
        data = fully_answered(data, perpetrators)
    interview = Interview(load_named("police"), prefill=False)
    run_answers(interview, data, lambda message: None)
    return interview.submission


def fully_answered(data: dict[str, Any], perpetrators: int) -> dict[str, Any]:
    """The example answers with `perpetrators` perpetrators, each answering what the first does."""
    first = data["perpetrators"][0]
    people = []
    for n in range(perpetrators):
        person = dict(first)
        person["full_name"] = f"{FIRST[n % len(FIRST)]} {LAST[n % len(LAST)]}"
        people.append(person)
    return {**data, "more_than_one": "yes", "perpetrator_count": perpetrators, "perpetrators": people}


def seed(root: Path, count: int, template: Submission | None = None) -> list[str]:
    """`count` submissions in the store at `root` (created if need be); returns their ids."""
    from marac_tui.store import Store

    store = Store(root)
    template = template or example_submission()
    ids = []
    with no_fsync():
        for n in range(count):
            when = template.updated_at - timedelta(hours=n)
            copy = template.model_copy(deep=True, update={"id": uuid.uuid4(), "created_at": when, "updated_at": when})
            copy.header.case_ref = f"MC-{2016 + n % 10}-{n:05d}"
            if copy.perpetrators and "full_name" in copy.perpetrators[0].answers:
                name = f"{FIRST[n % len(FIRST)]} {LAST[(n // len(FIRST)) % len(LAST)]}"
                copy.perpetrators[0].answers["full_name"].value = name
            store.save(copy)
            ids.append(str(copy.id))
    return ids
