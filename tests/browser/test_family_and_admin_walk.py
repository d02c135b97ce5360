"""The walk the issue asks for, in a real browser against the real server: a family
registers on a phone and deposits (after a wrong pairing is refused), gets the receipt as
a page and a PDF; an administrator clears the deposit and sees the balance change; the
family sees the deposit cleared — and never a balance."""

from __future__ import annotations

import re
import uuid

from playwright.sync_api import Page, expect

from tests.browser.conftest import PHONE, Server, sign_in, snap

PAIRING_REFUSED = ("El número penitenciario y el apellido no corresponden a una misma "
                   "persona. Revise ambos datos.")


def _money(page: Page, test_id: str) -> int:
    """'UYU 1.234,50' on the page -> 123450 minor units."""
    text = page.get_by_test_id(test_id).inner_text()
    digits = re.sub(r"[^\d,]", "", text).replace(",", "")
    return int(digits)


def register_family(page: Page, server: Server, *, name: str, document: str,
                    username: str, shots: bool = False) -> None:
    page.goto("/")
    if shots:
        snap(page, server, "01-home")
    page.get_by_role("link", name="Registrarme").first.click()
    page.get_by_label("Nombre y apellido").fill(name)
    page.get_by_label("Documento de identidad").fill(document)
    page.get_by_label("Parentesco o vínculo").select_option("hermana")
    page.get_by_label("Teléfono o correo").fill("099 555 123")
    page.get_by_label("Usuario", exact=True).fill(username)
    page.get_by_label("Contraseña", exact=True).fill("clave-de-familia-2026")
    if shots:
        snap(page, server, "02-family-register")
    page.get_by_label("Repita la contraseña").fill("otra-clave-distinta")
    page.get_by_role("button", name="Registrarme").click()
    expect(page.locator("#e-password2")).to_have_text("Las dos contraseñas no coinciden.")
    page.get_by_label("Contraseña", exact=True).fill("clave-de-familia-2026")
    page.get_by_label("Repita la contraseña").fill("clave-de-familia-2026")
    page.get_by_role("button", name="Registrarme").click()
    expect(page.get_by_role("status")).to_have_text("Registro completo. Ya puede depositar.")


def fill_deposit(page: Page, number: str, surname: str, amount: str) -> None:
    page.get_by_label("Número penitenciario").fill(number)
    page.get_by_label("Apellido de la PPL").fill(surname)
    page.get_by_label("Importe (UYU)").fill(amount)
    page.get_by_label("Transferencia bancaria").check()
    page.get_by_label("Referencia del pago").fill("TRF-884211")
    page.get_by_role("button", name="Depositar").click()


def test_a_family_registers_and_deposits_and_an_administrator_clears_it(
        open_context, server: Server) -> None:
    family = open_context(PHONE)
    username = f"hermana-{uuid.uuid4().hex[:6]}"
    register_family(family, server, name="Rosa Rodríguez",
                    document=f"9.{uuid.uuid4().int % 1000:03d}.{uuid.uuid4().int % 1000:03d}-1",
                    username=username, shots=True)
    snap(family, server, "03-family-deposits-empty")

    family.get_by_role("link", name="Depositar").first.click()
    snap(family, server, "04-family-deposit-form")
    fill_deposit(family, "P-1002", "Pérez", "1.500,50")  # the number is real, the surname not
    expect(family.locator("#e-ppl")).to_have_text(PAIRING_REFUSED)
    expect(family.get_by_label("Número penitenciario")).to_have_value("P-1002")
    snap(family, server, "05-family-deposit-refused")
    fill_deposit(family, "P-9999", "Rodríguez", "1.500,50")  # no such number
    expect(family.locator("#e-ppl")).to_have_text(PAIRING_REFUSED)
    fill_deposit(family, "P-1002", "Rodriguez", "1.500,507")  # accents do not matter
    expect(family.locator("#e-amount")).to_contain_text("hasta 2 decimales")
    fill_deposit(family, "P-1002", "rodriguez", "1.500,50")

    expect(family.get_by_role("status")).to_have_text("Depósito registrado.")
    reference = family.get_by_test_id("reference").inner_text()
    expect(family.get_by_test_id("amount")).to_have_text("UYU 1.500,50")
    expect(family.get_by_test_id("state")).to_have_text("Pendiente")
    snap(family, server, "06-family-receipt")
    pdf = family.request.get(f"/familias/recibos/{reference}/pdf")
    assert pdf.status == 200 and pdf.headers["content-type"] == "application/pdf"
    assert pdf.body().startswith(b"%PDF")

    admin = open_context()
    sign_in(admin, "finanzas")
    expect(admin).to_have_url(re.compile(r"/admin$"))
    snap(admin, server, "10-admin-dashboard")
    admin.get_by_label("Buscar PPL por número o nombre").fill("P-1002")
    admin.get_by_role("button", name="Buscar").click()
    expect(admin).to_have_url(re.compile(r"/admin/ppl/P-1002$"))
    available_before = _money(admin, "balance-available")
    pending_before = _money(admin, "balance-pending")

    admin.get_by_role("link", name="Depósitos pendientes").first.click()
    row = admin.locator(f"tr[data-deposit='{reference}']")
    expect(row).to_contain_text("Rosa Rodríguez")
    expect(row).to_contain_text("TRF-884211")
    snap(admin, server, "11-admin-pending-deposits")
    row.get_by_role("button", name=re.compile("^Acreditar")).click()
    expect(admin.get_by_role("status")).to_have_text("Depósito acreditado.")
    expect(admin.locator(f"tr[data-deposit='{reference}']")).to_have_count(0)

    admin.goto("/admin/ppl/P-1002")
    assert _money(admin, "balance-available") == available_before + 150050
    assert _money(admin, "balance-pending") == pending_before - 150050
    expect(admin.locator("table.statement")).to_contain_text("Depósito acreditado")
    snap(admin, server, "12-admin-statement")

    family.goto("/familias")
    expect(family.locator("table")).to_contain_text("Acreditado")
    expect(family.locator("main")).not_to_contain_text("Peculio")
    snap(family, server, "07-family-deposits")


def test_a_correction_needs_a_reason_and_a_confirmation(open_context, server: Server) -> None:
    admin = open_context()
    sign_in(admin, "finanzas")
    admin.goto("/admin/ppl/P-2001")
    wage = admin.locator("table.statement tr", has_text="Remuneración")
    reserve_before = _money(admin, "balance-reserve")
    assert reserve_before > 0
    wage.get_by_role("link", name=re.compile("^Corregir")).click()
    admin.get_by_role("button", name="Continuar").click()
    expect(admin.locator("#e-reason")).to_have_text("Indique el motivo de la corrección.")
    expect(admin.get_by_label("Motivo")).to_be_focused()  # the keyboard lands on the fault
    admin.get_by_label("Motivo").fill("Remuneración cargada dos veces (planilla 47)")
    snap(admin, server, "13-admin-correction")
    admin.get_by_role("button", name="Continuar").click()
    expect(admin.get_by_role("heading", name="Confirme la corrección")).to_be_visible()
    snap(admin, server, "14-admin-correction-confirm")
    admin.get_by_role("button", name="Confirmar corrección").click()
    expect(admin.get_by_role("status")).to_have_text("Corrección registrada.")
    assert _money(admin, "balance-reserve") == 0
    expect(admin.locator("table.statement")).to_contain_text("Revertido")
    expect(admin.locator("table.statement")).to_contain_text(
        "Remuneración cargada dos veces (planilla 47)")


def test_rejecting_a_pending_deposit_needs_a_reason(open_context, server: Server) -> None:
    family = open_context(PHONE)
    register_family(family, server, name="Marta Fernández",
                    document=f"8.{uuid.uuid4().int % 1000:03d}.{uuid.uuid4().int % 1000:03d}-2",
                    username=f"marta-{uuid.uuid4().hex[:6]}")
    family.goto("/familias/depositar")
    fill_deposit(family, "P-2001", "Fernández", "700")
    reference = family.get_by_test_id("reference").inner_text()

    admin = open_context()
    sign_in(admin, "finanzas")
    admin.goto("/admin/depositos")
    row = admin.locator(f"tr[data-deposit='{reference}']")
    row.get_by_role("button", name=re.compile("^Rechazar")).click()
    row = admin.locator(f"tr[data-deposit='{reference}']")
    expect(row.locator(".error")).to_contain_text("motivo")  # next to that row's field
    row.get_by_label("Motivo").fill("El banco no registra la transferencia")
    row.get_by_role("button", name=re.compile("^Rechazar")).click()
    expect(admin.get_by_role("status")).to_have_text("Depósito rechazado.")

    family.goto(f"/familias/recibos/{reference}")
    expect(family.get_by_test_id("state")).to_have_text("Rechazado")
