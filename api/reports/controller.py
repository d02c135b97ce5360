"""Reports for the finance administrator, the auditor and the contract inspector: the
indigent list (from its projection, optionally after a given log position), the trial
balance as of any instant, PPL statements as CSV and PDF, and the projections' lag."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, Response, get
from litestar.params import Parameter

from api.deps import ledger_of
from api.guards import requires_staff_reader
from api.reports.params import wait_for_of
from ledger.application.statement_csv import statement_csv
from ledger.application.statement_pdf import statement_pdf
from ledger.application.transfers_report import TransferRules, TransfersReport
from ledger.application.trial_balance import TrialBalance


class ReportsController(Controller):
    path = "/reports"
    tags = ["reports"]
    guards = [requires_staff_reader]  # noqa: RUF012

    @get("/indigent", sync_to_thread=True)
    def indigent(self, request: Request[Any, Any, Any],
                 wait_for: str | None = Parameter(query="wait_for", default=None),
                 ) -> dict[str, Any]:
        """PPL under the funds threshold with no recent deposit (III.D.16). With
        `wait_for` (a position, or `latest`), answers only once the list includes every
        event up to that position."""
        ledger = ledger_of(request)
        return ledger.read_side.indigent(ledger.ctx.clock.now(), wait_for_of(wait_for))

    @get("/projections", sync_to_thread=True)
    def projections(self, request: Request[Any, Any, Any]) -> list[dict[str, Any]]:
        """Each projection's position and lag behind the event log."""
        return ledger_of(request).read_side.status()

    @get("/trial-balance", sync_to_thread=True)
    def trial_balance(self, request: Request[Any, Any, Any],
                      as_of: str | None = Parameter(query="as_of", default=None),
                      ) -> dict[str, Any]:
        """The unit's trial balance as of an instant or a day's end, from the history."""
        ledger = ledger_of(request)
        return TrialBalance(ledger.ctx, ledger.read_side).as_of(as_of)

    @get("/transfers", sync_to_thread=True)
    def transfers(self, request: Request[Any, Any, Any], start: str = Parameter(query="from"),
                  end: str = Parameter(query="to"),
                  min_ppl: int = Parameter(query="min_ppl", default=TransferRules.min_ppl),
                  stop_gap_days: int = Parameter(query="stop_gap_days",
                                                 default=TransferRules.stop_gap_days),
                  window_days: int = Parameter(query="window_days",
                                               default=TransferRules.window_days),
                  quiet_days: int = Parameter(query="quiet_days",
                                              default=TransferRules.quiet_days),
                  ) -> dict[str, Any]:
        """Possible transfers between PPL (V.H.3), a report and never a block: depositors
        funding several PPL, and deposits starting for one PPL right after another's
        purchases stop; each finding with its evidence rows (docs/REPORTS.md)."""
        ledger = ledger_of(request)
        rules = TransferRules(min_ppl, stop_gap_days, window_days, quiet_days)
        return TransfersReport(ledger.ctx, ledger.read_side).for_period(start, end, rules)

    @get("/ppl/{number:str}/statement.csv", sync_to_thread=True)
    def statement_as_csv(self, request: Request[Any, Any, Any], number: str,
                         start: str = Parameter(query="from"),
                         end: str = Parameter(query="to")) -> Response[str]:
        """The statement for days from..to as CSV (docs/PROJECTIONS.md#statement-csv)."""
        statement = ledger_of(request).statements.statement(number, start, end)
        return Response(statement_csv(statement), media_type="text/csv; charset=utf-8",
                        headers=_attachment(number, start, end, "csv"))

    @get("/ppl/{number:str}/statement.pdf", sync_to_thread=True)
    def statement_as_pdf(self, request: Request[Any, Any, Any], number: str,
                         start: str = Parameter(query="from"),
                         end: str = Parameter(query="to")) -> Response[bytes]:
        """The statement for days from..to as PDF."""
        statement = ledger_of(request).statements.statement(number, start, end)
        return Response(statement_pdf(statement), media_type="application/pdf",
                        headers=_attachment(number, start, end, "pdf"))


def _attachment(number: str, start: str, end: str, ext: str) -> dict[str, str]:
    name = f"statement-{number}-{start}-{end}.{ext}"
    return {"Content-Disposition": f'attachment; filename="{name}"'}
