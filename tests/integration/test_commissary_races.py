"""Races on PostgreSQL: a sanction against a sale, and two terminals against the same
funds. Whatever the interleaving, no sale is recorded after a sanction took effect, and
no order spends money that is not there."""

from __future__ import annotations

import threading
from datetime import UTC, datetime
from typing import Any

import pytest

from ledger.application.bootstrap import Ledger
from ledger.domain.account import Account
from ledger.domain.errors import Forbidden, InsufficientFunds, LedgerError
from ledger.domain.ids import account_id
from tests.commissary_factories import OFFICER, list_product, order
from tests.factories import ManualClock, admit, fund

MONDAY = datetime(2026, 11, 16, 13, 0, tzinfo=UTC)


def run_together(*actions: Any) -> list[Any]:
    results: list[Any] = [None] * len(actions)
    barrier = threading.Barrier(len(actions))

    def run(i: int, action: Any) -> None:
        barrier.wait()
        try:
            results[i] = action()
        except LedgerError as error:
            results[i] = error

    threads = [threading.Thread(target=run, args=(i, a)) for i, a in enumerate(actions)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


@pytest.mark.postgres_only
def test_a_sale_racing_a_sanction_is_never_recorded_after_the_sanction(
    ledger: Ledger, second_ledger: Ledger, clock: ManualClock,
) -> None:
    clock.set(MONDAY)
    list_product(ledger, "GALL-01", 10_00)
    outcomes = {"sold_before": 0, "refused": 0}
    for round_ in range(12):
        number = admit(ledger, f"R-{round_}")
        fund(ledger, number, 100_00)
        case = ledger.discipline.open_case(
            ppl=[number], offence_class="serious", facts="pelea en el patio",
            reporting_officer="Operador", occurred_at=MONDAY.isoformat(), actor=OFFICER,
            request=None).body
        sanction, sale = run_together(
            lambda n=number, c=case: ledger.discipline.impose_preventive(
                case_id=c["case_id"], number=n, effect="suspension", reason="riesgo",
                actor=OFFICER, request=None),
            lambda n=number: order(second_ledger, n, GALL_01=1),  # another server process
        )
        assert not isinstance(sanction, LedgerError), sanction
        kinds = [type(e).__name__ for e in ledger.ctx.store.events.get(account_id(number))]
        effect_at = kinds.index("CommissaryEffectChanged")
        if isinstance(sale, Forbidden):
            assert sale.code == "commissary_suspended"
            assert "OrderPlaced" not in kinds
            outcomes["refused"] += 1
        else:
            assert not isinstance(sale, LedgerError), sale
            assert kinds.index("OrderPlaced") < effect_at, "a sale was recorded after the sanction"
            outcomes["sold_before"] += 1
        # Whatever happened, the very next sale is refused.
        with pytest.raises(Forbidden):
            ledger.commissary.place_order(number=number, lines=[{"product_code": "GALL-01",
                                                                 "quantity": 1}],
                                          actor=OFFICER, request=None)
    assert sum(outcomes.values()) == 12


@pytest.mark.postgres_only
def test_two_terminals_spending_the_same_funds_never_overspend(
    ledger: Ledger, second_ledger: Ledger, clock: ManualClock,
) -> None:
    clock.set(datetime(2026, 11, 16, 16, 30, tzinfo=UTC))  # 13:30: the counter is open
    list_product(ledger, "RADIO-1", 600_00, name="Radio a pilas", category="other")
    lines = [{"product_code": "RADIO-1", "quantity": 1}]
    for round_ in range(8):
        number = admit(ledger, f"T-{round_}")
        fund(ledger, number, 1000_00)
        # One terminal books the weekly order while another sells at the counter.
        results = run_together(
            lambda n=number: ledger.commissary.place_order(
                number=n, lines=lines, actor=OFFICER, request=None),
            lambda n=number: second_ledger.commissary.walk_up_sale(
                number=n, lines=lines, actor=OFFICER, request=None),
        )
        wins = [r for r in results if not isinstance(r, LedgerError)]
        losses = [r for r in results if isinstance(r, LedgerError)]
        assert len(wins) == 1 and len(losses) == 1, results
        assert isinstance(losses[0], InsufficientFunds)
        account: Account = ledger.ctx.account(number)
        assert account.balances["available"] == 400_00
        assert account.balances["held"] in (0, 600_00)  # held if the order won, else sold
