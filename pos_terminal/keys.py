"""The terminal's own Ed25519 private key: created once on the terminal (mode 0600), never
sent anywhere; the administrator registers only its public key (POST /terminals)."""

from __future__ import annotations

import os
import stat
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from pos_terminal.signing import public_key_b64


class TerminalKeyError(Exception):
    """The key file is missing, unreadable, not Ed25519, or readable by others."""

    def __init__(self, code: str, path: Path, reason: str = "") -> None:
        super().__init__(f"{path}: {code} {reason}".strip())
        self.code, self.path, self.reason = code, path, reason


def create_key_file(path: Path) -> str:
    """Writes a new private key (refusing to overwrite one); returns the public key."""
    key = Ed25519PrivateKey.generate()
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                            serialization.NoEncryption())
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        raise TerminalKeyError("exists", path) from None
    with os.fdopen(fd, "wb") as handle:
        handle.write(pem)
        handle.flush()
        os.fsync(handle.fileno())
    os.chmod(path, 0o600)
    return public_key_b64(key)


def load_key_file(path: Path) -> Ed25519PrivateKey:
    try:
        mode = stat.S_IMODE(path.stat().st_mode)
        data = path.read_bytes()
    except OSError as error:
        raise TerminalKeyError("unreadable", path, error.strerror or str(error)) from None
    if mode & 0o077:
        raise TerminalKeyError("too_open", path, oct(mode))
    try:
        key = serialization.load_pem_private_key(data, password=None)
    except (ValueError, TypeError) as error:
        raise TerminalKeyError("unreadable", path, str(error)) from None
    if not isinstance(key, Ed25519PrivateKey):
        raise TerminalKeyError("unreadable", path, "not an Ed25519 key")
    return key
