"""The price list: kept by the contractor, public to everyone (V.H.1)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from ledger.application.context import Context, check_text
from ledger.application.idempotency import IdempotentRequest, Outcome
from ledger.domain.actor import Actor
from ledger.domain.catalogue import (
    CATEGORY_NAMES_ES,
    Catalogue,
    Product,
    check_admissible,
    check_category,
    check_container,
)
from ledger.domain.errors import Conflict, InvalidInput, NotFound
from ledger.domain.ids import catalogue_id, product_id
from ledger.domain.money import MAX_MINOR_UNITS

MAX_ITEM_UNITS = 100


def check_code(code: Any) -> str:
    if not isinstance(code, str) or not 0 < len(code) <= 20 or not all(
        ch.isalnum() or ch in "-_" for ch in code
    ):
        raise InvalidInput("product_code_invalid", field="product_code",
                           es="El código de producto tiene de 1 a 20 letras, cifras o guiones.",
                           en="The product code has 1 to 20 letters, digits or dashes.")
    return code.upper()


def check_price(value: Any) -> int:
    if type(value) is not int or not 0 < value <= MAX_MINOR_UNITS:
        raise InvalidInput("price_invalid", field="unit_price_minor",
                           es="El precio es un entero positivo de centésimos.",
                           en="The price is a positive whole number of minor units.")
    return value


def product_view(product: Product, instant: datetime, currency: str) -> dict[str, Any]:
    return {
        "product_code": product.code,
        "name": product.name,
        "category": product.category,
        "category_name": CATEGORY_NAMES_ES[product.category],
        "unit_price_minor": product.price_at(instant),
        "currency": currency,
        "item_units": product.item_units,
        "active": product.active_at(instant) and not product.prohibited,
        "prohibited": product.prohibited,
    }


class PriceList:
    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx

    def product(self, code: str) -> Product:
        product = self.ctx.store.find(product_id(check_code(code)))
        if not isinstance(product, Product):
            raise NotFound("product_not_found", field="product_code",
                           es=f"No existe el producto {code} en la lista de precios.",
                           en=f"No product {code} on the price list.")
        return product

    def list_product(self, *, code: str, name: str, category: str, unit_price_minor: Any,
                     item_units: Any, container: str, contains_alcohol: bool,
                     made_by_ppl: bool, effective_at: datetime | None, actor: Actor,
                     request: IdempotentRequest | None) -> Outcome:
        """Adds a product; what the manual forbids is refused here, at entry."""
        code = check_code(code)
        name = check_text(name, "name", max_length=80)
        category = check_category(category)
        container = check_container(container)
        check_admissible(contains_alcohol=contains_alcohol, container=container,
                         made_by_ppl=made_by_ppl)
        price = check_price(unit_price_minor)
        if type(item_units) is not int or not 0 <= item_units <= MAX_ITEM_UNITS:
            raise InvalidInput("item_units_invalid", field="item_units",
                               es="Las unidades para el límite van de 0 a 100.",
                               en="Item units go from 0 to 100.")

        def decide() -> Any:
            now = self.ctx.clock.now()
            if self.ctx.store.find(product_id(code)) is not None:
                raise Conflict("product_exists", field="product_code",
                               es=f"El producto {code} ya está en la lista; cambie su precio.",
                               en=f"Product {code} is already listed; change its price.")
            catalogue = self.ctx.store.find(catalogue_id()) or Catalogue.start(catalogue_id(), now)
            product = Product.create_listing(
                product_id(code), code=code, name=name, category=category,
                unit_price_minor=price, item_units=item_units, container=container,
                effective_at=effective_at or now, actor=actor, at=now)
            catalogue.add(code, now)
            body = product_view(product, effective_at or now, self.ctx.settings().currency)
            return [catalogue, product], Outcome(201, body)

        return self.ctx.run(request, decide)

    def _change(self, code: str, request: IdempotentRequest | None, command: Any,
                shown_at: datetime | None = None) -> Outcome:
        def decide() -> Any:
            product = self.product(code)
            now = self.ctx.clock.now()
            command(product, now)
            body = product_view(product, shown_at or now, self.ctx.settings().currency)
            return [product], Outcome(200, body)

        return self.ctx.run(request, decide)

    def change_price(self, code: str, unit_price_minor: Any, effective_at: datetime | None,
                     actor: Actor, request: IdempotentRequest | None) -> Outcome:
        """A new price from `effective_at` (now if omitted); earlier prices stay on record."""
        price = check_price(unit_price_minor)
        return self._change(code, request, lambda p, now: p.change_price(
            price, effective_at or now, actor, now), shown_at=effective_at)

    def set_active(self, code: str, active: bool, reason: str, actor: Actor,
                   request: IdempotentRequest | None) -> Outcome:
        reason = check_text(reason, "reason")
        return self._change(code, request, lambda p, now: p.set_active(
            active, now, reason, actor, now))

    def prohibit(self, code: str, reason: str, actor: Actor,
                 request: IdempotentRequest | None) -> Outcome:
        """The unit forbids a product: it is never sold again (V.H.1)."""
        reason = check_text(reason, "reason")
        return self._change(code, request, lambda p, now: p.prohibit(reason, actor, now))

    def at(self, instant: datetime | None = None, *, include_inactive: bool = False
           ) -> dict[str, Any]:
        """The price list as it stood at `instant` (now by default)."""
        when = instant or self.ctx.clock.now()
        catalogue = self.ctx.store.find(catalogue_id())
        currency = self.ctx.settings().currency
        products = []
        for code in catalogue.codes if catalogue else []:
            product = self.ctx.store.get(product_id(code))
            if product.created_on > when and not include_inactive:
                continue
            view = product_view(product, when, currency)
            if view["active"] or include_inactive:
                products.append(view)
        products.sort(key=lambda p: (p["category"], p["name"]))
        return {"at": when.isoformat(), "currency": currency, "products": products}
