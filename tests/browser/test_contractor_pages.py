"""The contractor keeps the price list in the browser (add, a new price, off sale), the
public reads it without signing in, and the pick list of a sector's day opens. The
settlement and the reconciliation upload wait for issue 5's reconciliation service."""

from __future__ import annotations

import re
import uuid

from playwright.sync_api import expect

from tests.browser.conftest import PHONE, Server, sign_in, snap


def test_the_contractor_keeps_the_price_list_that_everyone_reads(
        open_context, server: Server) -> None:
    code = f"JAB-{uuid.uuid4().hex[:6].upper()}"
    contractor = open_context()
    sign_in(contractor, "contratista")
    expect(contractor).to_have_url(re.compile(r"/contratista$"))
    contractor.get_by_label("Código").fill(code)
    contractor.get_by_label("Producto").fill("Jabón de tocador 90 g")
    contractor.get_by_label("Rubro").select_option("hygiene")
    contractor.get_by_label("Precio", exact=True).fill("85")
    contractor.get_by_label("Envase").select_option("glass")
    contractor.get_by_role("button", name="Agregar").click()
    expect(contractor.locator("#e-container")).to_have_text(
        "No se venden envases de cristal (V.H.5).")
    contractor.get_by_label("Envase").select_option("cardboard")
    contractor.get_by_role("button", name="Agregar").click()
    expect(contractor.get_by_role("status")).to_have_text("Producto agregado a la lista.")

    row = contractor.locator(f"tr[data-product='{code}']")
    row.get_by_label("Nuevo precio").fill("noventa")
    row.get_by_role("button", name=re.compile("^Cambiar precio")).click()
    row = contractor.locator(f"tr[data-product='{code}']")
    expect(row.locator(".error")).to_contain_text("Escriba el importe en cifras")
    row.get_by_label("Nuevo precio").fill("95,50")
    row.get_by_role("button", name=re.compile("^Cambiar precio")).click()
    expect(contractor.get_by_role("status")).to_have_text("Precio cambiado.")
    expect(contractor.locator(f"tr[data-product='{code}']")).to_contain_text("UYU 95,50")
    snap(contractor, server, "30-contractor-price-list")

    public = open_context(PHONE)
    public.goto("/")
    public.get_by_role("link", name="Ver la lista de precios del economato").click()
    expect(public.get_by_test_id("prices")).to_contain_text("Jabón de tocador 90 g")
    expect(public.get_by_test_id("prices")).to_contain_text("UYU 95,50")
    snap(public, server, "31-public-price-list")

    row = contractor.locator(f"tr[data-product='{code}']")
    row.get_by_label("Motivo").fill("Sin stock del proveedor")
    row.get_by_role("button", name=re.compile("^Retirar de la venta")).click()
    expect(contractor.get_by_role("status")).to_have_text("Producto retirado de la venta.")
    public.reload()
    expect(public.locator("main")).not_to_contain_text(code)

    contractor.get_by_role("link", name="Reparto y armado").click()
    expect(contractor.get_by_role("heading", level=2)).to_contain_text("Sector A")
    snap(contractor, server, "32-contractor-pick-list")


def test_only_the_contractor_opens_the_contractors_pages(open_context, server: Server) -> None:
    family = open_context(PHONE)
    sign_in(family, "familia")
    assert family.request.get("/contratista").status == 403
    assert family.request.get("/contratista/reparto").status == 403
    assert family.request.get("/precios").status == 200
