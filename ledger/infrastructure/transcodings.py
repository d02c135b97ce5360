"""How our value objects are written into stored events."""

from __future__ import annotations

from typing import Any

from eventsourcing.persistence import Transcoding

from ledger.domain.actor import Actor, Channel, Role
from ledger.domain.postings import Posting

# Looked up by value in a dict: Role(value) costs microseconds, and every stored event
# carries an actor (a statement decodes thousands of them).
_ROLES = {role.value: role for role in Role}
_CHANNELS = {channel.value: channel for channel in Channel}


class PostingAsList(Transcoding):
    type = Posting
    name = "posting"

    def encode(self, obj: Posting) -> list[Any]:
        return [obj.account, obj.amount_minor]

    def decode(self, data: list[Any]) -> Posting:
        return Posting(data[0], data[1])


class ActorAsDict(Transcoding):
    type = Actor
    name = "actor"

    def encode(self, obj: Actor) -> dict[str, Any]:
        return {
            "user_id": obj.user_id,
            "role": obj.role.value,
            "channel": obj.channel.value,
            "terminal_id": obj.terminal_id,
        }

    def decode(self, data: dict[str, Any]) -> Actor:
        return Actor(
            user_id=data["user_id"],
            role=_ROLES[data["role"]],
            channel=_CHANNELS[data["channel"]],
            terminal_id=data["terminal_id"],
        )
