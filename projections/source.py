"""The ledger's notification log, read in order: every stored event with its position
(notification id). Events are decoded (decrypted, decompressed) only when asked for."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from eventsourcing.persistence import Mapper, Notification
from eventsourcing.utils import get_topic, resolve_topic

from ledger.application.store import LedgerStore


@cache
def carries_postings(topic: str) -> bool:
    """Whether events of this topic carry double-entry `postings` (every money event)."""
    try:
        cls = resolve_topic(topic)
    except Exception:  # noqa: BLE001 - a topic no longer in the code carries no money we know
        return False
    return any("postings" in getattr(k, "__annotations__", {}) for k in cls.__mro__)


def topics(*classes: type) -> tuple[str, ...]:
    """The stored topics of these event classes (to filter the log in the database)."""
    return tuple(get_topic(cls) for cls in classes)


@dataclass
class Recorded:
    notification: Notification
    mapper: Mapper[Any] = field(repr=False)
    _event: Any = field(default=None, repr=False)

    @property
    def position(self) -> int:
        return int(self.notification.id)

    @property
    def topic(self) -> str:
        return self.notification.topic

    @property
    def event(self) -> Any:
        if self._event is None:
            self._event = self.mapper.to_domain_event(self.notification)
        return self._event


class EventSource:
    def __init__(self, store: LedgerStore) -> None:
        self.recorder = store.recorder
        self.mapper = store.mapper

    def head(self) -> int:
        """The position of the last stored event (0 for an empty store)."""
        return int(self.recorder.max_notification_id() or 0)

    def after(self, position: int, limit: int) -> list[Recorded]:
        notifications = self.recorder.select_notifications(
            start=position, limit=limit, inclusive_of_start=False)
        return [Recorded(n, self.mapper) for n in notifications]

    def all(self, page: int = 1000) -> Iterator[Recorded]:
        position = 0
        while batch := self.after(position, page):
            yield from batch
            position = batch[-1].position

    def between(self, after: int, up_to: int | None = None, of_topics: Sequence[str] = (),
                page: int = 1000) -> Iterator[Recorded]:
        """The events at positions after `after` and up to `up_to` (default: the end),
        only of `of_topics` when given (filtered by the database, never decrypted)."""
        position = after
        while True:
            batch = self.recorder.select_notifications(
                start=position, limit=page, stop=up_to, topics=tuple(of_topics),
                inclusive_of_start=False)
            if not batch:
                return
            for notification in batch:
                yield Recorded(notification, self.mapper)
            position = int(batch[-1].id)
