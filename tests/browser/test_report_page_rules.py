"""The report pages' rules that need no browser, on both stores through the app itself:
the settlement page shows the settlement service's figures and refuses a reversed period
on its field, the upload refuses a missing CSRF token, a missing file and a body over the
limit (413, on the file field, nothing recorded), who may open which report page, and
every text the report pages build from a code is in the catalogue in both languages."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from litestar.testing import TestClient

from api.app import create_app
from api.pages.messages import M
from ledger.application.bootstrap import Ledger
from ledger.application.deposits import DepositChannel
from ledger.application.reconciliation import STATUSES
from ledger.application.reconciliation_file import MAX_FILE_BYTES
from ledger.application.settlement import Settlement
from ledger.domain.actor import Role
from ledger.domain.catalogue import Category
from ledger.infrastructure.config import Settings
from tests.factories import ADMIN, ManualClock, deposit, register_depositor
from tests.integration.commissary_story import commissary_history
from tests.integration.test_monthly_and_transfer_reports import pattern  # noqa: F401
from tests.integration.test_projections import varied_history
from tests.integration.test_settlement_and_reconciliation import as_csv, ledger_file

PASSWORD = "clave-de-prueba-2026"
CONTRACTOR_PAGES = ("/contratista/liquidacion", "/contratista/conciliacion")
ADMIN_PAGES = ("/admin/informe-mensual", "/admin/informe-mensual.pdf", "/admin/traspasos")


@pytest.fixture
def shop(ledger: Ledger, clock: ManualClock) -> Ledger:
    varied_history(ledger, clock)
    commissary_history(ledger, clock)  # the clock ends in December 2026
    depositor = register_depositor(ledger, "7.111.222-3", name="Ana Pérez")
    stranger = register_depositor(ledger, "7.999.888-7", name="Otra Persona")
    deposit(ledger, "P-1", stranger, 300_00, channel="bank_transfer")  # stays pending
    for username, role in (("contratista", Role.CONTRACTOR), ("finanzas", Role.FINANCE_ADMIN),
                           ("inspector", Role.CONTRACT_INSPECTOR)):
        ledger.users.create(username=username, password=PASSWORD, role=role.value, actor=ADMIN)
    ledger.users.create(username="familia", password=PASSWORD, role=Role.DEPOSITOR.value,
                        depositor_id=depositor, actor=ADMIN)
    return ledger


@pytest.fixture
def client(shop: Ledger, settings: Settings) -> Iterator[TestClient[Any]]:
    with TestClient(create_app(settings, ledger=shop)) as test_client:
        yield test_client


def _csrf(html: str) -> str:
    found = re.search(r'name="_csrf" value="([^"]+)"', html)
    assert found, html[:500]
    return found.group(1)


def sign_in(client: TestClient[Any], username: str) -> None:
    client.cookies.clear()
    token = _csrf(client.get("/sesion/ingresar").text)
    answer = client.post("/sesion/ingresar", follow_redirects=False,
                         data={"_csrf": token, "username": username, "password": PASSWORD})
    assert answer.status_code == 303, answer.text[:300]


def _events(ledger: Ledger) -> int:
    return ledger.read_side.source.head()


def test_the_settlement_page_shows_what_the_service_says_and_refuses_a_reversed_period(
        client: TestClient[Any], shop: Ledger) -> None:
    sign_in(client, "contratista")
    page = client.get("/contratista/liquidacion?desde=2026-12-01&hasta=2026-12-04")
    owed = Settlement(shop.ctx, shop.read_side).for_period("2026-12-01", "2026-12-04")
    assert page.status_code == 200 and owed["matches"]
    assert re.search(r'data-testid="owed">UYU 560,00<', page.text), page.text
    assert 'data-testid="matches">Coincide con la cuenta a pagar' in page.text
    for sector in owed["by_sector"]:
        assert f'data-sector="{sector["sector"]}"' in page.text
    reversed_period = client.get("/contratista/liquidacion?desde=2026-12-04&hasta=2026-12-01")
    assert reversed_period.status_code == 422
    assert re.search(r'id="e-hasta">La fecha final es anterior a la inicial.<',
                     reversed_period.text)
    assert 'value="2026-12-04"' in reversed_period.text  # what was typed stays


def test_the_upload_needs_this_sessions_csrf_token_and_a_file(
        client: TestClient[Any], shop: Ledger) -> None:
    sign_in(client, "contratista")
    data = as_csv(ledger_file(shop, "2026-12-01", "2026-12-04"))
    before = _events(shop)
    fields = {"from": "2026-12-01", "to": "2026-12-04", "form_key": "k-1"}
    refused = client.post("/contratista/conciliacion", data=fields,
                          files={"file": ("ventas.csv", data, "text/csv")})
    assert refused.status_code == 403 and "venció o no vino de esta página" in refused.text
    token = _csrf(client.get("/contratista/conciliacion").text)
    empty = client.post("/contratista/conciliacion", data={**fields, "_csrf": token},
                        files={"file": ("", b"", "application/octet-stream")})
    assert empty.status_code == 422
    assert re.search(r'<p class="error">Elija el archivo CSV de sus ventas', empty.text)
    columns = client.post("/contratista/conciliacion", data={**fields, "_csrf": token},
                          files={"file": ("ventas.csv", b"pedido,producto\nx,y\n", "text/csv")})
    assert columns.status_code == 422 and "Las columnas deben ser line_type" in columns.text
    assert "file-errors" not in columns.text and "más." not in columns.text
    assert _events(shop) == before
    accepted = client.post("/contratista/conciliacion", data={**fields, "_csrf": token},
                           files={"file": ("ventas.csv", data, "text/csv")},
                           follow_redirects=False)
    assert accepted.status_code == 303
    assert accepted.headers["location"].startswith("/contratista/conciliacion/")


def test_a_body_over_the_limit_is_refused_on_the_file_field_and_records_nothing(
        client: TestClient[Any], shop: Ledger) -> None:
    sign_in(client, "contratista")
    token = _csrf(client.get("/contratista/conciliacion").text)
    before = _events(shop)
    answer = client.post("/contratista/conciliacion",
                         data={"_csrf": token, "from": "2026-12-01", "to": "2026-12-04",
                               "form_key": "k-2"},
                         files={"file": ("ventas.csv", b"line_type\n", "text/csv")},
                         headers={"Content-Length": str(MAX_FILE_BYTES + 1024 * 1024)})
    assert answer.status_code == 413
    assert re.search(r'id="e-file"', answer.text)
    assert "El archivo pasa el máximo de 20 MiB" in answer.text
    assert _events(shop) == before


def test_the_finance_administrator_signs_the_chain_head_with_this_sessions_token(
        client: TestClient[Any]) -> None:
    sign_in(client, "finanzas")
    page = client.get("/admin/informe-mensual?mes=2026-12")
    assert "Aún no hay ninguna cabeza firmada." in page.text
    assert client.post("/admin/informe-mensual/firmar",
                       data={"mes": "2026-12"}).status_code == 403
    signed = client.post("/admin/informe-mensual/firmar",
                         data={"mes": "2026-12", "_csrf": _csrf(page.text)})
    assert signed.status_code == 200 and str(signed.url).endswith("mes=2026-12&hecho=signed")
    assert "Firma válida con la clave de la unidad; cubre todo el mes." in signed.text
    sign_in(client, "inspector")  # reads the report, may not sign
    assert client.post("/admin/informe-mensual/firmar", data={
        "mes": "2026-12", "_csrf": _csrf(client.get("/admin/informe-mensual").text)}
                       ).status_code == 403


def test_each_role_opens_only_its_report_pages(client: TestClient[Any]) -> None:
    anonymous = [client.get(p, follow_redirects=False) for p in CONTRACTOR_PAGES + ADMIN_PAGES]
    assert all(a.status_code == 303 and "/sesion/ingresar" in a.headers["location"]
               for a in anonymous)
    sign_in(client, "familia")
    for path in (*CONTRACTOR_PAGES, *ADMIN_PAGES, "/contratista/conciliacion/x",
                 "/contratista/conciliacion/x/csv"):
        assert client.get(path).status_code == 403, path
    sign_in(client, "contratista")
    assert all(client.get(p).status_code == 403 for p in ADMIN_PAGES)
    sign_in(client, "inspector")
    assert all(client.get(p).status_code == 403 for p in CONTRACTOR_PAGES)
    assert all(client.get(p).status_code == 200 for p in ADMIN_PAGES)


def test_a_post_refused_by_role_shows_the_error_page_and_never_the_form_behind_it(
        client: TestClient[Any], shop: Ledger) -> None:
    posts = [re.sub(r"\{[^}]+\}", "x", route.path) for route in client.app.routes
             if "POST" in getattr(route, "methods", ()) and re.match(
                 r"^/(admin|contratista)(/|$)", route.path)]
    assert len(posts) >= 8
    sign_in(client, "finanzas")  # what a re-shown form would give away: the pending list
    assert "data-deposit" in client.get("/admin/depositos").text
    for username in ("familia", "contratista", "inspector"):
        sign_in(client, username)
        for path in posts:
            if path.startswith("/contratista") and username == "contratista":
                continue
            answer = client.post(path, data={"reason": "x", "mes": "2026-12"})
            assert answer.status_code == 403, (username, path)
            assert "<h1>Sin permiso</h1>" in answer.text, (username, path)
            assert "form_key" not in answer.text and "data-deposit" not in answer.text, path


def test_the_transfers_page_refuses_a_threshold_out_of_range_on_its_field(
        client: TestClient[Any]) -> None:
    sign_in(client, "inspector")
    answer = client.get("/admin/traspasos?desde=2026-11-01&hasta=2026-12-04&min_ppl=1")
    assert answer.status_code == 422
    assert re.search(r'id="e-min_ppl">«min_ppl» es un entero de 2 a 50.<', answer.text)
    answer = client.get("/admin/traspasos?min_ppl=dos")
    assert answer.status_code == 422 and 'id="e-min_ppl">Escriba un número entero.<' in (
        answer.text)


def test_the_transfers_page_shows_a_purchase_stop_with_the_rows_that_show_it(
        ledger: Ledger, settings: Settings, request: pytest.FixtureRequest) -> None:
    depositors = request.getfixturevalue("pattern")  # P-1 stops buying, M then funds P-2
    ledger.users.create(username="inspector", password=PASSWORD,
                        role=Role.CONTRACT_INSPECTOR.value, actor=ADMIN)
    with TestClient(create_app(settings, ledger=ledger)) as client:
        sign_in(client, "inspector")
        page = client.get("/admin/traspasos?desde=2026-10-01&hasta=2026-10-31").text
    [finding] = re.findall(r'<section class="finding" data-testid="stop-finding">(.*?)</section>',
                           page, re.DOTALL)
    assert "P-1 dejó de comprar (20/10/2026" in finding
    assert "empezaron depósitos a P-2, sector A" in finding
    assert f"también financiaba a la primera: {depositors['M'][:8]}." in finding
    purchases, deposits = re.findall(r"<tbody>(.*?)</tbody>", finding, re.DOTALL)
    assert purchases.count("UYU 100,00") == 3
    assert re.findall(r"UYU \d+,00", deposits) == ["UYU 400,00", "UYU 300,00"]


def test_the_monthly_report_page_speaks_english_too(client: TestClient[Any]) -> None:
    sign_in(client, "inspector")
    client.cookies.set("ppl_lang", "en")
    page = client.get("/admin/informe-mensual?mes=2026-12").text
    assert "The month&#39;s movements (UYU)" in page or "The month's movements (UYU)" in page
    assert "Commissary: sales delivered" in page and "Movimientos del mes" not in page
    assert page.count("<svg") == 4


def test_every_text_the_report_pages_build_from_a_code_is_in_the_catalogue() -> None:
    keys = ({f"recstatus.{s}" for s in STATUSES}
            | {f"reckind.{k}" for k in ("sale", "refund")}
            | {f"monthly.ind.{k}" for k in (
                "deposits", "by_channel", "deposits_rejected", "wages", "wages_available",
                "wages_reserve", "reserve_accrued", "reserve_paid", "damage", "phone",
                "custody", "departures", "sales", "refunds", "owed", "ppl", "indigent",
                "corrections")}
            | {f"monthly.flow.{k}" for k in ("deposits", "wages", "reserve", "damage",
                                              "phone", "sales", "refunds")}
            | {f"channel.{c.value}" for c in DepositChannel}
            | {f"category.{c.value}" for c in Category})
    assert sorted(k for k in keys if k not in M) == []
