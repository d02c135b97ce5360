"""Baseline (naive): event sourcing done the plain way. Each request loads the aggregate
by replaying its events (no cache, no snapshot), applies one command and saves: one
request, one transaction. Same store settings as the ledger (PostgreSQL, AES-GCM and
zlib on every event), same uvicorn, same client.

`uvicorn --factory load_tests.naive_app:create_app` with LEDGER_BENCH_PG_URL,
LEDGER_BENCH_SCHEMA and LEDGER_BENCH_CIPHER_KEY in the environment."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any
from uuid import UUID

from eventsourcing.application import Application
from eventsourcing.domain import Aggregate, event
from eventsourcing.persistence import IntegrityError
from litestar import Litestar, Request, get, post

from ledger.infrastructure.database import Database

ATTEMPTS = 3


class NaiveAccount(Aggregate):
    @event("Opened")
    def __init__(self, number: str) -> None:
        self.number = number
        self.balance_minor = 0

    @event("Deposited")
    def deposit(self, amount_minor: int) -> None:
        self.balance_minor += amount_minor


class NaiveBank(Application[UUID]):
    name = "naive"

    def open(self, number: str) -> UUID:
        account = NaiveAccount(number)
        self.save(account)
        return account.id

    def deposit(self, account_id: UUID, amount_minor: int) -> int:
        for _ in range(ATTEMPTS):
            account: NaiveAccount = self.repository.get(account_id)
            account.deposit(amount_minor)
            try:
                self.save(account)
            except IntegrityError:
                continue
            return account.balance_minor
        raise IntegrityError("conflict")


def naive_env(url: str, schema: str, cipher_key: str) -> dict[str, str]:
    db = Database.from_url(url)
    return {
        "PERSISTENCE_MODULE": "eventsourcing.postgres", "POSTGRES_DBNAME": db.dbname,
        "POSTGRES_HOST": db.host, "POSTGRES_PORT": str(db.port), "POSTGRES_USER": db.user,
        "POSTGRES_PASSWORD": db.password, "POSTGRES_SCHEMA": schema,
        "POSTGRES_POOL_SIZE": "10", "POSTGRES_MAX_OVERFLOW": "10",
        "CIPHER_TOPIC": "eventsourcing.cryptography:AESCipher", "CIPHER_KEY": cipher_key,
        "COMPRESSOR_TOPIC": "eventsourcing.compressor:ZlibCompressor",
        "IS_SNAPSHOTTING_ENABLED": "n",
    }


@get("/health", sync_to_thread=False)
def health() -> dict[str, str]:
    return {"status": "ok"}


@post("/naive/accounts/{account_id:uuid}/deposits", sync_to_thread=True)
def deposit(request: Request[Any, Any, Any], account_id: UUID,
            data: dict[str, Any]) -> dict[str, Any]:
    bank: NaiveBank = request.app.state.bank
    return {"balance_minor": bank.deposit(account_id, int(data["amount_minor"]))}


def create_app() -> Litestar:
    env = naive_env(os.environ["LEDGER_BENCH_PG_URL"], os.environ["LEDGER_BENCH_SCHEMA"],
                    os.environ["LEDGER_BENCH_CIPHER_KEY"])

    @asynccontextmanager
    async def lifespan(app: Litestar) -> AsyncIterator[None]:
        app.state.bank = NaiveBank(env=env)
        try:
            yield
        finally:
            app.state.bank.close()

    return Litestar(route_handlers=[health, deposit], lifespan=[lifespan], debug=False)
