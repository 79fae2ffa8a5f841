"""Sealed hand-over to the coordinator, in the age format (pyrage), so standard age tools interoperate.

The coordinator makes a key pair once (`marac-tui keys new NAME`: NAME.key, private, and NAME.pub to
hand out). An agency seals its meeting copy to NAME.pub; only NAME.key opens it, and any change to
the file makes it unreadable. The plain text is padded to a multiple of PAD_BYTES before sealing, so
the file's size says little about how much research it holds.
"""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from marac_tui.errors import UserError

AGE_MAGIC = b"age-encryption.org/v1\n"
ARMOR_MAGIC = b"-----BEGIN AGE ENCRYPTED FILE-----"
PAD_BYTES = 4096
MAX_KEY_BYTES = 64 * 1024


class SealError(Exception):
    """A sealed file that cannot be opened with the key given (wrong key, or altered)."""


def is_sealed(raw: bytes) -> bool:
    return raw.startswith(AGE_MAGIC) or raw.lstrip().startswith(ARMOR_MAGIC)


def pad(data: bytes) -> bytes:
    """JSON padded with trailing spaces (still the same JSON) to the next multiple of PAD_BYTES."""
    return data + b" " * (-len(data) % PAD_BYTES)


def seal(data: bytes, recipient: Any) -> bytes:
    import pyrage

    return bytes(pyrage.encrypt(pad(data), [recipient]))


def open_sealed(raw: bytes, identity: Any) -> bytes:
    import pyrage

    if raw.lstrip().startswith(ARMOR_MAGIC):
        raw = _dearmor(raw)
    try:
        return bytes(pyrage.decrypt(raw, [identity]))
    except pyrage.DecryptError as exc:
        if "no matching keys" in str(exc).casefold():
            raise SealError("cannot be opened with this key: sealed for another key, or altered") from None
        raise SealError("damaged or altered since it was sealed; ask for it to be sent again") from None


def _dearmor(raw: bytes) -> bytes:
    import base64
    import binascii

    lines = [line.strip() for line in raw.strip().splitlines()]
    if len(lines) < 2 or lines[-1] != b"-----END AGE ENCRYPTED FILE-----":
        raise SealError("damaged: the armored file is cut short")
    try:
        return base64.b64decode(b"".join(lines[1:-1]), validate=True)
    except binascii.Error:
        raise SealError("damaged: the armored file is not valid base64") from None


def _read_key_file(path: Path, what: str) -> list[str]:
    try:
        with open(path, "rb") as handle:
            raw = handle.read(MAX_KEY_BYTES + 1)
    except OSError as exc:
        raise UserError(f"{path}: cannot read the {what}: {exc.strerror or exc}") from None
    if len(raw) > MAX_KEY_BYTES:
        raise UserError(f"{path}: too large to be an age {what}")
    try:
        text = raw.decode("ascii")
    except UnicodeDecodeError:
        raise UserError(f"{path}: not an age {what}") from None
    return [line.strip() for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")]


def load_identity(path: Path) -> Any:
    """The private key in an age identity file (NAME.key)."""
    import pyrage

    for line in _read_key_file(path, "key"):
        if line.startswith("AGE-SECRET-KEY-1"):
            try:
                return pyrage.x25519.Identity.from_str(line)
            except pyrage.IdentityError:
                raise UserError(f"{path}: not a valid age key (the AGE-SECRET-KEY line is damaged)") from None
    raise UserError(f"{path}: not an age key (no AGE-SECRET-KEY line); give the .key file, not the .pub")


def load_recipient(path: Path) -> Any:
    """The public key in NAME.pub (an `age1…` line, as age-keygen -y prints it)."""
    import pyrage

    for line in _read_key_file(path, "public key"):
        if line.startswith("AGE-SECRET-KEY-"):
            raise UserError(f"{path}: this is a private key; seal to the .pub file, and keep the .key private")
        if line.startswith("age1"):
            try:
                return pyrage.x25519.Recipient.from_str(line)
            except pyrage.RecipientError:
                raise UserError(f"{path}: not a valid age public key (the age1 line is damaged)") from None
    raise UserError(f"{path}: not an age public key (no line starting age1)")


def new_keys(name: str, force: bool = False) -> tuple[Path, Path]:
    """Write NAME.key (0600: the identity, in age-keygen's format) and NAME.pub (the recipient)."""
    import pyrage

    from marac_tui.export.writer import write_private

    base = Path(name).expanduser()
    if not base.name or base.name in (".", ".."):
        raise UserError(f"{name!r}: give a name for the key pair, e.g. coordinator")
    key_path, pub_path = base.with_name(base.name + ".key"), base.with_name(base.name + ".pub")
    for path in (key_path, pub_path):
        if path.exists() and not force:
            raise UserError(f"{path} already exists; a new key would lock out files sealed to the old one")
    identity = pyrage.x25519.Identity.generate()
    public = str(identity.to_public())
    created = datetime.now(timezone.utc).replace(microsecond=0).isoformat()
    key_text = f"# created: {created}\n# public key: {public}\n{identity}\n"
    write_private(key_path, key_text.encode("ascii"), force=force)
    write_private(pub_path, f"{public}\n".encode("ascii"), force=force)
    return key_path, pub_path
