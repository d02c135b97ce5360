"""Two terminals spending the same funds at once: exactly one wins."""

from __future__ import annotations

import threading

import pytest

from ledger.application.bootstrap import Ledger
from ledger.domain.errors import InsufficientFunds, LedgerError
from tests.factories import CLERK, admit, fund


def race(ledgers: list[Ledger], attempts: int,
         amount: int) -> tuple[list[object], list[LedgerError]]:
    wins: list[object] = []
    losses: list[LedgerError] = []
    barrier = threading.Barrier(attempts)

    def spend(ledger: Ledger) -> None:
        barrier.wait()
        try:
            wins.append(ledger.funds.recharge_phone_card(
                number="P-1", amount_minor=amount, currency="UYU", actor=CLERK, request=None))
        except LedgerError as error:
            losses.append(error)

    # Threads alternate between two server processes' ledgers on the same store.
    threads = [threading.Thread(target=spend, args=(ledgers[i % len(ledgers)],))
               for i in range(attempts)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return wins, losses


@pytest.mark.postgres_only
def test_two_requests_spending_the_same_funds_on_postgres_exactly_one_wins(
    ledger: Ledger, second_ledger: Ledger,
) -> None:
    admit(ledger, "P-1")
    fund(ledger, "P-1", 100_00)
    for _ in range(5):  # several rounds: the race must be won by one, every time
        wins, losses = race([ledger, second_ledger], 2, 100_00)
        assert len(wins) == 1 and len(losses) == 1
        assert isinstance(losses[0], InsufficientFunds)
        fund(ledger, "P-1", 100_00, document=f"round-{len(wins)}-{id(wins)}")
    assert ledger.statements.balances("P-1")["balances"]["phone"] == 500_00


def test_many_terminals_racing_never_spend_more_than_there_is(
    ledger: Ledger, second_ledger: Ledger,
) -> None:
    admit(ledger, "P-1")
    fund(ledger, "P-1", 300_00)
    wins, losses = race([ledger, second_ledger], 8, 100_00)
    assert len(wins) == 3 and len(losses) == 5
    assert all(isinstance(e, InsufficientFunds) for e in losses)
    balances = ledger.statements.balances("P-1")["balances"]
    assert balances["available"] == 0 and balances["phone"] == 300_00
