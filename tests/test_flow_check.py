"""`marac-tui flow check` and `flow diagram`: every problem in a broken flow, with its file and line."""

from __future__ import annotations

from pathlib import Path

import pytest

from marac_tui.cli import main
from marac_tui.flow.loader import FlowError, check_flow, load_flow

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).parent / "fixtures" / "flows"


def line_of(path: Path, text: str, nth: int = 1) -> int:
    """The 1-based line of the nth line containing `text`."""
    hits = [n for n, line in enumerate(path.read_text().splitlines(), 1) if text in line]
    assert len(hits) >= nth, f"{text!r} not in {path}"
    return hits[nth - 1]


def problems_of(name: str) -> list[tuple[int, str]]:
    path = FIXTURES / name
    flow, problems = check_flow(path)
    assert flow is None
    assert all(p.path == path for p in problems)
    return [(p.line, p.message) for p in problems]


@pytest.mark.parametrize("flow", ["police", "probation"])
def test_shipped_flows_pass(flow: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["flow", "check", str(ROOT / "flows" / f"{flow}.yaml")]) == 0
    out = capsys.readouterr()
    assert f"{flow}.yaml: ok ({flow} " in out.out
    assert out.err == ""


def test_broken_references_all_reported_with_lines() -> None:
    path = FIXTURES / "broken_refs.yaml"
    found = problems_of("broken_refs.yaml")
    expected = [
        (line_of(path, "guidance: guidance/no_such_section_file.md"),
         "section 'person', guidance: missing prompt file 'guidance/no_such_section_file.md'"),
        (line_of(path, "- id: full_name", 2), "duplicate item id 'full_name'"),
        (line_of(path, "prompt: guidance/no_such_prompt.md"),
         "item 'weapons': missing prompt file 'guidance/no_such_prompt.md'"),
        (line_of(path, "when: \"weapon == 'yes'\""),
         "item 'weapon_details', when: unknown item 'weapon' in \"weapon == 'yes'\""),
        (line_of(path, "firearms_certificate == 'yes'"),
         "risk 'weapons': unknown item 'firearms_certificate'"),
        (line_of(path, "addresses: [firearms]"), "action 'review': unknown risk 'firearms'"),
        (line_of(path, "heading: disrupt"), "action 'patrol': unknown heading 'disrupt'"),
    ]  # fmt: skip
    assert len(found) == len(expected)
    for (line, message), (want_line, want) in zip(found, expected):
        assert line == want_line
        assert message.startswith(want), message


def test_perpetrator_sections_must_be_contiguous_and_actions_last() -> None:
    path = FIXTURES / "broken_loop.yaml"
    assert problems_of("broken_loop.yaml") == [
        (line_of(path, "- id: actions"), "item 'actions': the actions item must be the last perpetrator item"),
        (line_of(path, "- id: meeting"),
         "section 'meeting': a case section sits between perpetrator sections; "
         "the perpetrator sections must be together, as they run once per perpetrator"),
    ]  # fmt: skip


def test_comparison_with_a_value_the_answer_can_never_take() -> None:
    path = FIXTURES / "broken_values.yaml"
    risk_line = line_of(path, "stalking == True")
    assert problems_of("broken_values.yaml") == [
        (line_of(path, "serial_perpetrator == 'y'"),
         "item 'serial_details', when: 'serial_perpetrator' (yesno) can never be 'y'; its values are yes, no, unknown"),
        (line_of(path, "'on_licence'"),
         "item 'licence_conditions', when: 'supervision_status' (choice) can never be 'on_licence'; "
         "its values are licence, community_order"),
        (line_of(path, "'nmo'"),
         "item 'court_order_details', when: 'court_order_types' (multichoice) can never be 'nmo'; "
         "its values are non_molestation, restraining"),
        (risk_line, "risk 'stalking': 'stalking' (yesno) can never be True; its values are yes, no, unknown"),
        (risk_line, "risk 'stalking': 'serial_perpetrator' (yesno) can never be 'Yes'; its values are yes, no, unknown"),
    ]  # fmt: skip


def test_skip_logic_reading_a_later_answer() -> None:
    path = FIXTURES / "broken_order.yaml"
    assert problems_of("broken_order.yaml") == [
        (line_of(path, "when: \"weapons == 'yes'\""),
         "item 'weapon_details', when: 'weapons' has no answer yet when this is asked, in \"weapons == 'yes'\""),
        (line_of(path, "when: \"loop == 'x'\""),
         "item 'loop', when: 'loop' has no answer yet when this is asked, in \"loop == 'x'\""),
    ]  # fmt: skip


def test_yaml_and_schema_errors_have_lines() -> None:
    assert problems_of("broken_yaml.yaml")[0][1].startswith("not valid YAML")
    path = FIXTURES / "broken_schema.yaml"
    [(line, message)] = problems_of("broken_schema.yaml")
    assert line == line_of(path, "kind: yes_or_no")
    assert message.startswith("item 'weapons', kind: Input should be 'text'")


def test_check_command_prints_every_problem_and_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    good = ROOT / "flows" / "police.yaml"
    bad = FIXTURES / "broken_refs.yaml"
    assert main(["flow", "check", str(good), str(bad)]) == 2
    out = capsys.readouterr()
    assert "police.yaml: ok" in out.out
    lines = out.err.strip().splitlines()
    assert len(lines) == 7
    assert all(line.startswith(f"{bad}:") for line in lines)
    assert "Traceback" not in out.err


def test_load_flow_raises_with_every_problem() -> None:
    with pytest.raises(FlowError) as caught:
        load_flow(FIXTURES / "broken_values.yaml")
    assert len(caught.value.problems) == 5


@pytest.mark.parametrize("flow", ["police", "probation"])
def test_diagram_is_a_mermaid_state_diagram(flow: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["flow", "diagram", flow]) == 0
    out = capsys.readouterr().out
    assert "stateDiagram-v2" in out
    assert "[*] --> case_ref" in out
    # skip logic labels the guarded edges with the named conditions
    assert "serial_perpetrator --> serial_details: answer [when_serial_details]" in out
    # the perpetrator loop: after the actions item, back to the name for the next perpetrator
    assert "actions --> full_name: answer [another_perpetrator & ask_full_name]" in out
    assert "done --> actions: back" in out


def test_diagram_can_show_only_some_moves(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["flow", "diagram", "police", "--trigger", "answer"]) == 0
    out = capsys.readouterr().out
    assert ": answer" in out
    assert ": back" not in out and "| skip" not in out


def test_diagram_of_a_broken_flow_is_a_user_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["flow", "diagram", str(FIXTURES / "broken_loop.yaml")]) == 2
    err = capsys.readouterr().err
    assert err.startswith("marac-tui: error: the flow has problems")
    assert "the actions item must be the last perpetrator item" in err
    assert "Traceback" not in err


def test_an_item_source_must_be_one_of_the_flows_sources(tmp_path: Path) -> None:
    text = (ROOT / "tests" / "fixtures" / "mini.yaml").read_text()
    weapons = '- {id: weapons, kind: yesno, prompt: "Access to weapons?"}'
    assert weapons in text
    path = tmp_path / "mini.yaml"
    path.write_text(text.replace(weapons, '- {id: weapons, kind: yesno, prompt: "Access to weapons?", source: NFLMS}'))
    flow, problems = check_flow(path)
    assert flow is None
    assert [(p.line, p.message) for p in problems] == [
        (line_of(path, "source: NFLMS"), "item 'weapons', source: 'NFLMS' is not one of the flow's sources (PNC, PND)")
    ]
    path.write_text(text.replace(weapons, '- {id: weapons, kind: yesno, prompt: "Access to weapons?", source: PND}'))
    flow, problems = check_flow(path)
    assert flow is not None and flow.item("weapons").source == "PND" and not problems
