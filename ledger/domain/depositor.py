"""A registered depositor (family member or friend, V.H.8).

Personal data (name, document, contact) never enters the ledger in clear: the event holds
it sealed under the person's own key (see ledger/infrastructure/vault.py), so erasing
that key erases the person without rewriting a single money event.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from eventsourcing.domain import Aggregate

from ledger.domain.actor import Actor
from ledger.domain.errors import Conflict, Forbidden
from ledger.domain.money import Money


class Depositor(Aggregate):
    class Registered(Aggregate.Created):
        document_fingerprint: str
        relation: str
        sealed_personal_data: str
        actor: Actor

    class Event(Aggregate.Event):
        actor: Actor

    class Blocked(Event):
        reason: str

        def apply(self, aggregate: Depositor) -> None:
            aggregate.blocked = True
            aggregate.blocked_reason = self.reason

    class Unblocked(Event):
        reason: str

        def apply(self, aggregate: Depositor) -> None:
            aggregate.blocked = False
            aggregate.blocked_reason = ""

    class MonthlyCapSet(Event):
        cap_minor: int | None

        def apply(self, aggregate: Depositor) -> None:
            aggregate.monthly_cap_minor = self.cap_minor

    class DepositCounted(Event):
        """Counts a deposit towards this depositor's monthly cap; saved atomically with
        the account's DepositReceived."""

        month: str
        amount_minor: int
        penitentiary_number: str

        def apply(self, aggregate: Depositor) -> None:
            total = aggregate.deposited_by_month.get(self.month, 0) + self.amount_minor
            aggregate.deposited_by_month[self.month] = total
            aggregate.funded_ppl[self.penitentiary_number] = True

    class DepositUncounted(Event):
        """A rejected or reversed deposit no longer counts towards the cap."""

        month: str
        amount_minor: int

        def apply(self, aggregate: Depositor) -> None:
            aggregate.deposited_by_month[self.month] -= self.amount_minor

    class PersonalDataErased(Event):
        reason: str

        def apply(self, aggregate: Depositor) -> None:
            aggregate.erased = True
            aggregate.sealed_personal_data = ""

    def __init__(
        self, document_fingerprint: str, relation: str, sealed_personal_data: str, actor: Actor
    ) -> None:
        self.document_fingerprint = document_fingerprint
        self.relation = relation
        self.sealed_personal_data = sealed_personal_data
        self.blocked = False
        self.blocked_reason = ""
        self.monthly_cap_minor: int | None = None
        self.deposited_by_month: dict[str, int] = {}
        self.funded_ppl: dict[str, bool] = {}
        self.erased = False

    @classmethod
    def register(
        cls,
        depositor_id: Any,
        *,
        document_fingerprint: str,
        relation: str,
        sealed_personal_data: str,
        actor: Actor,
        at: datetime,
    ) -> Depositor:
        return cls._create(
            cls.Registered,
            id=depositor_id,
            document_fingerprint=document_fingerprint,
            relation=relation,
            sealed_personal_data=sealed_personal_data,
            actor=actor,
            timestamp=at,
        )

    def check_may_deposit(self) -> None:
        if self.erased:
            raise Forbidden("depositor_erased", field="depositor_id",
                            es="Los datos de este depositante fueron eliminados; debe "
                            "registrarse de nuevo.",
                            en="This depositor's data was erased; they must register again.")
        if self.blocked:
            raise Forbidden("depositor_blocked", field="depositor_id",
                            es="El depositante está bloqueado y no puede depositar.",
                            en="The depositor is blocked and cannot deposit.",
                            reason=self.blocked_reason)

    def block(self, reason: str, actor: Actor, at: datetime) -> None:
        if self.blocked:
            raise Conflict("depositor_already_blocked", field="depositor_id",
                           es="El depositante ya está bloqueado.",
                           en="The depositor is already blocked.")
        self.trigger_event(self.Blocked, reason=reason, actor=actor, timestamp=at)

    def unblock(self, reason: str, actor: Actor, at: datetime) -> None:
        if not self.blocked:
            raise Conflict("depositor_not_blocked", field="depositor_id",
                           es="El depositante no está bloqueado.",
                           en="The depositor is not blocked.")
        self.trigger_event(self.Unblocked, reason=reason, actor=actor, timestamp=at)

    def set_monthly_cap(self, cap_minor: int | None, actor: Actor, at: datetime) -> None:
        self.trigger_event(self.MonthlyCapSet, cap_minor=cap_minor, actor=actor, timestamp=at)

    def count_deposit(
        self, *, month: str, amount: Money, penitentiary_number: str, actor: Actor, at: datetime
    ) -> None:
        self.trigger_event(self.DepositCounted, month=month, amount_minor=amount.minor_units,
                           penitentiary_number=penitentiary_number, actor=actor, timestamp=at)

    def uncount_deposit(self, *, month: str, amount_minor: int, actor: Actor, at: datetime) -> None:
        self.trigger_event(self.DepositUncounted, month=month, amount_minor=amount_minor,
                           actor=actor, timestamp=at)

    def erase_personal_data(self, reason: str, actor: Actor, at: datetime) -> None:
        if self.erased:
            raise Conflict("depositor_already_erased", field="depositor_id",
                           es="Los datos ya fueron eliminados.", en="Already erased.")
        self.trigger_event(self.PersonalDataErased, reason=reason, actor=actor, timestamp=at)
