"""The headless command line: run an answers file, list, show, export, schema, refused input."""

from __future__ import annotations

import json
import subprocess
import sys
import uuid
from pathlib import Path

import jsonschema
import pytest
import yaml

from marac_tui.cli import main

EXAMPLE = Path(__file__).parents[1] / "examples" / "police-answers.yaml"


def run_cli(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def write_answers(tmp_path: Path, data: dict) -> Path:
    path = tmp_path / "answers.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return path


BASE = {
    "case_ref": "MC-2026-0999",
    "marac_date": "2026-12-10",
    "representative": "DS Olu Marchetti",
    "agency": "Northmoor Police",
    "more_than_one": "no",
    "full_name": "Corin Ashdown",
}


def test_run_example_produces_a_submission_valid_against_the_schema(capsys):
    code, out, err = run_cli(capsys, "run", "--flow", "police", "--answers", str(EXAMPLE))
    assert code == 0, err
    submission_id = out.strip().splitlines()[-1]
    uuid.UUID(submission_id)
    code, schema_text, _ = run_cli(capsys, "schema")
    code, shown, _ = run_cli(capsys, "show", submission_id, "--json")
    submission = json.loads(shown)
    jsonschema.validate(submission, json.loads(schema_text))
    assert submission["header"]["case_ref"] == "MC-2026-0142"
    aliases = submission["perpetrators"][0]["answers"]["aliases"]["value"]
    assert [a["name"] for a in aliases] == ["Daz Quill", "quill_d88"]


def test_list_and_show_find_the_submission(capsys, tmp_path):
    _, out, _ = run_cli(capsys, "run", "--flow", "police", "--answers", str(write_answers(tmp_path, BASE)))
    submission_id = out.strip()
    code, listing, _ = run_cli(capsys, "list")
    assert code == 0 and submission_id in listing and "MC-2026-0999" in listing
    code, rows, _ = run_cli(capsys, "list", "--json")
    assert json.loads(rows)[0]["id"] == submission_id
    code, shown, _ = run_cli(capsys, "show", submission_id[:8])
    assert "MC-2026-0999" in shown and "DS Olu Marchetti" in shown


def test_export_json_writes_a_private_file_and_refuses_to_overwrite(capsys, tmp_path):
    _, out, _ = run_cli(capsys, "run", "--flow", "police", "--answers", str(write_answers(tmp_path, BASE)))
    target = tmp_path / "out.json"
    code, _, err = run_cli(capsys, "export", out.strip(), "--format", "json", "--out", str(target))
    assert code == 0, err
    assert json.loads(target.read_text())["id"] == out.strip()
    assert target.stat().st_mode & 0o777 == 0o600
    code, _, err = run_cli(capsys, "export", out.strip(), "--format", "json", "--out", str(target))
    assert code == 2 and "already exists" in err


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"favourite_colour": "blue"}, "favourite_colour: unknown item id"),
        ({"marac_date": "next Tuesday"}, "marac_date: 'next Tuesday' is not a date"),
        ({"more_than_one": "maybe"}, "more_than_one: 'maybe' is not yes, no or unknown"),
        ({"full_name": ["not", "text"]}, "full_name: expected text"),
    ],
)
def test_bad_answers_exit_2_with_one_line_naming_the_item(capsys, tmp_path, change, message):
    code, out, err = run_cli(capsys, "run", "--flow", "police", "--answers", str(write_answers(tmp_path, {**BASE, **change})))
    assert code == 2
    assert message in err
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err


def test_what_came_before_a_bad_answer_is_kept_as_a_draft(capsys, tmp_path):
    case = {k: v for k, v in BASE.items() if k != "full_name"}
    answers = {**case, "perpetrators": [{"full_name": "Corin Ashdown", "aliases": [{"name": "CA", "type": "alter_ego"}]}]}
    code, _, err = run_cli(capsys, "run", "--flow", "police", "--answers", str(write_answers(tmp_path, answers)))
    assert code == 2 and "perpetrators[1].aliases[1].type" in err and "draft" in err
    _, rows, _ = run_cli(capsys, "list", "--json")
    [row] = json.loads(rows)
    assert row["state"] == "draft" and row["case_ref"] == "MC-2026-0999"
    _, shown, _ = run_cli(capsys, "show", row["id"], "--json")
    assert json.loads(shown)["perpetrators"][0]["answers"]["full_name"]["value"] == "Corin Ashdown"


def test_an_answer_the_skip_logic_never_reaches_is_a_warning_and_not_stored(capsys, tmp_path):
    answers = {**BASE, "perpetrator_count": 3}
    code, out, err = run_cli(capsys, "run", "--flow", "police", "--answers", str(write_answers(tmp_path, answers)))
    assert code == 0
    assert "warning: perpetrator_count: not asked" in err
    _, shown, _ = run_cli(capsys, "show", out.strip(), "--json")
    assert "perpetrator_count" not in json.loads(shown)["answers"]


def test_unreadable_answers_file_is_refused(capsys, tmp_path):
    path = tmp_path / "broken.yaml"
    path.write_text("case_ref: [unclosed\n", encoding="utf-8")
    code, _, err = run_cli(capsys, "run", "--flow", "police", "--answers", str(path))
    assert code == 2 and f"{path}:" in err and "not valid YAML" in err


def test_data_dir_option_and_environment_choose_the_store(capsys, tmp_path, monkeypatch):
    chosen = tmp_path / "elsewhere"
    _, out, _ = run_cli(capsys, "run", "--flow", "police", "--answers", str(write_answers(tmp_path, BASE)), "--data-dir", str(chosen))
    assert (chosen / "submissions").is_dir()
    monkeypatch.setenv("MARAC_TUI_DATA_DIR", str(chosen))
    _, listing, _ = run_cli(capsys, "list")
    assert out.strip() in listing


def test_flows_lists_name_title_version(capsys):
    code, out, _ = run_cli(capsys, "flows")
    assert code == 0 and "police" in out and "Police researcher" in out


def test_flow_show_json_has_the_documented_shape(capsys):
    code, out, _ = run_cli(capsys, "flow", "show", "police", "--json")
    flow = json.loads(out)
    assert {"name", "version", "title", "sections"} <= set(flow)
    items = {i["id"]: i for s in flow["sections"] for i in s["items"]}
    assert {"id", "kind", "prompt", "required"} <= set(items["case_ref"])
    assert items["aliases"]["kind"] == "repeat" and items["aliases"]["fields"][0]["id"] == "name"
    assert "when" in items["serial_details"]
    assert any("options" in i for i in items["aliases"]["fields"])


def test_flow_check_reports_file_and_line(capsys, tmp_path):
    broken = tmp_path / "broken.yaml"
    broken.write_text(
        "name: broken\nversion: '1'\ntitle: Broken\nsections:\n  - id: s\n    title: S\n    items:\n"
        "      - {id: a, kind: yesno, prompt: 'A'}\n      - {id: b, kind: text, prompt: 'B', when: \"nope == 'yes'\"}\n"
        "      - {id: c, kind: choice, prompt: 'C'}\n",
        encoding="utf-8",
    )
    code, _, err = run_cli(capsys, "flow", "check", str(broken))
    assert code == 2
    assert f"{broken}:10: item 'c'" in err and "needs options" in err
    broken.write_text(broken.read_text().replace("      - {id: c, kind: choice, prompt: 'C'}\n", ""))
    code, _, err = run_cli(capsys, "flow", "check", str(broken))
    assert code == 2 and f"{broken}:9: item 'b', when: unknown item 'nope'" in err


def test_shipped_flows_pass_flow_check(capsys):
    from marac_tui.flow.loader import available_flows

    code, out, err = run_cli(capsys, "flow", "check", *map(str, available_flows().values()))
    assert code == 0, err


def test_refused_command_as_a_real_process_exits_2_without_traceback(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "marac_tui", "show", "0000dead", "--data-dir", str(tmp_path)],
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert result.returncode == 2
    assert result.stderr.strip().startswith("marac-tui: error: no submission with id '0000dead'")
    assert "Traceback" not in result.stderr
