"""Families: register, deposit to a PPL (number confirmed by the surname), receipts, and
the list of their own deposits. A depositor never sees a balance or a purchase."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, Response, get, post
from litestar.response import Redirect, Template

from api.pages.families.receipt_pdf import receipt_pdf
from api.pages.forms import idempotent_form, new_form_key, parse_major_amount
from api.pages.messages import Translator, language_of
from api.pages.render import base_context, render
from api.pages.services import web_of
from api.pages.session import (
    SESSION_COOKIE,
    client_of,
    cookie,
    form_of,
    page_requires,
    secure_cookies,
)
from ledger.application.users import Principal
from ledger.application.web_families import WEB_CHANNELS
from ledger.domain.actor import Role
from ledger.domain.errors import InvalidInput

RELATIONS = ("madre", "padre", "pareja", "hija", "hijo", "hermana", "hermano", "abuela",
             "abuelo", "amiga", "amigo", "otro")
requires_depositor = page_requires(Role.DEPOSITOR)


def _principal(request: Request[Any, Any, Any]) -> Principal:
    return request.scope["user"]  # type: ignore[no-any-return]


def registration_form(request: Request[Any, Any, Any], values: dict[str, str],
                      errors: dict[str, str]) -> Template:
    return render(request, "families/register.html", values=values, errors=errors,
                  relations=RELATIONS)


def deposit_form(request: Request[Any, Any, Any], values: dict[str, str],
                 errors: dict[str, str]) -> Template:
    values = {"form_key": new_form_key(), "channel": WEB_CHANNELS[0].value, **values}
    currency = web_of(request).ledger.ctx.settings().currency
    return render(request, "families/deposit.html", values=values, errors=errors,
                  channels=[c.value for c in WEB_CHANNELS], currency=currency)


class FamilyPages(Controller):
    path = "/familias"
    include_in_schema = False

    @get("/registro", sync_to_thread=False)
    def registration_page(self, request: Request[Any, Any, Any]) -> Template:
        return registration_form(request, {}, {})

    @post("/registro", sync_to_thread=True, opt={"form": registration_form})
    def register(self, request: Request[Any, Any, Any]) -> Redirect:
        """Registers the family member as a depositor with a depositor user, then signs
        them in."""
        form = form_of(request)
        if form.get("password", "") != form.get("password2", ""):
            raise InvalidInput("password_mismatch", field="password2",
                               es="Las dos contraseñas no coinciden.",
                               en="The two passwords differ.")
        web = web_of(request)
        username = form.get("username", "").strip()
        web.families.register(name=form.get("name", ""), document=form.get("document", ""),
                              relation=form.get("relation", ""),
                              contact=form.get("contact", ""), username=username,
                              password=form.get("password", ""), client=client_of(request))
        token, expires, _ = web.sign_ins.sign_in(username, form.get("password", ""),
                                                 client_of(request))
        seconds = int((expires - web.ledger.ctx.clock.now()).total_seconds())
        return Redirect("/familias?hecho=registered", status_code=303,
                        cookies=[cookie(SESSION_COOKIE, token, secure=secure_cookies(request),
                                        max_age=seconds)])

    @get("/", guards=[requires_depositor], sync_to_thread=True)
    def own_deposits(self, request: Request[Any, Any, Any],
                     hecho: str | None = None) -> Template:
        """The family member's own deposits and their state; no balance anywhere."""
        principal = _principal(request)
        web = web_of(request)
        me = web.ledger.depositors.view(str(principal.depositor_id))
        return render(request, "families/deposits.html", me=me, done=hecho,
                      deposits=web.families.own_deposits(str(principal.depositor_id)))

    @get("/depositar", guards=[requires_depositor], sync_to_thread=False)
    def deposit_page(self, request: Request[Any, Any, Any]) -> Template:
        return deposit_form(request, {}, {})

    @post("/depositar", guards=[requires_depositor], sync_to_thread=True,
          opt={"form": deposit_form})
    def deposit(self, request: Request[Any, Any, Any]) -> Redirect:
        """A deposit in the signed-in family member's own name; pending until cleared."""
        form = form_of(request)
        web = web_of(request)
        currency = web.ledger.ctx.settings().currency
        amount_minor = parse_major_amount(form.get("amount", ""), currency)
        payload: dict[str, Any] = {
            "number": form.get("penitentiary_number", "").strip(),
            "surname": form.get("surname", ""), "amount_minor": amount_minor,
            "channel": form.get("channel", ""),
            "external_reference": form.get("external_reference", "").strip()}
        principal = _principal(request)
        outcome = web.families.deposit(principal, currency=currency,
                                       request=idempotent_form(request, principal, payload),
                                       **payload)
        return Redirect(f"/familias/recibos/{outcome.body['deposit_id']}?hecho=deposited",
                        status_code=303)

    @get("/recibos/{deposit_id:str}", guards=[requires_depositor], sync_to_thread=True)
    def receipt(self, request: Request[Any, Any, Any], deposit_id: str,
                hecho: str | None = None) -> Template:
        """One of the family member's own receipts; another's is 'not found'."""
        principal = _principal(request)
        web = web_of(request)
        found = web.families.receipt(str(principal.depositor_id), deposit_id)
        me = web.ledger.depositors.view(str(principal.depositor_id))
        return render(request, "families/receipt.html", receipt=found, me=me, done=hecho)

    @get("/recibos/{deposit_id:str}/pdf", guards=[requires_depositor], sync_to_thread=True)
    def receipt_as_pdf(self, request: Request[Any, Any, Any], deposit_id: str) -> Response[bytes]:
        """The same receipt as a PDF to keep or print."""
        principal = _principal(request)
        web = web_of(request)
        found = web.families.receipt(str(principal.depositor_id), deposit_id)
        me = web.ledger.depositors.view(str(principal.depositor_id))
        context = base_context(request)
        body = receipt_pdf(found, depositor=me["name"], unit=web.ledger.ctx.settings().name,
                           when=context["when"](found["recorded_at"]),
                           amount=context["money"](found["amount_minor"], found["currency"]),
                           t=Translator(language_of(request)))
        name = f"comprobante-{deposit_id[:8]}.pdf"
        return Response(body, media_type="application/pdf",
                        headers={"Content-Disposition": f'attachment; filename="{name}"',
                                 "Cache-Control": "no-store"})
