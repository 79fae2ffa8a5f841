"""The scenario format with several agencies' parts: one case, each agency with its own flow, brief,
system screens and model. Checked on a small scenario written here (the shipped multi-agency case is
tested in test_training_ormsgate.py); the one-flow scenarios keep working. All names are fictional."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from marac_tui.cli import main
from marac_tui.errors import UserError
from marac_tui.store import Store
from marac_tui.training.compare import compare
from marac_tui.training.scenarios import check_scenario, load_scenario, reset_training, start_training

SHIPPED = Path(__file__).resolve().parents[1] / "flows" / "scenarios"
TWO_PARTS = """# FICTIONAL TRAINING SCENARIO for the tests.
name: {name}
title: Brack Lane (two agencies)
level: 2
fictional: "FICTIONAL TRAINING CASE: all people and places are invented."
summary: Two agencies research the same man.
brief: |
  Referral to the Hollin MARAC, case HM-2026-0007. Research Idris Vane.
parts:
  - flow: mental_health
    brief: You are the trust's safeguarding lead.
    teaching_points: [The disclosure is the key fact.]
    facts:
      - {{system: RiO, subject: Idris Vane, screen: "RiO: open to the CMHT since 01/2026."}}
      - {{system: SystmOne, subject: Idris Vane, screen: "GP: Hollin Surgery."}}
    model:
      case_ref: HM-2026-0007
      marac_date: 2026-12-10
      representative: Rhian Cole
      agency: Hollin Mental Health Trust
      sharing_basis: dpa_safeguarding
      caldicott_consulted: not_required
      more_than_one: "no"
      perpetrators:
        - full_name: Idris Vane
          harm_thoughts: {{value: "yes", source: RiO, checked: 2026-11-30, basis: fact}}
          harm_thoughts_details: {{value: Said he would hurt his ex-partner, source: RiO, checked: 2026-11-30, basis: fact}}
          actions:
            - {{heading: enforce, text: Pass the disclosure to the police, agency: Hollin Mental Health Trust, addresses: [harm_disclosed], suggestion: report_disclosure}}
  - flow: housing
    brief: You are the tenancy officer.
    facts:
      - {{system: Northgate, subject: Idris Vane, screen: "Sole tenant, Flat 9 Brack Lane."}}
    model:
      case_ref: HM-2026-0007
      marac_date: 2026-12-10
      representative: Omar Reyes
      agency: Hollin Homes
      sharing_basis: cda_s115
      more_than_one: "no"
      perpetrators:
        - full_name: Idris Vane
          tenancy_status: {{value: tenant, source: Northgate, checked: 2026-11-30, basis: fact}}
          keys_to_victim_home: {{value: "yes", source: Northgate, checked: 2026-11-30, basis: fact}}
          actions:
            - {{heading: disrupt, text: Change the locks at the victim's home, agency: Hollin Homes, addresses: [home_access], suggestion: change_locks}}
"""


@pytest.fixture
def two_parts(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A shipped-looking scenarios folder holding one two-agency scenario (and nothing else)."""
    folder = tmp_path / "flows" / "scenarios"
    folder.mkdir(parents=True)
    path = folder / "brack-lane.yaml"
    path.write_text(TWO_PARTS.format(name="brack-lane"), encoding="utf-8")
    monkeypatch.setattr("marac_tui.training.scenarios.scenarios_dir", lambda: folder)
    return path


def write(tmp_path: Path, text: str, name: str = "brack-lane") -> Path:
    path = tmp_path / f"{name}.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_scenario_holds_each_agencys_part(two_parts: Path) -> None:
    scenario = load_scenario("brack-lane")
    assert scenario.multi_agency and scenario.flow is None
    assert scenario.agencies() == ["mental_health", "housing"]
    assert scenario.systems() == ["RiO", "SystmOne", "Northgate"]
    assert scenario.systems("housing") == ["Northgate"]
    assert [s.screen for s in scenario.screens("rio")] == ["RiO: open to the CMHT since 01/2026."]
    assert scenario.screens("RiO", "housing") == []
    brief = scenario.brief_for("housing")
    assert brief.startswith("Referral to the Hollin MARAC") and brief.endswith("You are the tenancy officer.")
    assert scenario.part("mental_health").teaching_points == ["The disclosure is the key fact."]


def test_each_part_has_its_own_model_in_its_own_flow(two_parts: Path) -> None:
    scenario = load_scenario("brack-lane")
    models = scenario.models()
    assert {name: m.flow.name for name, m in models.items()} == {"mental_health": "mental_health", "housing": "housing"}
    assert {m.header.case_ref for m in models.values()} == {"HM-2026-0007"}
    assert all(m.training == "brack-lane" and m.position is None for m in models.values())
    assert [r.id for r in models["housing"].perpetrators[0].risks] == ["home_access"]
    for agency, model in models.items():
        assert compare(model, scenario.model_submission(agency), scenario.load_flow(agency)).percent == 100
    assert scenario.model_submission("housing") is not scenario.model_submission("housing")  # fresh copies


def test_choosing_a_part_is_required_and_checked(two_parts: Path) -> None:
    scenario = load_scenario("brack-lane")
    with pytest.raises(UserError, match=r"choose one with --agency \(mental_health, housing\)"):
        scenario.model_submission()
    with pytest.raises(UserError, match="has no part for 'police'; agencies: mental_health, housing"):
        scenario.part("police")


def test_one_flow_scenarios_are_one_part() -> None:
    scenario = load_scenario("linnet-close")
    assert not scenario.multi_agency and scenario.agencies() == ["police"]
    assert scenario.part().flow == "police" and scenario.part("police").facts == scenario.facts
    assert scenario.brief_for() == scenario.brief.strip()
    assert scenario.model_submission().flow.name == "police"
    with pytest.raises(UserError, match="has no part for 'housing'"):
        scenario.part("housing")


def test_a_bad_answer_in_a_part_names_the_part_and_the_line(tmp_path: Path) -> None:
    text = TWO_PARTS.format(name="brack-lane").replace("keys_to_victim_home:", "keys_to_victim_hme:")
    path = write(tmp_path, text)
    scenario, problems = check_scenario(path)
    line = next(n for n, t in enumerate(text.splitlines(), 1) if "keys_to_victim_hme" in t)
    assert scenario is None
    assert str(problems[0]) == (
        f"{path}:{line}: parts[2] (housing): model: perpetrators[1].keys_to_victim_hme: unknown item id in flow 'housing'"
    )


def test_a_part_in_an_unknown_flow_names_its_line(tmp_path: Path) -> None:
    text = TWO_PARTS.format(name="brack-lane").replace("  - flow: housing", "  - flow: housingg")
    path = write(tmp_path, text)
    _, problems = check_scenario(path)
    line = next(n for n, t in enumerate(text.splitlines(), 1) if "flow: housingg" in t)
    assert str(problems[0]).startswith(f"{path}:{line}: parts[2] (housingg): flow: unknown flow 'housingg'")


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda t: t.replace("parts:\n", "flow: police\nparts:\n"), "either parts (one per agency) or flow, facts and model"),
        (lambda t: t.replace("  - flow: housing", "  - flow: mental_health"), "each agency has one part; repeated: ['mental_health']"),
        (lambda t: t[: t.index("parts:")], "a scenario needs flow, facts and model (or parts); missing: flow, model, facts"),
    ],
    ids=["both shapes", "repeated agency", "neither shape"],
)
def test_the_two_shapes_do_not_mix(tmp_path: Path, change, message: str) -> None:
    _, problems = check_scenario(write(tmp_path, change(TWO_PARTS.format(name="brack-lane"))))
    assert message in str(problems[0])


def test_start_and_reset_a_part(two_parts: Path, data_dir: Path) -> None:
    store = Store(data_dir)
    run = start_training(store, "brack-lane", "housing")
    assert run.flow.name == "housing" and run.training == "brack-lane"
    with pytest.raises(UserError, match="choose one with --agency"):
        start_training(store, "brack-lane")
    fresh = reset_training(store, str(run.id))
    assert fresh.flow.name == "housing" and fresh.id == run.id


# --- the command line -------------------------------------------------------------------------------


def run_cli(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_scenarios_lists_the_agencies_of_a_multi_agency_case(two_parts: Path, capsys) -> None:
    code, out, _ = run_cli(capsys, "scenarios")
    assert code == 0 and "brack-lane" in out and "agencies: mental_health, housing" in out
    assert "--agency FLOW" in out
    code, out, _ = run_cli(capsys, "scenarios", "--json")
    assert json.loads(out) == [{"name": "brack-lane", "title": "Brack Lane (two agencies)", "flow": None,
                                "agencies": ["mental_health", "housing"], "level": 2,
                                "summary": "Two agencies research the same man."}]  # fmt: skip


def test_scenario_shows_each_part_and_one_part_on_request(two_parts: Path, capsys) -> None:
    code, out, _ = run_cli(capsys, "scenarios", "brack-lane")
    assert code == 0 and "--agency mental_health" in out and "systems: RiO, SystmOne" in out
    code, out, _ = run_cli(capsys, "scenarios", "brack-lane", "--agency", "housing")
    assert code == 0 and "You are the tenancy officer." in out and "Systems to check: Northgate" in out
    code, out, _ = run_cli(capsys, "scenarios", "brack-lane", "--system", "Northgate")
    assert code == 0 and "=== Northgate — Idris Vane (FICTIONAL) ===" in out
    code, _, err = run_cli(capsys, "scenarios", "brack-lane", "--agency", "housing", "--system", "RiO")
    assert code == 2 and "has no system 'RiO'; systems: Northgate" in err
    code, _, err = run_cli(capsys, "scenarios", "brack-lane", "--agency", "police")
    assert code == 2 and err.count("\n") == 1 and "has no part for 'police'" in err
    code, out, _ = run_cli(capsys, "scenarios", "brack-lane", "--json")
    data = json.loads(out)
    assert data["agencies"] == ["mental_health", "housing"] and [p["flow"] for p in data["parts"]] == data["agencies"]
    assert "model" not in json.dumps(data["parts"])


def test_demo_starts_the_chosen_agencys_part(two_parts: Path, capsys, data_dir: Path) -> None:
    code, out, _ = run_cli(capsys, "demo", "--scenario", "brack-lane", "--agency", "housing", "--no-tui")
    assert code == 0 and "You are the tenancy officer." in out and "Your part: Housing provider" in out
    [row] = Store(data_dir).list()
    assert row.id == out.strip().splitlines()[-1] and row.flow == "housing" and row.training == "brack-lane"
    code, _, err = run_cli(capsys, "demo", "--scenario", "brack-lane", "--no-tui")
    assert code == 2 and err.count("\n") == 1 and "choose one with --agency (mental_health, housing)" in err


def test_a_one_flow_scenario_refuses_another_agency(capsys) -> None:
    code, _, err = run_cli(capsys, "demo", "--scenario", "linnet-close", "--agency", "housing", "--no-tui")
    assert code == 2 and err.count("\n") == 1 and "scenario 'linnet-close' has no part for 'housing'" in err
    code, out, _ = run_cli(capsys, "demo", "--scenario", "linnet-close", "--agency", "police", "--no-tui")
    assert code == 0 and "Your part" not in out


def test_demo_opens_the_app_on_the_part(two_parts: Path, capsys, monkeypatch) -> None:
    opened = {}

    class FakeApp:
        return_code = 0

        def run(self) -> None:
            opened["ran"] = True

    def fake_build_app(store, *, training=None, agency=None, root=None):
        opened.update(training=training, agency=agency)
        return FakeApp()

    monkeypatch.setattr("marac_tui.tui.app.build_app", fake_build_app)
    assert main(["demo", "--scenario", "brack-lane", "--agency", "mental_health"]) == 0
    assert opened == {"training": "brack-lane", "agency": "mental_health", "ran": True}


def test_check_and_compare_take_the_part_of_the_run(two_parts: Path, capsys, data_dir: Path) -> None:
    code, out, _ = run_cli(capsys, "scenarios", "brack-lane", "--check")
    assert code == 0
    assert "the mental_health model runs through the engine and the practice check is quiet" not in out  # it has gaps
    assert "the housing model" in out and "Items not checked" in out
    model = load_scenario("brack-lane").model_submission("housing")
    Store(data_dir).save(model)
    code, out, _ = run_cli(capsys, "compare", str(model.id))
    assert code == 0 and "Brack Lane (two agencies) (Housing provider)" in out and "Overall: 100%" in out
    _, out, _ = run_cli(capsys, "demo", "--scenario", "brack-lane", "--agency", "mental_health", "--no-tui")
    code, out, _ = run_cli(capsys, "compare", out.strip().splitlines()[-1])
    assert code == 0 and "Overall: 0%" in out
    police = load_scenario(str(SHIPPED / "linnet-close.yaml")).model_submission()
    police.training = "brack-lane"
    Store(data_dir).save(police)
    code, _, err = run_cli(capsys, "compare", str(police.id))
    assert code == 2 and "has no part in flow 'police' (it has: mental_health, housing)" in err


def test_plain_mode_plays_a_part(two_parts: Path, data_dir: Path) -> None:
    import io

    from marac_tui.plain.lines import Lines
    from marac_tui.plain.start import open_session

    lines = Lines(io.StringIO(""), io.StringIO())
    session, opening = open_session(Store(data_dir), lines, training="brack-lane", agency="housing")
    assert session.interview.flow.name == "housing" and session.interview.submission.training == "brack-lane"
    said = "\n".join(opening)
    assert "marac-tui plain mode: Housing provider" in said
    assert "Referral to the Hollin MARAC" in said and "You are the tenancy officer." in said
    assert "Sharing from housing records" in said
    with pytest.raises(UserError, match=r"choose one with --agency \(mental_health, housing\)"):
        open_session(Store(data_dir), lines, training="brack-lane")
