"""What a depositor can and cannot reach, the sign-in lock, CSRF and the language switch,
tried in a real browser against the real server."""

from __future__ import annotations

import re
import uuid

from playwright.sync_api import expect

from tests.browser.conftest import PHONE, Server, sign_in, snap


def _someone_elses_deposit(server: Server) -> str:
    """A deposit by another depositor, recorded at the desk through the API."""
    desk = server.token("ventanilla")
    registered = server.api("POST", "/depositors", token=desk, key=uuid.uuid4().hex, json={
        "name": "Otra Persona", "document": f"6.{uuid.uuid4().int % 10**6:06d}-9",
        "relation": "amiga", "contact": ""})
    assert registered.status_code == 201, registered.text
    deposit = server.api("POST", "/ppl/P-1003/deposits", token=desk, key=uuid.uuid4().hex,
                         json={"depositor_id": registered.json()["depositor_id"],
                               "amount_minor": 90000, "currency": "UYU",
                               "channel": "bank_transfer", "external_reference": "X-1"})
    assert deposit.status_code == 201, deposit.text
    return str(deposit.json()["deposit_id"])


def test_a_depositor_cannot_open_another_depositors_receipt_or_any_balance(
        open_context, server: Server) -> None:
    other = _someone_elses_deposit(server)
    family = open_context(PHONE)
    sign_in(family, "familia")
    expect(family).to_have_url(re.compile(r"/familias$"))
    expect(family.locator("main")).not_to_contain_text(other)

    answer = family.goto(f"/familias/recibos/{other}")
    assert answer is not None and answer.status == 404
    expect(family.get_by_role("heading", level=1)).to_have_text("No encontrado")
    expect(family.locator("main")).not_to_contain_text("900,00")
    snap(family, server, "08-family-receipt-of-another-refused")
    pdf = family.request.get(f"/familias/recibos/{other}/pdf")
    assert pdf.status == 404 and b"%PDF" not in pdf.body()

    answer = family.goto("/admin/ppl/P-1003")
    assert answer is not None and answer.status == 403
    expect(family.locator("main")).not_to_contain_text("Peculio")
    for path in ("/admin/depositos", "/admin/balance", "/admin/indigentes"):
        assert family.request.get(path).status == 403
    # The page session is not a bearer token: the API stays closed to the cookie.
    assert family.request.get("/ppl/P-1003/balance").status == 401


def test_a_username_is_locked_after_five_failed_sign_ins(open_context, server: Server) -> None:
    stranger = open_context()
    for _ in range(5):
        sign_in(stranger, "inspector", "no-es-la-clave")
        expect(stranger.locator("#e-form")).to_have_text("Usuario o contraseña incorrectos.")
    sign_in(stranger, "inspector")  # the right password, too late
    expect(stranger.locator("#e-username")).to_contain_text("Demasiados intentos fallidos")
    expect(stranger).to_have_url(re.compile(r"/sesion/ingresar$"))
    snap(stranger, server, "20-sign-in-locked")

    admin = open_context()
    sign_in(admin, "finanzas")
    admin.goto("/admin/ingresos?usuario=inspector")
    expect(admin.locator("tbody tr")).to_have_count(6)
    expect(admin.locator("tbody tr").first).to_contain_text("usuario bloqueado")
    snap(admin, server, "16-admin-sign-ins")


def test_a_form_posted_without_this_sessions_csrf_token_is_refused(
        open_context, server: Server) -> None:
    admin = open_context()
    sign_in(admin, "finanzas")
    admin.goto("/admin/depositos")
    pending = admin.locator("tr[data-deposit]").count()
    assert pending > 0
    action = admin.locator("tr[data-deposit] form").first.get_attribute("action")
    assert action is not None
    forged = admin.request.post(action, form={"form_key": "forged-1"})
    assert forged.status == 403
    stolen = open_context()  # a valid token, but of another browser's session
    stolen.goto("/sesion/ingresar")
    token = stolen.locator("input[name=_csrf]").first.get_attribute("value")
    assert token
    replayed = admin.request.post(action, form={"form_key": "forged-2", "_csrf": token})
    assert replayed.status == 403
    admin.reload()
    expect(admin.locator("tr[data-deposit]")).to_have_count(pending)  # nothing was cleared

def test_the_pages_speak_english_when_asked_and_spanish_by_default(
        open_context, server: Server) -> None:
    page = open_context(PHONE)
    page.goto("/")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Fondos de personas privadas de libertad")
    page.get_by_role("link", name="English").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Funds of people held in the unit")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    snap(page, server, "01-home-english")
    sign_in_link = page.get_by_role("link", name="Sign in").first
    sign_in_link.click()
    page.get_by_label("Username").fill("auditor")
    page.get_by_label("Password").fill("demo-2026-clave")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Administration")
    page.get_by_role("link", name="Español").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Administración")
