"""Write an export file atomically, private (0600), and never over an existing file unless forced."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from marac_tui.errors import UserError


def write_private(path: Path, data: bytes, force: bool = False) -> Path:
    path = Path(path)
    if path.exists() and not force:
        raise UserError(f"{path} already exists; use --force to overwrite it")
    parent = path.parent if str(path.parent) else Path(".")
    if not parent.is_dir():
        raise UserError(f"{parent} is not a folder")
    fd, tmp = tempfile.mkstemp(dir=parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        os.fchmod(fd, 0o600)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path
