"""The PPL account's rules, on the aggregate alone (no store)."""

from __future__ import annotations

from datetime import UTC, datetime
from uuid import uuid4

import pytest

from ledger.domain.account import Account, ReleaseKind
from ledger.domain.errors import Conflict, InsufficientFunds
from ledger.domain.money import Money
from ledger.domain.postings import Posting, SubAccount
from tests.factories import ADMIN

AT = datetime(2026, 11, 16, 12, tzinfo=UTC)


def new_account(number: str = "P-1") -> Account:
    return Account.admit(uuid4(), number=number, name="Juan", document="1",
                         document_fingerprint="f", sector="A", regime="cerrado", admitted_at=AT,
                         currency="UYU", actor=ADMIN, at=AT)


def uyu(minor: int) -> Money:
    return Money(minor, "UYU")


def deposit(account: Account, minor: int, *, clearing: bool = False) -> str:
    deposit_id = str(uuid4())
    account.receive_deposit(entry_id=str(uuid4()), deposit_id=deposit_id, depositor_id="d",
                            channel="cash_desk", needs_clearing=clearing, external_reference="",
                            amount=uyu(minor), month="2026-11", actor=ADMIN, at=AT)
    return deposit_id


def wage(account: Account, gross: int, period: str = "2026-W47", *, reserve_bp: int = 3000,
         recovery_bp: int = 2000) -> str:
    entry_id = str(uuid4())
    account.pay_wage(entry_id=entry_id, employer="Cocina", period=period, hours=30,
                     gross=uyu(gross), reserve_share_bp=reserve_bp, recovery_share_bp=recovery_bp,
                     actor=ADMIN, at=AT)
    return entry_id


def test_a_phone_recharge_beyond_available_funds_is_refused_and_records_nothing() -> None:
    account = new_account()
    deposit(account, 100)
    pending_before = len(account.pending_events)
    with pytest.raises(InsufficientFunds) as refused:
        account.recharge_phone_card(entry_id="e", amount=uyu(101), actor=ADMIN, at=AT)
    assert refused.value.context["shortfall_minor"] == 1
    assert len(account.pending_events) == pending_before
    assert account.balance(SubAccount.AVAILABLE) == uyu(100)


def test_a_wage_is_split_into_reserve_and_available_without_losing_a_cent() -> None:
    account = new_account()
    wage(account, 100_01)
    assert account.balances["reserve"] == 30_00  # 30% of 100.01 = 30.003 -> 30.00
    assert account.balances["available"] == 70_01
    event = account.pending_events[-1]
    assert sum(p.amount_minor for p in event.postings) == 0  # type: ignore[attr-defined]


def test_damage_is_recovered_proportionally_until_covered_and_never_overshoots() -> None:
    account = new_account()
    account.assess_damage(claim_id="c1", amount=uyu(250_00), reason="vidrio", reference="E1",
                          actor=ADMIN, at=AT)
    wage(account, 1000_00, "2026-W45")  # 20% = 200.00 recovered
    assert account.damage_outstanding_minor == 50_00
    wage(account, 1000_00, "2026-W46")  # only 50.00 still owed: never more
    assert account.damage_outstanding_minor == 0
    recovered = account.pending_events[-1].recoveries  # type: ignore[attr-defined]
    assert recovered == {"c1": 50_00}
    assert account.balances["reserve"] + account.balances["available"] == 2000_00 - 250_00


def test_the_same_wage_cannot_be_paid_twice() -> None:
    account = new_account()
    wage(account, 100_00)
    with pytest.raises(Conflict) as refused:
        wage(account, 100_00)
    assert refused.value.code == "wage_already_paid"


def test_reversing_a_wage_gives_back_the_damage_it_recovered_and_allows_paying_again() -> None:
    account = new_account()
    account.assess_damage(claim_id="c1", amount=uyu(100_00), reason="r", reference="E",
                          actor=ADMIN, at=AT)
    entry = wage(account, 200_00)
    assert account.damage_outstanding_minor == 60_00
    account.reverse_entry(entry_id="rev", original_entry_id=entry, reason="horas mal cargadas",
                          actor=ADMIN, at=AT)
    assert account.damage_outstanding_minor == 100_00
    assert account.balances["available"] == account.balances["reserve"] == 0
    wage(account, 150_00)


def test_a_correction_cannot_take_spent_money_below_zero() -> None:
    account = new_account()
    deposit_id = deposit(account, 100_00)
    entry = account.deposits[deposit_id]["entry_id"]
    account.recharge_phone_card(entry_id="p", amount=uyu(60_00), actor=ADMIN, at=AT)
    with pytest.raises(InsufficientFunds):
        account.reverse_entry(entry_id="rev", original_entry_id=entry, reason="error",
                              actor=ADMIN, at=AT)


def test_an_entry_is_reversed_once_and_a_reversal_is_never_reversed() -> None:
    account = new_account()
    entry = wage(account, 100_00)
    account.reverse_entry(entry_id="rev", original_entry_id=entry, reason="x", actor=ADMIN, at=AT)
    with pytest.raises(Conflict) as twice:
        account.reverse_entry(entry_id="rev2", original_entry_id=entry, reason="x", actor=ADMIN,
                              at=AT)
    assert twice.value.code == "entry_already_reversed"
    with pytest.raises(Conflict) as of_reversal:
        account.reverse_entry(entry_id="rev3", original_entry_id="rev", reason="x", actor=ADMIN,
                              at=AT)
    assert of_reversal.value.code == "entry_not_reversible"


def test_a_definitive_release_pays_out_every_balance_and_closes_the_account() -> None:
    account = new_account()
    deposit(account, 100_00)
    wage(account, 100_00)
    account.recharge_phone_card(entry_id="p", amount=uyu(10_00), actor=ADMIN, at=AT)
    account.take_cash_into_custody(entry_id="c", amount=uyu(5_00), reference="acta", actor=ADMIN,
                                   at=AT)
    account.release(entry_id="r", kind=ReleaseKind.DEFINITIVE, judge_order="Oficio 1",
                    court="Juzgado 3", nature="cumplimiento de pena", actor=ADMIN, at=AT)
    assert set(account.balances.values()) == {0}
    assert account.status == "released"
    payout = account.pending_events[-1].postings  # type: ignore[attr-defined]
    assert Posting("unit/trust_bank", -200_00) in payout
    assert Posting("unit/custody_safe", -5_00) in payout
    with pytest.raises(Conflict):
        deposit(account, 1)


def test_release_waits_for_pending_deposits_to_be_settled() -> None:
    account = new_account()
    deposit(account, 100_00, clearing=True)
    with pytest.raises(Conflict) as refused:
        account.release(entry_id="r", kind=ReleaseKind.DEFINITIVE, judge_order="o", court="c",
                        nature="n", actor=ADMIN, at=AT)
    assert refused.value.code == "funds_in_flight"


def test_a_temporary_release_pays_nothing_and_deposits_still_arrive() -> None:
    account = new_account()
    deposit(account, 100_00)
    account.release(entry_id="r", kind=ReleaseKind.TEMPORARY, judge_order="o", court="c",
                    nature="salida transitoria", actor=ADMIN, at=AT)
    deposit(account, 50_00)
    assert account.balances["available"] == 150_00
    account.return_from_temporary_release(ADMIN, AT)
    assert account.status == "active"


def test_a_transfer_carries_every_balance_out_of_this_unit() -> None:
    account = new_account()
    deposit(account, 100_00)
    wage(account, 100_00)
    account.transfer_out(entry_id="t", destination_unit="Unidad 4", reference="Res. 9",
                         actor=ADMIN, at=AT)
    assert set(account.balances.values()) == {0}
    assert account.status == "transferred"


def test_no_posting_may_touch_another_ppls_account() -> None:
    account = new_account("P-1")
    with pytest.raises(AssertionError):
        account._check_postings((Posting("ppl/P-2/available", -1), Posting("ppl/P-1/available", 1)))
