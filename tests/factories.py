"""Builders shared by the tests: a manual clock and a few ready-made actors and PPL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from ledger.application.bootstrap import Ledger
from ledger.domain.actor import Actor, Role

ADMIN = Actor(user_id="u-admin", role=Role.FINANCE_ADMIN)
PAYROLL = Actor(user_id="u-payroll", role=Role.PAYROLL_OFFICER)
DESK = Actor(user_id="u-desk", role=Role.DEPOSIT_DESK)
CLERK = Actor(user_id="u-clerk", role=Role.CLERK)


class ManualClock:
    def __init__(self, start: datetime | None = None) -> None:
        self.current = start or datetime(2026, 11, 16, 13, 0, tzinfo=UTC)

    def now(self) -> datetime:
        return self.current

    def advance(self, **delta: float) -> datetime:
        self.current += timedelta(**delta)
        return self.current

    def set(self, instant: datetime) -> None:
        self.current = instant


def admit(ledger: Ledger, number: str = "P-1", *, name: str = "Juan Pérez",
          document: str | None = None, sector: str = "A", regime: str = "cerrado") -> str:
    ledger.admissions.admit(number=number, name=name, document=document or f"DOC-{number}",
                            sector=sector, regime=regime, admitted_at=None, actor=ADMIN,
                            request=None)
    return number


def register_depositor(ledger: Ledger, document: str = "7.111.222-3", *,
                       name: str = "Ana Pérez") -> str:
    outcome = ledger.depositors.register(name=name, document=document, relation="madre",
                                         contact="099 111 222", actor=DESK, request=None)
    return str(outcome.body["depositor_id"])


def deposit(ledger: Ledger, number: str, depositor_id: str, amount: int,
            channel: str = "cash_desk", **kw: Any) -> dict[str, Any]:
    return ledger.deposits.record(number=number, depositor_id=depositor_id, amount_minor=amount,
                                  currency="UYU", channel=channel, external_reference="ref",
                                  actor=DESK, request=kw.get("request")).body


def fund(ledger: Ledger, number: str, amount: int, document: str | None = None) -> str:
    """A PPL with `amount` available, deposited by a fresh depositor."""
    depositor_id = register_depositor(ledger, document or f"D-{number}-{amount}")
    deposit(ledger, number, depositor_id, amount)
    return depositor_id
