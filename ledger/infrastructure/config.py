"""Settings from the environment. One setting picks the store: LEDGER_DATABASE_URL."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

DEFAULT_DATABASE_URL = "sqlite:///var/ledger.sqlite3"
DEFAULT_KEY_FILE = "var/keys.json"


@dataclass(frozen=True)
class Settings:
    database_url: str = DEFAULT_DATABASE_URL
    key_file: Path = Path(DEFAULT_KEY_FILE)
    session_hours: int = 12
    # Production sets this so session cookies carry the Secure flag.
    secure_cookies: bool = False
    aggregate_cache_size: int = 10_000
    # Argon2id cost. The defaults are the library's recommended strong settings; tests
    # pass cheaper ones through the same door, never production.
    password_time_cost: int = 3
    password_memory_kib: int = 65_536
    # Group commit (ledger/application/batching.py): concurrent commands share one
    # transaction. The window is how long a leader waits for more before deciding.
    batch_commits: bool = field(default_factory=lambda: _batch_commits(os.environ))
    batch_window_ms: float = 0.0

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None) -> Settings:
        env = dict(os.environ if environ is None else environ)
        return cls(
            database_url=env.get("LEDGER_DATABASE_URL", DEFAULT_DATABASE_URL),
            key_file=Path(env.get("LEDGER_KEY_FILE", DEFAULT_KEY_FILE)),
            session_hours=int(env.get("LEDGER_SESSION_HOURS", "12")),
            secure_cookies=env.get("LEDGER_SECURE_COOKIES", "") in ("1", "true", "yes"),
            aggregate_cache_size=int(env.get("LEDGER_AGGREGATE_CACHE_SIZE", "10000")),
            password_time_cost=int(env.get("LEDGER_PASSWORD_TIME_COST", "3")),
            password_memory_kib=int(env.get("LEDGER_PASSWORD_MEMORY_KIB", "65536")),
            batch_commits=_batch_commits(env),
            batch_window_ms=float(env.get("LEDGER_BATCH_WINDOW_MS", "0")),
        )


def _batch_commits(env: dict[str, str] | os._Environ[str]) -> bool:
    """On unless LEDGER_BATCH_COMMITS says 0/false/no (so `LEDGER_BATCH_COMMITS=0
    scripts/test` runs the whole suite one command per transaction)."""
    return env.get("LEDGER_BATCH_COMMITS", "1").lower() not in ("0", "false", "no")
