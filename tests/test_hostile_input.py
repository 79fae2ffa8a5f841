"""Hostile answers and import files (tests/fixtures/hostile/): each one, run as a real process under a
memory and time limit, exits 2 with exactly one line `marac-tui: error: ...` naming the problem, and
no traceback. Nothing is stored from an import that is refused."""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import time
from pathlib import Path

import pytest

HOSTILE = Path(__file__).parent / "fixtures" / "hostile"
MEMORY_LIMIT = 1024 * 1024 * 1024  # bytes of address space for the whole process (RLIMIT_AS)
TIME_LIMIT = 30  # seconds of wall time (and of CPU, RLIMIT_CPU)

# What the one error line must say for each file (beyond `marac-tui: error: FILE...`).
ANSWERS = {
    "billion-laughs": "anchors and aliases expand to more than 200,000 values",
    "checked-a-number": "perpetrators[1].serial_perpetrator: checked must be text, not 20261120",
    "date-that-does-not-exist": "perpetrators[1].date_of_birth: 31 February 1990 does not exist",
    "deep-nesting-list": "nested more than 64 levels deep",
    "deep-nesting-mapping": "nested more than 64 levels deep",
    "future-date-checked": "perpetrators[1].serial_perpetrator: the date checked 01/01/2099 is in the future",
    "future-date-of-birth": "perpetrators[1].date_of_birth: the date of birth 01/01/2099 is in the future",
    "huge-integer": "a number of 5000 characters is too long to read",
    "impossible-date-unquoted": ":4: not valid YAML: 29 February 2023 does not exist",
    "lone-surrogate": "case_ref: holds a lone surrogate",
    "not-a-mapping": "the answers file must be a mapping of item ids to answers",
    "not-utf8": ":3: the file is not UTF-8 text",
    "perpetrators-not-a-list": "perpetrators: expected a list of mappings",
    "python-tag": "not valid YAML: could not determine a constructor for the tag",
    "reason-a-list": "perpetrators[1].serial_perpetrator: reason must be text, not a list",
    "reason-a-number": "perpetrators[1].serial_perpetrator: reason must be text, not 5",
    "recursive-anchor": "an anchor refers to itself",
    "share-as-text": "share must be true or false, not 'no'",
    "source-a-mapping": "perpetrators[1].serial_perpetrator: source must be text, not a mapping",
    "status-a-list": "perpetrators[1].serial_perpetrator: status must be text, not a list",
    "unclosed-bracket": "not valid YAML",
    "unhashable-key": "not valid YAML",
    "unknown-item": "favourite_colour: unknown item id in flow 'police'",
}
IMPORTS = {
    "deep-nesting": "not valid JSON: nested too deeply",
    "flow-name-a-path": "flow.name must be a flow's name (like police), not \"/etc/marac/",
    "flow-name-relative-path": "flow.name must be a flow's name (like police), not \"../flows/police.yaml\"",
    "huge-number": "not valid JSON: Exceeds the limit (4300 digits)",
    "invalid-json": ":1: not valid JSON",
    "lone-surrogate": "header.case_ref: holds a lone surrogate",
    "not-an-object": "not a submission (a JSON object",
    "not-utf8": "not UTF-8 text",
    "reason-a-list": "not a valid submission: answers.weapons.withhold_reason: Input should be a valid string",
    "schema-version-0": "schema_version 0 is not one this marac-tui reads",
    "schema-version-99": "schema_version 99 is not one this marac-tui reads",
    "schema-version-text": 'schema_version "1" is not one this marac-tui reads',
    "withheld-without-reason": "weapons: withheld without a reason",
}


def _limits() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))
    resource.setrlimit(resource.RLIMIT_CPU, (TIME_LIMIT, TIME_LIMIT))


def run_limited(*argv: str, data_dir: Path) -> tuple[int, str, str, float]:
    env = {k: v for k, v in os.environ.items() if k != "MARAC_TUI_DEBUG"}
    start = time.monotonic()
    done = subprocess.run(
        [sys.executable, "-m", "marac_tui", "--data-dir", str(data_dir), *argv],
        capture_output=True, text=True, timeout=TIME_LIMIT, preexec_fn=_limits, env=env, stdin=subprocess.DEVNULL,
    )  # fmt: skip
    return done.returncode, done.stdout, done.stderr, time.monotonic() - start


def assert_one_error_line(code: int, err: str, expected: str) -> str:
    assert "Traceback" not in err, err
    lines = err.splitlines()
    assert code == 2, err
    assert len(lines) == 1, err
    assert lines[0].startswith("marac-tui: error: "), lines[0]
    assert expected in lines[0], lines[0]
    return lines[0]


def test_the_corpus_is_complete() -> None:
    assert {p.stem for p in (HOSTILE / "answers").glob("*.yaml")} == set(ANSWERS)
    assert {p.stem for p in (HOSTILE / "import").glob("*.json")} == set(IMPORTS)


@pytest.mark.parametrize("name", sorted(ANSWERS))
def test_hostile_answers_file(name: str, data_dir: Path) -> None:
    path = HOSTILE / "answers" / f"{name}.yaml"
    code, out, err, _ = run_limited("run", "--flow", "police", "--answers", str(path), data_dir=data_dir)
    line = assert_one_error_line(code, err, ANSWERS[name])
    assert line.startswith(f"marac-tui: error: {path}")
    assert out == ""  # no submission id: the run did not complete


@pytest.mark.parametrize("name", sorted(IMPORTS))
def test_hostile_import_file(name: str, data_dir: Path) -> None:
    path = HOSTILE / "import" / f"{name}.json"
    code, out, err, _ = run_limited("import", str(path), data_dir=data_dir)
    line = assert_one_error_line(code, err, IMPORTS[name])
    assert line.startswith(f"marac-tui: error: {path}")
    assert out.strip().splitlines()[-1] == "0 imported, 1 refused"
    assert not list((data_dir / "submissions").glob("*.db")) if (data_dir / "submissions").exists() else True


def test_a_refused_answer_names_the_draft_that_was_kept(data_dir: Path) -> None:
    path = HOSTILE / "answers" / "date-that-does-not-exist.yaml"
    _, _, err, _ = run_limited("run", "--flow", "police", "--answers", str(path), data_dir=data_dir)
    assert "(what came before is saved as draft " in err
    sid = err.rsplit("draft ", 1)[1].rstrip(")\n")
    code, out, _, _ = run_limited("show", sid, "--json", data_dir=data_dir)
    assert code == 0 and '"Osric Pellmire"' in out


@pytest.mark.parametrize("kind", ["answers", "import"])
def test_an_oversized_file_is_refused_unread(kind: str, tmp_path: Path, data_dir: Path) -> None:
    big = tmp_path / ("big.yaml" if kind == "answers" else "big.json")
    with open(big, "wb") as handle:
        handle.write(b"case_ref: '" if kind == "answers" else b'{"id": "')
        handle.write(b"x" * (17 * 1024 * 1024))
        handle.write(b"'\n" if kind == "answers" else b'"}')
    argv = ("run", "--flow", "police", "--answers", str(big)) if kind == "answers" else ("import", str(big))
    code, _, err, seconds = run_limited(*argv, data_dir=data_dir)
    assert_one_error_line(code, err, "larger than 16 MiB")
    assert seconds < 10


def test_a_pasted_megabyte_is_an_ordinary_answer(tmp_path: Path, data_dir: Path) -> None:
    answers = tmp_path / "megabyte.yaml"
    answers.write_text("case_ref: MC-BIG-1\nmarac_date: 2026-12-03\nrepresentative: DC Ivo Marchbank\n"
                       "agency: Police\nmore_than_one: 'no'\nperpetrators:\n  - full_name: Osric Pellmire\n"
                       f"    address: '{'Flat 2, Dunmore Row. ' * 50_000}'\n", encoding="utf-8")  # fmt: skip
    code, out, err, _ = run_limited("run", "--flow", "police", "--answers", str(answers), data_dir=data_dir)
    assert code == 0, err
    assert "Traceback" not in err
