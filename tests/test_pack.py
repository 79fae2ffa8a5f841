"""The meeting pack: three agencies' research on one case joined into the Chair's brief."""

from __future__ import annotations

import copy
import io
import json
import stat
from pathlib import Path

import docx
import jsonschema
import pytest
from pack_cases import CASE_REF, HOUSING, POLICE, PROBATION, build, stored, three_agencies

from marac_tui.cli import main
from marac_tui.export import render
from marac_tui.pack import make_pack
from marac_tui.pack.model import pack_schema
from marac_tui.pack.render import render_pack
from marac_tui.store import Store


def docx_text(data: bytes) -> str:
    document = docx.Document(io.BytesIO(data))
    cells = [c.text for t in document.tables for r in t.rows for c in r.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


def pack_texts(pack) -> str:  # noqa: ANN001
    return "\n".join([render_pack(pack, "md").decode(), render_pack(pack, "json").decode(),
                      docx_text(render_pack(pack, "docx"))])  # fmt: skip


def test_the_pack_names_every_agency_and_joins_the_same_person(data_dir: Path) -> None:
    pack = make_pack(CASE_REF, stored(data_dir)).pack
    assert [c.agency for c in pack.contributors] == ["Housing", "Probation", "Police"]  # newest first
    dallas, maureen = pack.people
    assert (dallas.name, sorted(dallas.agencies)) == ("Dallas Harrow", ["Housing", "Police", "Probation"])
    assert dallas.other_names == ["Dal Harrow"]
    assert (maureen.name, maureen.agencies) == ("Maureen Harrow", ["Housing"])  # unmatched: separate
    why = {frozenset(r.agency for r in dallas.records if r.ref in (m.a, m.b)): m.reasons for m in dallas.matches}
    assert why[frozenset({"Police", "Probation"})] == [
        "same date of birth", "surname matches", "'Dal' is an alias in the Police submission"]
    assert "no date of birth in the Housing submission" in why[frozenset({"Police", "Housing"})]
    md, word = render_pack(pack, "md").decode(), docx_text(render_pack(pack, "docx"))
    assert "| Agencies | Housing, Probation, Police |" in md and "Agencies\nHousing, Probation, Police" in word
    for text in (md, word):
        assert "named by Housing, Probation, Police" in text
        assert "'Dal' is an alias in the Police submission" in text


def test_conflicts_between_agencies_appear_with_who_said_what(data_dir: Path) -> None:
    dallas = make_pack(CASE_REF, stored(data_dir)).pack.people[0]
    conflicts = {c.item: {s.agency: s.text for s in c.stances} for c in dallas.conflicts}
    assert conflicts["weapons"] == {"Police": "No", "Probation": "Yes"}
    assert conflicts["address"]["Probation"] == "Flat 3, 9 Mill Lane, Hollinsby"
    assert set(conflicts) == {"weapons", "address"}  # "22 Tanner's Row" and "22 Tanners Row" agree
    md = render_pack(make_pack(CASE_REF, stored(data_dir.parent / "again")).pack, "md").decode()
    assert "- **Does the person have access to weapons?**\n  - Probation: Yes (Found · OASys · checked 01 Dec 2026)" in md
    assert "  - Police: No (Nothing held · PNC · checked 30 Nov 2026)" in md


def test_other_names_one_agency_alone_holds_and_readings_across_flows_are_conflicts(data_dir: Path) -> None:
    probation = copy.deepcopy(PROBATION)
    person = probation["perpetrators"][0]
    person["aliases"] = {"value": [], "status": "nothing_held", "source": "nDelius", "checked": "2026-12-01"}
    person["supervision_status"] = {"value": "community_order", "source": "nDelius", "checked": "2026-12-01"}
    person["engagement"] = {"value": "good", "source": "nDelius", "checked": "2026-12-01"}
    drugs = {"case_ref": CASE_REF, "marac_date": "2026-12-10", "representative": "Bea Lyle",
             "agency": "Hollinsby Recovery Service", "sharing_basis": "dpa_safeguarding", "more_than_one": "no",
             "perpetrators": [{"full_name": "Dallas Harrow",
                               "date_of_birth": {"value": "1986-05-14", "source": "Other", "checked": "2026-11-30"},
                               "court_treatment": {"value": "yes", "source": "Other", "checked": "2026-11-30"},
                               "court_treatment_engagement": {"value": "not_complying", "source": "Other",
                                                              "checked": "2026-11-30"}}]}  # fmt: skip
    submissions = {"police": build("police", POLICE), "probation": build("probation", probation),
                   "drugs": build("substance_misuse", drugs)}  # fmt: skip
    dallas = make_pack(CASE_REF, stored(data_dir, submissions)).pack.people[0]
    conflicts = {c.item: (c.label, {s.agency: s.text for s in c.stances}) for c in dallas.conflicts}
    assert conflicts["aliases"][1] == {"Police": "Dal, Nickname, PND", "Probation": "None"}
    label, stances = conflicts["keeping_to_the_order"]
    assert label == "Is the person keeping to the court order and its treatment requirement?"
    assert stances == {"Probation": "How is the person engaging with supervision?: Engaging well",
                       "Substance misuse services": "Is the person keeping to the requirement?: Not complying"}
    md = render_pack(make_pack(CASE_REF, Store(data_dir)).pack, "md").decode()
    assert "- **Is the person keeping to the court order and its treatment requirement?**" in md
    person["engagement"]["value"] = "poor"  # the same reading in both flows, and the same names: no conflict
    person["aliases"] = {"value": [{"name": "DAL", "type": "nickname"}], "source": "nDelius", "checked": "2026-12-01"}
    submissions["probation"] = build("probation", probation)
    again = make_pack(CASE_REF, stored(data_dir.parent / "again", submissions)).pack.people[0]
    assert {c.item for c in again.conflicts} & {"aliases", "keeping_to_the_order"} == set()


def test_risks_are_attributed_and_actions_merged_across_agencies(data_dir: Path) -> None:
    dallas = make_pack(CASE_REF, stored(data_dir)).pack.people[0]
    risks = {r.id: r for r in dallas.risks}
    assert [r.agency for r in risks["weapons"].raised_by] == ["Probation"]
    assert risks["weapons"].raised_by[0].evidence[0].text == "Yes"
    assert [r.agency for r in risks["professionals"].raised_by] == ["Housing"]
    disrupt = next(h for h in dallas.actions if h.heading == "disrupt").actions
    plan = [a for a in disrupt if a.text.startswith("Disruption plan")]
    assert len(plan) == 1 and sorted(t.agency for t in plan[0].proposed_by) == ["Police", "Probation"]
    assert sorted(plan[0].addresses) == ["Access to weapons", "Stalking or harassing the victim or people close to them"]
    assert "Risk to professionals" in dallas.unaddressed and "Access to weapons" not in dallas.unaddressed
    assert "weapons" in {u.item for u in make_pack(CASE_REF, stored(data_dir.parent / "b")).pack.people[1].not_checked}


def test_each_action_shows_its_owner_agency_person_due_date_and_status(data_dir: Path) -> None:
    police, probation = copy.deepcopy(POLICE), copy.deepcopy(PROBATION)
    police["perpetrators"][0]["actions"][0].update(
        owner="DS Rhian Cole", due="2030-12-17", status="agreed", status_date="2026-12-02")
    probation["perpetrators"][0]["actions"][1].update(
        due="2026-01-05", status="not_done", status_date="2026-11-30", note="licensing unit not yet contacted")
    submissions = {**three_agencies(), "police": build("police", police), "probation": build("probation", probation)}
    pack = make_pack(CASE_REF, stored(data_dir, submissions)).pack
    disrupt = {a.text: a for h in pack.people[0].actions if h.heading == "disrupt" for a in h.actions}
    plan = disrupt["Disruption plan with one named police contact"]
    police_part = next(t for t in plan.proposed_by if t.agency == "Police")
    assert (police_part.owner_agency, police_part.owner, police_part.due.isoformat(), police_part.status,
            police_part.status_date.isoformat()) == ("Police", "DS Rhian Cole", "2030-12-17", "agreed", "2026-12-02")
    assert police_part.action_id == submissions["police"].perpetrators[0].actions()[0].id
    md = render_pack(pack, "md").decode()
    assert ("| Disruption plan with one named police contact | Police (DS Rhian Cole) | Probation: —; Police: 17 Dec "
            "2030 | Probation: Proposed; Police: Agreed (reported 02 Dec 2026) | Probation, Police |") in md
    assert ("| Ask the firearms licensing unit to review the shotgun certificate | Police | 05 Jan 2026 — OVERDUE | "
            "Not done (reported 30 Nov 2026): licensing unit not yet contacted | Probation |") in md
    word = docx_text(render_pack(pack, "docx"))
    assert "Not done (reported 30 Nov 2026): licensing unit not yet contacted" in word


def test_research_no_agency_checked_is_listed_and_what_one_checked_is_not(data_dir: Path) -> None:
    dallas = make_pack(CASE_REF, stored(data_dir)).pack.people[0]
    unchecked = {u.item: u.agencies for u in dallas.not_checked}
    assert "homeless" in unchecked and "weapons" not in unchecked and "stalking" not in unchecked
    assert unchecked["homeless"] == ["Housing: not checked", "Probation: not checked", "Police: not checked"]


def test_agencies_not_round_the_table_are_listed_with_why(data_dir: Path) -> None:
    pack = make_pack(CASE_REF, stored(data_dir)).pack
    absent = {a.agency: a.why for a in pack.absent}
    assert set(absent) == {"Mental health services", "Substance misuse services", "Children's social care", "Health",
                           "IDVA"}  # fmt: skip
    md = render_pack(pack, "md").decode()
    assert "- **Mental health services**: Diagnosis, detentions" in md


def test_the_expected_list_is_configurable(data_dir: Path, tmp_path: Path) -> None:
    mine = tmp_path / "expected.yaml"
    mine.write_text("- {name: Police, flows: [police], words: [police], why: The record.}\n"
                    "- {name: Fire and rescue, words: [fire], why: Fire-setting and home safety visits.}\n")  # fmt: skip
    store = stored(data_dir)
    pack = make_pack(CASE_REF, store, expected=mine).pack
    assert [(a.agency, a.why) for a in pack.absent] == [("Fire and rescue", "Fire-setting and home safety visits.")]
    (data_dir / "expected-agencies.yaml").write_text(mine.read_text())
    assert [a.agency for a in make_pack(CASE_REF, store).pack.absent] == ["Fire and rescue"]
    mine.write_text("- {name: Police}\n")
    with pytest.raises(Exception, match=r"expected.yaml: agency 1: why: Field required"):
        make_pack(CASE_REF, store, expected=mine)


def test_a_split_match_yields_two_people_and_a_confirmation_is_shown(data_dir: Path) -> None:
    subs = three_agencies()
    store = stored(data_dir, subs)
    police, probation = f"{subs['police'].id}/1", f"{subs['probation'].id}/1"
    made = make_pack(CASE_REF, store, decide=[("split", police[:8] + "/1", probation[:8] + "/1")])
    names = [(p.name, sorted(p.agencies)) for p in made.pack.people]
    assert names == [("Dallas Harrow", ["Housing", "Police"]), ("Maureen Harrow", ["Housing"]),
                     ("Dal Harrow", ["Probation"])]  # fmt: skip
    confirmed = make_pack(CASE_REF, store, decide=[("confirm", police[:8] + "/1", probation[:8] + "/1")]).pack
    link = next(m for m in confirmed.people[0].matches if {m.a, m.b} == {police, probation})
    assert link.decision == "confirmed"
    assert "[confirmed by the Chair]" in render_pack(confirmed, "md").decode().replace("\\[", "[").replace("\\]", "]")


def test_records_of_one_submission_are_never_joined(data_dir: Path) -> None:
    twins = dict(HOUSING, perpetrators=[dict(HOUSING["perpetrators"][0]), dict(HOUSING["perpetrators"][0])])
    pack = make_pack(CASE_REF, stored(data_dir, {"housing": build("housing", twins)})).pack
    assert len(pack.people) == 2


def test_the_pack_json_validates_against_schema_pack(data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    stored(data_dir)
    assert main(["schema", "--pack"]) == 0
    schema = json.loads(capsys.readouterr().out)
    assert schema == pack_schema()
    data = json.loads(render_pack(make_pack(CASE_REF, stored(data_dir.parent / "s")).pack, "json"))
    jsonschema.validate(data, schema)
    assert data["kind"] == "marac-pack" and data["case_ref"] == CASE_REF


def test_pack_from_the_cli_reads_meeting_exports_and_refuses_internal_copies(
    data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    subs = three_agencies()
    stored(data_dir, {"police": subs["police"]})
    files = []
    for name in ("probation", "housing"):
        path = tmp_path / f"{name}.json"
        path.write_bytes(render(subs[name], None, "json", "meeting"))
        files.append(str(path))
    out = tmp_path / "pack.docx"
    assert main(["pack", CASE_REF, "--from", *files, "--out", str(out)]) == 0
    said = capsys.readouterr().out
    assert said.startswith(f"wrote {out} (docx): 3 submissions, 2 alleged perpetrators, 2 conflicts, 5 expected")
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    document = docx.Document(str(out))
    assert document.sections[0].header.paragraphs[0].text == "OFFICIAL-SENSITIVE"
    assert "Page" in document.sections[0].footer.paragraphs[0].text
    text = docx_text(out.read_bytes())
    assert "probation.json" in text and "housing.json" in text and "store" in text

    internal = tmp_path / "police-internal.json"
    internal.write_bytes(render(subs["police"], None, "json", "internal"))
    code = main(["pack", CASE_REF, "--from", str(internal), files[0], "--out", str(tmp_path / "no.md")])
    err = capsys.readouterr().err
    assert code == 2 and not (tmp_path / "no.md").exists()
    assert f"marac-tui: error: {internal}: an internal copy (2 answers marked not shared)" in err
    assert "Traceback" not in err and "SECRET" not in err


def test_pack_refusals_are_one_line_each(data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    stored(data_dir)
    other = tmp_path / "other.json"
    other.write_bytes(render(build("police", dict(POLICE, case_ref="MC-2026-9999")), None, "json", "meeting"))
    word = tmp_path / "form.docx"
    word.write_bytes(render(build("police", POLICE), None, "docx", "meeting"))
    junk = tmp_path / "junk.json"
    junk.write_text("{not json")
    missing = tmp_path / "missing.json"
    deep = tmp_path / "deep.json"
    deep.write_text("[" * 200_000 + "]" * 200_000)
    assert main(["pack", CASE_REF, "--from", str(other), str(word), str(junk), str(missing), str(deep), "--out",
                 str(tmp_path / "p.md")]) == 2  # fmt: skip
    lines = capsys.readouterr().err.splitlines()
    assert lines == [
        f"marac-tui: error: {other}: a submission for MC-2026-9999, not {CASE_REF}",
        f"marac-tui: error: {word}: a Word document; a pack reads the JSON meeting export (export --format json)",
        f"marac-tui: error: {junk}: not JSON; a pack reads JSON meeting exports and sealed files",
        f"marac-tui: error: {missing}: cannot read it: No such file or directory",
        f"marac-tui: error: {deep}: not JSON; a pack reads JSON meeting exports and sealed files",
        "marac-tui: error: no pack written (5 files refused)",
    ]
    assert main(["pack", "MC-NOTHING", "--out", str(tmp_path / "p.md")]) == 2
    assert "nothing shared on case MC-NOTHING" in capsys.readouterr().err


def test_user_text_in_a_pack_stays_text(data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    hostile = dict(POLICE, perpetrators=[dict(POLICE["perpetrators"][0], full_name="[red]Dal\x1b[31m | # x")])
    stored(data_dir, {"police": build("police", hostile)})
    out = tmp_path / "p.md"
    assert main(["pack", CASE_REF, "--out", str(out)]) == 0
    text = out.read_text()
    assert "\x1b" not in text and r"\[red\]Dal\\x1b\[31m \| \# x" in text
    assert "\x1b" not in capsys.readouterr().out


def last_meeting() -> dict:
    """The police research for the same case's earlier meeting, with two actions."""
    earlier = dict(POLICE, marac_date="2026-09-10")
    person = dict(POLICE["perpetrators"][0], actions=[
        {"heading": "enforce", "text": "Serve a stalking protection order application", "agency": "Police",
         "addresses": ["stalking"]},
        {"heading": "manage", "text": "Flag the address for a priority response", "agency": "Police"},
    ])  # fmt: skip
    earlier["perpetrators"] = [person]
    return earlier


def test_a_repeat_case_lists_last_meetings_actions_first(data_dir: Path) -> None:
    store = stored(data_dir)
    store.save(build("police", last_meeting()))
    pack = make_pack(CASE_REF, store).pack
    assert [c.agency for c in pack.contributors] == ["Housing", "Probation", "Police"]  # this meeting only
    assert [(a.text, a.agency, a.marac_date.isoformat(), a.status) for a in pack.earlier_actions] == [
        ("Serve a stalking protection order application", "Police", "2026-09-10", "proposed"),
        ("Flag the address for a priority response", "Police", "2026-09-10", "proposed"),
    ]
    md = render_pack(pack, "md").decode()
    assert md.index("## Actions from the last meeting not done") < md.index("## Who is not round the table")
    assert "| Dallas Harrow | Enforce | Serve a stalking protection order application | Police | — |" in md
    assert "Serve a stalking" not in json.dumps([p.model_dump(mode="json")["actions"] for p in pack.people])


def test_last_meetings_actions_come_by_their_tracking_not_done_first_and_done_ones_left_out(data_dir: Path) -> None:
    earlier = last_meeting()
    actions = earlier["perpetrators"][0]["actions"]
    actions[0].update(status="in_progress", status_date="2026-11-01", due="2030-01-31")
    actions[1].update(status="done", status_date="2026-10-01")
    actions += [
        {"heading": "support", "text": "Offer a place on a perpetrator programme", "agency": "Probation",
         "status": "agreed", "due": "2026-10-15"},
        {"heading": "manage", "text": "Review the licence conditions", "agency": "Probation", "status": "not_done",
         "status_date": "2026-11-20", "note": "awaiting the hearing", "due": "2030-06-30"},
        {"heading": "disrupt", "text": "Ask for a police welfare visit", "agency": "Police", "status": "proposed"},
    ]  # fmt: skip
    store = stored(data_dir)
    store.save(build("police", earlier))
    listed = [(a.text, a.status, a.overdue) for a in make_pack(CASE_REF, store).pack.earlier_actions]
    assert listed == [
        ("Review the licence conditions", "not_done", False),  # reported not done: first
        ("Offer a place on a perpetrator programme", "agreed", True),  # overdue
        ("Serve a stalking protection order application", "in_progress", False),
        ("Ask for a police welfare visit", "proposed", False),
    ]  # the priority flag is done: not listed
    md = render_pack(make_pack(CASE_REF, store).pack, "md").decode()
    assert ("| Dallas Harrow | Manage | Review the licence conditions | Probation | 30 Jun 2030 | "
            "Not done (reported 20 Nov 2026): awaiting the hearing |") in md
    assert "| 15 Oct 2026 — OVERDUE | Agreed |" in md


def test_last_meetings_pack_given_as_a_file_brings_its_open_actions(data_dir: Path, tmp_path: Path) -> None:
    earlier = build("police", last_meeting())
    previous = make_pack(CASE_REF, stored(tmp_path / "old", {"police": earlier})).pack
    data = previous.to_json()
    tracks = [t for p in data["people"] for h in p["actions"] for a in h["actions"] for t in a["proposed_by"]]
    tracks[1]["status"] = "done"  # the priority flag was done
    old = tmp_path / "last-pack.json"
    old.write_text(json.dumps(data))
    pack = make_pack(CASE_REF, stored(data_dir), [old]).pack
    assert [(a.text, a.heading) for a in pack.earlier_actions] == [
        ("Serve a stalking protection order application", "Enforce")]
