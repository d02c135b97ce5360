"""The API over a real ledger (both stores), with one signed-in user per role."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from typing import Any

import pytest
from litestar.testing import TestClient

from api.app import create_app
from ledger.application.bootstrap import Ledger
from ledger.domain.actor import Role
from tests.factories import ADMIN, admit, register_depositor

PASSWORD = "clave-de-prueba-2026"
_keys = itertools.count()


class Api:
    def __init__(self, client: TestClient[Any], ledger: Ledger) -> None:
        self.client = client
        self.ledger = ledger
        self.tokens: dict[str, str] = {}

    def sign_in(self, username: str) -> str:
        answer = self.client.post("/auth/sessions",
                                  json={"username": username, "password": PASSWORD})
        assert answer.status_code == 201, answer.text
        self.tokens[username] = answer.json()["token"]
        return self.tokens[username]

    def headers(self, as_user: str | None, key: str | None = "auto") -> dict[str, str]:
        headers = {}
        if as_user:
            headers["Authorization"] = f"Bearer {self.tokens.get(as_user) or self.sign_in(as_user)}"
        if key == "auto":
            key = f"k-{next(_keys)}"
        if key:
            headers["Idempotency-Key"] = key
        return headers

    def post(self, path: str, body: Any = None, *, as_user: str | None = "finanzas",
             key: str | None = "auto", raw: bytes | None = None, **extra: Any) -> Any:
        headers = {**self.headers(as_user, key), **extra.pop("headers", {})}
        if raw is not None:
            return self.client.post(path, content=raw, headers=headers)
        return self.client.post(path, json=body, headers=headers)

    def get(self, path: str, *, as_user: str | None = "finanzas", **params: Any) -> Any:
        return self.client.get(path, params=params, headers=self.headers(as_user, key=None))


@pytest.fixture
def api(ledger: Ledger) -> Iterator[Api]:
    admit(ledger, "P-1", name="Juan Pérez", document="1.234.567-8")
    admit(ledger, "P-2", name="Carlos Rodríguez", document="2.345.678-9")
    depositor = register_depositor(ledger, "7.111.222-3", name="Ana Pérez")
    users = [("finanzas", Role.FINANCE_ADMIN), ("nomina", Role.PAYROLL_OFFICER),
             ("ventanilla", Role.DEPOSIT_DESK), ("cajero", Role.CLERK), ("auditor", Role.AUDITOR)]
    for username, role in users:
        ledger.users.create(username=username, password=PASSWORD, role=role.value, actor=ADMIN)
    ledger.users.create(username="familia", password=PASSWORD, role=Role.DEPOSITOR.value,
                        depositor_id=depositor, actor=ADMIN)
    with TestClient(create_app(ledger=ledger)) as client:
        api = Api(client, ledger)
        api.depositor_id = depositor  # type: ignore[attr-defined]
        yield api
