"""Baseline (a): the bare stack. A minimal Litestar endpoint that does one INSERT per
request through an async psycopg pool, served by the same uvicorn settings as the real
API. Nothing of the ledger: this is what HTTP + one committed write costs here.

`uvicorn --factory load_tests.bare_app:create_app` with LEDGER_BENCH_PG_URL and
LEDGER_BENCH_SCHEMA in the environment."""

from __future__ import annotations

import json
import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from litestar import Litestar, Request, get, post
from psycopg_pool import AsyncConnectionPool

from load_tests.population import _conninfo

TABLE = """CREATE TABLE IF NOT EXISTS bare_inserts (
    id BIGSERIAL PRIMARY KEY,
    at TIMESTAMPTZ NOT NULL DEFAULT now(),
    body JSONB NOT NULL
)"""


@get("/health", sync_to_thread=False)
def health() -> dict[str, str]:
    return {"status": "ok"}


@post("/insert")
async def insert(request: Request[Any, Any, Any]) -> dict[str, Any]:
    """One INSERT, one transaction (autocommit), one answer."""
    body = await request.json()
    pool: AsyncConnectionPool = request.app.state.pool
    async with pool.connection() as conn:
        cursor = await conn.execute("INSERT INTO bare_inserts (body) VALUES (%s) RETURNING id",
                                    (json.dumps(body),))
        row = await cursor.fetchone()
    return {"id": row[0] if row else None}


def create_app() -> Litestar:
    url = os.environ["LEDGER_BENCH_PG_URL"]
    schema = os.environ["LEDGER_BENCH_SCHEMA"]
    conninfo = _conninfo(url) + f" options='-c search_path={schema}'"

    @asynccontextmanager
    async def lifespan(app: Litestar) -> AsyncIterator[None]:
        pool = AsyncConnectionPool(conninfo, min_size=4, max_size=20, open=False,
                                   kwargs={"autocommit": True})
        await pool.open()
        async with pool.connection() as conn:
            await conn.execute(f'CREATE SCHEMA IF NOT EXISTS "{schema}"')
            await conn.execute(TABLE)
        app.state.pool = pool
        try:
            yield
        finally:
            await pool.close()

    return Litestar(route_handlers=[health, insert], lifespan=[lifespan], debug=False)
