"""TUI benchmark: start-up and memory against a bare Textual app, and answer-to-next-prompt latency.

    python bench/tui.py [--runs 7] [--answers 120] [--drafts 20]

Start-up is whole-process wall time of a child that runs the app headless and exits as soon as its
first interactive screen is up: `marac-tui` through its real entry point (`marac_tui.cli.main`, home
screen over a store holding --drafts submissions) against a bare app (Header, Static, Input, Footer)
started the same way. Peak memory is each child's own high-water mark, `VmHWM` from
/proc/self/status, read by the child itself (`ru_maxrss` of a child inherits the parent's mark
across exec, so it measured the bench). Latency is measured in-process with Pilot: from the key
that submits an answer to the next prompt being on screen, next to the same figure for a minimal
Textual app that mounts one Static per Enter at the same size (the floor). The frame hook and the
key sent as a terminal would are Textual private API, behind bench/textual_hooks.py.
Goals: start-up ≤ 1.25× the bare app, memory ≤ 1.3×, latency median ≤ 1.5× the floor's and p90 ≤ 2×
the floor's p90.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "bench"), str(ROOT)]

STARTUP_GOAL = 1.25
MEMORY_GOAL = 1.30
LATENCY_GOAL = 1.5  # median, against the floor's median
LATENCY_P90_GOAL = 2.0  # p90, against the floor's p90
PAUSE = 0.15  # seconds between the app going idle and the key that sends an answer

# Both apps are stopped the same way: once their first screen is mounted, after one more pause, by
# their quit action (what Ctrl+Q runs), so the peak memory includes what quitting costs.
EXIT_ON_READY = """
async def _exit_when_ready(pilot):
    app = pilot.app
    while {not_ready}:
        await pilot.pause()
    await pilot.pause()
    await app.action_quit()
"""

# Each child reads its own peak resident memory when it is done.
VMHWM = """
print("vmhwm", next(line.split()[1] for line in open("/proc/self/status") if line.startswith("VmHWM:")))
"""

BARE = (
    "from textual.app import App\n"
    "from textual.widgets import Footer, Header, Input, Static\n"
    + EXIT_ON_READY.format(not_ready="not app.screen.is_mounted or app.screen.query(Input).first(None) is None")
    + """
class Bare(App):
    def compose(self):
        yield Header()
        yield Static("Hello")
        yield Input(placeholder="Type here")
        yield Footer()

Bare().run(headless=True, auto_pilot=_exit_when_ready)
"""
    + VMHWM
)

# The real `marac-tui` entry point; App.run is wrapped only to run headless and stop on the home screen.
MARAC = (
    "import sys\n"
    "import textual.app\n"
    + EXIT_ON_READY.format(not_ready="type(app.screen).__name__ != 'HomeScreen' or not app.screen.is_mounted")
    + """
_run = textual.app.App.run
textual.app.App.run = lambda self, **kw: _run(self, headless=True, auto_pilot=_exit_when_ready)
from marac_tui.cli import main
main(["--data-dir", sys.argv[1]])
"""
    + VMHWM
)


def seed_store(root: Path, drafts: int) -> None:
    """`drafts` submissions from the example answers, so the home screen has a realistic table."""
    import yaml

    from marac_tui.engine.headless import run_answers
    from marac_tui.engine.interview import Interview
    from marac_tui.flow.loader import load_named
    from marac_tui.store import Store

    store = Store(root)
    data = yaml.safe_load((ROOT / "examples" / "police-answers.yaml").read_text(encoding="utf-8"))
    for n in range(drafts):
        data["case_ref"] = f"BENCH-{n:04d}"
        interview = Interview(load_named("police"), prefill=False)
        run_answers(interview, data, lambda message: None)
        store.save(interview.submission)


def run_child(code: str, *args: str) -> tuple[float, int]:
    """Wall seconds and peak resident memory (KiB, the child's own VmHWM) of one child process."""
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "0"}
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, env=env, timeout=120)
    wall = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"bench child failed ({done.returncode}):\n{done.stderr[-2000:]}")
    rss = next(int(line.split()[1]) for line in done.stdout.splitlines() if line.startswith("vmhwm"))
    return wall, rss


def startup(runs: int, store_dir: Path) -> dict[str, list[float]]:
    """Alternate bare and marac children so both see the same machine load; one warm-up each."""
    results: dict[str, list[float]] = {"bare_s": [], "marac_s": [], "bare_kib": [], "marac_kib": []}
    run_child(BARE)
    run_child(MARAC, str(store_dir))
    for _ in range(runs):
        for name, code, args in (("bare", BARE, ()), ("marac", MARAC, (str(store_dir),))):
            wall, rss = run_child(code, *args)
            results[f"{name}_s"].append(wall)
            results[f"{name}_kib"].append(rss)
    return results


# --- answer latency -----------------------------------------------------------------------------

TYPED = {"text": "Ab", "date": "2026-11-20", "number": "1"}


def example_values() -> dict[str, str]:
    """The example answers' text values by item id: what a text item with a `pattern` is answered with."""
    import yaml

    data = yaml.safe_load((ROOT / "examples" / "police-answers.yaml").read_text(encoding="utf-8"))
    answers = {**data, **data["perpetrators"][0]}
    return {key: answer["value"] for key, answer in answers.items()
            if isinstance(answer, dict) and isinstance(answer.get("value"), str)}  # fmt: skip
SEND = {"text": "enter", "date": "enter", "number": "enter", "longtext": "ctrl+j", "yesno": "n", "choice": "1"}


async def latency(answers: int, store_dir: Path, pause: float = PAUSE) -> dict[str, list[float]]:
    """Answer `answers` items through the keyboard; time each submitting key to the next prompt painted.

    Typing is done with Pilot (untimed). The submitting key is sent straight to the driver, as a
    terminal would, and the clock stops when the first frame showing the next prompt (or the
    provenance strip) is written: Pilot's own idle-waiting (20 ms steps) is kept out of the figure.
    """
    from marac_tui.store import Store
    from marac_tui.tui.app import build_app
    from marac_tui.tui.widgets.provenance import ProvenanceStrip

    app = build_app(Store(store_dir), cursor_blink=False)
    examples = example_values()
    times: dict[str, list[float]] = {"to_prompt": [], "to_strip": [], "strip_to_prompt": [], "research_to_prompt": [],
                                     "cpu": [], "to_focus": []}  # fmt: skip

    def timed() -> int:
        return len(times["to_prompt"]) + len(times["to_strip"]) + len(times["research_to_prompt"])

    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        while timed() < answers:
            app.start_submission("police")
            await _until(pilot, lambda: hasattr(app.screen, "interview"))
            await pilot.pause()
            screen = app.screen
            interview = screen.interview
            while not interview.done and timed() < answers:
                kind = interview.current.kind.value
                research = interview.flow.is_research(interview.current.id)
                asked = _last_prompt(screen)  # the transcript is capped: compare, not count

                def moved() -> bool:
                    return _last_prompt(screen) is not asked or interview.done  # noqa: B023

                if kind not in SEND:
                    await pilot.press("ctrl+n")  # repeats, groups, checklists, actions: skipped, not timed
                    await _until(pilot, moved)
                    await pilot.pause()
                    continue
                if interview.current.pattern:  # "Ab" would be refused: the example's answer
                    await pilot.press(*examples[interview.current.id])
                elif kind in TYPED or kind == "longtext":
                    await pilot.press(*TYPED.get(kind, "Ab"))
                def focused() -> bool:  # the next question's input has the focus (or the strip, or done)
                    field = screen.answer_input
                    return (interview.done or strip_up()
                            or (field is not None and app.focused is not None and field in app.focused.ancestors_with_self))  # fmt: skip

                def strip_up() -> bool:
                    strip = screen.query_one(ProvenanceStrip)  # mounted once; folded, it asks for no key
                    return bool(strip.display) and not getattr(strip, "folded", False)

                spent: list[float] = []
                elapsed = await _timed_key(app, SEND[kind], lambda: strip_up() or moved(), pause, spent,
                                           ready=focused, ready_times=times["to_focus"])  # fmt: skip
                if strip_up():
                    times["to_strip"].append(elapsed)
                    times["strip_to_prompt"].append(await _timed_key(app, "enter", moved, pause, times["cpu"]))
                else:
                    times["cpu"] += spent
                    times["research_to_prompt" if research else "to_prompt"].append(elapsed)
                await pilot.pause()
            app.pop_screen()
            await pilot.pause()
    return times


async def baseline_latency(answers: int, pause: float = PAUSE, cpu: list[float] | None = None) -> list[float]:
    """The floor: a minimal Textual app at the same size (header, scrolling log, input, footer) that
    mounts one Static per Enter and scrolls to it; timed exactly as the answers are."""
    from textual.app import App, ComposeResult
    from textual.containers import VerticalScroll
    from textual.widgets import Footer, Header, Input, Static

    class Minimal(App):
        AUTO_FOCUS = "#box"

        def compose(self) -> ComposeResult:
            yield Header()
            yield VerticalScroll(id="log")
            yield Input(id="box")
            yield Footer()

        async def on_input_submitted(self, event: Input.Submitted) -> None:
            log = self.query_one("#log", VerticalScroll)
            await log.mount(Static(event.value or "(empty)"))
            event.input.clear()
            log.scroll_end(animate=False)

    app = Minimal()
    times: list[float] = []
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        log = app.query_one("#log", VerticalScroll)
        for _ in range(answers):
            await pilot.press(*"Ab")
            shown = len(log.children)
            times.append(await _timed_key(app, "enter", lambda: len(log.children) > shown, pause, cpu))  # noqa: B023
            await pilot.pause()
    return times


def _last_prompt(screen: Any) -> Any:
    from marac_tui.tui.widgets.transcript import Transcript

    messages = screen.query_one(Transcript).messages
    return next((m for m in reversed(messages) if m.role == "bot"), None)


async def _timed_key(app: Any, key: str, arrived: Any, pause: float, cpu: list[float] | None = None,
                     timeout: float = 10.0, ready: Any = None, ready_times: list[float] | None = None) -> float:  # fmt: skip
    """Seconds from sending `key` until the first frame written to the terminal after `arrived()` holds
    (and, into `cpu`, the CPU seconds the process spent meanwhile; into `ready_times`, the seconds until
    the first frame once `ready()` holds too: the next input shown with the focus).

    The key is sent `pause` seconds after the app went idle (a person's pause before the key that
    sends an answer); with 0 it follows the last typed character at machine speed, which adds up to
    two of Textual's frame intervals (it spaces frames at least 1/60 s apart).

    The key goes straight to the driver, as a terminal would send it, and the clock stops at the first
    frame handed to the driver once the new prompt was in the DOM when that frame was composed, so the
    frame shows it (both hooks: bench/textual_hooks.py).
    """
    from textual_hooks import frames, send_key

    painted, focused = asyncio.Event(), asyncio.Event()
    spent, at, ready_at = [0.0], [0.0], [0.0]

    def shown() -> None:
        if not painted.is_set() and arrived():
            at[0], spent[0] = time.perf_counter(), time.process_time()  # as the frame is written
            painted.set()
        if painted.is_set() and not focused.is_set() and (ready is None or ready()):
            ready_at[0] = time.perf_counter()
            focused.set()

    await asyncio.sleep(pause)
    with frames(app, shown):
        start, start_cpu = time.perf_counter(), time.process_time()
        send_key(app, key)
        try:
            await asyncio.wait_for(painted.wait(), timeout)
        except asyncio.TimeoutError:
            raise SystemExit(f"bench: no next prompt {timeout:.0f} s after pressing {key}") from None
        if cpu is not None:
            cpu.append(spent[0] - start_cpu)
        if ready_times is not None:
            try:
                await asyncio.wait_for(focused.wait(), timeout)
            except asyncio.TimeoutError:
                raise SystemExit(f"bench: the next input never had the focus after pressing {key}") from None
            ready_times.append(ready_at[0] - start)
        # the clock stopped in `shown`: what runs after that frame (work held until the prompt was
        # painted) is not the time the person waited for the prompt
        return at[0] - start


async def _until(pilot: Any, predicate: Any, timeout: float = 10.0) -> None:
    deadline = time.perf_counter() + timeout
    while not predicate():
        if time.perf_counter() > deadline:
            raise SystemExit("bench: the app did not reach the expected state in time")
        await pilot.pause()


# --- report ---------------------------------------------------------------------------------------


def median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def report(start: dict[str, list[float]], lat: dict[str, list[float]], floor: list[float], floor_cpu: list[float],
           rushed: tuple[dict[str, list[float]], list[float]], runs: int, drafts: int) -> str:  # fmt: skip
    bare_s, marac_s = median(start["bare_s"]), median(start["marac_s"])
    bare_mib, marac_mib = median(start["bare_kib"]) / 1024, median(start["marac_kib"]) / 1024
    every = lat["to_prompt"] + lat["strip_to_prompt"] + lat["research_to_prompt"]
    rushed_every = rushed[0]["to_prompt"] + rushed[0]["strip_to_prompt"] + rushed[0]["research_to_prompt"]
    floor_ms = median(floor) * 1000
    ratio, p90_ratio = median(every) * 1000 / floor_ms, _p90(every) / _p90(floor)
    rows = [
        ("measure", "marac-tui", "baseline", "ratio / goal", "ok"),
        ("start-up to first screen (median wall)", f"{marac_s:.3f} s", f"{bare_s:.3f} s",
         f"{marac_s / bare_s:.2f}× / ≤{STARTUP_GOAL}×", _ok(marac_s / bare_s <= STARTUP_GOAL)),
        ("peak memory (median of each child's VmHWM)", f"{marac_mib:.1f} MiB", f"{bare_mib:.1f} MiB",
         f"{marac_mib / bare_mib:.2f}× / ≤{MEMORY_GOAL}×", _ok(marac_mib / bare_mib <= MEMORY_GOAL)),
        ("submit → next prompt (median)", f"{median(every) * 1000:.1f} ms", f"{floor_ms:.1f} ms",
         f"{ratio:.2f}× / ≤{LATENCY_GOAL}×", _ok(ratio <= LATENCY_GOAL)),
        ("submit → next prompt (p90)", f"{_p90(every) * 1000:.1f} ms", f"{_p90(floor) * 1000:.1f} ms",
         f"{p90_ratio:.2f}× / ≤{LATENCY_P90_GOAL}×", _ok(p90_ratio <= LATENCY_P90_GOAL)),
        ("  CPU per answer (median)", f"{median(lat['cpu']) * 1000:.1f} ms", f"{median(floor_cpu) * 1000:.1f} ms",
         f"{median(lat['cpu']) / median(floor_cpu):.2f}×", ""),
        ("  case answer → next prompt", f"{median(lat['to_prompt']) * 1000:.1f} ms (n={len(lat['to_prompt'])})",
         "", "", ""),
        ("  research answer → next prompt (provenance recorded, no strip key)",
         f"{median(lat['research_to_prompt']) * 1000:.1f} ms (n={len(lat['research_to_prompt'])})", "", "", ""),
        ("  research answer → provenance strip", f"{median(lat['to_strip']) * 1000:.1f} ms (n={len(lat['to_strip'])})",
         "", "", ""),
        ("  accept provenance → next prompt",
         f"{median(lat['strip_to_prompt']) * 1000:.1f} ms (n={len(lat['strip_to_prompt'])})", "", "", ""),
        ("  submit → next input shown with the focus (median)", f"{median(lat['to_focus']) * 1000:.1f} ms",
         f"{floor_ms:.1f} ms", f"{median(lat['to_focus']) * 1000 / floor_ms:.2f}×", ""),
        ("  back-to-back: key at machine speed (median)", f"{median(rushed_every) * 1000:.1f} ms",
         f"{median(rushed[1]) * 1000:.1f} ms", f"{median(rushed_every) / median(rushed[1]):.2f}×", ""),
    ]  # fmt: skip
    widths = [max(len(row[i]) for row in rows) for i in range(5)]
    lines = [" | ".join(cell.ljust(w) for cell, w in zip(row, widths)).rstrip() for row in rows]
    lines.insert(1, "-+-".join("-" * w for w in widths))
    lines.append("")
    lines.append(f"{runs} runs each, alternating, after one warm-up; home screen over {drafts} saved drafts; "
                 f"python {sys.version.split()[0]}, {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}")  # fmt: skip
    lines.append("start-up and memory baseline: a bare Textual app (Header, Static, Input, Footer) started the same way")
    lines.append(f"raw start-up s: marac {_fmt(start['marac_s'])}; bare {_fmt(start['bare_s'])}")
    lines.append("latency baseline: a minimal Textual app (Header, scrolling log, Input, Footer) at 120×40 that "
                 f"mounts one Static per Enter, timed the same way ({len(floor)} Enters)")  # fmt: skip
    lines.append(f"latency: each sending key {PAUSE * 1000:.0f} ms after the app went idle (back-to-back: none), "
                 "until the first frame showing the next prompt")  # fmt: skip
    return "\n".join(lines)


def _ok(good: bool) -> str:
    return "yes" if good else "NO"


def _p90(values: list[float]) -> float:
    return statistics.quantiles(values, n=10)[-1] if len(values) >= 2 else float("nan")


def _fmt(values: list[float]) -> str:
    return " ".join(f"{v:.2f}" for v in values)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7, help="start-up runs per app (default 7)")
    parser.add_argument("--answers", type=int, default=120, help="answers to time (default 120)")
    parser.add_argument("--drafts", type=int, default=20, help="saved drafts on the home screen (default 20)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="marac-bench-") as tmp:
        store_dir = Path(tmp) / "store"
        os.environ["MARAC_TUI_DATA_DIR"] = str(store_dir)
        seed_store(store_dir, args.drafts)
        start = startup(args.runs, store_dir)
        lat = asyncio.run(latency(args.answers, Path(tmp) / "latency-store"))
        floor_cpu: list[float] = []
        floor = asyncio.run(baseline_latency(args.answers, cpu=floor_cpu))
        rushed = (asyncio.run(latency(args.answers, Path(tmp) / "rushed-store", pause=0)),
                  asyncio.run(baseline_latency(args.answers, pause=0)))  # fmt: skip
    print(report(start, lat, floor, floor_cpu, rushed, args.runs, args.drafts))


if __name__ == "__main__":
    main()
