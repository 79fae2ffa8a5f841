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


@pytest.fixture(autouse=True)
def quick_key_derivation(monkeypatch: pytest.MonkeyPatch) -> None:
    """The test-only route to cheaper encrypted stores: stores created in a test process use scrypt
    at N=2^15 (the old default, the floor any store may have) instead of the product's 2^17, so the
    suite stays quick. Subprocesses (the real command line) keep the product's 2^17."""
    from marac_tui.store import crypto

    monkeypatch.setattr(crypto, "SCRYPT", dict(crypto.LEGACY_SCRYPT))


@pytest.fixture
def police_flow():
    from marac_tui.flow.loader import load_named

    return load_named("police")
