"""The indigent list (III.D.16): PPL in the unit whose available funds are under a
threshold and who got no deposit for a number of days; the unit gives them hygiene
supplies. The projection keeps the facts per PPL (sector, status, available funds, last
deposit); the threshold and the days are applied when the list is read, so changing them
needs no rebuild. No names: the list is read by number and sector."""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from ledger.domain.account import Account, AccountStatus, ReleaseKind
from ledger.domain.postings import SubAccount, split_ppl_account
from projections.base import Projection
from projections.source import Recorded
from projections.sql import Tx

ACCOUNT_TOPIC = "ledger.domain.account:Account."
DEFAULT_THRESHOLD_MINOR = 500_00
DEFAULT_QUIET_DAYS = 30


@dataclass(frozen=True)
class IndigentSettings:
    """LEDGER_INDIGENT_THRESHOLD_MINOR (default 50000, i.e. 500.00 in the unit's currency)
    and LEDGER_INDIGENT_QUIET_DAYS (default 30)."""

    threshold_minor: int = DEFAULT_THRESHOLD_MINOR
    quiet_days: int = DEFAULT_QUIET_DAYS

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None) -> IndigentSettings:
        env = os.environ if environ is None else environ
        return cls(
            threshold_minor=int(env.get("LEDGER_INDIGENT_THRESHOLD_MINOR",
                                        DEFAULT_THRESHOLD_MINOR)),
            quiet_days=int(env.get("LEDGER_INDIGENT_QUIET_DAYS", DEFAULT_QUIET_DAYS)),
        )


def stamp(instant: datetime) -> str:
    """UTC, fixed width: compares as text in SQL."""
    return instant.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


@dataclass
class _Change:
    admitted: tuple[str, str, str] | None = None  # number, sector, admitted_at
    available_delta: int = 0
    last_deposit_at: str | None = None
    updates: dict[str, str] = field(default_factory=dict)  # sector / status


def _status_after(event: Any) -> str | None:
    if isinstance(event, Account.TransferredOut):
        return AccountStatus.TRANSFERRED.value
    if isinstance(event, Account.Released):
        return (AccountStatus.RELEASED.value if event.kind == ReleaseKind.DEFINITIVE
                else AccountStatus.TEMPORARILY_RELEASED.value)
    if isinstance(event, Account.ReturnedFromTemporaryRelease):
        return AccountStatus.ACTIVE.value
    return None


class Indigent(Projection):
    name = "indigent"
    tables = ("proj_indigent",)
    schema = ("""CREATE TABLE IF NOT EXISTS proj_indigent (
        account_id TEXT PRIMARY KEY,
        number TEXT NOT NULL,
        sector TEXT NOT NULL,
        status TEXT NOT NULL,
        admitted_at TEXT NOT NULL,
        available_minor BIGINT NOT NULL,
        last_deposit_at TEXT
    )""",)

    def wants(self, topic: str) -> bool:
        return topic.startswith(ACCOUNT_TOPIC)

    def apply(self, tx: Tx, batch: Sequence[Recorded]) -> None:
        changes: dict[str, _Change] = {}
        for recorded in batch:
            if recorded.topic.startswith(ACCOUNT_TOPIC):
                self._collect(changes, recorded.event)
        self._write(tx, changes)

    def _collect(self, changes: dict[str, _Change], event: Any) -> None:
        change = changes.setdefault(str(event.originator_id), _Change())
        if isinstance(event, Account.Admitted):
            change.admitted = (event.number, event.sector, stamp(event.admitted_at))
        elif isinstance(event, Account.SectorChanged):
            change.updates["sector"] = event.sector
        if isinstance(event, Account.MoneyEvent):
            for posting in event.postings:
                own = split_ppl_account(posting.account)
                if own is not None and own[1] is SubAccount.AVAILABLE:
                    change.available_delta -= posting.amount_minor
        if isinstance(event, Account.DepositReceived):
            change.last_deposit_at = stamp(event.timestamp)
        if (status := _status_after(event)) is not None:
            change.updates["status"] = status

    def _write(self, tx: Tx, changes: dict[str, _Change]) -> None:
        """A few statements per batch, each for every PPL the batch touched."""
        tx.executemany(
            "INSERT INTO proj_indigent (account_id, number, sector, status, admitted_at, "
            "available_minor, last_deposit_at) VALUES (%s, %s, %s, %s, %s, 0, NULL)",
            [(account_id, c.admitted[0], c.admitted[1], AccountStatus.ACTIVE.value,
              c.admitted[2]) for account_id, c in changes.items() if c.admitted])
        tx.executemany(
            "UPDATE proj_indigent SET available_minor = available_minor + %s "
            "WHERE account_id = %s",
            [(c.available_delta, a) for a, c in changes.items() if c.available_delta])
        tx.executemany(
            "UPDATE proj_indigent SET last_deposit_at = %s WHERE account_id = %s",
            [(c.last_deposit_at, a) for a, c in changes.items() if c.last_deposit_at])
        for column in ("sector", "status"):
            tx.executemany(
                f"UPDATE proj_indigent SET {column} = %s WHERE account_id = %s",  # noqa: S608
                [(c.updates[column], a) for a, c in changes.items() if column in c.updates])


def indigent_list(tx: Tx, settings: IndigentSettings, now: datetime) -> list[dict[str, Any]]:
    """Active PPL under the threshold with no deposit since `quiet_days` before `now`."""
    since = stamp(now - timedelta(days=settings.quiet_days))
    rows = tx.fetchall(
        "SELECT number, sector, available_minor, last_deposit_at FROM proj_indigent "
        "WHERE status = %s AND available_minor < %s "
        "AND (last_deposit_at IS NULL OR last_deposit_at < %s) ORDER BY sector, number",
        (AccountStatus.ACTIVE.value, settings.threshold_minor, since),
    )
    return [{"penitentiary_number": n, "sector": s, "available_minor": int(a),
             "last_deposit_at": last} for n, s, a, last in rows]


def indigent_rows(tx: Tx) -> list[tuple[Any, ...]]:
    return tx.fetchall("SELECT account_id, number, sector, status, admitted_at, "
                       "available_minor, last_deposit_at FROM proj_indigent ORDER BY account_id")
