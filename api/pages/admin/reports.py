"""Reports for the finance administrator, the auditor and the contract inspector: the
monthly report of economic indicators (III.D.10) with its charts and its PDF, signing the
audit chain's head before printing it (finance administrator), and the report of possible
transfers between PPL (V.H.3) with the rows that show each finding."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlencode

from litestar import Controller, Request, Response, get, post
from litestar.response import Redirect, Template

from api.pages.admin.controller import requires_finance_admin, requires_overseer
from api.pages.admin.monthly import charts, embedded, indicator_rows
from api.pages.messages import Translator, language_of
from api.pages.render import render
from api.pages.report_forms import REPORT_EXCEPTION_HANDLERS, period_of, today
from api.pages.services import web_of
from api.pages.session import form_of
from ledger.application.monthly_report import MonthlyReport
from ledger.application.monthly_report_pdf import monthly_report_pdf
from ledger.application.transfers_report import TransferRules, TransfersReport
from ledger.domain.errors import InvalidInput, NotFound

_MONTH = re.compile(r"^\d{4}-\d{2}$")
RULES = ("min_ppl", "stop_gap_days", "window_days", "quiet_days")


def _month(request: Request[Any, Any, Any], typed: str | None) -> str:
    return (typed or "").strip() or today(request).strftime("%Y-%m")


def _report(request: Request[Any, Any, Any], month: str) -> dict[str, Any]:
    ledger = web_of(request).ledger
    return MonthlyReport(ledger.ctx, ledger.read_side).for_month(month)


def monthly_page(request: Request[Any, Any, Any], values: dict[str, str],
                 errors: dict[str, str]) -> Template:
    month = _month(request, values.get("mes"))
    report = None if errors else _report(request, month)
    t = Translator(language_of(request))
    shown = [] if report is None else [
        {"name": c.name, "title": c.title, "svg": embedded(c), "bars": c.bars}
        for c in charts(report, t, web_of(request).admin.username_of)]
    if report is not None:
        for entry in report["corrections"]["entries"]:
            entry["who"] = web_of(request).admin.username_of(entry["user_id"])
    return render(request, "admin/monthly_report.html", report=report, errors=errors,
                  values={"mes": month}, charts=shown, done=values.get("hecho"),
                  indicators=[] if report is None else indicator_rows(report, t),
                  status=422 if errors else 200)


def _rule(values: dict[str, str], name: str) -> int:
    typed = values.get(name, "").strip()
    if not typed:
        return int(getattr(TransferRules, name))
    if not typed.isdigit():
        raise InvalidInput("rule_invalid", field=name, es="Escriba un número entero.",
                           en="Write a whole number.")
    return int(typed)


def transfers_page(request: Request[Any, Any, Any], values: dict[str, str],
                   errors: dict[str, str]) -> Template:
    first, last = period_of(request, values.get("desde"), values.get("hasta"))
    shown = {"desde": first, "hasta": last, **{
        name: values.get(name, "").strip() or str(getattr(TransferRules, name))
        for name in RULES}}
    report = None
    if not errors:
        ledger = web_of(request).ledger
        rules = TransferRules(*(_rule(values, name) for name in RULES))
        report = TransfersReport(ledger.ctx, ledger.read_side).for_period(first, last, rules)
    return render(request, "admin/transfers.html", report=report, errors=errors,
                  values=shown, status=422 if errors else 200)


class AdminReportPages(Controller):
    path = "/admin"
    include_in_schema = False
    guards = [requires_overseer]  # noqa: RUF012
    exception_handlers = REPORT_EXCEPTION_HANDLERS  # noqa: RUF012

    @get("/informe-mensual", sync_to_thread=True, opt={"get_form": monthly_page})
    def monthly(self, request: Request[Any, Any, Any], mes: str | None = None,
                hecho: str | None = None) -> Template:
        """The month's indicators with their charts (default: this month so far)."""
        return monthly_page(request, {"mes": mes or "", "hecho": hecho or ""}, {})

    @get("/informe-mensual.pdf", sync_to_thread=True)
    def monthly_pdf(self, request: Request[Any, Any, Any], mes: str | None = None
                    ) -> Response[bytes]:
        """The same report as the PDF to print and sign."""
        month = _month(request, mes)
        return Response(monthly_report_pdf(_report(request, month)),
                        media_type="application/pdf",
                        headers={"Content-Disposition":
                                 f'attachment; filename="informe-mensual-{month}.pdf"',
                                 "Cache-Control": "no-store"})

    @post("/informe-mensual/firmar", guards=[requires_finance_admin], sync_to_thread=True)
    def sign(self, request: Request[Any, Any, Any]) -> Redirect:
        """Chains every stored event and signs the head now, so the report printed next
        pins the whole month (as `ledger audit sign`)."""
        checkpoint = web_of(request).ledger.read_side.sign_audit_head()
        if checkpoint is None:
            raise NotFound("nothing_to_sign", es="El registro no tiene eventos.",
                           en="The store has no events.")
        month = form_of(request).get("mes", "")
        query = {"mes": month} if _MONTH.match(month) else {}
        return Redirect(f"/admin/informe-mensual?{urlencode({**query, 'hecho': 'signed'})}",
                        status_code=303)

    @get("/traspasos", sync_to_thread=True, opt={"get_form": transfers_page})
    def transfers(self, request: Request[Any, Any, Any]) -> Template:
        """Possible transfers between PPL for a period, each finding with its evidence;
        the thresholds can be changed on the page (docs/REPORTS.md)."""
        return transfers_page(request, {k: str(v)[:80] for k, v in
                                        request.query_params.items()}, {})
