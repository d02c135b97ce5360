"""The one place that turns errors into RFC 9457 problem+json.

Every problem has a stable `code`, the `field` at fault (or null), `detail` in the
requested language (Spanish by default) and both texts under `messages`."""

from __future__ import annotations

import logging
import re
from typing import Any

from litestar import Request, Response
from litestar.exceptions import (
    HTTPException,
    NotAuthorizedException,
    NotFoundException,
    PermissionDeniedException,
    ValidationException,
)

from ledger.domain.errors import LedgerError

PROBLEM_JSON = "application/problem+json"
log = logging.getLogger("ledger.api")


def language(request: Request[Any, Any, Any]) -> str:
    accept = request.headers.get("accept-language", "")
    return "en" if accept.lower().startswith("en") else "es"


def problem(
    request: Request[Any, Any, Any], *, status: int, code: str, title: str, es: str, en: str,
    field: str | None = None, extra: dict[str, Any] | None = None,
) -> Response[dict[str, Any]]:
    lang = language(request)
    body = {
        "type": f"urn:ppl-ledger:problem:{code}",
        "title": title,
        "status": status,
        "detail": es if lang == "es" else en,
        "instance": request.url.path,
        "code": code,
        "field": field,
        "messages": {"es": es, "en": en},
    }
    if extra:
        body["context"] = extra
    return Response(body, status_code=status, media_type=PROBLEM_JSON)


def ledger_error(request: Request[Any, Any, Any], exc: LedgerError) -> Response[dict[str, Any]]:
    return problem(request, status=exc.status, code=exc.code, title=exc.title,
                   es=exc.messages["es"], en=exc.messages["en"], field=exc.field,
                   extra=_jsonable(exc.context))


def _jsonable(context: dict[str, Any]) -> dict[str, Any]:
    return {k: v if isinstance(v, (int, str, bool, type(None))) else str(v)
            for k, v in context.items()}


_MISSING = re.compile(r"missing required field `(?P<f>[^`]+)`")
_UNKNOWN = re.compile(r"unknown field `(?P<f>[^`]+)`")
_AT = re.compile(r"at `\$\.(?P<f>[A-Za-z_0-9]+)")


def validation_error(
    request: Request[Any, Any, Any], exc: ValidationException
) -> Response[dict[str, Any]]:
    """Malformed JSON, missing, unknown or mistyped fields."""
    items = exc.extra if isinstance(exc.extra, list) else []
    message = str(items[0].get("message", exc.detail)) if items else str(exc.detail)
    key = items[0].get("key") if items else None
    if "JSON is malformed" in message or "malformed" in message.lower():
        return problem(request, status=400, code="json_malformed", title="Malformed JSON",
                       es="El cuerpo no es un JSON válido.", en="The body is not valid JSON.")
    if m := _MISSING.search(message):
        f = m["f"]
        return problem(request, status=422, code="field_missing", title="Invalid input",
                       field=f, es=f"Falta el campo «{f}».", en=f"The field '{f}' is missing.")
    if m := _UNKNOWN.search(message):
        f = m["f"]
        return problem(request, status=422, code="field_unknown", title="Invalid input",
                       field=f, es=f"El campo «{f}» no corresponde a esta operación.",
                       en=f"The field '{f}' does not belong to this operation.")
    field = (m["f"] if (m := _AT.search(message)) else None) or (
        key if isinstance(key, str) else None)
    if field and field.endswith("_minor"):
        return problem(request, status=422, code="amount_not_integer", title="Invalid input",
                       field=field,
                       es="El importe debe ser un número entero de centésimos (sin decimales).",
                       en="The amount must be a whole number of minor units (no decimals).")
    return problem(request, status=422 if field else 400, code="field_invalid",
                   title="Invalid input", field=field,
                   es=f"Valor no válido en «{field or 'la solicitud'}»: {message}",
                   en=f"Invalid value in '{field or 'the request'}': {message}")


def http_error(request: Request[Any, Any, Any], exc: HTTPException) -> Response[dict[str, Any]]:
    if isinstance(exc, NotAuthorizedException):
        return problem(request, status=401, code="credentials_missing", title="Unauthenticated",
                       es="Inicie sesión: falta o venció la credencial.",
                       en="Sign in: the credential is missing or expired.")
    if isinstance(exc, PermissionDeniedException):
        return problem(request, status=403, code="role_forbidden", title="Forbidden",
                       es="Su rol no permite esta operación.",
                       en="Your role does not allow this operation.")
    if isinstance(exc, NotFoundException):
        return problem(request, status=404, code="route_not_found", title="Not found",
                       es="No existe esa dirección.", en="No such address.")
    status = exc.status_code
    return problem(request, status=status, code=f"http_{status}", title=str(exc.detail),
                   es=str(exc.detail), en=str(exc.detail))


def unexpected_error(request: Request[Any, Any, Any], exc: Exception) -> Response[dict[str, Any]]:
    log.exception("unexpected error on %s %s", request.method, request.url.path, exc_info=exc)
    return problem(request, status=500, code="internal_error", title="Internal error",
                   es="Error interno; no se registró nada. Reintente o avise al administrador.",
                   en="Internal error; nothing was recorded. Retry or tell the administrator.")


EXCEPTION_HANDLERS: dict[Any, Any] = {
    LedgerError: ledger_error,
    ValidationException: validation_error,
    HTTPException: http_error,
    Exception: unexpected_error,
}
