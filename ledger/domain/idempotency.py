"""The answer to a money-changing request, stored in the same atomic save as its events.

A retry with the same key finds this record and gets the original answer; a different
body under the same key is refused. Two racing first attempts both try to create the
record at version 1: the store lets exactly one win.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from eventsourcing.domain import Aggregate


class IdempotencyRecord(Aggregate):
    class Recorded(Aggregate.Created):
        scope: str
        key: str
        fingerprint: str
        status_code: int
        response: dict[str, Any]

    def __init__(
        self, scope: str, key: str, fingerprint: str, status_code: int, response: dict[str, Any]
    ) -> None:
        self.scope = scope
        self.key = key
        self.fingerprint = fingerprint
        self.status_code = status_code
        self.response = response

    @classmethod
    def record(
        cls, record_id: Any, *, scope: str, key: str, fingerprint: str, status_code: int,
        response: dict[str, Any], at: datetime
    ) -> IdempotencyRecord:
        return cls._create(cls.Recorded, id=record_id, scope=scope, key=key,
                           fingerprint=fingerprint, status_code=status_code, response=response,
                           timestamp=at)
