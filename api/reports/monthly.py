"""The monthly report of economic indicators (III.D.10) over HTTP: JSON, an HTML page with
the charts inline (no external resources), a PDF, and each chart as SVG. Also the
finance administrator's "sign the chain head now", to run at the month's end before the
report is printed."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, Response, get, post

from api.deps import ledger_of
from api.guards import requires_finance_admin, requires_staff_reader
from api.reports.monthly_html import monthly_report_html
from ledger.application.monthly_report import MonthlyReport
from ledger.application.monthly_report_charts import charts_of, svg
from ledger.application.monthly_report_pdf import monthly_report_pdf
from ledger.domain.errors import NotFound


def _report(request: Request[Any, Any, Any], month: str) -> dict[str, Any]:
    ledger = ledger_of(request)
    return MonthlyReport(ledger.ctx, ledger.read_side).for_month(month)


class MonthlyReportController(Controller):
    path = "/reports"
    tags = ["reports"]

    @get("/monthly/{month:str}", guards=[requires_staff_reader], sync_to_thread=True)
    def monthly(self, request: Request[Any, Any, Any], month: str) -> Response[Any]:
        """The month's indicators: `2026-11` as JSON (or HTML when the client accepts
        text/html first), `2026-11.html`, `2026-11.pdf`."""
        name, _, ext = month.partition(".")
        accept = request.headers.get("accept", "")
        if not ext and accept.startswith("text/html"):
            ext = "html"
        if ext not in ("", "json", "html", "pdf"):
            raise NotFound("format_unknown", field="month", es="Formatos: json, html, pdf.",
                           en="Formats: json, html, pdf.")
        report = _report(request, name)
        if ext == "pdf":
            return Response(monthly_report_pdf(report), media_type="application/pdf",
                            headers={"Content-Disposition":
                                     f'attachment; filename="informe-mensual-{name}.pdf"'})
        if ext == "html":
            return Response(monthly_report_html(report), media_type="text/html; charset=utf-8")
        return Response(report)

    @get("/monthly/{month:str}/charts/{chart:str}", guards=[requires_staff_reader],
         sync_to_thread=True)
    def chart(self, request: Request[Any, Any, Any], month: str, chart: str) -> Response[str]:
        """One of the month's charts as SVG (`flows.svg`, `commissary_by_category.svg`,
        `balance_bands.svg`, `corrections_by_whom.svg`)."""
        wanted = chart.removesuffix(".svg")
        for each in charts_of(_report(request, month)):
            if each.name == wanted:
                return Response(svg(each), media_type="image/svg+xml")
        raise NotFound("chart_not_found", field="chart", es="No existe ese gráfico.",
                       en="No such chart.")

    @post("/audit/sign", guards=[requires_finance_admin], sync_to_thread=True)
    def sign(self, request: Request[Any, Any, Any]) -> Response[dict[str, Any]]:
        """Chains every stored event and signs the chain's head now (as `ledger audit
        sign`), so this month's report can show a head that covers the whole month."""
        checkpoint = ledger_of(request).read_side.sign_audit_head()
        if checkpoint is None:
            raise NotFound("nothing_to_sign", es="El registro no tiene eventos.",
                           en="The store has no events.")
        return Response(dict(checkpoint.__dict__), status_code=201)
