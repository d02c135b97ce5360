"""Disciplinary cases over HTTP: case officers and the director move a case, the POS
reads the eligibility, the PPL's record shows the cases; refusals are problem+json and
record nothing."""

from __future__ import annotations

from typing import Any

import pytest

from ledger.domain.actor import Role
from tests.conftest import event_count
from tests.e2e.conftest import PASSWORD, Api
from tests.factories import ADMIN, ManualClock


@pytest.fixture
def court(api: Api, clock: ManualClock) -> Api:
    """The API with a case officer ("instructor") and the director signed up."""
    for username, role in (("instructor", Role.CASE_OFFICER), ("director", Role.DIRECTOR)):
        api.ledger.users.create(username=username, password=PASSWORD, role=role.value,
                                actor=ADMIN)
    return api


CASE = {"ppl": ["P-1"], "offence_class": "serious", "facts": "Pelea en el patio.",
        "reporting_officer": "Operador Díaz", "occurred_at": "2026-11-16T08:00:00"}


def open_case(api: Api, **changes: Any) -> str:
    answer = api.post("/cases", {**CASE, **changes}, as_user="instructor")
    assert answer.status_code == 201, answer.text
    return str(answer.json()["case_id"])


def sanction(api: Api, case: str, days: int = 10, **effect: Any) -> None:
    body = {"effect": "suspension", "days": days, "grounds": "informe", **effect}
    decided = api.post(f"/cases/{case}/ppl/P-1/sanction", body, as_user="director")
    assert decided.status_code == 200, decided.text
    notified = api.post(f"/cases/{case}/ppl/P-1/notification", as_user="instructor")
    assert notified.status_code == 200, notified.text


def test_a_sanction_decided_and_notified_suspends_the_commissary_for_the_pos(
    court: Api,
) -> None:
    case = open_case(court)  # the clock stands on Monday 16 Nov, 10:00 in Montevideo
    sanction(court, case, 10)
    answer = court.get("/ppl/P-1/eligibility", as_user="cajero")
    assert answer.status_code == 200, answer.text
    assert answer.json() | {"at": None} == {
        "penitentiary_number": "P-1", "at": None, "status": "suspended",
        "money_limit_minor": None, "items_limit": None,
        "until": "2026-11-26T00:00:00-03:00", "case_ids": [case]}
    later = court.get("/ppl/P-1/eligibility", as_user="cajero", at="2026-11-25T23:59")
    assert later.json()["status"] == "suspended"
    after = court.get("/ppl/P-1/eligibility", as_user="cajero", at="2026-11-26T00:00")
    assert after.json()["status"] == "eligible"


def test_the_ppl_record_shows_the_case_its_sanction_and_who_did_each_step(court: Api) -> None:
    case = open_case(court)
    sanction(court, case, 5, effect="restriction", money_limit_minor=300_00)
    record = court.get("/ppl/P-1/cases", as_user="auditor")
    assert record.status_code == 200, record.text
    [listed] = record.json()["cases"]
    assert listed["case_id"] == case
    assert listed["ppl"][0]["sanction"]["status"] == "in_force"
    assert [(h["event"], h["actor"]["role"]) for h in listed["history"]] == [
        ("Opened", "case_officer"), ("SanctionDecided", "director"),
        ("SanctionNotified", "case_officer")]
    assert record.json()["eligibility"]["money_limit_minor"] == 300_00
    assert court.get(f"/cases/{case}", as_user="director").json()["version"] == 3


def test_an_appeal_and_its_revocation_end_the_suspension_over_http(
    court: Api, clock: ManualClock
) -> None:
    case = open_case(court)
    sanction(court, case, 10)
    appeal = court.post(f"/cases/{case}/ppl/P-1/appeals",
                        {"level": "director", "grounds": "desproporcionada"},
                        as_user="instructor")
    assert appeal.status_code == 200, appeal.text
    clock.advance(hours=2)  # sessions last 12 hours
    revoked = court.post(f"/cases/{case}/ppl/P-1/appeals/director/resolution",
                         {"outcome": "revoked", "grounds": "no se probó"}, as_user="director")
    assert revoked.status_code == 200, revoked.text
    assert court.get("/ppl/P-1/eligibility", as_user="cajero").json()["status"] == "eligible"


@pytest.mark.parametrize(("user", "path", "body"), [
    ("instructor", "/cases/{case}/ppl/P-1/sanction",
     {"effect": "suspension", "days": 5, "grounds": "x"}),
    ("cajero", "/cases", CASE),
    ("finanzas", "/cases/{case}/ppl/P-1/preventive", {"effect": "suspension", "reason": "x"}),
    ("instructor", "/cases/{case}/ppl/P-1/commutation",
     {"kind": "served", "vigilance_days": 30, "grounds": "x"}),
])
def test_a_role_that_may_not_act_is_refused_and_nothing_is_recorded(
    court: Api, user: str, path: str, body: dict[str, Any]
) -> None:
    case = open_case(court)
    before = event_count(court.ledger)
    answer = court.post(path.format(case=case), body, as_user=user)
    assert answer.status_code == 403
    assert answer.headers["content-type"].startswith("application/problem+json")
    assert answer.json()["code"] == "role_forbidden"
    assert event_count(court.ledger) == before


def test_the_clerk_reads_eligibility_but_not_the_case_record(court: Api) -> None:
    open_case(court)
    assert court.get("/ppl/P-1/eligibility", as_user="cajero").status_code == 200
    assert court.get("/ppl/P-1/cases", as_user="cajero").status_code == 403
    assert court.get("/ppl/P-1/eligibility", as_user="familia").status_code == 403


@pytest.mark.parametrize(("make", "status", "code", "field"), [
    (lambda case: ("/cases", {**CASE, "ppl": ["P-404"]}, "instructor"),
     404, "ppl_not_found", "penitentiary_number"),
    (lambda case: ("/cases/0b1c5d7e-0000-4000-8000-000000000000/ppl/P-1/notification", None,
                   "instructor"), 404, "case_not_found", "case_id"),
    (lambda case: (f"/cases/{case}/ppl/P-2/preventive",
                   {"effect": "suspension", "reason": "x"}, "instructor"),
     404, "ppl_not_in_case", "penitentiary_number"),
    (lambda case: (f"/cases/{case}/ppl/P-1/sanction",
                   {"effect": "suspension", "days": 31, "grounds": "x"}, "director"),
     422, "duration_out_of_range", "days"),
    (lambda case: ("/cases", {**CASE, "occurred_at": "2026-11-16T10:30:00-03:00"},
                   "instructor"), 422, "occurred_in_future", "occurred_at"),
    (lambda case: (f"/cases/{case}/ppl/P-1/appeals", {"level": "director", "grounds": "x"},
                   "instructor"), 409, "sanction_not_decided", None),
    (lambda case: (f"/cases/{case}/ppl/P-1/sanction",
                   {"effect": "suspension", "days": 5, "grounds": "x", "actor": "yo"},
                   "director"), 422, "field_unknown", "actor"),
])
def test_bad_input_is_a_clear_problem_and_records_nothing(
    court: Api, make: Any, status: int, code: str, field: str | None
) -> None:
    case = open_case(court)
    path, body, user = make(case)
    before = event_count(court.ledger)
    answer = court.post(path, body, as_user=user)
    assert answer.status_code == status, answer.text
    assert answer.headers["content-type"].startswith("application/problem+json")
    assert (answer.json()["code"], answer.json()["field"]) == (code, field)
    assert event_count(court.ledger) == before


def test_a_state_change_needs_an_idempotency_key_and_a_retry_replays_the_answer(
    court: Api,
) -> None:
    case = open_case(court)
    body = {"effect": "suspension", "days": 5, "grounds": "informe"}
    missing = court.post(f"/cases/{case}/ppl/P-1/sanction", body, as_user="director", key=None)
    assert missing.status_code == 422 and missing.json()["code"] == "idempotency_key_required"
    first = court.post(f"/cases/{case}/ppl/P-1/sanction", body, as_user="director",
                       key="sancion-1")
    before = event_count(court.ledger)
    again = court.post(f"/cases/{case}/ppl/P-1/sanction", body, as_user="director",
                       key="sancion-1")
    assert again.status_code == first.status_code == 200
    assert again.json() == first.json()
    assert again.headers["idempotent-replayed"] == "true"
    assert event_count(court.ledger) == before


def test_eligibility_for_an_unknown_ppl_or_a_malformed_instant_is_refused(court: Api) -> None:
    unknown = court.get("/ppl/P-404/eligibility", as_user="cajero")
    assert (unknown.status_code, unknown.json()["code"]) == (404, "ppl_not_found")
    malformed = court.get("/ppl/P-1/eligibility", as_user="cajero", at="mañana")
    assert (malformed.status_code, malformed.json()["code"]) == (422, "instant_invalid")
