"""The contractor: the price list (add a product, a new price from a date, take a product
off sale and back), the delivery pick list of a sector's day; and the public price list
that anyone may read (V.H.1)."""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any

from litestar import Controller, Request, get, post
from litestar.response import Redirect, Template

from api.pages.forms import idempotent_form, new_form_key, parse_major_amount
from api.pages.render import render
from api.pages.services import web_of
from api.pages.session import form_of, page_requires
from ledger.application.calendar import next_delivery
from ledger.application.users import Principal
from ledger.domain.actor import Channel, Role
from ledger.domain.catalogue import Category, Container
from ledger.domain.errors import InvalidInput

requires_contractor = page_requires(Role.CONTRACTOR)
CONTAINERS = [c.value for c in Container]
CATEGORIES = [c.value for c in Category]


def _principal(request: Request[Any, Any, Any]) -> Principal:
    return request.scope["user"]  # type: ignore[no-any-return]


def _from_day(request: Request[Any, Any, Any], text: str) -> datetime | None:
    """A date typed in the form means the start of that day in the unit's time zone."""
    if not text.strip():
        return None
    try:
        day = date.fromisoformat(text.strip())
    except ValueError:
        raise InvalidInput("date_invalid", field="effective_at",
                           es="La fecha debe tener la forma AAAA-MM-DD.",
                           en="The date must look like YYYY-MM-DD.") from None
    return datetime.combine(day, time.min, web_of(request).ledger.ctx.settings().zone())


def _whole(text: str, field: str) -> int:
    if not text.strip().isdigit():
        raise InvalidInput("field_invalid", field=field, es="Escriba un número entero.",
                           en="Write a whole number.")
    return int(text.strip())


def price_list_page(request: Request[Any, Any, Any], values: dict[str, str],
                    errors: dict[str, str], done: str | None = None) -> Template:
    web = web_of(request)
    failed = request.path_params.get("code")  # an error of one product's row, not the new one
    return render(request, "contractor/price_list.html",
                  prices=web.ledger.price_list.at(include_inactive=True),
                  values={} if failed else values, row_values=values if failed else {},
                  errors={} if failed else errors, row_errors=errors if failed else {},
                  failed=failed, done=done, categories=CATEGORIES, containers=CONTAINERS,
                  form_key=new_form_key())


class PublicPriceList(Controller):
    path = "/precios"
    include_in_schema = False

    @get("/", sync_to_thread=True)
    def prices(self, request: Request[Any, Any, Any]) -> Template:
        """The price list as it stands now; no sign-in needed (V.H.1)."""
        return render(request, "prices.html", prices=web_of(request).ledger.price_list.at())


class ContractorPages(Controller):
    path = "/contratista"
    include_in_schema = False
    guards = [requires_contractor]  # noqa: RUF012

    @get("/", sync_to_thread=True)
    def price_list(self, request: Request[Any, Any, Any], hecho: str | None = None) -> Template:
        """Every product, on sale or not, with the forms that change it."""
        return price_list_page(request, {}, {}, done=hecho)

    @post("/productos", sync_to_thread=True, opt={"form": price_list_page})
    def add(self, request: Request[Any, Any, Any]) -> Redirect:
        """A new product; alcohol, glass and goods made by PPL are refused (V.H.1, V.H.5)."""
        form = form_of(request)
        web = web_of(request)
        currency = web.ledger.ctx.settings().currency
        fields: dict[str, Any] = {
            "code": form.get("code", "").strip(), "name": form.get("name", ""),
            "category": form.get("category", ""),
            "unit_price_minor": parse_major_amount(form.get("price", ""), currency, field="price"),
            "item_units": _whole(form.get("item_units") or "1", "item_units"),
            "container": form.get("container", ""),
            "contains_alcohol": form.get("contains_alcohol") == "yes",
            "made_by_ppl": form.get("made_by_ppl") == "yes"}
        principal = _principal(request)
        web.ledger.price_list.list_product(
            **fields, effective_at=_from_day(request, form.get("effective_at", "")),
            actor=principal.actor(Channel.WEB),
            request=idempotent_form(request, principal, {**fields}))
        return Redirect("/contratista?hecho=product_listed", status_code=303)

    @post("/productos/{code:str}/precio", sync_to_thread=True, opt={"form": price_list_page})
    def change_price(self, request: Request[Any, Any, Any], code: str) -> Redirect:
        """A new price from a day (today if left empty); earlier prices stay on record."""
        form = form_of(request)
        web = web_of(request)
        price = parse_major_amount(form.get("price", ""), web.ledger.ctx.settings().currency,
                                   field="price")
        effective_at = _from_day(request, form.get("effective_at", ""))
        principal = _principal(request)
        web.ledger.price_list.change_price(
            code, price, effective_at, principal.actor(Channel.WEB),
            idempotent_form(request, principal, {"price": price,
                                                 "from": form.get("effective_at", "")}))
        return Redirect("/contratista?hecho=price_changed", status_code=303)

    @post("/productos/{code:str}/disponibilidad", sync_to_thread=True,
          opt={"form": price_list_page})
    def availability(self, request: Request[Any, Any, Any], code: str) -> Redirect:
        """Takes a product off sale, or back on sale, with the reason."""
        form = form_of(request)
        active = form.get("active") == "yes"
        principal = _principal(request)
        web_of(request).ledger.price_list.set_active(
            code, active, form.get("reason", ""), principal.actor(Channel.WEB),
            idempotent_form(request, principal, {"active": active,
                                                 "reason": form.get("reason", "")}))
        return Redirect(f"/contratista?hecho={'activated' if active else 'deactivated'}",
                        status_code=303)

    @get("/reparto", sync_to_thread=True)
    def pick_list(self, request: Request[Any, Any, Any], sector: str | None = None,
                  dia: str | None = None) -> Template:
        """A sector's delivery day: the orders and the pick list to bag."""
        ctx = web_of(request).ledger.ctx
        settings = ctx.settings()
        sectors = sorted(settings.delivery_days)
        chosen = sector or (sectors[0] if sectors else "A")
        day = dia or next_delivery(settings, chosen, ctx.clock.now()).isoformat()
        run = web_of(request).ledger.commissary.delivery_run(chosen, day)
        return render(request, "contractor/pick_list.html", run=run, sectors=sectors,
                      currency=settings.currency)
