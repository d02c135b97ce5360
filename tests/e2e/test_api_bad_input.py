"""Bad input gets a clear 4xx problem+json with a stable code and the field at fault, and
leaves the store unchanged (the event count does not move)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.e2e.conftest import Api

DEPOSIT = {"amount_minor": 10000, "currency": "UYU", "channel": "cash_desk"}
AMOUNT = {"amount_minor": 10000, "currency": "UYU"}
WAGE = {"employer": "Cocina", "period": "2026-W47", "hours": 30, "gross_minor": 10000,
        "currency": "UYU"}
DAMAGE = {**AMOUNT, "reason": "vidrio", "reference": "EXP-1"}
CUSTODY = {**AMOUNT, "reference": "acta"}

# (path, valid body, role allowed, amount field, role refused)
MONEY_ROUTES: list[tuple[str, dict[str, Any], str, str, str]] = [
    ("/ppl/P-1/deposits", DEPOSIT, "ventanilla", "amount_minor", "cajero"),
    ("/ppl/P-1/wages", WAGE, "nomina", "gross_minor", "ventanilla"),
    ("/ppl/P-1/phone-recharges", AMOUNT, "cajero", "amount_minor", "nomina"),
    ("/ppl/P-1/custody", CUSTODY, "finanzas", "amount_minor", "auditor"),
    ("/ppl/P-1/custody/credit", AMOUNT, "finanzas", "amount_minor", "cajero"),
    ("/ppl/P-1/damage-claims", DAMAGE, "finanzas", "amount_minor", "nomina"),
]


def body_for(api: Api, path: str, body: dict[str, Any]) -> dict[str, Any]:
    if path.endswith("/deposits"):
        return {**body, "depositor_id": api.depositor_id}  # type: ignore[attr-defined]
    return dict(body)


def events(api: Api) -> int:
    return api.ledger.ctx.store.event_count()


def assert_problem(answer: Any, status: int, code: str, field: str | None = "any") -> None:
    assert answer.status_code == status, answer.text
    assert answer.headers["content-type"].startswith("application/problem+json")
    problem = answer.json()
    assert problem["code"] == code, problem
    assert problem["status"] == status and problem["detail"] and problem["messages"]["en"]
    if field != "any":
        assert problem["field"] == field


@pytest.fixture
def ready(api: Api) -> Api:
    # Funds so that spending routes fail only for the reason under test.
    api.post("/ppl/P-1/deposits", body_for(api, "/ppl/P-1/deposits", DEPOSIT) |
             {"amount_minor": 500000}, as_user="ventanilla")
    api.post("/ppl/P-1/custody", CUSTODY | {"amount_minor": 500000})
    for user in ("finanzas", "nomina", "ventanilla", "cajero", "auditor"):
        api.sign_in(user)
    return api


CASES = [
    ("zero amount", lambda b, f: b | {f: 0}, 422, "amount_not_positive"),
    ("negative amount", lambda b, f: b | {f: -100}, 422, "amount_not_positive"),
    ("absurd amount", lambda b, f: b | {f: 10**15}, 422, "amount_too_large"),
    ("decimal amount", lambda b, f: b | {f: 100.5}, 422, "amount_not_integer"),
    ("amount as text", lambda b, f: b | {f: "100"}, 422, "amount_not_integer"),
    ("wrong currency", lambda b, f: b | {"currency": "USD"}, 422, "currency_mismatch"),
    ("missing field", lambda b, f: {k: v for k, v in b.items() if k != f}, 422, "field_missing"),
    ("extra field", lambda b, f: b | {"actor_id": "x"}, 422, "field_unknown"),
]


@pytest.mark.parametrize(("path", "body", "role", "amount_field", "refused_role"), MONEY_ROUTES,
                         ids=[r[0] for r in MONEY_ROUTES])
def test_bad_bodies_are_refused_and_change_nothing(
    ready: Api, path: str, body: dict[str, Any], role: str, amount_field: str,
    refused_role: str,
) -> None:
    before = events(ready)
    for case, mutate, status, code in CASES:
        answer = ready.post(path, mutate(body_for(ready, path, body), amount_field), as_user=role)
        try:
            assert_problem(answer, status, code)
            if code.startswith("amount"):
                assert answer.json()["field"] == amount_field
        except AssertionError as failure:
            raise AssertionError(f"{case}: {failure}") from None
    assert events(ready) == before


@pytest.mark.parametrize(("path", "body", "role", "amount_field", "refused_role"), MONEY_ROUTES,
                         ids=[r[0] for r in MONEY_ROUTES])
def test_every_money_route_refuses_bad_requests_of_every_other_kind(
    ready: Api, path: str, body: dict[str, Any], role: str, amount_field: str,
    refused_role: str,
) -> None:
    valid = body_for(ready, path, body)
    before = events(ready)
    assert_problem(ready.post(path, raw=b'{"amount_minor": 1,', as_user=role,
                              headers={"Content-Type": "application/json"}),
                   400, "json_malformed")
    assert_problem(ready.post(path.replace("P-1", "P-404"), valid, as_user=role),
                   404, "ppl_not_found", "penitentiary_number")
    assert_problem(ready.post(path, valid, as_user=refused_role), 403, "role_forbidden")
    assert_problem(ready.post(path, valid, as_user=None), 401, "credentials_missing")
    assert_problem(ready.post(path, valid, as_user=role, key=None), 422,
                   "idempotency_key_required", "Idempotency-Key")
    assert events(ready) == before


@pytest.mark.parametrize(("path", "body", "role", "amount_field", "refused_role"), MONEY_ROUTES,
                         ids=[r[0] for r in MONEY_ROUTES])
def test_a_closed_account_refuses_money_with_a_clear_answer(
    ready: Api, path: str, body: dict[str, Any], role: str, amount_field: str,
    refused_role: str,
) -> None:
    closed = ready.post("/ppl/P-2/release", {"kind": "definitive", "judge_order": "Oficio 4",
                                             "court": "Juzgado 2", "nature": "libertad"})
    assert closed.status_code == 200, closed.text
    before = events(ready)
    answer = ready.post(path.replace("P-1", "P-2"), body_for(ready, path, body), as_user=role)
    assert_problem(answer, 409, "account_closed", "penitentiary_number")
    assert events(ready) == before


def test_spending_more_than_available_names_the_shortfall(ready: Api) -> None:
    before = events(ready)
    answer = ready.post("/ppl/P-2/phone-recharges", AMOUNT, as_user="cajero")
    assert_problem(answer, 409, "insufficient_funds", "amount_minor")
    assert answer.json()["context"]["shortfall_minor"] == 10000
    assert events(ready) == before


def test_an_expired_or_made_up_token_is_refused(ready: Api) -> None:
    answer = ready.client.get("/ppl/P-1/balance", headers={"Authorization": "Bearer nope"})
    assert_problem(answer, 401, "credentials_missing")


def test_wrong_password_is_refused_without_saying_which_part_was_wrong(ready: Api) -> None:
    unknown = ready.client.post("/auth/sessions", json={"username": "nadie", "password": "x" * 12})
    wrong = ready.client.post("/auth/sessions", json={"username": "finanzas", "password": "x" * 12})
    assert unknown.json()["detail"] == wrong.json()["detail"]
    assert_problem(wrong, 401, "credentials_invalid")


def test_a_statement_whose_end_is_before_its_start_is_refused(ready: Api) -> None:
    answer = ready.get("/ppl/P-1/statement", **{"from": "2026-11-30", "to": "2026-11-01"})
    assert_problem(answer, 422, "period_reversed", "to")


def test_api_sign_in_locks_after_five_failures_like_the_pages(ready: Api) -> None:
    clock = ready.ledger.ctx.clock
    for _ in range(5):
        clock.advance(seconds=1)  # type: ignore[attr-defined]
        wrong = ready.client.post("/auth/sessions",
                                  json={"username": "auditor", "password": "x" * 12})
        assert_problem(wrong, 401, "credentials_invalid")
    locked = ready.client.post("/auth/sessions",
                               json={"username": "auditor", "password": "clave-de-prueba-2026"})
    assert_problem(locked, 429, "sign_in_locked", "username")
    logged = ready.ledger.ctx.side.fetchall(
        "SELECT outcome FROM web_sign_ins WHERE username = %s", ("auditor",))
    assert [row[0] for row in logged].count("failed") >= 5
