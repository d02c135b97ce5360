"""The reports of issue 5 in the browser, against the real server: the contractor reads
the settlement of real sales, uploads its own sales file (a bad one first, refused with
every bad line next to the file field), sees the mismatches and downloads them as CSV;
the finance administrator opens the monthly report with its charts, signs the chain
head, downloads the PDF and reads the possible transfers with their evidence; a depositor
reaches none of these pages.

The sales are real: before the pages are opened, a POS terminal is registered through the
API and the clerk delivers the demo unit's sector A orders with signed requests (one only
in part), and the contractor records a refund — as the POS and the contractor's desk do."""

from __future__ import annotations

import csv
import io
import json
import re
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import httpx
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from playwright.sync_api import Page, expect

from ledger.domain.money import Money
from pos_terminal.signing import public_key_b64, sign
from tests.browser.conftest import PHONE, Server, sign_in, snap

TERMINAL = "POS-NAVEGADOR"
COLUMNS = ("line_type", "order_id", "refund_id", "date", "product_code", "quantity",
           "amount_minor")


@dataclass(frozen=True)
class Sales:
    """The ledger's sales lines of the deliveries and the refund made for the tests."""

    lines: list[dict[str, Any]]
    first_day: str
    last_day: str

    @property
    def delivered_minor(self) -> int:
        return sum(p["amount_minor"] for p in self.lines if p["kind"] == "sale")

    @property
    def owed_minor(self) -> int:
        return self.delivered_minor - sum(p["amount_minor"] for p in self.lines
                                          if p["kind"] == "refund")

    def line(self, number: str, code: str, kind: str = "sale") -> dict[str, Any]:
        return next(p for p in self.lines
                    if (p["number"], p["product_code"], p["kind"]) == (number, code, kind))


def _signed_post(server: Server, token: str, key: Ed25519PrivateKey, path: str,
                 body: dict[str, Any]) -> httpx.Response:
    raw = json.dumps(body).encode()
    headers = {"Authorization": f"Bearer {token}", "Idempotency-Key": uuid.uuid4().hex,
               "Content-Type": "application/json",
               **sign(key, TERMINAL, "POST", path, raw)}
    return httpx.post(server.url + path, content=raw, headers=headers, timeout=30)


@pytest.fixture(scope="session")
def sales(server: Server) -> Iterator[Sales]:
    """Delivers sector A's demo orders through a signed terminal (P-1002's only in part)
    and refunds one packet of P-1001's biscuits; once per server."""
    finance, clerk = server.token("finanzas"), server.token("cajero")
    contractor = server.token("contratista")
    key = Ed25519PrivateKey.generate()
    registered = server.api("POST", "/terminals", token=finance, key=uuid.uuid4().hex,
                            json={"terminal_id": TERMINAL, "name": "Economato (navegador)",
                                  "public_key": public_key_b64(key)})
    assert registered.status_code == 201, registered.text
    orders = {}
    for number in ("P-1001", "P-1002", "P-1003"):
        overview = server.api("GET", f"/commissary/ppl/{number}", token=finance).json()
        orders[number] = overview["open_orders"][0]["order_id"]
    partly = {"P-1002": [{"product_code": "CIG-20", "delivered_quantity": 1},
                         {"product_code": "PASTA-1", "delivered_quantity": 1}]}
    for number, order_id in orders.items():
        body: dict[str, Any] = {"run_sector": "A"}
        if number in partly:
            body["lines"] = partly[number]
        answer = _signed_post(server, clerk, key, f"/commissary/orders/{order_id}/delivery",
                              body)
        assert answer.status_code == 200, answer.text
    refund = server.api("POST", f"/commissary/orders/{orders['P-1001']}/refunds",
                        token=contractor, key=uuid.uuid4().hex,
                        json={"lines": [{"product_code": "GALL-01", "quantity": 1}],
                              "reason": "Paquete roto"})
    assert refund.status_code in (200, 201), refund.text
    refunded_at = date.fromisoformat(refund.json()["updated_at"][:10])  # UTC
    # The unit's local day may differ from the UTC one; a day either side holds them all.
    start, end = refunded_at - timedelta(days=1), refunded_at + timedelta(days=1)
    answer = server.api("GET", f"/reports/contractor/sales?from={start}&to={end}",
                        token=contractor)
    assert answer.status_code == 200, answer.text
    lines: list[dict[str, Any]] = answer.json()["lines"]
    assert [p["kind"] for p in lines].count("sale") == 7, lines
    days = sorted(p["day"] for p in lines)
    yield Sales(lines=lines, first_day=days[0], last_day=days[-1])


def _file(rows: list[dict[str, Any]]) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode()


def _as_file_row(line: dict[str, Any]) -> dict[str, Any]:
    return {"line_type": line["kind"], "order_id": line["order_id"],
            "refund_id": line["refund_id"] or "", "date": line["day"],
            "product_code": line["product_code"], "quantity": line["quantity"],
            "amount_minor": line["amount_minor"]}


def _uyu(minor: int) -> str:
    return Money(minor, "UYU").format()


def _upload(page: Page, sales: Sales, data: bytes) -> None:
    page.get_by_label("Desde").fill(sales.first_day)
    page.get_by_label("Hasta").fill(sales.last_day)
    page.get_by_label("Archivo de ventas (CSV)").set_input_files(
        files=[{"name": "ventas.csv", "mimeType": "text/csv", "buffer": data}])
    page.get_by_role("button", name="Subir y conciliar").click()


def test_the_contractor_reconciles_its_sales_file_and_sees_the_mismatches(
        open_context, server: Server, sales: Sales) -> None:
    page = open_context()
    sign_in(page, "contratista")
    page.get_by_role("link", name="Liquidación").click()
    page.get_by_label("Desde").fill(sales.first_day)
    page.get_by_label("Hasta").fill(sales.last_day)
    page.get_by_role("button", name="Mostrar").click()
    expect(page.get_by_test_id("owed")).to_have_text(_uyu(sales.owed_minor))
    expect(page.get_by_test_id("payable")).to_have_text(_uyu(sales.owed_minor))
    expect(page.get_by_test_id("matches")).to_contain_text("Coincide con la cuenta a pagar")
    biscuits = page.get_by_test_id("by-product").locator("tr[data-product='GALL-01']")
    expect(biscuits).to_contain_text("5")  # 2 + 3 packets delivered
    expect(biscuits).to_contain_text(_uyu(4 * 5000))  # one of them returned
    expect(page.get_by_test_id("by-sector").locator("tr[data-sector='A']")).to_contain_text(
        _uyu(sales.owed_minor))
    snap(page, server, "33-contractor-settlement")

    page.get_by_role("link", name="Conciliar con mi archivo de ventas").click()
    rows = [_as_file_row(p) for p in sales.lines]
    broken = [dict(rows[0], quantity=-3), dict(rows[1], date="2026-02-30"), *rows[2:]]
    _upload(page, sales, _file(broken))
    field = page.locator("#e-file")
    expect(field).to_contain_text("El archivo tiene 2 error(es); no se registró nada.")
    expect(page.get_by_test_id("file-errors").locator("li")).to_have_text([
        "Línea 2: «quantity» no puede ser negativo (-3).",
        "Línea 3: La fecha «2026-02-30» no es una fecha AAAA-MM-DD."])
    expect(page.get_by_label("Archivo de ventas (CSV)")).to_be_focused()
    snap(page, server, "34-contractor-reconciliation-refused")

    # The contractor's own file: one more packet of biscuits for P-1001, the socks of
    # P-1003 10.00 dearer, P-1002's toothpaste forgotten, and a sale the ledger never had.
    more = _as_file_row(sales.line("P-1001", "GALL-01"))
    dearer = _as_file_row(sales.line("P-1003", "MED-01"))
    forgotten = _as_file_row(sales.line("P-1002", "PASTA-1"))
    mine = []
    for row in rows:
        if row == more:
            row = dict(row, quantity=row["quantity"] + 1)
        elif row == dearer:
            row = dict(row, amount_minor=row["amount_minor"] + 1000)
        if row != forgotten:
            mine.append(row)
    unknown = str(uuid.uuid4())
    mine.append({"line_type": "sale", "order_id": unknown, "refund_id": "",
                 "date": sales.last_day, "product_code": "YERBA-1", "quantity": 1,
                 "amount_minor": 18000})
    _upload(page, sales, _file(mine))
    expect(page.get_by_role("heading", level=1)).to_have_text("Resultado de la conciliación")
    expect(page.get_by_test_id("verdict")).to_have_text("4 línea(s) no coinciden.")
    summary = page.get_by_test_id("summary")
    for status, count in (("matched", 5), ("quantity_mismatch", 1), ("amount_mismatch", 1),
                          ("date_mismatch", 0), ("missing_in_ledger", 1),
                          ("missing_in_file", 1)):
        expect(summary.locator(f"tr[data-status='{status}'] td")).to_have_text(str(count))
    expect(page.get_by_test_id("difference")).to_have_text(_uyu(1000 + 18000 - 9500))
    table = page.get_by_test_id("rows")
    expect(table.locator("tbody tr")).to_have_count(4)
    expect(table.locator("tr[data-status='quantity_mismatch'][data-product='GALL-01']")
           ).to_contain_text("Cantidad distinta")
    expect(table.locator("tr[data-status='amount_mismatch'][data-product='MED-01']")
           ).to_contain_text(_uyu(dearer["amount_minor"] + 1000))
    expect(table.locator("tr[data-status='missing_in_file'][data-product='PASTA-1']")
           ).to_contain_text("P-1002")
    expect(table.locator("tr[data-status='missing_in_ledger']")).to_contain_text(unknown[:8])
    snap(page, server, "35-contractor-reconciliation-result")

    link = page.get_by_role("link", name="Descargar CSV")
    as_csv = page.request.get(str(link.get_attribute("href")))
    assert as_csv.status == 200 and as_csv.headers["content-type"].startswith("text/csv")
    statuses = [row["status"] for row in csv.DictReader(io.StringIO(as_csv.text()))]
    assert sorted(statuses) == sorted(["matched"] * 5 + [
        "quantity_mismatch", "amount_mismatch", "missing_in_ledger", "missing_in_file"])
    page.get_by_role("link", name="Ver todas las líneas").click()
    expect(page.get_by_test_id("rows").locator("tbody tr")).to_have_count(9)


def test_the_finance_administrator_reads_the_monthly_report_with_its_charts(
        open_context, server: Server, sales: Sales) -> None:
    page = open_context()
    sign_in(page, "finanzas")
    page.get_by_role("link", name="Informe mensual").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Informe mensual")
    charts = page.locator("figure.chart svg")
    expect(charts).to_have_count(4)
    for name in ("flows", "commissary_by_category", "balance_bands", "corrections_by_whom"):
        expect(page.locator(f"figure[data-chart='{name}'] svg")).to_be_visible()
    flows = page.locator("figure[data-chart='flows'] svg")
    expect(flows).to_have_attribute("aria-label", "Movimientos del mes (UYU)")
    expect(flows).to_contain_text("Economato: ventas entregadas")
    expect(flows).to_contain_text(_uyu(sales.delivered_minor))
    expect(page.locator("figure[data-chart='commissary_by_category'] svg")).to_contain_text(
        "Cigarrillos")
    expect(page.get_by_test_id("indicators")).to_contain_text("Economato: pedidos entregados")
    expect(page.get_by_test_id("month-balanced")).to_contain_text("cuadra")
    page.get_by_role("button", name="Firmar la cabeza ahora").click()
    expect(page.get_by_role("status")).to_contain_text("Cabeza de la cadena firmada")
    expect(page.get_by_test_id("chain-verdict")).to_have_text(
        "Firma válida con la clave de la unidad; cubre todo el mes.")
    snap(page, server, "22-admin-monthly-report")
    with page.expect_download() as download:
        page.get_by_role("link", name="Descargar PDF").click()
    pdf = download.value
    assert pdf.suggested_filename.startswith("informe-mensual-")
    with open(pdf.path(), "rb") as saved:
        assert saved.read(5) == b"%PDF-"

    page.get_by_role("link", name="Posibles traspasos").click()
    findings = page.get_by_test_id("depositor-finding")
    expect(findings.first).to_be_visible()
    ana = findings.filter(has_text="P-2001").filter(has_text="P-1001")  # the demo's mother
    expect(ana).to_contain_text("Madre")
    evidence = ana.locator("tbody tr")  # each deposit: to P-1001 (cash, transfer), P-2001
    expect(evidence.filter(has_text="P-1001").filter(has_text="Transferencia bancaria")
           ).to_have_count(1)
    expect(evidence.filter(has_text="P-2001")).to_have_count(1)
    snap(page, server, "23-admin-transfers")


def test_a_depositor_reaches_none_of_the_report_pages(open_context, server: Server) -> None:
    family = open_context(PHONE)
    sign_in(family, "familia")
    for path in ("/contratista/liquidacion", "/contratista/conciliacion",
                 f"/contratista/conciliacion/{uuid.uuid4()}",
                 f"/contratista/conciliacion/{uuid.uuid4()}/csv", "/admin/informe-mensual",
                 "/admin/informe-mensual.pdf", "/admin/traspasos"):
        assert family.request.get(path).status == 403, path
    refused = family.request.post("/contratista/conciliacion", multipart={
        "from": "2026-01-01", "to": "2026-01-31",
        "file": {"name": "v.csv", "mimeType": "text/csv", "buffer": b"line_type\n"}})
    assert refused.status == 403
    assert family.request.post("/admin/informe-mensual/firmar", form={}).status == 403
    family.goto("/admin/informe-mensual")
    expect(family.get_by_role("heading", level=1)).to_have_text("Sin permiso")
    expect(family.locator("main")).not_to_contain_text("UYU")
    anonymous = open_context()
    anonymous.goto("/contratista/conciliacion")
    expect(anonymous).to_have_url(re.compile(r"/sesion/ingresar\?siguiente="))
