"""A tracked runner: reads the notification log after its projection's position, applies a
batch and records the batch's last position in ONE transaction.

Killed at any point, a runner either committed a batch (writes and position) or nothing
of it; the next runner starts after the committed position, so no event is counted twice
or missed. Two runners of one projection may run at once: the second to claim the
position row finds it moved and drops its batch."""

from __future__ import annotations

import time
from collections.abc import Callable

import psycopg

from projections import tracking
from projections.base import Projection
from projections.source import EventSource
from projections.sql import ViewDatabase

Progress = Callable[[int], None]


class NotRebuildable(RuntimeError):
    pass


class Runner:
    def __init__(self, projection: Projection, source: EventSource, views: ViewDatabase,
                 *, batch_size: int = 500) -> None:
        self.projection = projection
        self.source = source
        self.views = views
        self.batch_size = batch_size
        for attempt in range(3):
            try:
                with views.transaction() as tx:
                    tracking.ensure(tx, projection.name)
                    projection.create(tx)
                break
            except psycopg.errors.UniqueViolation:  # two processes creating the tables at once
                if attempt == 2:
                    raise

    @property
    def name(self) -> str:
        return self.projection.name

    def position(self) -> int:
        return tracking.position(self.views, self.name)

    def step(self, start: int) -> int | None:
        """One batch after `start`. None: nothing to read; 0: another runner moved first."""
        batch = self.source.after(start, self.batch_size)
        if not batch:
            return None
        if self.projection.reads_state:
            for recorded in batch:  # decrypt before taking the write lock
                if self.projection.wants(recorded.topic):
                    recorded.event  # noqa: B018
        with self.views.transaction() as tx:
            if tracking.claim(tx, self.name) != start:
                return 0
            self.projection.apply(tx, batch)
            tracking.advance(tx, self.name, batch[-1].position)
        return len(batch)

    def catch_up(self, until: int | None = None, progress: Progress | None = None) -> int:
        """Processes batches until the position reaches `until` (default: the log's head
        now) or the log has nothing more. Returns how many events this call applied."""
        target = self.source.head() if until is None else until
        applied = 0
        while (start := self.position()) < target:
            done = self.step(start)
            if done is None:
                break
            applied += done
            if progress is not None:
                progress(done)
        return applied

    def wait_for(self, position: int, timeout: float) -> bool:
        """Read-your-writes: catches up inline, then waits (up to `timeout` seconds) for a
        position not yet in the log. True when the projection has reached `position`."""
        deadline = time.monotonic() + timeout
        while True:
            self.catch_up(until=position)
            if self.position() >= position:
                return True
            if time.monotonic() >= deadline:
                return False
            time.sleep(0.05)

    def rebuild(self, progress: Progress | None = None) -> int:
        """Empties the projection's tables and replays the whole log from zero."""
        if not self.projection.rebuildable:
            raise NotRebuildable(f"{self.name} is a record of what was stored; it is never "
                                 "recomputed from the current events")
        with self.views.transaction() as tx:
            tracking.claim(tx, self.name)
            self.projection.reset(tx)
            tracking.advance(tx, self.name, 0)
        return self.catch_up(progress=progress)
