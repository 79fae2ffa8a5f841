"""Write an export file atomically, private (0600), and never over an existing file unless forced.

Only a new path or an existing regular file can be written: a folder, a FIFO, a device, a socket or a
symbolic link is refused even with `force` (a rename would replace the node itself).
"""

from __future__ import annotations

import os
import stat
import tempfile
from pathlib import Path

from marac_tui.errors import UserError

NAME_MAX = 255  # bytes in one file name on Linux file systems


def _refuse_target(path: Path, force: bool) -> bool:
    """Whether `path` exists (a regular file, and `force`); UserError unless it is that or a new name."""
    if len(os.fsencode(path.name)) > NAME_MAX:
        raise UserError(f"{path.name[:40]}...: the file name is too long ({len(os.fsencode(path.name))} bytes; at most {NAME_MAX})")
    try:
        mode = os.lstat(path).st_mode
    except FileNotFoundError:
        return False
    except OSError as exc:
        raise UserError(f"{path}: cannot write here: {exc.strerror or exc}") from None
    if stat.S_ISDIR(mode):
        raise UserError(f"{path} is a folder; give a file name to write to")
    if not stat.S_ISREG(mode):
        kind = "a symbolic link" if stat.S_ISLNK(mode) else "not a regular file (a pipe, device or socket)"
        raise UserError(f"{path} is {kind}; exports are written only to a new file or over a regular file")
    if not force:
        raise UserError(f"{path} already exists; use --force to overwrite it")
    return True


def write_private(path: Path, data: bytes, force: bool = False) -> Path:
    """Write `data` to `path` through a private temporary file and a rename; UserError if refused."""
    path = Path(path).expanduser()
    _refuse_target(path, force)
    parent = path.parent if str(path.parent) else Path(".")
    if not parent.is_dir():
        raise UserError(f"{parent} is not a folder")
    try:
        fd, tmp = tempfile.mkstemp(dir=parent, prefix=".marac-tui-export-", suffix=".tmp")
    except OSError as exc:
        raise UserError(f"cannot write in {parent}: {exc.strerror or exc}") from None
    try:
        os.fchmod(fd, 0o600)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        _put_in_place(Path(tmp), path, force)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise UserError(f"cannot write {path}: {exc.strerror or exc}") from None
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def _put_in_place(tmp: Path, path: Path, force: bool) -> None:
    """Rename the written file to `path`, checking the target again (it may have changed meanwhile).

    A new name is taken with a hard link, which fails rather than replace a file that appeared.
    """
    if _refuse_target(path, force):
        os.replace(tmp, path)
        return
    try:
        os.link(tmp, path)
    except FileExistsError:
        raise UserError(f"{path} already exists; use --force to overwrite it") from None
    except OSError:  # a file system without hard links (FAT): a plain rename
        os.replace(tmp, path)
        return
    tmp.unlink()
