"""The registry of depositors. A depositor sees only their own record and deposits."""

from __future__ import annotations

from typing import Any

import msgspec
from litestar import Controller, Request, Response, get, post

from api.deps import idempotent, ledger_of, principal_of
from api.guards import requires, requires_finance_admin
from api.respond import respond
from ledger.domain.actor import Role
from ledger.domain.errors import NotFound

Answer = Response[dict[str, Any]]
requires_registrar = requires(Role.DEPOSIT_DESK, Role.FINANCE_ADMIN)
requires_depositor_reader = requires(Role.DEPOSIT_DESK, Role.FINANCE_ADMIN, Role.DEPOSITOR)


class Strict(msgspec.Struct, forbid_unknown_fields=True):
    pass


class Registration(Strict):
    name: str
    document: str
    relation: str
    contact: str = ""


class Reason(Strict):
    reason: str


class Cap(Strict):
    monthly_cap_minor: int | None


def _own_only(request: Request[Any, Any, Any], depositor_id: str) -> None:
    principal = principal_of(request)
    if principal.role is Role.DEPOSITOR and principal.depositor_id != depositor_id:
        # Same answer as for an unknown id: nobody can probe who else is registered.
        raise NotFound("depositor_not_found", field="depositor_id",
                       es="No existe ese depositante registrado.",
                       en="No such registered depositor.")


class DepositorController(Controller):
    path = "/depositors"
    tags = ["depositors"]

    @post("/", guards=[requires_registrar], sync_to_thread=True)
    def register(self, request: Request[Any, Any, Any], data: Registration) -> Answer:
        """Registers a family member or friend (one registration per document)."""
        return respond(ledger_of(request).depositors.register(
            name=data.name, document=data.document, relation=data.relation,
            contact=data.contact, actor=principal_of(request).actor(),
            request=idempotent(request, data)))

    @get("/{depositor_id:str}", guards=[requires_depositor_reader], sync_to_thread=True)
    def view(self, request: Request[Any, Any, Any], depositor_id: str) -> dict[str, Any]:
        _own_only(request, depositor_id)
        return ledger_of(request).depositors.view(depositor_id)

    @get("/{depositor_id:str}/deposits", guards=[requires_depositor_reader],
         sync_to_thread=True)
    def deposits(self, request: Request[Any, Any, Any], depositor_id: str) -> dict[str, Any]:
        """The depositor's own deposits and their state; never a balance."""
        _own_only(request, depositor_id)
        return {"deposits": ledger_of(request).deposits.of_depositor(depositor_id)}

    @post("/{depositor_id:str}/block", guards=[requires_finance_admin], sync_to_thread=True)
    def block(self, request: Request[Any, Any, Any], depositor_id: str, data: Reason) -> Answer:
        return respond(ledger_of(request).depositors.block(
            depositor_id, data.reason, principal_of(request).actor(), idempotent(request, data)))

    @post("/{depositor_id:str}/unblock", guards=[requires_finance_admin], sync_to_thread=True)
    def unblock(self, request: Request[Any, Any, Any], depositor_id: str, data: Reason) -> Answer:
        return respond(ledger_of(request).depositors.unblock(
            depositor_id, data.reason, principal_of(request).actor(), idempotent(request, data)))

    @post("/{depositor_id:str}/cap", guards=[requires_finance_admin], sync_to_thread=True)
    def set_cap(self, request: Request[Any, Any, Any], depositor_id: str, data: Cap) -> Answer:
        """This depositor's own monthly cap; null falls back to the unit's."""
        return respond(ledger_of(request).depositors.set_monthly_cap(
            depositor_id, data.monthly_cap_minor, principal_of(request).actor(),
            idempotent(request, data)))

    @post("/{depositor_id:str}/erase", guards=[requires_finance_admin], sync_to_thread=True)
    def erase(self, request: Request[Any, Any, Any], depositor_id: str, data: Reason) -> Answer:
        """Erases the person's data; their deposits stay in the ledger by id alone."""
        return respond(ledger_of(request).depositors.erase_personal_data(
            depositor_id, data.reason, principal_of(request).actor(), idempotent(request, data)))
