"""The terminal's client, key, receipts and catalogue on their own (no server)."""

from __future__ import annotations

import ast
import base64
import os
import stat
from datetime import datetime
from pathlib import Path

import httpx
import pytest
from click.testing import CliRunner
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from ledger.application.terminals import signed_message
from pos_terminal.cli import main
from pos_terminal.client import Offline, PosClient, Problem, SaleNeedsTheServer, Session
from pos_terminal.desk import Desk
from pos_terminal.i18n import MESSAGES, Messages
from pos_terminal.keys import TerminalKeyError, load_key_file
from pos_terminal.queue import OfflineQueue
from pos_terminal.receipt import Receipt
from pos_terminal.signing import public_key_b64
from tests.pos.test_queue import order

KEY = Ed25519PrivateKey.generate()


def signed_in(handler: httpx.MockTransport) -> PosClient:
    pos = PosClient("http://pos.test", "POS-1", KEY, transport=handler)
    pos.session = Session(token="token-1", username="cajero", role="clerk", expires_at="")
    return pos


def test_every_request_is_signed_as_the_server_checks_and_carries_the_clerks_token() -> None:
    seen: list[httpx.Request] = []

    def server(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(201, json={"penitentiary_number": "P-1"})

    pos = signed_in(httpx.MockTransport(server))
    pos.get("/commissary/ppl/P-1")
    pos.post("/commissary/orders", b'{"penitentiary_number":"P-1","lines":[]}', "key-1")
    for request in seen:
        h = request.headers
        assert h["Authorization"] == "Bearer token-1" and h["X-Terminal-Id"] == "POS-1"
        KEY.public_key().verify(  # raises if the server's own check would fail
            base64.b64decode(h["X-Terminal-Signature"]),
            signed_message(request.method, request.url.raw_path.decode(), request.content,
                           h["X-Terminal-Timestamp"], h["X-Terminal-Nonce"], "POS-1"))
    assert "Idempotency-Key" not in seen[0].headers
    assert seen[1].headers["Idempotency-Key"] == "key-1"
    assert seen[0].headers["X-Terminal-Nonce"] != seen[1].headers["X-Terminal-Nonce"]


def test_an_order_or_a_sale_with_no_link_is_refused_plainly_and_never_queued(
    tmp_path: Path,
) -> None:
    def no_link(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("connection refused", request=request)

    desk = Desk(signed_in(httpx.MockTransport(no_link)), OfflineQueue(tmp_path / "q.sqlite3"),
                Messages("es"))
    for walk_up in (True, False):
        with pytest.raises(SaleNeedsTheServer):
            desk.sell("P-1", {"GALL-01": 1}, "key-1", walk_up=walk_up)
    assert desk.queue.rows() == []
    said = Messages("es").t("offline_sale_refused")
    assert "NO se pueden hacer sin conexión" in said and "verificar los fondos" in said


def test_a_gateway_that_cannot_reach_the_server_counts_as_no_link() -> None:
    pos = signed_in(httpx.MockTransport(lambda request: httpx.Response(502)))
    with pytest.raises(Offline):
        pos.get("/commissary/ppl/P-1")
    assert pos.online is False and pos.offline_since is not None


def test_a_refusal_carries_the_servers_detail_for_the_clerk() -> None:
    problem = {"code": "insufficient_funds", "field": "amount_minor",
               "detail": "Fondos insuficientes en «peculio libre» de la PPL P-1."}
    pos = signed_in(httpx.MockTransport(
        lambda request: httpx.Response(409, json=problem,
                                       headers={"Content-Type": "application/problem+json"})))
    with pytest.raises(Problem) as refused:
        pos.walk_up_sale("P-1", {"GALL-01": 1}, "key-1")
    assert refused.value.detail == problem["detail"] and refused.value.code == problem["code"]
    assert pos.online is True


def test_keygen_writes_a_key_only_its_owner_can_read_and_prints_the_public_key(
    tmp_path: Path,
) -> None:
    path = tmp_path / "pos.key"
    made = CliRunner().invoke(main, ["keygen", "--key-file", str(path)])
    assert made.exit_code == 0, made.output
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    public = made.stdout.strip().splitlines()[-1]
    assert public == public_key_b64(load_key_file(path))
    assert len(base64.b64decode(public)) == 32
    again = CliRunner().invoke(main, ["keygen", "--key-file", str(path)])
    assert again.exit_code == 1 and public_key_b64(load_key_file(path)) == public
    os.chmod(path, 0o644)
    with pytest.raises(TerminalKeyError) as too_open:
        load_key_file(path)
    assert too_open.value.code == "too_open"


def test_a_receipt_is_saved_as_text_and_as_pdf(tmp_path: Path) -> None:
    receipt = Receipt(kind="partial", state="confirmed", order=order("o-1", "P-1"),
                      delivered={"GALL-01": 1}, name="Juan Pérez", document_last_digits="67-8",
                      terminal="POS-1", clerk="cajero", at=datetime(2026, 11, 24, 10, 30),
                      available_after_minor=950_00)
    text_path, pdf_path = receipt.save(Messages("es"), tmp_path)
    text = text_path.read_text(encoding="utf-8")
    assert "Entrega PARCIAL" in text and "Juan Pérez" in text and "…67-8" in text
    assert "Cobrado" in text and "UYU 50,00" in text and "UYU 950,00" in text
    assert pdf_path.read_bytes().startswith(b"%PDF")
    english = receipt.text(Messages("en"))
    assert "PARTIAL delivery" in english and "UYU 50.00" in english


def test_the_english_catalogue_says_everything_the_spanish_one_says() -> None:
    assert set(MESSAGES["en"]) == set(MESSAGES["es"])


def test_the_terminal_package_never_imports_the_ledger_or_the_api() -> None:
    package = Path(__file__).resolve().parents[2] / "pos_terminal"
    imported: set[str] = set()
    for module in package.glob("*.py"):
        for node in ast.walk(ast.parse(module.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                imported |= {alias.name.split(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.module:
                imported.add(node.module.split(".")[0])
    assert not imported & {"ledger", "api", "projections"}
    assert {"httpx", "textual", "cryptography"} <= imported  # it did read the imports
