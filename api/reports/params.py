"""Query parameters shared by the report routes."""

from __future__ import annotations

from datetime import datetime

from ledger.application.context import Context
from ledger.application.trial_balance import parse_instant
from ledger.domain.errors import InvalidInput
from projections.registry import LATEST, WaitFor


def wait_for_of(value: str | None) -> WaitFor:
    """`latest` (the log's head when the read starts), a position, or nothing."""
    if value is None or value == "":
        return None
    if value == LATEST:
        return "latest"
    if value.isdigit():
        return int(value)
    raise InvalidInput("wait_for_invalid", field="wait_for",
                       es="wait_for es «latest» o una posición (entero de 0 o más).",
                       en="wait_for is 'latest' or a position (a whole number, 0 or more).")


def instant_of(value: str | None, ctx: Context) -> datetime:
    """An ISO instant with offset or a day (its end); now when not given."""
    return ctx.clock.now() if not value else parse_instant(value, ctx)


def month_of(value: str | None, ctx: Context) -> str:
    """YYYY-MM; the current month in the unit's time zone when not given."""
    if not value:
        return ctx.settings().month_of(ctx.clock.now())
    year, _, month = value.partition("-")
    if len(value) != 7 or not (year.isdigit() and month.isdigit() and 1 <= int(month) <= 12):
        raise InvalidInput("month_invalid", field="month", es="El mes se indica AAAA-MM.",
                           en="The month is given as YYYY-MM.")
    return value
