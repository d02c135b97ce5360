"""The monthly report over HTTP as JSON, an HTML page with its charts inline, a PDF and
each chart as SVG; the finance administrator signs the chain head first; the report of
possible transfers; readers only."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from litestar.testing import TestClient

from api.app import create_app
from ledger.application.bootstrap import Ledger
from ledger.domain.actor import Role
from tests.e2e.conftest import PASSWORD, Api
from tests.e2e.test_api_bad_input import assert_problem
from tests.factories import ADMIN, ManualClock
from tests.integration.commissary_story import commissary_history
from tests.integration.test_projections import varied_history


@pytest.fixture
def reports(ledger: Ledger, clock: ManualClock) -> Iterator[Api]:
    varied_history(ledger, clock)
    commissary_history(ledger, clock)
    for username, role in (("finanzas", Role.FINANCE_ADMIN), ("inspector",
                                                              Role.CONTRACT_INSPECTOR),
                           ("contratista", Role.CONTRACTOR), ("cajero", Role.CLERK)):
        ledger.users.create(username=username, password=PASSWORD, role=role.value,
                            actor=ADMIN)
    with TestClient(create_app(ledger=ledger)) as client:
        yield Api(client, ledger)


def test_the_monthly_report_as_json_html_pdf_and_svg(reports: Api) -> None:
    signed = reports.post("/reports/audit/sign", key=None)
    assert signed.status_code == 201, signed.text
    report = reports.get("/reports/monthly/2026-12", as_user="inspector")
    assert report.status_code == 200, report.text
    assert report.json()["commissary"]["net_minor"] == 560_00
    assert report.json()["signed_chain_head"]["chain_hash"] == signed.json()["chain_hash"]
    page = reports.client.get("/reports/monthly/2026-12", headers={
        **reports.headers("inspector", key=None), "Accept": "text/html"})
    assert page.headers["content-type"].startswith("text/html")
    assert page.text.count("<svg") == 4 and "http" not in page.text.replace(
        'xmlns="http://www.w3.org/2000/svg"', "")
    assert signed.json()["chain_hash"] in page.text
    pdf = reports.get("/reports/monthly/2026-12.pdf", as_user="finanzas")
    assert pdf.headers["content-type"] == "application/pdf" and pdf.content[:5] == b"%PDF-"
    chart = reports.get("/reports/monthly/2026-12/charts/balance_bands.svg", as_user="finanzas")
    assert chart.headers["content-type"].startswith("image/svg+xml")
    assert chart.text.startswith("<svg")


def test_the_monthly_report_refuses_a_bad_month_and_other_roles(reports: Api) -> None:
    assert_problem(reports.get("/reports/monthly/2026-13"), 422, "month_invalid", "month")
    assert_problem(reports.get("/reports/monthly/2026-12.docx"), 404, "format_unknown")
    assert_problem(reports.get("/reports/monthly/2026-12/charts/pie.svg"), 404,
                   "chart_not_found")
    for user in ("contratista", "cajero"):
        assert_problem(reports.get("/reports/monthly/2026-12", as_user=user), 403,
                       "role_forbidden")
    assert_problem(reports.post("/reports/audit/sign", as_user="inspector", key=None), 403,
                   "role_forbidden")


def test_the_transfers_report_over_http(reports: Api) -> None:
    answer = reports.get("/reports/transfers", as_user="inspector",
                         **{"from": "2026-11-01", "to": "2026-12-04"})
    assert answer.status_code == 200, answer.text
    assert answer.json()["rules"] == {"min_ppl": 2, "stop_gap_days": 14, "window_days": 7,
                                      "quiet_days": 30}
    assert_problem(reports.get("/reports/transfers", **{"from": "2026-12-04",
                                                         "to": "2026-11-01"}),
                   422, "period_reversed", "to")
    assert_problem(reports.get("/reports/transfers", window_days=0,
                               **{"from": "2026-11-01", "to": "2026-11-30"}),
                   422, "rule_invalid", "window_days")
