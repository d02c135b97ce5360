"""The POS against a real API server on loopback: a fresh SQLite store, the Litestar app
under uvicorn in a background thread, and a TCP link between terminal and server that
the test can cut, restore, or make lose the server's answers."""

from __future__ import annotations

import asyncio
import contextlib
import socket
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from textual import events
from textual.keys import _character_to_key
from textual.pilot import Pilot

from api.app import create_app
from ledger.application.bootstrap import Ledger, bootstrap
from ledger.application.trial_balance import TrialBalance
from ledger.domain.actor import Role
from ledger.domain.postings import UnitAccount
from ledger.domain.unit import UnitSettings
from ledger.infrastructure.config import Settings
from pos_terminal.app import PosApp, StatusBar
from pos_terminal.client import PosClient, new_key
from pos_terminal.desk import Desk
from pos_terminal.i18n import Messages
from pos_terminal.queue import OfflineQueue
from pos_terminal.signing import public_key_b64
from projections.source import EventSource
from tests.commissary_factories import list_product
from tests.factories import ADMIN, admit, fund

PASSWORD = "clave-de-prueba-2026"
TERMINAL = "POS-T1"
# The counter is open all day in these tests, so a walk-up sale never depends on the hour.
ALL_DAY = [["00:00", "23:59:59.999999"]]


class LiveServer:
    """The real API (create_app) served by uvicorn on a free loopback port."""

    def __init__(self, ledger: Ledger) -> None:
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", 0))
        self.port = self.sock.getsockname()[1]
        config = uvicorn.Config(create_app(ledger=ledger), log_level="warning",
                                lifespan="on", access_log=False)
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, kwargs={"sockets": [self.sock]},
                                       daemon=True)

    def start(self) -> None:
        self.thread.start()
        deadline = time.monotonic() + 15
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("the API server did not start")
            time.sleep(0.02)

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(10)
        self.sock.close()


class Link:
    """A TCP proxy standing for the prison network between the terminal and the server.
    `cut()` drops every connection and refuses new ones; `lose_answers` lets requests
    reach the server but drops the connection as its answer comes back."""

    def __init__(self, upstream_port: int) -> None:
        self.upstream_port = upstream_port
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.up = True
        self.lose_answers = False
        self.answers_lost = 0
        self._open: set[socket.socket] = set()
        self._lock = threading.Lock()
        self._closed = False
        threading.Thread(target=self._accept, daemon=True).start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def cut(self) -> None:
        self.up = False
        with self._lock:
            for each in list(self._open):
                _drop(each)
            self._open.clear()

    def restore(self) -> None:
        self.up = True

    def close(self) -> None:
        self._closed = True
        self.cut()
        self.listener.close()

    def _accept(self) -> None:
        while not self._closed:
            try:
                terminal, _ = self.listener.accept()
            except OSError:
                return
            if not self.up:
                _drop(terminal)
                continue
            try:
                server = socket.create_connection(("127.0.0.1", self.upstream_port))
            except OSError:
                _drop(terminal)
                continue
            with self._lock:
                self._open |= {terminal, server}
            threading.Thread(target=self._pump, args=(terminal, server, False),
                             daemon=True).start()
            threading.Thread(target=self._pump, args=(server, terminal, True),
                             daemon=True).start()

    def _pump(self, source: socket.socket, target: socket.socket, answers: bool) -> None:
        with contextlib.suppress(OSError):  # the link was cut under it
            while data := source.recv(65536):
                if answers and self.lose_answers:
                    self.answers_lost += 1
                    break
                target.sendall(data)
        for each in (source, target):
            _drop(each)
            with self._lock:
                self._open.discard(each)


def _drop(sock: socket.socket) -> None:
    with contextlib.suppress(OSError):  # already closed by the other side
        sock.shutdown(socket.SHUT_RDWR)
    sock.close()


@dataclass
class World:
    ledger: Ledger
    server: LiveServer
    link: Link
    key: Ed25519PrivateKey
    tmp: Path

    @property
    def direct_url(self) -> str:
        return f"http://127.0.0.1:{self.server.port}"

    def client(self, url: str | None = None) -> PosClient:
        return PosClient(url or self.link.url, TERMINAL, self.key, timeout=5.0)

    def place_order(self, number: str, **lines: int) -> dict[str, Any]:
        """An order placed through the terminal's own client, straight to the server."""
        client = self.client(self.direct_url)
        try:
            client.sign_in("cajero", PASSWORD)
            answer = client.place_order(number, {c.replace("_", "-"): q
                                                 for c, q in lines.items()}, new_key())
        finally:
            client.close()
        assert answer.status == 201, answer
        return answer.body

    def balances(self, number: str) -> dict[str, int]:
        return dict(self.ledger.statements.balances(number)["balances"])

    def funds(self, number: str) -> dict[str, int]:
        """Available and held, from the store."""
        balances = self.balances(number)
        return {"available": balances["available"], "held": balances["held"]}

    def contractor_payable(self) -> int:
        accounts = TrialBalance(self.ledger.ctx).as_of()["unit_accounts"]
        return int(accounts[UnitAccount.CONTRACTOR_PAYABLE.value])

    def events(self, suffix: str) -> Counter[str]:
        """How many events of a type each order has (by order id)."""
        counted: Counter[str] = Counter()
        for recorded in EventSource(self.ledger.ctx.store).all():
            if recorded.topic.endswith(suffix):
                event = recorded.event
                counted[str(getattr(event, "order_id", None) or event.originator_id)] += 1
        return counted


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture
def world(tmp_path: Path, key_file: Path) -> Iterator[World]:
    with running_world(tmp_path, key_file) as built:
        yield built


@contextlib.contextmanager
def running_world(tmp_path: Path, key_file: Path) -> Iterator[World]:
    """A fresh SQLite store with six funded PPL of sector A and three products, served
    for real on loopback, a registered terminal, and the link in between."""
    settings = Settings(database_url=f"sqlite:///{tmp_path / 'ledger.sqlite3'}",
                        key_file=key_file, password_time_cost=1, password_memory_kib=1024)
    ledger = bootstrap(settings)  # the real system clock: signatures carry the real time
    ledger.unit.configure(UnitSettings(name="Unidad de prueba", opening_hours=ALL_DAY), ADMIN)
    for username, role in (("cajero", Role.CLERK), ("finanzas", Role.FINANCE_ADMIN)):
        ledger.users.create(username=username, password=PASSWORD, role=role.value, actor=ADMIN)
    list_product(ledger, "GALL-01", 50_00, name="Galletas de agua")
    list_product(ledger, "JAB-01", 80_00, name="Jabón de tocador", category="hygiene")
    list_product(ledger, "CIG-20", 150_00, name="Cigarrillos x20", category="cigarettes",
                 item_units=2, container="cardboard")
    for number, name, document in PEOPLE:
        admit(ledger, number, name=name, document=document, sector="A")
        fund(ledger, number, 1000_00)
    server = LiveServer(ledger)
    server.start()
    key = Ed25519PrivateKey.generate()
    _register_terminal(f"http://127.0.0.1:{server.port}", key)
    link = Link(server.port)
    try:
        yield World(ledger, server, link, key, tmp_path)
    finally:
        link.close()
        server.stop()
        ledger.close()


PEOPLE = [("P-1", "Juan Pérez", "1.234.567-8"), ("P-2", "Carlos Rodríguez", "2.345.678-9"),
          ("P-3", "Luis González", "3.456.789-0"), ("P-4", "Martín Fernández", "4.567.890-1"),
          ("P-5", "Diego López", "5.678.901-2"), ("P-6", "Pablo Martínez", "6.789.012-3")]


def _register_terminal(url: str, key: Ed25519PrivateKey) -> None:
    """As the administrator does: POST /terminals with the terminal's public key."""
    with httpx.Client(base_url=url) as http:
        token = http.post("/auth/sessions", json={"username": "finanzas",
                                                  "password": PASSWORD}).json()["token"]
        answer = http.post("/terminals", json={"terminal_id": TERMINAL,
                                               "name": "Economato sector A",
                                               "public_key": public_key_b64(key)},
                           headers={"Authorization": f"Bearer {token}",
                                    "Idempotency-Key": new_key()})
    assert answer.status_code == 201, answer.text


def pos_app(world: World, *, sync_every: float = 0.3) -> PosApp:
    desk = Desk(world.client(), OfflineQueue(world.tmp / "pos-queue.sqlite3"), Messages("es"))
    return PosApp(desk, receipts_dir=world.tmp / "receipts", sync_every=sync_every)


async def until(pilot: Pilot[Any], condition: Callable[[], bool], what: str,
                timeout: float = 10.0) -> None:
    deadline = asyncio.get_running_loop().time() + timeout
    while not condition():
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError(f"timed out waiting for: {what}\n--- screen ---\n"
                                 f"{screen_text(pilot.app)}")
        await pilot.pause(0.05)


KEY_CHARACTERS = {"enter": "\r", "escape": "\x1b", "backspace": "\x08", "tab": "\t"}


async def press(pilot: Pilot[Any], *keys: str) -> None:
    """Presses keys the way a keyboard sends them: queued to the app in order. (The
    pilot's own `press` waits for the process to look idle after each key, which a
    server sharing this process rarely lets it do.)"""
    for key in keys:
        if len(key) == 1:
            name, character = (key if key.isalnum() else _character_to_key(key)), key
        else:
            name, character = key, KEY_CHARACTERS.get(key)
        pilot.app.post_message(events.Key(name, character))
    await pilot.pause(0)


async def type_in(pilot: Pilot[Any], text: str, *, enter: bool = True) -> None:
    """Types like a barcode scanner: a burst of characters, then Enter."""
    await press(pilot, *text, *(["enter"] if enter else []))


def focused(app: Any, widget_id: str) -> bool:
    return app.focused is not None and app.focused.id == widget_id


def status_text(app: Any) -> str:
    """The status bar the clerk sees (a dialog shows the one of the screen behind it)."""
    for screen in reversed(app.screen_stack):
        bars = screen.query(StatusBar)
        if bars:
            return str(bars.first().content)
    raise AssertionError("no status bar on screen")


def screen_text(app: Any) -> str:
    """Every Static on the active screen, as plain text (what the clerk reads)."""
    from textual.widgets import Static

    return "\n".join(str(w.content) for w in app.screen.query(Static))
