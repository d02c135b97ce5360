"""The event store: eventsourcing's Application over SQLite or PostgreSQL, every event
encrypted with AESCipher. Start-up proves the key opens the store before anything else.

With batched commits (ledger/application/batching.py) the leader's thread reads through a
batch scope: `find` answers from the aggregates the batch already holds."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from copy import deepcopy
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError, Application
from eventsourcing.domain import Aggregate
from eventsourcing.persistence import JSONTranscoder, StoredEvent
from eventsourcing.postgres import PostgresApplicationRecorder
from eventsourcing.sqlite import SQLiteApplicationRecorder
from psycopg.sql import SQL, Identifier

from ledger.domain.account import Account
from ledger.domain.depositor import Depositor
from ledger.domain.ids import key_check_id
from ledger.domain.order import DeliveryRun
from ledger.infrastructure.database import Database
from ledger.infrastructure.keys import KeyFileError, UnitKeys
from ledger.infrastructure.transcodings import ActorAsDict, PostingAsList


class _Flight:
    """One aggregate's fast-forward: who is doing it, and when the last one started."""

    __slots__ = ("lock", "started")

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.started = float("-inf")


# Each id's latest snapshot, then its events after that snapshot; `match` is the store's
# way of saying "originator_id is one of the ids".
_LATEST_ROWS = (
    "SELECT originator_id, 0 AS part, originator_version, topic, state "
    "FROM {snapshots} s WHERE originator_id {match} AND originator_version = ("
    "SELECT max(originator_version) FROM {snapshots} WHERE originator_id = s.originator_id) "
    "UNION ALL SELECT originator_id, 1, originator_version, topic, state "
    "FROM {events} e WHERE originator_id {match} AND originator_version > COALESCE(("
    "SELECT max(originator_version) FROM {snapshots} WHERE originator_id = e.originator_id), 0) "
    "ORDER BY originator_id, part, originator_version")


class LedgerStore(Application[UUID]):
    name = "ledger"
    # A snapshot every 100 events keeps a decade of weekly activity cheap to load; a
    # sector's delivery run gains one event per order, so its first load of a busy week
    # replays at most 500 of them.
    snapshotting_intervals = {Account: 100, Depositor: 100, DeliveryRun: 500}  # noqa: RUF012

    def register_transcodings(self, transcoder: JSONTranscoder) -> None:
        super().register_transcodings(transcoder)
        transcoder.register(PostingAsList())
        transcoder.register(ActorAsDict())

    def __init__(self, env: Any = None) -> None:
        super().__init__(env)
        self._batch = threading.local()
        self.batcher: Any = None  # a batching.Batcher when commits are batched
        self._flights: dict[UUID, _Flight] = {}
        self._max_flights = 2 * max(int(self.env.get("AGGREGATE_CACHE_MAXSIZE") or 0), 1000)
        self._latest_sql: str | None = None

    def get(self, aggregate_id: UUID) -> Any:
        aggregate = self.find(aggregate_id)
        if aggregate is None:
            raise AggregateNotFoundError(aggregate_id)
        return aggregate

    def find(self, aggregate_id: UUID) -> Any | None:
        scope = getattr(self._batch, "scope", None)
        if scope is not None:
            return scope.find(aggregate_id)
        return self.load_fresh(aggregate_id)

    def read(self, aggregate_id: UUID) -> Any | None:
        """Like `find`, for callers that only look: outside a batch it returns the cached
        instance itself rather than a private copy. Never change what it returns."""
        scope = getattr(self._batch, "scope", None)
        if scope is not None:
            return scope.find(aggregate_id)
        return self.load_fresh(aggregate_id, copy=False)

    def load_fresh(self, aggregate_id: UUID, *, copy: bool = True) -> Any | None:
        """The aggregate with every event committed before this call (the cached copy
        fast-forwarded), never a batch's copy; a private copy unless `copy` is False.

        Fast-forwards of one aggregate are single-flight: readers that queue behind one
        fast-forward share the next one, which starts after they all arrived, instead of
        each asking the database in turn (every command reads the Unit)."""
        repository = self.repository
        if not repository.cache or not repository.fastforward:
            return self._get_or_none(aggregate_id)
        arrival = time.monotonic()
        flight = self._flights.get(aggregate_id)
        if flight is None:
            if len(self._flights) > self._max_flights:
                self._flights.clear()
            flight = self._flights.setdefault(aggregate_id, _Flight())
        with flight.lock:
            if flight.started >= arrival:
                try:
                    cached = repository.cache.get(aggregate_id)
                except KeyError:
                    cached = None
                if cached is not None:
                    return deepcopy(cached) if copy else cached
            started = time.monotonic()
            aggregate = self._get_or_none(aggregate_id, copy=copy)
            flight.started = started
            return aggregate

    def load_for_batch(self, aggregate_id: UUID) -> Any | None:
        """A private copy of the aggregate as stored now, for a batch to change: from the
        cache when it holds it (one fast-forward query and a copy), otherwise its latest
        snapshot and the events after it in ONE round trip (not two)."""
        try:
            self.repository.cache.get(aggregate_id)  # type: ignore[union-attr]
        except (KeyError, AttributeError):
            return self.load_many_for_batch([aggregate_id])[aggregate_id]
        return self.load_fresh(aggregate_id)

    def load_many_for_batch(self, ids: Sequence[UUID]) -> dict[UUID, Any | None]:
        """Each aggregate as stored now (None for an absent one), from its latest
        snapshot and the events after it: ONE round trip for all of them, so a batch of
        commands on cold accounts does not wait on one query per account."""
        if self.snapshots is None:
            return {i: self._get_or_none(i) for i in ids}
        rows: dict[UUID, list[tuple[int, str, bytes]]] = {i: [] for i in ids}
        for originator_id, version, topic, state in self._latest_rows(list(rows)):
            rows[originator_id].append((version, topic, state))
        loaded: dict[UUID, Any | None] = {}
        for aggregate_id, records in rows.items():
            aggregate = None
            for version, topic, state in records:
                event = self.mapper.to_domain_event(StoredEvent(
                    originator_id=aggregate_id, originator_version=version, topic=topic,
                    state=state))
                aggregate = event.mutate(aggregate)  # type: ignore[attr-defined]
            # Not copied into the readers' cache: the leader's time is the batch's time,
            # and a reader that misses loads it once for itself.
            loaded[aggregate_id] = aggregate
        return loaded

    def _latest_rows(self, ids: list[UUID]) -> Iterator[tuple[UUID, int, str, bytes]]:
        """(id, version, topic, state): each id's latest snapshot, then its events after
        that snapshot, in version order."""
        recorder = self.recorder
        snapshot_table = self.snapshots.recorder.events_table_name  # type: ignore[union-attr]
        if isinstance(recorder, PostgresApplicationRecorder):
            if self._latest_sql is None:
                schema = recorder.datastore.schema
                self._latest_sql = _LATEST_ROWS.format(
                    snapshots=Identifier(schema, snapshot_table).as_string(None),
                    events=Identifier(schema, recorder.events_table_name).as_string(None),
                    match="= ANY(%(ids)s)")
            with recorder.datastore.get_connection() as conn, conn.cursor() as curs:
                curs.execute(self._latest_sql, {"ids": ids}, prepare=True)
                for r in curs.fetchall():
                    yield (r["originator_id"], r["originator_version"], r["topic"],
                           bytes(r["state"]))
            return
        assert isinstance(recorder, SQLiteApplicationRecorder)
        for at in range(0, len(ids), 400):  # SQLite's limit on bound parameters
            chunk = [i.hex for i in ids[at:at + 400]]
            text = _LATEST_ROWS.format(snapshots=snapshot_table,
                                       events=recorder.events_table_name,
                                       match=f"IN ({','.join('?' * len(chunk))})")
            with recorder.datastore.transaction(commit=False) as curs:
                curs.execute(text, chunk + chunk)  # the ids are matched twice
                for r in curs.fetchall():
                    yield (UUID(r["originator_id"]), r["originator_version"], r["topic"],
                           bytes(r["state"]))

    def _get_or_none(self, aggregate_id: UUID, *, copy: bool = True) -> Any | None:
        try:
            return self.repository.get(aggregate_id, deepcopy_from_cache=copy)
        except AggregateNotFoundError:
            return None

    def event_count(self) -> int:
        return self.recorder.max_notification_id() or 0

    # -- batched commits ----------------------------------------------------------------
    def enable_batching(self, *, hot_size: int, window_seconds: float = 0.0) -> None:
        from ledger.application.batching import Batcher

        self.batcher = Batcher(self, hot_size=hot_size, window_seconds=window_seconds)

    def in_batch(self) -> bool:
        return getattr(self._batch, "scope", None) is not None

    @contextmanager
    def inside_batch(self, scope: Any) -> Iterator[None]:
        self._batch.scope = scope
        try:
            yield
        finally:
            self._batch.scope = None

    @contextmanager
    def outside_batch(self) -> Iterator[None]:
        scope, self._batch.scope = getattr(self._batch, "scope", None), None
        try:
            yield
        finally:
            self._batch.scope = scope

    def latest_versions(self, ids: Sequence[UUID]) -> dict[UUID, int]:
        """The stored version of each aggregate in `ids` (absent ones left out): the one
        query a batch makes to learn whether anyone else wrote what it read."""
        recorder = self.recorder
        if isinstance(recorder, PostgresApplicationRecorder):
            statement = SQL(
                "SELECT originator_id, max(originator_version) AS version FROM {}.{} "
                "WHERE originator_id = ANY(%s) GROUP BY originator_id"
            ).format(Identifier(recorder.datastore.schema),
                     Identifier(recorder.events_table_name))
            with recorder.datastore.get_connection() as conn, conn.cursor() as curs:
                curs.execute(statement, (list(ids),), prepare=True)
                return {row["originator_id"]: row["version"] for row in curs.fetchall()}
        assert isinstance(recorder, SQLiteApplicationRecorder)
        found: dict[UUID, int] = {}
        for start in range(0, len(ids), 500):  # SQLite's limit on bound parameters
            chunk = [i.hex for i in ids[start:start + 500]]
            with recorder.datastore.transaction(commit=False) as curs:
                curs.execute(
                    f"SELECT originator_id, max(originator_version) AS version "  # noqa: S608
                    f"FROM {recorder.events_table_name} WHERE originator_id IN "
                    f"({','.join('?' * len(chunk))}) GROUP BY originator_id", chunk)
                found.update({UUID(row["originator_id"]): row["version"]
                              for row in curs.fetchall()})
        return found


class KeyCheck(Aggregate):
    """Written once, in a new store; reading it back proves the configured key is the
    one the store was written with."""

    class Created(Aggregate.Created):
        purpose: str

    def __init__(self, purpose: str) -> None:
        self.purpose = purpose


def open_store(database: Database, keys: UnitKeys, *, cache_size: int,
               batch_commits: bool = False, batch_window_ms: float = 0.0) -> LedgerStore:
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
    if batch_commits:
        store.enable_batching(hot_size=cache_size, window_seconds=batch_window_ms / 1000)
    return store
