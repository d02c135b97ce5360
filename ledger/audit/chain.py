"""The hash chain: each stored event's raw record (position, originator id, version,
topic, stored bytes, still encrypted) is hashed and linked to its predecessor's link:

    record = SHA-256("ppl-ledger/chain/v1" | position | originator | version | topic | state)
    link_n = SHA-256(link_{n-1} | record_n), link_0 = 32 zero bytes

A tracked follower of the notification log appends one row per event; every `interval`
links it signs the head with the unit's Ed25519 key. The chain is a record of what was
stored, so it is never rebuilt from the (possibly altered) current events."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from eventsourcing.persistence import Notification

from projections.base import Projection
from projections.source import Recorded
from projections.sql import Tx

GENESIS = bytes(32)
DEFAULT_INTERVAL = 500


def _field(digest: Any, value: bytes) -> None:
    digest.update(len(value).to_bytes(8, "big"))
    digest.update(value)


def record_hash(n: Notification) -> bytes:
    digest = hashlib.sha256(b"ppl-ledger/chain/v1")
    for part in (str(n.id), str(n.originator_id), str(n.originator_version), n.topic):
        _field(digest, part.encode())
    _field(digest, bytes(n.state))
    return digest.digest()


def link(previous: bytes, record: bytes) -> bytes:
    return hashlib.sha256(previous + record).digest()


def key_id(public_key: Ed25519PublicKey) -> str:
    raw = public_key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return hashlib.sha256(raw).hexdigest()[:16]


@dataclass(frozen=True)
class Checkpoint:
    position: int
    length: int
    chain_hash: str
    signed_at: str
    key_id: str
    signature: str

    def message(self) -> bytes:
        return (f"ppl-ledger checkpoint v1\nposition={self.position}\nlength={self.length}\n"
                f"chain={self.chain_hash}\nsigned_at={self.signed_at}\nkey={self.key_id}"
                ).encode()


def sign(key: Ed25519PrivateKey, position: int, length: int, chain_hash: str,
         at: datetime) -> Checkpoint:
    unsigned = Checkpoint(position, length, chain_hash, at.astimezone(UTC).isoformat(),
                          key_id(key.public_key()), "")
    signature = key.sign(unsigned.message()).hex()
    return Checkpoint(**{**unsigned.__dict__, "signature": signature})


SCHEMA = (
    """CREATE TABLE IF NOT EXISTS audit_chain (
        position BIGINT PRIMARY KEY,
        originator_id TEXT NOT NULL,
        originator_version BIGINT NOT NULL,
        record_hash TEXT NOT NULL,
        chain_hash TEXT NOT NULL,
        length BIGINT NOT NULL
    )""",
    """CREATE TABLE IF NOT EXISTS audit_checkpoints (
        length BIGINT PRIMARY KEY,
        position BIGINT NOT NULL,
        chain_hash TEXT NOT NULL,
        signed_at TEXT NOT NULL,
        key_id TEXT NOT NULL,
        signature TEXT NOT NULL
    )""",
)


def head(tx: Tx) -> tuple[int, bytes, int]:
    """(position, link, length) of the chain's last row; (0, GENESIS, 0) when empty."""
    row = tx.fetchone("SELECT position, chain_hash, length FROM audit_chain "
                      "ORDER BY position DESC LIMIT 1")
    return (int(row[0]), bytes.fromhex(row[1]), int(row[2])) if row else (0, GENESIS, 0)


def save_checkpoint(tx: Tx, checkpoint: Checkpoint) -> None:
    tx.execute("INSERT INTO audit_checkpoints (length, position, chain_hash, signed_at, key_id, "
               "signature) VALUES (%s, %s, %s, %s, %s, %s) ON CONFLICT (length) DO NOTHING",
               (checkpoint.length, checkpoint.position, checkpoint.chain_hash,
                checkpoint.signed_at, checkpoint.key_id, checkpoint.signature))


class AuditChain(Projection):
    name = "audit_chain"
    tables = ("audit_chain", "audit_checkpoints")
    schema = SCHEMA
    reads_state = False
    rebuildable = False

    def __init__(self, signing_key: Ed25519PrivateKey, *, interval: int = DEFAULT_INTERVAL,
                 now: Callable[[], datetime] | None = None) -> None:
        self.signing_key = signing_key
        self.interval = interval
        self.now = now or (lambda: datetime.now(tz=UTC))

    def apply(self, tx: Tx, batch: Sequence[Recorded]) -> None:
        _, previous, length = head(tx)
        rows = []
        for recorded in batch:
            n = recorded.notification
            record = record_hash(n)
            previous = link(previous, record)
            length += 1
            rows.append((n.id, str(n.originator_id), n.originator_version, record.hex(),
                         previous.hex(), length))
            if length % self.interval == 0:
                save_checkpoint(tx, sign(self.signing_key, n.id, length, previous.hex(),
                                         self.now()))
        tx.executemany("INSERT INTO audit_chain (position, originator_id, originator_version, "
                       "record_hash, chain_hash, length) VALUES (%s, %s, %s, %s, %s, %s)", rows)

    def sign_head(self, tx: Tx) -> Checkpoint | None:
        """Signs the chain's head now (e.g. at month end), whatever the interval."""
        position, previous, length = head(tx)
        if length == 0:
            return None
        checkpoint = sign(self.signing_key, position, length, previous.hex(), self.now())
        save_checkpoint(tx, checkpoint)
        return checkpoint


def latest_checkpoint(tx: Tx) -> Checkpoint | None:
    """The most recent signed checkpoint (the longest chain signed)."""
    row = tx.fetchone("SELECT position, length, chain_hash, signed_at, key_id, signature "
                      "FROM audit_checkpoints ORDER BY length DESC LIMIT 1")
    return Checkpoint(int(row[0]), int(row[1]), *row[2:]) if row else None


def signature_valid(checkpoint: Checkpoint, public_key: Ed25519PublicKey) -> bool:
    try:
        public_key.verify(bytes.fromhex(checkpoint.signature), checkpoint.message())
    except (InvalidSignature, ValueError):
        return False
    return True
