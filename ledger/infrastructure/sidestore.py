"""Plain tables beside the event store, in the same database: sign-in sessions and
per-person keys. They hold no money and nothing the ledger must replay.

SQL is written once with %s placeholders; SQLite gets them as ?."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import psycopg
from psycopg_pool import ConnectionPool

from ledger.infrastructure.database import Database

_SCHEMA = [
    """CREATE TABLE IF NOT EXISTS person_keys (
        person_id TEXT PRIMARY KEY,
        wrapped_key TEXT NOT NULL
    )""",
    """CREATE TABLE IF NOT EXISTS api_sessions (
        token_hash TEXT PRIMARY KEY,
        user_id TEXT NOT NULL,
        username TEXT NOT NULL,
        role TEXT NOT NULL,
        depositor_id TEXT,
        expires_at TEXT NOT NULL
    )""",
]


class SideStore:
    def __init__(self, database: Database) -> None:
        self.database = database
        self._local = threading.local()
        self._pool: ConnectionPool | None = None
        if database.kind == "postgres":
            conninfo = database.conninfo()
            if database.schema:
                with psycopg.connect(conninfo, autocommit=True) as conn:
                    conn.execute(f'CREATE SCHEMA IF NOT EXISTS "{database.schema}"')
            self._pool = ConnectionPool(conninfo, min_size=1, max_size=4, open=True)
        for statement in _SCHEMA:
            self.execute(statement)

    def close(self) -> None:
        if self._pool is not None:
            self._pool.close()

    @contextmanager
    def _cursor(self) -> Iterator[Any]:
        if self._pool is not None:
            with self._pool.connection() as conn, conn.cursor() as cur:
                yield cur
            return
        lite: sqlite3.Connection | None = getattr(self._local, "conn", None)
        if lite is None:
            lite = sqlite3.connect(self.database.sqlite_path, timeout=10, isolation_level=None)
            lite.execute("PRAGMA journal_mode=WAL")
            self._local.conn = lite
        yield lite.cursor()

    def _sql(self, statement: str) -> str:
        return statement if self._pool is not None else statement.replace("%s", "?")

    def execute(self, statement: str, params: Sequence[Any] = ()) -> int:
        with self._cursor() as cur:
            cur.execute(self._sql(statement), tuple(params))
            return int(cur.rowcount or 0)

    def fetchone(self, statement: str, params: Sequence[Any] = ()) -> tuple[Any, ...] | None:
        with self._cursor() as cur:
            cur.execute(self._sql(statement), tuple(params))
            row = cur.fetchone()
            return tuple(row) if row is not None else None

    def fetchall(self, statement: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        with self._cursor() as cur:
            cur.execute(self._sql(statement), tuple(params))
            return [tuple(r) for r in cur.fetchall()]
