"""Autosave and list timings of the marac-tui store against plain TinyDB, measured in the same run.

    python bench/store.py [--quick]

Autosave is timed through the real `Store.save` (one answer changed, its audit entry, the index
row), with 0, 1,000 and 10,000 other submissions stored. The stores are filled by writing their files
directly (in the store's own format) so that the run stays short. The baseline is the naive design:
one TinyDB file holding every submission, updated in place.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import sys
import tempfile
import time
import uuid
from collections import namedtuple
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tinydb import TinyDB  # noqa: E402

from marac_tui.store import Store  # noqa: E402
from marac_tui.store.files import encode  # noqa: E402
from marac_tui.store.store import Summary  # noqa: E402
from marac_tui.submission import Answer, CaseHeader, FlowRef, Submission, Status  # noqa: E402

Change = namedtuple("Change", "item perpetrator old new")
PASSPHRASE = "bench-passphrase-1"
SIZES = (0, 1_000, 10_000)


def template() -> Submission:
    """A fictional submission of realistic size (about 6 KB of JSON)."""
    sub = Submission(
        flow=FlowRef(name="police", version="1", title="Police research"),
        header=CaseHeader(case_ref="MC-2026-0001", representative="DC Nell Ardery", agency="Northmoor Police"),
    )
    for i in range(6):
        sub.answers[f"case_item_{i}"] = Answer(value=f"case detail {i} " * 4)
    perp = sub.perpetrators[0]
    perp.answers["full_name"] = Answer(value="Osric Fallowmere")
    for i in range(22):
        perp.answers[f"research_{i}"] = Answer(
            value=f"Finding {i}: " + "recorded on the force system, checked against PND. " * 3,
            status=Status.found, source="PNC", checked_on="2026-11-20", basis="fact",
        )
    return sub


def clone(sub: Submission, n: int) -> Submission:
    copy = sub.model_copy(deep=True)
    copy.id = uuid.uuid4()
    copy.header.case_ref = f"MC-2026-{n:05d}"
    return copy


def fill_store(root: Path, count: int, passphrase: str | None) -> Store:
    store = Store.init(root, passphrase)
    store._ensure()
    base, rows = template(), {}
    for n in range(count):
        sub = clone(base, n)
        sid = str(sub.id)
        path = store.path(sid)
        data = {"submission": {"1": {"data": sub.to_json()}}}
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        os.write(fd, encode(data, store.sealer, f"submission:{sid}".encode()))
        os.close(fd)
        rows[sid] = store.index_row(sid, sub)
    store.index.rebuild(rows)
    os.sync()  # a real store was written with fsync: leave no bulk of dirty pages for the timed saves
    return Store(root, passphrase)


def fill_tinydb(path: Path, count: int) -> TinyDB:
    base = template()
    docs = {str(n + 2): {"id": str(clone(base, n).id), "data": clone(base, n).to_json()} for n in range(count)}
    path.write_text(json.dumps({"submissions": docs}), encoding="utf-8")
    os.sync()
    db = TinyDB(path)
    return db


def time_autosaves(save, rounds: int) -> list[float]:
    times = []
    for i in range(rounds):
        start = time.perf_counter()
        save(i)
        times.append(time.perf_counter() - start)
    return times


def bench_store(root: Path, count: int, rounds: int, passphrase: str | None) -> tuple[list[float], Store]:
    store = fill_store(root, count, passphrase)
    sub = clone(template(), 999_999)
    store.acquire(str(sub.id))
    store.save(sub)

    def save(i: int) -> None:
        old = sub.perpetrators[0].answers["research_3"]
        new = old.model_copy(update={"value": f"Finding 3, revised {i}"})
        sub.perpetrators[0].answers["research_3"] = new
        sub.touch()
        store.save(sub, [Change("research_3", 0, old.model_dump(mode="json"), new.model_dump(mode="json"))])

    return time_autosaves(save, rounds), store


def bench_tinydb(path: Path, count: int, rounds: int) -> tuple[list[float], TinyDB]:
    db = fill_tinydb(path, count)
    table = db.table("submissions")
    sub = clone(template(), 999_999)
    doc_id = table.insert({"id": str(sub.id), "data": sub.to_json()})

    def save(i: int) -> None:
        sub.perpetrators[0].answers["research_3"].value = f"Finding 3, revised {i}"
        sub.touch()
        table.update({"data": sub.to_json()}, doc_ids=[doc_id])

    return time_autosaves(save, rounds), db


def timed(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def ms(seconds: float) -> str:
    return f"{seconds * 1000:9.2f} ms"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer rounds (a smoke run)")
    args = parser.parse_args()
    rounds = 30 if args.quick else 200
    base_rounds = {0: rounds, 1_000: 5 if args.quick else 15, 10_000: 2 if args.quick else 3}
    work = Path(tempfile.mkdtemp(prefix="marac-bench-"))
    results: dict[str, dict[int, list[float]]] = {"plain": {}, "encrypted": {}, "tinydb": {}}
    lists: dict[str, float] = {}
    try:
        for count in SIZES:
            for kind, passphrase in (("plain", None), ("encrypted", PASSPHRASE)):
                root = work / f"{kind}-{count}"
                times, store = bench_store(root, count, rounds, passphrase)
                results[kind][count] = times
                if count == SIZES[-1]:
                    assert len(store.list()) == count + 1
                    lists[kind] = timed(store.list, 5)
                    rows = store.index.rows()
                    lists[f"{kind}-compact"] = timed(lambda: store.index.rebuild(rows), 3)
                shutil.rmtree(root)
            times, db = bench_tinydb(work / f"tinydb-{count}.json", count, base_rounds[count])
            results["tinydb"][count] = times
            if count == SIZES[-1]:
                table = db.table("submissions")
                lists["tinydb"] = timed(lambda: [Summary.of(Submission.model_validate(d["data"])) for d in table.all()], 2)
            db.close()
            print(f"  measured {count:,} stored", file=sys.stderr)
    finally:
        shutil.rmtree(work, ignore_errors=True)

    med = {k: {c: statistics.median(v) for c, v in by.items()} for k, by in results.items()}
    p95 = {k: {c: sorted(v)[int(len(v) * 0.95) - 1] for c, v in by.items()} for k, by in results.items()}
    print(f"Autosave of one answer through Store.save (median of {rounds}; baseline: plain TinyDB, one file)")
    print(f"{'stored':>8}  {'marac-tui':>12}  {'p95':>12}  {'encrypted':>12}  {'plain TinyDB':>12}  {'TinyDB / marac':>14}")
    for count in SIZES:
        print(
            f"{count:>8,}  {ms(med['plain'][count])}  {ms(p95['plain'][count])}  {ms(med['encrypted'][count])}  "
            f"{ms(med['tinydb'][count])}  {med['tinydb'][count] / med['plain'][count]:13.1f}x"
        )
    top = SIZES[-1]
    print(
        f"{'ratio 10,000 / 0':>18}: marac-tui {med['plain'][top] / med['plain'][0]:.2f}x, encrypted "
        f"{med['encrypted'][top] / med['encrypted'][0]:.2f}x, plain TinyDB {med['tinydb'][top] / med['tinydb'][0]:.0f}x"
        "   (goal <= 1.5x and <= 5 ms median)"
    )
    print()
    print(f"List {top:,} submissions (median)   (goal <= 200 ms)")
    print(f"  marac-tui {ms(lists['plain'])}   encrypted {ms(lists['encrypted'])}   plain TinyDB {ms(lists['tinydb'])}"
          f"   TinyDB / marac {lists['tinydb'] / lists['plain']:.1f}x")
    print(f"  index compaction at {top:,} (once per ~1 MB of index log, about every 2,500 autosaves): "
          f"{ms(lists['plain-compact']).strip()}, encrypted {ms(lists['encrypted-compact']).strip()}")
    ok = med["plain"][top] / med["plain"][0] <= 1.5 and med["plain"][top] <= 0.005 and lists["plain"] <= 0.2
    print("goals met" if ok else "GOALS NOT MET")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
