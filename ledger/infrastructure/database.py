"""Which store: one URL picks SQLite (embedded default) or PostgreSQL (production).

It yields the environment for eventsourcing and a small SQL helper for the side tables
that are not events (sign-in sessions, per-person keys)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlparse

import psycopg

from ledger.infrastructure.keys import UnitKeys

# Every statement the ledger sends is short: a few rows by primary key. With a prepared
# statement's generic plan PostgreSQL guesses thousands of rows for `id = ANY(...)`, then
# starts two parallel workers and JIT-compiles the plan: 10-100 ms for a 30-row read that
# takes 0.3 ms without them (measured, docs/PERFORMANCE.md). So our sessions turn both off.
SESSION_OPTIONS = "-c jit=off -c max_parallel_workers_per_gather=0"


@dataclass(frozen=True)
class Database:
    kind: str  # "sqlite" or "postgres"
    sqlite_path: str = ""
    host: str = ""
    port: int = 5432
    user: str = ""
    password: str = ""
    dbname: str = ""
    schema: str = ""

    @classmethod
    def from_url(cls, url: str) -> Database:
        parsed = urlparse(url)
        if parsed.scheme == "sqlite":
            # sqlite:///relative/path or sqlite:////absolute/path
            path = unquote(parsed.path[1:] if parsed.path.startswith("/") else parsed.path)
            if not path:
                raise ValueError("sqlite URL needs a file path, e.g. sqlite:///var/ledger.sqlite3")
            return cls(kind="sqlite", sqlite_path=path)
        if parsed.scheme in ("postgresql", "postgres"):
            query = parse_qs(parsed.query)
            return cls(
                kind="postgres",
                host=parsed.hostname or "127.0.0.1",
                port=parsed.port or 5432,
                user=unquote(parsed.username or "postgres"),
                password=unquote(parsed.password or ""),
                dbname=(parsed.path or "/postgres")[1:] or "postgres",
                schema=query.get("schema", [""])[0],
            )
        raise ValueError(f"unsupported database URL scheme {parsed.scheme!r}")

    def conninfo(self) -> str:
        """libpq connection string for our own pools: the unit's schema first on the
        search path, and SESSION_OPTIONS."""
        search = f" -c search_path={self.schema}" if self.schema else ""
        return psycopg.conninfo.make_conninfo(
            host=self.host, port=self.port, user=self.user, password=self.password or None,
            dbname=self.dbname, options=f"{SESSION_OPTIONS}{search}")

    def eventsourcing_env(self, keys: UnitKeys, *, cache_size: int) -> dict[str, str]:
        env = {
            "CIPHER_TOPIC": "eventsourcing.cryptography:AESCipher",
            "CIPHER_KEY": keys.cipher_key,
            "COMPRESSOR_TOPIC": "eventsourcing.compressor:ZlibCompressor",
            "IS_SNAPSHOTTING_ENABLED": "y",
            "AGGREGATE_CACHE_MAXSIZE": str(cache_size),
        }
        if self.kind == "sqlite":
            Path(self.sqlite_path).parent.mkdir(parents=True, exist_ok=True)
            env.update(
                PERSISTENCE_MODULE="eventsourcing.sqlite",
                SQLITE_DBNAME=self.sqlite_path,
                SQLITE_LOCK_TIMEOUT="10",
            )
        else:
            env.update(
                PERSISTENCE_MODULE="eventsourcing.postgres",
                POSTGRES_DBNAME=self.dbname,
                POSTGRES_HOST=self.host,
                POSTGRES_PORT=str(self.port),
                POSTGRES_USER=self.user,
                POSTGRES_PASSWORD=self.password,
                POSTGRES_POOL_SIZE="10",
                POSTGRES_MAX_OVERFLOW="10",
                POSTGRES_LOCK_TIMEOUT="5",
            )
            if self.schema:
                env["POSTGRES_SCHEMA"] = self.schema
            # eventsourcing's pool takes no connection options; libpq reads PGOPTIONS.
            if SESSION_OPTIONS not in os.environ.get("PGOPTIONS", ""):
                os.environ["PGOPTIONS"] = f"{os.environ.get('PGOPTIONS', '')} {SESSION_OPTIONS}"
        return env
