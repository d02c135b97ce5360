"""The read side's own connections to the event store's database (SQLite file or
PostgreSQL schema, from the same LEDGER_DATABASE_URL), with explicit transactions.

SQL is written once with %s placeholders; SQLite gets them as ?. A write transaction on
SQLite starts with BEGIN IMMEDIATE, so two runners never interleave their batches."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from psycopg_pool import ConnectionPool

from ledger.infrastructure.database import Database


class Tx:
    """One cursor inside one transaction (or one read)."""

    def __init__(self, cursor: Any, kind: str) -> None:
        self._cursor = cursor
        self.kind = kind

    def _sql(self, statement: str) -> str:
        return statement if self.kind == "postgres" else statement.replace("%s", "?")

    def execute(self, statement: str, params: Sequence[Any] = ()) -> int:
        self._cursor.execute(self._sql(statement), tuple(params))
        return int(self._cursor.rowcount or 0)

    def executemany(self, statement: str, rows: Sequence[Sequence[Any]]) -> None:
        if rows:
            self._cursor.executemany(self._sql(statement), [tuple(r) for r in rows])

    def fetchone(self, statement: str, params: Sequence[Any] = ()) -> tuple[Any, ...] | None:
        self._cursor.execute(self._sql(statement), tuple(params))
        row = self._cursor.fetchone()
        return tuple(row) if row is not None else None

    def fetchall(self, statement: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        self._cursor.execute(self._sql(statement), tuple(params))
        return [tuple(r) for r in self._cursor.fetchall()]

    def fetchall_in(self, statement: str, values: Sequence[Any],
                    chunk: int = 500) -> list[tuple[Any, ...]]:
        """Rows for `values` in chunks (SQLite's limit on bound parameters): `statement`
        holds one `{in}` where the placeholders go, e.g. `WHERE id IN ({in})`."""
        rows: list[tuple[Any, ...]] = []
        for start in range(0, len(values), chunk):
            part = list(values[start:start + chunk])
            rows += self.fetchall(statement.format(**{"in": ", ".join(["%s"] * len(part))}),
                                  part)
        return rows


class ViewDatabase:
    """Opened lazily: a process that never reads a projection never connects."""

    def __init__(self, database: Database) -> None:
        self.database = database
        self.kind = database.kind
        self._local = threading.local()
        self._pool: ConnectionPool | None = None
        self._lock = threading.Lock()

    def close(self) -> None:
        if self._pool is not None:
            self._pool.close()
            self._pool = None

    def _postgres(self) -> ConnectionPool:
        with self._lock:
            if self._pool is None:
                self._pool = ConnectionPool(self.database.conninfo(), min_size=1, max_size=4,
                                            open=True)
            return self._pool

    def _sqlite(self) -> sqlite3.Connection:
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = sqlite3.connect(self.database.sqlite_path, timeout=30, isolation_level=None)
            conn.execute("PRAGMA journal_mode=WAL")
            self._local.conn = conn
        return conn

    @contextmanager
    def transaction(self) -> Iterator[Tx]:
        """All or nothing: commits when the block ends, rolls back if it raises."""
        if self.kind == "postgres":
            with self._postgres().connection() as conn, conn.transaction(), conn.cursor() as cur:
                yield Tx(cur, self.kind)
            return
        lite = self._sqlite()
        lite_cursor = lite.cursor()
        lite_cursor.execute("BEGIN IMMEDIATE")
        try:
            yield Tx(lite_cursor, self.kind)
        except BaseException:
            lite.rollback()
            raise
        lite.commit()

    @contextmanager
    def reading(self) -> Iterator[Tx]:
        """A consistent read of several statements: one snapshot (PostgreSQL: repeatable
        read, read only; SQLite: one read transaction in WAL mode)."""
        if self.kind == "postgres":
            with self._postgres().connection() as conn, conn.transaction(), conn.cursor() as cur:
                cur.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
                yield Tx(cur, self.kind)
            return
        lite = self._sqlite()
        reader = lite.cursor()
        reader.execute("BEGIN")
        try:
            yield Tx(reader, self.kind)
        finally:
            lite.rollback()
