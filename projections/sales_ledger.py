"""The contractor's sales ledger: one row per order line delivered (a sale) and per line
returned (a refund), with product, category, sector, PPL, the local day of the delivery or
refund in the unit's time zone, quantity, unit price and amount.

Amounts are positive in both kinds; what the unit owes the contractor for a period is the
sales minus the refunds (ledger/application/settlement.py), and it equals the movement of
`unit/contractor_payable` in the general ledger, because a delivery credits that account
with exactly the sum of its lines (`Order.deliver`) and a refund debits it with exactly
the sum of its lines (`Order.refund`), both stamped with the same instant as the Account's
event. The lines and sector of each order are kept in a second table for its later
events (delivery, refunds after a sector move)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from ledger.application.store import LedgerStore
from ledger.domain.order import Order
from projections.base import Projection
from projections.local_time import day_of_factory, stamp
from projections.source import Recorded, topics
from projections.sql import Tx

WATCHED = frozenset(topics(Order.Placed, Order.Delivered, Order.Rescheduled, Order.Refunded,
                           Order.Cancelled))
COLUMNS = ("line_id", "kind", "order_id", "refund_id", "number", "sector", "day", "at",
           "product_code", "name", "category", "quantity", "unit_price_minor", "amount_minor")


class SalesLedger(Projection):
    name = "sales_ledger"
    watched = WATCHED
    tables = ("proj_sales_ledger", "proj_sales_orders")
    schema = ("""CREATE TABLE IF NOT EXISTS proj_sales_ledger (
        line_id TEXT PRIMARY KEY,
        kind TEXT NOT NULL,
        order_id TEXT NOT NULL,
        refund_id TEXT NOT NULL,
        number TEXT NOT NULL,
        sector TEXT NOT NULL,
        day TEXT NOT NULL,
        at TEXT NOT NULL,
        product_code TEXT NOT NULL,
        name TEXT NOT NULL,
        category TEXT NOT NULL,
        quantity BIGINT NOT NULL,
        unit_price_minor BIGINT NOT NULL,
        amount_minor BIGINT NOT NULL
    )""", "CREATE INDEX IF NOT EXISTS proj_sales_ledger_day ON proj_sales_ledger (day)",
        """CREATE TABLE IF NOT EXISTS proj_sales_orders (
        order_id TEXT PRIMARY KEY,
        number TEXT NOT NULL,
        sector TEXT NOT NULL,
        lines TEXT NOT NULL
    )""")

    def __init__(self, store: LedgerStore) -> None:
        self.store = store

    def apply(self, tx: Tx, batch: Sequence[Recorded]) -> None:
        events = self.wanted(batch)
        if not events:
            return
        day_of = day_of_factory(self.store)
        orders = self._load(tx, events)
        placed: set[str] = set()
        moved: set[str] = set()
        gone: set[str] = set()
        lines: list[tuple[Any, ...]] = []
        for event in events:
            order_id = str(event.originator_id)
            if isinstance(event, Order.Placed):
                orders[order_id] = {"number": event.number, "sector": event.sector,
                                    "lines": {line["code"]: line for line in event.lines}}
                placed.add(order_id)
            elif isinstance(event, Order.Rescheduled):
                orders[order_id]["sector"] = event.sector
                moved.add(order_id)
            elif isinstance(event, Order.Cancelled):
                gone.add(order_id)  # never delivered: no sale, no refund can follow
            else:
                kind, refund_id, handed = (
                    ("sale", "", event.delivered) if isinstance(event, Order.Delivered)
                    else ("refund", event.refund_id, event.lines))
                order = orders[order_id]
                for code, quantity in sorted(handed.items()):
                    line = order["lines"][code]
                    lines.append((f"{kind}:{refund_id or order_id}:{code}", kind, order_id,
                                  refund_id, order["number"], order["sector"],
                                  day_of(event.timestamp), stamp(event.timestamp), code,
                                  line["name"], line["category"], quantity,
                                  line["unit_price_minor"], quantity * line["unit_price_minor"]))
        self._write(tx, orders, placed - gone, moved - placed - gone, gone, lines)

    @staticmethod
    def _load(tx: Tx, events: list[Any]) -> dict[str, dict[str, Any]]:
        wanted = sorted({str(e.originator_id) for e in events if not isinstance(e, Order.Placed)})
        return {order_id: {"number": number, "sector": sector, "lines": json.loads(lines)}
                for order_id, number, sector, lines in tx.fetchall_in(
                    "SELECT order_id, number, sector, lines FROM proj_sales_orders "
                    "WHERE order_id IN ({in})", wanted)}

    @staticmethod
    def _write(tx: Tx, orders: dict[str, dict[str, Any]], new: set[str], moved: set[str],
               gone: set[str], lines: list[tuple[Any, ...]]) -> None:
        tx.executemany(
            "INSERT INTO proj_sales_orders (order_id, number, sector, lines) "
            "VALUES (%s, %s, %s, %s)",
            [(o, orders[o]["number"], orders[o]["sector"],
              json.dumps(orders[o]["lines"], sort_keys=True)) for o in sorted(new)])
        tx.executemany("UPDATE proj_sales_orders SET sector = %s WHERE order_id = %s",
                       [(orders[o]["sector"], o) for o in sorted(moved)])
        tx.executemany("DELETE FROM proj_sales_orders WHERE order_id = %s",
                       [(o,) for o in sorted(gone)])
        tx.executemany(
            f"INSERT INTO proj_sales_ledger ({', '.join(COLUMNS)}) "  # noqa: S608 - constants
            f"VALUES ({', '.join(['%s'] * len(COLUMNS))})", lines)


def sales_lines(tx: Tx, first_day: str, last_day: str) -> list[dict[str, Any]]:
    """Every sale and refund line booked on days first..last (inclusive, YYYY-MM-DD)."""
    rows = tx.fetchall(f"SELECT {', '.join(COLUMNS)} FROM proj_sales_ledger "  # noqa: S608
                       "WHERE day >= %s AND day <= %s ORDER BY day, at, line_id",
                       (first_day, last_day))
    return [_line(row) for row in rows]


def totals_by(tx: Tx, first_day: str, last_day: str, column: str) -> dict[str, dict[str, int]]:
    """Sales and refunds (amount, quantity) per value of `column` (category, sector,
    product_code) on days first..last."""
    if column not in ("category", "sector", "product_code"):
        raise ValueError(column)
    rows = tx.fetchall(f"SELECT {column}, kind, SUM(amount_minor), SUM(quantity) "  # noqa: S608
                       "FROM proj_sales_ledger WHERE day >= %s AND day <= %s "
                       f"GROUP BY {column}, kind", (first_day, last_day))
    totals: dict[str, dict[str, int]] = {}
    for key, kind, amount, quantity in rows:
        entry = totals.setdefault(key, {"sales_minor": 0, "refunds_minor": 0, "sold": 0,
                                        "returned": 0})
        if kind == "sale":
            entry["sales_minor"], entry["sold"] = int(amount), int(quantity)
        else:
            entry["refunds_minor"], entry["returned"] = int(amount), int(quantity)
    return totals


def product_totals(tx: Tx, first_day: str, last_day: str) -> list[dict[str, Any]]:
    """Per product on days first..last: name, category, units sold and returned, amounts."""
    rows = tx.fetchall(
        "SELECT product_code, MAX(name), MAX(category), "
        "SUM(CASE WHEN kind = 'sale' THEN quantity ELSE 0 END), "
        "SUM(CASE WHEN kind = 'refund' THEN quantity ELSE 0 END), "
        "SUM(CASE WHEN kind = 'sale' THEN amount_minor ELSE 0 END), "
        "SUM(CASE WHEN kind = 'refund' THEN amount_minor ELSE 0 END) "
        "FROM proj_sales_ledger WHERE day >= %s AND day <= %s "
        "GROUP BY product_code ORDER BY product_code", (first_day, last_day))
    return [{"product_code": code, "name": name, "category": category, "sold": int(sold),
             "returned": int(returned), "sales_minor": int(sales), "refunds_minor": int(refunds)}
            for code, name, category, sold, returned, sales, refunds in rows]


def lines_by_id(tx: Tx, line_ids: Sequence[str]) -> dict[str, dict[str, Any]]:
    """Sales ledger lines by id, whatever their day."""
    rows = tx.fetchall_in(f"SELECT {', '.join(COLUMNS)} FROM proj_sales_ledger "  # noqa: S608
                          "WHERE line_id IN ({in})", line_ids)
    return {row[0]: _line(row) for row in rows}


def _line(row: tuple[Any, ...]) -> dict[str, Any]:
    line = dict(zip(COLUMNS, row, strict=True))
    for key in ("quantity", "unit_price_minor", "amount_minor"):
        line[key] = int(line[key])
    return line


def sales_ledger_rows(tx: Tx) -> list[tuple[Any, ...]]:
    return (tx.fetchall("SELECT * FROM proj_sales_ledger ORDER BY line_id")
            + tx.fetchall("SELECT * FROM proj_sales_orders ORDER BY order_id"))
