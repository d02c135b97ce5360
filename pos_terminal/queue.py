"""The terminal's durable offline queue (a SQLite file on the terminal).

Only DELIVERY CONFIRMATIONS and ABSENT marks go in it: they settle an order whose funds
the server already holds, so nothing about them needs the server's say at the counter.
Orders and walk-up sales never do (the funds must be checked): the client refuses them
offline, and this queue has no way to hold one.

Every confirmation is written here first (one committed row, fsynced), then sent. Rows
are sent strictly in the order they were written, each with the Idempotency-Key chosen
when it was written, and signed afresh at send time (a signature is valid for two
minutes; the key, not the signature, makes a retry safe). If the link drops after the
server applied one but before its answer arrived, the retry gets the server's first
answer again: nothing lost, nothing doubled."""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

from pos_terminal.client import Answer, Offline, Order, PosClient, Problem, encode, new_key

Kind = Literal["delivery", "absent"]
KINDS: tuple[Kind, ...] = ("delivery", "absent")
# Refusals that say "not now", not "never": the row stays first in line.
TRY_AGAIN = frozenset({"concurrent_update", "http_error"})

_SCHEMA = """
CREATE TABLE IF NOT EXISTS confirmations (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    idempotency_key TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL CHECK (kind IN ('delivery', 'absent')),
    order_id TEXT NOT NULL,
    penitentiary_number TEXT NOT NULL,
    run_sector TEXT NOT NULL,
    delivered TEXT,
    body TEXT NOT NULL,
    queued_at TEXT NOT NULL,
    queued_by TEXT NOT NULL,
    state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'applied', 'refused')),
    attempts INTEGER NOT NULL DEFAULT 0,
    last_error TEXT,
    status_code INTEGER,
    answer TEXT,
    replayed INTEGER NOT NULL DEFAULT 0,
    settled_at TEXT
);
CREATE UNIQUE INDEX IF NOT EXISTS one_pending_per_order
    ON confirmations (order_id) WHERE state = 'pending';
"""


@dataclass(frozen=True)
class Confirmation:
    """A delivery (in full when `delivered` is None, else the quantities handed over) or an
    absent mark, for one order of a sector's run. Its key is chosen here, once."""

    kind: Kind
    order_id: str
    number: str
    run_sector: str
    delivered: dict[str, int] | None = None
    idempotency_key: str = field(default_factory=new_key)

    @classmethod
    def delivery(cls, order: Order, run_sector: str,
                 delivered: dict[str, int] | None = None) -> Confirmation:
        return cls("delivery", order.order_id, order.number, run_sector, delivered)

    @classmethod
    def absent(cls, order: Order, run_sector: str) -> Confirmation:
        return cls("absent", order.order_id, order.number, run_sector)

    @property
    def path(self) -> str:
        return f"/commissary/orders/{self.order_id}/{self.kind}"

    @property
    def body(self) -> bytes:
        payload: dict[str, Any] = {"run_sector": self.run_sector}
        if self.kind == "delivery" and self.delivered is not None:
            payload["lines"] = [{"product_code": c, "delivered_quantity": q}
                                for c, q in self.delivered.items()]
        return encode(payload)

    def settled_by(self, order: Order) -> bool:
        """Whether the order, as the server has it, is closed exactly as this asked."""
        if self.kind == "absent":
            return order.status == "absent"
        wanted = self.delivered if self.delivered is not None else {
            line.code: line.quantity for line in order.lines}
        return order.status in ("delivered", "partially_delivered") and \
            order.delivered == {c: q for c, q in wanted.items() if q}


@dataclass(frozen=True)
class Queued:
    """A row of the queue."""

    seq: int
    confirmation: Confirmation
    queued_at: str
    queued_by: str
    state: str
    attempts: int
    last_error: str | None
    status_code: int | None
    answer: dict[str, Any] | None
    replayed: bool
    body: bytes  # the exact bytes first written, sent on every attempt


@dataclass
class SyncReport:
    applied: list[Queued] = field(default_factory=list)
    refused: list[Queued] = field(default_factory=list)
    stopped: str | None = None  # why sending stopped early (offline, session, server)
    session_ended: bool = False
    busy: bool = False


class QueueRefused(Exception):
    """The confirmation cannot be queued (e.g. this order already has one waiting)."""


class OfflineQueue:
    def __init__(self, path: Path) -> None:
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(path, isolation_level=None, check_same_thread=False,
                                   timeout=10)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=FULL")
        self._db.executescript(_SCHEMA)
        self._lock = threading.RLock()
        self._sending = threading.Lock()

    def close(self) -> None:
        with self._lock:
            self._db.close()

    @contextmanager
    def _tx(self) -> Iterator[sqlite3.Connection]:
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                yield self._db
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")

    # ------------------------------------------------------------------ writing

    def append(self, confirmation: Confirmation, queued_by: str) -> Queued:
        """Writes the confirmation durably, behind every one already waiting."""
        if confirmation.kind not in KINDS:
            raise QueueRefused(f"only deliveries and absent marks are queued, not "
                               f"{confirmation.kind!r}")
        delivered = None if confirmation.delivered is None else json.dumps(confirmation.delivered)
        try:
            with self._tx() as db:
                cursor = db.execute(
                    "INSERT INTO confirmations (idempotency_key, kind, order_id, "
                    "penitentiary_number, run_sector, delivered, body, queued_at, queued_by) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (confirmation.idempotency_key, confirmation.kind, confirmation.order_id,
                     confirmation.number, confirmation.run_sector, delivered,
                     confirmation.body.decode(), _now(), queued_by))
        except sqlite3.IntegrityError:
            raise QueueRefused(f"order {confirmation.order_id} already has a confirmation "
                               "waiting") from None
        return self.get(int(cursor.lastrowid or 0))

    def _settle(self, seq: int, state: str, status: int | None, answer: dict[str, Any] | None,
                error: str | None, replayed: bool = False) -> None:
        with self._tx() as db:
            db.execute("UPDATE confirmations SET state = ?, status_code = ?, answer = ?, "
                       "last_error = ?, replayed = ?, settled_at = ?, attempts = attempts + 1 "
                       "WHERE seq = ? AND state = 'pending'",
                       (state, status, json.dumps(answer) if answer is not None else None,
                        error, int(replayed), _now(), seq))

    def _attempted(self, seq: int, error: str) -> None:
        with self._tx() as db:
            db.execute("UPDATE confirmations SET attempts = attempts + 1, last_error = ? "
                       "WHERE seq = ?", (error, seq))

    # ------------------------------------------------------------------ reading

    def get(self, seq: int) -> Queued:
        with self._lock:
            row = self._db.execute(f"SELECT {_COLUMNS} FROM confirmations WHERE seq = ?",
                                   (seq,)).fetchone()
        if row is None:
            raise KeyError(seq)
        return _row(row)

    def rows(self, state: str | None = None) -> list[Queued]:
        where, args = ("WHERE state = ?", (state,)) if state else ("", ())
        with self._lock:
            found = self._db.execute(f"SELECT {_COLUMNS} FROM confirmations {where} "
                                     "ORDER BY seq", args).fetchall()
        return [_row(row) for row in found]

    def pending(self) -> list[Queued]:
        return self.rows("pending")

    def count(self, state: str = "pending") -> int:
        with self._lock:
            return int(self._db.execute("SELECT count(*) FROM confirmations WHERE state = ?",
                                        (state,)).fetchone()[0])

    def waiting_for(self, order_id: str) -> Queued | None:
        with self._lock:
            row = self._db.execute(f"SELECT {_COLUMNS} FROM confirmations WHERE order_id = ? "
                                   "AND state = 'pending'", (order_id,)).fetchone()
        return _row(row) if row else None

    # ------------------------------------------------------------------ sending

    def sync(self, client: PosClient, *, wait: bool = True) -> SyncReport:
        """Sends what waits, oldest first, until the queue is empty or the link fails.
        One sender at a time; with `wait=False` a call while another sends returns at once."""
        report = SyncReport()
        if not self._sending.acquire(blocking=wait, timeout=60 if wait else -1):
            report.busy = True
            return report
        try:
            for queued in self.pending():
                if not self._send_one(client, queued, report):
                    break
        finally:
            self._sending.release()
        return report

    def _send_one(self, client: PosClient, queued: Queued, report: SyncReport) -> bool:
        c = queued.confirmation
        try:
            answer: Answer = client.post(c.path, queued.body, c.idempotency_key)
        except Offline as offline:
            self._attempted(queued.seq, offline.cause)
            report.stopped = offline.cause
            return False
        except Problem as problem:
            return self._refused(client, queued, problem, report)
        self._settle(queued.seq, "applied", answer.status, answer.body, None, answer.replayed)
        report.applied.append(self.get(queued.seq))
        return True

    def _refused(self, client: PosClient, queued: Queued, problem: Problem,
                 report: SyncReport) -> bool:
        if problem.status == 401 or problem.status >= 500 or problem.code in TRY_AGAIN:
            # Not this confirmation's fault (session, terminal trust, server): keep it first
            # in line and stop, so nothing behind it overtakes it.
            self._attempted(queued.seq, f"{problem.code}: {problem.detail}")
            report.stopped = problem.detail
            report.session_ended = problem.session_ended
            return False
        if problem.code == "order_not_open":
            # The order is already closed; if it is closed exactly as this asked (the first
            # send was applied under another session), this confirmation is done.
            try:
                order = client.order(queued.confirmation.order_id)
            except Offline as offline:
                self._attempted(queued.seq, offline.cause)
                report.stopped = offline.cause
                return False
            if queued.confirmation.settled_by(order):
                self._settle(queued.seq, "applied", 200, _order_json(order), None, True)
                report.applied.append(self.get(queued.seq))
                return True
        self._settle(queued.seq, "refused", problem.status,
                     {"code": problem.code, "detail": problem.detail, "field": problem.field},
                     f"{problem.code}: {problem.detail}")
        report.refused.append(self.get(queued.seq))
        return True


_COLUMNS = ("seq, idempotency_key, kind, order_id, penitentiary_number, run_sector, "
            "delivered, queued_at, queued_by, state, attempts, last_error, status_code, "
            "answer, replayed, body")


def _row(row: tuple[Any, ...]) -> Queued:
    (seq, key, kind, order_id, number, sector, delivered, queued_at, queued_by, state,
     attempts, last_error, status_code, answer, replayed, body) = row
    confirmation = Confirmation(kind=kind, order_id=order_id, number=number, run_sector=sector,
                                delivered=json.loads(delivered) if delivered else None,
                                idempotency_key=key)
    return Queued(seq=seq, confirmation=confirmation, queued_at=queued_at,
                  queued_by=queued_by, state=state, attempts=attempts, last_error=last_error,
                  status_code=status_code, answer=json.loads(answer) if answer else None,
                  replayed=bool(replayed), body=body.encode())


def _order_json(order: Order) -> dict[str, Any]:
    return {
        "order_id": order.order_id, "penitentiary_number": order.number,
        "sector": order.sector, "delivery_date": order.delivery_date, "status": order.status,
        "lines": [{"code": line.code, "name": line.name, "quantity": line.quantity,
                   "unit_price_minor": line.unit_price_minor, "item_units": line.item_units}
                  for line in order.lines],
        "total_minor": order.total_minor, "items": order.items,
        "delivered": dict(order.delivered), "delivered_minor": order.delivered_minor,
        "currency": order.currency, "placed_at": order.placed_at,
        "updated_at": order.updated_at,
    }


def _now() -> str:
    return datetime.now(tz=UTC).isoformat()
