"""Sealed hand-over: the coordinator's key pair, an agency's sealed meeting copy, and the pack that
opens it. A wrong key or a changed byte is refused in one line."""

from __future__ import annotations

import json
import shutil
import stat
import subprocess
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from pack_cases import CASE_REF, POLICE, PROBATION, build

from marac_tui.cli import main
from marac_tui.export import render
from marac_tui.pack.sealed import PAD_BYTES, SealError, load_identity, open_sealed, seal
from marac_tui.store import Store


@pytest.fixture
def coordinator(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    assert main(["keys", "new", str(tmp_path / "coordinator")]) == 0
    capsys.readouterr()
    return tmp_path / "coordinator"


def sealed_probation(data_dir: Path, tmp_path: Path, pub: Path) -> tuple[str, Path]:
    """Probation's submission, in its own store, sealed for the coordinator."""
    submission = build("probation", PROBATION)
    Store.init(data_dir).save(submission)
    out = tmp_path / "probation.age"
    args = ["--data-dir", str(data_dir), "export", str(submission.id)[:8], "--format", "sealed", "--recipient", str(pub)]
    assert main([*args, "--out", str(out)]) == 0
    return str(submission.id), out


def test_keys_new_writes_a_private_key_and_a_public_key(coordinator: Path, capsys: pytest.CaptureFixture[str]) -> None:
    key, pub = coordinator.with_suffix(".key"), coordinator.with_suffix(".pub")
    assert stat.S_IMODE(key.stat().st_mode) == 0o600
    lines = key.read_text().splitlines()
    assert lines[0].startswith("# created: ") and lines[2].startswith("AGE-SECRET-KEY-1")
    assert lines[1] == f"# public key: {pub.read_text().strip()}" and pub.read_text().startswith("age1")
    assert main(["keys", "new", str(coordinator)]) == 2
    assert capsys.readouterr().err == (f"marac-tui: error: {key} already exists; a new key would lock out files "
                                       "sealed to the old one\n")  # fmt: skip


def test_a_sealed_round_trip_into_the_pack(data_dir: Path, tmp_path: Path, coordinator: Path,
                                           capsys: pytest.CaptureFixture[str]) -> None:  # fmt: skip
    sid, sealed = sealed_probation(tmp_path / "probation-store", tmp_path, coordinator.with_suffix(".pub"))
    assert capsys.readouterr().out == f"wrote {sealed} (meeting copy, sealed for coordinator.pub)\n"
    raw = sealed.read_bytes()
    assert raw.startswith(b"age-encryption.org/v1\n") and b"Harrow" not in raw
    assert stat.S_IMODE(sealed.stat().st_mode) == 0o600
    Store.init(data_dir).save(build("police", POLICE))  # the coordinator's own store holds the police research
    out = tmp_path / "pack.json"
    assert main(["pack", CASE_REF, "--from", str(sealed), "--identity", str(coordinator.with_suffix(".key")),
                 "--out", str(out)]) == 0  # fmt: skip
    pack = json.loads(out.read_text())
    assert {c["agency"]: c["origin"] for c in pack["contributors"]} == {"Police": "store", "Probation": "probation.age (sealed)"}
    assert [p["name"] for p in pack["people"]] == ["Dallas Harrow"]
    assert pack["contributors"][[c["agency"] for c in pack["contributors"]].index("Probation")]["submission_id"] == sid


def test_the_file_size_says_little_about_the_content(data_dir: Path, tmp_path: Path, coordinator: Path) -> None:
    store = Store.init(data_dir)
    short = build("police", dict(POLICE, perpetrators=[{"full_name": "Al Oake"}]))
    store.save(short)
    _, long = sealed_probation(tmp_path / "other", tmp_path, coordinator.with_suffix(".pub"))
    small = tmp_path / "short.age"
    assert main(["export", str(short.id), "--format", "sealed", "--recipient", str(coordinator.with_suffix(".pub")),
                 "--out", str(small)]) == 0  # fmt: skip
    sizes = {len(render(short, None, "json", "meeting")), len(render(build("probation", PROBATION), None, "json", "meeting"))}
    assert len(sizes) == 2  # the meeting copies differ in length, but each is padded to whole blocks,
    key = load_identity(coordinator.with_suffix(".key"))
    for path in (small, long):  # so a file's size tells only how many 4 KiB blocks it holds
        plain = open_sealed(path.read_bytes(), key)
        assert len(plain) % PAD_BYTES == 0 and 0 < path.stat().st_size - len(plain) < 1024
        assert json.loads(plain)["header"]["case_ref"] == CASE_REF


def _header(raw: bytes) -> tuple[int, int, int]:
    """Offsets in an age file: the X25519 stanza's ephemeral share, its wrapped file key, the header MAC."""
    share = raw.index(b"\n-> X25519 ") + len(b"\n-> X25519 ")
    wrapped = raw.index(b"\n", share) + 1
    mac = raw.index(b"\n--- ") + len(b"\n--- ")
    return share, wrapped, mac


def _other_base64(raw: bytearray, offset: int) -> None:
    """Change one base64 character into another valid one, so the header still parses and only the
    cryptography can tell (a flipped bit may make an invalid character, which reads as a different error)."""
    raw[offset] = ord("B") if raw[offset] != ord("B") else ord("C")


WRONG = "cannot be opened with this key: sealed for another key, or altered"
DAMAGED = "damaged or altered since it was sealed; ask for it to be sent again"


@pytest.mark.parametrize(
    ("damage", "expected"),
    [("wrong key", WRONG), ("ephemeral share", WRONG), ("wrapped file key", WRONG), ("header MAC", DAMAGED),
     ("payload byte", DAMAGED), ("cut short", DAMAGED),
     ("no identity", "sealed; give the key it was sealed for (--identity NAME.key)")],
)  # fmt: skip
def test_a_wrong_key_or_a_changed_byte_is_refused_in_one_line(
    damage: str, expected: str, data_dir: Path, tmp_path: Path, coordinator: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:  # fmt: skip
    _, sealed = sealed_probation(tmp_path / "probation-store", tmp_path, coordinator.with_suffix(".pub"))
    raw = bytearray(sealed.read_bytes())
    share, wrapped, mac = _header(bytes(raw))
    args = ["--identity", str(coordinator.with_suffix(".key"))]
    if damage == "wrong key":
        assert main(["keys", "new", str(tmp_path / "someone-else")]) == 0
        args = ["--identity", str(tmp_path / "someone-else.key")]
    elif damage in ("ephemeral share", "wrapped file key", "header MAC"):
        _other_base64(raw, {"ephemeral share": share, "wrapped file key": wrapped, "header MAC": mac}[damage])
    elif damage == "payload byte":
        raw[-100] ^= 0x01
    elif damage == "cut short":
        del raw[-50:]
    else:
        args = []
    sealed.write_bytes(bytes(raw))
    capsys.readouterr()
    code = main(["pack", CASE_REF, "--from", str(sealed), *args, "--out", str(tmp_path / "p.md"), "--no-store"])
    assert code == 2 and not (tmp_path / "p.md").exists()
    assert capsys.readouterr().err.splitlines() == [
        f"marac-tui: error: {sealed}: {expected}", "marac-tui: error: no pack written (1 file refused)"]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(where=st.floats(min_value=0, max_value=1, exclude_max=True), mask=st.integers(min_value=1, max_value=255))
@example(where=0.0, mask=0x01)  # the format line itself
@example(where=0.999, mask=0x80)  # the last block's tag
def test_no_changed_byte_anywhere_opens(where: float, mask: int, sealed_file: tuple[bytes, object]) -> None:
    """Any one byte changed anywhere (header, grease stanza, MAC, nonce, payload) is refused, never opened."""
    raw, key = sealed_file
    changed = bytearray(raw)
    changed[int(where * len(raw))] ^= mask
    with pytest.raises(SealError):
        open_sealed(bytes(changed), key)


@pytest.fixture(scope="module")
def sealed_file(tmp_path_factory: pytest.TempPathFactory) -> tuple[bytes, object]:
    import pyrage

    key = pyrage.x25519.Identity.generate()
    return seal(render(build("probation", PROBATION), None, "json", "meeting"), key.to_public()), key


def test_sealing_refuses_what_it_cannot_do(data_dir: Path, tmp_path: Path, coordinator: Path,
                                          capsys: pytest.CaptureFixture[str]) -> None:  # fmt: skip
    submission = build("police", POLICE)
    Store.init(data_dir).save(submission)
    sid, out = str(submission.id), str(tmp_path / "x.age")
    cases = {
        ("--format", "sealed"): "--format sealed needs --recipient NAME.pub",
        ("--format", "sealed", "--recipient", str(coordinator.with_suffix(".key"))):
            f"{coordinator.with_suffix('.key')}: this is a private key; seal to the .pub file, and keep the .key private",
        ("--format", "sealed", "--audience", "internal", "--recipient", str(coordinator.with_suffix(".pub"))):
            "a sealed copy is the meeting copy: leave out --audience internal",
        ("--format", "json", "--recipient", str(coordinator.with_suffix(".pub"))):
            "--recipient goes with --format sealed, not json",
        ("--recipient", str(tmp_path / "nowhere.pub")): f"{tmp_path / 'nowhere.pub'}: cannot read the public key: "
                                                         "No such file or directory",
    }  # fmt: skip
    for args, message in cases.items():
        assert main(["export", sid, *args, "--out", out]) == 2, args
        assert capsys.readouterr().err == f"marac-tui: error: {message}\n"
    assert not Path(out).exists()
    pub = coordinator.with_suffix(".pub")
    assert main(["pack", CASE_REF, "--identity", str(pub), "--out", out]) == 2
    assert "give the .key file, not the .pub" in capsys.readouterr().err


@pytest.mark.skipif(shutil.which("age") is None, reason="needs the age command-line tool (apt install age)")
def test_standard_age_tools_open_a_sealed_copy_and_seal_one_for_the_pack(
    data_dir: Path, tmp_path: Path, coordinator: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _, sealed = sealed_probation(tmp_path / "probation-store", tmp_path, coordinator.with_suffix(".pub"))
    opened = subprocess.run(["age", "--decrypt", "-i", str(coordinator.with_suffix(".key")), str(sealed)],
                            capture_output=True, check=True)  # fmt: skip
    submission = json.loads(opened.stdout)
    assert submission["header"]["case_ref"] == CASE_REF
    plain = tmp_path / "police.json"
    plain.write_bytes(render(build("police", POLICE), None, "json", "meeting"))
    by_age = tmp_path / "police.age"
    subprocess.run(["age", "--encrypt", "-R", str(coordinator.with_suffix(".pub")), "-o", str(by_age), str(plain)],
                   check=True)  # fmt: skip
    armored = tmp_path / "police-armored.age"
    subprocess.run(["age", "--encrypt", "--armor", "-R", str(coordinator.with_suffix(".pub")), "-o", str(armored),
                    str(plain)], check=True)  # fmt: skip
    for made in (by_age, armored):
        out = tmp_path / f"pack-{made.stem}.json"
        assert main(["pack", CASE_REF, "--no-store", "--from", str(made), str(sealed), "--identity",
                     str(coordinator.with_suffix(".key")), "--out", str(out)]) == 0  # fmt: skip
        assert sorted(c["agency"] for c in json.loads(out.read_text())["contributors"]) == ["Police", "Probation"]
