"""Meeting-pack timings, with baselines measured in the same run (the machines are noisy).

    python bench/pack.py [--quick]

1. A pack of ten agencies' submissions on one case, built from the store (gather, match, brief)
   and rendered as Markdown, Word and JSON. Baseline: exporting the same ten submissions one by one
   as meeting-audience Markdown and Word forms, which is what the coordinator joins by hand today.
   Goal: ≤ 1 s for the pack.
2. `matches` for one submission against 10,000 stored submissions (blocking on date of birth and
   name keys from the index rows). Baselines: listing the store (what the home screen reads), and
   scoring every stored person without blocking. Goal: ≤ 200 ms.

Every name and case is invented.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
import uuid
from datetime import date, timedelta
from pathlib import Path
from typing import NamedTuple

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from marac_tui.engine.headless import run_answers  # noqa: E402
from marac_tui.engine.interview import Interview  # noqa: E402
from marac_tui.export import render  # noqa: E402
from marac_tui.export.content import flow_for  # noqa: E402
from marac_tui.flow.loader import load_named  # noqa: E402
from marac_tui.pack import make_pack  # noqa: E402
from marac_tui.pack.match import compare  # noqa: E402
from marac_tui.pack.render import render_pack  # noqa: E402
from marac_tui.pack.same_person import find_elsewhere, records_of, stored_records  # noqa: E402
from marac_tui.store import Store  # noqa: E402
from marac_tui.store.files import encode  # noqa: E402
from marac_tui.submission import Submission  # noqa: E402

CASE = "MC-2026-0900"
AGENCIES = [  # each agency in its own flow where marac-tui has one
    ("police", "Fenwick Police Public Protection"), ("probation", "Fenwick Probation Delivery Unit"),
    ("mental_health", "Fenwick community mental health team"),
    ("substance_misuse", "Fenwick drug and alcohol recovery service"),
    ("childrens_social_care", "Fenwick children's social care"), ("housing", "Fenwick Homes housing officer"),
    ("mental_health", "Fenwick GP surgery (health)"), ("police", "Fenwick IDVA service"),
    ("probation", "Fenwick youth justice service"), ("police", "Fenwick fire and rescue"),
]  # fmt: skip
FIRST = ["Aldous", "Bryony", "Cassius", "Delphine", "Evander", "Fenella", "Gideon", "Hester", "Ivo", "Jocasta",
         "Kit", "Lettice", "Magnus", "Nerys", "Orrin", "Perpetua", "Quillon", "Rosamund", "Silas", "Tamsin"]
LAST = ["Ashcombe", "Brackenridge", "Cotterell", "Dunmore", "Elsworth", "Fairweather", "Gorringe", "Hazeldine",
        "Inchbald", "Jessop", "Kettlewell", "Lisle", "Marchbank", "Northcote", "Ormerod", "Pendlebury", "Quarrie",
        "Rudge", "Sallow", "Threlfall", "Underhill", "Vowles", "Wetherall", "Yeardley"]  # fmt: skip


def research(n: int, flow: str = "police") -> dict:
    """One agency's answers on the shared person, as far as its flow asks them: realistic length, some
    disagreement, some actions."""
    checked = {"source": "Force system", "checked": "2026-11-20"}
    person = {
        "full_name": "Dallas Harrow" if n % 3 else "Dal Harrow",
        "date_of_birth": {"value": "1986-05-14", **checked},
        "address": {"value": f"{n + 2} Tanner's Row, Hollinsby" if n % 4 else "Flat 3, 9 Mill Lane", **checked},
        "aliases": {"value": [{"name": "Dal", "type": "nickname"}], **checked},
        "serial_perpetrator": {"value": "yes" if n % 2 else "no", **checked},
        "stalking": {"value": "yes", **checked},
        "stalking_details": {"value": "Waits outside the victim's workplace most evenings. " * 3, **checked},
        "weapons": {"value": "yes" if n % 5 == 1 else "no", **checked},
        "substance_misuse": {"value": "yes" if n % 3 == 0 else "no", **checked},
        "actions": [
            {"heading": "disrupt", "text": "Disruption plan with one named police contact", "agency": "Police",
             "addresses": ["stalking"], "suggestion": "disruption_plan"},
            {"heading": "support", "text": f"Referral to a perpetrator programme, agency {n}", "agency": "Probation",
             "addresses": ["stalking"]},
        ],
    }
    if person["weapons"]["value"] == "yes":
        person["weapon_types"] = {"value": ["shotgun"], **checked}
    asked = load_named(flow)
    person = {k: v for k, v in person.items() if asked.has_item(k)}
    risks, suggestions = {r.id for r in asked.risks}, {a.id for a in asked.actions}
    for action in person["actions"]:
        action["addresses"] = [r for r in ("stalking", "weapons", "substance_misuse") if r in risks][:1]
        if action.get("suggestion") not in suggestions:
            action.pop("suggestion", None)
    return {"case_ref": CASE, "marac_date": "2026-12-10", "representative": f"Officer {n}",
            "agency": AGENCIES[n][1], "more_than_one": "no", "perpetrators": [person]}  # fmt: skip


def build(flow: str, answers: dict) -> Submission:
    interview = Interview(load_named(flow), prefill=False)
    run_answers(interview, answers, warn=lambda _w: None)
    return interview.submission


class Timing(NamedTuple):
    wall: float
    cpu: float  # this process's CPU time: steadier than wall time on a busy machine


def median_time(fn, repeat: int) -> Timing:  # noqa: ANN001
    """Median wall and CPU time of `repeat` calls of `fn`."""
    walls, cpus = [], []
    for _ in range(repeat):
        wall, cpu = time.perf_counter(), time.process_time()
        fn()
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    return Timing(statistics.median(walls), statistics.median(cpus))


def ms(seconds: float) -> str:
    return f"{seconds * 1000:8.1f} ms"


def bench_pack(root: Path, repeat: int) -> dict[str, Timing]:
    store = Store.init(root)
    submissions = [build(flow, research(n, flow)) for n, (flow, _agency) in enumerate(AGENCIES)]
    for submission in submissions:
        store.save(submission)
    made = make_pack(CASE, store)
    assert len(made.pack.contributors) == 10 and len(made.pack.people) == 1, "the ten records should be one person"
    figures = {
        "pack: gather + match + brief": median_time(lambda: make_pack(CASE, store), repeat),
        "pack: + Markdown": median_time(lambda: render_pack(make_pack(CASE, store).pack, "md"), repeat),
        "pack: + Word": median_time(lambda: render_pack(make_pack(CASE, store).pack, "docx"), repeat),
        "pack: + JSON": median_time(lambda: render_pack(make_pack(CASE, store).pack, "json"), repeat),
    }

    def forms(fmt: str) -> None:
        for submission in submissions:
            loaded = store.load(str(submission.id))
            render(loaded, flow_for(loaded), fmt, "meeting")

    figures["baseline: ten Markdown forms"] = median_time(lambda: forms("md"), repeat)
    figures["baseline: ten Word forms"] = median_time(lambda: forms("docx"), repeat)
    return figures


def fill(root: Path, count: int, rng: random.Random) -> tuple[Store, Submission, int]:
    """`count` stored submissions written directly in the store's format (index rows included), one
    person each; three of them are the query's person under other case references."""
    store = Store.init(root)
    store._ensure()
    base = build("police", research(0))
    rows = {}
    planted = 0
    for n in range(count):
        sub = base.model_copy(deep=True)
        sub.id = uuid.uuid4()
        sub.header.case_ref = f"MC-20{20 + n % 7}-{n:05d}"
        person = sub.perpetrators[0].answers
        if n % (count // 3) == 7 and planted < 3:
            name, dob = ["Dallas Harrow", "Dal Harrow", "Dallas Harow"][planted], date(1986, 5, 14)
            planted += 1
        else:
            name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
            dob = date(1950, 1, 1) + timedelta(days=rng.randrange(20_000))
        person["full_name"] = person["full_name"].model_copy(update={"value": name})
        person["date_of_birth"] = person["date_of_birth"].model_copy(update={"value": dob.isoformat()})
        person["aliases"] = person["aliases"].model_copy(update={"value": [{"name": rng.choice(FIRST)[:3]}]})
        sid = str(sub.id)
        fd = os.open(store.path(sid), os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        os.write(fd, encode({"submission": {"1": {"data": sub.to_json()}}}, None, f"submission:{sid}".encode()))
        os.close(fd)
        rows[sid] = store.index_row(sid, sub)
    store.index.rebuild(rows)
    query = build("police", dict(research(1), case_ref="MC-2026-7777"))
    store.save(query)
    return Store(root), query, planted


def bench_matches(root: Path, count: int, repeat: int) -> dict[str, Timing]:
    store, query, planted = fill(root, count, random.Random(17))
    found = find_elsewhere(store, query)
    assert len(found) == planted, f"expected the {planted} planted matches, found {len(found)}"
    people = records_of(query)

    def unblocked() -> None:
        for other in stored_records(store, skip=[str(query.id)]):
            for me in people:
                compare(me, other)

    return {
        f"matches against {count:,}": median_time(lambda: find_elsewhere(store, query), repeat),
        f"baseline: list {count:,} (home screen)": median_time(store.list, repeat),
        f"baseline: score all {count:,}, no blocking": median_time(unblocked, max(1, repeat // 3)),
    }


def read_back(root: Path, query: str, repeat: int) -> tuple[float, float]:
    """An independent measure: the whole `marac-tui matches ID --json` process, timed from outside,
    less the same process for a command that does no matching (`schema`): start-up and imports."""
    import subprocess

    env = {**os.environ, "MARAC_TUI_DATA_DIR": str(root)}

    def run(*args: str) -> float:
        start = time.perf_counter()
        subprocess.run([sys.executable, "-m", "marac_tui", *args], env=env, check=True, capture_output=True)
        return time.perf_counter() - start

    matches = statistics.median(run("matches", query, "--json") for _ in range(repeat))
    baseline = statistics.median(run("schema") for _ in range(repeat))
    return matches, baseline


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer repeats and 2,000 stored, for a smoke test")
    parser.add_argument("--read-back", action="store_true",
                        help="also time the matches command as a whole process, from outside")  # fmt: skip
    args = parser.parse_args()
    repeat, count = (3, 2_000) if args.quick else (9, 10_000)
    with tempfile.TemporaryDirectory(prefix="bench-pack-") as tmp:
        pack = bench_pack(Path(tmp) / "pack", repeat)
        found = bench_matches(Path(tmp) / "matches", count, repeat)
        if args.read_back:
            query = next(r.id for r in Store(Path(tmp) / "matches").list() if r.case_ref == "MC-2026-7777")
            whole_process, start_up = read_back(Path(tmp) / "matches", query, repeat)
    print(f"Meeting pack: ten agencies' submissions on one case (median of {repeat} runs; wall, CPU)")
    for name, t in pack.items():
        print(f"  {name:<34} {ms(t.wall)} {ms(t.cpu)}")
    whole, forms = pack["pack: + Word"], pack["baseline: ten Word forms"]
    print(f"  pack with Word / ten Word forms:   {whole.wall / forms.wall:.2f}x wall, {whole.cpu / forms.cpu:.2f}x CPU"
          f"   (goal: pack <= 1 s: {'met' if whole.wall <= 1.0 else 'NOT met'} by wall time, "
          f"{'met' if whole.cpu <= 1.0 else 'NOT met'} by CPU time)")  # fmt: skip
    print(f"\nmatches: one submission against {count:,} stored (wall, CPU)")
    for name, t in found.items():
        print(f"  {name:<34} {ms(t.wall)} {ms(t.cpu)}")
    key = found[f"matches against {count:,}"]
    listing, unblocked = found[f"baseline: list {count:,} (home screen)"], found[f"baseline: score all {count:,}, no blocking"]
    print(f"  matches / list:                    {key.wall / listing.wall:.2f}x wall, {key.cpu / listing.cpu:.2f}x CPU")
    print(f"  no blocking / blocking:            {unblocked.wall / key.wall:.1f}x wall, {unblocked.cpu / key.cpu:.1f}x CPU"
          f"   (goal: matches <= 200 ms: {'met' if key.wall <= 0.2 else 'NOT met'} by wall time, "
          f"{'met' if key.cpu <= 0.2 else 'NOT met'} by CPU time)")  # fmt: skip
    if args.read_back:
        print(f"  read back: `matches --json` process {ms(whole_process)} - `schema` process {ms(start_up)} "
              f"= {ms(whole_process - start_up)} (in-process figure {ms(key.wall)})")  # fmt: skip


if __name__ == "__main__":
    main()
