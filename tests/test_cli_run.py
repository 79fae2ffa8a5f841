"""The headless command line: run an answers file, list, show, export, schema, refused input."""

from __future__ import annotations

import json
import subprocess
import sys
import uuid
from datetime import date
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


# The answers file's refusals, one per message: the exact line a user gets from `run --answers`.
CASE = {k: v for k, v in BASE.items() if k != "full_name"}
ALLOWED_KEYS = "basis, checked, checked_on, reason, share, source, status, value, withhold_reason"
KEPT = " (what came before is saved as draft <id>)"
NOTHING = " (nothing was saved)"


def refused_line(capsys, tmp_path: Path, data, flow: str = "police") -> str:
    """The one stderr line of a refused run, with the answers file's path as <file> and a draft's id as <id>."""
    path = tmp_path / "answers.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    code, out, err = run_cli(capsys, "run", "--flow", flow, "--answers", str(path))
    assert code == 2 and out == ""
    [line] = err.splitlines()
    line = line.replace(str(path), "<file>")
    return line.replace(line[-37:-1], "<id>") if line.endswith(")") and "saved as draft" in line else line


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (["case_ref", "marac_date"], "the answers file must be a mapping of item ids to answers" + NOTHING),
        ({**BASE, "favourite_colour": "blue"}, "favourite_colour: unknown item id in flow 'police'" + NOTHING),
        (
            {**CASE, "date_of_birth": "1990-01-01", "full_name": "Corin Ashdown", "perpetrators": [{"full_name": "Corin Ashdown"}]},
            "date_of_birth: put perpetrator answers under 'perpetrators:'" + NOTHING,
        ),
        ({**CASE, "perpetrators": "Corin Ashdown"}, "perpetrators: expected a list of mappings, one per perpetrator" + NOTHING),
        (
            {**CASE, "perpetrators": [{"full_name": "Corin Ashdown"}, "Wren Ashdown"]},
            "perpetrators: expected a list of mappings, one per perpetrator" + NOTHING,
        ),
        (
            {**CASE, "perpetrators": [{"full_name": "Corin Ashdown"}, {"full_name": "Wren Ashdown", "case_ref": "MC-1"}]},
            "perpetrators[2].case_ref: a case item in flow 'police'" + NOTHING,
        ),
        (
            {**CASE, "perpetrators": [{"full_name": "Corin Ashdown", "hair_colour": "red"}]},
            "perpetrators[1].hair_colour: unknown item id in flow 'police'" + NOTHING,
        ),
        ({k: v for k, v in BASE.items() if k != "representative"}, "representative: an answer is required" + KEPT),
        ({**CASE, "perpetrators": []}, "perpetrators[1].full_name: an answer is required" + KEPT),
        (
            {**CASE, "more_than_one": "yes", "perpetrator_count": 2, "perpetrators": [{"full_name": "Corin Ashdown"}]},
            "perpetrators[2].full_name: an answer is required" + KEPT,
        ),
        (
            {**BASE, "others_feared": [{"name": "Hal Ashdown", "relationship": "friend"}]},
            "others_feared[1].relationship: 'friend' is not one of the options (current_partner, ex_partner, parent,"
            " sibling, adult_child, in_law, other_family, other)" + KEPT,
        ),
        (
            {**CASE, "perpetrators": [{"full_name": "Corin Ashdown", "date_of_birth": "2099-01-01"}]},
            "perpetrators[1].date_of_birth: the date of birth 01/01/2099 is in the future" + KEPT,
        ),
        (
            {**CASE, "perpetrators": [{"full_name": "Corin Ashdown", "address": {"value": "1 Rise", "share": "no"}}]},
            "perpetrators[1].address: share must be true or false, not 'no'" + KEPT,
        ),
        (
            {**CASE, "perpetrators": [{"full_name": "Corin Ashdown", "actions": [
                {"heading": "manage", "text": "Refer to MAPPA", "agency": "Police", "addresses": ["dragons"]}]}]},
            "perpetrators[1].actions[1]: unknown risk 'dragons'" + KEPT,
        ),
        (
            {**CASE, "perpetrators": [{"full_name": "Corin Ashdown", "address": {"value": "1 Rise", "share": False, "reason": " "}}]},
            "perpetrators[1].address: withheld without a reason: say why it is not shared" + KEPT,
        ),
    ],
    ids=[
        "not-a-mapping", "unknown-id", "top-level-and-list", "list-not-a-list", "list-not-mappings",
        "case-item-in-list", "unknown-id-in-list", "required-case", "no-perpetrator", "second-perpetrator",
        "repeat-field", "perpetrator-item", "perpetrator-provenance", "action-risk",
        "withheld-no-reason",
    ],
)  # fmt: skip
def test_answers_file_shape_refusals_name_the_item(capsys, tmp_path, data, message):
    assert refused_line(capsys, tmp_path, data) == f"marac-tui: error: <file>: {message}"


@pytest.mark.parametrize(
    ("meta", "problem"),
    [
        ({"zeta": 1, 7: "x"}, f"unknown key '7' (allowed: {ALLOWED_KEYS})"),
        ({"zeta": 1, "source": "PNC"}, f"unknown key 'zeta' (allowed: {ALLOWED_KEYS})"),
        ({"share": "yes"}, "share must be true or false, not 'yes'"),
        ({"share": ["no"]}, "share must be true or false, not a list"),
        ({"checked": [2026, 11, 20]}, "checked must be text, not a list"),
        ({"checked": 20261120}, "checked must be text, not 20261120"),
        ({"checked": "soonish"}, "'soonish' is not a date (use DD/MM/YYYY or YYYY-MM-DD)"),
        ({"checked_on": "2099-01-01"}, "the date checked 01/01/2099 is in the future"),
        ({"status": "rumoured"}, "'rumoured' is not a valid Status"),
        ({"status": date(2026, 1, 1)}, "status must be text, not datetime.date(2026, 1, 1)"),
        ({"source": True}, "source must be text, not true/false"),
        ({"source": {"name": "PNC"}}, "source must be text, not a mapping"),
        ({"source": 10**45}, f"source must be text, not {'1' + '0' * 39}"),
        ({"basis": "hearsay"}, "'hearsay' is not a valid Basis"),
        ({"basis": ["fact"]}, "basis must be text, not a list"),
        ({"share": False, "reason": 5}, "reason must be text, not 5"),
        ({"share": False, "withhold_reason": ["third", "party"]}, "reason must be text, not a list"),
    ],
    ids=[
        "key-not-text", "unknown-key", "share-text", "share-list", "checked-list", "checked-number", "checked-not-a-date",
        "checked-future", "status-unknown", "status-date", "source-bool", "source-mapping", "source-long", "basis-unknown",
        "basis-list", "reason-number", "withhold-reason-list",
    ],
)  # fmt: skip
def test_a_bad_provenance_field_is_one_line_naming_item_and_field(capsys, tmp_path, meta, problem):
    data = {**BASE, "case_ref": {"value": "MC-2026-0999", **meta}}
    assert refused_line(capsys, tmp_path, data) == f"marac-tui: error: <file>: case_ref: {problem}{NOTHING}"


def test_provenance_aliases_and_defaults_are_stored(capsys, tmp_path):
    answers = {
        **CASE,
        "perpetrators": [
            {
                "full_name": "Corin Ashdown",
                "address": {"value": "1 Larch Rise", "source": "Force system", "checked_on": "20/11/2026"},
                "date_of_birth": {"value": "1990-02-03", "checked": date(2026, 11, 19), "basis": "fact", "status": "found"},
                "pnc_id": {"value": "90/1234Z", "share": False, "withhold_reason": "Another force's record"},
                "homeless": {  # every key at once: `checked` and `reason` win over their other spellings
                    "value": "no", "status": "nothing_held", "source": "Housing", "checked": "2026-11-20",
                    "checked_on": "2026-11-01", "basis": "opinion", "share": False, "reason": "Shelter address",
                    "withhold_reason": "Not this one",
                },
                "serial_perpetrator": {"value": "no", "share": True, "reason": "Shared, so no reason is kept"},
                "serial_details": "Not asked when the answer above is no",
            }
        ],
    }
    code, out, err = run_cli(capsys, "run", "--flow", "police", "--answers", str(write_answers(tmp_path, answers)))
    assert code == 0, err
    assert err == "marac-tui: warning: perpetrators[1].serial_details: not asked, given the other answers; not stored\n"
    _, shown, _ = run_cli(capsys, "show", out.strip(), "--json")
    got = json.loads(shown)["perpetrators"][0]["answers"]
    assert {k: got["address"][k] for k in ("value", "source", "checked_on", "share")} == {
        "value": "1 Larch Rise", "source": "Force system", "checked_on": "2026-11-20", "share": True,
    }  # fmt: skip
    assert (got["date_of_birth"]["checked_on"], got["date_of_birth"]["basis"]) == ("2026-11-19", "fact")
    assert (got["pnc_id"]["share"], got["pnc_id"]["withhold_reason"]) == (False, "Another force's record")
    assert got["serial_perpetrator"]["share"] is True and got["serial_perpetrator"]["withhold_reason"] is None
    assert got["date_of_birth"]["source"] is None and "serial_details" not in got  # a file's answer: no source assumed
    homeless = {k: got["homeless"][k] for k in ("value", "status", "source", "checked_on", "basis", "share", "withhold_reason")}
    assert homeless == {
        "value": "no", "status": "nothing_held", "source": "Housing", "checked_on": "2026-11-20", "basis": "opinion",
        "share": False, "withhold_reason": "Shelter address",
    }  # fmt: skip


GROUPED = """\
name: grouped
version: "1"
title: A flow with a group item
sources: [PNC]
perpetrators: {count: "1", max: 1, name_item: name}
sections:
  - id: case
    title: Case
    items:
      - {id: case_ref, kind: text, prompt: "Case reference?", required: true}
  - id: person
    title: Person
    scope: perpetrator
    research: true
    items:
      - {id: name, kind: text, prompt: "Name?", required: true, research: false}
      - id: contact
        kind: group
        prompt: "Contact?"
        fields:
          - {id: phone, kind: text, prompt: Phone}
          - {id: source, kind: text, prompt: Who gave it}
"""


def test_a_group_answer_is_its_fields_unless_it_has_a_value_key(capsys, tmp_path):
    flow = tmp_path / "grouped.yaml"
    flow.write_text(GROUPED, encoding="utf-8")

    def contact(answer):
        path = write_answers(tmp_path, {"case_ref": "MC-2026-0999", "name": "Corin Ashdown", "contact": answer})
        code, out, err = run_cli(capsys, "run", "--flow", str(flow), "--answers", str(path))
        assert code == 0, err
        _, shown, _ = run_cli(capsys, "show", out.strip(), "--json")
        return json.loads(shown)["perpetrators"][0]["answers"]["contact"]

    fields_only = contact({"source": "Neighbour"})
    assert fields_only["value"] == {"source": "Neighbour"} and fields_only["source"] is None
    with_meta = contact({"value": {"phone": "01632 960001"}, "source": "PNC", "checked": "2026-11-20"})
    assert with_meta["value"] == {"phone": "01632 960001"}
    assert (with_meta["source"], with_meta["checked_on"]) == ("PNC", "2026-11-20")
    line = refused_line(capsys, tmp_path, {"case_ref": "MC-1", "name": "Corin Ashdown", "contact": {"email": "x"}}, flow=str(flow))
    assert line == f"marac-tui: error: <file>: perpetrators[1].contact: unknown field 'email' (fields: phone, source){KEPT}"
