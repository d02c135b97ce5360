"""The commissary over HTTP: signed terminal requests, the public price list, orders,
deliveries and refunds, and each way a request can be refused."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from ledger.domain.actor import Role
from pos_terminal.signing import public_key_b64, sign
from tests.commissary_factories import list_product
from tests.e2e.conftest import PASSWORD, Api
from tests.e2e.test_api_bad_input import assert_problem, events
from tests.factories import ADMIN, fund

KEY = Ed25519PrivateKey.generate()


class Pos:
    """A terminal: signs what it sends with its own key."""

    def __init__(self, api: Api, terminal_id: str = "POS-1", key: Ed25519PrivateKey = KEY):
        self.api, self.terminal_id, self.key = api, terminal_id, key

    def send(self, method: str, path: str, body: Any = None, *, key: str | None = "auto",
             signed: bool = True, skew: timedelta = timedelta(0),
             headers: dict[str, str] | None = None) -> Any:
        raw = json.dumps(body).encode() if body is not None else b""
        all_headers = {**self.api.headers("cajero", key if method == "POST" else None),
                       "Content-Type": "application/json"}
        if signed:
            now = self.api.ledger.ctx.clock.now() + skew
            all_headers |= sign(self.key, self.terminal_id, method, path, raw, now)
        all_headers |= headers or {}
        return self.api.client.request(method, path, content=raw, headers=all_headers)


@pytest.fixture
def pos(api: Api) -> Pos:
    api.ledger.users.create(username="contratista", password=PASSWORD,
                            role=Role.CONTRACTOR.value, actor=ADMIN)
    answer = api.post("/terminals", {"terminal_id": "POS-1", "name": "Economato sector A",
                                     "public_key": public_key_b64(KEY)})
    assert answer.status_code == 201, answer.text
    list_product(api.ledger, "GALL-01", 50_00)
    list_product(api.ledger, "JAB-01", 80_00, name="Jabón", category="hygiene")
    fund(api.ledger, "P-1", 1000_00)
    return Pos(api)


ORDER = {"penitentiary_number": "P-1", "lines": [{"product_code": "GALL-01", "quantity": 2},
                                                {"product_code": "JAB-01", "quantity": 1}]}


def test_the_price_list_is_public(pos: Pos) -> None:
    answer = pos.api.client.get("/price-list")
    assert answer.status_code == 200
    assert [p["product_code"] for p in answer.json()["products"]] == ["GALL-01", "JAB-01"]


def test_a_signed_terminal_places_and_delivers_an_order(pos: Pos) -> None:
    placed = pos.send("POST", "/commissary/orders", ORDER)
    assert placed.status_code == 201, placed.text
    order_id = placed.json()["order_id"]
    overview = pos.send("GET", "/commissary/ppl/P-1").json()
    assert overview["held_minor"] == 180_00 and overview["limits"]["items_used"] == 3
    delivered = pos.send("POST", f"/commissary/orders/{order_id}/delivery",
                         {"run_sector": "A", "lines": [{"product_code": "GALL-01",
                                                        "delivered_quantity": 2},
                                                       {"product_code": "JAB-01",
                                                        "delivered_quantity": 0}]})
    assert delivered.status_code == 200, delivered.text
    assert delivered.json()["status"] == "partially_delivered"
    statement = pos.api.get("/ppl/P-1/statement", **{"from": "2026-11-01", "to": "2026-11-30"})
    settlement = statement.json()["movements"][-1]
    assert settlement["actor"]["terminal_id"] == "POS-1"
    assert settlement["actor"]["channel"] == "pos"
    again = pos.send("POST", f"/commissary/orders/{order_id}/delivery", {"run_sector": "A"})
    assert_problem(again, 409, "order_not_open")


@pytest.mark.parametrize(("change", "code"), [
    ({"signed": False}, "terminal_signature_missing"),
    ({"skew": timedelta(minutes=10)}, "terminal_signature_stale"),
    ({"skew": -timedelta(minutes=10)}, "terminal_signature_stale"),
    ({"headers": {"X-Terminal-Id": "POS-9"}}, "terminal_not_trusted"),
    ({"headers": {"X-Terminal-Signature": "AAAA"}}, "terminal_signature_invalid"),
])
def test_a_clerk_request_without_a_valid_fresh_signature_is_refused(
    pos: Pos, change: dict[str, Any], code: str,
) -> None:
    before = events(pos.api)
    assert_problem(pos.send("POST", "/commissary/orders", ORDER, **change), 401, code)
    assert events(pos.api) == before


def test_a_signature_for_another_body_is_refused(pos: Pos) -> None:
    raw = json.dumps(ORDER).encode()
    now = pos.api.ledger.ctx.clock.now()
    headers = {**pos.api.headers("cajero"), "Content-Type": "application/json",
               **sign(KEY, "POS-1", "POST", "/commissary/orders", raw, now)}
    tampered = json.dumps({**ORDER, "penitentiary_number": "P-2"}).encode()
    answer = pos.api.client.post("/commissary/orders", content=tampered, headers=headers)
    assert_problem(answer, 401, "terminal_signature_invalid")


def test_a_replayed_signed_request_is_refused(pos: Pos) -> None:
    raw = json.dumps(ORDER).encode()
    now = pos.api.ledger.ctx.clock.now()
    headers = {**pos.api.headers("cajero"), "Content-Type": "application/json",
               **sign(KEY, "POS-1", "POST", "/commissary/orders", raw, now)}
    assert pos.api.client.post("/commissary/orders", content=raw, headers=headers
                               ).status_code == 201
    before = events(pos.api)
    replay = pos.api.client.post("/commissary/orders", content=raw, headers=headers)
    assert_problem(replay, 401, "terminal_signature_replayed")
    assert events(pos.api) == before


def test_revoking_a_terminal_takes_effect_at_once(pos: Pos) -> None:
    assert pos.send("GET", "/commissary/ppl/P-1").status_code == 200
    revoked = pos.api.post("/terminals/POS-1/revoke", {"reason": "terminal robada"})
    assert revoked.status_code == 200, revoked.text
    assert_problem(pos.send("GET", "/commissary/ppl/P-1"), 401, "terminal_not_trusted")


@pytest.mark.parametrize(("lines", "status", "code"), [
    ([{"product_code": "GALL-01", "quantity": 0}], 422, "quantity_invalid"),
    ([{"product_code": "GALL-01", "quantity": 3000}], 422, "quantity_invalid"),
    ([{"product_code": "GALL-01", "quantity": "2"}], 422, "field_invalid"),
    ([{"product_code": "NADA-1", "quantity": 1}], 404, "product_not_found"),
    ([{"product_code": "JAB-01", "quantity": 13}], 409, "insufficient_funds"),
])
def test_bad_orders_get_a_clear_answer_and_change_nothing(
    pos: Pos, lines: list[Any], status: int, code: str,
) -> None:
    before = events(pos.api)
    answer = pos.send("POST", "/commissary/orders", {"penitentiary_number": "P-1",
                                                     "lines": lines})
    assert_problem(answer, status, code)
    assert events(pos.api) == before


def test_the_contractor_lists_products_and_cannot_list_what_is_forbidden(pos: Pos) -> None:
    product = {"product_code": "ALC-1", "name": "Colonia", "category": "hygiene",
               "unit_price_minor": 120_00, "item_units": 1, "container": "plastic",
               "contains_alcohol": True, "made_by_ppl": False}
    refused = pos.api.post("/catalogue/products", product, as_user="contratista")
    assert_problem(refused, 403, "product_alcohol_based", "contains_alcohol")
    listed = pos.api.post("/catalogue/products", product | {"contains_alcohol": False,
                                                           "product_code": "TAL-1"},
                          as_user="contratista")
    assert listed.status_code == 201, listed.text
    assert pos.api.post("/catalogue/products", product, as_user="cajero").status_code == 403


def test_the_contractor_refunds_no_more_than_was_sold(pos: Pos) -> None:
    order_id = pos.send("POST", "/commissary/orders", ORDER).json()["order_id"]
    pos.send("POST", f"/commissary/orders/{order_id}/delivery", {})
    too_much = pos.api.post(f"/commissary/orders/{order_id}/refunds",
                            {"lines": [{"product_code": "JAB-01", "quantity": 2}],
                             "reason": "fallado"}, as_user="contratista")
    assert_problem(too_much, 409, "refund_exceeds_sale", "quantity")
    ok = pos.api.post(f"/commissary/orders/{order_id}/refunds",
                      {"lines": [{"product_code": "JAB-01", "quantity": 1}],
                       "reason": "fallado"}, as_user="contratista")
    assert ok.status_code == 201, ok.text
    assert pos.api.get("/ppl/P-1/balance").json()["balances"]["available"] == 1000_00 - 100_00


def test_a_queued_confirmation_retried_by_another_clerk_at_the_same_terminal_is_replayed(
    pos: Pos,
) -> None:
    pos.api.ledger.users.create(username="cajero2", password=PASSWORD, role=Role.CLERK.value,
                                actor=ADMIN)
    order_id = pos.send("POST", "/commissary/orders", ORDER).json()["order_id"]
    path = f"/commissary/orders/{order_id}/delivery"
    first = pos.send("POST", path, {"run_sector": "A"}, key="queued-1")
    assert first.status_code == 200
    raw = json.dumps({"run_sector": "A"}).encode()
    now = pos.api.ledger.ctx.clock.now()
    headers = {**pos.api.headers("cajero2", "queued-1"), "Content-Type": "application/json",
               **sign(KEY, "POS-1", "POST", path, raw, now)}
    again = pos.api.client.post(path, content=raw, headers=headers)
    assert again.status_code == 200 and again.headers.get("Idempotent-Replayed") == "true"
    assert again.json() == first.json()
