"""The registry of depositors: family and friends who fund a PPL's account."""

from __future__ import annotations

from typing import Any
from uuid import uuid4

from ledger.application.context import Context, check_text
from ledger.application.idempotency import IdempotentRequest, Outcome
from ledger.domain.actor import Actor
from ledger.domain.depositor import Depositor
from ledger.domain.errors import Conflict, InvalidInput
from ledger.domain.ids import depositor_document_id
from ledger.domain.index import DocumentIndex
from ledger.domain.money import MAX_MINOR_UNITS


def depositor_view(depositor: Depositor, personal: dict[str, Any]) -> dict[str, Any]:
    return {
        "depositor_id": str(depositor.id),
        "name": personal.get("name", ""),
        "document": personal.get("document", ""),
        "contact": personal.get("contact", ""),
        "relation": depositor.relation,
        "blocked": depositor.blocked,
        "monthly_cap_minor": depositor.monthly_cap_minor,
        "erased": depositor.erased,
    }


class Depositors:
    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx

    def register(self, *, name: str, document: str, relation: str, contact: str,
                 actor: Actor, request: IdempotentRequest | None) -> Outcome:
        """Registers a depositor; one registration per identity document."""
        name = check_text(name, "name")
        document = check_text(document, "document", max_length=40)
        relation = check_text(relation, "relation", max_length=60)
        contact = check_text(contact, "contact", required=False)
        fingerprint = self.ctx.keys.fingerprint(document)

        def decide() -> Any:
            if self.ctx.store.find(depositor_document_id(fingerprint)) is not None:
                raise Conflict("depositor_already_registered", field="document",
                               es="Ya hay un depositante registrado con ese documento.",
                               en="A depositor with that document is already registered.")
            depositor_id = uuid4()
            personal = {"name": name, "document": document, "contact": contact}
            sealed = self.ctx.vault.seal(str(depositor_id), personal)
            now = self.ctx.clock.now()
            depositor = Depositor.register(depositor_id, document_fingerprint=fingerprint,
                                           relation=relation, sealed_personal_data=sealed,
                                           actor=actor, at=now)
            index = DocumentIndex.point(depositor_document_id(fingerprint), kind="depositor",
                                        target=str(depositor_id), at=now)
            return [depositor, index], Outcome(201, depositor_view(depositor, personal))

        return self.ctx.run(request, decide)

    def view(self, depositor_id: str) -> dict[str, Any]:
        depositor = self.ctx.depositor(depositor_id)
        personal = self.ctx.vault.open(depositor_id, depositor.sealed_personal_data)
        return depositor_view(depositor, personal)

    def _change(self, depositor_id: str, request: IdempotentRequest | None,
                command: Any) -> Outcome:
        def decide() -> Any:
            depositor = self.ctx.depositor(depositor_id)
            command(depositor, self.ctx.clock.now())
            personal = self.ctx.vault.open(depositor_id, depositor.sealed_personal_data)
            return [depositor], Outcome(200, depositor_view(depositor, personal))

        return self.ctx.run(request, decide)

    def block(self, depositor_id: str, reason: str, actor: Actor,
              request: IdempotentRequest | None) -> Outcome:
        reason = check_text(reason, "reason")
        return self._change(depositor_id, request, lambda d, t: d.block(reason, actor, t))

    def unblock(self, depositor_id: str, reason: str, actor: Actor,
                request: IdempotentRequest | None) -> Outcome:
        reason = check_text(reason, "reason")
        return self._change(depositor_id, request, lambda d, t: d.unblock(reason, actor, t))

    def set_monthly_cap(self, depositor_id: str, cap_minor: Any, actor: Actor,
                        request: IdempotentRequest | None) -> Outcome:
        if cap_minor is not None and (type(cap_minor) is not int
                                      or not 0 < cap_minor <= MAX_MINOR_UNITS):
            raise InvalidInput("cap_out_of_range", field="monthly_cap_minor",
                               es="El tope debe ser un entero positivo de centésimos, o vacío.",
                               en="The cap must be a positive whole number of minor units, "
                               "or empty.")
        return self._change(depositor_id, request,
                            lambda d, t: d.set_monthly_cap(cap_minor, actor, t))

    def erase_personal_data(self, depositor_id: str, reason: str, actor: Actor,
                            request: IdempotentRequest | None) -> Outcome:
        """Erases the person's data by destroying their key; their deposits stay in the
        ledger under the depositor id alone."""
        reason = check_text(reason, "reason")
        try:
            return self._change(depositor_id, request,
                                lambda d, t: d.erase_personal_data(reason, actor, t))
        finally:
            # After the event is saved (or found already saved), destroy the key; done
            # again on every call so a crash between the two steps heals on retry.
            if self.ctx.depositor(depositor_id).erased:
                self.ctx.vault.erase(depositor_id)
