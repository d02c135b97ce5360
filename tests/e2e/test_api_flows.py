"""The API end to end: sign in, money in and out, statement, schema."""

from __future__ import annotations

from tests.e2e.conftest import Api


def test_the_openapi_schema_is_served_without_sign_in(api: Api) -> None:
    answer = api.client.get("/schema/openapi.json")
    assert answer.status_code == 200
    assert "/ppl/{number}/deposits" in answer.json()["paths"]


def test_a_desk_deposit_a_wage_and_a_phone_recharge_show_in_the_balance_and_statement(
    api: Api,
) -> None:
    deposit = api.post("/ppl/P-1/deposits", {"amount_minor": 150000, "currency": "UYU",
                                             "channel": "cash_desk",
                                             "depositor_id": api.depositor_id},  # type: ignore[attr-defined]
                       as_user="ventanilla")
    assert deposit.status_code == 201, deposit.text
    wage = api.post("/ppl/P-1/wages", {"employer": "Cocina", "period": "2026-W47", "hours": 30,
                                       "gross_minor": 100000, "currency": "UYU"}, as_user="nomina")
    assert wage.status_code == 201, wage.text
    phone = api.post("/ppl/P-1/phone-recharges", {"amount_minor": 20000, "currency": "UYU"},
                     as_user="cajero")
    assert phone.status_code == 201, phone.text
    balance = api.get("/ppl/P-1/balance", as_user="cajero").json()
    assert balance["balances"] == {"available": 150000 + 70000 - 20000, "reserve": 30000,
                                   "phone": 20000, "held": 0, "custody": 0, "pending": 0}
    statement = api.get("/ppl/P-1/statement", as_user="auditor", **{"from": "2026-01-01",
                                                                     "to": "2026-12-31"})
    kinds = [m["kind"] for m in statement.json()["movements"]]
    assert kinds == ["deposit", "wage", "phone_recharge"]
    actors = [m["actor"]["role"] for m in statement.json()["movements"]]
    assert actors == ["deposit_desk", "payroll_officer", "clerk"]


def test_the_actor_is_the_signed_in_principal_never_a_body_field(api: Api) -> None:
    answer = api.post("/ppl/P-1/deposits", {"amount_minor": 100, "currency": "UYU",
                                            "channel": "cash_desk", "actor": "someone-else",
                                            "depositor_id": api.depositor_id},  # type: ignore[attr-defined]
                      as_user="ventanilla")
    assert answer.status_code == 422 and answer.json()["code"] == "field_unknown"


def test_a_depositor_deposits_as_themselves_and_sees_only_their_own_deposits(api: Api) -> None:
    answer = api.post("/ppl/P-2/deposits", {"amount_minor": 50000, "currency": "UYU",
                                            "channel": "bank_transfer"}, as_user="familia")
    assert answer.status_code == 201, answer.text
    assert answer.json()["state"] == "pending"
    assert "balances" not in answer.json()
    own = api.get(f"/depositors/{api.depositor_id}/deposits", as_user="familia")  # type: ignore[attr-defined]
    assert [d["amount_minor"] for d in own.json()["deposits"]] == [50000]
    assert api.get("/ppl/P-2/balance", as_user="familia").status_code == 403


def test_a_retry_with_the_same_key_replays_the_answer(api: Api) -> None:
    body = {"amount_minor": 100, "currency": "UYU"}
    first = api.post("/ppl/P-1/custody", {**body, "reference": "acta 1"}, key="same")
    again = api.post("/ppl/P-1/custody", {**body, "reference": "acta 1"}, key="same")
    assert first.json() == again.json()
    assert again.headers.get("Idempotent-Replayed") == "true"
    other = api.post("/ppl/P-1/custody", {**body, "reference": "acta 2"}, key="same")
    assert other.status_code == 409 and other.json()["code"] == "idempotency_key_reused"


def test_a_pending_deposit_is_cleared_by_the_finance_administrator(api: Api) -> None:
    deposit = api.post("/ppl/P-1/deposits", {"amount_minor": 50000, "currency": "UYU",
                                             "channel": "bank_transfer"}, as_user="familia").json()
    cleared = api.post(f"/ppl/P-1/deposits/{deposit['deposit_id']}/clear")
    assert cleared.status_code == 200 and cleared.json()["state"] == "cleared"
    assert api.get("/ppl/P-1/balance").json()["balances"]["available"] == 50000


def test_payroll_file_upload_reports_each_line(api: Api) -> None:
    csv = ("penitentiary_number,employer,period,hours,gross_minor,currency\n"
           "P-1,Cocina,2026-W47,30,100000,UYU\nP-404,Cocina,2026-W47,30,100000,UYU\n")
    answer = api.post("/payroll/imports", raw=csv.encode(), as_user="nomina",
                      headers={"Content-Type": "text/csv"})
    assert answer.status_code == 200, answer.text
    assert answer.json()["counts"] == {"paid": 1, "already_paid": 0, "refused": 1}


def test_errors_speak_spanish_by_default_and_english_on_request(api: Api) -> None:
    spanish = api.get("/ppl/P-404/balance")
    english = api.client.get("/ppl/P-404/balance", headers={
        **api.headers("finanzas", key=None), "Accept-Language": "en"})
    assert spanish.json()["detail"].startswith("No hay ninguna PPL")
    assert english.json()["detail"].startswith("No PPL with")
    assert spanish.headers["content-type"].startswith("application/problem+json")


def test_no_page_of_the_api_loads_anything_from_a_cdn(api: Api) -> None:
    for path in ("/schema", "/schema/openapi.json", "/schema/openapi.yaml"):
        answer = api.client.get(path)
        assert "cdn." not in answer.text and "unpkg" not in answer.text, path
