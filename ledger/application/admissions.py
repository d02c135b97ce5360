"""The PPL's life in the unit: admission, sector and regime moves, transfer, release."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import uuid4

from ledger.application.commissary import Commissary
from ledger.application.context import Context, check_number, check_text
from ledger.application.idempotency import IdempotentRequest, Outcome
from ledger.application.views import account_view
from ledger.domain.account import Account, ReleaseKind
from ledger.domain.actor import Actor
from ledger.domain.errors import Conflict, InvalidInput
from ledger.domain.ids import account_id, person_index_id
from ledger.domain.index import DocumentIndex

REGIMES = ("semiabierto", "semicerrado", "cerrado", "aislamiento")


def check_regime(regime: Any) -> str:
    if regime not in REGIMES:
        raise InvalidInput("regime_unknown", field="regime",
                           es=f"Régimen desconocido; use uno de: {', '.join(REGIMES)}.",
                           en=f"Unknown regime; use one of: {', '.join(REGIMES)}.")
    return str(regime)


class Admissions:
    def __init__(self, ctx: Context, commissary: Commissary) -> None:
        self.ctx = ctx
        self.commissary = commissary

    def admit(
        self, *, number: str, name: str, document: str, sector: str, regime: str,
        admitted_at: datetime | None, actor: Actor, request: IdempotentRequest | None,
    ) -> Outcome:
        """Opens the PPL's account at intake; the document may belong to one PPL only."""
        check_number(number)
        name = check_text(name, "name")
        document = check_text(document, "document", max_length=40)
        sector = check_text(sector, "sector", max_length=40)
        check_regime(regime)
        currency = self.ctx.settings().currency
        fingerprint = self.ctx.keys.fingerprint(document)

        def decide() -> Any:
            now = self.ctx.clock.now()
            if self.ctx.store.find(account_id(number)) is not None:
                raise Conflict("ppl_already_admitted", field="penitentiary_number",
                               es=f"Ya existe una cuenta con el número {number}.",
                               en=f"An account with number {number} already exists.")
            if self.ctx.store.find(person_index_id(fingerprint)) is not None:
                raise Conflict("document_already_admitted", field="document",
                               es="Ese documento ya corresponde a otra PPL de la unidad.",
                               en="That document already belongs to another PPL in the unit.")
            account = Account.admit(
                account_id(number), number=number, name=name, document=document,
                document_fingerprint=fingerprint, sector=sector, regime=regime,
                admitted_at=admitted_at or now, currency=currency, actor=actor, at=now,
            )
            index = DocumentIndex.point(person_index_id(fingerprint), kind="ppl",
                                        target=number, at=now)
            return [account, index], Outcome(201, account_view(account))

        return self.ctx.run(request, decide)

    def change_sector(self, number: str, sector: str, reason: str, actor: Actor,
                      request: IdempotentRequest | None) -> Outcome:
        """Daily location change (III.A.11); it moves the PPL to another delivery day."""
        sector = check_text(sector, "sector", max_length=40)

        def decide() -> Any:
            now = self.ctx.clock.now()
            account = self.ctx.account(number)
            account.change_sector(sector, reason, actor, now)
            moved = self.commissary.reschedule_after_sector_move(account, actor, now)
            return [account, *moved], Outcome(200, account_view(account))

        return self.ctx.run(request, decide)

    def change_regime(self, number: str, regime: str, reason: str, actor: Actor,
                      request: IdempotentRequest | None) -> Outcome:
        check_regime(regime)

        def decide() -> Any:
            account = self.ctx.account(number)
            account.change_regime(regime, reason, actor, self.ctx.clock.now())
            return [account], Outcome(200, account_view(account))

        return self.ctx.run(request, decide)

    def transfer_out(self, number: str, destination_unit: str, reference: str, actor: Actor,
                     request: IdempotentRequest | None) -> Outcome:
        """Transfer to another unit: balances leave with the person, the account closes."""
        destination_unit = check_text(destination_unit, "destination_unit")
        reference = check_text(reference, "reference")

        def decide() -> Any:
            account = self.ctx.account(number)
            before = dict(account.balances)
            entry_id = str(uuid4())
            account.transfer_out(entry_id=entry_id, destination_unit=destination_unit,
                                 reference=reference, actor=actor, at=self.ctx.clock.now())
            body = {**account_view(account), "entry_id": entry_id, "carried_out": before}
            return [account], Outcome(200, body)

        return self.ctx.run(request, decide)

    def release(self, number: str, *, kind: str, judge_order: str, court: str, nature: str,
                actor: Actor, request: IdempotentRequest | None) -> Outcome:
        """Release (XII.F). Definitive: every balance is paid out and the account closes.
        Temporary: nothing is paid out."""
        try:
            release_kind = ReleaseKind(kind)
        except ValueError:
            raise InvalidInput("release_kind_unknown", field="kind",
                               es="El egreso es «definitive» o «temporary».",
                               en="The release kind is 'definitive' or 'temporary'.") from None
        judge_order = check_text(judge_order, "judge_order")
        court = check_text(court, "court")
        nature = check_text(nature, "nature")

        def decide() -> Any:
            account = self.ctx.account(number)
            before = dict(account.balances)
            entry_id = str(uuid4())
            account.release(entry_id=entry_id, kind=release_kind, judge_order=judge_order,
                            court=court, nature=nature, actor=actor, at=self.ctx.clock.now())
            paid = before if release_kind is ReleaseKind.DEFINITIVE else {}
            body = {**account_view(account), "entry_id": entry_id, "paid_out": paid}
            return [account], Outcome(200, body)

        return self.ctx.run(request, decide)

    def return_from_temporary_release(self, number: str, actor: Actor,
                                      request: IdempotentRequest | None) -> Outcome:
        def decide() -> Any:
            account = self.ctx.account(number)
            account.return_from_temporary_release(actor, self.ctx.clock.now())
            return [account], Outcome(200, account_view(account))

        return self.ctx.run(request, decide)

    def view(self, number: str) -> dict[str, Any]:
        return account_view(self.ctx.account(number, to_read=True))
