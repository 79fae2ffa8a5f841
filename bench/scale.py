"""Scale benchmark: does a store of 10,000 submissions cost what 20 do?

    python bench/scale.py [--runs 7] [--large 10000] [--small 20] [--store-cache DIR] [--pty]

Three figures, each against a baseline measured in the same run:

- start-up: whole-process wall time of `marac-tui` (its real entry point, headless at 120×40) from
  the start of the process to the first frame that shows a row of the home table, with --large
  stored submissions against --small; runs alternate; the ratio of the medians (goal ≤ 1.3×);
- filter: with --large stored, each key typed into the home filter (words typed in full, then
  erased), from the key reaching the app to the first frame showing the filtered rows, the row
  count checked against the store's own list filtered here (goal: median and p90 ≤ 50 ms), with the
  same keys at --small as the baseline; PageDown and End at --large are timed the same way;
- resume: opening a draft with 6 alleged perpetrators and every item answered, stopped at its
  last item, from `open_submission` to the first frame showing that prompt, against a draft with
  one perpetrator stopped at its last item; alternating; ratio of the medians (goal ≤ 1.3×).

--pty reads the start-up figures back against an independent measure: `marac-tui` in a real
pseudo-terminal (pexpect), timed from spawn until the newest row's case reference is on the
terminal. Seeding 10,000 submissions takes about a minute; --store-cache keeps them for the next run.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path[:0] = [str(BENCH), str(ROOT)]

from seeding import example_submission, seed  # noqa: E402

STARTUP_GOAL = 1.3
FILTER_GOAL_MS = 50.0
RESUME_GOAL = 1.3
SIZE = (120, 40)
PAUSE = 0.05  # seconds between the app going idle and the next key (a fast typist)
WORDS = ["corvin", "mc-2019", "ashdale threlkeld", "zz"]

# The real entry point, headless; the process reports the first frame showing a home row, then exits.
FIRST_ROW = """
import sys, time
sys.path.insert(0, {bench!r})
import textual.app
from textual_hooks import frames

_run = textual.app.App.run

def run(self, **kw):
    def shown():
        screen = self.screen
        if type(screen).__name__ == "HomeScreen" and screen.query_one("#submissions").row_count:
            print("first-row", time.process_time(), flush=True)
            self.exit()

    with frames(self, shown):
        return _run(self, headless=True, size={size!r})

textual.app.App.run = run
from marac_tui.cli import main
main(["--data-dir", sys.argv[1]])
"""


# --- start-up -------------------------------------------------------------------------------------


def first_row(store: Path) -> tuple[float, float]:
    """Seconds from starting a `marac-tui` process to its first frame with a home row, and the CPU
    seconds the process had used by then."""
    code = FIRST_ROW.format(bench=str(BENCH), size=SIZE)
    start = time.perf_counter()
    child = subprocess.Popen([sys.executable, "-c", code, str(store)], stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True)  # fmt: skip
    assert child.stdout is not None
    line = child.stdout.readline()
    elapsed = time.perf_counter() - start
    _, err = child.communicate(timeout=60)
    if not line.startswith("first-row ") or child.returncode:
        raise SystemExit(f"bench: the app did not show a row ({child.returncode}):\n{err[-2000:]}")
    return elapsed, float(line.split()[1])


def startup(runs: int, small: Path, large: Path) -> dict[str, list[float]]:
    """Alternate the two stores, after one warm-up each."""
    first_row(small), first_row(large)
    times: dict[str, list[float]] = {"small": [], "large": [], "small_cpu": [], "large_cpu": []}
    for _ in range(runs):
        for name, store in (("small", small), ("large", large)):
            wall, cpu = first_row(store)
            times[name].append(wall)
            times[f"{name}_cpu"].append(cpu)
    return times


def pty_first_row(store: Path, case_ref: str) -> float:
    """The independent read-back: a real pseudo-terminal, until `case_ref` is on it."""
    import pexpect

    env = {**os.environ, "TERM": "xterm-256color", "COLUMNS": str(SIZE[0]), "LINES": str(SIZE[1])}
    start = time.perf_counter()
    child = pexpect.spawn(sys.executable, ["-m", "marac_tui", "--data-dir", str(store)], env=env,
                          dimensions=(SIZE[1], SIZE[0]), encoding="utf-8", timeout=60)  # fmt: skip
    try:
        child.expect_exact(case_ref)
        return time.perf_counter() - start
    finally:
        child.terminate(force=True)


def pty_startup(runs: int, small: Path, large: Path) -> dict[str, list[float]]:
    from marac_tui.store import Store

    newest = {path: Store(path).list()[0].case_ref for path in (small, large)}
    pty_first_row(small, newest[small])
    times: dict[str, list[float]] = {"small": [], "large": []}
    for _ in range(runs):
        times["small"].append(pty_first_row(small, newest[small]))
        times["large"].append(pty_first_row(large, newest[large]))
    return times


# --- filter and paging ----------------------------------------------------------------------------


def expected_count(summaries: list[Any], typed: str) -> int:
    """How many rows the filter should leave, worked out here from the store's own list."""
    words = typed.lower().split()

    def text(s: Any) -> str:
        return " ".join([s.case_ref, *s.perpetrators, s.flow, s.state, s.training or ""]).lower()

    return sum(all(w in text(s) for w in words) for s in summaries)


async def _timed(app: Any, key: str, arrived: Callable[[], bool], timeout: float = 10.0) -> tuple[float, float]:
    """Seconds from handing the app `key` to the first frame shown once `arrived()` holds, and the
    CPU seconds the process spent meanwhile (on a busy machine, wall time is mostly waiting)."""
    from textual_hooks import frames, send_key

    painted = asyncio.Event()
    cpu, at = [0.0], [0.0]

    def shown() -> None:
        if arrived() and not painted.is_set():
            at[0], cpu[0] = time.perf_counter(), time.process_time()  # as the frame is written
            painted.set()

    await asyncio.sleep(PAUSE)
    with frames(app, shown):
        start, start_cpu = time.perf_counter(), time.process_time()
        send_key(app, key)
        try:
            await asyncio.wait_for(painted.wait(), timeout)
        except asyncio.TimeoutError:
            raise SystemExit(f"bench: nothing shown {timeout:.0f} s after {key!r}") from None
        return at[0] - start, cpu[0] - start_cpu


async def _settled(pilot: Any, predicate: Callable[[], bool], timeout: float = 60.0) -> None:
    deadline = time.perf_counter() + timeout
    while not predicate():
        if time.perf_counter() > deadline:
            raise SystemExit("bench: the app did not reach the expected state in time")
        await pilot.pause(0.02)


async def filtering(store_dir: Path, words: list[str] = WORDS, paging: bool = False) -> dict[str, list[float]]:
    """Type each word into the home filter and erase it, key by key; time each key to its frame."""
    from textual.widgets import Input

    from marac_tui.store import Store
    from marac_tui.tui.app import build_app
    from marac_tui.tui.widgets.submissions import SubmissionTable

    store = Store(store_dir)
    summaries = store.list()
    app = build_app(store, cursor_blink=False)
    times: dict[str, list[float]] = {"filter": [], "filter_cpu": [], "page": [], "page_cpu": []}
    async with app.run_test(size=SIZE) as pilot:
        table = app.screen.query_one(SubmissionTable)
        box = app.screen.query_one("#filter", Input)
        await _settled(pilot, lambda: table.row_count == len(summaries))
        for word in words:
            typed = ""
            keys = [("space" if c == " " else c, c) for c in word] + [("backspace", None)] * len(word)
            for key, char in keys:
                typed = typed + char if char is not None else typed[:-1]
                want, text = expected_count(summaries, typed), typed

                def filtered() -> bool:
                    return box.value == text and table.row_count == want  # noqa: B023

                wall, cpu = await _timed(app, key, filtered)
                times["filter"].append(wall)
                times["filter_cpu"].append(cpu)
                await pilot.pause()
            await pilot.press("down")  # back to the table
            await pilot.pause()
        if paging:
            table.focus()
            await pilot.pause()
            for key in ["pagedown"] * 10 + ["end", "home"] + ["pagedown"] * 5:
                before = table.cursor_row
                wall, cpu = await _timed(app, key, lambda: table.cursor_row != before)  # noqa: B023
                times["page"].append(wall)
                times["page_cpu"].append(cpu)
                await pilot.pause()
    return times


# --- resuming a large draft -----------------------------------------------------------------------


def seed_drafts(store_dir: Path) -> dict[str, str]:
    """A one-perpetrator and a six-perpetrator draft, every item answered, each stopped at its last item."""
    from marac_tui.engine.interview import Interview
    from marac_tui.flow.loader import load_named
    from marac_tui.store import Store
    from marac_tui.tui.widgets.progress import in_asking_order

    store = Store(store_dir)
    ids = {}
    for name, people in (("one", 1), ("six", 6)):
        interview = Interview(load_named("police"), example_submission(people))
        last = in_asking_order(interview.progress(), interview.flow)[-1]
        interview.jump(last.item, last.perpetrator or 0)
        store.save(interview.submission)
        ids[name] = str(interview.submission.id)
    return ids


async def resuming(store_dir: Path, ids: dict[str, str], runs: int) -> dict[str, list[float]]:
    from marac_tui.store import Store
    from marac_tui.tui.app import build_app
    from marac_tui.tui.screens.home import HomeScreen
    from marac_tui.tui.screens.interview import InterviewScreen
    from textual_hooks import frames

    app = build_app(Store(store_dir), cursor_blink=False)
    times: dict[str, list[float]] = {"one": [], "six": [], "one_cpu": [], "six_cpu": []}
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        for run in range(runs + 1):  # the first round warms up
            for name in ("one", "six"):
                painted = asyncio.Event()
                cpu, at = [0.0], [0.0]

                def shown() -> None:
                    screen = app.screen
                    if isinstance(screen, InterviewScreen) and screen.answer_input is not None and not painted.is_set():
                        at[0], cpu[0] = time.perf_counter(), time.process_time()  # as the frame is written
                        painted.set()

                await asyncio.sleep(PAUSE)
                with frames(app, shown):
                    start, start_cpu = time.perf_counter(), time.process_time()
                    app.open_submission(ids[name])
                    await asyncio.wait_for(painted.wait(), 30)
                    elapsed = at[0] - start
                if run:
                    times[name].append(elapsed)
                    times[f"{name}_cpu"].append(cpu[0] - start_cpu)
                await pilot.pause()
                await pilot.press("escape")
                await _settled(pilot, lambda: isinstance(app.screen, HomeScreen))
                await app.workers.wait_for_complete()
    return times


# --- report ---------------------------------------------------------------------------------------


def median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def p90(values: list[float]) -> float:
    return statistics.quantiles(values, n=10)[-1] if len(values) >= 2 else float("nan")


def ok(good: bool) -> str:
    return "yes" if good else "NO"


def table(rows: list[tuple[str, ...]]) -> str:
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = [" | ".join(cell.ljust(w) for cell, w in zip(row, widths)).rstrip() for row in rows]
    lines.insert(1, "-+-".join("-" * w for w in widths))
    return "\n".join(lines)


def report(args: argparse.Namespace, start: dict[str, list[float]], big: dict[str, list[float]],
           small: dict[str, list[float]], resume: dict[str, list[float]],
           pty: dict[str, list[float]] | None) -> str:  # fmt: skip
    n, m = f"{args.large:,}", f"{args.small:,}"
    s_ratio = median(start["large"]) / median(start["small"])
    s_cpu = median(start["large_cpu"]) / median(start["small_cpu"])
    r_ratio = median(resume["six"]) / median(resume["one"])
    r_cpu = median(resume["six_cpu"]) / median(resume["one_cpu"])
    f_med, f_p90 = median(big["filter"]) * 1000, p90(big["filter"]) * 1000
    rows = [
        ("measure", "large", "baseline", "ratio / goal", "ok", "CPU: large / baseline (ratio)"),
        (f"start-up to first home row, {n} vs {m} stored (median)", f"{median(start['large']):.3f} s",
         f"{median(start['small']):.3f} s", f"{s_ratio:.2f}× / ≤{STARTUP_GOAL}×", ok(s_ratio <= STARTUP_GOAL),
         f"{median(start['large_cpu']):.3f} s / {median(start['small_cpu']):.3f} s ({s_cpu:.2f}×)"),
        (f"filter key → filtered rows shown, {n} stored (median)", f"{f_med:.1f} ms",
         f"{median(small['filter']) * 1000:.1f} ms ({m})",
         f"{f_med / (median(small['filter']) * 1000):.2f}× / ≤{FILTER_GOAL_MS:.0f} ms", ok(f_med <= FILTER_GOAL_MS),
         f"{median(big['filter_cpu']) * 1000:.1f} ms / {median(small['filter_cpu']) * 1000:.1f} ms"),
        (f"  p90 (n={len(big['filter'])})", f"{f_p90:.1f} ms", f"{p90(small['filter']) * 1000:.1f} ms", "",
         ok(f_p90 <= FILTER_GOAL_MS), f"{p90(big['filter_cpu']) * 1000:.1f} ms / {p90(small['filter_cpu']) * 1000:.1f} ms"),
        (f"PageDown / End / Home → cursor row shown, {n} stored (median)", f"{median(big['page']) * 1000:.1f} ms",
         "", f"p90 {p90(big['page']) * 1000:.1f} ms", "", f"{median(big['page_cpu']) * 1000:.1f} ms"),
        ("resume: 6 perpetrators, all answered → first prompt (median)", f"{median(resume['six']):.3f} s",
         f"{median(resume['one']):.3f} s (1)", f"{r_ratio:.2f}× / ≤{RESUME_GOAL}×", ok(r_ratio <= RESUME_GOAL),
         f"{median(resume['six_cpu']):.3f} s / {median(resume['one_cpu']):.3f} s ({r_cpu:.2f}×)"),
    ]  # fmt: skip
    if pty is not None:
        p_ratio = median(pty["large"]) / median(pty["small"])
        rows.append((f"read-back: same start-up in a real pty (pexpect), {n} vs {m}", f"{median(pty['large']):.3f} s",
                     f"{median(pty['small']):.3f} s", f"{p_ratio:.2f}×", "", ""))  # fmt: skip
    lines = [table(rows), ""]
    lines.append(f"{args.runs} start-up and resume runs each, alternating, after a warm-up; python "
                 f"{sys.version.split()[0]}, {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}, "
                 f"window {SIZE[0]}×{SIZE[1]}")  # fmt: skip
    lines.append("CPU: the process's own CPU time over the same interval (wall time on a busy machine is mostly waiting)")
    lines.append(f"raw start-up s: {n}: {_fmt(start['large'])}; {m}: {_fmt(start['small'])}")
    lines.append(f"raw resume s: six: {_fmt(resume['six'])}; one: {_fmt(resume['one'])}")
    if pty is not None:
        lines.append(f"raw pty s: {n}: {_fmt(pty['large'])}; {m}: {_fmt(pty['small'])}")
    lines.append(f"filter: {len(WORDS)} words typed then erased ({', '.join(map(repr, WORDS))}), "
                 f"{PAUSE * 1000:.0f} ms after the app went idle; the row count checked against the store's list")  # fmt: skip
    return "\n".join(lines)


def _fmt(values: list[float]) -> str:
    return " ".join(f"{v:.3f}" for v in values)


def stores(cache: Path, large: int, small: int) -> tuple[Path, Path]:
    """The two stores, seeded unless the cache already holds them at the right size."""
    paths = []
    for count in (small, large):
        path = cache / f"store-{count}"
        if not (path / "submissions").is_dir() or len(os.listdir(path / "submissions")) != count:
            shutil.rmtree(path, ignore_errors=True)
            print(f"seeding {count:,} submissions in {path} …", file=sys.stderr, flush=True)
            seed(path, count)
        paths.append(path)
    return paths[0], paths[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7, help="start-up and resume runs each (default 7)")
    parser.add_argument("--large", type=int, default=10_000, help="the large store (default 10,000)")
    parser.add_argument("--small", type=int, default=20, help="the baseline store (default 20)")
    parser.add_argument("--store-cache", type=Path, help="keep the seeded stores here for the next run")
    parser.add_argument("--pty", action="store_true", help="read start-up back in a real pseudo-terminal")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="marac-scale-") as tmp:
        cache = args.store_cache or Path(tmp)
        cache.mkdir(parents=True, exist_ok=True)
        small, large = stores(cache, args.large, args.small)
        os.environ["MARAC_TUI_DATA_DIR"] = str(small)
        print("start-up …", file=sys.stderr, flush=True)
        start = startup(args.runs, small, large)
        pty = pty_startup(args.runs, small, large) if args.pty else None
        print("filter …", file=sys.stderr, flush=True)
        big = asyncio.run(filtering(large, paging=True))
        little = asyncio.run(filtering(small))
        print("resume …", file=sys.stderr, flush=True)
        drafts = Path(tmp) / "drafts"
        resume = asyncio.run(resuming(drafts, seed_drafts(drafts), args.runs))
    print(report(args, start, big, little, resume, pty))


if __name__ == "__main__":
    main()
