"""Per-sector delivery pick lists (V.H.6): for each sector and delivery date, the units of
each product the contractor bags, the number of orders that include it, and the units
handed over once delivered.

An order counts in the run of its sector and delivery date while it is not cancelled; a
sector move (rescheduling) carries it to its new run; cancelled or absent orders leave it.
Walk-up sales at the counter have no delivery run and never appear. Open orders are kept
in a second table so that a later event of the order knows which run it belongs to."""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from ledger.domain.order import Order
from projections.base import Projection
from projections.source import Recorded, topics
from projections.sql import Tx

WATCHED = frozenset(topics(Order.Placed, Order.Delivered, Order.Cancelled, Order.Rescheduled))

Run = tuple[str, str, str]  # sector, delivery date, product code


class _Delta:
    def __init__(self) -> None:
        self.units: dict[Run, list[int]] = defaultdict(lambda: [0, 0, 0])  # bag, orders, given
        self.names: dict[str, str] = {}

    def count(self, order: dict[str, Any], sign: int) -> None:
        for code, name, quantity in order["lines"]:
            row = self.units[(order["sector"], order["delivery_date"], code)]
            row[0] += sign * quantity
            row[1] += sign
            self.names[code] = name


class PickLists(Projection):
    name = "pick_lists"
    watched = WATCHED
    tables = ("proj_pick_lists", "proj_pick_orders")
    schema = ("""CREATE TABLE IF NOT EXISTS proj_pick_lists (
        sector TEXT NOT NULL,
        delivery_date TEXT NOT NULL,
        product_code TEXT NOT NULL,
        name TEXT NOT NULL,
        quantity BIGINT NOT NULL,
        orders INTEGER NOT NULL,
        delivered BIGINT NOT NULL,
        PRIMARY KEY (sector, delivery_date, product_code)
    )""", """CREATE TABLE IF NOT EXISTS proj_pick_orders (
        order_id TEXT PRIMARY KEY,
        sector TEXT NOT NULL,
        delivery_date TEXT NOT NULL,
        lines TEXT NOT NULL
    )""")

    def apply(self, tx: Tx, batch: Sequence[Recorded]) -> None:
        events = self.wanted(batch)
        if not events:
            return
        orders = self._load(tx, events)
        created = {str(e.originator_id) for e in events if isinstance(e, Order.Placed)}
        delta, closed = _Delta(), set()
        for event in events:
            order_id = str(event.originator_id)
            if isinstance(event, Order.Placed):
                if event.delivery_date is None:
                    continue  # a walk-up sale: no delivery run
                orders[order_id] = {"sector": event.sector, "delivery_date": event.delivery_date,
                                    "lines": [(line["code"], line["name"], line["quantity"])
                                              for line in event.lines]}
                delta.count(orders[order_id], +1)
                continue
            order = orders.get(order_id)
            if order is None or order_id in closed:
                continue
            if isinstance(event, Order.Rescheduled):
                delta.count(order, -1)
                order["sector"], order["delivery_date"] = event.sector, event.delivery_date
                delta.count(order, +1)
            elif isinstance(event, Order.Cancelled):
                delta.count(order, -1)
                closed.add(order_id)
            else:
                for code, quantity in event.delivered.items():
                    delta.units[(order["sector"], order["delivery_date"], code)][2] += quantity
                closed.add(order_id)
        self._write(tx, delta, orders, created, closed)

    @staticmethod
    def _load(tx: Tx, events: list[Any]) -> dict[str, dict[str, Any]]:
        """Open orders of earlier batches that this batch's events concern."""
        wanted = sorted({str(e.originator_id) for e in events if not isinstance(e, Order.Placed)})
        return {order_id: {"sector": sector, "delivery_date": day,
                           "lines": [tuple(line) for line in json.loads(lines)]}
                for order_id, sector, day, lines in tx.fetchall_in(
                    "SELECT order_id, sector, delivery_date, lines FROM proj_pick_orders "
                    "WHERE order_id IN ({in})", wanted)}

    @staticmethod
    def _write(tx: Tx, delta: _Delta, orders: dict[str, dict[str, Any]], created: set[str],
               closed: set[str]) -> None:
        tx.executemany(
            "INSERT INTO proj_pick_lists (sector, delivery_date, product_code, name, quantity, "
            "orders, delivered) VALUES (%s, %s, %s, %s, %s, %s, %s) "
            "ON CONFLICT (sector, delivery_date, product_code) DO UPDATE SET "
            "quantity = proj_pick_lists.quantity + excluded.quantity, "
            "orders = proj_pick_lists.orders + excluded.orders, "
            "delivered = proj_pick_lists.delivered + excluded.delivered",
            [(*run, delta.names.get(run[2], run[2]), *row)
             for run, row in sorted(delta.units.items()) if any(row)])
        tx.executemany(  # an order placed and cancelled in different batches leaves nothing
            "DELETE FROM proj_pick_lists WHERE sector = %s AND delivery_date = %s AND "
            "product_code = %s AND quantity = 0 AND orders = 0 AND delivered = 0",
            [run for run, row in sorted(delta.units.items()) if any(row)])
        tx.executemany("DELETE FROM proj_pick_orders WHERE order_id = %s",
                       [(o,) for o in sorted(orders) if o in closed or o not in created])
        tx.executemany(
            "INSERT INTO proj_pick_orders (order_id, sector, delivery_date, lines) "
            "VALUES (%s, %s, %s, %s)",
            [(o, v["sector"], v["delivery_date"], json.dumps(v["lines"]))
             for o, v in sorted(orders.items()) if o not in closed])


def pick_list(tx: Tx, sector: str, delivery_date: str) -> list[dict[str, Any]]:
    rows = tx.fetchall("SELECT product_code, name, quantity, orders, delivered "
                       "FROM proj_pick_lists WHERE sector = %s AND delivery_date = %s "
                       "AND (quantity <> 0 OR delivered <> 0) ORDER BY product_code",
                       (sector, delivery_date))
    return [{"product_code": code, "name": name, "quantity": int(quantity),
             "orders": int(count), "delivered": int(delivered)}
            for code, name, quantity, count, delivered in rows]


def pick_list_rows(tx: Tx) -> list[tuple[Any, ...]]:
    return (tx.fetchall("SELECT * FROM proj_pick_lists "
                        "ORDER BY sector, delivery_date, product_code")
            + tx.fetchall("SELECT * FROM proj_pick_orders ORDER BY order_id"))
