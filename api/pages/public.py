"""Pages anyone may open: the home page, sign-in and sign-out, the language switch."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get, post
from litestar.response import Redirect, Template

from api.pages.render import render, safe_next
from api.pages.services import web_of
from api.pages.session import (
    LANGUAGE_COOKIE,
    SESSION_COOKIE,
    client_of,
    cookie,
    form_of,
    principal_or_none,
    secure_cookies,
)
from ledger.application.users import Principal
from ledger.domain.actor import Role

STAFF_PAGES = (Role.FINANCE_ADMIN, Role.AUDITOR, Role.CONTRACT_INSPECTOR)


def home_of(principal: Principal | None) -> str:
    if principal is None:
        return "/"
    if principal.role is Role.DEPOSITOR:
        return "/familias"
    if principal.role in STAFF_PAGES:
        return "/admin"
    if principal.role is Role.CONTRACTOR:
        return "/contratista"
    return "/"


def sign_in_form(request: Request[Any, Any, Any], values: dict[str, str],
                 errors: dict[str, str]) -> Template:
    return render(request, "sign_in.html", values=values, errors=errors)


class PublicPages(Controller):
    path = "/"
    include_in_schema = False

    @get("/", sync_to_thread=False)
    def home(self, request: Request[Any, Any, Any]) -> Template:
        """The start page: families register or sign in; staff sign in."""
        return render(request, "home.html", home=home_of(principal_or_none(request)))

    @get("/sesion/ingresar", sync_to_thread=False)
    def sign_in_page(self, request: Request[Any, Any, Any],
                     siguiente: str | None = None) -> Template:
        return sign_in_form(request, {"next": safe_next(siguiente, "")}, {})

    @post("/sesion/ingresar", sync_to_thread=True, opt={"form": sign_in_form})
    def sign_in(self, request: Request[Any, Any, Any]) -> Redirect:
        """Checks the throttles and the password; the cookie carries the session token."""
        form = form_of(request)
        web = web_of(request)
        token, expires, principal = web.sign_ins.sign_in(
            form.get("username", "").strip(), form.get("password", ""), client_of(request))
        seconds = int((expires - web.ledger.ctx.clock.now()).total_seconds())
        secure = secure_cookies(request)
        return Redirect(safe_next(form.get("next"), home_of(principal)), status_code=303,
                        cookies=[cookie(SESSION_COOKIE, token, secure=secure,
                                        max_age=seconds)])

    @post("/sesion/salir", sync_to_thread=True)
    def sign_out(self, request: Request[Any, Any, Any]) -> Redirect:
        """Ends the session at once, on the server and in the browser."""
        token = request.cookies.get(SESSION_COOKIE, "")
        if token:
            web_of(request).sign_ins.sign_out(token, principal_or_none(request),
                                              client_of(request))
        secure = secure_cookies(request)
        return Redirect("/", status_code=303,
                        cookies=[cookie(SESSION_COOKIE, "", secure=secure, max_age=0)])

    @get("/idioma/{lang:str}", sync_to_thread=False)
    def language(self, request: Request[Any, Any, Any], lang: str,
                 siguiente: str | None = None) -> Redirect:
        """Spanish by default; English on request, remembered for a year."""
        chosen = "en" if lang == "en" else "es"
        secure = secure_cookies(request)
        return Redirect(safe_next(siguiente, "/"), status_code=303,
                        cookies=[cookie(LANGUAGE_COOKIE, chosen, secure=secure,
                                        max_age=365 * 24 * 3600)])
