"""Uniqueness by natural key: an index aggregate whose id derives from the key. Creating
it in the same atomic save as the thing it indexes makes a duplicate a store conflict."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from eventsourcing.domain import Aggregate


class DocumentIndex(Aggregate):
    """Maps a document fingerprint to the depositor or PPL account that holds it."""

    class Indexed(Aggregate.Created):
        kind: str
        target: str

    def __init__(self, kind: str, target: str) -> None:
        self.kind = kind
        self.target = target

    @classmethod
    def point(cls, index_id: Any, *, kind: str, target: str, at: datetime) -> DocumentIndex:
        return cls._create(cls.Indexed, id=index_id, kind=kind, target=target, timestamp=at)
