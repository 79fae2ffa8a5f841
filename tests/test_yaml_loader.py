"""The one YAML reader behind flows, scenarios and answers files: merge keys, lines, and limits."""

from __future__ import annotations

from pathlib import Path

import pytest

from marac_tui.flow.loader import MAX_DEPTH, YamlError, line_at, load_yaml, read_yaml


def test_merge_keys_work_and_keep_their_lines() -> None:
    data = load_yaml("anchors:\n  pnc: &pnc {source: PNC, checked: 2026-11-20}\nweapons:\n  <<: *pnc\n  value: 'yes'\n", lines=True)
    assert data["weapons"] == {"source": "PNC", "checked": data["anchors"]["pnc"]["checked"], "value": "yes"}
    assert "<<" not in data["weapons"]
    assert line_at(data, ("weapons", "value"))[0] == 5
    assert line_at(data, ("weapons", "source"))[0] == 2  # where the merged value is written


def test_merge_keys_work_without_lines_too() -> None:
    assert load_yaml("a: &a {x: 1}\nb: {<<: *a, y: 2}\n")["b"] == {"x": 1, "y": 2}


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("a: " + "[" * (MAX_DEPTH + 1) + "]" * (MAX_DEPTH + 1), f"nested more than {MAX_DEPTH} levels deep"),
        ("a: &a [1, 2]\n" + "".join(f"l{i}: &l{i} [" + ", ".join([f"*{'a' if i == 0 else f'l{i - 1}'}"] * 10) + "]\n" for i in range(6)),
         "expand to more than 200,000 values"),
        ("a: &a [[[[[[[[[[1]]]]]]]]]]\n" + "".join(f"b{i}: &b{i} [*{'a' if i == 0 else f'b{i - 1}'}]\n" for i in range(60)),
         f"expand to more than {MAX_DEPTH} levels"),
        ("a: &a [*a]", "an anchor refers to itself"),
        ("d: 2023-02-30", "30 February 2023 does not exist"),
        ("n: " + "1" * 5000, "a number of 5000 characters is too long to read"),
        ("? [a]\n: b", "found unhashable key"),
    ],
)
def test_limits_are_yaml_errors_with_a_line(text: str, problem: str) -> None:
    for lines in (False, True):
        with pytest.raises(YamlError) as caught:
            load_yaml(text, lines=lines)
        assert problem in caught.value.message and caught.value.line >= 1


def test_a_file_past_the_size_limit_is_not_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from marac_tui.flow import loader

    monkeypatch.setattr(loader, "MAX_BYTES", 100)
    path = tmp_path / "big.yaml"
    path.write_text("a: " + "x" * 200)
    with pytest.raises(YamlError, match="larger than"):
        read_yaml(path)


def test_scenarios_read_through_the_public_loader() -> None:
    import marac_tui.training.scenarios as scenarios

    assert not [name for name in vars(scenarios) if name.startswith("_Line") or name == "_ScenarioLoader"]
