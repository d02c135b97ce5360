"""Commissary orders: placed with funds held, delivered, cancelled, refunded; walk-up sales.

Every command saves the order and the PPL's account in ONE atomic write. The account
carries the funds, the month's usage and the sanctions, so a sale decided on a stale view
of any of them fails the store's version check and is decided again on fresh state."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from uuid import UUID, uuid4

from ledger.application.calendar import moved_delivery, next_delivery
from ledger.application.catalogue import PriceList, check_code
from ledger.application.context import Context, check_text
from ledger.application.idempotency import IdempotentRequest, Outcome
from ledger.domain.account import Account
from ledger.domain.actor import Actor
from ledger.domain.eligibility import Eligibility, EligibilityStatus
from ledger.domain.errors import Conflict, Forbidden, InvalidInput, NotFound
from ledger.domain.ids import delivery_run_id
from ledger.domain.limits import limits_for
from ledger.domain.money import Money
from ledger.domain.order import DeliveryRun, Order, OrderStatus

MAX_LINES = 30


def parse_lines(lines: Any, max_quantity: int, field: str = "quantity") -> dict[str, int]:
    if not isinstance(lines, list) or not 0 < len(lines) <= MAX_LINES:
        raise InvalidInput("lines_invalid", field="lines",
                           es=f"El pedido lleva de 1 a {MAX_LINES} líneas.",
                           en=f"An order has 1 to {MAX_LINES} lines.")
    parsed: dict[str, int] = {}
    for line in lines:
        code = check_code(line.get("product_code") if isinstance(line, dict) else None)
        quantity = line.get(field)
        if type(quantity) is not int or not 0 < quantity <= max_quantity:
            raise InvalidInput("quantity_invalid", field=field,
                               es=f"La cantidad de {code} debe ser de 1 a {max_quantity}.",
                               en=f"The quantity of {code} must be 1 to {max_quantity}.")
        if code in parsed:
            raise InvalidInput("line_duplicate", field="lines",
                               es=f"El producto {code} figura dos veces; sume las cantidades.",
                               en=f"Product {code} appears twice; add the quantities up.")
        parsed[code] = quantity
    return parsed


def check_eligible(account: Account, now: datetime) -> Eligibility:
    eligibility = account.eligibility(now)
    if eligibility.status is EligibilityStatus.SUSPENDED:
        until = eligibility.until.isoformat() if eligibility.until else "sin fecha"
        raise Forbidden("commissary_suspended", field="penitentiary_number",
                        es=f"La PPL {account.number} tiene el economato suspendido por sanción "
                        f"hasta {until}.",
                        en=f"PPL {account.number} has the commissary suspended by a sanction "
                        f"until {until}.",
                        until=until, cases=",".join(eligibility.case_ids))
    return eligibility


def order_view(order: Order, currency: str) -> dict[str, Any]:
    return {
        "order_id": str(order.id),
        "penitentiary_number": order.number,
        "sector": order.sector,
        "delivery_date": order.delivery_date,
        "walk_up": order.delivery_date is None,
        "status": order.status,
        "lines": [dict(line) for line in order.lines],
        "total_minor": order.total_minor,
        "items": order.items,
        "delivered": dict(order.delivered),
        "delivered_minor": order.delivered_minor,
        "refunded_minor": order.refunded_minor,
        "currency": currency,
        "placed_at": order.placed_at.isoformat(),
        "updated_at": order.modified_on.isoformat(),
    }


class Commissary:
    def __init__(self, ctx: Context, price_list: PriceList) -> None:
        self.ctx = ctx
        self.price_list = price_list

    # ------------------------------------------------------------------ reads

    def order(self, order_id: str) -> Order:
        try:
            found = self.ctx.store.find(UUID(order_id))
        except (ValueError, TypeError):
            found = None
        if not isinstance(found, Order):
            raise NotFound("order_not_found", field="order_id", es="No existe ese pedido.",
                           en="No such order.")
        return found

    def view(self, order_id: str) -> dict[str, Any]:
        return order_view(self.order(order_id), self.ctx.settings().currency)

    def overview(self, number: str) -> dict[str, Any]:
        """What the clerk sees for a PPL: identity, eligibility, funds, limits left, orders."""
        now = self.ctx.clock.now()
        settings = self.ctx.settings()
        account = self.ctx.account(number, to_read=True)
        eligibility = account.eligibility(now)
        limits = limits_for(settings, account.regime, eligibility)
        usage = account.month_usage(settings.month_of(now))
        open_orders = [order_view(self.ctx.store.get(UUID(order_id)), settings.currency)
                       for order_id in account.open_orders]
        return {
            "penitentiary_number": account.number,
            "name": account.name,
            "document_last_digits": account.document[-4:],
            "sector": account.sector,
            "regime": account.regime,
            "status": account.status,
            "currency": settings.currency,
            "available_minor": account.balances["available"],
            "held_minor": account.balances["held"],
            "eligibility": {
                "status": eligibility.status.value,
                "until": eligibility.until.isoformat() if eligibility.until else None,
                "case_ids": list(eligibility.case_ids),
            },
            "limits": {
                "money_minor": limits.money_minor, "items": limits.items,
                "money_source": limits.money_source, "items_source": limits.items_source,
                "spent_minor": usage["spent_minor"], "items_used": usage["items"],
                "money_left_minor": max(limits.money_minor - usage["spent_minor"], 0),
                "items_left": max(limits.items - usage["items"], 0),
            },
            "open_orders": open_orders,
            "next_delivery": next_delivery(settings, account.sector, now).isoformat(),
        }

    def delivery_run(self, sector: str, day: Any) -> dict[str, Any]:
        """The orders of a sector's delivery day, with the pick list to bag."""
        try:
            day_text = date.fromisoformat(day).isoformat()
        except (TypeError, ValueError):
            raise InvalidInput("date_invalid", field="date", es="Fecha AAAA-MM-DD.",
                               en="Date as YYYY-MM-DD.") from None
        run = self.ctx.store.find(delivery_run_id(sector, day_text))
        currency = self.ctx.settings().currency
        orders = [order_view(self.ctx.store.get(UUID(order_id)), currency)
                  for order_id in (run.orders if run else {})]
        orders.sort(key=lambda o: o["penitentiary_number"])
        pick: dict[str, dict[str, Any]] = {}
        for order in orders:
            if order["status"] in (OrderStatus.CANCELLED, OrderStatus.ABSENT):
                continue
            for line in order["lines"]:
                entry = pick.setdefault(line["code"], {"product_code": line["code"],
                                                       "name": line["name"], "quantity": 0})
                entry["quantity"] += line["quantity"]
        return {"sector": sector, "date": day_text, "orders": orders,
                "pick_list": sorted(pick.values(), key=lambda p: p["product_code"])}

    # ------------------------------------------------------------------ commands

    def _priced(self, lines: dict[str, int], now: datetime) -> list[dict[str, Any]]:
        priced = []
        for code, quantity in lines.items():
            product = self.price_list.product(code)
            price = product.check_sellable(now)
            priced.append({"code": product.code, "name": product.name,
                           "category": product.category, "quantity": quantity,
                           "unit_price_minor": price, "item_units": product.item_units})
        return priced

    def _place(self, number: str, lines: Any, actor: Actor, *, walk_up: bool
               ) -> tuple[Account, Order, DeliveryRun | None]:
        now = self.ctx.clock.now()
        settings = self.ctx.unit().settings_at(now)
        account = self.ctx.account(number)
        account.check_active()
        eligibility = check_eligible(account, now)
        if walk_up and not settings.is_open(now):
            hours = ", ".join(f"{a}–{b}" for a, b in settings.opening_hours)
            raise Conflict("commissary_closed", es=f"El economato atiende en el horario {hours}.",
                           en=f"The commissary counter is open {hours}.")
        priced = self._priced(parse_lines(lines, settings.max_quantity_per_line), now)
        delivery = None if walk_up else next_delivery(settings, account.sector, now).isoformat()
        order = Order.place(uuid4(), number=number, sector=account.sector, lines=priced,
                            delivery_date=delivery, actor=actor, at=now)
        account.place_order(entry_id=str(uuid4()), order_id=str(order.id),
                            amount=Money(order.total_minor, settings.currency), items=order.items,
                            month=settings.month_of(now), delivery_date=delivery,
                            limits=limits_for(settings, account.regime, eligibility),
                            actor=actor, at=now)
        run = None
        if delivery:
            run = self.ctx.store.find(delivery_run_id(account.sector, delivery)) or \
                DeliveryRun.open(delivery_run_id(account.sector, delivery), account.sector,
                                 delivery, now)
            run.add(str(order.id), number, now)
        return account, order, run

    def place_order(self, *, number: str, lines: Any, actor: Actor,
                    request: IdempotentRequest | None) -> Outcome:
        """An order for the PPL's next delivery: checks eligibility, catalogue, the month's
        limits, one delivery a week and funds, then holds the amount."""

        def decide() -> Any:
            account, order, run = self._place(number, lines, actor, walk_up=False)
            body = order_view(order, self.ctx.settings().currency)
            return [account, order, run], Outcome(201, body)

        return self.ctx.run(request, decide, reads=self.ctx.account_key(number))

    def walk_up_sale(self, *, number: str, lines: Any, actor: Actor,
                     request: IdempotentRequest | None) -> Outcome:
        """A sale at the counter during opening hours: placed and delivered at once."""

        def decide() -> Any:
            account, order, _ = self._place(number, lines, actor, walk_up=True)
            self._settle_delivery(account, order, None, actor)
            return [account, order], Outcome(201, order_view(order, self.ctx.settings().currency))

        return self.ctx.run(request, decide, reads=self.ctx.account_key(number))

    def _settle_delivery(self, account: Account, order: Order, delivered: dict[str, int] | None,
                         actor: Actor) -> None:
        now = self.ctx.clock.now()
        amount, released, released_items = order.deliver(delivered, actor, now)
        account.settle_order(entry_id=str(uuid4()), order_id=str(order.id),
                             outcome=order.status, delivered_minor=amount,
                             released_minor=released, released_items=released_items,
                             actor=actor, at=now)

    def _open_in_run(self, order_id: str, run_sector: str | None) -> tuple[Order, Account]:
        order = self.order(order_id)
        if run_sector is not None and order.sector != run_sector:
            raise Conflict("order_not_in_run", field="order_id",
                           es=f"El pedido es del sector {order.sector}, no de este reparto "
                           f"({run_sector}).",
                           en=f"The order belongs to sector {order.sector}, not to this run "
                           f"({run_sector}).")
        order.check_open()
        return order, self.ctx.account(order.number)

    def deliver(self, *, order_id: str, delivered: Any, run_sector: str | None, actor: Actor,
                request: IdempotentRequest | None) -> Outcome:
        """Full delivery (no lines given) or partial: captures what was handed over and
        releases the rest to available funds."""

        def decide() -> Any:
            order, account = self._open_in_run(order_id, run_sector)
            handed = None
            if delivered is not None:
                max_quantity = max(line["quantity"] for line in order.lines)
                handed = {code: 0 for code in (line["code"] for line in order.lines)}
                handed.update(_delivered_lines(delivered, max_quantity))
            self._settle_delivery(account, order, handed, actor)
            return [account, order], Outcome(200, order_view(order, self.ctx.settings().currency))

        return self.ctx.run(request, decide, reads=self.ctx.id_key(order_id))

    def cancel(self, *, order_id: str, reason: str, absent: bool, run_sector: str | None,
               actor: Actor, request: IdempotentRequest | None) -> Outcome:
        """Cancels an order, or records the PPL absent at delivery (the same: the order is
        closed and every held peso goes back to available funds)."""
        reason = check_text(reason, "reason") if not absent else (reason or "ausente")

        def decide() -> Any:
            order, account = self._open_in_run(order_id, run_sector)
            now = self.ctx.clock.now()
            order.cancel(reason, absent=absent, actor=actor, at=now)
            account.settle_order(entry_id=str(uuid4()), order_id=str(order.id),
                                 outcome=order.status, delivered_minor=0,
                                 released_minor=order.total_minor, released_items=order.items,
                                 actor=actor, at=now)
            return [account, order], Outcome(200, order_view(order, self.ctx.settings().currency))

        return self.ctx.run(request, decide)

    def refund(self, *, order_id: str, lines: Any, reason: str, actor: Actor,
               request: IdempotentRequest | None) -> Outcome:
        """Returned goods, by the contractor: never more than was delivered."""
        reason = check_text(reason, "reason")

        def decide() -> Any:
            now = self.ctx.clock.now()
            settings = self.ctx.unit().settings_at(now)
            order = self.order(order_id)
            wanted = parse_lines(lines, 10_000)
            refund_id = str(uuid4())
            amount, items = order.refund(refund_id, wanted, reason, actor, now)
            account = self.ctx.account(order.number)
            account.refund_commissary(
                entry_id=str(uuid4()), order_id=order_id, refund_id=refund_id,
                amount=Money(amount, settings.currency), items=items,
                month=settings.month_of(order.placed_at),
                restores_consumption=settings.refund_restores_consumption, actor=actor, at=now)
            body = {**order_view(order, settings.currency), "refund_id": refund_id,
                    "refund_minor": amount}
            return [account, order], Outcome(201, body)

        return self.ctx.run(request, decide)

    def reschedule_after_sector_move(self, account: Account, actor: Actor,
                                     now: datetime) -> list[Any]:
        """Pending orders follow the PPL to the new sector's delivery day (III.A.11)."""
        settings = self.ctx.unit().settings_at(now)
        changed: list[Any] = []
        taken: set[str] = set()
        for order_id, pending in sorted(account.open_orders.items(),
                                        key=lambda item: item[1]["delivery_date"] or ""):
            old_date = pending["delivery_date"]
            if not old_date:
                continue
            order = self.ctx.store.get(UUID(order_id))
            new_date = moved_delivery(settings, account.sector, date.fromisoformat(old_date),
                                      now, taken).isoformat()
            taken.add(new_date)
            old_run = self.ctx.store.get(delivery_run_id(order.sector, old_date))
            old_run.remove(order_id, now)
            new_run = self.ctx.store.find(delivery_run_id(account.sector, new_date)) or \
                DeliveryRun.open(delivery_run_id(account.sector, new_date), account.sector,
                                 new_date, now)
            new_run.add(order_id, account.number, now)
            order.reschedule(account.sector, new_date, actor, now)
            account.reschedule_order(order_id, new_date, actor, now)
            changed.extend([order, old_run, new_run])
        return changed


def _delivered_lines(lines: Any, max_quantity: int) -> dict[str, int]:
    if not isinstance(lines, list) or not lines:
        raise InvalidInput("lines_invalid", field="lines",
                           es="Indique lo entregado de cada producto.",
                           en="Give the delivered quantity of each product.")
    handed: dict[str, int] = {}
    for line in lines:
        code = check_code(line.get("product_code") if isinstance(line, dict) else None)
        quantity = line.get("delivered_quantity")
        if type(quantity) is not int or quantity < 0:
            raise InvalidInput("delivered_quantity_invalid", field="delivered_quantity",
                               es=f"La cantidad entregada de {code} es un entero de 0 o más.",
                               en=f"The delivered quantity of {code} is a whole number >= 0.")
        handed[code] = quantity
    return handed
