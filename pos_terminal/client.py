"""The POS terminal's typed HTTP client. Every request is signed with the terminal's Ed25519
key (pos_terminal.signing) and carries the clerk's bearer token; every request that
changes state carries an Idempotency-Key chosen once per operation and kept on retry.

It speaks HTTP only: nothing here imports the ledger or the API."""

from __future__ import annotations

import contextlib
import json
import re
import threading
import uuid
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any
from urllib.parse import quote

import httpx
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from pos_terminal.signing import sign

# A gateway answering for a service it cannot reach is the same, for the clerk, as no link.
GATEWAY_DOWN = frozenset({502, 503, 504})
NUMBER = re.compile(r"^[A-Za-z0-9-]{1,20}$")
SECTOR = re.compile(r"^[A-Za-z0-9-]{1,20}$")


def new_key() -> str:
    """A fresh Idempotency-Key: one per operation, reused on every retry of it."""
    return f"pos-{uuid.uuid4()}"


def encode(body: Any) -> bytes:
    """The exact bytes sent (and signed): compact JSON, UTF-8."""
    return json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode()


def valid_number(number: str) -> bool:
    return bool(NUMBER.match(number))


class Offline(Exception):
    """The server cannot be reached: no connection, a dropped link, a gateway saying so."""

    def __init__(self, cause: str) -> None:
        super().__init__(cause)
        self.cause = cause


class SaleNeedsTheServer(Offline):
    """An order or walk-up sale tried with no link. Never queued: the server must check the
    PPL's funds and limits before anything is sold."""


class Problem(Exception):
    """An answer of the server refusing the request (problem+json): show `detail`."""

    def __init__(self, status: int, code: str, detail: str, field: str | None = None,
                 context: dict[str, Any] | None = None) -> None:
        super().__init__(f"{status} {code}: {detail}")
        self.status, self.code, self.detail = status, code, detail
        self.field, self.context = field, context or {}

    @classmethod
    def from_response(cls, response: httpx.Response) -> Problem:
        try:
            body = response.json()
        except ValueError:
            body = None
        if not isinstance(body, dict):
            return cls(response.status_code, "http_error", f"HTTP {response.status_code}")
        return cls(response.status_code, str(body.get("code") or "http_error"),
                   str(body.get("detail") or body.get("title") or response.status_code),
                   body.get("field"), body.get("context"))

    @property
    def session_ended(self) -> bool:
        return self.status == 401 and not self.code.startswith("terminal_")


@dataclass(frozen=True)
class Answer:
    """A successful answer; `replayed` when the server returned its first answer again."""

    status: int
    body: dict[str, Any]
    replayed: bool = False


@dataclass(frozen=True)
class Session:
    token: str
    username: str
    role: str
    expires_at: str


@dataclass(frozen=True)
class OrderLine:
    code: str
    name: str
    quantity: int
    unit_price_minor: int
    item_units: int

    @property
    def subtotal_minor(self) -> int:
        return self.quantity * self.unit_price_minor


@dataclass(frozen=True)
class Order:
    order_id: str
    number: str
    sector: str
    delivery_date: str | None
    status: str
    lines: tuple[OrderLine, ...]
    total_minor: int
    items: int
    delivered: dict[str, int]
    delivered_minor: int
    currency: str
    placed_at: str
    updated_at: str = ""

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Order:
        return cls(
            order_id=data["order_id"], number=data["penitentiary_number"],
            sector=data["sector"], delivery_date=data.get("delivery_date"),
            status=data["status"],
            lines=tuple(OrderLine(code=line["code"], name=line["name"],
                                  quantity=line["quantity"],
                                  unit_price_minor=line["unit_price_minor"],
                                  item_units=line.get("item_units", 1))
                        for line in data["lines"]),
            total_minor=data["total_minor"], items=data["items"],
            delivered=dict(data.get("delivered") or {}),
            delivered_minor=data.get("delivered_minor", 0), currency=data["currency"],
            placed_at=data.get("placed_at", ""), updated_at=data.get("updated_at", ""))

    @property
    def is_open(self) -> bool:
        return self.status == "placed"

    def line(self, code: str) -> OrderLine:
        return next(line for line in self.lines if line.code == code)


@dataclass(frozen=True)
class Limits:
    money_left_minor: int
    items_left: int
    money_minor: int
    items: int


@dataclass(frozen=True)
class Overview:
    """What the clerk sees of a PPL: no photo, only the last digits of the document."""

    number: str
    name: str
    document_last_digits: str
    sector: str
    regime: str
    status: str
    currency: str
    available_minor: int
    held_minor: int
    eligibility: str
    eligible_until: str | None
    limits: Limits
    open_orders: tuple[Order, ...]
    next_delivery: str

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Overview:
        limits = data["limits"]
        return cls(
            number=data["penitentiary_number"], name=data["name"],
            document_last_digits=data["document_last_digits"], sector=data["sector"],
            regime=data["regime"], status=data["status"], currency=data["currency"],
            available_minor=data["available_minor"], held_minor=data["held_minor"],
            eligibility=data["eligibility"]["status"],
            eligible_until=data["eligibility"].get("until"),
            limits=Limits(money_left_minor=limits["money_left_minor"],
                          items_left=limits["items_left"], money_minor=limits["money_minor"],
                          items=limits["items"]),
            open_orders=tuple(Order.from_json(o) for o in data.get("open_orders", [])),
            next_delivery=data.get("next_delivery", ""))


@dataclass(frozen=True)
class PickLine:
    code: str
    name: str
    quantity: int


@dataclass(frozen=True)
class DeliveryRun:
    sector: str
    day: str
    orders: tuple[Order, ...]
    pick_list: tuple[PickLine, ...] = field(default=())

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> DeliveryRun:
        return cls(sector=data["sector"], day=data["date"],
                   orders=tuple(Order.from_json(o) for o in data["orders"]),
                   pick_list=tuple(PickLine(p["product_code"], p["name"], p["quantity"])
                                   for p in data.get("pick_list", [])))


@dataclass(frozen=True)
class Product:
    code: str
    name: str
    category_name: str
    unit_price_minor: int
    item_units: int
    currency: str


class PosClient:
    """One terminal talking to one server, for the clerk signed in on it."""

    def __init__(self, server: str, terminal_id: str, key: Ed25519PrivateKey, *,
                 language: str = "es", timeout: float = 8.0,
                 transport: httpx.BaseTransport | None = None) -> None:
        self.server = server.rstrip("/")
        self.terminal_id = terminal_id
        self.key = key
        self.language = language
        self.session: Session | None = None
        self.online: bool | None = None  # None until the first request
        self.offline_since: datetime | None = None
        self.last_cause = ""
        self._state = threading.Lock()
        self.http = httpx.Client(base_url=self.server, timeout=httpx.Timeout(timeout,
                                 connect=min(timeout, 4.0)), transport=transport)

    def close(self) -> None:
        self.http.close()

    # ------------------------------------------------------------------ transport

    def request(self, method: str, path: str, body: bytes | None = None,
                idempotency_key: str | None = None) -> httpx.Response:
        """Signs and sends one request; `Offline` when the link is down. The signature is
        made now, at send time: it is valid for two minutes and is never reused."""
        raw = body if body is not None else b""
        headers = {"Accept": "application/json", "Accept-Language": self.language}
        if self.session is not None:
            headers["Authorization"] = f"Bearer {self.session.token}"
        if body is not None:
            headers["Content-Type"] = "application/json"
        if idempotency_key is not None:
            headers["Idempotency-Key"] = idempotency_key
        headers |= sign(self.key, self.terminal_id, method, path, raw)
        try:
            response = self.http.request(method, path, content=body, headers=headers)
        except httpx.TransportError as error:
            self._link(False, f"{type(error).__name__}: {error}".rstrip(": "))
            raise Offline(self.last_cause) from error
        if response.status_code in GATEWAY_DOWN:
            self._link(False, f"HTTP {response.status_code}")
            raise Offline(self.last_cause)
        self._link(True)
        return response

    def _link(self, up: bool, cause: str = "") -> None:
        with self._state:
            if up:
                self.online, self.offline_since, self.last_cause = True, None, ""
                return
            if self.online is not False or self.offline_since is None:
                self.offline_since = datetime.now(tz=UTC)
            self.online, self.last_cause = False, cause

    def _json(self, response: httpx.Response) -> dict[str, Any]:
        if response.is_success:
            return response.json()  # type: ignore[no-any-return]
        raise Problem.from_response(response)

    def get(self, path: str) -> dict[str, Any]:
        return self._json(self.request("GET", path))

    def post(self, path: str, body: bytes, idempotency_key: str) -> Answer:
        """A state-changing request; a retry with the same key gets the first answer."""
        response = self.request("POST", path, body, idempotency_key)
        data = self._json(response)
        return Answer(response.status_code, data,
                      response.headers.get("idempotent-replayed", "").lower() == "true")

    def probe(self) -> bool:
        """Whether the server answers now (the open /health route)."""
        try:
            self.request("GET", "/health")
        except Offline:
            return False
        return True

    # ------------------------------------------------------------------ session

    def sign_in(self, username: str, password: str) -> Session:
        data = self._json(self.request("POST", "/auth/sessions",
                                       encode({"username": username, "password": password})))
        self.session = Session(token=data["token"], username=data["username"],
                               role=data["role"], expires_at=data["expires_at"])
        return self.session

    def sign_out(self) -> None:
        if self.session is None:
            return
        with contextlib.suppress(Offline):  # offline, the token just expires on its own
            self.request("DELETE", "/auth/sessions/current")
        self.session = None

    # ------------------------------------------------------------------ reads

    def price_list(self) -> list[Product]:
        data = self.get("/price-list")
        return [Product(code=p["product_code"], name=p["name"],
                        category_name=p.get("category_name", p["category"]),
                        unit_price_minor=p["unit_price_minor"], item_units=p["item_units"],
                        currency=p["currency"]) for p in data["products"]]

    def overview(self, number: str) -> Overview:
        return Overview.from_json(self.get(f"/commissary/ppl/{_segment(number)}"))

    def delivery_run(self, sector: str, day: date) -> DeliveryRun:
        path = f"/commissary/runs/{_segment(sector)}/{day.isoformat()}"
        return DeliveryRun.from_json(self.get(path))

    def order(self, order_id: str) -> Order:
        return Order.from_json(self.get(f"/commissary/orders/{_segment(order_id)}"))

    # ------------------------------------------------------------------ sales (never queued)

    def place_order(self, number: str, lines: dict[str, int], idempotency_key: str) -> Answer:
        """An order for the PPL's next delivery. Offline it is refused, never queued."""
        return self._sale("/commissary/orders", number, lines, idempotency_key)

    def walk_up_sale(self, number: str, lines: dict[str, int], idempotency_key: str) -> Answer:
        """A sale at the counter. Offline it is refused, never queued."""
        return self._sale("/commissary/sales", number, lines, idempotency_key)

    def _sale(self, path: str, number: str, lines: dict[str, int], key: str) -> Answer:
        body = encode({"penitentiary_number": number,
                       "lines": [{"product_code": c, "quantity": q} for c, q in lines.items()]})
        try:
            return self.post(path, body, key)
        except SaleNeedsTheServer:
            raise
        except Offline as offline:
            raise SaleNeedsTheServer(offline.cause) from offline


def _segment(value: str) -> str:
    return quote(value, safe="")
