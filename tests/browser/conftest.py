"""The real service (the `ledger` command: keys, demo unit, `ledger serve` under uvicorn)
on a free loopback port, over a fresh store, driven by Debian's Chromium through
Playwright. Chromium comes from the test set-up (scripts/lib/chromium.sh); Playwright never
downloads a browser.

One server per store kind (SQLite, and PostgreSQL in its own schema) for the whole
session; each test opens fresh browser contexts (no shared cookies). Screenshots go to
LEDGER_SCREENSHOTS (default var/screenshots; docs/screenshots holds the committed set)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import psycopg
import pytest
from playwright.sync_api import Browser, BrowserContext, Page, Playwright, sync_playwright

from tests.conftest import STORES, _conninfo

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
PASSWORD = "demo-2026-clave"  # the demo unit's users (ledger/application/demo.py)
ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = Path(os.environ.get("LEDGER_SCREENSHOTS", ROOT / "var" / "screenshots"))


@dataclass
class Server:
    url: str
    store_kind: str

    def api(self, method: str, path: str, *, token: str | None = None,
            json: object = None, key: str | None = None) -> httpx.Response:
        headers = {}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        if key:
            headers["Idempotency-Key"] = key
        return httpx.request(method, self.url + path, json=json, headers=headers, timeout=30)

    def token(self, username: str) -> str:
        answer = self.api("POST", "/auth/sessions",
                          json={"username": username, "password": PASSWORD})
        assert answer.status_code == 201, answer.text
        return str(answer.json()["token"])


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _run(env: dict[str, str], *args: str) -> None:
    subprocess.run([sys.executable, "-m", "ledger.cli", *args], env=env, check=True,
                   capture_output=True, timeout=120)


def _wait_until_up(url: str, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"the server stopped at start-up:\n{log.read_text()[-3000:]}")
        try:
            if httpx.get(url + "/health", timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            time.sleep(0.1)
    pytest.fail(f"the server did not answer within 60 s:\n{log.read_text()[-3000:]}")


@pytest.fixture(scope="session", params=STORES)
def server(request: pytest.FixtureRequest,
           tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    kind = str(request.param)
    work = tmp_path_factory.mktemp(f"server-{kind}")
    schema = f"b_{uuid.uuid4().hex[:12]}"
    if kind == "sqlite":
        database_url = f"sqlite:///{work / 'ledger.sqlite3'}"
    else:
        base = request.getfixturevalue("postgres_available")
        database_url = f"{base}?schema={schema}"
    port = _free_port()
    env = {**os.environ, "LEDGER_DATABASE_URL": database_url,
           "LEDGER_KEY_FILE": str(work / "keys.json"),
           # Cheap Argon2 for speed; production keeps the strong defaults.
           "LEDGER_PASSWORD_TIME_COST": "1", "LEDGER_PASSWORD_MEMORY_KIB": "1024"}
    _run(env, "keys", "create")
    _run(env, "demo")
    log = work / "server.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "ledger.cli", "serve", "--host", "127.0.0.1",
             "--port", str(port)], env=env, stdout=out, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(url, process, log)
        yield Server(url=url, store_kind=kind)
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
        if kind == "postgres":
            with psycopg.connect(_conninfo(database_url.split("?")[0]),
                                 autocommit=True) as conn:
                conn.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')


# Package scope: Playwright's sync API keeps an event loop running on this thread while
# it is open; it must be closed before other packages' asyncio tests (tests/pos) run.
@pytest.fixture(scope="package")
def playwright() -> Iterator[Playwright]:
    with sync_playwright() as driver:
        yield driver


@pytest.fixture(scope="package")
def browser(playwright: Playwright) -> Iterator[Browser]:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: run the tests with scripts/test, which installs "
                    "Debian's chromium (scripts/lib/chromium.sh)")
    launched = playwright.chromium.launch(executable_path=CHROMIUM, headless=True,
                                          args=CHROMIUM_ARGS)
    yield launched
    launched.close()


@pytest.fixture
def open_context(browser: Browser, server: Server) -> Iterator:
    """Opens isolated browser contexts (each its own cookies) at a phone or desktop size."""
    opened: list[BrowserContext] = []

    def open_one(size: dict[str, int] = DESKTOP) -> Page:
        context = browser.new_context(base_url=server.url, viewport=size, locale="es-UY")
        context.set_default_timeout(15_000)
        opened.append(context)
        return context.new_page()

    yield open_one
    for context in opened:
        context.close()


def sign_in(page: Page, username: str, password: str = PASSWORD) -> None:
    page.goto("/sesion/ingresar")
    page.get_by_label("Usuario").fill(username)
    page.get_by_label("Contraseña").fill(password)
    page.get_by_role("button", name="Ingresar").click()


def snap(page: Page, server: Server, name: str) -> None:
    """The page as it is now, at 390 px and at desktop width (SQLite run only)."""
    if server.store_kind != "sqlite":
        return
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    size = page.viewport_size or DESKTOP
    for label, viewport in (("phone", PHONE), ("desktop", DESKTOP)):
        page.set_viewport_size(viewport)
        page.screenshot(path=str(SCREENSHOTS / f"{name}-{label}.png"), full_page=True)
    page.set_viewport_size(size)
