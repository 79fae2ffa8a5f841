"""Shared fixtures: every test gets its own private data directory."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(autouse=True)
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh store folder, also exported as MARAC_TUI_DATA_DIR for code that reads it."""
    path = tmp_path / "store"
    monkeypatch.setenv("MARAC_TUI_DATA_DIR", str(path))
    monkeypatch.delenv("MARAC_TUI_PASSPHRASE", raising=False)
    return path


@pytest.fixture
def police_flow():
    from marac_tui.flow.loader import load_named

    return load_named("police")
