"""Submissions from before issue 13 (schema 1, flows 1.0; fixture files written by that code) still
open, show and export; a draft is upgraded to flow 2.0 when it is next opened (recorded), its new
items appear as not answered yet; a finalised one keeps its version and is not asked what came later."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from marac_tui.cli import main
from marac_tui.engine.gaps import GapKind
from marac_tui.engine.interview import Interview
from marac_tui.export import render
from marac_tui.export.content import flow_for
from marac_tui.export.report import build_report
from marac_tui.flow.loader import load_named
from marac_tui.store import Store
from marac_tui.submission import SCHEMA_VERSION, ActionStatus, Submission, SubmissionState, migrate_data

FIXTURES = Path(__file__).parent / "fixtures" / "v1"
NAMES = ["police-finalised", "probation-finalised", "police-draft", "probation-draft"]


def raw(name: str) -> dict:
    return json.loads((FIXTURES / f"{name}.json").read_text(encoding="utf-8"))


def old_store(data_dir: Path) -> Store:
    """A store holding the v1 files exactly as the v1 store wrote them."""
    store = Store.init(data_dir)
    for name in NAMES:
        sid = raw(name)["id"]
        shutil.copy(FIXTURES / "store" / f"{name}.db", store.path(sid))
        os.chmod(store.path(sid), 0o600)
    return store


def test_the_fixtures_really_are_version_1() -> None:
    for name in NAMES:
        data = raw(name)
        assert data["schema_version"] == 1 and data["flow"]["version"] == "1.0"
        actions = [a for p in data["perpetrators"] for a in (p["answers"].get("actions") or {}).get("value") or []]
        assert all("id" not in a and "status" not in a for a in actions)


@pytest.mark.parametrize("name", NAMES)
def test_old_submissions_load_with_stable_action_ids(name: str) -> None:
    first, second = Submission.model_validate(raw(name)), Submission.model_validate(raw(name))
    assert first.schema_version == SCHEMA_VERSION
    ids = [a.id for p in first.perpetrators for a in p.actions()]
    assert ids == [a.id for p in second.perpetrators for a in p.actions()]  # the same on every read
    assert len(set(ids)) == len(ids)
    assert all(a.status is ActionStatus.proposed and a.due is None for p in first.perpetrators for a in p.actions())
    assert raw(name)["schema_version"] == 1  # migrating never changes the data it was given


def test_a_newer_schema_is_refused_by_name() -> None:
    data = raw("police-draft")
    data["schema_version"] = 99
    with pytest.raises(ValueError, match="schema version 99 is newer"):
        Submission.model_validate(data)
    assert migrate_data(raw("police-draft"))["schema_version"] == SCHEMA_VERSION


def test_old_store_files_list_show_and_export(capsys, data_dir: Path, tmp_path: Path) -> None:
    store = old_store(data_dir)
    assert {r.id for r in store.list()} == {raw(n)["id"] for n in NAMES}
    for name in NAMES:
        sid = raw(name)["id"]
        assert main(["show", sid[:8]]) == 0
        shown = capsys.readouterr().out
        assert raw(name)["header"]["case_ref"] in shown and "Flow " + raw(name)["flow"]["name"] + " 1.0" in shown
        for fmt in ("json", "md", "docx", "csv"):
            out = tmp_path / f"{name}.{fmt}"
            assert main(["export", sid[:8], "--format", fmt, "--out", str(out), "--audience", "internal"]) == 0
            assert out.stat().st_size > 0
        assert main(["summary", sid[:8]]) == 0
        assert "CHAIR'S SUMMARY" in capsys.readouterr().out
    exported = json.loads((tmp_path / "police-finalised.json").read_text())
    assert exported["schema_version"] == SCHEMA_VERSION and exported["flow"]["version"] == "1.0"
    assert exported["state"] == "finalised"


def test_old_json_files_import(capsys, data_dir: Path) -> None:
    Store.init(data_dir)
    assert main(["import", *(str(FIXTURES / f"{n}.json") for n in NAMES)]) == 0
    assert "4 imported, 0 refused" in capsys.readouterr().out
    store = Store(data_dir)
    assert store.load(raw("police-finalised")["id"]).state is SubmissionState.finalised


def test_a_finalised_old_submission_is_not_asked_what_came_later() -> None:
    submission = Submission.model_validate(raw("police-finalised"))
    flow = load_named("police")
    report = build_report(submission, flow, "internal")
    pending = [label for part in report.perpetrators for label in part.not_checked]
    assert not any("strangulation" in p.lower() for p in pending)
    assert not any("not answered yet" in p for p in pending)


def test_an_old_draft_lists_the_new_items_as_not_answered_yet() -> None:
    submission = Submission.model_validate(raw("probation-draft"))
    flow = load_named("probation")
    report = build_report(submission, flow, "internal")
    part = report.perpetrators[0]
    assert part.gap_list is not None  # the one count of gaps: not answered yet, apart from not checked
    pending = part.gap_list.labels(GapKind.not_answered)
    assert "Any non-fatal strangulation or suffocation, recorded or alleged?" in pending
    assert "Who is this person to the victim?" in pending
    assert "Who is this person to the victim?" not in part.not_checked


def test_an_old_draft_is_upgraded_when_opened_and_the_upgrade_is_recorded(data_dir: Path) -> None:
    store = old_store(data_dir)
    sid = raw("police-draft")["id"]
    old = store.load(sid)
    assert old.perpetrators[0].answers["fire_setter"].value == "yes" and old.perpetrators[0].answers["arson"].value == "yes"
    flow = load_named("police")
    interview = Interview(flow, old, on_change=lambda iv, changes: store.save(iv.submission, changes))
    assert interview.submission.flow.version == "2.0" and interview.submission.flow.upgraded_from == ["1.0"]
    assert (interview.state, interview.perpetrator) == ("address", 1)  # where it stopped
    answers = interview.submission.perpetrators[0].answers
    assert answers["arson"].value == "yes" and answers["fire_setter"].value == "yes"  # both kept: nothing lost
    assert [r.id for r in interview.submission.perpetrators[0].risks].count("fire_setting") == 1
    interview.answer("Flat 2, Gorse Hill, Northmoor")  # the next answer saves the upgrade with it
    history = [e.describe() for e in store.history(sid)]
    assert any('flow version: "1.0" -> "2.0"' in line for line in history)
    reloaded = store.load(sid)
    assert reloaded.flow.version == "2.0" and reloaded.flow.upgraded_from == ["1.0"]
    assert Interview(flow, reloaded).submission.flow.upgraded_from == ["1.0"]  # upgraded once


def test_a_fire_setter_yes_moves_to_the_merged_arson_question(data_dir: Path) -> None:
    store = old_store(data_dir)
    sid = raw("police-draft")["id"]
    old = store.load(sid)
    old.perpetrators[0].answers["arson"] = old.perpetrators[0].answers["arson"].model_copy(update={"value": "no"})
    old.perpetrators[0].answers.pop("arson_details")
    interview = Interview(load_named("police"), old, on_change=lambda iv, changes: store.save(iv.submission, changes))
    answers = interview.submission.perpetrators[0].answers
    assert "fire_setter" not in answers and answers["arson"].value == "yes"
    assert answers["arson"].source == "PNC"  # with the provenance it had
    interview.answer("Flat 2, Gorse Hill, Northmoor")
    history = [e.describe() for e in store.history(sid)]
    assert any("arson [perpetrator 1]" in line and '"no" -> "yes"' in line for line in history)
    assert any("fire_setter [perpetrator 1]" in line and "-> (none)" in line for line in history)
    report = build_report(interview.submission, load_named("police"), "internal")
    part = report.perpetrators[0]
    assert part.gap_list is not None and "What happened, and when?" in part.gap_list.labels(GapKind.not_answered)


def test_a_finalised_submission_is_never_upgraded(data_dir: Path) -> None:
    store = old_store(data_dir)
    submission = store.load(raw("police-finalised")["id"])
    Interview(load_named("police"), submission)
    assert submission.flow.version == "1.0" and submission.flow.upgraded_from == []


def test_retired_items_keep_their_old_question_in_exports(data_dir: Path) -> None:
    submission = Submission.model_validate(raw("police-draft"))
    text = render(submission, flow_for(submission), "md", "internal").decode()
    assert "Is the person recorded as a fire-setter?" in text
    assert "fire\\_setter" not in text
