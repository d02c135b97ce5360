"""The PPL account: one per person held, keyed by penitentiary number.

Every money command is checked here, then recorded as one event whose postings sum to
zero. All money moves through `_post`, the single place that refuses a sub-balance below
zero and any posting to another PPL's accounts (V.H.3, V.H.7).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from enum import StrEnum
from typing import Any

from eventsourcing.domain import Aggregate

from ledger.domain.actor import Actor
from ledger.domain.effects import eligibility_at
from ledger.domain.eligibility import Eligibility
from ledger.domain.errors import Conflict, InsufficientFunds, InvalidInput, NotFound
from ledger.domain.limits import MonthlyLimits
from ledger.domain.money import Money
from ledger.domain.postings import (
    Posting,
    SubAccount,
    UnitAccount,
    balanced,
    ppl_account,
    reversed_postings,
    split_ppl_account,
    transfer,
)


class AccountStatus(StrEnum):
    ACTIVE = "active"
    TEMPORARILY_RELEASED = "temporarily_released"
    RELEASED = "released"
    TRANSFERRED = "transferred"


class DepositState(StrEnum):
    PENDING = "pending"
    CLEARED = "cleared"
    REJECTED = "rejected"
    REVERSED = "reversed"  # cleared, then undone by a correction


class ReleaseKind(StrEnum):
    DEFINITIVE = "definitive"
    TEMPORARY = "temporary"


# Entry kinds that a correction may reverse. Release and transfer close the account and
# a reversal is never itself reversed: a new entry is posted instead.
REVERSIBLE = frozenset({"deposit", "wage", "phone_recharge", "custody_intake", "custody_credit"})


def _sub_balances() -> dict[str, int]:
    return {sub.value: 0 for sub in SubAccount}


class Account(Aggregate):
    class Admitted(Aggregate.Created):
        number: str
        name: str
        document: str
        document_fingerprint: str
        sector: str
        regime: str
        admitted_at: datetime
        currency: str
        actor: Actor

    class Event(Aggregate.Event):
        actor: Actor

    class MoneyEvent(Event):
        """Base of every event that moves money; its `apply` posts the legs."""

        entry_id: str
        postings: list[Posting]

        def apply(self, aggregate: Account) -> None:
            aggregate._apply_postings(
                self.entry_id, self._kind(), self.postings, self.entry_details()
            )
            self.apply_details(aggregate)

        def _kind(self) -> str:
            return ENTRY_KINDS[type(self).__name__]

        def entry_details(self) -> dict[str, Any]:
            """What a later correction needs to undo beyond the postings."""
            return {}

        def apply_details(self, aggregate: Account) -> None:
            """Non-money state the event changes; assignments only."""

    class SectorChanged(Event):
        sector: str
        reason: str

        def apply(self, aggregate: Account) -> None:
            aggregate.sector = self.sector

    class RegimeChanged(Event):
        regime: str
        reason: str

        def apply(self, aggregate: Account) -> None:
            aggregate.regime = self.regime

    class DepositReceived(MoneyEvent):
        deposit_id: str
        depositor_id: str
        channel: str
        external_reference: str
        amount_minor: int
        month: str
        cleared: bool

        def entry_details(self) -> dict[str, Any]:
            return {"deposit_id": self.deposit_id, "month": self.month}

        def apply_details(self, aggregate: Account) -> None:
            state = DepositState.CLEARED if self.cleared else DepositState.PENDING
            aggregate.deposits[self.deposit_id] = {
                "state": state.value,
                "amount_minor": self.amount_minor,
                "depositor_id": self.depositor_id,
                "entry_id": self.entry_id,
            }
            month_total = aggregate.deposited_by_month.get(self.month, 0) + self.amount_minor
            aggregate.deposited_by_month[self.month] = month_total
            aggregate.last_deposit_at = self.timestamp

    class DepositCleared(MoneyEvent):
        deposit_id: str

        def apply_details(self, aggregate: Account) -> None:
            aggregate.deposits[self.deposit_id]["state"] = DepositState.CLEARED.value
            aggregate.deposits[self.deposit_id]["cleared_entry_id"] = self.entry_id

    class DepositRejected(MoneyEvent):
        deposit_id: str
        reason: str
        month: str

        def apply_details(self, aggregate: Account) -> None:
            deposit = aggregate.deposits[self.deposit_id]
            deposit["state"] = DepositState.REJECTED.value
            # A rejected deposit never arrived: it no longer counts towards the cap.
            aggregate.deposited_by_month[self.month] -= deposit["amount_minor"]

    class CashTakenIntoCustody(MoneyEvent):
        amount_minor: int
        reference: str

    class CustodyCredited(MoneyEvent):
        amount_minor: int

    class WagePaid(MoneyEvent):
        employer: str
        period: str
        hours: int
        gross_minor: int
        available_minor: int
        reserve_minor: int
        recoveries: dict[str, int]  # damage claim id -> amount recovered from this wage

        def entry_details(self) -> dict[str, Any]:
            return {
                "wage_key": wage_key(self.employer, self.period),
                "recoveries": dict(self.recoveries),
            }

        def apply_details(self, aggregate: Account) -> None:
            aggregate.wages_paid[wage_key(self.employer, self.period)] = self.entry_id
            for claim_id, amount in self.recoveries.items():
                aggregate.damage_claims[claim_id]["outstanding_minor"] -= amount

    class DamageClaimAssessed(Event):
        claim_id: str
        amount_minor: int
        reason: str
        reference: str

        def apply(self, aggregate: Account) -> None:
            aggregate.damage_claims[self.claim_id] = {
                "amount_minor": self.amount_minor,
                "outstanding_minor": self.amount_minor,
                "reason": self.reason,
                "reference": self.reference,
                "withdrawn": False,
            }

    class DamageClaimWithdrawn(Event):
        claim_id: str
        reason: str

        def apply(self, aggregate: Account) -> None:
            claim = aggregate.damage_claims[self.claim_id]
            claim["withdrawn"] = True
            claim["outstanding_minor"] = 0

    class PhoneCardRecharged(MoneyEvent):
        amount_minor: int

    class EntryReversed(MoneyEvent):
        original_entry_id: str
        reason: str

        def apply_details(self, aggregate: Account) -> None:
            original = aggregate.entries[self.original_entry_id]
            original["reversed_by"] = self.entry_id
            details = original["details"]
            if original["kind"] == "wage":
                aggregate.wages_paid.pop(details["wage_key"], None)
                for claim_id, amount in details.get("recoveries", {}).items():
                    claim = aggregate.damage_claims[claim_id]
                    if not claim["withdrawn"]:
                        claim["outstanding_minor"] += amount
            elif original["kind"] == "deposit":
                deposit = aggregate.deposits[details["deposit_id"]]
                deposit["state"] = DepositState.REVERSED.value
                aggregate.deposited_by_month[details["month"]] -= deposit["amount_minor"]

    class TransferredOut(MoneyEvent):
        destination_unit: str
        reference: str

        def apply_details(self, aggregate: Account) -> None:
            aggregate.status = AccountStatus.TRANSFERRED.value

    class Released(MoneyEvent):
        kind: str
        judge_order: str
        court: str
        nature: str
        location: str

        def apply_details(self, aggregate: Account) -> None:
            aggregate.status = (
                AccountStatus.RELEASED.value
                if self.kind == ReleaseKind.DEFINITIVE
                else AccountStatus.TEMPORARILY_RELEASED.value
            )

    class ReturnedFromTemporaryRelease(Event):
        def apply(self, aggregate: Account) -> None:
            aggregate.status = AccountStatus.ACTIVE.value

    # ------------------------------------------------------------------ state

    def __init__(
        self,
        number: str,
        name: str,
        document: str,
        document_fingerprint: str,
        sector: str,
        regime: str,
        admitted_at: datetime,
        currency: str,
        actor: Actor,
    ) -> None:
        self.number = number
        self.name = name
        self.document = document
        self.document_fingerprint = document_fingerprint
        self.sector = sector
        self.regime = regime
        self.admitted_at = admitted_at
        self.currency = currency
        self.status = AccountStatus.ACTIVE.value
        self.balances = _sub_balances()
        self.entries: dict[str, dict[str, Any]] = {}
        self.deposits: dict[str, dict[str, Any]] = {}
        self.deposited_by_month: dict[str, int] = {}
        self.last_deposit_at: datetime | None = None
        self.wages_paid: dict[str, str] = {}
        self.damage_claims: dict[str, dict[str, Any]] = {}
        self.commissary_by_month: dict[str, dict[str, int]] = {}
        self.open_orders: dict[str, dict[str, Any]] = {}
        self.deliveries: dict[str, str] = {}  # delivery date -> order id (one a week)
        # Disciplinary cases of this PPL: case id -> offence class and the windows in which
        # the case suspends or restricts the commissary (see ledger/domain/case.py).
        self.sanctions: dict[str, dict[str, Any]] = {}

    @classmethod
    def admit(
        cls,
        account_id: Any,
        *,
        number: str,
        name: str,
        document: str,
        document_fingerprint: str,
        sector: str,
        regime: str,
        admitted_at: datetime,
        currency: str,
        actor: Actor,
        at: datetime,
    ) -> Account:
        return cls._create(
            cls.Admitted,
            id=account_id,
            number=number,
            name=name,
            document=document,
            document_fingerprint=document_fingerprint,
            sector=sector,
            regime=regime,
            admitted_at=admitted_at,
            currency=currency,
            actor=actor,
            timestamp=at,
        )

    def balance(self, sub: SubAccount) -> Money:
        return Money(self.balances[sub.value], self.currency)

    @property
    def damage_outstanding_minor(self) -> int:
        return sum(c["outstanding_minor"] for c in self.damage_claims.values())

    def _apply_postings(
        self, entry_id: str, kind: str, postings: Iterable[Posting], details: dict[str, Any]
    ) -> None:
        for posting in postings:
            own = split_ppl_account(posting.account)
            if own is not None:
                self.balances[own[1].value] -= posting.amount_minor
        self.entries[entry_id] = {
            "kind": kind,
            "postings": list(postings),
            "details": details,
            "reversed_by": None,
        }

    # ------------------------------------------------------------------ guards

    def check_active(self) -> None:
        if self.status != AccountStatus.ACTIVE:
            raise Conflict(
                "account_closed",
                field="penitentiary_number",
                es=f"La cuenta de la PPL {self.number} no está activa ({self.status}).",
                en=f"The account of PPL {self.number} is not active ({self.status}).",
                number=self.number,
                status=self.status,
            )

    def check_open_for_deposits(self) -> None:
        # Deposits keep arriving during a temporary exit; a closed account takes none.
        if self.status in (AccountStatus.RELEASED, AccountStatus.TRANSFERRED):
            self.check_active()

    def _check_postings(self, postings: tuple[Posting, ...]) -> None:
        after = dict(self.balances)
        for posting in postings:
            own = split_ppl_account(posting.account)
            if own is None:
                if not posting.account.startswith("unit/"):
                    raise AssertionError(f"unknown account {posting.account}")
                continue
            number, sub = own
            if number != self.number:
                # No operation moves value between PPL (V.H.3): a structural refusal.
                raise AssertionError(f"posting to another PPL's account: {posting.account}")
            after[sub.value] -= posting.amount_minor
        for sub_name, value in after.items():
            if value < 0:
                there = Money(self.balances[sub_name], self.currency).format()
                raise InsufficientFunds(
                    "insufficient_funds",
                    field="amount_minor",
                    es=(
                        f"Fondos insuficientes en «{SUB_NAMES_ES[sub_name]}» de la PPL "
                        f"{self.number}: hay {there}."
                    ),
                    en=(
                        f"Insufficient funds in {sub_name} of PPL {self.number}: "
                        f"{there} there."
                    ),
                    number=self.number,
                    sub_account=sub_name,
                    balance_minor=self.balances[sub_name],
                    shortfall_minor=-value,
                )

    def _post(self, event_class: type[MoneyEvent], postings: Iterable[Posting], **kw: Any) -> None:
        legs = balanced(postings)
        self._check_postings(legs)
        self.trigger_event(event_class, postings=list(legs), **kw)

    def _acc(self, sub: SubAccount) -> str:
        return ppl_account(self.number, sub)

    # ------------------------------------------------------------------ commands

    def change_sector(self, sector: str, reason: str, actor: Actor, at: datetime) -> None:
        self.check_active()
        if sector == self.sector:
            raise Conflict(
                "sector_unchanged",
                field="sector",
                es=f"La PPL ya está en el sector {sector}.",
                en=f"The PPL is already in sector {sector}.",
            )
        self.trigger_event(
            self.SectorChanged, sector=sector, reason=reason, actor=actor, timestamp=at
        )

    def change_regime(self, regime: str, reason: str, actor: Actor, at: datetime) -> None:
        self.check_active()
        if regime == self.regime:
            raise Conflict(
                "regime_unchanged",
                field="regime",
                es=f"La PPL ya está en régimen {regime}.",
                en=f"The PPL is already in regime {regime}.",
            )
        self.trigger_event(
            self.RegimeChanged, regime=regime, reason=reason, actor=actor, timestamp=at
        )

    def receive_deposit(
        self,
        *,
        entry_id: str,
        deposit_id: str,
        depositor_id: str,
        channel: str,
        needs_clearing: bool,
        external_reference: str,
        amount: Money,
        month: str,
        actor: Actor,
        at: datetime,
    ) -> None:
        self.check_open_for_deposits()
        if needs_clearing:
            legs = transfer(UnitAccount.DEPOSITS_IN_CLEARING, self._acc(SubAccount.PENDING),
                            amount.minor_units)
        else:
            legs = transfer(UnitAccount.TRUST_BANK, self._acc(SubAccount.AVAILABLE),
                            amount.minor_units)
        self._post(
            self.DepositReceived,
            legs,
            entry_id=entry_id,
            deposit_id=deposit_id,
            depositor_id=depositor_id,
            channel=channel,
            external_reference=external_reference,
            amount_minor=amount.minor_units,
            month=month,
            cleared=not needs_clearing,
            actor=actor,
            timestamp=at,
        )

    def _pending_deposit(self, deposit_id: str) -> dict[str, Any]:
        deposit = self.deposits.get(deposit_id)
        if deposit is None:
            raise NotFound(
                "deposit_not_found",
                field="deposit_id",
                es="No existe ese depósito en la cuenta.",
                en="No such deposit on this account.",
            )
        if deposit["state"] != DepositState.PENDING:
            raise Conflict(
                "deposit_not_pending",
                field="deposit_id",
                es=f"El depósito ya está {STATE_NAMES_ES[deposit['state']]}.",
                en=f"The deposit is already {deposit['state']}.",
            )
        return deposit

    def clear_deposit(self, *, entry_id: str, deposit_id: str, actor: Actor, at: datetime) -> None:
        amount = self._pending_deposit(deposit_id)["amount_minor"]
        legs = (
            *transfer(UnitAccount.TRUST_BANK, UnitAccount.DEPOSITS_IN_CLEARING, amount),
            *transfer(self._acc(SubAccount.PENDING), self._acc(SubAccount.AVAILABLE), amount),
        )
        self._post(self.DepositCleared, legs, entry_id=entry_id, deposit_id=deposit_id,
                   actor=actor, timestamp=at)

    def reject_deposit(
        self, *, entry_id: str, deposit_id: str, reason: str, month: str, actor: Actor,
        at: datetime
    ) -> None:
        amount = self._pending_deposit(deposit_id)["amount_minor"]
        legs = transfer(self._acc(SubAccount.PENDING), UnitAccount.DEPOSITS_IN_CLEARING, amount)
        self._post(self.DepositRejected, legs, entry_id=entry_id, deposit_id=deposit_id,
                   reason=reason, month=month, actor=actor, timestamp=at)

    def take_cash_into_custody(
        self, *, entry_id: str, amount: Money, reference: str, actor: Actor, at: datetime
    ) -> None:
        self.check_active()
        legs = transfer(UnitAccount.CUSTODY_SAFE, self._acc(SubAccount.CUSTODY), amount.minor_units)
        self._post(self.CashTakenIntoCustody, legs, entry_id=entry_id,
                   amount_minor=amount.minor_units, reference=reference, actor=actor, timestamp=at)

    def credit_custody(self, *, entry_id: str, amount: Money, actor: Actor, at: datetime) -> None:
        """Intake cash banked and made available to spend."""
        self.check_active()
        minor = amount.minor_units
        legs = (
            *transfer(UnitAccount.TRUST_BANK, UnitAccount.CUSTODY_SAFE, minor),
            *transfer(self._acc(SubAccount.CUSTODY), self._acc(SubAccount.AVAILABLE), minor),
        )
        self._post(self.CustodyCredited, legs, entry_id=entry_id, amount_minor=minor,
                   actor=actor, timestamp=at)

    def pay_wage(
        self,
        *,
        entry_id: str,
        employer: str,
        period: str,
        hours: int,
        gross: Money,
        reserve_share_bp: int,
        recovery_share_bp: int,
        actor: Actor,
        at: datetime,
    ) -> None:
        """Wages keep arriving whatever sanction is in force (XI.C.3.g); only a closed
        account refuses them. Damage recovery comes first, then the reserve share."""
        if self.status in (AccountStatus.RELEASED, AccountStatus.TRANSFERRED):
            self.check_active()
        key = wage_key(employer, period)
        if key in self.wages_paid:
            raise Conflict(
                "wage_already_paid",
                field="period",
                es=f"Ya se pagó el jornal de {employer} del período {period} a esta PPL.",
                en=f"The wage from {employer} for period {period} was already paid to this PPL.",
                entry_id=self.wages_paid[key],
            )
        recoveries = allocate_recovery(
            self.damage_claims, gross.share(recovery_share_bp).minor_units
        )
        net = gross - Money(sum(recoveries.values()), gross.currency)
        reserve = net.share(reserve_share_bp)
        available = net - reserve
        legs: list[Posting] = [Posting(UnitAccount.TRUST_BANK, gross.minor_units)]
        if available.is_positive:
            legs.append(Posting(self._acc(SubAccount.AVAILABLE), -available.minor_units))
        if reserve.is_positive:
            legs.append(Posting(self._acc(SubAccount.RESERVE), -reserve.minor_units))
        if recoveries:
            legs.append(Posting(UnitAccount.DAMAGE_RECOVERIES, -sum(recoveries.values())))
        self._post(
            self.WagePaid,
            legs,
            entry_id=entry_id,
            employer=employer,
            period=period,
            hours=hours,
            gross_minor=gross.minor_units,
            available_minor=available.minor_units,
            reserve_minor=reserve.minor_units,
            recoveries=recoveries,
            actor=actor,
            timestamp=at,
        )

    def assess_damage(
        self, *, claim_id: str, amount: Money, reason: str, reference: str, actor: Actor,
        at: datetime
    ) -> None:
        self.check_active()
        self.trigger_event(self.DamageClaimAssessed, claim_id=claim_id,
                           amount_minor=amount.minor_units, reason=reason, reference=reference,
                           actor=actor, timestamp=at)

    def withdraw_damage_claim(
        self, *, claim_id: str, reason: str, actor: Actor, at: datetime
    ) -> None:
        claim = self.damage_claims.get(claim_id)
        if claim is None:
            raise NotFound("damage_claim_not_found", field="claim_id",
                           es="No existe ese reclamo por daños.", en="No such damage claim.")
        if claim["withdrawn"] or claim["outstanding_minor"] == 0:
            raise Conflict("damage_claim_closed", field="claim_id",
                           es="El reclamo ya está cubierto o retirado.",
                           en="The claim is already covered or withdrawn.")
        self.trigger_event(self.DamageClaimWithdrawn, claim_id=claim_id, reason=reason,
                           actor=actor, timestamp=at)

    def recharge_phone_card(
        self, *, entry_id: str, amount: Money, actor: Actor, at: datetime
    ) -> None:
        self.check_active()
        legs = transfer(self._acc(SubAccount.AVAILABLE), self._acc(SubAccount.PHONE),
                        amount.minor_units)
        self._post(self.PhoneCardRecharged, legs, entry_id=entry_id,
                   amount_minor=amount.minor_units, actor=actor, timestamp=at)

    def reverse_entry(
        self, *, entry_id: str, original_entry_id: str, reason: str, actor: Actor, at: datetime
    ) -> None:
        original = self.entries.get(original_entry_id)
        if original is None:
            raise NotFound("entry_not_found", field="original_entry_id",
                           es="No existe ese movimiento en la cuenta.",
                           en="No such entry on this account.")
        if original["kind"] not in REVERSIBLE:
            raise Conflict("entry_not_reversible", field="original_entry_id",
                           es="Ese movimiento no se puede revertir; registre uno nuevo.",
                           en="That entry cannot be reversed; post a new one.",
                           kind=original["kind"])
        if original["reversed_by"]:
            raise Conflict("entry_already_reversed", field="original_entry_id",
                           es="Ese movimiento ya fue revertido.",
                           en="That entry was already reversed.",
                           reversed_by=original["reversed_by"])
        if self.status in (AccountStatus.RELEASED, AccountStatus.TRANSFERRED):
            self.check_active()
        if not reason.strip():
            raise InvalidInput("reason_required", field="reason",
                               es="Indique el motivo de la corrección.",
                               en="Give the reason for the correction.")
        self._post(self.EntryReversed, self._reversal_legs(original),
                   entry_id=entry_id, original_entry_id=original_entry_id, reason=reason,
                   actor=actor, timestamp=at)

    def _reversal_legs(self, original: dict[str, Any]) -> tuple[Posting, ...]:
        if original["kind"] != "deposit":
            return reversed_postings(original["postings"])
        deposit = self.deposits[original["details"]["deposit_id"]]
        if deposit["state"] != DepositState.CLEARED:
            raise Conflict("deposit_not_cleared", field="original_entry_id",
                           es="Un depósito pendiente se rechaza, no se revierte.",
                           en="A pending deposit is rejected, not reversed.")
        # Whatever the channel, a cleared deposit's net effect is bank -> available.
        return transfer(self._acc(SubAccount.AVAILABLE), UnitAccount.TRUST_BANK,
                        deposit["amount_minor"])

    def _check_nothing_in_flight(self) -> None:
        if self.balances[SubAccount.PENDING.value] or self.balances[SubAccount.HELD.value]:
            raise Conflict(
                "funds_in_flight",
                es="Hay depósitos pendientes o pedidos de economato sin cerrar; "
                "resuélvalos antes del egreso o traslado.",
                en="There are pending deposits or open commissary orders; settle them first.",
            )

    def _payout_legs(self) -> list[Posting]:
        legs: list[Posting] = []
        paid_out = 0
        for sub in (SubAccount.AVAILABLE, SubAccount.RESERVE, SubAccount.PHONE):
            amount = self.balances[sub.value]
            if amount:
                legs.append(Posting(self._acc(sub), amount))
                paid_out += amount
        if paid_out:
            legs.append(Posting(UnitAccount.TRUST_BANK, -paid_out))
        custody = self.balances[SubAccount.CUSTODY.value]
        if custody:
            legs.extend(transfer(self._acc(SubAccount.CUSTODY), UnitAccount.CUSTODY_SAFE, custody))
        return legs

    def transfer_out(
        self, *, entry_id: str, destination_unit: str, reference: str, actor: Actor,
        at: datetime
    ) -> None:
        """The money moves with the person: every balance leaves this unit's books."""
        self.check_active()
        self._check_nothing_in_flight()
        self._close(self.TransferredOut, entry_id, actor, at,
                    destination_unit=destination_unit, reference=reference)

    def release(
        self, *, entry_id: str, kind: ReleaseKind, judge_order: str, court: str, nature: str,
        actor: Actor, at: datetime
    ) -> None:
        self.check_active()
        details = dict(kind=kind.value, judge_order=judge_order, court=court, nature=nature,
                       location=self.sector)
        if kind is ReleaseKind.TEMPORARY:
            # No payout on a temporary exit: a zero-leg entry carries no money.
            self.trigger_event(self.Released, entry_id=entry_id, postings=[], actor=actor,
                               timestamp=at, **details)
            return
        self._check_nothing_in_flight()
        self._close(self.Released, entry_id, actor, at, **details)

    def _close(self, event_class: type[MoneyEvent], entry_id: str, actor: Actor, at: datetime,
               **details: Any) -> None:
        legs = self._payout_legs()
        if legs:
            self._post(event_class, legs, entry_id=entry_id, actor=actor, timestamp=at, **details)
        else:
            self.trigger_event(event_class, entry_id=entry_id, postings=[], actor=actor,
                               timestamp=at, **details)

    def return_from_temporary_release(self, actor: Actor, at: datetime) -> None:
        if self.status != AccountStatus.TEMPORARILY_RELEASED:
            raise Conflict("not_temporarily_released", es="La PPL no está en salida transitoria.",
                           en="The PPL is not on a temporary release.")
        self.trigger_event(self.ReturnedFromTemporaryRelease, actor=actor, timestamp=at)

    # ------------------------------------------------------------------ commissary (V.H)
    # An order holds its amount (available -> held) and counts against the month's limits;
    # delivery captures what was handed over (held -> contractor payable) and releases the
    # rest; cancellation releases everything.

    class OrderPlaced(MoneyEvent):
        order_id: str
        amount_minor: int
        items: int
        month: str
        delivery_date: str | None

        def apply_details(self, aggregate: Account) -> None:
            usage = aggregate.commissary_by_month.setdefault(self.month, _no_usage())
            usage["spent_minor"] += self.amount_minor
            usage["items"] += self.items
            aggregate.open_orders[self.order_id] = {
                "month": self.month, "delivery_date": self.delivery_date}
            if self.delivery_date:
                aggregate.deliveries[self.delivery_date] = self.order_id

    class OrderSettled(MoneyEvent):
        """Delivered (wholly or partly), cancelled, or absent at delivery."""

        order_id: str
        outcome: str
        delivered_minor: int
        released_minor: int
        released_items: int

        def apply_details(self, aggregate: Account) -> None:
            order = aggregate.open_orders.pop(self.order_id)
            usage = aggregate.commissary_by_month[order["month"]]
            usage["spent_minor"] -= self.released_minor
            usage["items"] -= self.released_items
            if self.delivered_minor == 0 and order["delivery_date"]:
                # Nothing handed over: the week's delivery slot is free again.
                aggregate.deliveries.pop(order["delivery_date"], None)

    class CommissaryRefunded(MoneyEvent):
        order_id: str
        refund_id: str
        amount_minor: int
        items: int
        month: str
        restores_consumption: bool

        def apply_details(self, aggregate: Account) -> None:
            if self.restores_consumption:
                usage = aggregate.commissary_by_month.setdefault(self.month, _no_usage())
                usage["spent_minor"] -= self.amount_minor
                usage["items"] -= self.items

    class OrderRescheduled(Event):
        order_id: str
        delivery_date: str

        def apply(self, aggregate: Account) -> None:
            order = aggregate.open_orders[self.order_id]
            aggregate.deliveries.pop(order["delivery_date"], None)
            order["delivery_date"] = self.delivery_date
            aggregate.deliveries[self.delivery_date] = self.order_id

    def month_usage(self, month: str) -> dict[str, int]:
        return dict(self.commissary_by_month.get(month, _no_usage()))

    def place_order(
        self, *, entry_id: str, order_id: str, amount: Money, items: int, month: str,
        delivery_date: str | None, limits: MonthlyLimits, actor: Actor, at: datetime,
    ) -> None:
        """Checks the month's limits, the weekly delivery and the funds, then holds."""
        self.check_active()
        usage = self.month_usage(month)
        money_left = limits.money_minor - usage["spent_minor"]
        if amount.minor_units > money_left:
            left = Money(max(money_left, 0), self.currency).format()
            raise Conflict("monthly_limit_exceeded", field="lines",
                           es=f"El pedido supera el límite mensual en dinero: quedan {left} "
                           f"este mes (límite fijado por {SOURCE_ES[limits.money_source]}).",
                           en=f"The order exceeds the monthly money limit: {left} left this "
                           f"month (limit set by the {limits.money_source}).",
                           left_minor=max(money_left, 0), source=limits.money_source)
        items_left = limits.items - usage["items"]
        if items > items_left:
            raise Conflict("monthly_item_limit_exceeded", field="lines",
                           es=f"El pedido supera el límite mensual de artículos: quedan "
                           f"{max(items_left, 0)} este mes (límite fijado por "
                           f"{SOURCE_ES[limits.items_source]}).",
                           en=f"The order exceeds the monthly item limit: {max(items_left, 0)} "
                           f"left this month (limit set by the {limits.items_source}).",
                           left_items=max(items_left, 0), source=limits.items_source)
        if delivery_date and delivery_date in self.deliveries:
            raise Conflict("weekly_delivery_taken", field="penitentiary_number",
                           es=f"La PPL ya tiene un pedido para la entrega del {delivery_date} "
                           "(una entrega por semana): cancélelo y haga uno nuevo.",
                           en=f"The PPL already has an order for the {delivery_date} delivery "
                           "(one a week): cancel it and place a new one.",
                           order_id=self.deliveries[delivery_date])
        legs = transfer(self._acc(SubAccount.AVAILABLE), self._acc(SubAccount.HELD),
                        amount.minor_units)
        self._post(self.OrderPlaced, legs, entry_id=entry_id, order_id=order_id,
                   amount_minor=amount.minor_units, items=items, month=month,
                   delivery_date=delivery_date, actor=actor, timestamp=at)

    def settle_order(
        self, *, entry_id: str, order_id: str, outcome: str, delivered_minor: int,
        released_minor: int, released_items: int, actor: Actor, at: datetime,
    ) -> None:
        held = self._acc(SubAccount.HELD)
        legs: list[Posting] = []
        if delivered_minor:
            legs.extend(transfer(held, UnitAccount.CONTRACTOR_PAYABLE, delivered_minor))
        if released_minor:
            legs.extend(transfer(held, self._acc(SubAccount.AVAILABLE), released_minor))
        self._post(self.OrderSettled, legs, entry_id=entry_id, order_id=order_id,
                   outcome=outcome, delivered_minor=delivered_minor,
                   released_minor=released_minor, released_items=released_items,
                   actor=actor, timestamp=at)

    def refund_commissary(
        self, *, entry_id: str, order_id: str, refund_id: str, amount: Money, items: int,
        month: str, restores_consumption: bool, actor: Actor, at: datetime,
    ) -> None:
        """Returned goods: the contractor gives the money back to available funds."""
        if self.status in (AccountStatus.RELEASED, AccountStatus.TRANSFERRED):
            self.check_active()
        legs = transfer(UnitAccount.CONTRACTOR_PAYABLE, self._acc(SubAccount.AVAILABLE),
                        amount.minor_units)
        self._post(self.CommissaryRefunded, legs, entry_id=entry_id, order_id=order_id,
                   refund_id=refund_id, amount_minor=amount.minor_units, items=items,
                   month=month, restores_consumption=restores_consumption, actor=actor,
                   timestamp=at)

    def reschedule_order(self, order_id: str, delivery_date: str, actor: Actor,
                         at: datetime) -> None:
        self.trigger_event(self.OrderRescheduled, order_id=order_id,
                           delivery_date=delivery_date, actor=actor, timestamp=at)

    # ------------------------------------------------------------------ discipline (XI)
    # The commissary effect of each disciplinary case is recorded here, in the same atomic
    # save as the case's own event, so the very next sale (which saves this Account too)
    # cannot miss it: a sale decided on an older version fails the optimistic-concurrency
    # check and is decided again.

    class DisciplinaryCaseOpened(Event):
        case_id: str
        offence_class: str

        def apply(self, aggregate: Account) -> None:
            aggregate.sanctions[self.case_id] = {
                "offence_class": self.offence_class,
                "opened_at": self.timestamp,
                "windows": [],
            }

    class CommissaryEffectChanged(Event):
        case_id: str
        windows: list[dict[str, Any]]  # starts_at, ends_at (exclusive), kind, limits

        def apply(self, aggregate: Account) -> None:
            aggregate.sanctions[self.case_id]["windows"] = [dict(w) for w in self.windows]

    def note_disciplinary_case(self, *, case_id: str, offence_class: str, actor: Actor,
                               at: datetime) -> None:
        if self.status in (AccountStatus.RELEASED, AccountStatus.TRANSFERRED):
            self.check_active()
        self.trigger_event(self.DisciplinaryCaseOpened, case_id=case_id,
                           offence_class=offence_class, actor=actor, timestamp=at)

    def record_commissary_effect(self, *, case_id: str, windows: list[dict[str, Any]],
                                 actor: Actor, at: datetime) -> bool:
        """Records when a case suspends or restricts the commissary; False if unchanged."""
        if case_id not in self.sanctions:
            raise NotFound("case_not_on_account", field="case_id",
                           es="Ese caso disciplinario no corresponde a esta PPL.",
                           en="That disciplinary case does not concern this PPL.")
        if self.sanctions[case_id]["windows"] == windows:
            return False
        self.trigger_event(self.CommissaryEffectChanged, case_id=case_id, windows=windows,
                           actor=actor, timestamp=at)
        return True

    def eligibility(self, at: datetime) -> Eligibility:
        """THE check for a commissary sale or order at instant `at`: eligible, restricted
        (the lowest limits in force) or suspended, combining every case of this PPL."""
        return eligibility_at(
            {case_id: case["windows"] for case_id, case in self.sanctions.items()}, at
        )


def wage_key(employer: str, period: str) -> str:
    return f"{employer}\x00{period}"


def allocate_recovery(claims: dict[str, dict[str, Any]], budget_minor: int) -> dict[str, int]:
    """Spreads one wage's recovery budget over open claims, oldest first, never taking
    more than a claim still owes (so recovery never overshoots)."""
    recoveries: dict[str, int] = {}
    for claim_id, claim in claims.items():  # dicts keep assessment order
        if budget_minor <= 0:
            break
        take = min(claim["outstanding_minor"], budget_minor)
        if take > 0:
            recoveries[claim_id] = take
            budget_minor -= take
    return recoveries


ENTRY_KINDS = {
    "DepositReceived": "deposit",
    "DepositCleared": "deposit_cleared",
    "DepositRejected": "deposit_rejected",
    "CashTakenIntoCustody": "custody_intake",
    "CustodyCredited": "custody_credit",
    "WagePaid": "wage",
    "PhoneCardRecharged": "phone_recharge",
    "EntryReversed": "reversal",
    "TransferredOut": "transfer_out",
    "Released": "release",
    "OrderPlaced": "commissary_order",
    "OrderSettled": "commissary_settlement",
    "CommissaryRefunded": "commissary_refund",
}


def _no_usage() -> dict[str, int]:
    return {"spent_minor": 0, "items": 0}


SOURCE_ES = {"unit": "la Unidad", "regime": "el régimen", "sanction": "una sanción"}

SUB_NAMES_ES = {
    "available": "peculio libre",
    "reserve": "fondo de reserva para egreso",
    "phone": "tarjeta telefónica",
    "held": "retenido para economato",
    "custody": "dinero en custodia",
    "pending": "depósitos pendientes",
}

STATE_NAMES_ES = {
    "pending": "pendiente",
    "cleared": "acreditado",
    "rejected": "rechazado",
    "reversed": "revertido",
}
