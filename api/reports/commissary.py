"""The commissary's read models over HTTP: a PPL's month-to-date spend and eligibility
(what the POS shows before and after a sale; with `wait_for=latest` the answer includes
the sale just made), who is suspended or restricted, and a sector's pick list."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get
from litestar.params import Parameter

from api.commissary.signing import requires_signed_terminal_for_clerks
from api.deps import ledger_of
from api.guards import requires
from api.reports.params import instant_of, month_of, wait_for_of
from ledger.application.statements import parse_day
from ledger.domain.actor import Role

requires_commissary_reader = requires(Role.CLERK, Role.FINANCE_ADMIN, Role.AUDITOR,
                                      Role.CONTRACT_INSPECTOR)
requires_pick_list_reader = requires(Role.CLERK, Role.CONTRACTOR, Role.FINANCE_ADMIN,
                                     Role.AUDITOR, Role.CONTRACT_INSPECTOR)
WAIT = Parameter(query="wait_for", default=None,
                 description="`latest`, or a log position the answer must include")


class CommissaryReportsController(Controller):
    path = "/reports/commissary"
    tags = ["reports"]
    guards = [requires_signed_terminal_for_clerks]  # noqa: RUF012

    @get("/ppl/{number:str}/month", guards=[requires_commissary_reader], sync_to_thread=True)
    def month(self, request: Request[Any, Any, Any], number: str,
              month: str | None = Parameter(query="month", default=None),
              wait_for: str | None = WAIT) -> dict[str, Any]:
        """A PPL's commissary spend and items in a month (default: this month, unit time
        zone), as counted against the monthly limits; delivered and refunded amounts."""
        ledger = ledger_of(request)
        return ledger.read_side.month_to_date(number, month_of(month, ledger.ctx),
                                              wait_for_of(wait_for))

    @get("/month", guards=[requires_commissary_reader], sync_to_thread=True)
    def month_of_everyone(self, request: Request[Any, Any, Any],
                          month: str | None = Parameter(query="month", default=None),
                          wait_for: str | None = WAIT) -> dict[str, Any]:
        """Every PPL's commissary spend and items in a month."""
        ledger = ledger_of(request)
        return ledger.read_side.month_of_everyone(month_of(month, ledger.ctx),
                                                  wait_for_of(wait_for))

    @get("/ppl/{number:str}/eligibility", guards=[requires_commissary_reader],
         sync_to_thread=True)
    def eligibility(self, request: Request[Any, Any, Any], number: str,
                    at: str | None = Parameter(query="at", default=None),
                    wait_for: str | None = WAIT) -> dict[str, Any]:
        """Eligible, restricted (with limits) or suspended at an instant (default now), and
        until when; computed when read from the sanction windows."""
        ledger = ledger_of(request)
        return ledger.read_side.eligibility(number, instant_of(at, ledger.ctx),
                                            ledger.ctx.settings().zone(), wait_for_of(wait_for))

    @get("/not-eligible", guards=[requires_commissary_reader], sync_to_thread=True)
    def not_eligible(self, request: Request[Any, Any, Any],
                     at: str | None = Parameter(query="at", default=None),
                     wait_for: str | None = WAIT) -> dict[str, Any]:
        """Every PPL suspended or restricted at an instant (default now)."""
        ledger = ledger_of(request)
        return ledger.read_side.not_eligible(instant_of(at, ledger.ctx),
                                             ledger.ctx.settings().zone(), wait_for_of(wait_for))

    @get("/pick-lists/{sector:str}/{day:str}", guards=[requires_pick_list_reader],
         sync_to_thread=True)
    def pick_list(self, request: Request[Any, Any, Any], sector: str, day: str,
                  wait_for: str | None = WAIT) -> dict[str, Any]:
        """Units of each product to bag for a sector's delivery day, orders, delivered."""
        return ledger_of(request).read_side.pick_list(
            sector, parse_day(day, "date").isoformat(), wait_for_of(wait_for))
