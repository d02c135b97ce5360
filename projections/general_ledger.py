"""The general ledger: per account and day, the debits and credits posted (sums of the
postings of every money event). The day is the calendar day in the unit's time zone in
force at the event's time (the Unit aggregate's `settings_at`).

A second table keeps, per day, the first and last log position of the money events booked
on it: a reader that needs one day's events (the trial balance as of an instant, the
monthly report) reads only that stretch of the log."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from ledger.application.store import LedgerStore
from projections.base import Projection
from projections.local_time import day_of_factory
from projections.source import Recorded, carries_postings
from projections.sql import Tx


class GeneralLedger(Projection):
    name = "general_ledger"
    tables = ("proj_general_ledger", "proj_general_ledger_days")
    schema = ("""CREATE TABLE IF NOT EXISTS proj_general_ledger (
        account TEXT NOT NULL,
        day TEXT NOT NULL,
        debits_minor BIGINT NOT NULL,
        credits_minor BIGINT NOT NULL,
        postings INTEGER NOT NULL,
        PRIMARY KEY (account, day)
    )""", """CREATE TABLE IF NOT EXISTS proj_general_ledger_days (
        day TEXT PRIMARY KEY,
        first_position BIGINT NOT NULL,
        last_position BIGINT NOT NULL,
        events INTEGER NOT NULL
    )""")

    def __init__(self, store: LedgerStore) -> None:
        self.store = store

    def create(self, tx: Tx) -> None:
        """Creates the tables; a general ledger kept before the days table existed is
        emptied and its position set to zero, so the runner rebuilds both together."""
        super().create(tx)
        has_rows = tx.fetchone("SELECT 1 FROM proj_general_ledger LIMIT 1") is not None
        has_days = tx.fetchone("SELECT 1 FROM proj_general_ledger_days LIMIT 1") is not None
        if has_rows and not has_days:
            self.reset(tx)
            tx.execute("UPDATE projection_positions SET position = 0 WHERE name = %s",
                       (self.name,))

    def wants(self, topic: str) -> bool:
        return carries_postings(topic)

    def apply(self, tx: Tx, batch: Sequence[Recorded]) -> None:
        day_of = day_of_factory(self.store)
        sums: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0, 0])
        days: dict[str, list[int]] = {}
        for recorded in batch:
            if not carries_postings(recorded.topic):
                continue
            day = day_of(recorded.event.timestamp)
            span = days.setdefault(day, [recorded.position, recorded.position, 0])
            span[1] = recorded.position
            span[2] += 1
            for posting in recorded.event.postings:
                row = sums[(posting.account, day)]
                row[0 if posting.amount_minor > 0 else 1] += abs(posting.amount_minor)
                row[2] += 1
        tx.executemany(
            "INSERT INTO proj_general_ledger (account, day, debits_minor, credits_minor, postings) "
            "VALUES (%s, %s, %s, %s, %s) ON CONFLICT (account, day) DO UPDATE SET "
            "debits_minor = proj_general_ledger.debits_minor + excluded.debits_minor, "
            "credits_minor = proj_general_ledger.credits_minor + excluded.credits_minor, "
            "postings = proj_general_ledger.postings + excluded.postings",
            [(account, day, *row) for (account, day), row in sorted(sums.items())],
        )
        tx.executemany(
            "INSERT INTO proj_general_ledger_days (day, first_position, last_position, events) "
            "VALUES (%s, %s, %s, %s) ON CONFLICT (day) DO UPDATE SET "
            "first_position = proj_general_ledger_days.first_position, "
            "last_position = excluded.last_position, "
            "events = proj_general_ledger_days.events + excluded.events",
            [(day, *span) for day, span in sorted(days.items())],
        )


def ledger_rows(tx: Tx) -> list[tuple[Any, ...]]:
    return tx.fetchall("SELECT account, day, debits_minor, credits_minor, postings "
                       "FROM proj_general_ledger ORDER BY account, day")


def day_rows(tx: Tx) -> list[tuple[Any, ...]]:
    return tx.fetchall("SELECT day, first_position, last_position, events "
                       "FROM proj_general_ledger_days ORDER BY day")


def span_of_days(tx: Tx, first: str, last: str) -> tuple[int, int] | None:
    """The first and last log positions of the money events booked on days first..last
    (inclusive, YYYY-MM-DD), as far as the projection has processed; None if none."""
    row = tx.fetchone("SELECT MIN(first_position), MAX(last_position) "
                      "FROM proj_general_ledger_days WHERE day >= %s AND day <= %s",
                      (first, last))
    if row is None or row[0] is None:
        return None
    return int(row[0]), int(row[1])


def sums_before(tx: Tx, day: str) -> dict[str, int]:
    """Signed sum (+ debit, - credit) per account of the days before `day`."""
    rows = tx.fetchall("SELECT account, SUM(debits_minor) - SUM(credits_minor) "
                       "FROM proj_general_ledger WHERE day < %s GROUP BY account", (day,))
    return {account: int(amount) for account, amount in rows}


def movements(tx: Tx, first: str, last: str, account_like: str) -> dict[str, tuple[int, int]]:
    """Debits and credits per account matching `account_like` (SQL LIKE) on days
    first..last inclusive."""
    rows = tx.fetchall("SELECT account, SUM(debits_minor), SUM(credits_minor) "
                       "FROM proj_general_ledger WHERE day >= %s AND day <= %s "
                       "AND account LIKE %s GROUP BY account", (first, last, account_like))
    return {account: (int(d), int(c)) for account, d, c in rows}
