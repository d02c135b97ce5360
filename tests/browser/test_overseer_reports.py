"""The auditor (read-only, like the contract inspector) reads every report page: finding a PPL, the
statement, the pending deposits without the buttons to settle them, the trial balance,
the indigent list, the tamper check, the sign-ins and who did what."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.browser.conftest import Server, sign_in, snap


def test_an_auditor_reads_every_report_but_changes_nothing(
        open_context, server: Server) -> None:
    page = open_context()
    sign_in(page, "auditor")
    expect(page).to_have_url(re.compile(r"/admin$"))

    page.get_by_label("Buscar PPL por número o nombre").fill("gonzalez")
    page.keyboard.press("Enter")  # the keyboard alone is enough
    expect(page.locator("table")).to_contain_text("Luis González")
    snap(page, server, "15-admin-find")
    page.get_by_role("link", name="P-1003").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("P-1003 · Luis González")
    expect(page.get_by_role("link", name=re.compile("^Corregir"))).to_have_count(0)

    page.goto("/admin/depositos")
    expect(page.get_by_role("button", name=re.compile("^Acreditar"))).to_have_count(0)
    forbidden = page.request.post("/admin/depositos/P-1001/x/acreditar", form={})
    assert forbidden.status == 403

    page.get_by_role("link", name="Balance de comprobación").click()
    expect(page.get_by_test_id("balanced")).to_contain_text("Cuadra")
    snap(page, server, "17-admin-trial-balance")

    page.get_by_role("link", name="Lista de indigentes").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Lista de indigentes")
    snap(page, server, "18-admin-indigent-list")

    page.get_by_role("link", name="Control de integridad").click()
    page.get_by_role("button", name="Comprobar ahora").click()
    expect(page.get_by_test_id("verdict")).to_contain_text("Sin alteraciones")
    snap(page, server, "19-admin-integrity")

    page.get_by_role("link", name="Quién hizo qué").click()
    expect(page.locator("tbody tr").first).to_be_visible()
    expect(page.locator("table")).to_contain_text("Account.Admitted")
    snap(page, server, "21-admin-activity")

    page.get_by_role("button", name="Salir").click()
    expect(page.get_by_role("link", name="Ingresar").first).to_be_visible()
    assert page.request.get("/admin").url.endswith("/sesion/ingresar?siguiente=%2Fadmin")
    page.goto("/sesion/ingresar?siguiente=/admin")
    snap(page, server, "09-sign-in")
