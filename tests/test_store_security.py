"""The store against someone who has the disk but not the passphrase, and against leftovers:
encryption fails closed, sizes do not tell answers apart, the key settings are authenticated, a
rolled-back copy is reported, and a deleted submission leaves no trace."""

from __future__ import annotations

import base64
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from marac_tui.cli import main
from marac_tui.engine.interview import Change, Interview
from marac_tui.store import Store, StoreError, WrongPassphrase
from marac_tui.store import crypto
from marac_tui.store.health import check
from marac_tui.submission import Answer, CaseHeader, FlowRef, Submission

PASS = "alder-kiln-5521"


def make(case_ref: str = "MC-2026-0451", name: str = "Piers Wendlebury") -> Submission:
    submission = Submission(
        flow=FlowRef(name="police", version="1.0"),
        header=CaseHeader(case_ref=case_ref, representative="DC Hana Strick", agency="Northmoor Police"),
    )
    submission.perpetrators[0].answers["full_name"] = Answer(value=name)
    return submission


def files(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def holding(root: Path, *needles: str) -> list[str]:
    """Every file under `root` that holds any of `needles`."""
    return [name for name, raw in files(root).items() if any(n.encode() in raw for n in needles)]


def run_cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


# --- encryption fails closed ------------------------------------------------------------------------


@pytest.mark.parametrize("how", ["moved away", "replaced by a plain config"])
def test_an_encrypted_store_without_its_settings_is_refused_and_nothing_is_written(
    capsys, monkeypatch, data_dir: Path, tmp_path: Path, how: str
) -> None:
    store = Store.init(data_dir, PASS)
    submission = make()
    store.save(submission, [Change("case_ref", None, None, "MC-2026-0451")])
    config = data_dir / "store.json"
    kept = tmp_path / "store.json"
    shutil.move(config, kept)
    if how == "replaced by a plain config":
        config.write_text('{"format": 2}')
    before = files(data_dir)
    answers = tmp_path / "a.yaml"
    answers.write_text("case_ref: MC-PLAIN-1\nmarac_date: 2026-12-03\nrepresentative: Ada\nagency: P\n")
    for argv in (["run", "--flow", "police", "--answers", str(answers)], ["list"], ["init"], ["doctor", "--repair"],
                 ["show", str(submission.id)]):  # fmt: skip
        code, out, err = run_cli(capsys, *argv)
        assert code == 2 and out == "", argv
        assert err.count("\n") == 1 and "holds encrypted files" in err and "nothing was read or written" in err, err
    assert files(data_dir) == before  # not one byte written, plaintext or otherwise
    config.unlink(missing_ok=True)
    shutil.move(kept, config)
    monkeypatch.setenv("MARAC_TUI_PASSPHRASE", PASS)
    code, out, _ = run_cli(capsys, "list")
    assert code == 0 and "MC-2026-0451" in out
    assert holding(data_dir, "MC-", "Wendlebury", "MC-PLAIN") == []


def test_a_damaged_store_json_is_one_line_and_nothing_is_written(capsys, data_dir: Path) -> None:
    Store.init(data_dir, PASS).save(make())
    (data_dir / "store.json").write_text('{"format": 2, "encry')
    before = files(data_dir)
    code, _, err = run_cli(capsys, "list")
    assert code == 2 and err.count("\n") == 1 and "store.json: damaged (not valid JSON)" in err
    assert files(data_dir) == before


def test_every_sealed_file_and_line_carries_a_marker(data_dir: Path) -> None:
    store = Store.init(data_dir, PASS)
    store.save(make(), [Change("case_ref", None, None, "x")])
    store.save(make())
    for name, raw in files(data_dir).items():
        if name.endswith((".db",)):
            assert raw.startswith(crypto.MAGIC), name
        elif name.endswith((".audit", ".log")) and raw:
            assert all(line.startswith(crypto.LINE_MAGIC) for line in raw.splitlines()), name


# --- key derivation ---------------------------------------------------------------------------------


def test_the_product_derives_the_key_with_scrypt_at_2_to_the_17(tmp_path: Path) -> None:
    root = tmp_path / "store"
    env = {**os.environ, "MARAC_TUI_PASSPHRASE": PASS}
    done = subprocess.run([sys.executable, "-m", "marac_tui", "--data-dir", str(root), "init", "--encrypt"],
                          capture_output=True, text=True, env=env, timeout=120)  # fmt: skip
    assert done.returncode == 0, done.stderr
    settings = json.loads((root / "store.json").read_text())["encryption"]
    assert (settings["n"], settings["r"], settings["p"]) == (2**17, 8, 1)
    assert crypto.SCRYPT == crypto.LEGACY_SCRYPT  # in this process: the tests' cheaper route (conftest)
    done = subprocess.run([sys.executable, "-m", "marac_tui", "--data-dir", str(root), "list"],
                          capture_output=True, text=True, env=env, timeout=120)  # fmt: skip
    assert done.returncode == 0 and "no submissions" in done.stdout


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"n": 3}, "the key parameters (n=3, r=8, p=1) are outside what marac-tui accepts"),
        ({"n": 2**14}, "the key parameters (n=16384, r=8, p=1) are outside"),
        ({"n": 2**30}, "are outside what marac-tui accepts"),
        ({"r": 0}, "are outside what marac-tui accepts"),
        ({"n": "32768"}, "the encryption settings are damaged or were altered"),
        ({"salt": "%%%"}, "the encryption settings are damaged or were altered"),
        ({"cipher": "none"}, "the encryption settings are damaged or were altered"),
        ({"n": 2**16}, "wrong passphrase"),  # in range, but not what the verifier was sealed with
        ({"salt": base64.b64encode(b"s" * 16).decode()}, "wrong passphrase"),
    ],
)
def test_tampered_key_settings_are_one_line(capsys, monkeypatch, data_dir: Path, change: dict, expected: str) -> None:
    Store.init(data_dir, PASS).save(make())
    config = json.loads((data_dir / "store.json").read_text())
    config["encryption"].update(change)
    (data_dir / "store.json").write_text(json.dumps(config))
    monkeypatch.setenv("MARAC_TUI_PASSPHRASE", PASS)
    started = time.monotonic()
    code, out, err = run_cli(capsys, "list")
    assert code == 2 and out == "" and err.count("\n") == 1 and expected in err, err
    assert time.monotonic() - started < 30


def _legacy_store(root: Path, submission: Submission) -> None:
    """A store exactly as format 1 wrote it: scrypt 2^15, an unbound verifier, unpadded sealed files
    marked MTE1, and sealed lines of one audit entry each."""
    salt = os.urandom(16)
    sealer = crypto.Sealer(crypto._derive(PASS, salt, **crypto.LEGACY_SCRYPT))
    config = {"format": 1, "encryption": {"cipher": "AES-256-GCM", "kdf": "scrypt", **crypto.LEGACY_SCRYPT,
              "salt": base64.b64encode(salt).decode(),
              "verifier": base64.b64encode(sealer.seal(b"marac-tui store key check", b"verifier")).decode()}}  # fmt: skip
    sid = str(submission.id)
    for folder in ("submissions", "backups", "audit", "locks"):
        (root / folder).mkdir(parents=True, mode=0o700)
    root.chmod(0o700)

    def sealed_file(obj: object, aad: str) -> bytes:
        return b"MTE1" + sealer.seal(json.dumps(obj).encode(), aad.encode())

    def sealed_line(obj: object, aad: str) -> bytes:
        return base64.b64encode(sealer.seal(json.dumps(obj).encode(), aad.encode())) + b"\n"

    (root / "store.json").write_text(json.dumps(config))
    (root / "submissions" / f"{sid}.db").write_bytes(
        sealed_file({"submission": {"1": {"data": submission.to_json()}}}, f"submission:{sid}"))
    entry = {"at": "2026-11-20T09:00:00+00:00", "actor": "DC Hana Strick", "event": "created", "item": None,
             "perpetrator": None, "old": None, "new": None, "reason": None}  # fmt: skip
    (root / "audit" / f"{sid}.audit").write_bytes(sealed_line(entry, f"audit:{sid}"))
    for path in root.rglob("*"):
        if path.is_file():
            path.chmod(0o600)


def test_a_store_made_with_the_old_settings_still_opens(data_dir: Path) -> None:
    old = make("MC-2025-0099", "Lorcan Fitzwater")
    _legacy_store(data_dir, old)
    with pytest.raises(WrongPassphrase):
        Store(data_dir, "not-the-passphrase")
    store = Store(data_dir, PASS)
    assert store.load(str(old.id)) == old
    assert [r.case_ref for r in store.list()] == ["MC-2025-0099"]
    assert [e.event for e in store.history(str(old.id))] == ["created"]
    old.header.case_ref = "MC-2025-0100"
    store.save(old, [Change("case_ref", None, "MC-2025-0099", "MC-2025-0100")])
    reopened = Store(data_dir, PASS)
    assert reopened.load(str(old.id)).header.case_ref == "MC-2025-0100"
    assert [e.event for e in reopened.history(str(old.id))] == ["created", "change"]
    check(reopened, repair=True)
    assert check(reopened) == []


# --- sizes ------------------------------------------------------------------------------------------


def _store_after(root: Path, police_flow, child_protection: str) -> Store:  # noqa: ANN001
    """One store per answer: the same case, then child_protection answered yes, no or unknown."""
    store = Store.init(root, PASS)
    interview = Interview(police_flow, on_change=lambda iv, changes: store.save(iv.submission, changes), prefill=False)
    given = {"case_ref": "MC-2026-0777", "marac_date": "2026-12-10", "representative": "DC Hana Strick",
             "agency": "Northmoor Police", "sharing_basis": "dpa_safeguarding", "more_than_one": "no",
             "full_name": "Piers Wendlebury"}  # fmt: skip
    while interview.current is not None and interview.current.id != "child_protection":
        if interview.current.id in given:
            interview.answer(given[interview.current.id])
        else:
            interview.skip()
    interview.answer(child_protection)
    return store


def test_yes_no_and_unknown_give_files_of_the_same_size(tmp_path: Path, police_flow) -> None:  # noqa: ANN001
    sizes = {}
    for answer in ("yes", "no", "unknown"):
        root = tmp_path / answer
        _store_after(root, police_flow, answer)
        sizes[answer] = {name.split("/")[0]: len(raw) for name, raw in files(root).items()
                         if not name.endswith((".lock", ".owner", "store.json"))}  # fmt: skip
    assert set(sizes["yes"]) == {"submissions", "backups", "audit", "index.log", "index.db", "index.head"}
    assert sizes["yes"] == sizes["no"] == sizes["unknown"]


def test_one_saves_entries_are_sealed_as_one_padded_record(data_dir: Path) -> None:
    store = Store.init(data_dir, PASS)
    submission = make()
    store.save(submission, [Change("case_ref", None, None, "MC-2026-0451")])
    audit_file = store.path(str(submission.id), "audit")
    one = audit_file.read_bytes()
    store.save(submission, [Change("weapons", 0, None, {"value": v}) for v in ("yes", "no", "unknown")])
    lines = audit_file.read_bytes().splitlines()
    assert len(lines) == 2 and len(lines[1]) == len(lines[0]) == len(one.strip())  # three entries, one bucket
    assert crypto.bucket(1) == crypto.bucket(1024) == 1024 and crypto.bucket(1025) == 2048
    assert crypto.bucket(3 << 20) == 3 << 20 and crypto.bucket((3 << 20) + 1) == 4 << 20


def test_no_file_name_confirms_a_guessed_case_reference(data_dir: Path) -> None:
    import hashlib

    from marac_tui.pack.decisions import load_decisions, save_decisions
    from marac_tui.pack.model import Decision

    store = Store.init(data_dir, PASS)
    decision = Decision(kind="confirm", a="0a1b2c3d-one/1", b="0a1b2c3d-two/1")
    guess = hashlib.sha256(b"mc-2026-0451").hexdigest()[:24]  # what anyone can compute for a guessed reference
    old_name = data_dir / "packs" / f"{guess}.decisions"
    save_decisions(store, "MC-2026-0451", [decision])
    names = [p.name for p in (data_dir / "packs").iterdir()]
    assert len(names) == 1 and guess not in names[0]
    assert load_decisions(Store(data_dir, PASS), "mc-2026-0451 ") == [decision]  # case and spacing do not matter
    # A file an earlier version named by the plain digest is still read, and renamed by the next save.
    (data_dir / "packs" / names[0]).rename(old_name)
    assert load_decisions(store, "MC-2026-0451") == [decision]
    save_decisions(store, "MC-2026-0451", [decision])
    assert [p.name for p in (data_dir / "packs").iterdir()] == names
    plain = Store.init(data_dir.parent / "plain")
    save_decisions(plain, "MC-2026-0451", [decision])  # a plain store (readable anyway) keeps the plain digest
    assert [p.name for p in (plain.root / "packs").iterdir()] == [old_name.name]


# --- rollback ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("encrypted", [True, False])
def test_an_older_copy_put_back_is_reported_as_a_rollback(data_dir: Path, tmp_path: Path, encrypted: bool) -> None:
    store = Store.init(data_dir, PASS if encrypted else None)
    submission = make()
    sid = str(submission.id)
    store.save(submission, [Change("case_ref", None, None, submission.header.case_ref)])
    old_copy, old_audit = store.path(sid).read_bytes(), store.path(sid, "audit").read_bytes()
    store.save(submission, [Change("weapons", 0, None, {"value": "yes"})])
    store.finalise(sid)
    # Someone with the disk puts the first copy back and cuts the audit trail to match.
    os.unlink(store.path(sid))
    store.path(sid).write_bytes(old_copy)
    store.path(sid, "audit").write_bytes(old_audit)
    store = Store(data_dir, PASS if encrypted else None)
    assert store.load(sid).state.value == "draft"  # the finalise is undone...
    findings = [f for f in check(store) if f.kind == "rollback"]
    assert len(findings) == 1  # ...and doctor says so
    assert "rolled back: it holds version 1, but version 3 was saved" in findings[0].message
    repaired = [f for f in check(store, repair=True) if f.kind == "rollback"]
    assert repaired[0].repaired and "put back version 2, the newest copy kept" in repaired[0].message
    assert check(store) == []
    assert store.history(sid)[-1].event == "restored"
    assert "version 3 was saved" in (store.history(sid)[-1].reason or "")


# --- deletion ---------------------------------------------------------------------------------------


def plaintexts(root: Path, sealer: crypto.Sealer | None, aads: list[bytes]) -> dict[str, bytes]:
    """Every file's bytes as someone with the passphrase reads them: a sealed file or line is opened
    with whichever of `aads` fits, and one that none fits fails the test (nothing goes unread)."""
    found = {}
    for name, raw in files(root).items():
        if sealer is None or not (crypto.is_sealed_file(raw) or crypto.is_sealed_line(raw)):
            found[name] = raw
            continue
        if name.endswith((".log", ".audit")):
            lines = [line for line in raw.split(b"\n") if line]
            opened = [next((p for a in aads if (p := sealer.open_line(line, a)) is not None), None) for line in lines]
        else:
            opened = [next((p for a in aads if (p := sealer.open_file(raw, a)) is not None), None)]
        assert None not in opened, f"{name}: a sealed part no known key context opens"
        found[name] = b"\n".join(p for p in opened if p is not None)
    return found


@pytest.mark.parametrize("encrypted", [False, True], ids=["plain", "encrypted"])
@pytest.mark.parametrize("command", ["delete", "purge"])
def test_after_delete_or_purge_no_file_holds_the_submission(
    capsys, monkeypatch, data_dir: Path, command: str, encrypted: bool
) -> None:
    from marac_tui.pack.decisions import load_decisions, save_decisions
    from marac_tui.pack.model import Decision

    store = Store.init(data_dir, PASS if encrypted else None)
    monkeypatch.setenv("MARAC_TUI_PASSPHRASE", PASS)
    gone, kept = make("MC-GONE-0001", "Tobias Gannaway"), make("MC-KEPT-0002", "Ilse Merriweather")
    gone.updated_at = gone.updated_at.fromisoformat("2019-01-01T00:00:00+00:00")
    store.save(gone, [Change("case_ref", None, None, "MC-KEPT-0002")])  # typed the other case's reference first
    store.save(gone, [Change("case_ref", None, "MC-KEPT-0002", "MC-GONE-0001")])
    for round_ in range(3):
        gone.perpetrators[0].answers["address"] = Answer(value=f"{round_} Quarry Lane, Elmhurst")
        store.save(gone, [Change("address", 0, None, {"value": f"{round_} Quarry Lane, Elmhurst"})])
        store.save(kept)
    gid, kid = str(gone.id), str(kept.id)
    # What kills leave behind: a hard-linked temporary backup (a kill inside a save), and a
    # temporary index snapshot holding every row (a kill inside a fold, before its rename).
    os.link(store.path(gid), store.path(gid, "backup").with_name(f".{gid}.db.1.ab.tmp"))
    store.index.rebuild(store.index.rows(), store.index.versions())
    shutil.copy(data_dir / "index.db", data_dir / ".index.db.99999999.0badf00d.tmp")
    # The Chair's match decisions: one about the deleted submission's case, and in the case it was
    # first filed under, one naming it and one that does not.
    save_decisions(store, "MC-GONE-0001", [Decision(kind="confirm", a=f"{gid}/1", b=f"{kid}/1")])
    save_decisions(store, "MC-KEPT-0002", [Decision(kind="split", a=f"{gid}/1", b=f"{kid}/1"),
                                           Decision(kind="confirm", a=f"{kid}/1", b="0f0e0d0c-files-only/1")])  # fmt: skip
    needles = ("MC-GONE", "Gannaway", "Quarry Lane", gid)
    aads = [b"index", b"index-head", *(f"{k}:{i}".encode() for k in ("submission", "audit") for i in (gid, kid)),
            *(f"pack-decisions:{c}".encode() for c in ("mc-gone-0001", "mc-kept-0002"))]  # fmt: skip
    before = plaintexts(data_dir, store.sealer, aads)
    assert {n for n, raw in before.items() if any(x.encode() in raw for x in needles)} >= {
        "index.db", f".{gid}.db.1.ab.tmp".join(("backups/", "")), ".index.db.99999999.0badf00d.tmp"}
    argv = ["delete", gid, "--yes"] if command == "delete" else ["purge", "--older-than", "365", "--yes"]
    code, out, err = run_cli(capsys, *argv)
    assert code == 0, err
    after = plaintexts(data_dir, Store(data_dir, PASS if encrypted else None).sealer, aads)
    assert [n for n, raw in after.items() if any(x.encode() in raw for x in needles)] == []
    assert [n for n in after if gid in n or n.endswith(".tmp")] == []
    assert not (data_dir / "index.db.bak").exists()
    store = Store(data_dir, PASS if encrypted else None)
    assert [r.case_ref for r in store.list()] == ["MC-KEPT-0002"]
    assert load_decisions(store, "MC-GONE-0001") == []
    assert load_decisions(store, "MC-KEPT-0002") == [Decision(kind="confirm", a=f"{kid}/1", b="0f0e0d0c-files-only/1")]
    assert check(store) == []


def test_a_save_over_a_backup_of_the_same_version_leaves_no_temporary_link(data_dir: Path) -> None:
    store = Store(data_dir)
    submission = make()
    store.save(submission)
    sid = str(submission.id)
    os.link(store.path(sid), store.path(sid, "backup"))  # the backup already is the live version
    store.save(submission)
    assert [p.name for p in store.path(sid, "backup").parent.iterdir()] == [f"{sid}.db"]


def test_doctor_reports_and_repairs_orphans(data_dir: Path) -> None:
    store = Store(data_dir)
    lost, unsaved, deleting = make("MC-LOST-1"), make("MC-UNSAVED-2", "Ansel Bray"), make("MC-DELETING-3", "Nye Corbet")
    for s in (lost, unsaved, deleting):
        store.save(s)
        store.save(s)
    os.unlink(store.path(str(lost.id)))  # a data file gone, its backup kept
    for kind in ("data", "backup"):  # a first save cut short: only its audit trail was written
        os.unlink(store.path(str(unsaved.id), kind))
    store.tombstone(str(deleting.id)).touch()  # a delete cut short
    assert store.list() == []
    findings = {(f.kind, f.path.name) for f in check(store)}
    assert ("orphan", f"{lost.id}.db") in findings
    assert ("orphan", f"{unsaved.id}.audit") in findings
    assert ("deleting", f".{deleting.id}.deleting") in findings
    repaired = check(store, repair=True)
    assert all(f.repaired for f in repaired), [f.describe() for f in repaired if not f.repaired]
    assert check(store) == []
    assert [r.case_ref for r in store.list()] == ["MC-LOST-1"]
    assert holding(data_dir, "MC-UNSAVED", "Ansel Bray", "MC-DELETING", "Nye Corbet") == []
