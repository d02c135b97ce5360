"""A commissary order: placed with funds held, then delivered (wholly or partly),
cancelled, or refunded after delivery. The money moves on the PPL's account, in the same
atomic save as each of these events."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from eventsourcing.domain import Aggregate

from ledger.domain.actor import Actor
from ledger.domain.errors import Conflict, InvalidInput


class OrderStatus(StrEnum):
    PLACED = "placed"
    DELIVERED = "delivered"
    PARTIALLY_DELIVERED = "partially_delivered"
    CANCELLED = "cancelled"
    ABSENT = "absent"  # the PPL was not there at delivery: cancelled, funds released


class Order(Aggregate):
    class Placed(Aggregate.Created):
        number: str
        sector: str
        lines: list[dict[str, Any]]  # code, name, category, quantity, unit_price_minor, item_units
        delivery_date: str | None  # None: a walk-up sale at the counter
        actor: Actor

    class Event(Aggregate.Event):
        actor: Actor

    class Delivered(Event):
        delivered: dict[str, int]  # code -> quantity handed over
        delivered_minor: int

        def apply(self, aggregate: Order) -> None:
            aggregate.delivered = dict(self.delivered)
            aggregate.delivered_minor = self.delivered_minor
            full = all(self.delivered.get(line["code"], 0) == line["quantity"]
                       for line in aggregate.lines)
            aggregate.status = (OrderStatus.DELIVERED if full
                                else OrderStatus.PARTIALLY_DELIVERED).value

    class Cancelled(Event):
        reason: str
        absent: bool

        def apply(self, aggregate: Order) -> None:
            aggregate.status = (OrderStatus.ABSENT if self.absent
                                else OrderStatus.CANCELLED).value
            aggregate.cancel_reason = self.reason

    class Rescheduled(Event):
        sector: str
        delivery_date: str

        def apply(self, aggregate: Order) -> None:
            aggregate.sector = self.sector
            aggregate.delivery_date = self.delivery_date

    class Refunded(Event):
        refund_id: str
        lines: dict[str, int]  # code -> quantity returned
        amount_minor: int
        reason: str

        def apply(self, aggregate: Order) -> None:
            for code, quantity in self.lines.items():
                aggregate.refunded[code] = aggregate.refunded.get(code, 0) + quantity
            aggregate.refunded_minor += self.amount_minor

    def __init__(self, number: str, sector: str, lines: list[dict[str, Any]],
                 delivery_date: str | None, actor: Actor) -> None:
        self.number = number
        self.sector = sector
        self.lines = [dict(line) for line in lines]
        self.delivery_date = delivery_date
        self.status = OrderStatus.PLACED.value
        self.delivered: dict[str, int] = {}
        self.delivered_minor = 0
        self.refunded: dict[str, int] = {}
        self.refunded_minor = 0
        self.cancel_reason = ""
        self.placed_at = self.created_on

    @classmethod
    def place(cls, order_id: Any, *, number: str, sector: str, lines: list[dict[str, Any]],
              delivery_date: str | None, actor: Actor, at: datetime) -> Order:
        return cls._create(cls.Placed, id=order_id, number=number, sector=sector, lines=lines,
                           delivery_date=delivery_date, actor=actor, timestamp=at)

    @property
    def total_minor(self) -> int:
        return sum(line["quantity"] * line["unit_price_minor"] for line in self.lines)

    @property
    def items(self) -> int:
        return sum(line["quantity"] * line["item_units"] for line in self.lines)

    def _line(self, code: str) -> dict[str, Any]:
        for line in self.lines:
            if line["code"] == code:
                return line
        raise InvalidInput("order_line_unknown", field="product_code",
                           es=f"El pedido no tiene el producto {code}.",
                           en=f"The order has no product {code}.")

    def check_open(self) -> None:
        if self.status != OrderStatus.PLACED:
            raise Conflict("order_not_open", field="order_id",
                           es=f"El pedido ya está cerrado ({STATUS_ES[self.status]}); "
                           "no se puede entregar ni cancelar otra vez.",
                           en=f"The order is already closed ({self.status}).",
                           status=self.status)

    def deliver(self, delivered: dict[str, int] | None, actor: Actor,
                at: datetime) -> tuple[int, int, int]:
        """Records what was handed over; returns (delivered amount, released amount,
        released items). `None` means every line in full."""
        self.check_open()
        handed = delivered if delivered is not None else {
            line["code"]: line["quantity"] for line in self.lines}
        for code, quantity in handed.items():
            line = self._line(code)
            if type(quantity) is not int or not 0 <= quantity <= line["quantity"]:
                raise InvalidInput(
                    "delivered_quantity_invalid", field="delivered_quantity",
                    es=f"Para {code} se puede entregar de 0 a {line['quantity']} unidades.",
                    en=f"For {code} between 0 and {line['quantity']} units can be delivered.")
        amount = sum(q * self._line(c)["unit_price_minor"] for c, q in handed.items())
        items = sum(q * self._line(c)["item_units"] for c, q in handed.items())
        self.trigger_event(self.Delivered, delivered={c: q for c, q in handed.items() if q},
                           delivered_minor=amount, actor=actor, timestamp=at)
        return amount, self.total_minor - amount, self.items - items

    def cancel(self, reason: str, *, absent: bool, actor: Actor, at: datetime) -> None:
        self.check_open()
        self.trigger_event(self.Cancelled, reason=reason, absent=absent, actor=actor,
                           timestamp=at)

    def reschedule(self, sector: str, delivery_date: str, actor: Actor, at: datetime) -> None:
        self.trigger_event(self.Rescheduled, sector=sector, delivery_date=delivery_date,
                           actor=actor, timestamp=at)

    def refund(self, refund_id: str, lines: dict[str, int], reason: str, actor: Actor,
               at: datetime) -> tuple[int, int]:
        """Returns (amount, items) refunded; never more than was delivered."""
        if self.status not in (OrderStatus.DELIVERED, OrderStatus.PARTIALLY_DELIVERED):
            raise Conflict("order_not_delivered", field="order_id",
                           es="Solo se reintegra lo que fue entregado.",
                           en="Only delivered goods can be refunded.")
        if not lines:
            raise InvalidInput("refund_empty", field="lines", es="Indique qué se devuelve.",
                               en="Say what is returned.")
        for code, quantity in lines.items():
            line = self._line(code)
            left = self.delivered.get(code, 0) - self.refunded.get(code, 0)
            if type(quantity) is not int or not 0 < quantity <= left:
                raise Conflict("refund_exceeds_sale", field="quantity",
                               es=f"Para {code} se pueden reintegrar como máximo {left} unidades.",
                               en=f"At most {left} units of {code} can be refunded.",
                               product_code=line["code"], refundable=left)
        amount = sum(q * self._line(c)["unit_price_minor"] for c, q in lines.items())
        items = sum(q * self._line(c)["item_units"] for c, q in lines.items())
        self.trigger_event(self.Refunded, refund_id=refund_id, lines=dict(lines),
                           amount_minor=amount, reason=reason, actor=actor, timestamp=at)
        return amount, items


class DeliveryRun(Aggregate):
    """The orders of one sector for one delivery date: what the clerk opens on the POS
    and the contractor bags (pick list)."""

    class Opened(Aggregate.Created):
        sector: str
        delivery_date: str

    class OrderAdded(Aggregate.Event):
        order_id: str
        number: str

        def apply(self, aggregate: DeliveryRun) -> None:
            # In place: a run holds a sector's week of orders, and copying the map on
            # every event made loading a run quadratic in its orders.
            aggregate.orders[self.order_id] = self.number

    class OrderRemoved(Aggregate.Event):
        order_id: str

        def apply(self, aggregate: DeliveryRun) -> None:
            aggregate.orders.pop(self.order_id, None)

    def __init__(self, sector: str, delivery_date: str) -> None:
        self.sector = sector
        self.delivery_date = delivery_date
        self.orders: dict[str, str] = {}

    @classmethod
    def open(cls, run_id: Any, sector: str, delivery_date: str, at: datetime) -> DeliveryRun:
        return cls._create(cls.Opened, id=run_id, sector=sector, delivery_date=delivery_date,
                           timestamp=at)

    def add(self, order_id: str, number: str, at: datetime) -> None:
        self.trigger_event(self.OrderAdded, order_id=order_id, number=number, timestamp=at)

    def remove(self, order_id: str, at: datetime) -> None:
        if order_id in self.orders:
            self.trigger_event(self.OrderRemoved, order_id=order_id, timestamp=at)


STATUS_ES = {
    "placed": "pendiente",
    "delivered": "entregado",
    "partially_delivered": "entregado en parte",
    "cancelled": "cancelado",
    "absent": "cancelado por ausencia",
}
