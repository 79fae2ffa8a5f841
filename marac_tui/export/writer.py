"""Write an export file atomically, private (0600), and never over an existing file unless forced."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from marac_tui.errors import UserError


def write_private(path: Path, data: bytes, force: bool = False) -> Path:
    """Write `data` to `path` through a private temporary file and a rename; UserError if refused."""
    path = Path(path).expanduser()
    if path.is_dir():
        raise UserError(f"{path} is a folder; give a file name to write to")
    if path.exists() and not force:
        raise UserError(f"{path} already exists; use --force to overwrite it")
    parent = path.parent if str(path.parent) else Path(".")
    if not parent.is_dir():
        raise UserError(f"{parent} is not a folder")
    try:
        fd, tmp = tempfile.mkstemp(dir=parent, prefix=f".{path.name}.", suffix=".tmp")
    except OSError as exc:
        raise UserError(f"cannot write in {parent}: {exc.strerror or exc}") from None
    try:
        os.fchmod(fd, 0o600)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise UserError(f"cannot write {path}: {exc.strerror or exc}") from None
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path
