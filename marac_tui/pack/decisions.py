"""The Chair's decisions on a case's matches (confirm, split), kept in the store folder so the Chair
screen and `marac-tui pack` agree. One small file per case under `packs/`, 0600, sealed like the rest
of the store when it is encrypted; it holds record references only, never names.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path
from typing import Any

from marac_tui.pack.gather import case_key
from marac_tui.pack.model import Decision

FOLDER = "packs"


def _path(store: Any, case_ref: str) -> Path:
    digest = hashlib.sha256(case_key(case_ref).encode("utf-8")).hexdigest()[:24]
    return Path(store.root) / FOLDER / f"{digest}.decisions"


def _aad(case_ref: str) -> bytes:
    return f"pack-decisions:{case_key(case_ref)}".encode()


def load_decisions(store: Any, case_ref: str) -> list[Decision]:
    from marac_tui.store.files import decode

    path = _path(store, case_ref)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return []
    data = decode(raw, store.sealer, _aad(case_ref), path)
    return [Decision.model_validate(d) for d in data.get("decisions", [])] if isinstance(data, dict) else []


def save_decisions(store: Any, case_ref: str, decisions: list[Decision]) -> None:
    from marac_tui.store.files import DIR_MODE, atomic_write, encode

    path = _path(store, case_ref)
    if not path.parent.is_dir():
        path.parent.mkdir(mode=DIR_MODE, parents=True, exist_ok=True)
        os.chmod(path.parent, DIR_MODE)
    data = {"decisions": [d.model_dump(mode="json") for d in decisions]}
    atomic_write(path, encode(data, store.sealer, _aad(case_ref)))


def replace_decision(decisions: list[Decision], new: Decision) -> list[Decision]:
    """The decisions with `new` replacing any earlier word on the same pair."""
    pair = {new.a, new.b}
    return [d for d in decisions if {d.a, d.b} != pair] + [new]
