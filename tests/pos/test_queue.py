"""The terminal's offline queue on its own (the server's side played by a mock transport):
order, durability, the same key on every retry, and what may be queued at all."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from pos_terminal.client import Order, OrderLine, PosClient, Session
from pos_terminal.queue import Confirmation, OfflineQueue, QueueRefused

KEY = Ed25519PrivateKey.generate()
Handler = Callable[[httpx.Request], httpx.Response]


def order(order_id: str, number: str, status: str = "placed",
          delivered: dict[str, int] | None = None) -> Order:
    return Order(order_id=order_id, number=number, sector="A", delivery_date="2026-11-24",
                 status=status, lines=(OrderLine("GALL-01", "Galletas", 2, 50_00, 1),),
                 total_minor=100_00, items=2, delivered=delivered or {},
                 delivered_minor=0, currency="UYU", placed_at="")


def order_json(o: Order) -> dict[str, object]:
    return {"order_id": o.order_id, "penitentiary_number": o.number, "sector": o.sector,
            "delivery_date": o.delivery_date, "status": o.status,
            "lines": [{"code": "GALL-01", "name": "Galletas", "quantity": 2,
                       "unit_price_minor": 50_00, "item_units": 1}],
            "total_minor": o.total_minor, "items": o.items, "delivered": o.delivered,
            "delivered_minor": 0, "currency": "UYU", "placed_at": ""}


def client(handler: Handler) -> PosClient:
    pos = PosClient("http://pos.test", "POS-1", KEY, transport=httpx.MockTransport(handler))
    pos.session = Session(token="t", username="cajero", role="clerk", expires_at="")
    return pos


def applied(request: httpx.Request) -> httpx.Response:
    order_id = request.url.path.split("/")[3]
    status = "absent" if request.url.path.endswith("/absent") else "delivered"
    return httpx.Response(200, json=order_json(order(order_id, "P-1", status)))


def test_confirmations_are_sent_in_the_order_they_were_written(tmp_path: Path) -> None:
    queue = OfflineQueue(tmp_path / "q.sqlite3")
    for n in ("3", "1", "2"):
        queue.append(Confirmation.delivery(order(f"o-{n}", f"P-{n}"), "A"), "cajero")
    queue.append(Confirmation.absent(order("o-9", "P-9"), "A"), "cajero")
    sent: list[str] = []

    def server(request: httpx.Request) -> httpx.Response:
        sent.append(request.url.path)
        return applied(request)

    report = queue.sync(client(server))
    assert sent == ["/commissary/orders/o-3/delivery", "/commissary/orders/o-1/delivery",
                    "/commissary/orders/o-2/delivery", "/commissary/orders/o-9/absent"]
    assert [r.confirmation.order_id for r in report.applied] == ["o-3", "o-1", "o-2", "o-9"]
    assert queue.count("pending") == 0 and queue.count("applied") == 4


def test_what_waits_survives_closing_and_reopening_the_queue_file(tmp_path: Path) -> None:
    path = tmp_path / "q.sqlite3"
    first = OfflineQueue(path)
    partial = Confirmation.delivery(order("o-1", "P-1"), "A", {"GALL-01": 1})
    absent = Confirmation.absent(order("o-2", "P-2"), "A")
    first.append(partial, "cajero")
    first.append(absent, "cajero")
    first.close()  # the terminal is switched off

    again = OfflineQueue(path)
    waiting = again.pending()
    assert [w.confirmation for w in waiting] == [partial, absent]
    assert json.loads(waiting[0].body) == {
        "run_sector": "A", "lines": [{"product_code": "GALL-01", "delivered_quantity": 1}]}
    bodies: list[tuple[str, bytes]] = []

    def server(request: httpx.Request) -> httpx.Response:
        bodies.append((request.headers["Idempotency-Key"], request.content))
        return applied(request)

    again.sync(client(server))
    assert bodies == [(partial.idempotency_key, waiting[0].body),
                      (absent.idempotency_key, waiting[1].body)]


def test_a_retry_carries_the_same_idempotency_key_and_a_fresh_signature(tmp_path: Path) -> None:
    queue = OfflineQueue(tmp_path / "q.sqlite3")
    queue.append(Confirmation.delivery(order("o-1", "P-1"), "A"), "cajero")
    seen: list[httpx.Headers] = []

    def flaky(request: httpx.Request) -> httpx.Response:
        seen.append(request.headers)
        if len(seen) == 1:
            raise httpx.ReadTimeout("the answer never came", request=request)
        return httpx.Response(200, json=order_json(order("o-1", "P-1", "delivered")),
                              headers={"Idempotent-Replayed": "true"})

    pos = client(flaky)
    first = queue.sync(pos)
    assert first.stopped and queue.count("pending") == 1 and pos.online is False
    second = queue.sync(pos)
    assert len(second.applied) == 1 and second.applied[0].replayed
    assert seen[0]["Idempotency-Key"] == seen[1]["Idempotency-Key"]
    assert seen[0]["X-Terminal-Nonce"] != seen[1]["X-Terminal-Nonce"]
    assert queue.get(1).attempts == 2


def test_sending_stops_at_the_first_failure_so_nothing_overtakes_it(tmp_path: Path) -> None:
    queue = OfflineQueue(tmp_path / "q.sqlite3")
    queue.append(Confirmation.delivery(order("o-1", "P-1"), "A"), "cajero")
    queue.append(Confirmation.delivery(order("o-2", "P-2"), "A"), "cajero")
    sent: list[str] = []

    def down_for_the_first(request: httpx.Request) -> httpx.Response:
        sent.append(request.url.path)
        if "o-1" in request.url.path:
            return httpx.Response(503)  # a gateway with no way through
        return applied(request)

    report = queue.sync(client(down_for_the_first))
    assert sent == ["/commissary/orders/o-1/delivery"]
    assert report.stopped == "HTTP 503" and queue.count("pending") == 2


def test_an_expired_session_stops_sending_and_keeps_the_confirmation_first(
    tmp_path: Path,
) -> None:
    queue = OfflineQueue(tmp_path / "q.sqlite3")
    queue.append(Confirmation.delivery(order("o-1", "P-1"), "A"), "cajero")
    queue.append(Confirmation.delivery(order("o-2", "P-2"), "A"), "cajero")

    def expired(request: httpx.Request) -> httpx.Response:
        return httpx.Response(401, json={"code": "credentials_invalid",
                                         "detail": "La sesión no es válida."})

    report = queue.sync(client(expired))
    assert report.session_ended and report.stopped == "La sesión no es válida."
    assert [r.confirmation.order_id for r in queue.pending()] == ["o-1", "o-2"]


def test_an_order_already_closed_exactly_as_asked_counts_as_applied_else_it_is_refused(
    tmp_path: Path,
) -> None:
    queue = OfflineQueue(tmp_path / "q.sqlite3")
    queue.append(Confirmation.delivery(order("o-1", "P-1"), "A"), "cajero")
    queue.append(Confirmation.delivery(order("o-2", "P-2"), "A"), "cajero")
    queue.append(Confirmation.delivery(order("o-3", "P-3"), "A"), "cajero")
    closed = {"o-1": order("o-1", "P-1", "delivered", {"GALL-01": 2}),
              "o-2": order("o-2", "P-2", "cancelled")}

    def server(request: httpx.Request) -> httpx.Response:
        order_id = request.url.path.split("/")[3]
        if request.method == "GET":
            return httpx.Response(200, json=order_json(closed[order_id]))
        if order_id in closed:
            return httpx.Response(409, json={"code": "order_not_open", "detail": "cerrado"})
        return applied(request)

    report = queue.sync(client(server))
    assert [r.confirmation.order_id for r in report.applied] == ["o-1", "o-3"]
    assert [r.confirmation.order_id for r in report.refused] == ["o-2"]
    assert queue.get(2).state == "refused" and queue.get(2).last_error == "order_not_open: cerrado"


def test_only_deliveries_and_absent_marks_can_be_queued(tmp_path: Path) -> None:
    queue = OfflineQueue(tmp_path / "q.sqlite3")
    sale = Confirmation("sale", "o-1", "P-1", "A")  # type: ignore[arg-type]
    with pytest.raises(QueueRefused):
        queue.append(sale, "cajero")
    with pytest.raises(sqlite3.IntegrityError):  # and the file itself refuses one
        sqlite3.connect(tmp_path / "q.sqlite3").execute(
            "INSERT INTO confirmations (idempotency_key, kind, order_id, penitentiary_number, "
            "run_sector, body, queued_at, queued_by) VALUES ('k', 'order', 'o', 'P', 'A', "
            "'{}', 'now', 'cajero')")
    assert queue.rows() == []


def test_an_order_has_at_most_one_confirmation_waiting(tmp_path: Path) -> None:
    queue = OfflineQueue(tmp_path / "q.sqlite3")
    queue.append(Confirmation.delivery(order("o-1", "P-1"), "A"), "cajero")
    with pytest.raises(QueueRefused):
        queue.append(Confirmation.absent(order("o-1", "P-1"), "A"), "cajero")
    assert queue.count("pending") == 1
