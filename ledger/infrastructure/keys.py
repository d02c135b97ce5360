"""The unit's keys, kept in one file outside the store (mode 0600).

- cipher_key: AES-256 key for eventsourcing's AESCipher (every stored event);
- vault_key: wraps each person's own key (personal data that can be erased);
- index_key: HMAC key for document fingerprints (document numbers are guessable, so a
  plain hash would not hide them);
- signing_key: the unit's Ed25519 key, for signed audit checkpoints.
"""

from __future__ import annotations

import base64
import json
import os
from dataclasses import dataclass
from pathlib import Path

from cryptography.hazmat.primitives import hashes, hmac, serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey


class KeyFileError(RuntimeError):
    """Start-up cannot go on: the keys are missing or unusable. Never falls back to
    plaintext."""


@dataclass(frozen=True)
class UnitKeys:
    cipher_key: str  # base64, as eventsourcing's AESCipher expects it
    vault_key: bytes
    index_key: bytes
    signing_key: Ed25519PrivateKey

    def fingerprint(self, document: str) -> str:
        normalised = "".join(ch for ch in document.upper() if ch.isalnum())
        mac = hmac.HMAC(self.index_key, hashes.SHA256())
        mac.update(normalised.encode())
        return mac.finalize().hex()


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def create_key_file(path: Path, *, overwrite: bool = False) -> None:
    if path.exists() and not overwrite:
        raise KeyFileError(f"{path} already exists; refusing to replace the unit's keys.")
    path.parent.mkdir(parents=True, exist_ok=True)
    signing = Ed25519PrivateKey.generate().private_bytes(
        serialization.Encoding.Raw, serialization.PrivateFormat.Raw, serialization.NoEncryption()
    )
    payload = {
        "cipher_key": _b64(os.urandom(32)),
        "vault_key": _b64(os.urandom(32)),
        "index_key": _b64(os.urandom(32)),
        "signing_key": _b64(signing),
    }
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as handle:
        json.dump(payload, handle, indent=2)


def load_key_file(path: Path) -> UnitKeys:
    if not path.exists():
        raise KeyFileError(
            f"No key file at {path}. Create one with `ledger keys create` "
            "(or set LEDGER_KEY_FILE). The ledger never runs unencrypted."
        )
    try:
        raw = json.loads(path.read_text())
        keys = UnitKeys(
            cipher_key=raw["cipher_key"],
            vault_key=base64.b64decode(raw["vault_key"], validate=True),
            index_key=base64.b64decode(raw["index_key"], validate=True),
            signing_key=Ed25519PrivateKey.from_private_bytes(
                base64.b64decode(raw["signing_key"], validate=True)
            ),
        )
        if len(base64.b64decode(keys.cipher_key, validate=True)) != 32:
            raise ValueError("cipher_key must be 32 bytes")
        if len(keys.vault_key) != 32 or len(keys.index_key) != 32:
            raise ValueError("vault_key and index_key must be 32 bytes")
    except (ValueError, KeyError, TypeError) as error:
        raise KeyFileError(f"The key file {path} is damaged or incomplete: {error}") from error
    return keys
