"""The event store: eventsourcing's Application over SQLite or PostgreSQL, every event
encrypted with AESCipher. Start-up proves the key opens the store before anything else."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError, Application
from eventsourcing.domain import Aggregate
from eventsourcing.persistence import JSONTranscoder

from ledger.domain.account import Account
from ledger.domain.depositor import Depositor
from ledger.domain.ids import key_check_id
from ledger.infrastructure.database import Database
from ledger.infrastructure.keys import KeyFileError, UnitKeys
from ledger.infrastructure.transcodings import ActorAsDict, PostingAsList


class LedgerStore(Application[UUID]):
    name = "ledger"
    # A snapshot every 100 events keeps a decade of weekly activity cheap to load.
    snapshotting_intervals = {Account: 100, Depositor: 100}  # noqa: RUF012

    def register_transcodings(self, transcoder: JSONTranscoder) -> None:
        super().register_transcodings(transcoder)
        transcoder.register(PostingAsList())
        transcoder.register(ActorAsDict())

    def get(self, aggregate_id: UUID) -> Any:
        return self.repository.get(aggregate_id)

    def find(self, aggregate_id: UUID) -> Any | None:
        try:
            return self.repository.get(aggregate_id)
        except AggregateNotFoundError:
            return None

    def event_count(self) -> int:
        return self.recorder.max_notification_id() or 0


class KeyCheck(Aggregate):
    """Written once, in a new store; reading it back proves the configured key is the
    one the store was written with."""

    class Created(Aggregate.Created):
        purpose: str

    def __init__(self, purpose: str) -> None:
        self.purpose = purpose


def open_store(database: Database, keys: UnitKeys, *, cache_size: int) -> LedgerStore:
    store = LedgerStore(env=database.eventsourcing_env(keys, cache_size=cache_size))
    try:
        check = store.find(key_check_id())
    except ValueError as error:  # AESCipher: "Invalid cipher tag"
        store.close()
        raise KeyFileError(
            "The encryption key does not open this store: it was written with another "
            "key. Point LEDGER_KEY_FILE at the key file this store was created with."
        ) from error
    if check is None:
        if store.event_count() > 0:
            store.close()
            raise KeyFileError("The store has events but no key check record; refusing to start.")
        store.save(KeyCheck._create(KeyCheck.Created, id=key_check_id(), purpose="cipher",
                                    timestamp=datetime.now(tz=UTC)))
    return store
