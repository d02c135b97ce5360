"""A depositor's personal data can be erased without rewriting the ledger; the unit's
rules change by events, and past figures keep the rules then in force."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from ledger.application.bootstrap import Ledger
from ledger.domain.errors import Forbidden
from tests.factories import ADMIN, PAYROLL, ManualClock, admit, deposit, register_depositor


def test_erasing_a_depositor_keeps_every_deposit_and_hides_the_person(ledger: Ledger) -> None:
    number = admit(ledger)
    depositor = register_depositor(ledger, "3.333.333-3", name="Rosa Suárez")
    deposit(ledger, number, depositor, 120_00)
    assert ledger.depositors.view(depositor)["name"] == "Rosa Suárez"
    ledger.depositors.erase_personal_data(depositor, "pedido de la persona", ADMIN, None)
    view = ledger.depositors.view(depositor)
    assert view["erased"] and view["document"] == "" and "Rosa" not in view["name"]
    assert ledger.statements.balances(number)["balances"]["available"] == 120_00
    assert ledger.deposits.of_depositor(depositor)[0]["amount_minor"] == 120_00
    with pytest.raises(Forbidden):
        deposit(ledger, number, depositor, 1)


def test_a_wage_uses_the_reserve_share_in_force_when_it_was_paid(
    ledger: Ledger, clock: ManualClock
) -> None:
    admit(ledger, "P-1")
    ledger.funds.pay_wage(number="P-1", employer="Cocina", period="2026-W46", hours=30,
                          gross_minor=100_00, currency="UYU", actor=PAYROLL, request=None)
    clock.advance(days=1)
    ledger.unit.change({"reserve_share_bp": 5000}, "resolución 12/2026", ADMIN, None)
    clock.advance(days=1)
    ledger.funds.pay_wage(number="P-1", employer="Cocina", period="2026-W47", hours=30,
                          gross_minor=100_00, currency="UYU", actor=PAYROLL, request=None)
    assert ledger.statements.balances("P-1")["balances"]["reserve"] == 30_00 + 50_00
    unit = ledger.ctx.unit()
    assert unit.settings_at(datetime(2026, 11, 16, 14, tzinfo=UTC)).reserve_share_bp == 3000
    assert unit.settings.reserve_share_bp == 5000


def test_the_statement_of_a_period_opens_with_the_balance_before_it(
    ledger: Ledger, clock: ManualClock
) -> None:
    number = admit(ledger)
    depositor = register_depositor(ledger)
    clock.set(datetime(2026, 10, 31, 12, tzinfo=UTC))
    deposit(ledger, number, depositor, 100_00)
    clock.set(datetime(2026, 11, 3, 12, tzinfo=UTC))
    deposit(ledger, number, depositor, 50_00)
    ledger.funds.recharge_phone_card(number=number, amount_minor=30_00, currency="UYU",
                                     actor=ADMIN, request=None)
    statement = ledger.statements.statement(number, "2026-11-01", "2026-11-30")
    assert statement["opening"]["available"] == 100_00
    assert [m["kind"] for m in statement["movements"]] == ["deposit", "phone_recharge"]
    assert statement["closing"]["available"] == 120_00
    assert statement["closing"]["phone"] == 30_00
    assert statement["movements"][1]["actor"]["role"] == "finance_admin"
