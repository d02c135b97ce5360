"""How a terminal signs each request (Ed25519). The server checks the same message:
method, path with query, SHA-256 of the body, time, nonce, terminal id."""

from __future__ import annotations

import base64
import hashlib
import secrets
from datetime import UTC, datetime

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey


def message(method: str, path: str, body: bytes, timestamp: str, nonce: str,
            terminal_id: str) -> bytes:
    digest = hashlib.sha256(body).hexdigest()
    return "\n".join([method.upper(), path, digest, timestamp, nonce, terminal_id]).encode()


def sign(key: Ed25519PrivateKey, terminal_id: str, method: str, path: str, body: bytes,
         now: datetime | None = None) -> dict[str, str]:
    """The headers that prove this terminal sent this exact request, once."""
    timestamp = (now or datetime.now(tz=UTC)).isoformat()
    nonce = secrets.token_urlsafe(16)
    signature = key.sign(message(method, path, body, timestamp, nonce, terminal_id))
    return {
        "X-Terminal-Id": terminal_id,
        "X-Terminal-Timestamp": timestamp,
        "X-Terminal-Nonce": nonce,
        "X-Terminal-Signature": base64.b64encode(signature).decode(),
    }


def public_key_b64(key: Ed25519PrivateKey) -> str:
    raw = key.public_key().public_bytes(serialization.Encoding.Raw,
                                        serialization.PublicFormat.Raw)
    return base64.b64encode(raw).decode()
