"""The store keeps every word: atomic files, backups, permissions, encryption, audit, finalise, locks."""

from __future__ import annotations

import hashlib
import logging
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from marac_tui.engine.interview import Change, Interview
from marac_tui.store import (
    CorruptFile,
    PassphraseNeeded,
    Store,
    StoreError,
    SubmissionFinalised,
    SubmissionLocked,
    WrongPassphrase,
)
from marac_tui.store import index as index_module
from marac_tui.store.health import check
from marac_tui.submission import Answer, CaseHeader, FlowRef, Submission

PASS = "larch-window-42"


def make(case_ref: str = "MC-2026-0007", name: str = "Corin Ashdale") -> Submission:
    submission = Submission(
        flow=FlowRef(name="police", version="1"),
        header=CaseHeader(case_ref=case_ref, representative="DC Wren Halloway", agency="Northmoor Police"),
    )
    submission.perpetrators[0].answers["full_name"] = Answer(value=name)
    return submission


def digest(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and not p.name.endswith(".lock")
    }


def test_save_load_list_round_trip(data_dir: Path) -> None:
    store = Store(data_dir)
    first, second = make("MC-1"), make("MC-2", "Jon [/] Doe \x1b[31m")
    store.save(first)
    store.save(second)
    assert store.load(str(second.id)[:8]) == second
    rows = {r.id: r for r in store.list()}
    assert rows[str(second.id)].perpetrators == ["Jon [/] Doe \x1b[31m"]
    assert rows[str(first.id)].case_ref == "MC-1"
    assert len(rows) == 2


def test_each_write_keeps_the_previous_version_as_backup(data_dir: Path) -> None:
    store = Store(data_dir)
    submission = make("MC-OLD")
    store.save(submission)
    submission.header.case_ref = "MC-NEW"
    store.save(submission)
    backup = store.path(str(submission.id), "backup")
    assert b"MC-OLD" in backup.read_bytes()
    assert store.load(str(submission.id)).header.case_ref == "MC-NEW"


def test_each_save_is_a_single_atomic_write(data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A kill can only fall before or after a save's one replace, never between two."""
    from marac_tui.store import files

    replaced: list[Path] = []
    real_replace = os.replace
    monkeypatch.setattr(files.os, "replace", lambda src, dst: (replaced.append(Path(dst)), real_replace(src, dst)))
    store = Store(data_dir)
    submission = make()
    for _ in range(2):
        replaced.clear()
        store.save(submission)
        assert [p for p in replaced if p.parent == store.submissions_dir] == [store.path(str(submission.id))]


def test_every_file_is_private(data_dir: Path) -> None:
    store = Store(data_dir)
    submission = make()
    store.acquire(str(submission.id))
    store.save(submission, [Change("case_ref", None, None, "MC-2026-0007")])
    store.save(submission)
    assert stat.S_IMODE(data_dir.stat().st_mode) == 0o700
    for folder in data_dir.rglob("*"):
        if folder.is_dir():
            assert stat.S_IMODE(folder.stat().st_mode) == 0o700, folder
    files = [p for p in data_dir.rglob("*") if p.is_file()]
    assert {p.relative_to(data_dir).parts[0] for p in files} >= {"submissions", "backups", "audit", "locks", "index.log"}
    for path in files:
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path
    assert store.permission_warnings(deep=True) == []


def test_looser_permissions_are_reported(data_dir: Path) -> None:
    store = Store(data_dir)
    submission = make()
    store.save(submission)
    os.chmod(data_dir, 0o755)
    os.chmod(store.path(str(submission.id)), 0o644)
    warnings = store.permission_warnings()
    assert len(warnings) == 1 and str(data_dir) in warnings[0] and "0755" in warnings[0]
    deep = store.permission_warnings(deep=True)
    assert any(str(store.path(str(submission.id))) in w and "0644" in w for w in deep)
    findings = check(store, repair=True)
    assert all(f.repaired for f in findings if f.kind == "permissions")
    assert store.permission_warnings(deep=True) == []


def test_encrypted_store_holds_no_plain_text(data_dir: Path) -> None:
    store = Store.init(data_dir, PASS)
    submission = make("MC-SECRET-77", "Basil Thornquist")
    store.save(submission, [Change("full_name", 0, None, {"value": "Basil Thornquist"})])
    store.finalise(str(submission.id))
    assert Store.needs_passphrase(data_dir)
    for path in data_dir.rglob("*"):
        if path.is_file():
            content = path.read_bytes()
            assert b"Thornquist" not in content and b"MC-SECRET" not in content, path
            assert PASS.encode() not in content
    reopened = Store(data_dir, PASS)
    assert reopened.load(str(submission.id)).header.case_ref == "MC-SECRET-77"
    assert [r.case_ref for r in reopened.list()] == ["MC-SECRET-77"]
    assert [e.event for e in reopened.history(str(submission.id))] == ["created", "change", "finalised"]


def test_wrong_or_missing_passphrase_is_refused_and_changes_nothing(data_dir: Path) -> None:
    store = Store.init(data_dir, PASS)
    store.save(make())
    before = digest(data_dir)
    with pytest.raises(WrongPassphrase, match="wrong passphrase"):
        Store(data_dir, "not-the-passphrase")
    with pytest.raises(PassphraseNeeded, match="encrypted"):
        Store(data_dir)
    assert digest(data_dir) == before


def test_encryption_is_chosen_when_the_store_is_created(data_dir: Path) -> None:
    Store(data_dir).save(make())
    with pytest.raises(StoreError, match="already holds 1 unencrypted"):
        Store.init(data_dir, PASS)
    assert not Store.needs_passphrase(data_dir)


@pytest.mark.parametrize("encrypted", [False, True])
@pytest.mark.parametrize("damage", ["truncate", "garble", "empty"])
def test_damaged_file_is_reported_never_overwritten_and_recovered(data_dir: Path, encrypted: bool, damage: str) -> None:
    store = Store.init(data_dir, PASS if encrypted else None)
    submission = make("MC-GOOD-1")
    store.save(submission)
    submission.header.case_ref = "MC-GOOD-2"
    store.save(submission)
    path = store.path(str(submission.id))
    raw = path.read_bytes()
    broken = {"truncate": raw[: len(raw) // 2], "garble": raw[:40] + b"\x00garbage" + raw[48:], "empty": b""}[damage]
    path.write_bytes(broken)
    with pytest.raises(CorruptFile) as caught:
        store.load(str(submission.id))
    assert str(path) in str(caught.value) and "doctor --repair" in str(caught.value)
    submission.header.case_ref = "MC-GOOD-3"
    with pytest.raises(CorruptFile):
        store.save(submission)
    assert path.read_bytes() == broken  # nothing overwritten
    assert store.list()  # the rest of the store still lists
    findings = check(store)
    assert [f.kind for f in findings] == ["corrupt"] and "last good copy is kept" in findings[0].message
    repaired = check(store, repair=True)
    assert all(f.repaired for f in repaired)
    assert store.load(str(submission.id)).header.case_ref == "MC-GOOD-1"  # the last good copy
    assert [p.read_bytes() for p in store.submissions_dir.glob("*.damaged-*")] == [broken]
    assert check(store) == []


def test_audit_trail_records_every_change_by_the_representative(data_dir: Path, police_flow) -> None:
    store = Store(data_dir)
    interview = Interview(police_flow, on_change=lambda iv, changes: store.save(iv.submission, changes), prefill=False)
    interview.answer("MC-2026-0311")
    interview.answer("2026-12-10")
    interview.answer("PC Ilse Marrow")
    sid = str(interview.submission.id)
    audit_file = store.path(sid, "audit")
    before = audit_file.read_bytes()
    interview.back()
    interview.answer("PC Ilse Marrow-Hart")
    assert audit_file.read_bytes().startswith(before)  # append-only
    entries = store.history(sid)
    assert [e.event for e in entries][:1] == ["created"]
    changes = [(e.item, e.old and e.old.get("value"), e.new and e.new.get("value")) for e in entries if e.event == "change"]
    assert changes[:3] == [("case_ref", None, "MC-2026-0311"), ("marac_date", None, "2026-12-10"), ("representative", None, "PC Ilse Marrow")]
    assert ("representative", "PC Ilse Marrow", "PC Ilse Marrow-Hart") in changes
    assert entries[-1].actor == "PC Ilse Marrow-Hart"
    assert all(e.at and e.actor for e in entries)
    line = [e for e in entries if e.item == "representative"][-1].describe()
    assert '"PC Ilse Marrow" -> "PC Ilse Marrow-Hart"' in line


def test_a_cut_short_audit_line_never_swallows_the_next_entry(data_dir: Path) -> None:
    store = Store(data_dir)
    submission = make()
    store.save(submission)
    with open(store.path(str(submission.id), "audit"), "ab") as f:
        f.write(b'{"at": "2026-11-2')  # a crash mid-append
    store.save(submission, [Change("case_ref", None, "a", "b")], actor="DS Ola Brennock")
    entries = store.history(str(submission.id))
    assert entries[-1].new == "b" and entries[-1].actor == "DS Ola Brennock"
    assert [f.kind for f in check(store)] == ["audit"]
    check(store, repair=True)
    assert check(store) == [] and store.history(str(submission.id)) == entries


def test_finalised_submission_refuses_changes_until_reopened(data_dir: Path) -> None:
    store = Store(data_dir)
    submission = make()
    store.save(submission)
    sid = str(submission.id)
    store.finalise(sid, actor="DC Wren Halloway")
    before = store.path(sid).read_bytes()
    submission.header.case_ref = "MC-CHANGED"
    with pytest.raises(SubmissionFinalised, match="finalised and locked against changes; reopen it first"):
        store.save(submission)
    assert store.path(sid).read_bytes() == before
    with pytest.raises(StoreError):
        store.finalise(sid)
    with pytest.raises(Exception, match="needs a reason"):
        store.reopen(sid, reason="  ")
    store.reopen(sid, actor="DI Maud Penrose", reason="late PNC result")
    store.save(submission)
    assert store.load(sid).header.case_ref == "MC-CHANGED"
    events = [(e.event, e.actor, e.reason) for e in store.history(sid) if e.event != "change"]
    assert events == [
        ("created", "DC Wren Halloway", None),
        ("finalised", "DC Wren Halloway", None),
        ("reopened", "DI Maud Penrose", "late PNC result"),
    ]


def test_second_window_gets_a_read_only_view(data_dir: Path) -> None:
    first, second = Store(data_dir), Store(data_dir)
    submission = make()
    lock = first.acquire(str(submission.id))
    first.save(submission)
    with pytest.raises(SubmissionLocked, match=rf"being edited by .*process {os.getpid()}.*read-only"):
        second.acquire(str(submission.id))
    submission.header.case_ref = "MC-OVERWRITE"
    with pytest.raises(SubmissionLocked):
        second.save(submission)
    assert second.load(str(submission.id)).header.case_ref == "MC-2026-0007"
    assert second.holder(str(submission.id)).pid == os.getpid()
    assert first.holder(str(submission.id)) is None
    lock.release()
    with second.acquire(str(submission.id)):
        second.save(submission)
    assert first.load(str(submission.id)).header.case_ref == "MC-OVERWRITE"


def test_stale_lock_of_a_dead_process_is_detected_and_taken_over(data_dir: Path) -> None:
    store = Store(data_dir)
    submission = make()
    store.save(submission)
    sid = str(submission.id)
    child = subprocess.run(
        [sys.executable, "-c", f"from marac_tui.store import Store; Store({str(data_dir)!r}).acquire({sid!r}); print('held')"],
        capture_output=True, text=True, check=True,
    )
    assert child.stdout.strip() == "held"
    assert store.path(sid, "owner").exists()  # left behind: the child never released
    findings = check(store)
    assert [f.kind for f in findings] == ["stale-lock"] and "no longer running" in findings[0].message
    assert store.holder(sid) is None
    lock = store.acquire(sid)
    assert lock.took_over is not None and lock.took_over.pid != os.getpid()
    lock.release()
    assert check(store) == []


def test_index_compaction_keeps_every_row(data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(index_module, "COMPACT_BYTES", 4000)
    store = Store(data_dir)
    submissions = [make(f"MC-{i}") for i in range(12)]
    for round_ in range(5):
        for s in submissions:
            s.header.case_ref = f"MC-{s.header.case_ref.split('-')[1]}-r{round_}"
            store.save(s)
    store.delete(str(submissions[0].id))
    assert store.index.snapshot.exists() and store.index.log.stat().st_size < 4000
    assert sorted(r.case_ref for r in store.list()) == sorted(s.header.case_ref for s in submissions[1:])
    assert check(store) == []


def test_list_shows_a_file_the_index_missed_and_doctor_rebuilds(data_dir: Path) -> None:
    store = Store(data_dir)
    kept, gone = make("MC-KEPT"), make("MC-GONE")
    store.save(kept)
    store.save(gone)
    store.index.log.unlink()
    store.path(str(gone.id)).unlink()
    assert [r.case_ref for r in store.list()] == ["MC-KEPT"]
    store.save(gone)
    store.index.log.write_bytes(b"")
    store.index.snapshot.write_bytes(b'{"rows": {"trunc')
    store.index.snapshot.chmod(0o600)
    assert {r.case_ref for r in store.list()} == {"MC-KEPT", "MC-GONE"}
    findings = check(store, repair=True)
    assert [f.kind for f in findings] == ["index"] and findings[0].repaired
    assert check(store) == []


def test_nothing_typed_goes_to_logs(data_dir: Path, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    store = Store.init(data_dir, PASS)
    submission = make("MC-PRIVATE-9", "Eldon Skerrit")
    with store.acquire(str(submission.id)):
        store.save(submission, [Change("full_name", 0, None, "Eldon Skerrit")])
        store.load(str(submission.id))
        store.list()
    with pytest.raises(WrongPassphrase):
        Store(data_dir, "wrong-passphrase")
    logged = " ".join(r.getMessage() for r in caplog.records)
    assert "Skerrit" not in logged and "MC-PRIVATE" not in logged and PASS not in logged


def test_a_store_from_a_newer_version_is_refused(data_dir: Path) -> None:
    Store.init(data_dir)
    (data_dir / "store.json").write_text('{"format": 99}', encoding="utf-8")
    with pytest.raises(StoreError, match="store format 99 is newer than this marac-tui"):
        Store(data_dir)


def test_the_list_names_perpetrators_by_the_flows_name_item(data_dir: Path) -> None:
    from marac_tui.flow.loader import load_named

    flow = load_named(str(Path(__file__).parent / "fixtures" / "mini.yaml"), paths=True)
    assert flow.perpetrators.name_item == "name"
    store = Store(data_dir)
    interview = Interview(flow, on_change=lambda iv, changes: store.save(iv.submission, changes), prefill=False)
    interview.answer("MC-MINI-1")
    interview.answer("no")
    interview.answer("Teodor Vanmere")
    assert [r.perpetrators for r in store.list()] == [["Teodor Vanmere"]]
