"""Encryption at rest: AES-256-GCM with a key derived from the passphrase by scrypt.

The store config (`store.json`) holds the salt, the scrypt parameters and a verifier blob (a known
text sealed with the key) so that a wrong passphrase is caught at once. The key is never written.
`cryptography` is imported only when a store is encrypted.
"""

from __future__ import annotations

import base64
import os
from dataclasses import dataclass
from typing import Any

MAGIC = b"MTE1"  # marks a sealed file: magic, 12-byte nonce, ciphertext + tag
NONCE_BYTES = 12
SCRYPT = {"n": 2**15, "r": 8, "p": 1}
_VERIFIER = b"marac-tui store key check"
_VERIFIER_AAD = b"verifier"


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

        if len(blob) < NONCE_BYTES + 16:
            return None
        try:
            return self._aead().decrypt(blob[:NONCE_BYTES], blob[NONCE_BYTES:], aad)
        except InvalidTag:
            return None


def _derive(passphrase: str, salt: bytes, n: int, r: int, p: int) -> bytes:
    from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

    return Scrypt(salt=salt, length=32, n=n, r=r, p=p).derive(passphrase.encode("utf-8"))


def new_encryption(passphrase: str) -> tuple[dict[str, Any], Sealer]:
    """Config for a newly encrypted store (salt, parameters, verifier) and its sealer."""
    salt = os.urandom(16)
    sealer = Sealer(_derive(passphrase, salt, **SCRYPT))
    config = {
        "cipher": "AES-256-GCM",
        "kdf": "scrypt",
        **SCRYPT,
        "salt": base64.b64encode(salt).decode(),
        "verifier": base64.b64encode(sealer.seal(_VERIFIER, _VERIFIER_AAD)).decode(),
    }
    return config, sealer


def unlock(config: dict[str, Any], passphrase: str) -> Sealer | None:
    """The sealer for this passphrase, or None when it is not the store's passphrase."""
    salt = base64.b64decode(config["salt"])
    sealer = Sealer(_derive(passphrase, salt, int(config["n"]), int(config["r"]), int(config["p"])))
    if sealer.open(base64.b64decode(config["verifier"]), _VERIFIER_AAD) != _VERIFIER:
        return None
    return sealer
