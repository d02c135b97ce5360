"""Deposits: who may deposit, how much, into which account, and when money is spendable."""

from __future__ import annotations

import pytest

from ledger.application.bootstrap import Ledger
from ledger.domain.errors import Conflict, Forbidden, InsufficientFunds, InvalidInput
from tests.conftest import event_count
from tests.factories import ADMIN, admit, deposit, register_depositor


def test_cash_deposit_is_spendable_at_once(ledger: Ledger) -> None:
    number = admit(ledger)
    depositor = register_depositor(ledger)
    receipt = deposit(ledger, number, depositor, 150_00)
    assert receipt["state"] == "cleared"
    assert "balances" not in receipt  # a receipt never shows the PPL's balance
    assert ledger.statements.balances(number)["balances"]["available"] == 150_00


def test_bank_transfer_is_pending_visible_and_not_spendable_until_cleared(ledger: Ledger) -> None:
    number = admit(ledger)
    depositor = register_depositor(ledger)
    receipt = deposit(ledger, number, depositor, 200_00, channel="bank_transfer")
    balances = ledger.statements.balances(number)["balances"]
    assert receipt["state"] == "pending"
    assert balances["pending"] == 200_00 and balances["available"] == 0
    with pytest.raises(InsufficientFunds):
        ledger.funds.recharge_phone_card(number=number, amount_minor=1, currency="UYU",
                                         actor=ADMIN, request=None)
    ledger.deposits.clear(number=number, deposit_id=receipt["deposit_id"], actor=ADMIN,
                          request=None)
    balances = ledger.statements.balances(number)["balances"]
    assert balances == {**balances, "pending": 0, "available": 200_00}


def test_rejected_deposit_vanishes_and_cannot_be_cleared_later(ledger: Ledger) -> None:
    number = admit(ledger)
    depositor = register_depositor(ledger)
    receipt = deposit(ledger, number, depositor, 200_00, channel="money_order")
    ledger.deposits.reject(number=number, deposit_id=receipt["deposit_id"], reason="giro devuelto",
                           actor=ADMIN, request=None)
    assert ledger.statements.balances(number)["balances"]["pending"] == 0
    with pytest.raises(Conflict) as refused:
        ledger.deposits.clear(number=number, deposit_id=receipt["deposit_id"], actor=ADMIN,
                              request=None)
    assert refused.value.code == "deposit_not_pending"


def test_blocked_depositor_is_refused_and_nothing_is_recorded(ledger: Ledger) -> None:
    number = admit(ledger)
    depositor = register_depositor(ledger)
    ledger.depositors.block(depositor, "sospecha de maniobra", ADMIN, None)
    before = event_count(ledger)
    with pytest.raises(Forbidden) as refused:
        deposit(ledger, number, depositor, 100_00)
    assert refused.value.code == "depositor_blocked"
    assert event_count(ledger) == before


def test_a_ppl_of_the_unit_cannot_deposit_to_another_ppl(ledger: Ledger) -> None:
    admit(ledger, "P-1", document="1.111.111-1")
    admit(ledger, "P-2", document="2.222.222-2")
    # The same document registered as a depositor: the person is held in the unit.
    depositor = register_depositor(ledger, document="2222222-2")
    with pytest.raises(Forbidden) as refused:
        deposit(ledger, "P-1", depositor, 100_00)
    assert refused.value.code == "depositor_is_ppl"


def test_deposit_to_a_released_account_is_refused(ledger: Ledger) -> None:
    number = admit(ledger)
    depositor = register_depositor(ledger)
    ledger.admissions.release(number, kind="definitive", judge_order="Oficio 12/2026",
                              court="Juzgado Penal 3°", nature="cumplimiento de pena",
                              actor=ADMIN, request=None)
    before = event_count(ledger)
    with pytest.raises(Conflict) as refused:
        deposit(ledger, number, depositor, 100_00)
    assert refused.value.code == "account_closed"
    assert event_count(ledger) == before


def test_monthly_cap_per_ppl_counts_every_depositor(ledger: Ledger) -> None:
    ledger.unit.change({"deposit_cap_per_ppl_month_minor": 300_00,
                        "deposit_max_single_minor": None}, "tope más bajo", ADMIN, None)
    number = admit(ledger)
    first = register_depositor(ledger, "A-1")
    second = register_depositor(ledger, "A-2")
    deposit(ledger, number, first, 200_00)
    deposit(ledger, number, second, 100_00)
    with pytest.raises(InvalidInput) as refused:
        deposit(ledger, number, second, 1)
    assert refused.value.code == "deposit_cap_exceeded"


def test_monthly_cap_resets_on_the_first_of_the_month_in_the_unit_time_zone(
    ledger: Ledger, clock: object
) -> None:
    from datetime import UTC, datetime

    ledger.unit.change({"deposit_cap_per_ppl_month_minor": 100_00}, "tope", ADMIN, None)
    number = admit(ledger)
    depositor = register_depositor(ledger)
    # 02:59 UTC on 1 Dec is still 30 Nov 23:59 in Montevideo (UTC-3).
    clock.set(datetime(2026, 12, 1, 2, 59, tzinfo=UTC))  # type: ignore[attr-defined]
    deposit(ledger, number, depositor, 100_00)
    with pytest.raises(InvalidInput):
        deposit(ledger, number, depositor, 1)
    clock.set(datetime(2026, 12, 1, 3, 0, tzinfo=UTC))  # type: ignore[attr-defined]
    deposit(ledger, number, depositor, 100_00)


def test_depositor_cap_follows_the_depositor_across_ppl(ledger: Ledger) -> None:
    admit(ledger, "P-1")
    admit(ledger, "P-2")
    depositor = register_depositor(ledger)
    ledger.depositors.set_monthly_cap(depositor, 150_00, ADMIN, None)
    deposit(ledger, "P-1", depositor, 100_00)
    with pytest.raises(InvalidInput) as refused:
        deposit(ledger, "P-2", depositor, 60_00)
    assert refused.value.code == "deposit_cap_exceeded"


def test_a_rejected_deposit_gives_back_its_room_under_the_cap(ledger: Ledger) -> None:
    ledger.unit.change({"deposit_cap_per_ppl_month_minor": 100_00}, "tope", ADMIN, None)
    number = admit(ledger)
    depositor = register_depositor(ledger)
    receipt = deposit(ledger, number, depositor, 100_00, channel="bank_transfer")
    ledger.deposits.reject(number=number, deposit_id=receipt["deposit_id"], reason="rebotó",
                           actor=ADMIN, request=None)
    deposit(ledger, number, depositor, 100_00)


def test_single_deposit_over_the_unit_maximum_is_refused(ledger: Ledger) -> None:
    number = admit(ledger)
    depositor = register_depositor(ledger)
    with pytest.raises(InvalidInput) as refused:
        deposit(ledger, number, depositor, 5_000_001)
    assert refused.value.code == "deposit_over_single_limit"


def test_a_depositor_registers_once_per_document(ledger: Ledger) -> None:
    register_depositor(ledger, "4.444.444-4")
    with pytest.raises(Conflict) as refused:
        register_depositor(ledger, "44444444")
    assert refused.value.code == "depositor_already_registered"
