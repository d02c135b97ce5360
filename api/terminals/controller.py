"""POS terminals: registered by key, revoked at once."""

from __future__ import annotations

from typing import Any

import msgspec
from litestar import Controller, Request, Response, post

from api.deps import idempotent, ledger_of, principal_of
from api.guards import requires_finance_admin
from api.respond import respond


class TerminalIn(msgspec.Struct, forbid_unknown_fields=True):
    terminal_id: str
    name: str
    public_key: str  # base64 of the raw 32-byte Ed25519 public key


class RevokeIn(msgspec.Struct, forbid_unknown_fields=True):
    reason: str


class TerminalController(Controller):
    path = "/terminals"
    tags = ["terminals"]
    guards = [requires_finance_admin]

    @post("/", sync_to_thread=True)
    def register(self, request: Request[Any, Any, Any],
                 data: TerminalIn) -> Response[dict[str, Any]]:
        """Trusts a terminal's public key; its private key never leaves the terminal."""
        return respond(ledger_of(request).terminals.register(
            terminal_id=data.terminal_id, name=data.name, public_key=data.public_key,
            actor=principal_of(request).actor(), request=idempotent(request, data)))

    @post("/{terminal_id:str}/revoke", sync_to_thread=True)
    def revoke(self, request: Request[Any, Any, Any], terminal_id: str,
               data: RevokeIn) -> Response[dict[str, Any]]:
        """Takes effect at once for every request that follows."""
        return respond(ledger_of(request).terminals.revoke(
            terminal_id, data.reason, principal_of(request).actor(), idempotent(request, data)))
