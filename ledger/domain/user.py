"""A person who signs in: staff in a role, or a depositor (family member)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from eventsourcing.domain import Aggregate

from ledger.domain.actor import Actor
from ledger.domain.errors import Conflict


class User(Aggregate):
    class Created(Aggregate.Created):
        username: str
        role: str
        password_hash: str
        depositor_id: str | None
        actor: Actor

    class Event(Aggregate.Event):
        actor: Actor

    class PasswordChanged(Event):
        password_hash: str

        def apply(self, aggregate: User) -> None:
            aggregate.password_hash = self.password_hash

    class Disabled(Event):
        reason: str

        def apply(self, aggregate: User) -> None:
            aggregate.active = False

    def __init__(
        self, username: str, role: str, password_hash: str, depositor_id: str | None,
        actor: Actor
    ) -> None:
        self.username = username
        self.role = role
        self.password_hash = password_hash
        self.depositor_id = depositor_id
        self.active = True

    @classmethod
    def create(
        cls, user_id: Any, *, username: str, role: str, password_hash: str,
        depositor_id: str | None, actor: Actor, at: datetime
    ) -> User:
        return cls._create(cls.Created, id=user_id, username=username, role=role,
                           password_hash=password_hash, depositor_id=depositor_id, actor=actor,
                           timestamp=at)

    def change_password(self, password_hash: str, actor: Actor, at: datetime) -> None:
        self.trigger_event(self.PasswordChanged, password_hash=password_hash, actor=actor,
                           timestamp=at)

    def disable(self, reason: str, actor: Actor, at: datetime) -> None:
        if not self.active:
            raise Conflict("user_already_disabled", es="El usuario ya está deshabilitado.",
                           en="The user is already disabled.")
        self.trigger_event(self.Disabled, reason=reason, actor=actor, timestamp=at)
