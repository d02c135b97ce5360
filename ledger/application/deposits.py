"""Deposits from registered depositors (V.H.8): recorded, cleared or rejected.

A deposit saves the PPL's account and the depositor in one atomic write, so both monthly
caps hold under concurrent deposits."""

from __future__ import annotations

from enum import StrEnum
from typing import Any
from uuid import uuid4

from ledger.application.context import Context, check_text
from ledger.application.idempotency import IdempotentRequest, Outcome
from ledger.domain.account import Account, AccountStatus
from ledger.domain.actor import Actor
from ledger.domain.choices import parse_choice
from ledger.domain.depositor import Depositor
from ledger.domain.errors import Forbidden, InvalidInput
from ledger.domain.ids import person_index_id
from ledger.domain.money import Money, parse_amount
from ledger.domain.unit import UnitSettings


class DepositChannel(StrEnum):
    CASH_DESK = "cash_desk"  # cash handed in at the unit's deposit desk: final at once
    BANK_TRANSFER = "bank_transfer"  # needs clearing
    MONEY_ORDER = "money_order"  # giro: needs clearing
    ONLINE = "online"  # a depositor's own online payment: needs clearing


# (Spanish, English): what pages, receipts and the monthly report call each channel.
CHANNEL_NAMES = {
    DepositChannel.CASH_DESK: ("Efectivo en ventanilla", "Cash at the desk"),
    DepositChannel.BANK_TRANSFER: ("Transferencia bancaria", "Bank transfer"),
    DepositChannel.MONEY_ORDER: ("Giro", "Money order"),
    DepositChannel.ONLINE: ("Pago en línea", "Online payment"),
}

NEEDS_CLEARING = frozenset(
    {DepositChannel.BANK_TRANSFER, DepositChannel.MONEY_ORDER, DepositChannel.ONLINE}
)


def parse_channel(value: Any) -> DepositChannel:
    return parse_choice(DepositChannel, value, code="channel_unknown", field="channel",
                        es="Canal de depósito desconocido; use uno de",
                        en="Unknown deposit channel; use one of")


def _cap_error(field: str, cap: int, currency: str, who_es: str, who_en: str) -> InvalidInput:
    limit = Money(cap, currency).format()
    return InvalidInput("deposit_cap_exceeded", field=field,
                        es=f"El depósito supera el tope mensual {who_es} ({limit}).",
                        en=f"The deposit exceeds the monthly cap {who_en} ({limit}).",
                        cap_minor=cap)


def check_caps(settings: UnitSettings, account: Account, depositor: Depositor, amount: Money,
               month: str) -> None:
    cur = settings.currency
    single = settings.deposit_max_single_minor
    if single is not None and amount.minor_units > single:
        limit = Money(single, cur).format()
        raise InvalidInput("deposit_over_single_limit", field="amount_minor",
                           es=f"Un depósito no puede superar {limit}.",
                           en=f"A single deposit cannot exceed {limit}.", cap_minor=single)
    ppl_cap = settings.deposit_cap_per_ppl_month_minor
    ppl_month = account.deposited_by_month.get(month, 0)
    if ppl_cap is not None and ppl_month + amount.minor_units > ppl_cap:
        raise _cap_error("amount_minor", ppl_cap, cur, "de la PPL", "for the PPL")
    depositor_cap = depositor.monthly_cap_minor or settings.deposit_cap_per_depositor_month_minor
    if (
        depositor_cap is not None
        and depositor.deposited_by_month.get(month, 0) + amount.minor_units > depositor_cap
    ):
        raise _cap_error("amount_minor", depositor_cap, cur, "del depositante", "for the depositor")


def check_not_a_ppl(ctx: Context, depositor: Depositor) -> None:
    """A PPL of the unit may not fund another PPL (V.H.3)."""
    index = ctx.store.find(person_index_id(depositor.document_fingerprint))
    if index is None:
        return
    holder = ctx.account(index.target)
    if holder.status in (AccountStatus.ACTIVE, AccountStatus.TEMPORARILY_RELEASED):
        raise Forbidden("depositor_is_ppl", field="depositor_id",
                        es="El depositante es una PPL de esta unidad: no se admiten "
                        "transferencias entre PPL.",
                        en="The depositor is a PPL of this unit: no transfers between PPL.")


def receipt(account: Account, deposit_id: str, channel: str, reference: str,
            depositor_id: str) -> dict[str, Any]:
    deposit = account.deposits[deposit_id]
    return {
        "deposit_id": deposit_id,
        "entry_id": deposit["entry_id"],
        "penitentiary_number": account.number,
        "depositor_id": depositor_id,
        "amount_minor": deposit["amount_minor"],
        "currency": account.currency,
        "channel": channel,
        "external_reference": reference,
        "state": deposit["state"],
        "recorded_at": account.modified_on.isoformat(),
    }


class Deposits:
    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx

    def record(
        self, *, number: str, depositor_id: str, amount_minor: Any, currency: Any, channel: Any,
        external_reference: str, actor: Actor, request: IdempotentRequest | None,
    ) -> Outcome:
        """Records a deposit; channels that need clearing leave it pending (visible, not
        spendable). The receipt never shows the PPL's balance."""
        settings = self.ctx.settings()
        amount = parse_amount(amount_minor, currency, settings.currency, field="amount_minor")
        chosen = parse_channel(channel)
        reference = check_text(external_reference, "external_reference", required=False)

        def decide() -> Any:
            now = self.ctx.clock.now()
            account = self.ctx.account(number)
            depositor = self.ctx.depositor(depositor_id)
            account.check_open_for_deposits()
            depositor.check_may_deposit()
            check_not_a_ppl(self.ctx, depositor)
            month = self.ctx.unit().settings_at(now).month_of(now)
            check_caps(settings, account, depositor, amount, month)
            deposit_id = str(uuid4())
            account.receive_deposit(
                entry_id=str(uuid4()), deposit_id=deposit_id, depositor_id=depositor_id,
                channel=chosen.value, needs_clearing=chosen in NEEDS_CLEARING,
                external_reference=reference, amount=amount, month=month, actor=actor, at=now,
            )
            depositor.count_deposit(month=month, amount=amount, penitentiary_number=number,
                                    actor=actor, at=now)
            body = receipt(account, deposit_id, chosen.value, reference, depositor_id)
            return [account, depositor], Outcome(201, body)

        return self.ctx.run(request, decide,
                            reads=self.ctx.account_key(number) + self.ctx.id_key(depositor_id))

    def clear(self, *, number: str, deposit_id: str, actor: Actor,
              request: IdempotentRequest | None) -> Outcome:
        """The bank confirmed the money: pending becomes available."""

        def decide() -> Any:
            account = self.ctx.account(number)
            account.clear_deposit(entry_id=str(uuid4()), deposit_id=deposit_id, actor=actor,
                                  at=self.ctx.clock.now())
            deposit = account.deposits[deposit_id]
            return [account], Outcome(200, {"deposit_id": deposit_id, "state": deposit["state"],
                                            "penitentiary_number": number,
                                            "amount_minor": deposit["amount_minor"]})

        return self.ctx.run(request, decide)

    def reject(self, *, number: str, deposit_id: str, reason: str, actor: Actor,
               request: IdempotentRequest | None) -> Outcome:
        """The money never arrived: the pending amount goes away and stops counting
        towards the caps."""
        reason = check_text(reason, "reason")

        def decide() -> Any:
            now = self.ctx.clock.now()
            account = self.ctx.account(number)
            deposit = account.deposits.get(deposit_id, {})
            entry = account.entries.get(deposit.get("entry_id", ""), {})
            month = entry.get("details", {}).get("month", "")
            account.reject_deposit(entry_id=str(uuid4()), deposit_id=deposit_id, reason=reason,
                                   month=month, actor=actor, at=now)
            depositor = self.ctx.depositor(deposit["depositor_id"])
            depositor.uncount_deposit(month=month, amount_minor=deposit["amount_minor"],
                                      actor=actor, at=now)
            return [account, depositor], Outcome(200, {
                "deposit_id": deposit_id, "state": account.deposits[deposit_id]["state"],
                "penitentiary_number": number, "amount_minor": deposit["amount_minor"]})

        return self.ctx.run(request, decide)

    def of_depositor(self, depositor_id: str) -> list[dict[str, Any]]:
        """A depositor's own deposits, with their state; nothing else of the PPL."""
        depositor = self.ctx.depositor(depositor_id)
        found = []
        for number in depositor.funded_ppl:
            account = self.ctx.account(number)
            for deposit_id, deposit in account.deposits.items():
                if deposit["depositor_id"] == depositor_id:
                    found.append({"deposit_id": deposit_id, "penitentiary_number": number,
                                  "amount_minor": deposit["amount_minor"],
                                  "currency": account.currency, "state": deposit["state"]})
        return found
