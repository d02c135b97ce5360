"""Reading what a person typed: amounts in major units, and a form's idempotency key.

Money is parsed here, at the edge, into minor units; the services only see integers."""

from __future__ import annotations

import re
import secrets
from typing import Any

from litestar import Request

from api.pages.session import form_of
from ledger.application.idempotency import IdempotentRequest, check_key, fingerprint
from ledger.application.users import Principal
from ledger.domain.errors import InvalidInput
from ledger.domain.money import CURRENCY_EXPONENTS

_SPANISH_GROUPED = re.compile(r"^\d{1,3}(\.\d{3})+(,\d+)?$")  # 1.500,50
_ENGLISH_GROUPED = re.compile(r"^\d{1,3}(,\d{3})+(\.\d+)?$")  # 1,500.50
_COMMA_DECIMAL = re.compile(r"^\d+(,\d+)?$")  # 1500,50
_POINT_DECIMAL = re.compile(r"^\d+(\.\d{1,2})?$")  # 1500.50 (one or two decimals)


def _amount_invalid(exponent: int, field: str) -> InvalidInput:
    return InvalidInput(
        "amount_invalid", field=field,
        es=f"Escriba el importe en cifras, con hasta {exponent} decimales (por ejemplo "
           "1500 o 1.500,50).",
        en=f"Write the amount in figures, with up to {exponent} decimals (for example 1500 "
           "or 1,500.50).")


def parse_major_amount(text: str, currency: str, *, field: str = "amount") -> int:
    """'1.500,50', '1500,50', '1500.50', '1,500.50' and '1500' are understood; the result
    is minor units. Anything else, or too many decimals, is refused on the field."""
    exponent = CURRENCY_EXPONENTS.get(currency, 2)
    value = (text or "").strip().replace(" ", "")
    if _SPANISH_GROUPED.match(value):
        whole, _, decimals = value.replace(".", "").partition(",")
    elif _ENGLISH_GROUPED.match(value):
        whole, _, decimals = value.replace(",", "").partition(".")
    elif _COMMA_DECIMAL.match(value):
        whole, _, decimals = value.partition(",")
    elif _POINT_DECIMAL.match(value):
        whole, _, decimals = value.partition(".")
    else:
        raise _amount_invalid(exponent, field)
    if len(decimals) > exponent or len(whole) > 15:
        raise _amount_invalid(exponent, field)
    return int(whole) * 10**exponent + int((decimals or "0").ljust(exponent, "0") or 0)


def new_form_key() -> str:
    """One per rendered form: submitting it twice records the operation once."""
    return secrets.token_urlsafe(18)


def idempotent_form(request: Request[Any, Any, Any], principal: Principal,
                    payload: dict[str, Any]) -> IdempotentRequest:
    key = check_key(form_of(request).get("form_key"))
    return IdempotentRequest(scope=principal.user_id, key=f"web:{key}",
                             fingerprint=fingerprint("POST", request.url.path, payload))
