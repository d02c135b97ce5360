"""Money that is not a deposit: intake cash, wages, damage claims, phone cards, and
corrections by reversing entries."""

from __future__ import annotations

import re
from typing import Any
from uuid import uuid4

from ledger.application.context import Context, check_text
from ledger.application.idempotency import IdempotentRequest, Outcome
from ledger.application.views import balances_view
from ledger.domain.actor import Actor
from ledger.domain.errors import InvalidInput
from ledger.domain.money import Money, parse_amount

# Peculio is paid weekly (XIII): an ISO week such as 2026-W47; a month (2026-11) also serves
# employers that pay monthly.
PERIOD = re.compile(r"^\d{4}-(W(0[1-9]|[1-4]\d|5[0-3])|(0[1-9]|1[0-2]))$")
MAX_WEEK_HOURS = 24 * 7


def check_period(period: Any) -> str:
    if not isinstance(period, str) or not PERIOD.match(period):
        raise InvalidInput("period_invalid", field="period",
                           es="El período es una semana ISO (2026-W47) o un mes (2026-11).",
                           en="The period is an ISO week (2026-W47) or a month (2026-11).")
    return period


def check_hours(hours: Any) -> int:
    if type(hours) is not int or not 0 <= hours <= MAX_WEEK_HOURS * 5:
        raise InvalidInput("hours_invalid", field="hours",
                           es="Las horas deben ser un número entero entre 0 y 840.",
                           en="Hours must be a whole number between 0 and 840.")
    return hours


class Funds:
    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx

    def _amount(self, amount_minor: Any, currency: Any) -> Money:
        return parse_amount(amount_minor, currency, self.ctx.settings().currency,
                            field="amount_minor")

    def _money_command(self, number: str, request: IdempotentRequest | None, command: Any,
                       status: int = 201) -> Outcome:
        def decide() -> Any:
            account = self.ctx.account(number)
            entry_id = str(uuid4())
            command(account, entry_id, self.ctx.clock.now())
            return [account], Outcome(status, {**balances_view(account), "entry_id": entry_id})

        return self.ctx.run(request, decide, reads=self.ctx.account_key(number))

    def take_cash_into_custody(self, *, number: str, amount_minor: Any, currency: Any,
                               reference: str, actor: Actor,
                               request: IdempotentRequest | None) -> Outcome:
        """Cash found at intake is held in custody by the unit (III.D.6)."""
        amount = self._amount(amount_minor, currency)
        reference = check_text(reference, "reference")
        return self._money_command(number, request, lambda a, e, t: a.take_cash_into_custody(
            entry_id=e, amount=amount, reference=reference, actor=actor, at=t))

    def credit_custody(self, *, number: str, amount_minor: Any, currency: Any, actor: Actor,
                       request: IdempotentRequest | None) -> Outcome:
        """Custody cash banked and credited to available funds."""
        amount = self._amount(amount_minor, currency)
        return self._money_command(number, request, lambda a, e, t: a.credit_custody(
            entry_id=e, amount=amount, actor=actor, at=t))

    def pay_wage(self, *, number: str, employer: str, period: str, hours: Any,
                 gross_minor: Any, currency: Any, actor: Actor,
                 request: IdempotentRequest | None) -> Outcome:
        """A wage split into damage recovery, release reserve and available funds by the
        shares in force now; one wage per employer and period per PPL."""
        gross = parse_amount(gross_minor, currency, self.ctx.settings().currency,
                             field="gross_minor")
        employer = check_text(employer, "employer", max_length=80)
        check_period(period)
        check_hours(hours)

        def command(account: Any, entry_id: str, at: Any) -> None:
            settings = self.ctx.unit().settings_at(at)
            account.pay_wage(entry_id=entry_id, employer=employer, period=period, hours=hours,
                             gross=gross, reserve_share_bp=settings.reserve_share_bp,
                             recovery_share_bp=settings.damage_recovery_share_bp,
                             actor=actor, at=at)

        return self._money_command(number, request, command)

    def assess_damage(self, *, number: str, amount_minor: Any, currency: Any, reason: str,
                      reference: str, actor: Actor,
                      request: IdempotentRequest | None) -> Outcome:
        """An intentional-damage claim set administratively (V.C.3.g); later wages
        recover it proportionally."""
        amount = self._amount(amount_minor, currency)
        reason = check_text(reason, "reason")
        reference = check_text(reference, "reference")

        def decide() -> Any:
            account = self.ctx.account(number)
            claim_id = str(uuid4())
            account.assess_damage(claim_id=claim_id, amount=amount, reason=reason,
                                  reference=reference, actor=actor, at=self.ctx.clock.now())
            body = {**balances_view(account), "claim_id": claim_id,
                    "damage_outstanding_minor": account.damage_outstanding_minor}
            return [account], Outcome(201, body)

        return self.ctx.run(request, decide)

    def withdraw_damage_claim(self, *, number: str, claim_id: str, reason: str, actor: Actor,
                              request: IdempotentRequest | None) -> Outcome:
        reason = check_text(reason, "reason")

        def decide() -> Any:
            account = self.ctx.account(number)
            account.withdraw_damage_claim(claim_id=claim_id, reason=reason, actor=actor,
                                          at=self.ctx.clock.now())
            body = {**balances_view(account), "claim_id": claim_id,
                    "damage_outstanding_minor": account.damage_outstanding_minor}
            return [account], Outcome(200, body)

        return self.ctx.run(request, decide)

    def recharge_phone_card(self, *, number: str, amount_minor: Any, currency: Any,
                            actor: Actor, request: IdempotentRequest | None) -> Outcome:
        """From the PPL's own available funds only; never a currency between PPL."""
        amount = self._amount(amount_minor, currency)
        return self._money_command(number, request, lambda a, e, t: a.recharge_phone_card(
            entry_id=e, amount=amount, actor=actor, at=t))

    def reverse_entry(self, *, number: str, original_entry_id: str, reason: str,
                      actor: Actor, request: IdempotentRequest | None) -> Outcome:
        """A correction: a new entry with the opposite postings, naming the original, the
        reason and who did it. Nothing posted is edited or deleted."""
        reason = check_text(reason, "reason")

        def decide() -> Any:
            now = self.ctx.clock.now()
            account = self.ctx.account(number)
            entry_id = str(uuid4())
            account.reverse_entry(entry_id=entry_id, original_entry_id=original_entry_id,
                                  reason=reason, actor=actor, at=now)
            changed: list[Any] = [account]
            details = account.entries[original_entry_id]["details"]
            if account.entries[original_entry_id]["kind"] == "deposit":
                deposit = account.deposits[details["deposit_id"]]
                depositor = self.ctx.depositor(deposit["depositor_id"])
                depositor.uncount_deposit(month=details["month"],
                                          amount_minor=deposit["amount_minor"],
                                          actor=actor, at=now)
                changed.append(depositor)
            body = {**balances_view(account), "entry_id": entry_id,
                    "original_entry_id": original_entry_id}
            return changed, Outcome(201, body)

        return self.ctx.run(request, decide)
