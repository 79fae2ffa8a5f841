"""Encryption at rest: AES-256-GCM with a key derived from the passphrase by scrypt.

The store config (`store.json`) holds the salt, the scrypt parameters and a verifier blob (a known
text sealed with the key, its additional data binding the cipher, the parameters and the salt), so
that a wrong passphrase, or an altered `store.json`, is caught at once. The key is never written.

Every sealed payload is padded to a size bucket (`bucket`) before sealing, so a file's or a line's
size tells only which bucket it is in, not what was answered. Sealed files start with MAGIC and
sealed lines with LINE_MAGIC, so an encrypted store is recognised as such even without store.json.
`cryptography` is imported only when a store is encrypted.
"""

from __future__ import annotations

import base64
import binascii
import json
import os
import struct
from dataclasses import dataclass
from typing import Any

from marac_tui.store.errors import StoreError

MAGIC = b"MTE2"  # a sealed file: magic, 12-byte nonce, AES-GCM of the padded payload + tag
LEGACY_MAGIC = b"MTE1"  # format 1: the same, unpadded (still read)
LINE_MAGIC = b"MTE2:"  # a sealed line: magic, then base64 of nonce + AES-GCM of the padded payload
NONCE_BYTES = 12
TAG_BYTES = 16
SCRYPT = {"n": 2**17, "r": 8, "p": 1}  # new stores (OWASP's minimum for scrypt); tests may lower it
LEGACY_SCRYPT = {"n": 2**15, "r": 8, "p": 1}  # what format-1 stores were made with; still opened
MIN_N, MAX_N = 2**15, 2**20  # what an existing store.json may ask for (below: too weak; above: a memory bomb)
MIN_BUCKET = 1024  # bytes of padded plaintext, at least
_LENGTH = struct.Struct(">I")
_VERIFIER = b"marac-tui store key check"
_LEGACY_VERIFIER_AAD = b"verifier"


def bucket(size: int) -> int:
    """The padded size for `size` bytes of payload: MIN_BUCKET, else the next power of two (up to
    1 MiB), else the next whole MiB. Sizes then say little more than "small", "bigger", "big"."""
    if size <= MIN_BUCKET:
        return MIN_BUCKET
    if size <= 1 << 20:
        return 1 << (size - 1).bit_length()
    return -(-size // (1 << 20)) * (1 << 20)


def pad(data: bytes) -> bytes:
    """`data` with its length in front and zeros after, to its bucket's size."""
    body = _LENGTH.pack(len(data)) + data
    return body + bytes(bucket(len(body)) - len(body))


def unpad(padded: bytes) -> bytes | None:
    if len(padded) < _LENGTH.size:
        return None
    (length,) = _LENGTH.unpack_from(padded)
    if length > len(padded) - _LENGTH.size:
        return None
    return padded[_LENGTH.size : _LENGTH.size + length]


@dataclass(frozen=True)
class Sealer:
    """Seals and opens bytes with one AES-GCM key; `aad` binds a blob to its place in the store."""

    key: bytes

    def _aead(self):  # noqa: ANN202
        from cryptography.hazmat.primitives.ciphers.aead import AESGCM

        return AESGCM(self.key)

    def seal(self, data: bytes, aad: bytes) -> bytes:
        nonce = os.urandom(NONCE_BYTES)
        return nonce + self._aead().encrypt(nonce, data, aad)

    def open(self, blob: bytes, aad: bytes) -> bytes | None:
        """The plain bytes, or None when the blob is truncated, altered or sealed with another key."""
        from cryptography.exceptions import InvalidTag

        if len(blob) < NONCE_BYTES + TAG_BYTES:
            return None
        try:
            return self._aead().decrypt(blob[:NONCE_BYTES], blob[NONCE_BYTES:], aad)
        except InvalidTag:
            return None

    def seal_file(self, data: bytes, aad: bytes) -> bytes:
        return MAGIC + self.seal(pad(data), aad)

    def open_file(self, raw: bytes, aad: bytes) -> bytes | None:
        if raw.startswith(MAGIC):
            padded = self.open(raw[len(MAGIC) :], aad)
            return None if padded is None else unpad(padded)
        return self.open(raw[len(LEGACY_MAGIC) :], aad)

    def seal_line(self, data: bytes, aad: bytes) -> bytes:
        return LINE_MAGIC + base64.b64encode(self.seal(pad(data), aad))

    def open_line(self, line: bytes, aad: bytes) -> bytes | None:
        padded = line.startswith(LINE_MAGIC)
        try:
            blob = base64.b64decode(line[len(LINE_MAGIC) :] if padded else line, validate=True)
        except (ValueError, binascii.Error):
            return None
        plain = self.open(blob, aad)
        return unpad(plain) if plain is not None and padded else plain


def is_sealed_file(raw: bytes) -> bool:
    return raw.startswith((MAGIC, LEGACY_MAGIC))


def is_sealed_line(line: bytes) -> bool:
    """A sealed line: marked (format 2), or base64 (format 1); a plain line is a JSON object."""
    line = line.strip()
    return bool(line) and not line.startswith(b"{")


def _derive(passphrase: str, salt: bytes, n: int, r: int, p: int) -> bytes:
    from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

    return Scrypt(salt=salt, length=32, n=n, r=r, p=p).derive(passphrase.encode("utf-8", "surrogateescape"))


def _verifier_aad(config: dict[str, Any]) -> bytes:
    """What the verifier's tag authenticates: the cipher, the KDF and its parameters, the salt."""
    bound = {k: config[k] for k in ("cipher", "kdf", "n", "r", "p", "salt")}
    return b"verifier:" + json.dumps(bound, sort_keys=True, separators=(",", ":")).encode()


def new_encryption(passphrase: str) -> tuple[dict[str, Any], Sealer]:
    """Config for a newly encrypted store (salt, parameters, verifier) and its sealer."""
    salt = os.urandom(16)
    params = dict(SCRYPT)
    sealer = Sealer(_derive(passphrase, salt, **params))
    config: dict[str, Any] = {"cipher": "AES-256-GCM", "kdf": "scrypt", **params, "salt": base64.b64encode(salt).decode()}
    config["verifier"] = base64.b64encode(sealer.seal(_VERIFIER, _verifier_aad(config))).decode()
    return config, sealer


def checked_parameters(config: Any, where: str) -> tuple[bytes, dict[str, int], bytes]:
    """Salt, scrypt parameters and verifier of an encryption config, or a one-line StoreError if any is
    missing, malformed or outside what marac-tui accepts (a weakened or a memory-bomb store.json)."""
    problem = f"{where}: the encryption settings are damaged or were altered; nothing was read or changed"
    if not isinstance(config, dict) or config.get("cipher") != "AES-256-GCM" or config.get("kdf") != "scrypt":
        raise StoreError(problem)
    n, r, p = (config.get(k) for k in ("n", "r", "p"))
    if not (type(n) is int and type(r) is int and type(p) is int):
        raise StoreError(problem)
    params = {"n": n, "r": r, "p": p}
    floor = min(MIN_N, SCRYPT["n"])  # tests may lower SCRYPT below the product's floor
    if n & (n - 1) or not floor <= n <= MAX_N or not 1 <= r <= 16 or not 1 <= p <= 4 or 128 * n * r > 1 << 30:
        raise StoreError(
            f"{where}: the key parameters (n={n}, r={r}, p={p}) are outside what marac-tui accepts "
            f"(n a power of two from 2^{floor.bit_length() - 1} to 2^20); store.json was damaged or altered, "
            "nothing was read or changed"
        )
    try:
        salt = base64.b64decode(str(config.get("salt")), validate=True)
        verifier = base64.b64decode(str(config.get("verifier")), validate=True)
    except (ValueError, binascii.Error):
        raise StoreError(problem) from None
    if len(salt) < 16:
        raise StoreError(problem)
    return salt, params, verifier


def unlock(config: dict[str, Any], passphrase: str, where: str = "store.json", legacy: bool = False) -> Sealer | None:
    """The sealer for this passphrase, or None when it is not the store's passphrase (or store.json's
    bound settings were changed). `legacy`: a format-1 store, whose verifier binds nothing."""
    salt, params, verifier = checked_parameters(config, where)
    sealer = Sealer(_derive(passphrase, salt, **params))
    aad = _LEGACY_VERIFIER_AAD if legacy else _verifier_aad(config)
    if sealer.open(verifier, aad) != _VERIFIER:
        return None
    return sealer
