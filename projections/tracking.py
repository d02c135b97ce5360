"""Each runner's position: the last notification id its projection has processed.

One row per projection. A batch claims the row (FOR UPDATE on PostgreSQL; SQLite's
BEGIN IMMEDIATE already holds the write lock), checks nobody advanced it meanwhile,
writes, and moves the position in the same transaction."""

from __future__ import annotations

from projections.sql import Tx, ViewDatabase

SCHEMA = """CREATE TABLE IF NOT EXISTS projection_positions (
    name TEXT PRIMARY KEY,
    position BIGINT NOT NULL
)"""


def ensure(tx: Tx, name: str) -> None:
    tx.execute(SCHEMA)
    tx.execute("INSERT INTO projection_positions (name, position) VALUES (%s, 0) "
               "ON CONFLICT (name) DO NOTHING", (name,))


def position(views: ViewDatabase, name: str) -> int:
    with views.reading() as tx:
        row = tx.fetchone("SELECT position FROM projection_positions WHERE name = %s", (name,))
    return int(row[0]) if row else 0


def claim(tx: Tx, name: str) -> int:
    lock = " FOR UPDATE" if tx.kind == "postgres" else ""
    row = tx.fetchone("SELECT position FROM projection_positions WHERE name = %s" + lock,
                      (name,))
    if row is None:
        raise LookupError(f"projection {name} has no position row")
    return int(row[0])


def advance(tx: Tx, name: str, to: int) -> None:
    tx.execute("UPDATE projection_positions SET position = %s WHERE name = %s", (to, name))
