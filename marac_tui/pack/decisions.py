"""The Chair's decisions on a case's matches (confirm, split), kept in the store folder so the Chair
screen and `marac-tui pack` agree. One small file per case under `packs/`, 0600, sealed like the rest
of the store when it is encrypted (its name then a keyed digest); it holds record references only,
never names. Deleting a submission drops the decisions that name it (`forget`).
"""

from __future__ import annotations

import hashlib
import hmac
import os
from pathlib import Path
from typing import Any

from marac_tui.pack.gather import case_key
from marac_tui.pack.model import Decision

FOLDER = "packs"


def _paths(store: Any, case_ref: str) -> list[Path]:
    """Where a case's decisions are kept, then where earlier versions kept them.

    The name is a digest of the case reference. In an encrypted store it is keyed (HMAC under a key
    derived from the store's), so someone with the disk cannot confirm a guessed case reference by
    hashing it; a plain store, readable anyway, uses SHA-256, as every store did before."""
    key = case_key(case_ref).encode("utf-8")
    plain = hashlib.sha256(key).hexdigest()[:24]
    sealer = getattr(store, "sealer", None)
    if sealer is None:
        names = [plain]
    else:
        subkey = hmac.new(sealer.key, b"marac-tui pack decision file names", hashlib.sha256).digest()
        names = [hmac.new(subkey, key, hashlib.sha256).hexdigest()[:24], plain]
    return [Path(store.root) / FOLDER / f"{name}.decisions" for name in names]


def _path(store: Any, case_ref: str) -> Path:
    """The case's decisions file as it is now, or where it is to be written."""
    paths = _paths(store, case_ref)
    return next((p for p in paths if p.exists()), paths[0])


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

    path = _paths(store, case_ref)[0]
    if not path.parent.is_dir():
        path.parent.mkdir(mode=DIR_MODE, parents=True, exist_ok=True)
        os.chmod(path.parent, DIR_MODE)
    data = {"decisions": [d.model_dump(mode="json") for d in decisions]}
    new, *older = _paths(store, case_ref)
    atomic_write(new, encode(data, store.sealer, _aad(case_ref)))
    for old in older:  # a file under the name earlier versions gave it
        old.unlink(missing_ok=True)


def forget(store: Any, case_ref: str, sid: str) -> None:
    """Drop every decision that names one of submission `sid`'s records (it is being deleted); the
    case's file goes when no decision is left, so no trace of the submission stays under `packs/`."""
    from marac_tui.store.errors import CorruptFile
    from marac_tui.store.files import fsync_dir

    path = _path(store, case_ref)
    if not path.exists():
        return
    try:
        decisions = load_decisions(store, case_ref)
    except (CorruptFile, ValueError):
        return  # reported by nothing here; a damaged file is left for the Chair to decide again
    kept = [d for d in decisions if sid not in (d.a.split("/")[0], d.b.split("/")[0])]
    if len(kept) == len(decisions):
        return
    if kept:
        save_decisions(store, case_ref, kept)
    else:
        for each in _paths(store, case_ref):
            each.unlink(missing_ok=True)
        fsync_dir(path.parent)


def replace_decision(decisions: list[Decision], new: Decision) -> list[Decision]:
    """The decisions with `new` replacing any earlier word on the same pair."""
    pair = {new.a, new.b}
    return [d for d in decisions if {d.a, d.b} != pair] + [new]
