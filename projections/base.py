"""What a projection is: a name, the tables it owns, and how a batch of recorded events
changes them. The runner calls `apply` inside the transaction that also records the
projection's new position, so a batch counts entirely or not at all."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Sequence
from typing import Any, ClassVar

from projections.source import Recorded
from projections.sql import Tx


class Projection(ABC):
    name: ClassVar[str]
    # Tables this projection owns: created on start, emptied on rebuild.
    tables: ClassVar[tuple[str, ...]]
    schema: ClassVar[tuple[str, ...]]
    # False when the projection needs only the raw stored record (no decryption).
    reads_state: ClassVar[bool] = True
    # False for a record that must never be recomputed from the current events.
    rebuildable: ClassVar[bool] = True
    # The topics this projection reads; None: every topic.
    watched: ClassVar[frozenset[str] | None] = None

    def wants(self, topic: str) -> bool:
        """Whether events of this topic change this projection (the runner decrypts and
        decodes only those; the others just move the position)."""
        return self.watched is None or topic in self.watched

    def wanted(self, batch: Sequence[Recorded]) -> list[Any]:
        """The decoded events of `batch` that this projection reads."""
        return [recorded.event for recorded in batch if self.wants(recorded.topic)]

    def create(self, tx: Tx) -> None:
        for statement in self.schema:
            tx.execute(statement)

    def reset(self, tx: Tx) -> None:
        for table in self.tables:
            tx.execute(f"DELETE FROM {table}")  # noqa: S608 - table names are constants

    @abstractmethod
    def apply(self, tx: Tx, batch: Sequence[Recorded]) -> None:
        """Writes what `batch` changes, in `tx`; nothing else may commit it."""
