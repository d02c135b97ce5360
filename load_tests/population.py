"""A fresh unit for a load run: its own PostgreSQL schema and key file, N PPL with funds,
one depositor per PPL, one user per actor of the scenarios, POS terminals with their
keys, a price list, and (for the delivery run) one order per PPL for its next delivery.

Everything is written through the application services (the same door the API uses), so
the store holds exactly what a real unit would."""

from __future__ import annotations

import base64
import json
import os
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any

import psycopg
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from ledger.application.bootstrap import Ledger, bootstrap
from ledger.domain.actor import Actor, Role
from ledger.domain.unit import UnitSettings
from ledger.infrastructure.config import Settings
from ledger.infrastructure.database import Database
from ledger.infrastructure.keys import create_key_file
from pos_terminal.signing import public_key_b64

DEFAULT_PG_URL = "postgresql://postgres@127.0.0.1:5432/test"
PASSWORD = "carga-de-prueba-2026"
SETUP = Actor.system("load-setup")
INITIAL_FUNDS_MINOR = 2_000_000  # what each PPL starts with, deposited at the cash desk
# Cheap Argon2 for the load users only (sign-in is not what is measured).
CHEAP_ARGON2 = {"LEDGER_PASSWORD_TIME_COST": "1", "LEDGER_PASSWORD_MEMORY_KIB": "1024"}

# One user per actor of the scenarios (username -> role).
USERS = {
    "load-clerk": Role.CLERK,
    "load-desk": Role.DEPOSIT_DESK,
    "load-payroll": Role.PAYROLL_OFFICER,
    "load-auditor": Role.AUDITOR,
    "load-admin": Role.FINANCE_ADMIN,
    "load-contractor": Role.CONTRACTOR,
}


def pg_url() -> str:
    return os.environ.get("LEDGER_LOAD_PG_URL",
                          os.environ.get("LEDGER_TEST_PG_URL", DEFAULT_PG_URL))


# (code, name, category, price in minor units, item units, container)
PRODUCTS = [
    ("YERBA1K", "Yerba 1 kg", "food_no_cooking", 21_000, 1, "paper"),
    ("GALLETAS", "Galletas", "food_no_cooking", 4_500, 1, "cellophane"),
    ("JABON", "Jabón de tocador", "hygiene", 3_900, 1, "paper"),
    ("PASTADENT", "Pasta dental", "hygiene", 8_200, 1, "plastic"),
    ("MEDIAS", "Medias", "underwear", 12_000, 1, "none"),
]


def load_unit_settings() -> UnitSettings:
    """The unit's rules for a load run, loosened so that volume alone is never refused:
    no monthly deposit caps (the single-deposit maximum stays), a high monthly commissary
    limit, and the counter open all day (walk-up sales at any hour of the run)."""
    return replace(UnitSettings(name="Unidad de carga"),
                   deposit_cap_per_ppl_month_minor=None,
                   deposit_cap_per_depositor_month_minor=None,
                   commissary_month_limit_minor=1_000_000_000,
                   commissary_month_item_limit=1_000_000,
                   opening_hours=[["00:00", "23:59:59"]])


@dataclass
class Population:
    database_url: str
    key_file: str
    schema: str
    numbers: list[str] = field(default_factory=list)
    depositor_ids: list[str] = field(default_factory=list)
    users: dict[str, str] = field(default_factory=dict)  # username -> role
    terminals: dict[str, str] = field(default_factory=dict)  # terminal id -> private key
    products: list[str] = field(default_factory=list)
    orders: list[str] = field(default_factory=list)  # open orders, one per PPL
    password: str = PASSWORD
    initial_funds_minor: int = INITIAL_FUNDS_MINOR

    def settings(self, **overrides: Any) -> Settings:
        """In-process settings. Batched commits unless told otherwise, whatever the
        environment says: building a unit (every order of a sector writes its delivery
        run) is set-up, not what is measured."""
        return Settings(database_url=self.database_url, key_file=Path(self.key_file),
                        password_time_cost=1, password_memory_kib=1024,
                        **{"batch_commits": True, **overrides})

    def server_env(self, **extra: str) -> dict[str, str]:
        return {"LEDGER_DATABASE_URL": self.database_url, "LEDGER_KEY_FILE": self.key_file,
                **CHEAP_ARGON2, **extra}

    def terminal_key(self, terminal_id: str) -> Ed25519PrivateKey:
        return Ed25519PrivateKey.from_private_bytes(base64.b64decode(self.terminals[terminal_id]))

    def save(self, path: Path) -> None:
        path.write_text(json.dumps(asdict(self), indent=1))

    @classmethod
    def load(cls, path: Path) -> Population:
        return cls(**json.loads(path.read_text()))


def _conninfo(url: str) -> str:
    return Database.from_url(url).conninfo()


def create(workdir: Path, *, ppl: int, terminals: int = 8, orders_for: int = 0,
           base_url: str | None = None,
           settings_overrides: dict[str, Any] | None = None) -> Population:
    """A new store and key file under `workdir` (a schema of PostgreSQL, or a SQLite file
    when `base_url` is `sqlite`), loaded with `ppl` funded PPL, and an open order for the
    first `orders_for` of them."""
    workdir.mkdir(parents=True, exist_ok=True)
    key_file = workdir / "keys.json"
    if not key_file.exists():
        create_key_file(key_file)
    schema = f"load_{uuid.uuid4().hex[:10]}"
    base = base_url or pg_url()
    url = (f"sqlite:///{workdir / schema}.sqlite3" if base.startswith("sqlite")
           else f"{base}?schema={schema}")
    population = Population(database_url=url, key_file=str(key_file), schema=schema)
    ledger = bootstrap(population.settings(**(settings_overrides or {})))
    try:
        fill(ledger, population, ppl, terminals)
        if orders_for:
            place_orders(ledger, population, population.numbers[:orders_for])
    except BaseException:
        ledger.close()
        drop(population)  # a unit half built is of no use to anyone
        raise
    ledger.close()
    return population


def fill(ledger: Ledger, population: Population, ppl: int, terminals: int = 8) -> None:
    ledger.unit.configure(load_unit_settings(), SETUP)
    for username, role in USERS.items():
        ledger.users.create(username=username, password=population.password, role=role.value,
                            actor=SETUP)
        population.users[username] = role.value
    for n in range(1, terminals + 1):
        key = Ed25519PrivateKey.generate()
        terminal_id = f"POS-{n:03d}"
        ledger.terminals.register(terminal_id=terminal_id, name=f"Caja {n}",
                                  public_key=public_key_b64(key), actor=SETUP, request=None)
        raw = key.private_bytes(serialization.Encoding.Raw, serialization.PrivateFormat.Raw,
                                serialization.NoEncryption())
        population.terminals[terminal_id] = base64.b64encode(raw).decode()
    for code, name, category, price, units, container in PRODUCTS:
        ledger.price_list.list_product(code=code, name=name, category=category,
                                       unit_price_minor=price, item_units=units,
                                       container=container, contains_alcohol=False,
                                       made_by_ppl=False, effective_at=None, actor=SETUP,
                                       request=None)
        population.products.append(code)
    numbers = [f"L-{n:05d}" for n in range(1, ppl + 1)]

    def one(number: str) -> str:
        ledger.admissions.admit(number=number, name=f"Persona {number}",
                                document=f"DOC-{number}", sector="AB"[int(number[2:]) % 2],
                                regime="semiabierto", admitted_at=None, actor=SETUP,
                                request=None)
        depositor = ledger.depositors.register(
            name=f"Familia {number}", document=f"FAM-{number}", relation="madre",
            contact="", actor=SETUP, request=None).body["depositor_id"]
        ledger.deposits.record(number=number, depositor_id=depositor,
                               amount_minor=population.initial_funds_minor, currency="UYU",
                               channel="cash_desk", external_reference="apertura",
                               actor=SETUP, request=None)
        return str(depositor)

    with ThreadPoolExecutor(max_workers=8) as pool:
        population.depositor_ids = list(pool.map(one, numbers))
    population.numbers = numbers


ORDER_LINES = [{"product_code": "YERBA1K", "quantity": 1},
               {"product_code": "JABON", "quantity": 2}]
CLERK_SETUP = Actor(user_id="load-setup-clerk", role=Role.CLERK)


def place_orders(ledger: Ledger, population: Population, numbers: list[str]) -> None:
    """One order per PPL of `numbers` for its next delivery: what the run confirms."""

    def one(number: str) -> str:
        outcome = ledger.commissary.place_order(number=number, lines=ORDER_LINES,
                                                actor=CLERK_SETUP, request=None)
        return str(outcome.body["order_id"])

    with ThreadPoolExecutor(max_workers=8) as pool:
        population.orders = list(pool.map(one, numbers))


def drop(population: Population) -> None:
    """Removes the run's schema or SQLite file, and its key file."""
    Path(population.key_file).unlink(missing_ok=True)
    if population.database_url.startswith("sqlite"):
        Path(population.database_url.removeprefix("sqlite:///")).unlink(missing_ok=True)
        return
    base = population.database_url.split("?", 1)[0]
    with psycopg.connect(_conninfo(base), autocommit=True) as conn:
        conn.execute(f'DROP SCHEMA IF EXISTS "{population.schema}" CASCADE')
