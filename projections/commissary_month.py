"""Month-to-date commissary spend and items per PPL (V.H.3), by the calendar month of the
order's placement in the unit's time zone (the `month` the Account records on the order).

`spent_minor` and `items` are what counts against the monthly limits, exactly as the
Account counts them: an order counts when placed; what is not delivered (partial
delivery, cancellation, absence) is given back; a refund gives it back only when the
unit's `refund_restores_consumption` was on. `delivered_minor` and `refunded_minor` are
the money actually captured for the contractor and returned, by the order's month.

The month of an order not yet settled is kept in a second table (open orders only)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from ledger.domain.account import Account
from ledger.domain.postings import split_ppl_account
from projections.base import Projection
from projections.source import Recorded, topics
from projections.sql import Tx

WATCHED = frozenset(topics(Account.OrderPlaced, Account.OrderSettled, Account.CommissaryRefunded))
COLUMNS = ("spent_minor", "items", "orders", "delivered_minor", "refunded_minor")


def number_of(event: Any) -> str:
    """The PPL's number, from the event's postings to its own sub-accounts."""
    for posting in event.postings:
        own = split_ppl_account(posting.account)
        if own is not None:
            return own[0]
    raise ValueError(f"event {event!r} posts to no PPL account")


class CommissaryMonth(Projection):
    name = "commissary_month"
    watched = WATCHED
    tables = ("proj_commissary_month", "proj_commissary_month_open")
    schema = ("""CREATE TABLE IF NOT EXISTS proj_commissary_month (
        number TEXT NOT NULL,
        month TEXT NOT NULL,
        spent_minor BIGINT NOT NULL,
        items BIGINT NOT NULL,
        orders INTEGER NOT NULL,
        delivered_minor BIGINT NOT NULL,
        refunded_minor BIGINT NOT NULL,
        PRIMARY KEY (number, month)
    )""", """CREATE TABLE IF NOT EXISTS proj_commissary_month_open (
        order_id TEXT PRIMARY KEY,
        number TEXT NOT NULL,
        month TEXT NOT NULL
    )""")

    def apply(self, tx: Tx, batch: Sequence[Recorded]) -> None:
        events = self.wanted(batch)
        if not events:
            return
        placed = {e.order_id: (number_of(e), e.month) for e in events
                  if isinstance(e, Account.OrderPlaced)}
        earlier = [e.order_id for e in events
                   if isinstance(e, Account.OrderSettled) and e.order_id not in placed]
        open_orders = {order_id: (number, month) for order_id, number, month in tx.fetchall_in(
            "SELECT order_id, number, month FROM proj_commissary_month_open "
            "WHERE order_id IN ({in})", earlier)}
        open_orders.update(placed)
        deltas: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0] * len(COLUMNS))
        settled: list[str] = []
        for event in events:
            if isinstance(event, Account.OrderPlaced):
                row = deltas[(number_of(event), event.month)]
                row[0] += event.amount_minor
                row[1] += event.items
                row[2] += 1
            elif isinstance(event, Account.OrderSettled):
                row = deltas[open_orders[event.order_id]]
                row[0] -= event.released_minor
                row[1] -= event.released_items
                row[3] += event.delivered_minor
                settled.append(event.order_id)
            else:
                row = deltas[(number_of(event), event.month)]
                row[4] += event.amount_minor
                if event.restores_consumption:
                    row[0] -= event.amount_minor
                    row[1] -= event.items
        self._write(tx, deltas, {k: v for k, v in placed.items() if k not in settled}, settled)

    def _write(self, tx: Tx, deltas: dict[tuple[str, str], list[int]],
               opened: dict[str, tuple[str, str]], settled: list[str]) -> None:
        updates = ", ".join(f"{c} = proj_commissary_month.{c} + excluded.{c}" for c in COLUMNS)
        tx.executemany(
            "INSERT INTO proj_commissary_month (number, month, spent_minor, items, orders, "
            "delivered_minor, refunded_minor) VALUES (%s, %s, %s, %s, %s, %s, %s) "
            f"ON CONFLICT (number, month) DO UPDATE SET {updates}",
            [(number, month, *row) for (number, month), row in sorted(deltas.items())])
        tx.executemany("INSERT INTO proj_commissary_month_open (order_id, number, month) "
                       "VALUES (%s, %s, %s)",
                       [(order_id, *where) for order_id, where in sorted(opened.items())])
        tx.executemany("DELETE FROM proj_commissary_month_open WHERE order_id = %s",
                       [(order_id,) for order_id in settled])


def month_to_date(tx: Tx, number: str, month: str) -> dict[str, int]:
    row = tx.fetchone("SELECT spent_minor, items, orders, delivered_minor, refunded_minor "
                      "FROM proj_commissary_month WHERE number = %s AND month = %s",
                      (number, month))
    return dict(zip(COLUMNS, (int(v) for v in row), strict=True)) if row else dict.fromkeys(
        COLUMNS, 0)


def month_rows(tx: Tx, month: str) -> list[dict[str, Any]]:
    rows = tx.fetchall("SELECT number, spent_minor, items, orders, delivered_minor, "
                       "refunded_minor FROM proj_commissary_month WHERE month = %s "
                       "ORDER BY number", (month,))
    return [{"penitentiary_number": r[0], **dict(zip(COLUMNS, (int(v) for v in r[1:]),
                                                     strict=True))} for r in rows]


def commissary_month_rows(tx: Tx) -> list[tuple[Any, ...]]:
    return (tx.fetchall("SELECT * FROM proj_commissary_month ORDER BY number, month")
            + tx.fetchall("SELECT * FROM proj_commissary_month_open ORDER BY order_id"))
