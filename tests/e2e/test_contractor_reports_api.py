"""The contractor's settlement and reconciliation over HTTP, and the commissary read
models the POS reads after a sale: roles, the upload with its Idempotency-Key, CSV
answers, a bad or oversized file refused with its errors and nothing recorded."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from litestar.testing import TestClient

from api.app import create_app
from ledger.application.bootstrap import Ledger
from ledger.application.reconciliation_file import MAX_FILE_BYTES
from ledger.domain.actor import Role
from pos_terminal.signing import public_key_b64
from tests.commissary_factories import order
from tests.e2e.conftest import PASSWORD, Api
from tests.e2e.test_api_bad_input import assert_problem, events
from tests.e2e.test_api_commissary import KEY, Pos
from tests.factories import ADMIN, ManualClock
from tests.integration.commissary_story import commissary_history, local
from tests.integration.test_projections import varied_history
from tests.integration.test_settlement_and_reconciliation import as_csv, ledger_file

PERIOD = {"from": "2026-12-01", "to": "2026-12-04"}


@pytest.fixture
def shop(ledger: Ledger, clock: ManualClock) -> Iterator[Api]:
    varied_history(ledger, clock)
    commissary_history(ledger, clock)
    for username, role in (("contratista", Role.CONTRACTOR), ("inspector",
                                                              Role.CONTRACT_INSPECTOR),
                           ("finanzas", Role.FINANCE_ADMIN), ("cajero", Role.CLERK),
                           ("auditor", Role.AUDITOR)):
        ledger.users.create(username=username, password=PASSWORD, role=role.value,
                            actor=ADMIN)
    with TestClient(create_app(ledger=ledger)) as client:
        yield Api(client, ledger)


@pytest.fixture
def pos(shop: Api) -> Pos:
    answer = shop.post("/terminals", {"terminal_id": "POS-1", "name": "Economato sector A",
                                      "public_key": public_key_b64(KEY)})
    assert answer.status_code == 201, answer.text
    return Pos(shop)


def _upload(api: Api, data: bytes, *, key: str | None = "auto", accept: str = "",
            params: dict[str, str] | None = None, headers: dict[str, str] | None = None
            ) -> Any:
    query = "&".join(f"{k}={v}" for k, v in (params or PERIOD).items())
    return api.client.post(f"/reports/contractor/reconciliations?{query}", content=data,
                           headers={**api.headers("contratista", key),
                                    "Content-Type": "text/csv", "Accept": accept,
                                    **(headers or {})})


def test_the_settlement_is_for_the_contract_parties_only(shop: Api) -> None:
    for user in ("contratista", "inspector", "finanzas"):
        answer = shop.get("/reports/contractor/settlement", as_user=user, **PERIOD)
        assert answer.status_code == 200, answer.text
        assert answer.json()["owed_minor"] == 560_00 and answer.json()["matches"]
    for user in ("cajero", "auditor"):
        assert_problem(shop.get("/reports/contractor/settlement", as_user=user, **PERIOD),
                       403, "role_forbidden")
    assert_problem(shop.get("/reports/contractor/settlement", as_user="contratista",
                            **{"from": "2026-12-04", "to": "2026-12-01"}),
                   422, "period_reversed", "to")


def test_the_contractor_uploads_its_file_and_gets_the_table_and_the_csv(shop: Api) -> None:
    lines = ledger_file(shop.ledger, *PERIOD.values())
    lines[0]["quantity"] += 2
    data = as_csv(lines)
    answer = _upload(shop, data, key="conciliacion-diciembre")
    assert answer.status_code == 201, answer.text
    table = answer.json()
    assert table["summary"]["quantity_mismatch"] == 1 and table["summary"]["matched"] == 6
    assert table["rows"][0]["status"] == "quantity_mismatch"
    again = _upload(shop, data, key="conciliacion-diciembre", accept="text/csv")
    assert again.status_code == 201 and again.headers["idempotent-replayed"] == "true"
    assert again.headers["content-type"].startswith("text/csv")
    assert again.text.splitlines()[1].startswith("quantity_mismatch,sale,")
    stored = shop.get(f"/reports/contractor/reconciliations/{table['reconciliation_id']}/csv",
                      as_user="inspector")
    assert stored.text == again.text


def test_an_upload_without_an_idempotency_key_is_refused(shop: Api) -> None:
    before = events(shop)
    answer = _upload(shop, as_csv(ledger_file(shop.ledger, *PERIOD.values())), key=None)
    assert_problem(answer, 422, "idempotency_key_required")
    assert events(shop) == before


def test_a_bad_file_gets_each_bad_line_and_changes_nothing(shop: Api) -> None:
    lines = ledger_file(shop.ledger, *PERIOD.values())
    lines[1]["quantity"] = -3
    lines[4]["date"] = "2026-02-30"
    before = events(shop)
    answer = _upload(shop, as_csv(lines) + as_csv(lines[:1]).splitlines(keepends=True)[1])
    assert_problem(answer, 422, "file_lines_invalid", "file")
    assert [(e["line"], e["code"]) for e in answer.json()["errors"]] == [
        (3, "quantity_negative"), (6, "date_invalid"), (9, "line_duplicate")]
    assert answer.json()["context"] == {"error_count": 3}
    wrong = _upload(shop, b"pedido,producto,cantidad\nx,y,1\n")
    assert_problem(wrong, 422, "columns_invalid", "file")
    assert events(shop) == before


def test_a_file_announced_over_the_limit_is_refused_before_it_is_read(shop: Api) -> None:
    before = events(shop)
    hundred_mb = str(100 * 1024 * 1024)
    answer = _upload(shop, b"line_type,order_id\n", headers={"Content-Length": hundred_mb})
    assert_problem(answer, 413, "file_too_large", "file")
    assert hundred_mb in answer.json()["messages"]["en"]
    assert events(shop) == before


def test_a_streamed_file_is_cut_off_once_it_passes_the_limit(shop: Api) -> None:
    sent = [0]

    def chunks() -> Iterator[bytes]:
        while sent[0] <= 100 * 1024 * 1024:
            sent[0] += 1024 * 1024
            yield b"x" * (1024 * 1024)

    before = events(shop)
    answer = _upload(shop, chunks())  # type: ignore[arg-type]
    assert_problem(answer, 413, "file_too_large")
    assert str(MAX_FILE_BYTES) in answer.json()["messages"]["en"]
    assert events(shop) == before


def test_a_pos_reads_its_own_sale_with_wait_for_latest(shop: Api, pos: Pos,
                                                       clock: ManualClock) -> None:
    clock.set(local("2026-12-05T09:00"))
    shop.tokens.clear()  # yesterday's sessions have expired
    order(shop.ledger, "P-1", JAB_01=1)
    month = pos.send("GET", "/reports/commissary/ppl/P-1/month?month=2026-12&wait_for=latest")
    assert month.status_code == 200, month.text
    assert month.json()["spent_minor"] == 80_00
    assert month.json()["position"] == shop.ledger.ctx.store.event_count()
    eligibility = pos.send("GET", "/reports/commissary/ppl/P-4/eligibility?wait_for=latest")
    assert eligibility.json()["status"] == "suspended"
    unsigned = shop.get("/reports/commissary/ppl/P-1/month", as_user="cajero")
    assert unsigned.status_code == 401
    bad = shop.get("/reports/commissary/ppl/P-1/month", as_user="finanzas", wait_for="soon")
    assert_problem(bad, 422, "wait_for_invalid", "wait_for")
    picks = shop.get("/reports/commissary/pick-lists/B/2026-12-10", as_user="contratista",
                     wait_for="latest").json()["pick_list"]
    assert [(p["product_code"], p["quantity"]) for p in picks] == [("JAB-01", 1)]
