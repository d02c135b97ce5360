"""POS terminals the unit trusts by key. Each request a terminal sends is signed with its
Ed25519 private key over: method, path (with query), SHA-256 of the body, time, nonce and
terminal id. The server refuses an unknown or revoked terminal, a bad signature, a time
more than FRESHNESS_SECONDS away from its own clock, and a nonce it has seen before."""

from __future__ import annotations

import base64
import binascii
import hashlib
from datetime import UTC, datetime, timedelta
from time import monotonic
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from ledger.application.context import Context, check_text
from ledger.application.idempotency import IdempotentRequest, Outcome
from ledger.domain.actor import Actor
from ledger.domain.errors import Conflict, InvalidInput, NotFound, Unauthenticated
from ledger.domain.ids import terminal_id as terminal_aggregate_id
from ledger.domain.terminal import Terminal

FRESHNESS_SECONDS = 120
NONCE_TTL = timedelta(seconds=2 * FRESHNESS_SECONDS)
SWEEP_EVERY = timedelta(seconds=30)
# A trusted terminal's key is kept in memory this long before its record is read again:
# a revocation takes effect at once in the process that revoked, and within this window
# in any other worker process.
TRUST_RECHECK_SECONDS = 1.0

_NONCES = """CREATE TABLE IF NOT EXISTS terminal_nonces (
    terminal_id TEXT NOT NULL,
    nonce TEXT NOT NULL,
    seen_at TEXT NOT NULL,
    PRIMARY KEY (terminal_id, nonce)
)"""


def signed_message(method: str, path: str, body: bytes, timestamp: str, nonce: str,
                   terminal: str) -> bytes:
    digest = hashlib.sha256(body).hexdigest()
    return "\n".join([method.upper(), path, digest, timestamp, nonce, terminal]).encode()


def _refused(code: str, es: str, en: str) -> Unauthenticated:
    return Unauthenticated(code, field="X-Terminal-Signature", es=es, en=en)


class Terminals:
    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self._swept_at: datetime | None = None
        self._trusted: dict[str, tuple[Ed25519PublicKey, float]] = {}  # id -> key, read at
        ctx.side.execute(_NONCES)

    def register(self, *, terminal_id: str, name: str, public_key: str, actor: Actor,
                 request: IdempotentRequest | None) -> Outcome:
        """Trusts a terminal's public key (base64 of the raw 32 bytes)."""
        terminal_id = check_text(terminal_id, "terminal_id", max_length=40)
        name = check_text(name, "name", max_length=80)
        try:
            raw = base64.b64decode(public_key, validate=True)
            Ed25519PublicKey.from_public_bytes(raw)
        except (binascii.Error, ValueError, TypeError):
            raise InvalidInput("public_key_invalid", field="public_key",
                               es="La clave pública debe ser Ed25519 (32 bytes en base64).",
                               en="The public key must be Ed25519 (32 bytes, base64).") from None

        def decide() -> Any:
            if self.ctx.store.find(terminal_aggregate_id(terminal_id)) is not None:
                raise Conflict("terminal_exists", field="terminal_id",
                               es="Ya hay una terminal con ese identificador.",
                               en="A terminal with that id already exists.")
            terminal = Terminal.register(terminal_aggregate_id(terminal_id),
                                         terminal_id=terminal_id, name=name,
                                         public_key=public_key, actor=actor,
                                         at=self.ctx.clock.now())
            return [terminal], Outcome(201, {"terminal_id": terminal_id, "name": name,
                                             "revoked": False})

        return self.ctx.run(request, decide)

    def revoke(self, terminal_id: str, reason: str, actor: Actor,
               request: IdempotentRequest | None) -> Outcome:
        """Takes effect at once: the next request signed by this terminal is refused."""
        reason = check_text(reason, "reason")

        def decide() -> Any:
            terminal = self._find(terminal_id)
            terminal.revoke(reason, actor, self.ctx.clock.now())
            return [terminal], Outcome(200, {"terminal_id": terminal_id,
                                             "name": terminal.name, "revoked": True})

        outcome = self.ctx.run(request, decide)
        self._trusted.pop(terminal_id, None)
        return outcome

    def _find(self, terminal_id: str) -> Terminal:
        terminal = self.ctx.store.find(terminal_aggregate_id(terminal_id))
        if not isinstance(terminal, Terminal):
            raise NotFound("terminal_not_found", field="terminal_id",
                           es="No existe esa terminal.", en="No such terminal.")
        return terminal

    def verify(self, *, terminal_id: str | None, timestamp: str | None, nonce: str | None,
               signature: str | None, method: str, path: str, body: bytes) -> str:
        """Returns the terminal id of a correctly signed, fresh, first-seen request."""
        if not (terminal_id and timestamp and nonce and signature):
            raise _refused("terminal_signature_missing",
                           "Esta operación solo se hace desde una terminal registrada "
                           "(faltan las cabeceras de firma).",
                           "This operation needs a registered terminal (signature headers "
                           "missing).")
        key = self._trusted_key(terminal_id)
        if key is None:
            raise _refused("terminal_not_trusted",
                           "La terminal no está registrada o fue revocada.",
                           "The terminal is unknown or revoked.")
        now = self.ctx.clock.now()
        try:
            sent = datetime.fromisoformat(timestamp)
            if sent.tzinfo is None:
                raise ValueError
        except ValueError:
            raise _refused("terminal_signature_stale", "La hora de la firma no es válida.",
                           "The signature time is not valid.") from None
        if abs((now - sent).total_seconds()) > FRESHNESS_SECONDS:
            raise _refused("terminal_signature_stale",
                           "La firma está vencida: revise la hora de la terminal.",
                           "The signature is stale: check the terminal's clock.")
        try:
            key.verify(base64.b64decode(signature, validate=True),
                       signed_message(method, path, body, timestamp, nonce, terminal_id))
        except (InvalidSignature, binascii.Error, ValueError):
            raise _refused("terminal_signature_invalid", "La firma de la terminal no es válida.",
                           "The terminal's signature is not valid.") from None
        self._remember(terminal_id, nonce, now)
        return terminal_id

    def _trusted_key(self, terminal_id: str) -> Ed25519PublicKey | None:
        """The public key of a registered, unrevoked terminal; None otherwise."""
        seen = self._trusted.get(terminal_id)
        if seen is not None and monotonic() - seen[1] <= TRUST_RECHECK_SECONDS:
            return seen[0]
        terminal = self.ctx.store.read(terminal_aggregate_id(terminal_id))
        if not isinstance(terminal, Terminal) or terminal.revoked:
            self._trusted.pop(terminal_id, None)
            return None
        key = Ed25519PublicKey.from_public_bytes(base64.b64decode(terminal.public_key))
        self._trusted[terminal_id] = (key, monotonic())
        return key

    def _remember(self, terminal_id: str, nonce: str, now: datetime) -> None:
        # Expired nonces are swept at most every SWEEP_EVERY, not on every request: the
        # replay check does not need them gone, only the table's size does.
        if self._swept_at is None or now - self._swept_at >= SWEEP_EVERY:
            self.ctx.side.execute("DELETE FROM terminal_nonces WHERE seen_at < %s",
                                  ((now - NONCE_TTL).astimezone(UTC).isoformat(),))
            self._swept_at = now
        inserted = self.ctx.side.execute(
            "INSERT INTO terminal_nonces (terminal_id, nonce, seen_at) VALUES (%s, %s, %s) "
            "ON CONFLICT DO NOTHING",
            (terminal_id, nonce[:100], now.astimezone(UTC).isoformat()))
        if inserted == 0:
            raise _refused("terminal_signature_replayed",
                           "Esta solicitud firmada ya fue recibida (repetición).",
                           "This signed request was already received (replay).")
