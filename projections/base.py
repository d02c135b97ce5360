"""What a projection is: a name, the tables it owns, and how a batch of recorded events
changes them. The runner calls `apply` inside the transaction that also records the
projection's new position, so a batch counts entirely or not at all."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Sequence
from typing import ClassVar

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

    def wants(self, topic: str) -> bool:
        """Whether events of this topic change this projection (the runner decrypts and
        decodes only those; the others just move the position)."""
        return True

    def create(self, tx: Tx) -> None:
        for statement in self.schema:
            tx.execute(statement)

    def reset(self, tx: Tx) -> None:
        for table in self.tables:
            tx.execute(f"DELETE FROM {table}")  # noqa: S608 - table names are constants

    @abstractmethod
    def apply(self, tx: Tx, batch: Sequence[Recorded]) -> None:
        """Writes what `batch` changes, in `tx`; nothing else may commit it."""
