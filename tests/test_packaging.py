"""The installed package carries its flows and prompts; the core never imports the UI."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[1]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(out), str(ROOT)],
        check=True, capture_output=True, timeout=600,
    )  # fmt: skip
    return next(out.glob("marac_tui-*.whl"))


@pytest.mark.slow
def test_wheel_ships_every_flow_and_prompt(wheel: Path):
    names = set(zipfile.ZipFile(wheel).namelist())
    for folder in ("flows", "prompts"):
        for path in (ROOT / folder).rglob("*"):
            if path.is_file():
                assert f"marac_tui/{path.relative_to(ROOT).as_posix()}" in names


@pytest.mark.slow
def test_non_editable_install_finds_its_flows(wheel: Path, tmp_path: Path):
    target = tmp_path / "site"
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--target", str(target), str(wheel)],
        check=True, capture_output=True, timeout=600,
    )  # fmt: skip
    script = (
        "import marac_tui.paths as p; from marac_tui.flow.loader import load_named; "
        "print(p.flows_dir()); print(load_named('police').title)"
    )
    env = {**os.environ, "PYTHONPATH": str(target)}
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=tmp_path, env=env, capture_output=True, text=True, check=True, timeout=120
    )
    flows_dir, title = result.stdout.splitlines()
    assert Path(flows_dir) == target / "marac_tui" / "flows"
    assert title == "Police researcher"


def test_engine_store_and_exports_never_import_textual():
    script = (
        "import sys; import marac_tui.engine.interview, marac_tui.engine.headless, marac_tui.store, "
        "marac_tui.flow.loader, marac_tui.cli; "
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('textual', 'rich')))"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True, timeout=120)
    assert result.stdout.strip() == "[]"
