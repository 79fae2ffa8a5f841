"""`marac-tui export` from the command line: formats, audiences, the coordinator's CSV, refusals."""

from __future__ import annotations

import csv
import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import docx
import jsonschema
import pytest
from test_export_cases import CASE, build, with_name

from marac_tui.cli import main
from marac_tui.export.csv_export import COLUMNS, safe_cell
from marac_tui.store import Store
from marac_tui.submission import Submission, submission_schema


def save(store_dir: Path, submission: Submission) -> str:
    Store(store_dir).save(submission)
    return str(submission.id)


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def test_export_docx_from_the_cli_is_private_and_meeting_only(data_dir: Path, tmp_path: Path) -> None:
    sid = save(data_dir, build())
    out = tmp_path / "MC-2026-0917.docx"
    done = subprocess.run(
        [sys.executable, "-m", "marac_tui", "export", sid[:8], "--out", str(out)],
        capture_output=True, text=True, check=False, env={**os.environ, "MARAC_TUI_DATA_DIR": str(data_dir)},
    )  # fmt: skip
    assert (done.returncode, done.stdout, done.stderr) == (0, f"wrote {out} (docx, meeting audience)\n", "")
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    document = docx.Document(str(out))
    assert document.sections[0].header.paragraphs[0].text == "OFFICIAL-SENSITIVE"
    assert "SECRET" not in "\n".join(p.text for p in document.paragraphs)


def test_export_marking_and_internal_audience(data_dir: Path, tmp_path: Path) -> None:
    sid = save(data_dir, build())
    out = tmp_path / "internal.md"
    assert main(["export", sid, "--format", "md", "--audience", "internal", "--marking", "SECRET-OPS", "--out", str(out)]) == 0
    text = out.read_text(encoding="utf-8")
    assert text.startswith("**SECRET-OPS**") and "SECRET-REASON-3" in text


def test_export_json_with_schema_beside_it(data_dir: Path, tmp_path: Path) -> None:
    sid = save(data_dir, build())
    out, schema_out = tmp_path / "s.json", tmp_path / "s.schema.json"
    assert main(["export", sid, "--out", str(out), "--schema-out", str(schema_out)]) == 0
    schema = json.loads(schema_out.read_text())
    assert schema == json.loads(json.dumps(submission_schema()))
    data = json.loads(out.read_text())
    jsonschema.Draft202012Validator(schema).validate(data)
    assert "SECRET" not in out.read_text()
    assert stat.S_IMODE(schema_out.stat().st_mode) == 0o600


def test_export_csv_one_row(data_dir: Path, tmp_path: Path) -> None:
    submission = build()
    sid = save(data_dir, submission)
    out = tmp_path / "row.csv"
    assert main(["export", sid, "--out", str(out)]) == 0  # format from the suffix
    actions = [a for p in submission.perpetrators for a in p.actions()]
    tracking = "; ".join(f"{a.id}: {a.text} | {a.agency or '-'} | no due date | proposed" for a in actions)
    assert read_csv(out) == [
        {
            "Case reference": "MC-2026-0917",
            "MARAC date": "2026-12-10",
            "Agency": "Westmere Police Safeguarding Hub",
            "Basis for sharing": "",
            "Alleged perpetrator(s)": "Corwin Ashgrove; Belinda Strake",
            "Risk flags": "2",
            "Actions": "2",
            "Status": submission.state.value,
            "Submission id": sid,
            "Open actions": "2",
            "Action tracking": tracking,
        }
    ]


def test_export_all_csv_lists_every_submission_in_meeting_date_order(data_dir: Path, tmp_path: Path) -> None:
    later = build()
    earlier = build(with_name("Odo Varnfield", case_ref="MC-2026-0850", marac_date="2026-12-03"))
    single = build(
        {
            "case_ref": "MC-2026-0999",
            "marac_date": "2027-01-14",
            "representative": "PC Tamsin Reeve",
            "agency": "Westmere Police",
            "more_than_one": "no",
            "full_name": "Lysander Cobb",
        }
    )
    for submission in (later, earlier, single):
        save(data_dir, submission)
    out = tmp_path / "list.csv"
    assert main(["export", "--all", "--format", "csv", "--out", str(out)]) == 0
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # BOM so spreadsheets read UTF-8
    with out.open(encoding="utf-8-sig", newline="") as handle:
        assert next(csv.reader(handle)) == COLUMNS
    rows = read_csv(out)
    assert [r["Case reference"] for r in rows] == ["MC-2026-0850", "MC-2026-0917", "MC-2026-0999"]
    assert [r["Alleged perpetrator(s)"] for r in rows] == [
        "Odo Varnfield; Belinda Strake",
        "Corwin Ashgrove; Belinda Strake",
        "Lysander Cobb",
    ]
    assert [r["Risk flags"] for r in rows] == ["2", "2", "0"]
    assert [r["Actions"] for r in rows] == ["2", "2", "0"]


def test_csv_defuses_spreadsheet_formulas(data_dir: Path, tmp_path: Path) -> None:
    hostile = build(with_name("=HYPERLINK(\"http://e.invalid\",\"x\")", agency="@SUM(A1:A9)"))
    save(data_dir, hostile)
    out = tmp_path / "list.csv"
    assert main(["export", "--all", "--out", str(out)]) == 0
    (row,) = read_csv(out)
    assert row["Alleged perpetrator(s)"] == "'=HYPERLINK(\"http://e.invalid\",\"x\"); Belinda Strake"
    assert row["Agency"] == "'@SUM(A1:A9)"
    assert [safe_cell(v) for v in ["+1", "-2", "\t=1", "a=b", "", None]] == ["'+1", "'-2", "'=1", "a=b", "", ""]


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["export", "--all", "--format", "docx", "--out", "{tmp}/a.docx"], "use --format csv"),
        (["export", "--out", "{tmp}/a.json"], "give the id of the submission"),
        (["export", "{sid}", "--all", "--out", "{tmp}/a.csv"], "not both"),
        (["export", "{sid}", "--format", "md", "--schema-out", "{tmp}/s.json", "--out", "{tmp}/a.md"], "--schema-out"),
        (["export", "{sid}", "--out", "{tmp}/no/such/folder/a.md"], "is not a folder"),
        (["export", "{sid}", "--out", "{tmp}"], "is a folder"),
        (["export", "{sid}", "--out", "-"], "give a file name"),
        (["export", "{sid}", "--marking", "  ", "--out", "{tmp}/a.md"], "--marking"),
        (["export", "zzzz9999", "--out", "{tmp}/a.md"], "no submission with id"),
        (["summary", "zzzz9999"], "no submission with id"),
    ],
)
def test_user_errors_are_one_line_exit_2(data_dir: Path, tmp_path: Path, capsys, argv, message) -> None:
    sid = save(data_dir, build(CASE))
    argv = [a.format(tmp=tmp_path, sid=sid) for a in argv]
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert err.startswith("marac-tui: error: ") and message in err
    assert err.count("\n") == 1 and "Traceback" not in err


def test_existing_file_is_refused_then_overwritten_with_force(data_dir: Path, tmp_path: Path, capsys) -> None:
    sid = save(data_dir, build())
    out = tmp_path / "a.md"
    out.write_text("keep me")
    assert main(["export", sid, "--out", str(out)]) == 2
    assert "already exists; use --force" in capsys.readouterr().err
    assert out.read_text() == "keep me"
    assert main(["export", sid, "--out", str(out), "--force"]) == 0
    assert "Corwin Ashgrove" in out.read_text(encoding="utf-8")
    assert stat.S_IMODE(out.stat().st_mode) == 0o600

