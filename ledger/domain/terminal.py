"""A POS terminal the unit trusts by its Ed25519 public key. Revocation is an event:
the next request signed by that key is refused."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from eventsourcing.domain import Aggregate

from ledger.domain.actor import Actor
from ledger.domain.errors import Conflict


class Terminal(Aggregate):
    class Registered(Aggregate.Created):
        terminal_id: str
        name: str
        public_key: str  # base64 of the raw 32-byte Ed25519 public key
        actor: Actor

    class Revoked(Aggregate.Event):
        reason: str
        actor: Actor

        def apply(self, aggregate: Terminal) -> None:
            aggregate.revoked = True

    def __init__(self, terminal_id: str, name: str, public_key: str, actor: Actor) -> None:
        self.terminal_id = terminal_id
        self.name = name
        self.public_key = public_key
        self.revoked = False

    @classmethod
    def register(cls, aggregate_id: Any, *, terminal_id: str, name: str, public_key: str,
                 actor: Actor, at: datetime) -> Terminal:
        return cls._create(cls.Registered, id=aggregate_id, terminal_id=terminal_id, name=name,
                           public_key=public_key, actor=actor, timestamp=at)

    def revoke(self, reason: str, actor: Actor, at: datetime) -> None:
        if self.revoked:
            raise Conflict("terminal_already_revoked", field="terminal_id",
                           es="La terminal ya está revocada.",
                           en="The terminal is already revoked.")
        self.trigger_event(self.Revoked, reason=reason, actor=actor, timestamp=at)
