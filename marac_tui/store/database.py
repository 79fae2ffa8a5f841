"""Each submission is one small TinyDB database on the crash-safe files of files.py.

Imported only when a submission is read or written: listing the store (the home screen, `list`)
reads the index alone and does not need TinyDB.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tinydb import TinyDB
from tinydb.middlewares import CachingMiddleware
from tinydb.storages import Storage

from marac_tui.store.crypto import Sealer
from marac_tui.store.errors import CorruptFile
from marac_tui.store.files import atomic_write, decode, encode


class AtomicStorage(Storage):
    """A TinyDB storage that writes atomically, keeps the last good copy, and may encrypt."""

    def __init__(self, path: Path, sealer: Sealer | None = None, aad: bytes = b"", backup: Path | None = None) -> None:
        self.path = Path(path)
        self.sealer = sealer
        self.aad = aad
        self.backup = backup

    def read(self) -> dict[str, Any] | None:
        try:
            raw = self.path.read_bytes()
        except FileNotFoundError:
            return None
        data = decode(raw, self.sealer, self.aad, self.path)
        if not isinstance(data, dict):
            raise CorruptFile(self.path, "not a TinyDB document")
        return data

    def write(self, data: dict[str, Any]) -> None:
        atomic_write(self.path, encode(data, self.sealer, self.aad), backup=self.backup)


class WriteThrough(CachingMiddleware):
    """Read a file once per open database, write every change straight through."""

    WRITE_CACHE_SIZE = 1


def open_db(path: Path, sealer: Sealer | None, aad: bytes, backup: Path) -> TinyDB:
    """A submission's database: `aad` binds its (sealed) content to it, `backup` keeps the last good copy."""
    return TinyDB(path, storage=WriteThrough(AtomicStorage), sealer=sealer, aad=aad, backup=backup)
