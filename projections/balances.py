"""Balances per PPL and sub-account (available, reserve, phone, held, custody, pending),
summed from the postings of every money event. A PPL sub-account is a liability: its
balance is credits minus debits."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from ledger.domain.postings import split_ppl_account
from projections.base import Projection
from projections.source import Recorded, carries_postings
from projections.sql import Tx


class Balances(Projection):
    name = "balances"
    tables = ("proj_balances",)
    schema = ("""CREATE TABLE IF NOT EXISTS proj_balances (
        number TEXT NOT NULL,
        sub_account TEXT NOT NULL,
        balance_minor BIGINT NOT NULL,
        PRIMARY KEY (number, sub_account)
    )""",)

    def wants(self, topic: str) -> bool:
        return carries_postings(topic)

    def apply(self, tx: Tx, batch: Sequence[Recorded]) -> None:
        deltas: dict[tuple[str, str], int] = defaultdict(int)
        for recorded in batch:
            if not carries_postings(recorded.topic):
                continue
            for posting in recorded.event.postings:
                own = split_ppl_account(posting.account)
                if own is not None:
                    deltas[(own[0], own[1].value)] -= posting.amount_minor
        tx.executemany(
            "INSERT INTO proj_balances (number, sub_account, balance_minor) VALUES (%s, %s, %s) "
            "ON CONFLICT (number, sub_account) DO UPDATE "
            "SET balance_minor = proj_balances.balance_minor + excluded.balance_minor",
            [(number, sub, delta) for (number, sub), delta in sorted(deltas.items())],
        )


def balances_of(tx: Tx, number: str) -> dict[str, int]:
    rows = tx.fetchall("SELECT sub_account, balance_minor FROM proj_balances WHERE number = %s",
                       (number,))
    return {sub: int(amount) for sub, amount in rows}


def all_balances(tx: Tx) -> list[tuple[Any, ...]]:
    return tx.fetchall("SELECT number, sub_account, balance_minor FROM proj_balances "
                       "ORDER BY number, sub_account")
