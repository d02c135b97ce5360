"""Every store-backed test runs on SQLite and on PostgreSQL.

PostgreSQL comes from LEDGER_TEST_PG_URL (scripts/test starts a throwaway cluster when
none answers). A PostgreSQL that cannot be reached is a failure, never a skip; set
LEDGER_TEST_STORES=sqlite to leave it out on purpose."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest

from ledger.application.bootstrap import Ledger, bootstrap
from ledger.domain.unit import UnitSettings
from ledger.infrastructure.config import Settings
from ledger.infrastructure.keys import create_key_file
from tests.factories import ADMIN, ManualClock

PG_URL = os.environ.get("LEDGER_TEST_PG_URL", "postgresql://postgres@127.0.0.1:5432/test")
STORES = [s for s in os.environ.get("LEDGER_TEST_STORES", "sqlite,postgres").split(",") if s]


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "store_kind" in metafunc.fixturenames:
        kinds = ["postgres"] if metafunc.definition.get_closest_marker("postgres_only") else STORES
        metafunc.parametrize("store_kind", kinds, scope="function")


@pytest.fixture(scope="session")
def key_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("keys") / "keys.json"
    create_key_file(path)
    return path


@pytest.fixture(scope="session")
def postgres_available() -> str:
    try:
        with psycopg.connect(_conninfo(PG_URL), connect_timeout=5) as conn:
            conn.execute("SELECT 1")
    except psycopg.OperationalError as error:
        pytest.fail(f"PostgreSQL at {PG_URL} cannot be reached ({error}); run the tests "
                    "with scripts/test, which starts one, or set LEDGER_TEST_STORES=sqlite")
    return PG_URL


def _conninfo(url: str) -> str:
    from ledger.infrastructure.database import Database

    return Database.from_url(url).conninfo()


@pytest.fixture
def database_url(store_kind: str, tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[str]:
    if store_kind == "sqlite":
        yield f"sqlite:///{tmp_path / 'ledger.sqlite3'}"
        return
    base = request.getfixturevalue("postgres_available")
    schema = f"t_{uuid.uuid4().hex[:12]}"
    yield f"{base}?schema={schema}"
    with psycopg.connect(_conninfo(base), autocommit=True) as conn:
        conn.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')


@pytest.fixture
def settings(database_url: str, key_file: Path) -> Settings:
    # Cheap Argon2 for speed; the strong defaults are kept in production settings.
    return Settings(database_url=database_url, key_file=key_file, password_time_cost=1,
                    password_memory_kib=1024)


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock()


@pytest.fixture
def ledger(settings: Settings, clock: ManualClock) -> Iterator[Ledger]:
    built = bootstrap(settings, clock=clock)
    built.unit.configure(UnitSettings(name="Unidad de prueba"), ADMIN)
    yield built
    built.close()


@pytest.fixture
def second_ledger(ledger: Ledger, settings: Settings, clock: ManualClock) -> Iterator[Ledger]:
    """Another server process on the same store: its own caches, its own commit batcher.
    Races between `ledger` and `second_ledger` are decided by the database alone."""
    built = bootstrap(settings, clock=clock)
    yield built
    built.close()


def event_count(ledger: Ledger) -> int:
    return ledger.ctx.store.event_count()
