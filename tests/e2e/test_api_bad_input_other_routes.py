"""The routes that carry no amount refuse bad input the same way: a 4xx problem+json with
a stable code, and an unchanged event count."""

from __future__ import annotations

from typing import Any

import pytest

from tests.e2e.conftest import Api
from tests.e2e.test_api_bad_input import assert_problem, events

ADMISSION = {"penitentiary_number": "P-9", "name": "Nuevo Ingreso", "document": "9.999.999-9",
             "sector": "A", "regime": "cerrado"}
RELEASE = {"kind": "definitive", "judge_order": "Oficio 1", "court": "Juzgado 1",
           "nature": "libertad"}
REGISTRATION = {"name": "Marta Gómez", "document": "8.888.888-8", "relation": "tía"}

# (path, valid body, role allowed, a required field, role refused, takes a PPL number)
ROUTES: list[tuple[str, dict[str, Any], str, str, str, bool]] = [
    ("/ppl", ADMISSION, "finanzas", "document", "cajero", False),
    ("/ppl/P-1/sector", {"sector": "B", "reason": "traslado interno"}, "finanzas", "sector",
     "auditor", True),
    ("/ppl/P-1/regime", {"regime": "semiabierto", "reason": "progresividad"}, "finanzas",
     "regime", "ventanilla", True),
    ("/ppl/P-1/corrections", {"original_entry_id": "x", "reason": "error"}, "finanzas",
     "reason", "nomina", True),
    ("/ppl/P-1/transfer", {"destination_unit": "Unidad 4", "reference": "Res. 1"}, "finanzas",
     "destination_unit", "cajero", True),
    ("/ppl/P-1/release", RELEASE, "finanzas", "court", "auditor", True),
    ("/depositors", REGISTRATION, "ventanilla", "document", "cajero", False),
    ("/ppl/P-1/deposits/unknown/reject", {"reason": "no llegó"}, "finanzas", "reason",
     "ventanilla", True),
]
IDS = [r[0] for r in ROUTES]


@pytest.mark.parametrize(("path", "body", "role", "required", "refused_role", "has_ppl"),
                         ROUTES, ids=IDS)
def test_other_routes_refuse_bad_input_and_change_nothing(
    api: Api, path: str, body: dict[str, Any], role: str, required: str, refused_role: str,
    has_ppl: bool,
) -> None:
    before = events(api)
    assert_problem(api.post(path, raw=b"{not json", as_user=role,
                            headers={"Content-Type": "application/json"}), 400, "json_malformed")
    missing = {k: v for k, v in body.items() if k != required}
    assert_problem(api.post(path, missing, as_user=role), 422, "field_missing", required)
    assert_problem(api.post(path, body | {"extra": 1}, as_user=role), 422, "field_unknown",
                   "extra")
    assert_problem(api.post(path, body, as_user=refused_role), 403, "role_forbidden")
    assert_problem(api.post(path, body, as_user=None), 401, "credentials_missing")
    if has_ppl:
        assert_problem(api.post(path.replace("P-1", "P-404"), body, as_user=role), 404,
                       "ppl_not_found", "penitentiary_number")
    assert events(api) == before


@pytest.mark.parametrize("path", ["/ppl/P-2/sector", "/ppl/P-2/regime", "/ppl/P-2/transfer",
                                  "/ppl/P-2/release"])
def test_a_closed_account_refuses_every_change(api: Api, path: str) -> None:
    assert api.post("/ppl/P-2/release", RELEASE).status_code == 200
    body = dict(next(r[1] for r in ROUTES if r[0].endswith(path.rsplit("/", 1)[1])))
    before = events(api)
    assert_problem(api.post(path, body), 409, "account_closed", "penitentiary_number")
    assert events(api) == before


def test_an_admission_with_a_number_already_used_is_refused(api: Api) -> None:
    before = events(api)
    answer = api.post("/ppl", ADMISSION | {"penitentiary_number": "P-1"})
    assert_problem(answer, 409, "ppl_already_admitted", "penitentiary_number")
    assert events(api) == before


def test_an_unknown_regime_is_refused_naming_the_choices(api: Api) -> None:
    answer = api.post("/ppl/P-1/regime", {"regime": "vip", "reason": "x"})
    assert_problem(answer, 422, "regime_unknown", "regime")
    assert "semiabierto" in answer.json()["detail"]


def test_a_setting_that_does_not_exist_is_refused(api: Api) -> None:
    client = api.client
    headers = api.headers("finanzas")
    answer = client.patch("/unit/settings", json={"changes": {"credit_allowed": True},
                                                  "reason": "x"}, headers=headers)
    assert_problem(answer, 422, "setting_unknown", "credit_allowed")


def test_a_depositor_cannot_read_another_depositors_record(api: Api) -> None:
    other = api.post("/depositors", REGISTRATION, as_user="ventanilla").json()["depositor_id"]
    answer = api.get(f"/depositors/{other}", as_user="familia")
    assert_problem(answer, 404, "depositor_not_found")
    assert api.get(f"/depositors/{other}/deposits", as_user="familia").status_code == 404


def test_a_depositor_cannot_deposit_in_someone_elses_name_or_in_cash(api: Api) -> None:
    other = api.post("/depositors", REGISTRATION, as_user="ventanilla").json()["depositor_id"]
    before = events(api)
    as_other = api.post("/ppl/P-1/deposits", {"amount_minor": 100, "currency": "UYU",
                                              "channel": "online", "depositor_id": other},
                        as_user="familia")
    assert_problem(as_other, 403, "depositor_mismatch", "depositor_id")
    cash = api.post("/ppl/P-1/deposits", {"amount_minor": 100, "currency": "UYU",
                                          "channel": "cash_desk"}, as_user="familia")
    assert_problem(cash, 403, "channel_forbidden", "channel")
    assert events(api) == before
