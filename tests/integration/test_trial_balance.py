"""The unit's trial balance, from the history: zero at every instant, the PPL side backed
by the trust bank, clearing and safe, and a past instant shows the books as they stood."""

from __future__ import annotations

from contextlib import suppress
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ledger.application.bootstrap import Ledger
from ledger.application.trial_balance import TrialBalance, fast_postings_as_of, postings_as_of
from ledger.domain.errors import InvalidInput, LedgerError
from ledger.domain.ids import account_id
from tests.factories import ADMIN, PAYROLL, ManualClock, admit, deposit, fund, register_depositor
from tests.integration.commissary_story import commissary_history, local
from tests.integration.test_projections import tables, varied_history


def test_the_trial_balance_of_a_varied_history_is_zero_and_every_relation_holds(
        ledger: Ledger, clock: ManualClock) -> None:
    varied_history(ledger, clock)
    report = TrialBalance(ledger.ctx).as_of()
    assert report["balanced"] and report["difference_minor"] == 0
    assert report["debits_minor"] == report["credits_minor"] > 0
    assert all(r["matches"] for r in report["relations"])
    bank = next(r for r in report["relations"] if r["asset"] == "trust_bank")
    ppl = report["ppl_side"]
    payables = (report["unit_accounts"]["unit/contractor_payable"]
                + report["unit_accounts"]["unit/damage_recoveries"])
    assert bank["asset_minor"] == (ppl["available"] + ppl["reserve"] + ppl["phone"]
                                   + ppl["held"] + payables)
    assert report["unit_accounts"]["unit/damage_recoveries"] > 0  # P-4's wage recovered some


def test_a_past_instant_shows_the_books_as_they_stood_then(ledger: Ledger,
                                                           clock: ManualClock) -> None:
    admit(ledger, "P-1")
    clock.set(datetime(2026, 11, 30, 20, 0, tzinfo=UTC))  # 17:00 on the 30th in Montevideo
    fund(ledger, "P-1", 400_00)
    clock.set(datetime(2026, 12, 1, 12, 0, tzinfo=UTC))
    fund(ledger, "P-1", 100_00, document="9.999.999-9")
    month_end = TrialBalance(ledger.ctx).as_of("2026-11-30")
    assert month_end["ppl_side"]["available"] == 400_00
    assert month_end["as_of"] == "2026-11-30T23:59:59.999999-03:00"
    assert TrialBalance(ledger.ctx).as_of()["ppl_side"]["available"] == 500_00
    before = TrialBalance(ledger.ctx).as_of("2026-11-30T19:59:59+00:00")
    assert before["ppl_side"]["total_minor"] == 0 and before["accounts"] == []


def test_an_instant_without_its_offset_is_refused(ledger: Ledger) -> None:
    with pytest.raises(InvalidInput) as refused:
        TrialBalance(ledger.ctx).as_of("2026-11-30T12:00:00")
    assert refused.value.code == "instant_invalid"


OPERATIONS = st.lists(st.tuples(
    st.sampled_from(["cash", "transfer", "clear", "reject", "wage", "phone", "custody",
                     "reverse", "damage"]),
    st.integers(min_value=0, max_value=2), st.integers(min_value=1, max_value=90_000),
), min_size=1, max_size=12)


@settings(max_examples=12, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(operations=OPERATIONS)
def test_any_history_keeps_the_trial_balance_zero_and_the_projections_equal_to_it(
        ledger: Ledger, clock: ManualClock, operations: list[tuple[str, int, int]]) -> None:
    numbers = [f"H-{i}" for i in range(3)]
    if ledger.ctx.store.find(account_id(numbers[0])) is None:  # first example on this store
        for number in numbers:
            admit(ledger, number, document=f"DOC-{number}")
        ledger.unit.change({"deposit_cap_per_ppl_month_minor": None,
                            "deposit_cap_per_depositor_month_minor": None}, "sin topes", ADMIN,
                           None)
    depositor = register_depositor(ledger, f"D-{clock.advance(minutes=1).timestamp()}")
    last: dict[str, str] = {}
    for kind, who, amount in operations:
        number = numbers[who]
        clock.advance(hours=5)
        with suppress(LedgerError):  # a refused operation records nothing
            last.update(_operate(ledger, kind, number, amount, depositor, last))
    report = TrialBalance(ledger.ctx).as_of()
    assert report["balanced"], report
    ledger.read_side.catch_up_all()
    general: dict[str, int] = {}
    for account, _, debits, credits, _ in tables(ledger)["general_ledger"]:
        general[account] = general.get(account, 0) + int(debits) - int(credits)
    assert {a: v for a, v in general.items() if v} == {
        row["account"]: row["balance_minor"] for row in report["accounts"]}
    for number, sub, amount in tables(ledger)["balances"]:
        assert ledger.ctx.account(number).balances[sub] == amount


def _operate(ledger: Ledger, kind: str, number: str, amount: int, depositor: str,
             last: dict[str, str]) -> dict[str, str]:
    if kind in ("cash", "transfer"):
        body = deposit(ledger, number, depositor, amount,
                       channel="cash_desk" if kind == "cash" else "bank_transfer")
        return {f"deposit:{number}": body["deposit_id"]}
    if kind in ("clear", "reject") and f"deposit:{number}" in last:
        deposit_id = last[f"deposit:{number}"]
        if kind == "clear":
            ledger.deposits.clear(number=number, deposit_id=deposit_id, actor=ADMIN,
                                  request=None)
        else:
            ledger.deposits.reject(number=number, deposit_id=deposit_id, reason="devuelto",
                                   actor=ADMIN, request=None)
        return {}
    if kind == "wage":
        body = ledger.funds.pay_wage(number=number, employer="cocina",
                                     period=f"2026-W{amount % 52 + 1:02d}", hours=10,
                                     gross_minor=amount, currency="UYU", actor=PAYROLL,
                                     request=None).body
        return {f"entry:{number}": body["entry_id"]}
    if kind == "reverse" and f"entry:{number}" in last:
        ledger.funds.reverse_entry(number=number, original_entry_id=last[f"entry:{number}"],
                                   reason="corrección", actor=ADMIN, request=None)
        return {}
    if kind == "phone":
        ledger.funds.recharge_phone_card(number=number, amount_minor=amount, currency="UYU",
                                         actor=ADMIN, request=None)
    elif kind == "custody":
        ledger.funds.take_cash_into_custody(number=number, amount_minor=amount,
                                            currency="UYU", reference="acta", actor=ADMIN,
                                            request=None)
        ledger.funds.credit_custody(number=number, amount_minor=amount // 2 or 1,
                                    currency="UYU", actor=ADMIN, request=None)
    elif kind == "damage":
        ledger.funds.assess_damage(number=number, amount_minor=amount, currency="UYU",
                                   reason="daño", reference="exp", actor=ADMIN, request=None)
    return {}


def test_the_fast_trial_balance_equals_the_full_scan_at_every_instant_around_a_month_end(
        ledger: Ledger, clock: ManualClock) -> None:
    varied_history(ledger, clock)
    commissary_history(ledger, clock)  # orders across the 30 November / 1 December midnight
    read_side = ledger.read_side
    instants = [local("2026-11-01T00:00"), local("2026-11-16T09:59"),
                local("2026-11-30T23:59"), local("2026-11-30T23:59:59.999999"),
                local("2026-12-01T00:00"), local("2026-12-01T00:00:59"),
                local("2026-12-01T10:00"), local("2026-12-31T23:59"), clock.now()]
    instants += [recorded.event.timestamp for recorded in read_side.source.all()][::9]
    position = read_side.source.head() * 2 // 3
    read_side.runner("general_ledger").batch_size = position
    read_side.runner("general_ledger").catch_up(until=position)  # a third still unprocessed
    for _ in range(2):
        for instant in instants:
            expected = {a: v for a, v in postings_as_of(read_side.source, instant).items() if v}
            fast = fast_postings_as_of(read_side, ledger.ctx, instant)
            assert {a: v for a, v in fast.items() if v} == expected, instant
        read_side.runner("general_ledger").catch_up()
    assert TrialBalance(ledger.ctx, read_side).as_of("2026-11-30") == TrialBalance(
        ledger.ctx).as_of("2026-11-30")
    november = TrialBalance(ledger.ctx, read_side).as_of("2026-11-30")
    # Five orders held at the November month end, the last placed at 23:59:30 local time.
    assert november["balanced"]
    assert november["ppl_side"]["held"] == 250_00 + 210_00 + 80_00 + 150_00 + 80_00


def test_a_unit_whose_time_zone_changed_gets_the_full_scan(ledger: Ledger,
                                                           clock: ManualClock) -> None:
    admit(ledger, "P-1")
    fund(ledger, "P-1", 300_00)
    clock.advance(days=1)
    ledger.unit.change({"time_zone": "UTC"}, "la unidad pasa a UTC", ADMIN, None)
    clock.advance(hours=2)
    fund(ledger, "P-1", 50_00, document="9.999.999-9")
    ledger.read_side.catch_up_all()
    for instant in (clock.now(), clock.now() - timedelta(hours=3)):
        expected = postings_as_of(ledger.read_side.source, instant)
        assert fast_postings_as_of(ledger.read_side, ledger.ctx, instant) == expected
