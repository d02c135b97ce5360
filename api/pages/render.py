"""Rendering: the context every template gets, and the pages' error handling.

A domain error on a form is shown next to the field at fault: the route names, in its
`opt["form"]`, a function that renders the form again from the submitted values, and the
error's `field` is mapped to the form's field (`FIELD_MAP`). Controllers never catch
domain errors."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime
from typing import Any
from urllib.parse import quote

from litestar import Request, Response
from litestar.exceptions import HTTPException, NotFoundException, PermissionDeniedException
from litestar.response import Redirect, Template

from api.pages.messages import Translator, language_of
from api.pages.session import SignInRequired, csrf_token, form_of, principal_or_none
from ledger.domain.errors import LedgerError
from ledger.domain.money import Money

log = logging.getLogger("ledger.pages")

# Domain field -> form field, where the two names differ.
FIELD_MAP = {"amount_minor": "amount", "original_entry_id": "reason", "depositor_id": "form",
             "deposit_id": "form", "Idempotency-Key": "form", "as_of": "as_of",
             "from": "from", "to": "to", "unit_price_minor": "price", "product_code": "code"}

FormPage = Callable[[Request[Any, Any, Any], dict[str, str], dict[str, str]], Template]


def money(minor: int | None, currency: str) -> str:
    return Money(int(minor or 0), currency).format()


def _zone(request: Request[Any, Any, Any]) -> Any:
    try:
        return request.app.state.ledger.ctx.settings().zone()
    except LedgerError:
        return None


def base_context(request: Request[Any, Any, Any]) -> dict[str, Any]:
    lang = language_of(request)
    zone = _zone(request)

    def when(instant: datetime | str | None, with_time: bool = True) -> str:
        if isinstance(instant, str):
            instant = datetime.fromisoformat(instant.replace("Z", "+00:00"))
        if instant is None:
            return ""
        local = instant.astimezone(zone) if zone else instant
        return local.strftime("%d/%m/%Y %H:%M" if with_time else "%d/%m/%Y")

    here = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    return {"lang": lang, "t": Translator(lang), "user": principal_or_none(request),
            "csrf": csrf_token(request), "here": quote(here, safe="/"),
            "path": request.url.path, "money": money, "when": when}


def render(request: Request[Any, Any, Any], name: str, *, status: int = 200,
           **context: Any) -> Template:
    headers = {"Cache-Control": "no-store"}
    return Template(template_name=name, context={**base_context(request), **context},
                    status_code=status, headers=headers)


def field_errors(request: Request[Any, Any, Any], error: LedgerError) -> dict[str, str]:
    field = error.field or "form"
    lang = language_of(request)
    # The services name the field in their own words (e.g. «document»); next to the
    # field itself, a plain sentence reads better.
    text = Translator(lang)("error.text_invalid") if error.code == "text_invalid" else (
        error.message(lang))
    return {FIELD_MAP.get(field, field): text}


def error_page(request: Request[Any, Any, Any], status: int, message_key: str,
               detail: str = "") -> Response[Any]:
    return render(request, "error.html", status=status, message_key=message_key,
                  detail=detail)


def on_ledger_error(request: Request[Any, Any, Any], error: LedgerError) -> Response[Any]:
    form_page: FormPage | None = request.route_handler.opt.get("form")
    if form_page is not None and request.method == "POST" and error.code != "csrf_failed":
        values = {k: v for k, v in form_of(request).items()
                  if not k.startswith("password") and k != "_csrf"}
        response = form_page(request, values, field_errors(request, error))
        response.status_code = error.status
        return response
    return error_page(request, error.status, f"error.{error.status}",
                      error.message(language_of(request)))


def on_sign_in_required(request: Request[Any, Any, Any], _: SignInRequired) -> Response[Any]:
    target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    return Redirect(f"/sesion/ingresar?siguiente={quote(target, safe='')}", status_code=303)


def on_http_error(request: Request[Any, Any, Any], error: HTTPException) -> Response[Any]:
    if isinstance(error, NotFoundException):
        return error_page(request, 404, "error.404")
    if isinstance(error, PermissionDeniedException):
        return error_page(request, 403, "error.403")
    return error_page(request, error.status_code, "error.other", str(error.detail))


def on_unexpected(request: Request[Any, Any, Any], error: Exception) -> Response[Any]:
    log.exception("unexpected error on page %s %s", request.method, request.url.path,
                  exc_info=error)
    return error_page(request, 500, "error.500")


PAGE_EXCEPTION_HANDLERS: dict[Any, Any] = {
    LedgerError: on_ledger_error,
    SignInRequired: on_sign_in_required,
    HTTPException: on_http_error,
    Exception: on_unexpected,
}


def safe_next(target: str | None, default: str) -> str:
    """Only a path on this site: never another host (no open redirect)."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return default
    return target
