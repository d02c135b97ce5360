"""The unit's configuration and its users."""

from __future__ import annotations

from typing import Any

import msgspec
from litestar import Controller, Request, Response, get, patch, post

from api.deps import idempotent, ledger_of, principal_of
from api.guards import requires, requires_finance_admin
from api.respond import respond
from ledger.domain.actor import Role

requires_staff = requires(*(r for r in Role if r not in (Role.DEPOSITOR, Role.SYSTEM)))


class SettingsChange(msgspec.Struct, forbid_unknown_fields=True):
    changes: dict[str, Any]
    reason: str


class NewUser(msgspec.Struct, forbid_unknown_fields=True):
    username: str
    password: str
    role: str
    depositor_id: str | None = None


class UnitController(Controller):
    path = "/unit"
    tags = ["unit"]

    @get("/settings", guards=[requires_staff], sync_to_thread=True)
    def settings(self, request: Request[Any, Any, Any]) -> dict[str, Any]:
        """The rules in force: currency, time zone, shares, caps."""
        return ledger_of(request).unit.current()

    @patch("/settings", guards=[requires_finance_admin], sync_to_thread=True)
    def change(self, request: Request[Any, Any, Any],
               data: SettingsChange) -> Response[dict[str, Any]]:
        """Changes rules from now on; each change is an event with its reason."""
        return respond(ledger_of(request).unit.change(
            data.changes, data.reason, principal_of(request).actor(), idempotent(request, data)))

    @post("/users", guards=[requires_finance_admin], sync_to_thread=True)
    def create_user(self, request: Request[Any, Any, Any],
                    data: NewUser) -> Response[dict[str, Any]]:
        """Creates a user in one role (a depositor user is tied to a depositor)."""
        return respond(ledger_of(request).users.create(
            username=data.username, password=data.password, role=data.role,
            depositor_id=data.depositor_id, actor=principal_of(request).actor()))
