"""The requests the benchmark sends, one factory per measured path. A spec (JSON) names
the kind and carries what the requests need: tokens, PPL numbers, order ids, terminal
keys. Clerk requests on the commissary routes are signed per request, as a POS does."""

from __future__ import annotations

import base64
import json
import random
import uuid
from collections.abc import Callable
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from load_tests.httpgen import Factory, Req
from pos_terminal.signing import sign

ORDER_LINES = [{"product_code": "YERBA1K", "quantity": 1},
               {"product_code": "JABON", "quantity": 2}]
SALE_LINES = [{"product_code": "GALLETAS", "quantity": 1}]


def _json(body: Any) -> bytes:
    return json.dumps(body, separators=(",", ":")).encode()


class Builder:
    def __init__(self, spec: dict[str, Any]) -> None:
        self.spec = spec
        self.rng = random.Random(spec.get("seed", 7))
        self.keys = {t: Ed25519PrivateKey.from_private_bytes(base64.b64decode(k))
                     for t, k in spec.get("terminals", {}).items()}
        self.terminal_ids = sorted(self.keys)

    def headers(self, token: str | None, key: bool) -> dict[str, str]:
        headers = {"Content-Type": "application/json", "Accept": "application/json"}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        if key:
            headers["Idempotency-Key"] = uuid.uuid4().hex
        return headers

    def signed(self, index: int, path: str, body: bytes) -> Req:
        terminal = self.terminal_ids[index % len(self.terminal_ids)]
        headers = self.headers(self.spec["tokens"]["clerk"], key=True)
        headers |= sign(self.keys[terminal], terminal, "POST", path, body)
        return Req("POST", path, headers, body)

    def pick(self) -> str:
        return str(self.rng.choice(self.spec["numbers"]))

    # -- the kinds ---------------------------------------------------------------------
    def bare_insert(self, index: int) -> Req:
        return Req("POST", "/insert", {"Content-Type": "application/json"},
                   _json({"n": index, "note": "bare"}))

    def naive_deposit(self, index: int) -> Req:
        account = self.rng.choice(self.spec["accounts"])
        return Req("POST", f"/naive/accounts/{account}/deposits",
                   {"Content-Type": "application/json"}, _json({"amount_minor": 100}))

    def deposit(self, index: int) -> Req:
        position = self.rng.randrange(len(self.spec["numbers"]))
        number = self.spec["numbers"][position]
        depositor = self.spec["depositor_ids"][position]
        body = _json({"depositor_id": depositor, "amount_minor": 1000, "currency": "UYU",
                      "channel": "cash_desk", "external_reference": f"bench-{index}"})
        return Req("POST", f"/ppl/{number}/deposits",
                   self.headers(self.spec["tokens"]["desk"], key=True), body)

    def recharge(self, index: int) -> Req:
        body = _json({"amount_minor": 100, "currency": "UYU"})
        return Req("POST", f"/ppl/{self.pick()}/phone-recharges",
                   self.headers(self.spec["tokens"]["clerk"], key=True), body)

    def place_order(self, index: int) -> Req | None:
        numbers = self.spec["numbers"]
        if index >= len(numbers):
            return None  # one order a week per PPL: each request is a different PPL
        body = _json({"penitentiary_number": numbers[index], "lines": ORDER_LINES})
        return self.signed(index, "/commissary/orders", body)

    def deliver(self, index: int) -> Req | None:
        orders = self.spec["orders"]
        if index >= len(orders):
            return None
        return self.signed(index, f"/commissary/orders/{orders[index]}/delivery", b"{}")

    def walk_up(self, index: int) -> Req:
        body = _json({"penitentiary_number": self.pick(), "lines": SALE_LINES})
        return self.signed(index, "/commissary/sales", body)

    def balance(self, index: int) -> Req:
        return Req("GET", f"/ppl/{self.pick()}/balance",
                   self.headers(self.spec["tokens"]["auditor"], key=False))

    def statement(self, index: int) -> Req:
        number, start, end = self.spec["statement"]
        return Req("GET", f"/ppl/{number}/statement?from={start}&to={end}",
                   self.headers(self.spec["tokens"]["auditor"], key=False))


def build(spec: dict[str, Any]) -> tuple[Factory, Callable[..., None] | None,
                                         Callable[[], dict[str, Any]]]:
    builder = Builder(spec)
    factory: Factory = getattr(builder, spec["kind"])
    return factory, None, dict
