"""The reports over HTTP: a read that asks to wait for a position sees the caller's own
write; staff readers only; statements as CSV and PDF; the trial balance."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from litestar.testing import TestClient

from api.app import create_app
from ledger.application.bootstrap import Ledger
from ledger.domain.actor import Role
from tests.factories import ADMIN, admit, fund

PASSWORD = "clave-de-reportes-2026"


@pytest.fixture
def client(ledger: Ledger) -> Iterator[TestClient[Any]]:
    for username, role in (("auditora", Role.AUDITOR), ("cajero", Role.CLERK)):
        ledger.users.create(username=username, password=PASSWORD, role=role.value,
                            depositor_id=None, actor=ADMIN)
    with TestClient(app=create_app(ledger=ledger)) as test_client:
        yield test_client


def _get(client: TestClient[Any], path: str, user: str = "auditora", **params: Any) -> Any:
    tokens = client.__dict__.setdefault("signed_in", {})
    if user not in tokens:
        signed = client.post("/auth/sessions", json={"username": user, "password": PASSWORD})
        tokens[user] = signed.json()["token"]
    token = tokens[user]
    return client.get(path, params=params, headers={"Authorization": f"Bearer {token}"})


def test_an_indigent_read_waiting_for_a_position_includes_the_write_just_made(
        ledger: Ledger, client: TestClient[Any]) -> None:
    admit(ledger, "P-1")
    assert [p["penitentiary_number"] for p in _get(client, "/reports/indigent",
                                                   wait_for=0).json()["ppl"]] == []
    written = ledger.ctx.store.event_count()  # the admission's position
    answer = _get(client, "/reports/indigent", wait_for=written)
    assert answer.status_code == 200
    assert answer.json()["position"] >= written
    assert [p["penitentiary_number"] for p in answer.json()["ppl"]] == ["P-1"]
    fund(ledger, "P-1", 1_000_00)
    funded = _get(client, "/reports/indigent", wait_for=ledger.ctx.store.event_count())
    assert funded.json()["ppl"] == []


def test_waiting_for_a_position_not_in_the_log_answers_503_with_the_position_reached(
        ledger: Ledger, client: TestClient[Any]) -> None:
    ledger.read_side.wait_timeout = 0
    head = ledger.ctx.store.event_count()
    answer = _get(client, "/reports/indigent", wait_for=head + 1)
    assert answer.status_code == 503
    assert answer.json()["code"] == "projection_behind"
    assert answer.json()["context"] == {"position": head, "wait_for": head + 1}


def test_a_commissary_clerk_cannot_read_reports(client: TestClient[Any]) -> None:
    assert _get(client, "/reports/indigent", user="cajero").status_code == 403
    assert _get(client, "/reports/trial-balance", user="cajero").status_code == 403


def test_statement_exports_and_trial_balance_over_http(ledger: Ledger,
                                                       client: TestClient[Any]) -> None:
    admit(ledger, "P-1")
    fund(ledger, "P-1", 250_00)
    csv_answer = _get(client, "/reports/ppl/P-1/statement.csv", **{"from": "2026-11-01",
                                                                   "to": "2026-11-30"})
    assert csv_answer.headers["content-type"].startswith("text/csv")
    assert csv_answer.text.splitlines()[-1].startswith("closing,2026-11-30,,,25000,")
    pdf_answer = _get(client, "/reports/ppl/P-1/statement.pdf", **{"from": "2026-11-01",
                                                                   "to": "2026-11-30"})
    assert pdf_answer.content.startswith(b"%PDF-")
    reversed_period = _get(client, "/reports/ppl/P-1/statement.csv",
                           **{"from": "2026-11-30", "to": "2026-11-01"})
    assert reversed_period.status_code == 422
    balance = _get(client, "/reports/trial-balance", as_of="2026-11-30").json()
    assert balance["balanced"] and balance["ppl_side"]["available"] == 250_00
    status = {row["name"]: row for row in _get(client, "/reports/projections").json()}
    assert set(status) == {"balances", "general_ledger", "indigent", "commissary_month",
                           "commissary_eligibility", "pick_lists", "sales_ledger", "audit_chain"}


def test_an_indigent_read_can_wait_for_the_latest_write(ledger: Ledger,
                                                        client: TestClient[Any]) -> None:
    admit(ledger, "P-1")
    answer = _get(client, "/reports/indigent", wait_for="latest")
    assert answer.json()["position"] == ledger.ctx.store.event_count()
    assert [p["penitentiary_number"] for p in answer.json()["ppl"]] == ["P-1"]
