"""What every service needs, built once by bootstrap and passed in (no globals)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from ledger.application.clock import Clock
from ledger.application.idempotency import Decision, IdempotentRequest, Outcome, run_once
from ledger.application.store import LedgerStore
from ledger.domain.account import Account
from ledger.domain.depositor import Depositor
from ledger.domain.errors import InvalidInput, NotFound
from ledger.domain.ids import account_id, unit_id
from ledger.domain.unit import Unit, UnitSettings
from ledger.infrastructure.keys import UnitKeys
from ledger.infrastructure.sidestore import SideStore
from ledger.infrastructure.vault import Vault

MAX_NUMBER_LENGTH = 20


@dataclass
class Context:
    store: LedgerStore
    side: SideStore
    vault: Vault
    keys: UnitKeys
    clock: Clock

    def run(self, request: IdempotentRequest | None, decide: Callable[[], Decision],
            reads: Sequence[UUID] = ()) -> Outcome:
        return run_once(self.store, self.clock, request, decide, reads)

    def account_key(self, number: Any) -> tuple[UUID, ...]:
        """The account's id for a command's `reads`; none for a malformed number (the
        command itself refuses it)."""
        try:
            return (account_id(check_number(number)),)
        except InvalidInput:
            return ()

    @staticmethod
    def id_key(value: Any) -> tuple[UUID, ...]:
        """An aggregate id given as text, for a command's `reads`; none if malformed."""
        try:
            return (UUID(value),)
        except (ValueError, TypeError, AttributeError):
            return ()

    def unit(self) -> Unit:
        return _configured(self.store.find(unit_id()))

    def settings(self) -> UnitSettings:
        # Read without a private copy: settings are replaced, never changed in place.
        return _configured(self.store.read(unit_id())).settings

    def account(self, number: str, *, to_read: bool = False) -> Account:
        """The PPL's account; `to_read` for callers that never change it (no private
        copy is made outside a batch)."""
        key = account_id(check_number(number))
        account = self.store.read(key) if to_read else self.store.find(key)
        if account is None:
            raise NotFound(
                "ppl_not_found",
                field="penitentiary_number",
                es=f"No hay ninguna PPL con el número penitenciario {number}.",
                en=f"No PPL with penitentiary number {number}.",
            )
        return account  # type: ignore[no-any-return]

    def depositor(self, depositor_id: str) -> Depositor:
        key = self.id_key(depositor_id)
        depositor = self.store.find(key[0]) if key else None
        if not isinstance(depositor, Depositor):
            raise NotFound("depositor_not_found", field="depositor_id",
                           es="No existe ese depositante registrado.",
                           en="No such registered depositor.")
        return depositor


def _configured(unit: Unit | None) -> Unit:
    if unit is None:
        raise NotFound("unit_not_configured", es="La unidad aún no está configurada.",
                       en="The unit is not configured yet.")
    return unit


def check_number(number: Any) -> str:
    if (
        not isinstance(number, str)
        or not 0 < len(number) <= MAX_NUMBER_LENGTH
        or not all(ch.isalnum() or ch == "-" for ch in number)
    ):
        raise InvalidInput(
            "penitentiary_number_invalid",
            field="penitentiary_number",
            es="El número penitenciario debe tener de 1 a 20 letras, cifras o guiones.",
            en="The penitentiary number must be 1 to 20 letters, digits or dashes.",
        )
    return number


def check_text(value: Any, field: str, *, required: bool = True, max_length: int = 200) -> str:
    if not isinstance(value, str) or (required and not value.strip()) or len(value) > max_length:
        raise InvalidInput(
            "text_invalid",
            field=field,
            es=f"El campo «{field}» es obligatorio y admite hasta {max_length} caracteres.",
            en=f"The field '{field}' is required and takes up to {max_length} characters.",
        )
    return value.strip()
