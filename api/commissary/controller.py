"""The commissary: what the clerk's POS and the contractor call."""

from __future__ import annotations

from typing import Any

import msgspec
from litestar import Controller, Request, Response, get, post

from api.commissary import schemas as s
from api.commissary.signing import requires_signed_terminal_for_clerks, terminal_of
from api.deps import idempotent, ledger_of, principal_of
from api.guards import requires
from api.respond import respond
from ledger.domain.actor import Actor, Channel, Role

Answer = Response[dict[str, Any]]
requires_clerk = requires(Role.CLERK)
requires_canceller = requires(Role.CLERK, Role.FINANCE_ADMIN)
requires_contractor = requires(Role.CONTRACTOR)
requires_reader = requires(Role.CLERK, Role.CONTRACTOR, Role.FINANCE_ADMIN, Role.AUDITOR,
                           Role.CONTRACT_INSPECTOR)


def _actor(request: Request[Any, Any, Any]) -> Actor:
    principal = principal_of(request)
    terminal = terminal_of(request)
    return principal.actor(Channel.POS if terminal else Channel.API, terminal_id=terminal)


def _lines(lines: list[Any] | None) -> list[dict[str, Any]] | None:
    return None if lines is None else [msgspec.to_builtins(line) for line in lines]


class CommissaryController(Controller):
    path = "/commissary"
    tags = ["commissary"]
    guards = [requires_signed_terminal_for_clerks]

    @get("/ppl/{number:str}", guards=[requires_reader], sync_to_thread=True)
    def overview(self, request: Request[Any, Any, Any], number: str) -> dict[str, Any]:
        """What the clerk sees: identity, eligibility, funds, limits left, open orders."""
        return ledger_of(request).commissary.overview(number)

    @post("/orders", guards=[requires_clerk], sync_to_thread=True)
    def place_order(self, request: Request[Any, Any, Any], data: s.OrderIn) -> Answer:
        """An order for the PPL's next weekly delivery; the amount is held."""
        return respond(ledger_of(request).commissary.place_order(
            number=data.penitentiary_number, lines=_lines(data.lines), actor=_actor(request),
            request=idempotent(request, data)))

    @post("/sales", guards=[requires_clerk], sync_to_thread=True)
    def walk_up_sale(self, request: Request[Any, Any, Any], data: s.OrderIn) -> Answer:
        """A sale at the counter during opening hours: placed and delivered at once."""
        return respond(ledger_of(request).commissary.walk_up_sale(
            number=data.penitentiary_number, lines=_lines(data.lines), actor=_actor(request),
            request=idempotent(request, data)))

    @get("/orders/{order_id:str}", guards=[requires_reader], sync_to_thread=True)
    def view(self, request: Request[Any, Any, Any], order_id: str) -> dict[str, Any]:
        return ledger_of(request).commissary.view(order_id)

    @post("/orders/{order_id:str}/delivery", guards=[requires_clerk], sync_to_thread=True)
    def deliver(self, request: Request[Any, Any, Any], order_id: str,
                data: s.DeliveryIn) -> Answer:
        """Confirms delivery: every line in full, or the quantities handed over."""
        return respond(ledger_of(request).commissary.deliver(
            order_id=order_id, delivered=_lines(data.lines), run_sector=data.run_sector,
            actor=_actor(request), request=idempotent(request, data)))

    @post("/orders/{order_id:str}/absent", guards=[requires_clerk], sync_to_thread=True)
    def absent(self, request: Request[Any, Any, Any], order_id: str, data: s.AbsentIn) -> Answer:
        """The PPL was not there: the order is closed and the funds released."""
        return respond(ledger_of(request).commissary.cancel(
            order_id=order_id, reason="ausente en la entrega", absent=True,
            run_sector=data.run_sector, actor=_actor(request),
            request=idempotent(request, data)))

    @post("/orders/{order_id:str}/cancel", guards=[requires_canceller], sync_to_thread=True)
    def cancel(self, request: Request[Any, Any, Any], order_id: str, data: s.CancelIn) -> Answer:
        return respond(ledger_of(request).commissary.cancel(
            order_id=order_id, reason=data.reason, absent=False, run_sector=data.run_sector,
            actor=_actor(request), request=idempotent(request, data)))

    @post("/orders/{order_id:str}/refunds", guards=[requires_contractor], sync_to_thread=True)
    def refund(self, request: Request[Any, Any, Any], order_id: str, data: s.RefundIn) -> Answer:
        """Returned goods: the money goes back to the PPL's available funds."""
        return respond(ledger_of(request).commissary.refund(
            order_id=order_id, lines=_lines(data.lines), reason=data.reason,
            actor=_actor(request), request=idempotent(request, data)))

    @get("/runs/{sector:str}/{day:str}", guards=[requires_reader], sync_to_thread=True)
    def delivery_run(self, request: Request[Any, Any, Any], sector: str,
                     day: str) -> dict[str, Any]:
        """A sector's delivery day: its orders and the pick list to bag."""
        return ledger_of(request).commissary.delivery_run(sector, day)
