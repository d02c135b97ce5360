"""The general ledger: per account and day, the debits and credits posted (sums of the
postings of every money event). The day is the calendar day in the unit's time zone in
force at the event's time (the Unit aggregate's `settings_at`)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from ledger.application.store import LedgerStore
from ledger.domain.ids import unit_id
from ledger.domain.unit import UnitSettings
from projections.base import Projection
from projections.source import Recorded, carries_postings
from projections.sql import Tx


class GeneralLedger(Projection):
    name = "general_ledger"
    tables = ("proj_general_ledger",)
    schema = ("""CREATE TABLE IF NOT EXISTS proj_general_ledger (
        account TEXT NOT NULL,
        day TEXT NOT NULL,
        debits_minor BIGINT NOT NULL,
        credits_minor BIGINT NOT NULL,
        postings INTEGER NOT NULL,
        PRIMARY KEY (account, day)
    )""",)

    def __init__(self, store: LedgerStore) -> None:
        self.store = store

    def _day_of(self) -> Any:
        unit = self.store.find(unit_id())

        def day_of(instant: datetime) -> str:
            settings = unit.settings_at(instant) if unit is not None else UnitSettings()
            return instant.astimezone(settings.zone()).date().isoformat()

        return day_of

    def apply(self, tx: Tx, batch: Sequence[Recorded]) -> None:
        day_of = self._day_of()
        sums: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0, 0])
        for recorded in batch:
            if not carries_postings(recorded.topic):
                continue
            day = day_of(recorded.event.timestamp)
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


def ledger_rows(tx: Tx) -> list[tuple[Any, ...]]:
    return tx.fetchall("SELECT account, day, debits_minor, credits_minor, postings "
                       "FROM proj_general_ledger ORDER BY account, day")
