"""Random histories: whatever the sequence of commands, the books balance.

- the trial balance over every account is zero;
- every PPL sub-balance equals the credit-normal sum of its postings;
- no sub-balance is ever negative;
- a refused command records nothing;
- replaying the recorded events rebuilds exactly the live state.
"""

from __future__ import annotations

import contextlib
from collections import Counter
from datetime import UTC, datetime
from typing import Any
from uuid import uuid4

from hypothesis import given, settings
from hypothesis import strategies as st

from ledger.domain.account import Account, ReleaseKind
from ledger.domain.errors import LedgerError
from ledger.domain.limits import MonthlyLimits
from ledger.domain.money import Money
from tests.factories import ADMIN

AT = datetime(2026, 11, 16, 12, tzinfo=UTC)
NUMBERS = ("P-1", "P-2", "P-3")

amounts = st.integers(min_value=1, max_value=500_00)
command = st.one_of(
    st.tuples(st.just("deposit"), st.sampled_from(NUMBERS), amounts, st.booleans()),
    st.tuples(st.just("settle"), st.sampled_from(NUMBERS), st.integers(0, 50), st.booleans()),
    st.tuples(st.just("wage"), st.sampled_from(NUMBERS), amounts, st.integers(1, 53)),
    st.tuples(st.just("damage"), st.sampled_from(NUMBERS), amounts, st.none()),
    st.tuples(st.just("phone"), st.sampled_from(NUMBERS), amounts, st.none()),
    st.tuples(st.just("custody"), st.sampled_from(NUMBERS), amounts, st.booleans()),
    st.tuples(st.just("reverse"), st.sampled_from(NUMBERS), st.integers(0, 50), st.none()),
    st.tuples(st.just("release"), st.sampled_from(NUMBERS), st.just(0), st.booleans()),
    st.tuples(st.just("order"), st.sampled_from(NUMBERS), amounts, st.integers(1, 6)),
    st.tuples(st.just("fulfil"), st.sampled_from(NUMBERS), st.integers(0, 50),
              st.sampled_from(["full", "part", "cancel"])),
    st.tuples(st.just("refund"), st.sampled_from(NUMBERS), amounts, st.none()),
)
LIMITS = MonthlyLimits(money_minor=2000_00, items=30, money_source="unit",
                       items_source="unit")


def apply(account: Account, op: tuple[Any, ...]) -> None:
    kind, _, amount, flag = op
    money = Money(amount, "UYU")
    entry = str(uuid4())
    if kind == "deposit":
        account.receive_deposit(entry_id=entry, deposit_id=str(uuid4()), depositor_id="d",
                                channel="x", needs_clearing=flag, external_reference="",
                                amount=money, month="2026-11", actor=ADMIN, at=AT)
    elif kind == "settle":
        pending = [d for d, v in account.deposits.items() if v["state"] == "pending"]
        if pending:
            chosen = pending[amount % len(pending)]
            if flag:
                account.clear_deposit(entry_id=entry, deposit_id=chosen, actor=ADMIN, at=AT)
            else:
                account.reject_deposit(entry_id=entry, deposit_id=chosen, reason="r",
                                       month="2026-11", actor=ADMIN, at=AT)
    elif kind == "wage":
        account.pay_wage(entry_id=entry, employer="Cocina", period=f"2026-W{flag:02d}", hours=1,
                         gross=money, reserve_share_bp=3333, recovery_share_bp=2500,
                         actor=ADMIN, at=AT)
    elif kind == "damage":
        account.assess_damage(claim_id=entry, amount=money, reason="r", reference="x",
                              actor=ADMIN, at=AT)
    elif kind == "phone":
        account.recharge_phone_card(entry_id=entry, amount=money, actor=ADMIN, at=AT)
    elif kind == "custody":
        if flag:
            account.take_cash_into_custody(entry_id=entry, amount=money, reference="a",
                                           actor=ADMIN, at=AT)
        else:
            account.credit_custody(entry_id=entry, amount=money, actor=ADMIN, at=AT)
    elif kind == "reverse":
        entries = list(account.entries)
        if entries:
            account.reverse_entry(entry_id=entry, original_entry_id=entries[amount % len(entries)],
                                  reason="r", actor=ADMIN, at=AT)
    elif kind == "order":
        account.place_order(entry_id=entry, order_id=str(uuid4()), amount=money, items=flag,
                            month="2026-11", delivery_date=None, limits=LIMITS, actor=ADMIN,
                            at=AT)
    elif kind == "fulfil":
        open_orders = list(account.open_orders)
        if open_orders:
            order_id = open_orders[amount % len(open_orders)]
            total = _held_by(account, order_id)
            delivered = {"full": total, "part": total // 2, "cancel": 0}[flag]
            account.settle_order(entry_id=entry, order_id=order_id, outcome=flag,
                                 delivered_minor=delivered, released_minor=total - delivered,
                                 released_items=0, actor=ADMIN, at=AT)
    elif kind == "refund":
        account.refund_commissary(entry_id=entry, order_id="o", refund_id=entry, amount=money,
                                  items=1, month="2026-11", restores_consumption=False,
                                  actor=ADMIN, at=AT)
    elif kind == "release":
        if account.status == "temporarily_released":
            account.return_from_temporary_release(ADMIN, AT)
        else:
            account.release(entry_id=entry, kind=ReleaseKind.DEFINITIVE if flag
                            else ReleaseKind.TEMPORARY, judge_order="o", court="c", nature="n",
                            actor=ADMIN, at=AT)


def _held_by(account: Account, order_id: str) -> int:
    for event in account.pending_events:
        if getattr(event, "order_id", None) == order_id and type(event).__name__ == "OrderPlaced":
            return int(event.amount_minor)  # type: ignore[attr-defined]
    raise AssertionError(order_id)


@settings(max_examples=150, deadline=None)
@given(st.lists(command, min_size=1, max_size=60))
def test_random_histories_keep_the_books_balanced(ops: list[tuple[Any, ...]]) -> None:
    accounts = {
        n: Account.admit(uuid4(), number=n, name=n, document=n, document_fingerprint=n,
                         sector="A", regime="cerrado", admitted_at=AT, currency="UYU",
                         actor=ADMIN, at=AT)
        for n in NUMBERS
    }
    for op in ops:
        account = accounts[op[1]]
        recorded = len(account.pending_events)
        try:
            apply(account, op)
        except LedgerError:
            assert len(account.pending_events) == recorded, "a refused command recorded events"
        assert min(account.balances.values()) >= 0

    ledger_totals: Counter[str] = Counter()
    for account in accounts.values():
        for event in account.pending_events:
            for posting in getattr(event, "postings", []):
                ledger_totals[posting.account] += posting.amount_minor
    assert sum(ledger_totals.values()) == 0, "trial balance is not zero"
    # Money in the bank = what the PPL and the unit's payables are owed (CHART_OF_ACCOUNTS).
    owed = sum(-v for k, v in ledger_totals.items()
               if k.split("/")[-1] in ("available", "reserve", "phone", "held")
               or k in ("unit/contractor_payable", "unit/damage_recoveries"))
    assert ledger_totals.get("unit/trust_bank", 0) == owed

    for number, account in accounts.items():
        for sub, balance in account.balances.items():
            assert balance == -ledger_totals.get(f"ppl/{number}/{sub}", 0)
        replayed = None
        for event in account.pending_events:
            replayed = event.mutate(replayed)
        assert replayed is not None
        assert replayed.balances == account.balances
        assert replayed.damage_claims == account.damage_claims
        assert replayed.status == account.status
        assert replayed.commissary_by_month == account.commissary_by_month


def test_the_random_histories_reach_every_kind_of_money_event() -> None:
    """Guards the property test itself: its commands must produce each kind of entry."""
    seen: set[str] = set()

    @settings(max_examples=150, deadline=None)
    @given(st.lists(command, min_size=20, max_size=60))
    def collect(ops: list[tuple[Any, ...]]) -> None:
        accounts = {n: Account.admit(uuid4(), number=n, name=n, document=n,
                                     document_fingerprint=n, sector="A", regime="cerrado",
                                     admitted_at=AT, currency="UYU", actor=ADMIN, at=AT)
                    for n in NUMBERS}
        for op in ops:
            with contextlib.suppress(LedgerError):
                apply(accounts[op[1]], op)
        for account in accounts.values():
            seen.update(entry["kind"] for entry in account.entries.values())

    collect()
    assert seen >= {"deposit", "deposit_cleared", "deposit_rejected", "wage", "phone_recharge",
                    "custody_intake", "custody_credit", "reversal", "release",
                    "commissary_order", "commissary_settlement", "commissary_refund"}
