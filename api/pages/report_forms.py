"""What the report pages share: a period typed in a GET form (default: this month so far)
and showing a GET form's refusal next to its field.

A report page is a GET form (period, thresholds). When a service refuses what was typed
(a reversed period, a rule out of range), the route's `opt["get_form"]` renders the
page again with the values typed and the error next to the field at fault, instead of
the error page. POST routes keep the pages' own handling (`on_ledger_error`)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from litestar import Request, Response

from api.pages.messages import language_of
from api.pages.render import error_page, field_errors, on_ledger_error
from api.pages.services import web_of
from ledger.domain.errors import InvalidInput, LedgerError

# Renders a report page from the query's values and the errors to show next to them.
GetFormPage = Callable[[Request[Any, Any, Any], dict[str, str], dict[str, str]], Response[Any]]

# The service's name of a field -> the name of the form field that shows its error.
PERIOD_FIELDS = {"from": "desde", "to": "hasta", "month": "mes"}


def today(request: Request[Any, Any, Any]) -> date:
    ctx = web_of(request).ledger.ctx
    return ctx.clock.now().astimezone(ctx.settings().zone()).date()


def period_of(request: Request[Any, Any, Any], start: str | None,
              end: str | None) -> tuple[str, str]:
    """The days typed, or the current month so far in the unit's time zone."""
    now = today(request)
    return (start or "").strip() or now.replace(day=1).isoformat(), (
        end or "").strip() or now.isoformat()


def query_values(request: Request[Any, Any, Any]) -> dict[str, str]:
    return {key: str(value)[:80] for key, value in request.query_params.items()}


def on_report_error(request: Request[Any, Any, Any], error: LedgerError) -> Response[Any]:
    """A GET report form whose values a service refused (InvalidInput): the same page, the
    error on its field. A visitor refused by a guard (401, 403) gets the error page and
    never a form or a report; anything else, the pages' own handling."""
    if error.status in (401, 403):  # never a form, not even an empty one
        return error_page(request, error.status, f"error.{error.status}",
                          error.message(language_of(request)))
    form_page: GetFormPage | None = request.route_handler.opt.get("get_form")
    if request.method != "GET" or form_page is None or not isinstance(error, InvalidInput):
        return on_ledger_error(request, error)
    errors = {PERIOD_FIELDS.get(k, k): v for k, v in field_errors(request, error).items()}
    response = form_page(request, query_values(request), errors)
    response.status_code = error.status
    return response


REPORT_EXCEPTION_HANDLERS: dict[Any, Any] = {LedgerError: on_report_error}
