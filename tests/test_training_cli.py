"""`marac-tui scenarios`, `demo`, `check` and `compare` as a trainer would run them."""

from __future__ import annotations

import json

import pytest

from marac_tui.cli import main
from marac_tui.store import Store
from marac_tui.training.scenarios import list_scenarios, load_scenario


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def saved_model(data_dir, name: str, agency: str | None = None) -> str:
    model = load_scenario(name).model_submission(agency)
    Store(data_dir).save(model)
    return str(model.id)


def test_scenarios_lists_every_shipped_scenario(capsys):
    code, out, _ = run(capsys, "scenarios")
    assert code == 0
    for scenario in list_scenarios():
        assert scenario.name in out and scenario.title in out
    assert "FICTIONAL" in out
    code, out, _ = run(capsys, "scenarios", "--json")
    assert [row["name"] for row in json.loads(out)] == [s.name for s in list_scenarios()]


def test_scenario_brief_and_system_screens(capsys):
    code, out, _ = run(capsys, "scenarios", "kestrel-reach")
    assert code == 0 and "FICTIONAL" in out and "Callum Brannock" in out and "Systems to check: PNC, PND" in out
    code, out, _ = run(capsys, "scenarios", "kestrel-reach", "--system", "pnd")
    assert code == 0 and "=== PND — Callum Brannock (FICTIONAL) ===" in out and "Drummock Police" in out
    code, _, err = run(capsys, "scenarios", "kestrel-reach", "--system", "DVLA")
    assert code == 2 and err.startswith("marac-tui: error: scenario 'kestrel-reach' has no system 'DVLA'")


def test_demo_without_the_tui_creates_a_training_draft(capsys, data_dir):
    code, out, _ = run(capsys, "demo", "--scenario", "mill-yard", "--no-tui")
    assert code == 0
    assert "Everything in this case is invented" in out and "Glenys Calloway" in out
    submission_id = out.strip().splitlines()[-1]
    [row] = Store(data_dir).list()
    assert row.id == submission_id and row.training == "mill-yard" and row.state == "draft"


def test_demo_defaults_to_the_introductory_scenario(capsys, data_dir):
    code, out, _ = run(capsys, "demo", "--no-tui")
    assert code == 0 and list_scenarios()[0].title in out
    assert Store(data_dir).list()[0].training == list_scenarios()[0].name


def test_demo_opens_the_app_on_the_scenario(capsys, monkeypatch):
    opened = {}

    class FakeApp:
        return_code = 0

        def run(self) -> None:
            opened["ran"] = True

    def fake_build_app(store, *, training=None, agency=None, root=None):
        opened["training"] = training
        return FakeApp()

    monkeypatch.setattr("marac_tui.tui.app.build_app", fake_build_app)
    code, out, _ = run(capsys, "demo", "--scenario", "kestrel-reach")
    assert code == 0 and opened == {"training": "kestrel-reach", "ran": True}
    assert "Hollie Ward" in out


def test_demo_unknown_scenario_is_one_line_error(capsys):
    code, _, err = run(capsys, "demo", "--scenario", "nowhere", "--no-tui")
    assert code == 2 and err.count("\n") == 1 and "unknown scenario 'nowhere'" in err


def test_check_prints_grouped_advice_and_exits_zero(capsys, data_dir):
    _, out, _ = run(capsys, "demo", "--scenario", "linnet-close", "--no-tui")
    submission_id = out.strip().splitlines()[-1]
    code, out, _ = run(capsys, "check", submission_id[:8])
    assert code == 0
    assert "Items not checked\n  Why: A blank item tells the meeting nothing" in out
    assert "More than one perpetrator not confirmed" in out
    assert "  - [Perpetrator 1] Date of birth: not answered yet" in out
    code, out, _ = run(capsys, "check", submission_id, "--json")
    findings = json.loads(out)
    assert code == 0 and {"rule", "item", "perpetrator", "message", "why", "title"} <= set(findings[0])


@pytest.mark.parametrize(("name", "agency"), [(s.name, a) for s in list_scenarios() for a in s.agencies()])
def test_check_is_quiet_on_a_model_submission(capsys, data_dir, name, agency):
    code, out, _ = run(capsys, "check", saved_model(data_dir, name, agency))
    assert code == 0 and "nothing to look at again" in out


def test_compare_a_fresh_training_run(capsys, data_dir):
    _, out, _ = run(capsys, "demo", "--scenario", "kestrel-reach", "--no-tui")
    submission_id = out.strip().splitlines()[-1]
    code, out, _ = run(capsys, "compare", submission_id)
    assert code == 0
    assert "Debrief: Kestrel Reach: the serial perpetrator (fictional training case)" in out
    assert "Overall: 0% of the model submission" in out and "Look again at" in out
    code, out, _ = run(capsys, "compare", submission_id, "--json")
    assert json.loads(out)["percent"] == 0


def test_compare_model_with_named_scenario(capsys, data_dir):
    submission_id = saved_model(data_dir, "mill-yard")
    code, out, _ = run(capsys, "compare", submission_id, "--scenario", "mill-yard", "--details")
    assert code == 0 and "Overall: 100%" in out and "Nothing: this matches the model." in out


def test_compare_needs_a_scenario_for_a_real_submission(capsys, data_dir):
    model = load_scenario("linnet-close").model_submission()
    model.training = None
    Store(data_dir).save(model)
    code, _, err = run(capsys, "compare", str(model.id))
    assert code == 2 and "is not a training run: name one with --scenario NAME" in err


def test_demo_reset_discards_a_training_runs_answers(capsys, data_dir):
    submission_id = saved_model(data_dir, "linnet-close")
    code, out, _ = run(capsys, "demo", "--reset", submission_id[:8])
    assert code == 0 and f"Training run {submission_id[:8]} (linnet-close) reset" in out
    assert Store(data_dir).load(submission_id).answers == {}


@pytest.mark.parametrize("name", [s.name for s in list_scenarios()])
def test_trainers_can_check_a_scenario_model(capsys, name):
    code, out, _ = run(capsys, "scenarios", name, "--check")
    assert code == 0 and "the practice check is quiet" in out


def test_training_modules_never_import_textual():
    import subprocess
    import sys

    script = (
        "import sys; import marac_tui.training, marac_tui.cli.training; "
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'textual'))"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True, timeout=120)
    assert result.stdout.strip() == "[]"
