"""A kill before every file-system call of a first save, a `delete` and a `doctor --repair`.

Each operation runs in a forked child whose n-th call to an os file-system function ends the process
on the spot (`os._exit`: no `finally`, no cleanup, as a SIGKILL), for every n from the first call to
the last. After each kill the store is checked as the next user would meet it: the submission is
either whole or (after `doctor --repair`) completely gone, nothing else is touched, and a repair
leaves a healthy store. fsync itself is made a no-op (a kill, unlike a power cut, loses nothing the
kernel already has), but each call to it is still a crash point.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from marac_tui.engine.interview import Change
from marac_tui.store import Store
from marac_tui.store.health import check
from marac_tui.submission import Answer, CaseHeader, FlowRef, Submission

PASS = "fen-lantern-8802"
CALLS = ("open", "write", "fsync", "replace", "rename", "link", "unlink", "mkdir", "chmod", "ftruncate", "rmdir")
KILLED, DONE, FAILED = 77, 78, 79


def make(case_ref: str, name: str) -> Submission:
    submission = Submission(
        flow=FlowRef(name="police", version="1.0"),
        header=CaseHeader(case_ref=case_ref, representative="DC Oona Farrant"),
    )
    submission.perpetrators[0].answers["full_name"] = Answer(value=name)
    return submission


@pytest.fixture(autouse=True)
def no_fsync(monkeypatch: pytest.MonkeyPatch) -> None:
    from marac_tui.flow.loader import load_named

    load_named("police")  # loaded once here, as in the app, not in every child
    monkeypatch.setattr(os, "fsync", lambda fd: None)


def run_until_call(operation: Callable[[], object], kill_at: int, count_file: Path) -> int:
    """Run `operation` in a forked child killed just before its `kill_at`-th file-system call
    (never, if it makes fewer); the child's exit code, and the number of calls in `count_file`."""
    pid = os.fork()
    if pid == 0:  # the child: count calls, die at the chosen one
        calls = [0]

        def wrap(real: Callable[..., object]) -> Callable[..., object]:
            def call(*args: object, **kwargs: object) -> object:
                if calls[0] == kill_at:
                    os._exit(KILLED)
                calls[0] += 1
                return real(*args, **kwargs)

            return call

        for name in CALLS:
            setattr(os, name, wrap(getattr(os, name)))
        code = DONE
        try:
            operation()
        except BaseException:  # noqa: BLE001 - the parent is told, and looks at the store
            code = FAILED
        with open(count_file, "w") as handle:  # builtins.open: not a counted call
            handle.write(str(calls[0]))
        os._exit(code)
    _, status = os.waitpid(pid, 0)
    return os.waitstatus_to_exitcode(status)


def crash_points(operation: Callable[[], object], tmp_path: Path) -> int:
    """How many file-system calls `operation` makes (run once, to the end, in a child)."""
    count_file = tmp_path / "calls"
    assert run_until_call(operation, -1, count_file) == DONE
    return int(count_file.read_text())


def stores(tmp_path: Path, encrypted: bool, setup: Callable[[Store], dict]) -> Iterator[tuple[Store, dict]]:
    """A fresh store per crash point, set up by `setup` (its return value is passed on)."""
    n = 0
    while True:
        root = tmp_path / f"store-{n}"
        store = Store.init(root, PASS if encrypted else None)
        yield store, setup(store)
        n += 1


def reopen(store: Store) -> Store:
    return Store(store.root, PASS if store.encrypted else None)


def no_trace(store: Store, *needles: str) -> list[str]:
    found = []
    for path in store.root.rglob("*"):
        if path.is_file() and any(n.encode() in path.read_bytes() for n in needles):
            found.append(str(path.relative_to(store.root)))
    return found


def healthy_after_repair(store: Store) -> Store:
    store = reopen(store)
    check(store, repair=True)
    assert [f.describe() for f in check(store)] == []
    return store


ENCRYPTION = pytest.mark.parametrize("encrypted", [False, True], ids=["plain", "encrypted"])


@ENCRYPTION
def test_a_kill_anywhere_in_a_first_save(tmp_path: Path, encrypted: bool) -> None:
    def setup(store: Store) -> dict:
        other = make("MC-OTHER-1", "Rhys Calloway")
        store.save(other)
        return {"new": make("MC-FIRST-7", "Isolde Brackwater"), "other": other}

    fresh = stores(tmp_path, encrypted, setup)
    store, data = next(fresh)
    total = crash_points(lambda: store.save(data["new"], [Change("case_ref", None, None, "MC-FIRST-7")]), tmp_path)
    assert total > 10
    for kill_at in range(total):
        store, data = next(fresh)
        new, sid = data["new"], str(data["new"].id)
        code = run_until_call(lambda: store.save(new, [Change("case_ref", None, None, "MC-FIRST-7")]), kill_at, tmp_path / "c")
        assert code == KILLED, kill_at
        after = reopen(store)
        listed = {r.id: r.case_ref for r in after.list()}
        assert listed.get(str(data["other"].id)) == "MC-OTHER-1"
        if sid in listed:  # the save got through: whole, listed, audited
            assert after.load(sid) == new and listed[sid] == "MC-FIRST-7"
            assert [e.event for e in after.history(sid)] == ["created", "change"]
        repaired = healthy_after_repair(after)
        if sid in {r.id for r in repaired.list()}:
            assert repaired.load(sid) == new
        elif not encrypted:
            assert no_trace(repaired, "MC-FIRST-7", "Brackwater") == [], kill_at


@ENCRYPTION
def test_a_kill_anywhere_in_a_delete(tmp_path: Path, encrypted: bool) -> None:
    def setup(store: Store) -> dict:
        gone, kept = make("MC-GONE-3", "Ottilie Ramsbury"), make("MC-KEPT-4", "Caspar Dunnock")
        for round_ in range(2):
            gone.perpetrators[0].answers["address"] = Answer(value=f"{round_} Heron Walk")
            store.save(gone, [Change("address", 0, None, f"{round_} Heron Walk")])
            store.save(kept)
        return {"gone": gone, "kept": kept}

    fresh = stores(tmp_path, encrypted, setup)
    store, data = next(fresh)
    total = crash_points(lambda: store.delete(str(data["gone"].id)), tmp_path)
    assert total > 10
    for kill_at in range(total):
        store, data = next(fresh)
        sid = str(data["gone"].id)
        assert run_until_call(lambda: store.delete(sid), kill_at, tmp_path / "c") == KILLED, kill_at
        after = reopen(store)
        listed = {r.id for r in after.list()}
        assert str(data["kept"].id) in listed and after.load(str(data["kept"].id)) == data["kept"]
        if sid in listed:  # killed before the deletion began: all of it is still there
            assert after.load(sid) == data["gone"]
            assert len([e for e in after.history(sid) if e.event == "change"]) == 2
        repaired = healthy_after_repair(after)
        if sid not in listed:  # once begun, a deletion is finished by doctor: no trace is left
            assert sid not in {r.id for r in repaired.list()}
            assert [p.name for p in repaired.root.rglob("*") if sid in p.name] == [], kill_at
            if not encrypted:
                assert no_trace(repaired, "MC-GONE-3", "Ramsbury", "Heron Walk") == [], kill_at
        assert repaired.load(str(data["kept"].id)) == data["kept"]


@ENCRYPTION
def test_a_kill_anywhere_in_doctor_repair(tmp_path: Path, encrypted: bool) -> None:
    def setup(store: Store) -> dict:
        damaged, lost = make("MC-DAMAGED-5", "Wynne Hollister"), make("MC-LOST-6", "Bram Eastleigh")
        for s in (damaged, lost):
            store.save(s, [Change("case_ref", None, None, s.header.case_ref)])
            s.header.representative = "DS Ines Varga"
            store.save(s, [Change("representative", None, "DC Oona Farrant", "DS Ines Varga")])
        path = store.path(str(damaged.id))
        path.write_bytes(path.read_bytes()[:40])  # a damaged live file, its last good copy kept
        with open(store.path(str(damaged.id), "audit"), "ab") as handle:
            handle.write(b"MTE2:garbled" if encrypted else b'{"v": 3, "entr')  # a cut-short audit line
        os.unlink(store.path(str(lost.id)))  # a data file gone, its backup kept
        return {"damaged": damaged, "lost": lost}

    fresh = stores(tmp_path, encrypted, setup)
    store, data = next(fresh)
    total = crash_points(lambda: check(store, repair=True), tmp_path)
    assert total > 10
    for kill_at in range(total):
        store, data = next(fresh)
        damaged = str(data["damaged"].id)
        assert run_until_call(lambda: check(store, repair=True), kill_at, tmp_path / "c") == KILLED, kill_at
        assert store.path(damaged).exists(), kill_at  # the live name is never missing
        assert store.path(damaged, "backup").exists() and store.path(damaged, "audit").exists()
        repaired = healthy_after_repair(store)  # a second repair always finishes the job
        restored = repaired.load(damaged)
        assert restored.header.case_ref == "MC-DAMAGED-5" and restored.header.representative == "DC Oona Farrant"
        lost = repaired.load(str(data["lost"].id))
        assert lost.header.representative == "DC Oona Farrant"  # its backup, put back
        assert {r.case_ref for r in repaired.list()} == {"MC-DAMAGED-5", "MC-LOST-6"}
        assert [e.event for e in repaired.history(damaged)][:2] == ["created", "change"]
