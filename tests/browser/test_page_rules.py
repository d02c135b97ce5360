"""The pages' rules that need no browser, on both stores through the app itself (fast):
cookie flags, CSRF on every form route, the sign-in lock and throttle with their numbers,
the pairing limit, amounts typed by people, the surname rule, the message catalogue."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from litestar.testing import TestClient

from api.app import create_app
from api.pages.forms import parse_major_amount
from api.pages.messages import M
from ledger.application.bootstrap import Ledger
from ledger.application.deposits import DepositChannel
from ledger.application.web_families import surname_matches
from ledger.application.web_security import (
    LOCK_AFTER,
    LOCK_MINUTES,
    PAIRING_LIMIT,
    THROTTLE_AFTER,
    SignIns,
)
from ledger.domain.account import ENTRY_KINDS, AccountStatus, DepositState
from ledger.domain.actor import Role
from ledger.domain.catalogue import Category, Container
from ledger.domain.errors import LedgerError, Unauthenticated
from ledger.domain.postings import SubAccount
from ledger.infrastructure.config import Settings
from tests.factories import ADMIN, ManualClock, admit, register_depositor

PASSWORD = "clave-de-prueba-2026"
TEMPLATES = Path(__file__).resolve().parents[2] / "api" / "pages" / "templates"


def _csrf(html: str) -> str:
    found = re.search(r'name="_csrf" value="([^"]+)"', html)
    assert found, html[:500]
    return found.group(1)


@pytest.fixture
def unit(ledger: Ledger) -> Ledger:
    admit(ledger, "P-1", name="Juan Pérez Silva", document="1.234.567-8")
    depositor = register_depositor(ledger, "7.111.222-3", name="Ana Pérez")
    ledger.users.create(username="finanzas", password=PASSWORD, role=Role.FINANCE_ADMIN.value,
                        actor=ADMIN)
    ledger.users.create(username="familia", password=PASSWORD, role=Role.DEPOSITOR.value,
                        depositor_id=depositor, actor=ADMIN)
    return ledger


@pytest.fixture
def client(unit: Ledger, settings: Settings) -> Iterator[TestClient[Any]]:
    with TestClient(create_app(settings, ledger=unit)) as test_client:
        yield test_client


def sign_in(client: TestClient[Any], username: str, password: str = PASSWORD) -> Any:
    token = _csrf(client.get("/sesion/ingresar").text)
    return client.post("/sesion/ingresar", follow_redirects=False,
                       data={"_csrf": token, "username": username, "password": password})


def test_the_session_cookie_is_http_only_and_same_site_and_secure_in_production(
        unit: Ledger, settings: Settings) -> None:
    for secure in (False, True):
        app = create_app(replace(settings, secure_cookies=secure), ledger=unit)
        with TestClient(app, base_url="https://testserver.local") as client:
            answer = sign_in(client, "finanzas")
            assert answer.status_code == 303
            cookie = next(v for k, v in answer.headers.multi_items()
                          if k == "set-cookie" and v.startswith("ppl_session="))
            assert "HttpOnly" in cookie and "SameSite=lax" in cookie
            assert ("Secure" in cookie) is secure


def test_every_form_route_of_the_pages_refuses_a_post_without_the_csrf_token(
        client: TestClient[Any]) -> None:
    posts = [route.path for route in client.app.routes
             if "POST" in getattr(route, "methods", ()) and re.match(
                 r"^/(familias|admin|sesion)(/|$)", route.path)]
    assert len(posts) >= 6
    for username in ("familia", "finanzas"):  # each signed in where their role may post
        client.cookies.clear()
        assert sign_in(client, username).status_code == 303
        for path in posts:
            if path.startswith("/admin") and username == "familia" or (
                    path.startswith("/familias/d") and username == "finanzas"):
                continue
            concrete = re.sub(r"\{[^}]+\}", "x", path)
            answer = client.post(concrete, data={"reason": "x"}, follow_redirects=False)
            assert answer.status_code == 403, (path, answer.status_code)
            assert "venció o no vino de esta página" in answer.text, path


def test_a_username_is_locked_after_five_failures_until_fifteen_minutes_pass(
        unit: Ledger, clock: ManualClock) -> None:
    guard = SignIns(unit.ctx, unit.users)
    for _ in range(LOCK_AFTER):
        with pytest.raises(Unauthenticated):
            guard.sign_in("finanzas", "wrong-password", "10.0.0.1")
        clock.advance(seconds=1)
    with pytest.raises(LedgerError) as locked:
        guard.sign_in("finanzas", PASSWORD, "10.0.0.2")
    assert locked.value.code == "sign_in_locked" and locked.value.status == 429
    with pytest.raises(LedgerError):  # a username that does not exist locks alike
        for _ in range(LOCK_AFTER + 1):
            try:
                guard.sign_in("nobody", "wrong-password", "10.0.0.3")
            except Unauthenticated:
                continue
    clock.advance(minutes=LOCK_MINUTES)
    token, _, principal = guard.sign_in("finanzas", PASSWORD, "10.0.0.2")
    assert token and principal.username == "finanzas"
    outcomes = [row["outcome"] for row in guard.recent(username="finanzas")]
    assert outcomes == ["signed_in", "locked"] + ["failed"] * LOCK_AFTER


def test_a_client_address_is_throttled_after_twenty_failures(
        unit: Ledger, clock: ManualClock) -> None:
    guard = SignIns(unit.ctx, unit.users)
    for attempt in range(THROTTLE_AFTER):
        with pytest.raises(Unauthenticated):
            guard.sign_in(f"user-{attempt}", "wrong-password", "10.9.9.9")
    with pytest.raises(LedgerError) as throttled:
        guard.sign_in("finanzas", PASSWORD, "10.9.9.9")
    assert throttled.value.code == "sign_in_locked"
    assert guard.sign_in("finanzas", PASSWORD, "10.1.1.1")[2].username == "finanzas"
    clock.advance(minutes=LOCK_MINUTES, seconds=1)
    assert guard.sign_in("finanzas", PASSWORD, "10.9.9.9")[2].username == "finanzas"


def test_a_wrong_number_and_a_wrong_surname_get_the_same_answer_and_are_limited(
        client: TestClient[Any], unit: Ledger) -> None:
    assert sign_in(client, "familia").status_code == 303
    page = client.get("/familias/depositar").text
    token, key = _csrf(page), re.search(r'name="form_key" value="([^"]+)"', page)

    def deposit(number: str, surname: str) -> Any:
        return client.post("/familias/depositar", follow_redirects=False, data={
            "_csrf": token, "form_key": key.group(1) if key else "k", "amount": "100",
            "penitentiary_number": number, "surname": surname, "channel": "online"})

    wrong_surname, unknown = deposit("P-1", "Rodríguez"), deposit("P-404", "Pérez")
    assert wrong_surname.status_code == unknown.status_code == 422
    messages = [re.search(r'id="e-ppl">([^<]+)<', a.text) for a in (wrong_surname, unknown)]
    assert messages[0] and messages[1] and messages[0].group(1) == messages[1].group(1)
    for _ in range(PAIRING_LIMIT - 2):
        deposit("P-404", "Pérez")
    assert "Demasiados datos de PPL" in deposit("P-1", "Pérez").text  # even the right pair
    assert unit.deposits.of_depositor(
        unit.users.principal_for(client.cookies["ppl_session"]).depositor_id) == []


def test_a_depositor_never_reaches_the_administrators_pages(client: TestClient[Any]) -> None:
    assert sign_in(client, "familia").status_code == 303
    for path in ("/admin", "/admin/ppl/P-1", "/admin/depositos", "/admin/balance",
                 "/admin/indigentes", "/admin/integridad", "/admin/ingresos",
                 "/admin/actividad", "/admin/ppl/P-1/estado.pdf"):
        assert client.get(path).status_code == 403, path


def test_cash_is_not_a_channel_a_family_can_choose(client: TestClient[Any]) -> None:
    assert sign_in(client, "familia").status_code == 303
    page = client.get("/familias/depositar").text
    assert 'value="cash_desk"' not in page
    answer = client.post("/familias/depositar", data={
        "_csrf": _csrf(page), "form_key": "cash-1", "amount": "100",
        "penitentiary_number": "P-1", "surname": "Pérez", "channel": "cash_desk"})
    assert answer.status_code == 422 and 'id="e-channel"' in answer.text


@pytest.mark.parametrize(("typed", "minor"), [
    ("1500", 150000), ("1.500", 150000), ("1.500,50", 150050), ("1500,5", 150050),
    ("1500.50", 150050), ("1,500.50", 150050), (" 2 000 ", 200000), ("0,01", 1)])
def test_amounts_are_read_as_people_type_them(typed: str, minor: int) -> None:
    assert parse_major_amount(typed, "UYU") == minor


@pytest.mark.parametrize("typed", ["", "abc", "1,5,0", "1.500,505", "-100", "1e3", "15.5.5"])
def test_amounts_that_cannot_be_read_are_refused_on_the_amount_field(typed: str) -> None:
    with pytest.raises(LedgerError) as refused:
        parse_major_amount(typed, "UYU")
    assert refused.value.field == "amount"


def test_the_surname_is_any_run_of_words_after_the_given_name() -> None:
    assert surname_matches("Juan Pérez Silva", "perez")
    assert surname_matches("Juan Pérez Silva", "PÉREZ silva")
    assert surname_matches("María José García-López", "garcia lopez")
    assert not surname_matches("Juan Pérez Silva", "Juan")
    assert not surname_matches("Juan Pérez Silva", "Pérez Juan")
    assert not surname_matches("Juan Pérez Silva", "")


def test_every_text_the_templates_ask_for_is_in_the_catalogue_in_both_languages() -> None:
    used = set()
    for template in TEMPLATES.rglob("*.html"):
        used |= set(re.findall(r"""t\(["']([a-z_0-9]+\.[a-z_0-9.]+)["']""",
                               template.read_text()))
    dynamic = ({f"kind.{k}" for k in ENTRY_KINDS.values()}
               | {f"channel.{c.value}" for c in DepositChannel}
               | {f"state.{s.value}" for s in DepositState}
               | {f"status.{s.value}" for s in AccountStatus}
               | {f"sub.{s.value}" for s in SubAccount}
               | {f"role.{r.value}" for r in Role}
               | {f"category.{c.value}" for c in Category}
               | {f"container.{c.value}" for c in Container})
    missing = sorted(k for k in used | dynamic if k not in M)
    assert missing == []
    assert all(es and en for es, en in M.values())
