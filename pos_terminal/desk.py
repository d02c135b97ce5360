"""The clerk's desk: what the screens ask for, over the client and the offline queue.

It keeps the open run in memory (the orders and what was last seen of each PPL), so a
clerk can go on confirming deliveries when the link drops. Nothing personal is written
to the terminal's disk: the queue holds order ids, numbers and quantities only."""

from __future__ import annotations

import contextlib
import threading
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Literal

from pos_terminal.client import (
    DeliveryRun,
    Offline,
    Order,
    Overview,
    PosClient,
    Problem,
    Product,
    Session,
)
from pos_terminal.i18n import Messages
from pos_terminal.queue import Confirmation, OfflineQueue, Queued, SyncReport
from pos_terminal.receipt import Kind, Receipt


@dataclass(frozen=True)
class Card:
    """One PPL as the clerk sees it during the run."""

    overview: Overview
    order: Order | None  # this run's order, as last known
    queued: Queued | None  # its confirmation waiting to sync, if any
    seen_at: datetime
    offline: bool  # shown from what was fetched earlier


@dataclass(frozen=True)
class Outcome:
    state: Literal["confirmed", "replayed", "queued", "refused"]
    receipt: Receipt | None
    detail: str = ""


class Desk:
    def __init__(self, client: PosClient, queue: OfflineQueue, messages: Messages) -> None:
        self.client, self.queue, self.m = client, queue, messages
        self.run: DeliveryRun | None = None
        self.orders: dict[str, Order] = {}
        self.people: dict[str, tuple[Overview, datetime]] = {}
        self.products: dict[str, Product] = {}
        self._lock = threading.RLock()

    # ------------------------------------------------------------------ session and run

    @property
    def clerk(self) -> str:
        return self.client.session.username if self.client.session else "-"

    def sign_in(self, username: str, password: str) -> Session:
        session = self.client.sign_in(username, password)
        with contextlib.suppress(Offline, Problem):  # loaded again before a sale
            self.load_price_list()
        return session

    def load_price_list(self) -> None:
        products = self.client.price_list()
        with self._lock:
            self.products = {p.code: p for p in products}

    def open_run(self, sector: str, day: date) -> DeliveryRun:
        """Loads the run and what the clerk will need of each PPL in it, so the run can go
        on if the link drops."""
        run = self.client.delivery_run(sector, day)
        with self._lock:
            self.run = run
            self.orders = {o.order_id: o for o in run.orders}
        for number in sorted({o.number for o in run.orders}):
            try:
                self._remember(self.client.overview(number))
            except Problem:
                continue  # shown with its error when the clerk looks the PPL up
        return run

    def next_run_with_orders(self, sector: str, day: date, days: int = 7
                             ) -> DeliveryRun | None:
        for ahead in range(1, days + 1):
            run = self.client.delivery_run(sector, day + timedelta(days=ahead))
            if run.orders:
                return run
        return None

    def run_orders(self) -> list[Order]:
        with self._lock:
            return sorted(self.orders.values(), key=lambda o: o.number)

    def shown_status(self, order: Order) -> str:
        return "queued" if self.queue.waiting_for(order.order_id) else order.status

    def _remember(self, overview: Overview) -> None:
        with self._lock:
            self.people[overview.number] = (overview, datetime.now().astimezone())
            for order in overview.open_orders:
                if order.order_id in self.orders:
                    self._keep(order)

    def _keep(self, order: Order) -> Order:
        """Keeps the newest view of an order: an answer that was slow to arrive never
        undoes a later one (the server stamps each change; call under the lock)."""
        known = self.orders.get(order.order_id)
        if known is None or _stamp(order) >= _stamp(known):
            self.orders[order.order_id] = order
        return self.orders[order.order_id]

    def _run_order(self, number: str) -> Order | None:
        with self._lock:
            found = [o for o in self.orders.values() if o.number == number]
        return found[0] if found else None

    # ------------------------------------------------------------------ looking a PPL up

    def look_up(self, number: str) -> Card:
        """Fresh from the server; offline, what was fetched when the run was opened (with
        the link known to be down, at once: no clerk waits for a timeout per PPL)."""
        offline = self.client.online is False and number in self.people
        if not offline:
            try:
                self._remember(self.client.overview(number))
            except Offline:
                if number not in self.people:
                    raise
                offline = True
        overview, seen_at = self.people[number]
        order = self._run_order(number)
        if order is not None and not offline and order.is_open and order.order_id not in {
                o.order_id for o in overview.open_orders}:
            order = self._refresh_order(order.order_id)  # closed meanwhile, elsewhere
        queued = self.queue.waiting_for(order.order_id) if order else None
        return Card(overview, order, queued, seen_at, offline)

    def cached_card(self, number: str, offline: bool) -> Card | None:
        """The card as last known, with the run's latest state of the order (no request)."""
        with self._lock:
            known = self.people.get(number)
        if known is None:
            return None
        order = self._run_order(number)
        queued = self.queue.waiting_for(order.order_id) if order else None
        return Card(known[0], order, queued, known[1], offline)

    def _refresh_order(self, order_id: str) -> Order:
        order = self.client.order(order_id)
        with self._lock:
            return self._keep(order)

    # ------------------------------------------------------------------ confirmations

    def confirm(self, confirmation: Confirmation) -> Outcome:
        """Writes the confirmation to the durable queue, then sends what waits, in order.
        Online, the answer comes back at once; offline, it waits in the queue."""
        queued = self.queue.append(confirmation, queued_by=self.clerk)
        if self.client.online is not False:  # with the link known down, the app's timer
            self.absorb(self.queue.sync(self.client, wait=True))  # probes and sends later
        row = self.queue.get(queued.seq)
        if row.state == "refused":
            return Outcome("refused", None, (row.answer or {}).get("detail", ""))
        if row.state == "applied":
            order = Order.from_json(row.answer or {})
            state: Literal["confirmed", "replayed"] = "replayed" if row.replayed else "confirmed"
            return Outcome(state, self._receipt(confirmation, order, state))
        with self._lock:
            order = self.orders[confirmation.order_id]
        return Outcome("queued", self._receipt(confirmation, order, "provisional"))

    def sync(self, *, wait: bool = False) -> SyncReport:
        report = self.queue.sync(self.client, wait=wait)
        self.absorb(report)
        return report

    def absorb(self, report: SyncReport) -> None:
        """What the server answered for each confirmation becomes the run's state."""
        for row in report.applied:
            if row.answer and "order_id" in row.answer:
                with self._lock:
                    self._keep(Order.from_json(row.answer))

    def _receipt(self, confirmation: Confirmation, order: Order,
                 state: Literal["confirmed", "replayed", "provisional"]) -> Receipt:
        if confirmation.kind == "absent":
            kind: Kind = "absent"
            delivered: dict[str, int] = {}
        else:
            delivered = dict(order.delivered) if state != "provisional" else (
                confirmation.delivered if confirmation.delivered is not None
                else {line.code: line.quantity for line in order.lines})
            full = all(delivered.get(line.code, 0) == line.quantity for line in order.lines)
            kind = "delivery" if full else "partial"
        return self._make_receipt(kind, state, order, delivered)

    def _make_receipt(self, kind: Kind, state: Literal["confirmed", "replayed", "provisional"],
                      order: Order, delivered: dict[str, int]) -> Receipt:
        available_after = None
        if state != "provisional":
            try:
                self._remember(self.client.overview(order.number))
                available_after = self.people[order.number][0].available_minor
            except (Offline, Problem):
                available_after = None
        with self._lock:
            known = self.people.get(order.number)
        name, digits = (known[0].name, known[0].document_last_digits) if known else ("", "")
        return Receipt(kind=kind, state=state, order=order, delivered=delivered, name=name,
                       document_last_digits=digits, terminal=self.client.terminal_id,
                       clerk=self.clerk, at=datetime.now().astimezone(),
                       available_after_minor=available_after)

    # ------------------------------------------------------------------ sales (online only)

    def sell(self, number: str, lines: dict[str, int], idempotency_key: str, *,
             walk_up: bool) -> Receipt:
        """A walk-up sale (delivered at once) or an order for the next delivery. Offline
        the client raises SaleNeedsTheServer: nothing is queued."""
        if walk_up:
            answer = self.client.walk_up_sale(number, lines, idempotency_key)
        else:
            answer = self.client.place_order(number, lines, idempotency_key)
        order = Order.from_json(answer.body)
        with self._lock:
            if self.run and not walk_up and order.sector == self.run.sector and \
                    order.delivery_date == self.run.day:
                self._keep(order)
        state: Literal["confirmed", "replayed"] = "replayed" if answer.replayed else "confirmed"
        return self._make_receipt("sale" if walk_up else "order", state, order,
                                  dict(order.delivered))


def _stamp(order: Order) -> datetime:
    try:
        return datetime.fromisoformat(order.updated_at)
    except ValueError:
        return datetime.min.replace(tzinfo=UTC)
