"""The price list: public to read (V.H.1), kept by the contractor."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import msgspec
from litestar import Controller, Request, Response, get, post
from litestar.params import Parameter

from api.deps import idempotent, ledger_of, principal_of
from api.guards import requires, requires_finance_admin
from api.respond import respond
from ledger.domain.actor import Role
from ledger.domain.errors import InvalidInput

Answer = Response[dict[str, Any]]
requires_contractor = requires(Role.CONTRACTOR)


class Strict(msgspec.Struct, forbid_unknown_fields=True):
    pass


class ProductIn(Strict):
    product_code: str
    name: str
    category: str
    unit_price_minor: int
    item_units: int
    container: str
    contains_alcohol: bool
    made_by_ppl: bool
    effective_at: datetime | None = None


class PriceIn(Strict):
    unit_price_minor: int
    effective_at: datetime | None = None


class ReasonIn(Strict):
    reason: str


@get("/price-list", exclude_from_auth=True, sync_to_thread=True, tags=["catalogue"])
def public_price_list(request: Request[Any, Any, Any],
                      at: str | None = Parameter(query="at", required=False)) -> dict[str, Any]:
    """The public price list (no sign-in), now or at a past instant (ISO time)."""
    instant = None
    if at:
        try:
            instant = datetime.fromisoformat(at)
            if instant.tzinfo is None:
                raise ValueError
        except ValueError:
            raise InvalidInput("instant_invalid", field="at",
                               es="Fecha y hora ISO con zona, p. ej. 2026-11-16T10:00-03:00.",
                               en="ISO date-time with offset, e.g. 2026-11-16T10:00-03:00."
                               ) from None
    return ledger_of(request).price_list.at(instant)


class CatalogueController(Controller):
    path = "/catalogue/products"
    tags = ["catalogue"]

    @post("/", guards=[requires_contractor], sync_to_thread=True)
    def list_product(self, request: Request[Any, Any, Any], data: ProductIn) -> Answer:
        """Adds a product; alcohol-based, glass, made by PPL or prohibited is refused."""
        return respond(ledger_of(request).price_list.list_product(
            code=data.product_code, name=data.name, category=data.category,
            unit_price_minor=data.unit_price_minor, item_units=data.item_units,
            container=data.container, contains_alcohol=data.contains_alcohol,
            made_by_ppl=data.made_by_ppl, effective_at=data.effective_at,
            actor=principal_of(request).actor(), request=idempotent(request, data)))

    @post("/{code:str}/price", guards=[requires_contractor], sync_to_thread=True)
    def change_price(self, request: Request[Any, Any, Any], code: str, data: PriceIn) -> Answer:
        """A new price from a date; the old prices stay on record."""
        return respond(ledger_of(request).price_list.change_price(
            code, data.unit_price_minor, data.effective_at, principal_of(request).actor(),
            idempotent(request, data)))

    @post("/{code:str}/deactivate", guards=[requires_contractor], sync_to_thread=True)
    def deactivate(self, request: Request[Any, Any, Any], code: str, data: ReasonIn) -> Answer:
        return respond(ledger_of(request).price_list.set_active(
            code, False, data.reason, principal_of(request).actor(), idempotent(request, data)))

    @post("/{code:str}/activate", guards=[requires_contractor], sync_to_thread=True)
    def activate(self, request: Request[Any, Any, Any], code: str, data: ReasonIn) -> Answer:
        return respond(ledger_of(request).price_list.set_active(
            code, True, data.reason, principal_of(request).actor(), idempotent(request, data)))

    @post("/{code:str}/prohibit", guards=[requires_finance_admin], sync_to_thread=True)
    def prohibit(self, request: Request[Any, Any, Any], code: str, data: ReasonIn) -> Answer:
        """The unit forbids a product (V.H.1): never sold again."""
        return respond(ledger_of(request).price_list.prohibit(
            code, data.reason, principal_of(request).actor(), idempotent(request, data)))
