"""Wire rule: integer fields are JSON integers.

Litestar converts request bodies with msgspec in non-strict mode, which would turn "100"
into 100. Money must not arrive as text or as a decimal, so before any handler runs, every
amount (`*_minor`) and count in a JSON body must be a JSON integer."""

from __future__ import annotations

import json
from typing import Any

from litestar import Request

from ledger.domain.errors import InvalidInput, LedgerError


class MalformedBody(LedgerError):
    status = 400
    title = "Malformed JSON"

COUNT_FIELDS = frozenset({"hours", "quantity", "items", "items_limit", "delivered_quantity"})


def _is_integer_field(name: str) -> bool:
    return name.endswith("_minor") or name in COUNT_FIELDS


def _check(value: Any) -> None:
    if isinstance(value, list):
        for item in value:
            _check(item)
        return
    if not isinstance(value, dict):
        return
    for name, item in value.items():
        if _is_integer_field(str(name)) and item is not None and type(item) is not int:
            if str(name).endswith("_minor"):
                raise InvalidInput(
                    "amount_not_integer", field=str(name),
                    es="El importe debe ser un número entero de centésimos (sin decimales).",
                    en="The amount must be a whole number of minor units (no decimals).")
            raise InvalidInput("field_invalid", field=str(name),
                               es=f"«{name}» debe ser un número entero.",
                               en=f"'{name}' must be a whole number.")
        _check(item)


async def strict_integers(request: Request[Any, Any, Any]) -> None:
    if request.method not in ("POST", "PUT", "PATCH"):
        return
    if "json" not in request.headers.get("content-type", ""):
        return
    raw = await request.body()
    try:
        payload = json.loads(raw) if raw else None
    except ValueError:
        raise MalformedBody("json_malformed", es="El cuerpo no es un JSON válido.",
                            en="The body is not valid JSON.") from None
    _check(payload)
