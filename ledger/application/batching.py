"""Group commit: commands that arrive together are decided in order and saved in ONE
atomic write.

A request-per-transaction design pays, for every command, the store's round trips (look
up the idempotency key, fast-forward each cached aggregate, begin, lock the events table,
insert, commit) and holds the table lock once per command. Here the first caller with
nothing ahead of it becomes the *leader*: it takes every command queued so far (the
others queued while the previous batch was committing, so no time is spent waiting for a
batch to fill) and, on its own thread:

1. runs each command's `decide()` in arrival order against the aggregates already loaded
   in this batch, so two commands on the same account see each other;
2. a command that fails its checks is answered alone: whatever it changed is put back as
   it was before it ran, and the commands after it never see it;
3. checks, in ONE query, that every aggregate it read is still at the version it read and
   that no idempotency key of the batch was recorded by someone else meanwhile;
4. saves all aggregates and the idempotency records in ONE `store.save` (one transaction);
5. answers every caller. Then it hands the lead to the next waiting caller, if any.

A conflict with another process (the check in 3, or the store refusing the write in 4)
reloads what was touched and retries the batch; after a few tries the remaining commands
run one by one as before (`run_alone`), so one bad command cannot hold others back.

The aggregates the leader has saved stay *hot* in memory at their saved version, so a
command reads no history and makes no round trip before the batch's one check: step 3
is what makes that safe when other processes write to the same store.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict, deque
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any
from uuid import UUID

from eventsourcing.domain import OriginatorVersionError
from eventsourcing.persistence import IntegrityError, OperationalError

from ledger.application.clock import Clock
from ledger.domain.errors import LedgerError
from ledger.domain.idempotency import IdempotencyRecord
from ledger.domain.ids import idempotency_id

if TYPE_CHECKING:
    from ledger.application.idempotency import Decision, IdempotentRequest, Outcome
    from ledger.application.store import LedgerStore

ATTEMPTS_TOGETHER = 3  # then the commands still unanswered run one by one
MAX_BATCH = 256


ABSENT = object()  # hot knowledge that an aggregate does not exist (checked like the rest)
MISS = object()  # not in the hot set


class HotAggregates:
    """The leader's own aggregates at the version it last saved or loaded, and the ids
    it found absent (LRU). Only the leader touches it, one leader at a time. Nothing here
    is trusted blindly: every batch checks what it read against the store."""

    def __init__(self, maxsize: int) -> None:
        self.maxsize = maxsize
        self._items: OrderedDict[UUID, Any] = OrderedDict()

    def get(self, aggregate_id: UUID) -> Any:
        """The aggregate, ABSENT, or MISS."""
        aggregate = self._items.get(aggregate_id, MISS)
        if aggregate is not MISS:
            self._items.move_to_end(aggregate_id)
        return aggregate

    def put(self, aggregate: Any) -> None:
        if isinstance(aggregate, IdempotencyRecord):
            return  # a record is read again only on a retry: not worth a slot
        self._remember(aggregate.id, aggregate)

    def put_absent(self, aggregate_id: UUID) -> None:
        self._remember(aggregate_id, ABSENT)

    def _remember(self, aggregate_id: UUID, value: Any) -> None:
        if self.maxsize <= 0:
            return
        self._items[aggregate_id] = value
        self._items.move_to_end(aggregate_id)
        while len(self._items) > self.maxsize:
            self._items.popitem(last=False)

    def evict(self, aggregate_id: UUID) -> None:
        self._items.pop(aggregate_id, None)

    def __len__(self) -> int:
        return len(self._items)


class Command:
    """One caller's `decide` with its idempotency key, waiting for its answer."""

    def __init__(self, clock: Clock, request: IdempotentRequest | None,
                 decide: Callable[[], Decision], reads: Sequence[UUID] = ()) -> None:
        self.clock = clock
        self.request = request
        self.decide = decide
        self.reads = reads  # aggregates `decide` will read: loaded with the batch's others
        self.record_id = idempotency_id(request.scope, request.key) if request else None
        self.outcome: Outcome | None = None
        self.error: BaseException | None = None
        self.done = False
        self.promoted = False
        self._wake = threading.Event()
        # this attempt's tentative answer
        self.tentative: Outcome | None = None
        self.failure: BaseException | None = None

    def answer(self, outcome: Outcome) -> None:
        self.outcome, self.done = outcome, True
        self._wake.set()

    def fail(self, error: BaseException) -> None:
        self.error, self.done = error, True
        self._wake.set()

    def promote(self) -> None:
        self.promoted = True
        self._wake.set()

    def wait(self) -> None:
        self._wake.wait()
        self._wake.clear()

    def result(self) -> Outcome:
        if self.error is not None:
            raise self.error
        assert self.outcome is not None
        return self.outcome


class Retry(Exception):
    """The batch must be decided again on fresh state."""


class BatchScope:
    """What one attempt at a batch has read and changed. `LedgerStore.find` answers from
    here on the leader's thread while the batch is being decided."""

    def __init__(self, store: LedgerStore, hot: HotAggregates) -> None:
        self.store = store
        self.hot = hot
        self.working: dict[UUID, Any] = {}  # id -> aggregate (None: known not to exist)
        self.expected: dict[UUID, int | None] = {}  # id -> version when first read
        self.to_save: dict[UUID, Any] = {}  # in the order first saved
        # the running command's first touch of each aggregate: (aggregate, version, pending)
        self._touched: dict[UUID, tuple[Any, int, int]] = {}

    # -- reads (called through LedgerStore.find / get) --------------------------------
    def find(self, aggregate_id: UUID) -> Any | None:
        if aggregate_id in self.working:
            aggregate = self.working[aggregate_id]
        else:
            aggregate = self.hot.get(aggregate_id)
            if aggregate is MISS:
                aggregate = self.store.load_for_batch(aggregate_id)
            elif aggregate is ABSENT:
                aggregate = None
            self.working[aggregate_id] = aggregate
            self.expected[aggregate_id] = aggregate.version if aggregate is not None else None
        if aggregate is not None and aggregate_id not in self._touched:
            self._touched[aggregate_id] = (aggregate, aggregate.version,
                                           len(aggregate.pending_events))
        return aggregate

    def prefetch(self, ids: Sequence[UUID]) -> None:
        """Loads, in one round trip, those of `ids` that are neither held nor hot."""
        cold = list(dict.fromkeys(i for i in ids if i not in self.working
                                  and self.hot.get(i) is MISS))
        if not cold:
            return
        for aggregate_id, aggregate in self.store.load_many_for_batch(cold).items():
            self.working[aggregate_id] = aggregate
            self.expected[aggregate_id] = aggregate.version if aggregate is not None else None

    def expect_absent(self, record_id: UUID) -> None:
        """An idempotency key to be recorded: checked in the batch's one query."""
        self.expected.setdefault(record_id, None)

    # -- one command ------------------------------------------------------------------
    def begin(self) -> None:
        self._touched = {}

    def keep(self, aggregates: list[Any]) -> None:
        """The command succeeded: what it returned is saved with the batch. A command
        that returns another copy of an aggregate this batch already holds (loaded past
        `store.find`) would drop the earlier commands' changes: the batch is not
        committed, and after its retries the commands run one by one."""
        for aggregate in aggregates:
            held = self.working.get(aggregate.id)
            if held is not None and held is not aggregate:
                raise Retry
        for aggregate in aggregates:
            self.working[aggregate.id] = aggregate
            self.to_save[aggregate.id] = aggregate  # keeps the place of its first save

    def discard(self, error: BaseException) -> None:
        """The command failed: every aggregate it changed goes back to how it was
        before the command ran (a domain refusal normally changed nothing)."""
        for aggregate_id, (aggregate, version, pending) in self._touched.items():
            clean = (isinstance(error, LedgerError) and aggregate.version == version
                     and len(aggregate.pending_events) == pending)
            if not clean:
                self._restore(aggregate_id, aggregate.pending_events[:pending])

    def _restore(self, aggregate_id: UUID, earlier: list[Any]) -> None:
        self.hot.evict(aggregate_id)
        restored = self.store.load_for_batch(aggregate_id)
        try:
            for event in earlier:
                restored = event.mutate(restored)
        except OriginatorVersionError as error:  # the store moved on under this batch
            raise Retry from error
        if restored is None:
            self.working[aggregate_id] = None
            self.to_save.pop(aggregate_id, None)
            return
        restored.pending_events[:] = list(earlier)
        self.working[aggregate_id] = restored
        if aggregate_id in self.to_save:
            self.to_save[aggregate_id] = restored

    # -- the end of the attempt -------------------------------------------------------
    def moved(self) -> set[UUID]:
        """Ids whose stored version is not the one this batch read (one query)."""
        if not self.expected:
            return set()
        stored = self.store.latest_versions(list(self.expected))
        return {i for i, version in self.expected.items() if stored.get(i) != version}

    def forget(self) -> None:
        """The attempt did not commit: nothing it touched may stay hot."""
        for aggregate_id in self.working:
            self.hot.evict(aggregate_id)

    def committed(self) -> None:
        for aggregate_id, aggregate in self.working.items():
            if aggregate is None:
                self.hot.put_absent(aggregate_id)
            elif aggregate.pending_events:
                self.hot.evict(aggregate.id)
            else:
                self.hot.put(aggregate)


class Batcher:
    """Runs `ctx.run` commands in batches (see the module's docstring)."""

    def __init__(self, store: LedgerStore, *, hot_size: int = 10_000,
                 window_seconds: float = 0.0, max_batch: int = MAX_BATCH) -> None:
        self.store = store
        self.hot = HotAggregates(hot_size)
        self.window_seconds = window_seconds
        self.max_batch = max_batch
        self._lock = threading.Lock()
        self._queue: deque[Command] = deque()
        self._leading = False
        # what the batches did, for the benchmark
        self.batches = 0
        self.commands = 0
        self.retries = 0

    def run(self, clock: Clock, request: IdempotentRequest | None,
            decide: Callable[[], Decision], reads: Sequence[UUID] = ()) -> Outcome:
        from ledger.application.idempotency import run_alone

        if self.store.in_batch():  # a command that runs another: its own transaction
            with self.store.outside_batch():
                return run_alone(self.store, clock, request, decide)
        command = Command(clock, request, decide, reads)
        with self._lock:
            self._queue.append(command)
            lead = not self._leading
            self._leading = True
        while not lead and not command.done:
            command.wait()
            lead = command.promoted and not command.done
        if lead:
            self._lead(command)
        return command.result()

    def _lead(self, mine: Command) -> None:
        try:
            while not mine.done:
                if self.window_seconds > 0 and len(self._queue) < self.max_batch:
                    time.sleep(self.window_seconds)
                with self._lock:
                    batch = [self._queue.popleft()
                             for _ in range(min(len(self._queue), self.max_batch))]
                if not batch:  # pragma: no cover - mine is queued until answered
                    break
                self._process(batch)
        finally:
            with self._lock:
                if self._queue:
                    self._queue[0].promote()
                else:
                    self._leading = False

    def _process(self, batch: list[Command]) -> None:
        from ledger.application.idempotency import run_alone

        pending = batch
        try:
            for _ in range(ATTEMPTS_TOGETHER):
                pending = self._attempt(pending)
                if not pending:
                    return
                self.retries += 1
            for command in pending:  # one by one, each with its own retries
                try:
                    command.answer(run_alone(self.store, command.clock, command.request,
                                             command.decide))
                except Exception as error:  # noqa: BLE001 - answered to its caller
                    command.fail(error)
        except BaseException as error:
            for command in batch:
                if not command.done:
                    command.fail(error)
            raise

    def _attempt(self, commands: list[Command]) -> list[Command]:
        """Decides and saves `commands` together; returns those to try again."""
        scope = BatchScope(self.store, self.hot)
        try:
            scope.prefetch([i for command in commands for i in command.reads])
            with self.store.inside_batch(scope):
                for command in commands:
                    self._decide(scope, command)
            moved = scope.moved()
            if moved:
                scope.forget()
                return self._after_moved(commands, moved)
            if scope.to_save:
                self.store.save(*scope.to_save.values())
        except (Retry, IntegrityError, OperationalError):
            scope.forget()
            return [c for c in commands if not c.done]
        except BaseException:
            scope.forget()
            raise
        scope.committed()
        self.batches += 1
        self.commands += len(commands)
        for command in commands:
            if command.failure is not None:
                command.fail(command.failure)
            else:
                assert command.tentative is not None
                command.answer(command.tentative)
        return []

    def _decide(self, scope: BatchScope, command: Command) -> None:
        from ledger.application.idempotency import replay

        command.tentative, command.failure = None, None
        request, record_id = command.request, command.record_id
        if record_id is not None and request is not None:
            earlier = scope.working.get(record_id)
            if isinstance(earlier, IdempotencyRecord):  # the same key twice in a batch
                try:
                    command.tentative = replay(earlier, request)
                except LedgerError as error:
                    command.failure = error
                return
            scope.expect_absent(record_id)
        scope.begin()
        try:
            aggregates, outcome = command.decide()
        except (Retry, IntegrityError, OperationalError):
            raise  # the store, not the command: the whole batch is tried again
        except Exception as error:  # noqa: BLE001 - answered to its caller alone
            scope.discard(error)
            command.failure = error
            return
        saved = list(aggregates)
        if record_id is not None and request is not None:
            saved.append(IdempotencyRecord.record(
                record_id, scope=request.scope, key=request.key,
                fingerprint=request.fingerprint, status_code=outcome.status_code,
                response=outcome.body, at=command.clock.now()))
        scope.keep(saved)
        command.tentative = outcome

    def _after_moved(self, commands: list[Command], moved: set[UUID]) -> list[Command]:
        """Someone else wrote meanwhile. A key recorded by someone else is answered
        with that record; everything else is decided again on fresh state."""
        from ledger.application.idempotency import replay

        for command in commands:
            if command.record_id in moved and command.request is not None:
                previous = self.store.find(command.record_id)
                if previous is not None:
                    try:
                        command.answer(replay(previous, command.request))
                    except LedgerError as error:
                        command.fail(error)
            command.tentative, command.failure = None, None
        return [c for c in commands if not c.done]

    def stats(self) -> dict[str, Any]:
        return {"batches": self.batches, "commands": self.commands, "retries": self.retries,
                "mean_batch": round(self.commands / self.batches, 2) if self.batches else 0.0,
                "hot": len(self.hot)}

