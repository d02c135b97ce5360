"""Every stored event is encrypted; a missing or wrong key stops start-up."""

from __future__ import annotations

from pathlib import Path

import psycopg
import pytest

from ledger.application.bootstrap import Ledger, bootstrap
from ledger.infrastructure.config import Settings
from ledger.infrastructure.database import Database
from ledger.infrastructure.keys import KeyFileError, create_key_file
from tests.factories import admit, deposit, register_depositor

NAME = "Florencia Etcheverry"
DOCUMENT = "4.987.654-3"
DEPOSITOR = "Graciela Etcheverry"
AMOUNT = 4_876_543


def raw_rows(database_url: str) -> list[bytes]:
    db = Database.from_url(database_url)
    rows: list[bytes] = []
    if db.kind == "sqlite":
        import sqlite3

        with sqlite3.connect(db.sqlite_path) as conn:
            tables = [r[0] for r in conn.execute(
                "SELECT name FROM sqlite_master WHERE type='table'")]
            for table in tables:
                for row in conn.execute(f"SELECT * FROM {table}"):
                    rows.append(repr(row).encode())
    else:
        with psycopg.connect(host=db.host, port=db.port, user=db.user, dbname=db.dbname) as conn:
            tables = [r[0] for r in conn.execute(
                "SELECT table_name FROM information_schema.tables WHERE table_schema = %s",
                (db.schema,))]
            for table in tables:
                for row in conn.execute(f'SELECT * FROM "{db.schema}"."{table}"'):
                    rows.append(b"|".join(bytes(c) if isinstance(c, (bytes, memoryview))
                                          else str(c).encode() for c in row))
    return rows


def test_the_raw_tables_hold_no_name_document_or_amount_in_clear(
    ledger: Ledger, settings: Settings
) -> None:
    number = admit(ledger, "P-77", name=NAME, document=DOCUMENT)
    depositor = register_depositor(ledger, "5.555.555-5", name=DEPOSITOR)
    deposit(ledger, number, depositor, AMOUNT)
    rows = raw_rows(settings.database_url)
    assert len(rows) > 3
    blob = b"\n".join(rows)
    for secret in (NAME, DOCUMENT, DEPOSITOR, "5.555.555-5", str(AMOUNT), "Etcheverry"):
        assert secret.encode() not in blob, f"{secret!r} found in clear"
    assert ledger.statements.balances(number)["balances"]["available"] == AMOUNT


def test_a_missing_key_file_stops_start_up_with_a_clear_message(settings: Settings,
                                                                 tmp_path: Path) -> None:
    with pytest.raises(KeyFileError, match="No key file"):
        bootstrap(Settings(database_url=settings.database_url, key_file=tmp_path / "none.json"))


def test_a_wrong_key_stops_start_up_and_never_falls_back_to_plaintext(
    ledger: Ledger, settings: Settings, tmp_path: Path
) -> None:
    admit(ledger)
    other = tmp_path / "other-keys.json"
    create_key_file(other)
    with pytest.raises(KeyFileError, match="does not open this store"):
        bootstrap(Settings(database_url=settings.database_url, key_file=other))


def test_a_damaged_key_file_is_refused(settings: Settings, tmp_path: Path) -> None:
    damaged = tmp_path / "damaged.json"
    damaged.write_text('{"cipher_key": "short"}')
    with pytest.raises(KeyFileError, match="damaged or incomplete"):
        bootstrap(Settings(database_url=settings.database_url, key_file=damaged))
