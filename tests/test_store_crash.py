"""Real processes: SIGKILL in the middle of autosaves, and two writers at once."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from marac_tui.store import Store
from marac_tui.store.health import check

PASS = "heron-gate-1234"

# A "zygote" that imports and opens the store once, then forks one autosaving child per request, so that
# hundreds of real processes can be SIGKILLed within seconds. Each child writes "ready", then the sequence
# number after each completed save, to its own file (written bytes survive the kill).
ZYGOTE = r"""
import os, sys
from collections import namedtuple
from marac_tui.errors import UserError
import marac_tui.store.index as index
index.COMPACT_BYTES = 3000  # a fold (snapshot, head, empty log) every few saves: kills land in folds too
from marac_tui.store import Store
from marac_tui.submission import Answer, CaseHeader, FlowRef, Submission

Change = namedtuple("Change", "item perpetrator old new")
from marac_tui.flow.loader import load_named

root, sid = sys.argv[1], sys.argv[2]
store = Store(root, passphrase=os.environ.get("MARAC_TUI_PASSPHRASE") or None)
load_named("police")  # as in the app and `run`, the flow is loaded before the first save


def autosave_forever(report):
    store.acquire(sid)
    try:
        sub = store.load(sid)
        seq = int(sub.header.case_ref.split("-")[1])
    except UserError:
        sub = Submission(id=sid, flow=FlowRef(name="police", version="1"),
                         header=CaseHeader(case_ref="SEQ-0", representative="DC Lark Tennant"))
        seq = 0
    os.write(report, b"ready\n")
    while True:
        seq += 1
        old = sub.header.case_ref
        sub.header.case_ref = f"SEQ-{seq}"
        # the notes grow and shrink so that a torn write would show
        sub.perpetrators[0].answers["notes"] = Answer(value=f"{seq} " + "word " * (seq % 97 * 40))
        sub.touch()
        store.save(sub, [Change("case_ref", None, old, sub.header.case_ref)])
        os.write(report, f"{seq}\n".encode())


for command in sys.stdin:
    verb, arg = command.split()
    if verb == "spawn":
        report = os.open(arg, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        pid = os.fork()
        if pid == 0:
            try:
                autosave_forever(report)
            finally:
                os._exit(1)
        os.close(report)
        print(pid, flush=True)
    else:
        _, status = os.waitpid(int(arg), 0)
        print(os.WTERMSIG(status) if os.WIFSIGNALED(status) else -1, flush=True)
"""


def _seq(text: str) -> int:
    return int(text.split("-")[1])


def _wait_ready(report: Path) -> None:
    deadline = time.monotonic() + 20
    while not report.read_bytes().startswith(b"ready\n"):
        assert time.monotonic() < deadline, "the autosaving child never started"
        time.sleep(0.001)


def _wait_saves(report: Path, count: int) -> None:
    deadline = time.monotonic() + 20
    while len(report.read_bytes().split()) <= count:
        assert time.monotonic() < deadline, "the autosaving child stopped saving"
        time.sleep(0.001)


def _kill_rounds(root: Path, rounds: int, passphrase: str | None, tmp_path: Path) -> int:
    """SIGKILL `rounds` autosaving children; returns how many kills came after at least one completed save."""
    sid = "7d0c4b6e-3c55-4c43-9a43-1f7a0e9c2b11"
    env = {**os.environ, "MARAC_TUI_PASSPHRASE": passphrase or ""}
    zygote = subprocess.Popen(
        [sys.executable, "-c", ZYGOTE, str(root), sid], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, env=env
    )
    rng = random.Random(4)
    stored = printed_ever = mid_run = 0
    try:
        for round_ in range(rounds):
            report = tmp_path / f"report-{round_}"
            zygote.stdin.write(f"spawn {report}\n")
            zygote.stdin.flush()
            pid = int(zygote.stdout.readline())
            _wait_ready(report)
            if rng.random() < 0.5:  # mid-run: after a few completed saves, however slow the disk is
                _wait_saves(report, rng.randint(1, 4))
            time.sleep(rng.choice([0, rng.uniform(0, 0.004), rng.uniform(0, 0.02)]))
            os.kill(pid, signal.SIGKILL)
            zygote.stdin.write(f"reap {pid}\n")
            zygote.stdin.flush()
            assert int(zygote.stdout.readline()) == signal.SIGKILL
            printed = [int(line) for line in report.read_text().split()[1:]]
            mid_run += bool(printed)
            before, printed_ever = stored, (printed[-1] if printed else printed_ever)
            store = Store(root, passphrase)  # opens after every kill
            if not store.path(sid).exists():
                assert printed_ever == 0  # killed before the very first save completed
                continue
            submission = store.load(sid)
            stored = _seq(submission.header.case_ref)
            # holds the last completed save, or the one after it if the kill came just before the print
            assert printed_ever <= stored <= max(printed_ever, before) + 1, (printed_ever, stored)
            assert submission.perpetrators[0].answers["notes"].value.startswith(f"{stored} ")
            row = next(r for r in store.list() if r.id == sid)
            assert row.case_ref == submission.header.case_ref  # the list never lags the file
            first = store.newest()  # the home screen's first page: never wrong, or not given
            assert first is None or first == store.list()[: len(first)], (first, store.list())
            last_change = [e for e in store.history(sid) if e.event == "change"][-1]
            assert _seq(last_change.new) >= stored  # the audit entry is written before the data
            assert {f.kind for f in check(store)} <= {"leftover", "stale-lock", "audit", "index"}
            if round_ % 8 == 7:  # start afresh now and then, so that kills also land in a first save
                store.delete(sid)
                stored = printed_ever = 0
    finally:
        zygote.stdin.close()
        zygote.wait(timeout=30)
    return mid_run


@pytest.mark.slow
@pytest.mark.parametrize(("encrypted", "rounds"), [(False, 150), (True, 70)])
def test_sigkill_during_autosave_never_loses_a_completed_save(tmp_path: Path, encrypted: bool, rounds: int) -> None:
    root = tmp_path / "store"
    Store.init(root, PASS if encrypted else None)
    mid_run = _kill_rounds(root, rounds, PASS if encrypted else None, tmp_path)
    assert mid_run > rounds // 5  # many kills landed after some saves had completed
    store = Store(root, PASS if encrypted else None)
    check(store, repair=True)
    assert check(store) == []


# Holds a submission and saves it N times, then waits for a line on stdin before exiting.
HOLDER = r"""
import json, sys
from marac_tui.store import Store
from marac_tui.submission import CaseHeader, FlowRef, Submission
root, sid, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
store = Store(root)
store.acquire(sid)
sub = Submission(id=sid, flow=FlowRef(name="police", version="1"), header=CaseHeader(case_ref="A-0"))
for i in range(1, n + 1):
    sub.header.case_ref = f"A-{i}"
    store.save(sub)
print("saved", flush=True)
sys.stdin.readline()
"""

# A second process that tries to edit the same submission.
INTRUDER = r"""
import json, sys
from marac_tui.store import Store, SubmissionLocked
root, sid = sys.argv[1], sys.argv[2]
store = Store(root)
result = {}
try:
    store.acquire(sid)
    result["acquire"] = "got it"
except SubmissionLocked as exc:
    result["acquire"] = str(exc)
view = store.load(sid)
result["read_only_view"] = view.header.case_ref
view.header.case_ref = "B-overwrite"
try:
    store.save(view)
    result["save"] = "saved"
except SubmissionLocked as exc:
    result["save"] = str(exc)
print(json.dumps(result))
"""


def test_second_process_gets_a_read_only_view_and_no_write_is_lost(tmp_path: Path) -> None:
    root = tmp_path / "store"
    sid = "2b9e3c1a-5d4f-4e21-8a7b-0c6d5e4f3a21"
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(root), sid, "60"], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    try:
        assert holder.stdout.readline() == "saved\n"
        intruder = subprocess.run(
            [sys.executable, "-c", INTRUDER, str(root), sid], capture_output=True, text=True, check=True
        )
        result = json.loads(intruder.stdout)
        assert "being edited by" in result["acquire"] and f"process {holder.pid}" in result["acquire"]
        assert "read-only" in result["acquire"]
        assert result["read_only_view"] == "A-60"
        assert "being edited by" in result["save"]
        assert Store(root).load(sid).header.case_ref == "A-60"
        listing = subprocess.run(
            [sys.executable, "-m", "marac_tui", "--data-dir", str(root), "list"], capture_output=True, text=True
        ).stdout
        assert f"{sid}  A-60" in listing and "draft*" in listing
        assert f"* {sid[:8]} is open for editing by" in listing and f"process {holder.pid}" in listing
    finally:
        holder.communicate("go\n")
    after = json.loads(
        subprocess.run([sys.executable, "-c", INTRUDER, str(root), sid], capture_output=True, text=True, check=True).stdout
    )
    assert after == {"acquire": "got it", "read_only_view": "A-60", "save": "saved"}
    assert Store(root).load(sid).header.case_ref == "B-overwrite"


# Saves its own submissions many times over, with a tiny compaction threshold.
WRITER = r"""
import sys
import marac_tui.store.index as index
index.COMPACT_BYTES = 6000
from marac_tui.store import Store
from marac_tui.submission import CaseHeader, FlowRef, Submission
root, tag = sys.argv[1], sys.argv[2]
store = Store(root)
subs = [Submission(flow=FlowRef(name="police", version="1"), header=CaseHeader(case_ref=f"{tag}-{i}-0")) for i in range(15)]
for round_ in range(1, 9):
    for i, sub in enumerate(subs):
        sub.header.case_ref = f"{tag}-{i}-{round_}"
        store.save(sub)
"""


def test_two_processes_saving_at_once_lose_no_index_row(tmp_path: Path) -> None:
    root = tmp_path / "store"
    writers = [subprocess.Popen([sys.executable, "-c", WRITER, str(root), tag]) for tag in ("P", "Q")]
    assert [w.wait(timeout=120) for w in writers] == [0, 0]
    store = Store(root)
    refs = sorted(r.case_ref for r in store.list())
    assert refs == sorted(f"{tag}-{i}-8" for tag in "PQ" for i in range(15))
    assert check(store) == []
    first = store.newest()  # folds by two processes at once leave a head true to the index
    assert first is not None and first == store.list()[: len(first)]
