"""Crash-safe file primitives: atomic replace with a last-good backup, durable appends, and the
(optionally sealed) JSON encoding. Every file is created 0600. The TinyDB storage built on them is
in database.py.

A kill at any instant leaves either the old or the new file: the new bytes go to a temporary file in
the same folder, are flushed and fsynced, then `os.replace`d over the old name, and the folder is
fsynced. The previous version can be kept as a backup (a hard link, so it costs no copy).
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from marac_tui.store.crypto import Sealer, is_sealed_file, is_sealed_line
from marac_tui.store.errors import CorruptFile, StoreError

FILE_MODE = 0o600
DIR_MODE = 0o700
TMP_SUFFIX = ".tmp"


def make_private_dirs(folder: Path) -> None:
    """Create `folder` and any missing parents, each 0700 whatever the umask (existing ones are left)."""
    missing = []
    for candidate in [folder, *folder.parents]:
        if candidate.is_dir():
            break
        missing.append(candidate)
    for path in reversed(missing):
        try:
            os.mkdir(path, DIR_MODE)
        except FileExistsError:
            if not path.is_dir():
                raise
            continue
        os.chmod(path, DIR_MODE)  # mkdir's mode is cut by the umask; chmod is not


def fsync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _temp_name(path: Path) -> Path:
    return path.with_name(f".{path.name}.{os.getpid()}.{os.urandom(4).hex()}{TMP_SUFFIX}")


def named(path: Path, exc: OSError) -> OSError:
    """The OS error with the file it concerns (a failed write does not say which file it was)."""
    if exc.filename is not None:
        return exc
    return type(exc)(exc.errno, exc.strerror or str(exc), str(path))


def atomic_write(path: Path, data: bytes, backup: Path | None = None) -> None:
    """Replace `path` by `data` atomically; with `backup`, keep the previous version there."""
    try:
        _atomic_write(path, data, backup)
    except OSError as exc:
        raise named(path, exc) from None


def _atomic_write(path: Path, data: bytes, backup: Path | None) -> None:
    tmp = _temp_name(path)
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE)
    try:
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view) :]
            os.fsync(fd)
        finally:
            os.close(fd)
        if backup is not None and path.exists():
            bak_tmp = _temp_name(backup)
            os.link(path, bak_tmp)
            os.replace(bak_tmp, backup)
            # Renaming over a link to the same file changes nothing and leaves the temporary name:
            # the backup already was this version. Remove that name, or it would outlive a delete.
            bak_tmp.unlink(missing_ok=True)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    fsync_dir(path.parent)


def append_durably(path: Path, data: bytes) -> int:
    """Append whole lines to `path` and fsync; returns the new size.

    If an earlier append was cut short by a crash, the partial line is closed first so that it
    can never swallow the new entry.
    """
    try:
        return _append_durably(path, data)
    except OSError as exc:
        raise named(path, exc) from None


def _append_durably(path: Path, data: bytes) -> int:
    created = not path.exists()
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, FILE_MODE)
    try:
        size = os.fstat(fd).st_size
        if size and _last_byte(path, size) != b"\n":
            data = b"\n" + data
        os.write(fd, data)
        os.fsync(fd)
        size = os.fstat(fd).st_size
    finally:
        os.close(fd)
    if created:
        fsync_dir(path.parent)
    return size


def _last_byte(path: Path, size: int) -> bytes:
    fd = os.open(path, os.O_RDONLY)
    try:
        return os.pread(fd, 1, size - 1)
    finally:
        os.close(fd)


# --- encoding: JSON, sealed with AES-GCM (and padded) when the store is encrypted ----------------


def encode(obj: Any, sealer: Sealer | None, aad: bytes) -> bytes:
    raw = json.dumps(obj, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return sealer.seal_file(raw, aad) if sealer else raw


def decode(raw: bytes, sealer: Sealer | None, aad: bytes, path: Path) -> Any:
    if not raw:
        raise CorruptFile(path, "empty file")
    if is_sealed_file(raw):
        if sealer is None:
            raise StoreError(f"{path}: encrypted, but the store has no passphrase set (is store.json missing?)")
        plain = sealer.open_file(raw, aad)
        if plain is None:
            raise CorruptFile(path, "cannot be decrypted: truncated or altered")
        raw = plain
    elif sealer is not None:
        raise CorruptFile(path, "not encrypted although the store is")
    try:
        return json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise CorruptFile(path, "not valid JSON, perhaps truncated") from None


def encode_line(obj: Any, sealer: Sealer | None, aad: bytes) -> bytes:
    raw = json.dumps(obj, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return (sealer.seal_line(raw, aad) if sealer else raw) + b"\n"


def decode_line(line: bytes, sealer: Sealer | None, aad: bytes) -> Any | None:
    """One log line, or None when it cannot be read (a partial or damaged line, or a sealed line
    in a store without a key)."""
    if sealer is not None:
        plain = sealer.open_line(line, aad)
        if plain is None:
            return None
        line = plain
    elif is_sealed_line(line):
        return None
    try:
        return json.loads(line.decode("utf-8"))
    except (ValueError, UnicodeDecodeError, RecursionError):
        return None


def read_lines(path: Path, sealer: Sealer | None, aad: bytes) -> tuple[list[Any], list[int]]:
    """Every readable entry of a log file, and the 1-based numbers of lines that are not."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return [], []
    entries, bad = [], []
    for number, line in enumerate(raw.split(b"\n"), 1):
        if not line.strip():
            continue
        entry = decode_line(line, sealer, aad)
        if entry is None:
            bad.append(number)
        else:
            entries.append(entry)
    return entries, bad
