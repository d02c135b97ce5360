"""Commissary eligibility per PPL (V.H.2, XI.C.3): the windows in which each disciplinary
case suspends or restricts the commissary, as the Account last recorded them
(`CommissaryEffectChanged`), with the PPL's number and sector.

An eligibility changes with time (a suspension ends at midnight of its last day without
any new event), so nothing here stores a status: the status and its `until` are computed
when read, from the stored windows and the instant asked about, by the same function the
Account uses (`ledger.domain.effects.eligibility_at`)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from ledger.domain.account import Account
from ledger.domain.effects import eligibility_at
from ledger.domain.eligibility import Eligibility, EligibilityStatus
from ledger.domain.ids import account_id
from projections.base import Projection
from projections.local_time import stamp, unstamp
from projections.source import Recorded, topics
from projections.sql import Tx

WATCHED = frozenset(topics(Account.Admitted, Account.SectorChanged,
                           Account.CommissaryEffectChanged))


class CommissaryEligibility(Projection):
    name = "commissary_eligibility"
    watched = WATCHED
    tables = ("proj_eligibility_ppl", "proj_eligibility_windows")
    schema = ("""CREATE TABLE IF NOT EXISTS proj_eligibility_ppl (
        account_id TEXT PRIMARY KEY,
        number TEXT NOT NULL,
        sector TEXT NOT NULL
    )""", """CREATE TABLE IF NOT EXISTS proj_eligibility_windows (
        account_id TEXT NOT NULL,
        case_id TEXT NOT NULL,
        seq INTEGER NOT NULL,
        starts_at TEXT NOT NULL,
        ends_at TEXT,
        kind TEXT NOT NULL,
        money_limit_minor BIGINT,
        items_limit INTEGER,
        PRIMARY KEY (account_id, case_id, seq)
    )""")

    def apply(self, tx: Tx, batch: Sequence[Recorded]) -> None:
        admitted: list[tuple[str, str, str]] = []
        sectors: dict[str, str] = {}
        windows: dict[tuple[str, str], list[dict[str, Any]]] = {}
        for event in self.wanted(batch):
            account = str(event.originator_id)
            if isinstance(event, Account.Admitted):
                admitted.append((account, event.number, event.sector))
            elif isinstance(event, Account.SectorChanged):
                sectors[account] = event.sector
            else:
                windows[(account, event.case_id)] = event.windows  # the last one wins
        tx.executemany("INSERT INTO proj_eligibility_ppl (account_id, number, sector) "
                       "VALUES (%s, %s, %s)", admitted)
        tx.executemany("UPDATE proj_eligibility_ppl SET sector = %s WHERE account_id = %s",
                       [(sector, account) for account, sector in sectors.items()])
        tx.executemany("DELETE FROM proj_eligibility_windows WHERE account_id = %s "
                       "AND case_id = %s", list(windows))
        tx.executemany(
            "INSERT INTO proj_eligibility_windows (account_id, case_id, seq, starts_at, "
            "ends_at, kind, money_limit_minor, items_limit) "
            "VALUES (%s, %s, %s, %s, %s, %s, %s, %s)",
            [(account, case_id, seq, stamp(w["starts_at"]),
              stamp(w["ends_at"]) if w["ends_at"] is not None else None, w["kind"],
              w["money_limit_minor"], w["items_limit"])
             for (account, case_id), ws in windows.items() for seq, w in enumerate(ws)])


def _windows(rows: list[tuple[Any, ...]]) -> dict[str, dict[str, list[dict[str, Any]]]]:
    """account -> case -> windows, as the domain function takes them."""
    found: dict[str, dict[str, list[dict[str, Any]]]] = defaultdict(lambda: defaultdict(list))
    for account, case_id, starts, ends, kind, money, items in rows:
        found[account][case_id].append({
            "starts_at": unstamp(starts), "ends_at": unstamp(ends) if ends else None,
            "kind": kind, "money_limit_minor": None if money is None else int(money),
            "items_limit": None if items is None else int(items)})
    return found


_SELECT = ("SELECT account_id, case_id, starts_at, ends_at, kind, money_limit_minor, "
           "items_limit FROM proj_eligibility_windows")


def view(number: str, sector: str | None, answer: Eligibility, at: datetime,
         zone: ZoneInfo) -> dict[str, Any]:
    return {"penitentiary_number": number, "sector": sector,
            "at": at.astimezone(zone).isoformat(), "status": answer.status.value,
            "money_limit_minor": answer.money_limit_minor, "items_limit": answer.items_limit,
            "until": answer.until.astimezone(zone).isoformat() if answer.until else None,
            "case_ids": list(answer.case_ids)}


def eligibility_of(tx: Tx, number: str, at: datetime, zone: ZoneInfo) -> dict[str, Any] | None:
    """The PPL's eligibility at `at`; None when the projection does not know the PPL."""
    account = str(account_id(number))
    found = tx.fetchone("SELECT sector FROM proj_eligibility_ppl WHERE account_id = %s",
                        (account,))
    if found is None:
        return None
    by_case = _windows(tx.fetchall(_SELECT + " WHERE account_id = %s ORDER BY case_id, seq",
                                   (account,)))
    return view(number, found[0], eligibility_at(by_case.get(account, {}), at), at, zone)


def not_eligible(tx: Tx, at: datetime, zone: ZoneInfo) -> list[dict[str, Any]]:
    """Every PPL suspended or restricted at `at`, by sector and number."""
    rows = tx.fetchall(
        _SELECT + " WHERE account_id IN (SELECT account_id FROM proj_eligibility_windows "
        "WHERE starts_at <= %s AND (ends_at IS NULL OR ends_at > %s)) "
        "ORDER BY account_id, case_id, seq", (stamp(at), stamp(at)))
    people = dict(((a, (n, s)) for a, n, s in tx.fetchall_in(
        "SELECT account_id, number, sector FROM proj_eligibility_ppl WHERE account_id IN ({in})",
        sorted({r[0] for r in rows}))))
    answers = []
    for account, by_case in _windows(rows).items():
        answer = eligibility_at(by_case, at)
        if answer.status is not EligibilityStatus.ELIGIBLE:
            number, sector = people[account]
            answers.append(view(number, sector, answer, at, zone))
    return sorted(answers, key=lambda a: (a["sector"], a["penitentiary_number"]))


def eligibility_rows(tx: Tx) -> list[tuple[Any, ...]]:
    return (tx.fetchall("SELECT * FROM proj_eligibility_ppl ORDER BY account_id")
            + tx.fetchall("SELECT * FROM proj_eligibility_windows "
                          "ORDER BY account_id, case_id, seq"))
