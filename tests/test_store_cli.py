"""Store commands as a user meets them: init, history, finalise/reopen, import, delete, purge, doctor."""

from __future__ import annotations

import io
import json
import os
from pathlib import Path

import pytest

from marac_tui.cli import main
from marac_tui.store import Store
from marac_tui.submission import Answer, CaseHeader, FlowRef, Submission

PASS = "quarry-lantern-9"


def run_cli(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def make(case_ref: str, updated: str | None = None) -> Submission:
    submission = Submission(
        flow=FlowRef(name="police", version="1"),
        header=CaseHeader(case_ref=case_ref, representative="DC Tamsin Orrel"),
    )
    submission.perpetrators[0].answers["full_name"] = Answer(value="Rufus Kettleby")
    if updated:
        submission.updated_at = submission.updated_at.fromisoformat(updated)
    return submission


def write_json(path: Path, submission: Submission) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(submission.to_json()), encoding="utf-8")
    return path


class Terminal(io.StringIO):
    """Keyboard input on a terminal."""

    def isatty(self) -> bool:
        return True


def test_import_files_and_folders_refusing_clashes_and_invalid_files(capsys, tmp_path: Path, data_dir: Path) -> None:
    existing = make("MC-EXISTING")
    Store(data_dir).save(existing)
    single = write_json(tmp_path / "in" / "one.json", make("MC-ONE"))
    folder = tmp_path / "batch"
    write_json(folder / "a.json", make("MC-A"))
    write_json(folder / "sub" / "b.json", make("MC-B"))
    clash = write_json(folder / "clash.json", existing)
    (folder / "broken.json").write_text('{"id": ', encoding="utf-8")
    invalid = make("MC-INVALID").to_json()
    invalid["state"] = "archived"
    (folder / "invalid.json").write_text(json.dumps(invalid), encoding="utf-8")

    code, out, err = run_cli(capsys, "import", str(single), str(folder), str(tmp_path / "missing.json"))
    assert code == 2
    assert out.strip().splitlines()[-1] == "3 imported, 4 refused"
    assert f"{clash}: submission {existing.id} is already in the store" in err
    assert f"{folder / 'broken.json'}:1: not valid JSON" in err
    assert f"{folder / 'invalid.json'}: not a valid submission: state:" in err
    assert "missing.json: no such file or folder" in err
    listed = {r.case_ref for r in Store(data_dir).list()}
    assert listed == {"MC-EXISTING", "MC-ONE", "MC-A", "MC-B"}
    imported = next(r for r in Store(data_dir).list() if r.case_ref == "MC-A")
    assert [e.event for e in Store(data_dir).history(imported.id)] == ["imported"]

    code, out, _ = run_cli(capsys, "import", str(folder / "a.json"), str(single))
    assert code == 2 and "0 imported, 2 refused" in out


def test_delete_asks_first_and_refuses_without_a_terminal(capsys, monkeypatch, data_dir: Path) -> None:
    submission = make("MC-DEL")
    Store(data_dir).save(submission)
    sid = str(submission.id)
    code, _, err = run_cli(capsys, "delete", sid[:8])
    assert code == 2 and "not a terminal; pass --yes" in err
    monkeypatch.setattr("sys.stdin", Terminal("n\n"))
    code, out, _ = run_cli(capsys, "delete", sid[:8])
    assert code == 0 and "Delete submission" in out and "MC-DEL" in out and "nothing deleted" in out
    assert Store(data_dir).list()
    monkeypatch.setattr("sys.stdin", Terminal("y\n"))
    code, out, _ = run_cli(capsys, "delete", sid[:8])
    assert code == 0 and f"deleted {sid}" in out
    assert Store(data_dir).list() == []
    assert not any(p.name.startswith(sid) for p in (data_dir / "submissions").iterdir())


def test_purge_deletes_only_old_submissions_after_confirmation(capsys, monkeypatch, data_dir: Path) -> None:
    store = Store(data_dir)
    old, recent = make("MC-2019", "2019-05-01T09:00:00+00:00"), make("MC-NOW")
    store.save(old)
    store.save(recent)
    code, _, err = run_cli(capsys, "purge", "--older-than", "365")
    assert code == 2 and "pass --yes" in err
    monkeypatch.setattr("sys.stdin", Terminal("no\n"))
    code, out, _ = run_cli(capsys, "purge", "--older-than", "365")
    assert "Delete 1 submission(s)" in out and "nothing deleted" in out
    code, out, _ = run_cli(capsys, "purge", "--older-than", "365", "--yes")
    assert code == 0 and "1 deleted, 0 skipped" in out
    assert [r.case_ref for r in Store(data_dir).list()] == ["MC-NOW"]
    with pytest.raises(SystemExit) as exited:
        main(["purge", "--older-than", "-3", "--yes"])
    assert exited.value.code == 2 and "days cannot be negative" in capsys.readouterr().err


def test_finalise_reopen_and_history(capsys, data_dir: Path) -> None:
    submission = make("MC-FIN")
    Store(data_dir).save(submission)
    sid = str(submission.id)
    code, out, _ = run_cli(capsys, "finalise", sid[:8])
    assert code == 0 and "locked against changes" in out
    code, _, err = run_cli(capsys, "finalise", sid[:8])
    assert code == 2 and "already finalised" in err
    with pytest.raises(SystemExit):
        main(["reopen", sid[:8]])
    assert "--reason" in capsys.readouterr().err
    code, out, _ = run_cli(capsys, "reopen", sid[:8], "--reason", "new PND entry", "--by", "DS Fen Aldous")
    assert code == 0
    code, out, _ = run_cli(capsys, "history", sid[:8])
    lines = out.strip().splitlines()
    assert lines[0].endswith("DC Tamsin Orrel  created")
    assert lines[1].endswith("DC Tamsin Orrel  finalised")
    assert lines[2].endswith('DS Fen Aldous  reopened: "new PND entry"')
    code, out, _ = run_cli(capsys, "history", sid[:8], "--json")
    assert [e["event"] for e in json.loads(out)] == ["created", "finalised", "reopened"]
    code, out, _ = run_cli(capsys, "list")
    assert "draft" in out


def test_encrypted_store_from_the_command_line(capsys, monkeypatch, data_dir: Path) -> None:
    code, _, err = run_cli(capsys, "init", "--encrypt")
    assert code == 2 and "MARAC_TUI_PASSPHRASE" in err and not data_dir.exists()
    monkeypatch.setenv("MARAC_TUI_PASSPHRASE", "short")
    code, _, err = run_cli(capsys, "init", "--encrypt")
    assert code == 2 and "too short" in err
    monkeypatch.setenv("MARAC_TUI_PASSPHRASE", PASS)
    code, out, _ = run_cli(capsys, "init", "--encrypt")
    assert code == 0 and "encrypted store ready" in out
    Store(data_dir, PASS).save(make("MC-ENC"))
    code, out, _ = run_cli(capsys, "list")
    assert code == 0 and "MC-ENC" in out
    monkeypatch.setenv("MARAC_TUI_PASSPHRASE", "definitely-wrong")
    code, out, err = run_cli(capsys, "list")
    assert code == 2 and "wrong passphrase" in err and "MC-ENC" not in out
    monkeypatch.delenv("MARAC_TUI_PASSPHRASE")
    code, _, err = run_cli(capsys, "list")
    assert code == 2 and "is encrypted: set MARAC_TUI_PASSPHRASE or run on a terminal" in err
    monkeypatch.setattr("sys.stdin", Terminal(""))
    monkeypatch.setattr("getpass.getpass", lambda prompt: PASS)
    code, out, _ = run_cli(capsys, "list")
    assert code == 0 and "MC-ENC" in out
    code, _, err = run_cli(capsys, "init", "--encrypt")
    assert code == 2 and "already encrypted" in err


def test_new_passphrase_is_asked_twice_on_a_terminal(capsys, monkeypatch, data_dir: Path) -> None:
    monkeypatch.setattr("sys.stdin", Terminal(""))
    answers = iter(["first-passphrase", "other-passphrase"])
    monkeypatch.setattr("getpass.getpass", lambda prompt: next(answers))
    code, _, err = run_cli(capsys, "init", "--encrypt")
    assert code == 2 and "differ" in err and not Store.needs_passphrase(data_dir)


def test_loose_permissions_warn_at_start(capsys, data_dir: Path) -> None:
    Store(data_dir).save(make("MC-PERM"))
    os.chmod(data_dir, 0o755)
    code, out, err = run_cli(capsys, "list")
    assert code == 0 and "MC-PERM" in out
    assert f"marac-tui: warning: {data_dir}: folder is 0755" in err


def test_doctor_reports_and_repairs(capsys, data_dir: Path) -> None:
    store = Store(data_dir)
    submission = make("MC-DOC-1")
    store.save(submission)
    submission.header.case_ref = "MC-DOC-2"
    store.save(submission)
    code, out, _ = run_cli(capsys, "doctor")
    assert code == 0 and "healthy" in out
    path = store.path(str(submission.id))
    path.write_bytes(path.read_bytes()[:30])
    os.chmod(data_dir, 0o750)
    code, out, err = run_cli(capsys, "show", str(submission.id))
    assert code == 2 and str(path) in err and "damaged" in err
    code, out, err = run_cli(capsys, "doctor")
    assert code == 1 and f"problem: {path}: damaged" in out and "0750" in out and "2 problem(s) left" in out
    assert err == ""  # permission problems are listed once, by doctor itself
    code, out, _ = run_cli(capsys, "doctor", "--repair")
    assert code == 0 and "all 3 problem(s) repaired" in out  # the index follows the restored copy
    code, out, _ = run_cli(capsys, "show", str(submission.id), "--json")
    assert json.loads(out)["header"]["case_ref"] == "MC-DOC-1"
