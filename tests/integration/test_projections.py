"""Projections kept by tracked runners: each figure equals what the accounts' own history
says, a rebuild from zero gives the same tables, and two runners never count one event
twice."""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, datetime
from typing import Any

import pytest

from ledger.application.bootstrap import Ledger
from ledger.application.trial_balance import postings_as_of
from projections.balances import all_balances
from projections.commissary_eligibility import eligibility_rows
from projections.commissary_month import commissary_month_rows
from projections.general_ledger import day_rows, ledger_rows
from projections.indigent import IndigentSettings, indigent_rows
from projections.pick_lists import pick_list_rows
from projections.runner import NotRebuildable, Runner
from projections.sales_ledger import sales_ledger_rows
from tests.factories import ADMIN, PAYROLL, ManualClock, admit, deposit, fund, register_depositor
from tests.integration.commissary_story import commissary_history

NUMBERS = [f"P-{i}" for i in range(1, 9)]


def varied_history(ledger: Ledger, clock: ManualClock) -> None:
    """Every kind of money event, over several days, for eight PPL."""
    for i, number in enumerate(NUMBERS, start=1):
        admit(ledger, number, document=f"{i}.000.000-{i}", sector="AB"[i % 2])
        clock.advance(hours=5)
    for i, number in enumerate(NUMBERS[:6], start=1):
        fund(ledger, number, 1_000_00 * i)
        clock.advance(hours=3)
    depositor = register_depositor(ledger, "9.999.999-9")
    pending = deposit(ledger, "P-1", depositor, 300_00, channel="bank_transfer")
    bounced = deposit(ledger, "P-2", depositor, 200_00, channel="money_order")
    clock.advance(hours=7)
    ledger.deposits.clear(number="P-1", deposit_id=pending["deposit_id"], actor=ADMIN,
                          request=None)
    ledger.deposits.reject(number="P-2", deposit_id=bounced["deposit_id"], reason="devuelto",
                           actor=ADMIN, request=None)
    ledger.funds.take_cash_into_custody(number="P-3", amount_minor=150_00, currency="UYU",
                                        reference="acta 1", actor=ADMIN, request=None)
    ledger.funds.credit_custody(number="P-3", amount_minor=100_00, currency="UYU", actor=ADMIN,
                                request=None)
    ledger.funds.assess_damage(number="P-4", amount_minor=80_00, currency="UYU",
                               reason="vidrio roto", reference="exp 7", actor=ADMIN,
                               request=None)
    for week, number in enumerate(NUMBERS[2:7], start=40):
        ledger.funds.pay_wage(number=number, employer="cocina", period=f"2026-W{week}",
                              hours=30, gross_minor=1_200_00, currency="UYU", actor=PAYROLL,
                              request=None)
        clock.advance(hours=9)
    ledger.funds.pay_wage(number="P-4", employer="cocina", period="2026-W50", hours=30,
                          gross_minor=1_200_00, currency="UYU", actor=PAYROLL, request=None)
    ledger.funds.recharge_phone_card(number="P-5", amount_minor=250_00, currency="UYU",
                                     actor=ADMIN, request=None)
    wrong = ledger.funds.pay_wage(number="P-6", employer="lavadero", period="2026-11",
                                  hours=10, gross_minor=500_00, currency="UYU", actor=PAYROLL,
                                  request=None)
    ledger.funds.reverse_entry(number="P-6", original_entry_id=wrong.body["entry_id"],
                               reason="período equivocado", actor=ADMIN, request=None)
    clock.advance(days=2)
    ledger.admissions.release("P-5", kind="definitive", judge_order="Oficio 1", court="J 1",
                              nature="cumplimiento", actor=ADMIN, request=None)
    ledger.admissions.transfer_out("P-6", destination_unit="Unidad 4", reference="T-1",
                                   actor=ADMIN, request=None)
    ledger.admissions.release("P-7", kind="temporary", judge_order="Oficio 2", court="J 2",
                              nature="salida transitoria", actor=ADMIN, request=None)


REBUILDABLE = ("balances", "general_ledger", "indigent", "commissary_month",
               "commissary_eligibility", "pick_lists", "sales_ledger")


def tables(ledger: Ledger) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every rebuildable projection."""
    with ledger.read_side.views.reading() as tx:
        return {"balances": all_balances(tx), "general_ledger": ledger_rows(tx),
                "general_ledger_days": day_rows(tx),
                "indigent": indigent_rows(tx), "commissary_month": commissary_month_rows(tx),
                "commissary_eligibility": eligibility_rows(tx),
                "pick_lists": pick_list_rows(tx), "sales_ledger": sales_ledger_rows(tx)}


@pytest.fixture
def history(ledger: Ledger, clock: ManualClock) -> Ledger:
    varied_history(ledger, clock)
    ledger.read_side.catch_up_all()
    return ledger


def test_every_rebuildable_projection_is_compared_by_the_rebuild_checks(ledger: Ledger) -> None:
    rebuildable = {n for n, r in ledger.read_side.runners.items() if r.projection.rebuildable}
    assert rebuildable == set(REBUILDABLE) == set(tables(ledger)) - {"general_ledger_days"}


def test_balances_projection_equals_every_account_s_own_balances(history: Ledger) -> None:
    projected: dict[str, dict[str, int]] = defaultdict(dict)
    for number, sub, amount in tables(history)["balances"]:
        projected[number][sub] = int(amount)
    for number in NUMBERS:
        own = {sub: v for sub, v in history.ctx.account(number).balances.items() if v}
        assert {sub: v for sub, v in projected[number].items() if v} == own


def test_general_ledger_totals_equal_the_trial_balance_and_each_day_balances(
        history: Ledger) -> None:
    per_account: dict[str, int] = defaultdict(int)
    per_day: dict[str, int] = defaultdict(int)
    for account, day, debits, credits, _ in tables(history)["general_ledger"]:
        per_account[account] += int(debits) - int(credits)
        per_day[day] += int(debits) - int(credits)
    far_future = datetime(2100, 1, 1, tzinfo=UTC)
    expected = postings_as_of(history.read_side.source, far_future)
    assert {a: v for a, v in per_account.items() if v} == {a: v for a, v in expected.items() if v}
    assert len(per_day) >= 3 and set(per_day.values()) == {0}


def test_general_ledger_books_an_event_on_the_unit_s_local_day(ledger: Ledger,
                                                                clock: ManualClock) -> None:
    clock.set(datetime(2026, 11, 17, 1, 30, tzinfo=UTC))  # 22:30 on the 16th in Montevideo
    admit(ledger, "P-1")
    fund(ledger, "P-1", 100_00)
    ledger.read_side.catch_up_all()
    days = {row[1] for row in tables(ledger)["general_ledger"]}
    assert days == {"2026-11-16"}


def test_indigent_list_names_active_ppl_under_the_threshold_without_a_recent_deposit(
        history: Ledger, clock: ManualClock) -> None:
    history.read_side.indigent_settings = IndigentSettings(threshold_minor=1_500_00,
                                                           quiet_days=30)
    now_listed = history.read_side.indigent(clock.now())["ppl"]
    # P-8 never got a deposit; P-7 is out on a temporary release; P-5, P-6 left the unit;
    # the others had deposits this month.
    assert [p["penitentiary_number"] for p in now_listed] == ["P-8"]
    clock.advance(days=31)
    later = history.read_side.indigent(clock.now())["ppl"]
    # Wages do not count as family contact: a month later, P-1 (1,300.00 available) and
    # P-8 (nothing) are under the threshold; P-2 (2,000.00) is not.
    assert {(p["penitentiary_number"], p["available_minor"]) for p in later} == {
        ("P-1", 1_300_00), ("P-8", 0)}


def test_a_runner_that_lost_the_race_for_a_batch_drops_it(history: Ledger) -> None:
    read_side = history.read_side
    fund(history, "P-8", 70_00)
    start = read_side.runner("balances").position()
    rival = Runner(read_side.runner("balances").projection, read_side.source, read_side.views)
    assert rival.step(start) == history.ctx.store.event_count() - start  # rival goes first
    assert read_side.runner("balances").step(start) == 0  # stale start: nothing applied
    assert read_side.runner("balances").catch_up() == 0
    with read_side.views.reading() as tx:
        assert tx.fetchone("SELECT balance_minor FROM proj_balances WHERE number = %s AND "
                           "sub_account = 'available'", ("P-8",)) == (70_00,)


def test_a_rebuild_from_zero_gives_the_same_tables(history: Ledger, clock: ManualClock) -> None:
    commissary_history(history, clock)
    for _ in range(40):  # incrementally, in small batches that split the atomic writes
        for runner in history.read_side.runners.values():
            runner.batch_size = 3
            runner.step(runner.position())
    history.read_side.catch_up_all()
    before = tables(history)
    assert all(before.values())
    for name in REBUILDABLE:
        history.read_side.runner(name).batch_size = 500
        assert history.read_side.runner(name).rebuild() == history.ctx.store.event_count()
    assert tables(history) == before


def test_the_audit_chain_is_never_rebuilt_from_the_current_events(history: Ledger) -> None:
    with pytest.raises(NotRebuildable):
        history.read_side.runner("audit_chain").rebuild()


def test_status_shows_each_runner_s_position_and_lag(history: Ledger) -> None:
    fund(history, "P-8", 10_00)
    head = history.ctx.store.event_count()
    history.read_side.runner("indigent").catch_up()
    status = {row["name"]: row for row in history.read_side.status()}
    assert status["indigent"] == {"name": "indigent", "position": head, "head": head, "lag": 0}
    assert status["balances"]["lag"] == head - status["balances"]["position"] > 0


def test_each_projection_has_its_own_tables(ledger: Ledger) -> None:
    owned = [t for r in ledger.read_side.runners.values() for t in r.projection.tables]
    assert len(owned) == len(set(owned))
