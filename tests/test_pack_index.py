"""The store's index keeps the match keys (name, date of birth, aliases) so matching opens no files."""

from __future__ import annotations

from pathlib import Path

from test_export_cases import CASE, build

from marac_tui.store import Store


def _with_dob(dob: str) -> dict:
    answers = {**CASE, "perpetrators": [dict(p) for p in CASE["perpetrators"]]}
    answers["perpetrators"][0]["date_of_birth"] = {"value": dob, "status": "found", "source": "PNC"}
    return answers


def test_an_index_row_carries_each_perpetrators_name_dob_and_aliases(data_dir: Path) -> None:
    store = Store.init(data_dir)
    submission = build(_with_dob("1984-07-12"))
    store.save(submission)
    [row] = store.list()
    assert store.index.rows()[str(submission.id)][7] == [
        ["Corwin Ashgrove", "1984-07-12", ["Cor Ash", "ashgrove_77"]],
        ["Belinda Strake", "", ["SECRET-ALIAS Bel Quarry"]],
    ]
    assert "keys" not in row.to_json() and row.keys is None  # `list --json` shows what it showed before


def test_an_encrypted_index_hides_the_keys_and_a_deleted_submission_leaves_no_row(data_dir: Path) -> None:
    store = Store.init(data_dir, passphrase="correct horse battery")
    submission = build(_with_dob("1984-07-12"))
    store.save(submission)
    on_disk = b"".join(p.read_bytes() for p in data_dir.glob("index.*") if p.is_file())
    assert b"1984-07-12" not in on_disk and b"ashgrove_77" not in on_disk
    assert Store(data_dir, passphrase="correct horse battery").index.rows()[str(submission.id)][7][0][1] == "1984-07-12"
    store.delete(str(submission.id))
    assert store.index.rows() == {} and store.list() == []


def test_a_row_written_before_the_keys_were_indexed_still_lists(data_dir: Path) -> None:
    store = Store.init(data_dir)
    submission = build()
    store.save(submission)
    sid = str(submission.id)
    row = store.index.rows()[sid]
    store.index.put(sid, [*row[:7], row[-1]])  # the older, shorter row
    [summary] = store.list()
    assert summary.case_ref == "MC-2026-0917" and summary.keys is None
