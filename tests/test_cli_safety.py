"""The command line's error boundary and output, as an attacker or a bad day meets them: control
characters in user text, a full disk, over-long names, FIFOs and links as export targets, a hung
lock holder, naive timestamps, unknown ids, a permissive umask."""

from __future__ import annotations

import io
import json
import os
import shutil
import stat
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

from marac_tui.cli import main
from marac_tui.errors import UserError
from marac_tui.store import Store
from marac_tui.submission import Answer, CaseHeader, FlowRef, Submission

EVIL_REF = "MC-\x1b[2K\rFAKE-\u202eTXT"
EVIL_NAME = "Jon [red]Doe[/] \x1b[31m\x07"


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def run_cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def evil_submission(data_dir: Path) -> str:
    submission = Submission(
        flow=FlowRef(name="police", version="1"),
        header=CaseHeader(case_ref=EVIL_REF, representative="DC \x1b]0;owned\x07Ada"),
    )
    submission.perpetrators[0].answers["full_name"] = Answer(value=EVIL_NAME)
    Store(data_dir).save(submission)
    return str(submission.id)


def assert_no_control(text: str) -> None:
    assert "\x1b" not in text and "\r" not in text and "\x07" not in text and "\u202e" not in text, repr(text)


def test_control_characters_in_user_text_are_shown_escaped_everywhere(capsys, monkeypatch, data_dir: Path) -> None:
    sid = evil_submission(data_dir)
    outputs = {}
    for argv in (["list"], ["list", "--json"], ["show", sid], ["show", sid, "--json"], ["summary", sid],
                 ["summary", sid, "--format", "md"], ["history", sid], ["history", sid, "--json"]):  # fmt: skip
        code, out, err = run_cli(capsys, *argv)
        assert code == 0, (argv, err)
        assert_no_control(out + err)
        outputs[" ".join(argv[:2] if argv[-1] in ("--json", "md") else argv[:1])] = out
    assert "MC-\\x1b[2K\\x0dFAKE-\\u202eTXT"[:16] in outputs["list"]
    assert "\\x1b[2K" in outputs["show"] and "[red]Doe[/]" in outputs["show"]
    assert json.loads(outputs["list --json"])[0]["case_ref"] == EVIL_REF  # JSON escapes, and stays exact
    assert json.loads(outputs["show " + sid])["perpetrators"][0]["answers"]["full_name"]["value"] == EVIL_NAME
    monkeypatch.setattr("sys.stdin", Terminal("n\n"))
    code, out, err = run_cli(capsys, "delete", sid[:8])
    assert code == 0 and "Delete submission" in out and "\\x1b[2K" in out
    assert_no_control(out + err)


def test_an_error_line_about_user_text_is_escaped(capsys, tmp_path: Path) -> None:
    answers = tmp_path / "a.yaml"
    answers.write_text('case_ref: MC-1\nmarac_date: 2026-12-03\nrepresentative: Ada\nagency: P\nmore_than_one: "\\e[31mred"\n')
    code, _, err = run_cli(capsys, "run", "--flow", "police", "--answers", str(answers))
    assert code == 2 and err.count("\n") == 1
    assert "more_than_one: '\\x1b[31mred' is not yes, no or unknown" in err
    assert_no_control(err)


def test_a_path_that_is_not_text_is_an_escaped_line(capsys, tmp_path: Path) -> None:
    odd = tmp_path / "bad-\udcff-\x1b[2J.yaml"  # an undecodable byte, as argv gives it
    code, _, err = run_cli(capsys, "run", "--flow", "police", "--answers", str(odd))
    assert code == 2 and err.startswith("marac-tui: error: ") and "\\udcff-\\x1b[2J" in err
    assert_no_control(err)


@pytest.mark.skipif(os.geteuid() != 0, reason="mounting a small file system needs root")
def test_a_full_disk_during_run_is_one_line_naming_the_draft_kept(tmp_path: Path) -> None:
    disk = tmp_path / "disk"
    disk.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=600k", "tmpfs", str(disk)], capture_output=True)
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {mounted.stderr.decode().strip()}")
    try:
        root = disk / "store"
        Store.init(root)
        answers = tmp_path / "answers.yaml"
        answers.write_text(
            "case_ref: MC-FULL-1\nmarac_date: 2026-12-03\nrepresentative: DC Ivo Marchbank\nagency: Police\n"
            "more_than_one: 'no'\nperpetrators:\n  - full_name: Osric Pellmire\n"
            f"    address: '{'Flat 2, Dunmore Row. ' * 40_000}'\n",  # ~840 KB: more than the disk holds
            encoding="utf-8",
        )
        done = subprocess.run(
            [sys.executable, "-m", "marac_tui", "--data-dir", str(root), "run", "--flow", "police", "--answers", str(answers)],
            capture_output=True, text=True, timeout=60,
        )  # fmt: skip
        assert done.returncode == 2 and "Traceback" not in done.stderr
        lines = done.stderr.splitlines()
        assert len(lines) == 1 and lines[0].startswith("marac-tui: error: ")
        assert "no space left on device" in lines[0] and str(root) in lines[0]
        sid = lines[0].rsplit("saved as draft ", 1)[1].rstrip(")")
        kept = Store(root).load(sid)
        assert kept.header.case_ref == "MC-FULL-1" and kept.perpetrators[0].answers["full_name"].value == "Osric Pellmire"
    finally:
        subprocess.run(["umount", "-l", str(disk)], check=False)


def test_an_over_long_out_name_is_one_line(capsys, data_dir: Path, tmp_path: Path) -> None:
    sid = evil_submission(data_dir)
    code, _, err = run_cli(capsys, "export", sid, "--format", "json", "--out", str(tmp_path / ("x" * 300 + ".json")))
    assert code == 2 and err.count("\n") == 1 and "the file name is too long (305 bytes; at most 255)" in err
    long_but_fine = tmp_path / ("y" * 250 + ".json")
    code, _, err = run_cli(capsys, "export", sid, "--format", "json", "--out", str(long_but_fine))
    assert code == 0, err
    assert stat.S_IMODE(long_but_fine.stat().st_mode) == 0o600


def _device_at(monkeypatch: pytest.MonkeyPatch, target: Path) -> None:
    """`target` (a regular file) reported as a character device: no test points at a real device node,
    and if the export were written anyway, the file would show it."""
    target.write_text("keep me")
    real = os.lstat

    def lstat(path, *args, **kwargs):  # noqa: ANN001, ANN202
        found = real(path, *args, **kwargs)
        if os.fspath(path) != os.fspath(target):
            return found
        return os.stat_result((stat.S_IFCHR | 0o666, *tuple(found)[1:]))

    monkeypatch.setattr(os, "lstat", lstat)


def _socket_at(target: Path) -> None:
    import socket

    listener = socket.socket(socket.AF_UNIX)
    listener.bind(str(target))
    listener.close()


@pytest.mark.parametrize("kind", ["fifo", "symlink", "folder", "socket", "device"])
def test_export_writes_only_a_new_file_or_over_a_regular_file(
    capsys, monkeypatch, data_dir: Path, tmp_path: Path, kind: str
) -> None:
    sid = evil_submission(data_dir)
    target = tmp_path / "target"
    victim = tmp_path / "victim.txt"
    victim.write_text("keep me")
    make = {"fifo": lambda: os.mkfifo(target), "symlink": lambda: target.symlink_to(victim), "folder": target.mkdir,
            "socket": lambda: _socket_at(target), "device": lambda: _device_at(monkeypatch, target)}  # fmt: skip
    make[kind]()
    code, _, err = run_cli(capsys, "export", sid, "--format", "json", "--out", str(target), "--force")
    assert code == 2 and err.count("\n") == 1
    refusal = {"symlink": "a symbolic link", "folder": "is a folder"}.get(kind, "not a regular file (a pipe, device or socket)")
    assert refusal in err
    kept_kind = {"fifo": stat.S_ISFIFO, "symlink": stat.S_ISLNK, "folder": stat.S_ISDIR, "socket": stat.S_ISSOCK,
                 "device": stat.S_ISCHR}[kind]  # fmt: skip
    assert kept_kind(os.lstat(target).st_mode)  # the node itself is left as it was
    assert victim.read_text() == "keep me"
    assert target.read_text() == "keep me" if kind == "device" else True
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".marac-tui-export-")]
    regular = tmp_path / "regular.json"
    regular.write_text("old")
    code, _, err = run_cli(capsys, "export", sid, "--format", "json", "--out", str(regular), "--force")
    assert code == 0 and json.loads(regular.read_text())["id"] == sid


HOLD_INDEX_LOCK = r"""
import fcntl, os, sys, time
fd = os.open(sys.argv[1], os.O_RDWR | os.O_CREAT, 0o600)
fcntl.flock(fd, fcntl.LOCK_EX)
print("held", flush=True)
time.sleep(120)
"""


def test_an_index_lock_held_by_a_hung_process_is_one_line(capsys, monkeypatch, data_dir: Path, tmp_path: Path) -> None:
    from marac_tui.store import index

    monkeypatch.setattr(index, "LOCK_TIMEOUT", 0.5)
    Store.init(data_dir)
    hung = subprocess.Popen([sys.executable, "-c", HOLD_INDEX_LOCK, str(data_dir / "index.lock")], stdout=subprocess.PIPE, text=True)
    try:
        assert hung.stdout.readline() == "held\n"
        answers = tmp_path / "a.yaml"
        answers.write_text("case_ref: MC-HUNG-1\nmarac_date: 2026-12-03\nrepresentative: Ada\nagency: P\n")
        code, out, err = run_cli(capsys, "run", "--flow", "police", "--answers", str(answers))
    finally:
        hung.kill()
        hung.wait()
    assert code == 2 and out == "" and err.count("\n") == 1
    assert f"{data_dir / 'index.lock'}: held by another process for more than 0.5 s" in err
    assert "saved as draft" in err  # the submission file was written before its list row


def test_an_imported_naive_timestamp_is_taken_as_utc(capsys, data_dir: Path, tmp_path: Path) -> None:
    data = Submission(flow=FlowRef(name="police", version="1"), header=CaseHeader(case_ref="MC-NAIVE")).to_json()
    data["updated_at"] = data["created_at"] = "2019-05-01T09:00:00"
    path = tmp_path / "naive.json"
    path.write_text(json.dumps(data))
    code, out, err = run_cli(capsys, "import", str(path))
    assert code == 0, err
    assert Store(data_dir).load(data["id"]).updated_at.isoformat() == "2019-05-01T09:00:00+00:00"
    code, out, err = run_cli(capsys, "purge", "--older-than", "365", "--yes")
    assert code == 0 and "1 deleted, 0 skipped" in out


@pytest.mark.parametrize("version", [1, 2])
def test_import_reads_every_schema_version_up_to_the_current_one(
    capsys, monkeypatch, data_dir: Path, tmp_path: Path, version: int
) -> None:
    import marac_tui.submission as model

    monkeypatch.setattr(model, "SCHEMA_VERSION", 2)  # as when issue 13's version 2 lands
    data = Submission(flow=FlowRef(name="police", version="1"), header=CaseHeader(case_ref="MC-V")).to_json()
    for v in (version, 3):
        data["schema_version"], data["id"] = v, str(uuid.uuid4())
        (tmp_path / f"v{v}.json").write_text(json.dumps(data))
    code, out, err = run_cli(capsys, "import", str(tmp_path / f"v{version}.json"), str(tmp_path / "v3.json"))
    assert code == 2 and "1 imported, 1 refused" in out
    assert "v3.json: schema_version 3 is not one this marac-tui reads (1 to 2)" in err


def test_a_stored_flow_name_never_names_a_file(tmp_path: Path) -> None:
    from marac_tui.flow.loader import load_named

    flow_file = tmp_path / "mine.yaml"
    shutil.copy(Path(__file__).parent / "fixtures" / "mini.yaml", flow_file)
    with pytest.raises(UserError, match="unknown flow"):
        load_named(str(flow_file))
    assert load_named(str(flow_file), paths=True).name  # only a command-line --flow may name a file


def test_finalise_of_an_unknown_full_id_says_so_and_leaves_no_lock(capsys, data_dir: Path) -> None:
    Store.init(data_dir)
    unknown = str(uuid.uuid4())
    for command in (["finalise", unknown], ["reopen", unknown, "--reason", "x"]):
        code, _, err = run_cli(capsys, *command)
        assert code == 2 and f"no submission with id '{unknown}'" in err and "damaged" not in err
    assert list((data_dir / "locks").iterdir()) == []


UNDER_UMASK_0 = "import os, sys; os.umask(0); from marac_tui.cli import main; sys.exit(main(sys.argv[1:]))"


def test_folders_the_app_creates_are_private_whatever_the_umask(tmp_path: Path) -> None:
    root = tmp_path / "new" / "deeper" / "store"
    answers = tmp_path / "answers.yaml"
    answers.write_text("case_ref: MC-UMASK-1\nmarac_date: 2026-12-03\nrepresentative: DC Ivo Marchbank\n"
                       "agency: Police\nmore_than_one: 'no'\nperpetrators:\n  - full_name: Osric Pellmire\n")  # fmt: skip
    out = tmp_path / "export.json"
    env = {**os.environ, "MARAC_TUI_PASSPHRASE": "umask-zero-4471"}
    for argv in (["init", "--encrypt"], ["run", "--flow", "police", "--answers", str(answers)]):
        done = subprocess.run([sys.executable, "-c", UNDER_UMASK_0, "--data-dir", str(root), *argv],
                              capture_output=True, text=True, env=env)  # fmt: skip
        assert done.returncode == 0, done.stderr
    sid = Store(root, "umask-zero-4471").list()[0].id
    for argv in (["finalise", sid], ["export", sid, "--format", "json", "--out", str(out)], ["doctor"]):
        done = subprocess.run([sys.executable, "-c", UNDER_UMASK_0, "--data-dir", str(root), *argv],
                              capture_output=True, text=True, env=env)  # fmt: skip
        assert done.returncode == 0, done.stderr
    made = {p.relative_to(root).parts[0] for p in root.rglob("*") if p.is_file()}
    assert made >= {"submissions", "backups", "audit", "locks", "index.db", "index.log", "store.json"}, made
    for folder in (tmp_path / "new", tmp_path / "new" / "deeper", root, *[p for p in root.rglob("*") if p.is_dir()]):
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700, folder
    for path in (*(p for p in root.rglob("*") if p.is_file()), out):
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path


# The app with a bug: a crash while a typed answer is in a local variable.
CRASHING_APP = r"""
import sys
from marac_tui.tui.app import MaracApp
def on_mount(self):
    typed = "Corwin Ashdale, 4 Quarry Lane"
    raise RuntimeError("a bug in a widget")
MaracApp.on_mount = on_mount
from marac_tui.cli import main
sys.exit(main(sys.argv[1:]))
"""


@pytest.mark.parametrize("debug", [False, True], ids=["default", "MARAC_TUI_DEBUG"])
def test_a_crash_in_the_app_is_one_line_that_shows_nothing_typed(tmp_path: Path, debug: bool) -> None:
    import pexpect

    env = {k: v for k, v in os.environ.items() if k != "MARAC_TUI_DEBUG"} | ({"MARAC_TUI_DEBUG": "1"} if debug else {})
    child = pexpect.spawn(sys.executable, ["-c", CRASHING_APP, "--data-dir", str(tmp_path / "store")], env=env,
                          dimensions=(24, 80), timeout=60, encoding="utf-8")  # fmt: skip
    child.expect(pexpect.EOF)
    child.close()
    shown = child.before
    if debug:  # a developer asked for Textual's report, locals and all
        assert child.exitstatus == 1 and "Traceback" in shown and "Quarry Lane" in shown
        return
    assert child.exitstatus == 2
    assert "Traceback" not in shown and "Quarry Lane" not in shown and "Corwin" not in shown
    errors = [line for line in shown.splitlines() if "marac-tui: error: " in line]
    assert len(errors) == 1 and "the app stopped on an internal error" in errors[0]
