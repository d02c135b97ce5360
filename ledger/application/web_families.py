"""What families do on the web pages: register themselves, deposit to a PPL whose number
they confirm with the surname, and read their own deposits and receipts — never a balance
or a purchase (V.H.8)."""

from __future__ import annotations

import unicodedata
from datetime import datetime
from typing import Any

from ledger.application.context import Context, check_number
from ledger.application.depositors import Depositors
from ledger.application.deposits import NEEDS_CLEARING, Deposits, parse_channel
from ledger.application.idempotency import IdempotentRequest, Outcome
from ledger.application.users import MIN_PASSWORD, Principal, Users
from ledger.application.web_security import Outcome as Logged
from ledger.application.web_security import SignIns
from ledger.domain.account import Account
from ledger.domain.actor import Actor, Channel, Role
from ledger.domain.errors import Conflict, InvalidInput, LedgerError, NotFound
from ledger.domain.ids import account_id, depositor_document_id, user_id

WEB_CHANNELS = tuple(c for c in NEEDS_CLEARING)  # a family never deposits cash from home


def _words(text: str) -> list[str]:
    plain = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(ch for ch in plain if not unicodedata.combining(ch))
    return "".join(ch if ch.isalnum() else " " for ch in plain).split()


def surname_matches(full_name: str, surname: str) -> bool:
    """The surname is one or more consecutive words of the name after the first (given)
    name; case, accents and punctuation do not matter ("Rodriguez" is "Rodríguez")."""
    name, wanted = _words(full_name), _words(surname)
    if not wanted or len(name) < 2:
        return False
    rest = name[1:]
    return any(rest[i:i + len(wanted)] == wanted for i in range(len(rest) - len(wanted) + 1))


def pairing_refused() -> InvalidInput:
    # One answer for an unknown number and for a wrong surname: it never says which.
    return InvalidInput(
        "ppl_pairing_invalid", field="ppl",
        es="El número penitenciario y el apellido no corresponden a una misma persona. "
           "Revise ambos datos.",
        en="The penitentiary number and the surname do not belong to the same person. "
           "Check both.")


def receipt_not_found() -> NotFound:
    # Same answer for another family's deposit and for an id that does not exist.
    return NotFound("receipt_not_found", field="deposit_id",
                    es="No existe ese comprobante entre sus depósitos.",
                    en="No such receipt among your deposits.")


class FamilyPortal:
    def __init__(self, ctx: Context, depositors: Depositors, deposits: Deposits, users: Users,
                 sign_ins: SignIns) -> None:
        self.ctx = ctx
        self.depositors = depositors
        self.deposits = deposits
        self.users = users
        self.sign_ins = sign_ins

    def register(self, *, name: str, document: str, relation: str, contact: str,
                 username: str, password: str, client: str) -> str:
        """Registers the family member as a depositor and creates their depositor user;
        returns the depositor id. Everything that can be refused is checked first, so a
        refusal leaves neither record behind."""
        self.sign_ins.check_may_register(client)
        self._check_new_user(username, password)
        actor = Actor(user_id=str(user_id(username)), role=Role.DEPOSITOR, channel=Channel.WEB)
        registered = self.depositors.register(name=name, document=document, relation=relation,
                                              contact=contact, actor=actor, request=None)
        depositor_id = str(registered.body["depositor_id"])
        self.users.create(username=username, password=password, role=Role.DEPOSITOR.value,
                          depositor_id=depositor_id, actor=actor)
        self.sign_ins.record(Logged.REGISTERED, username, client, Role.DEPOSITOR.value)
        return depositor_id

    def _check_new_user(self, username: str, password: str) -> None:
        if not isinstance(username, str) or not 3 <= len(username.strip()) <= 60:
            raise InvalidInput("username_invalid", field="username",
                               es="El usuario debe tener de 3 a 60 caracteres.",
                               en="The username needs 3 to 60 characters.")
        if self.ctx.store.find(user_id(username.strip())) is not None:
            raise Conflict("username_taken", field="username",
                           es="Ese nombre de usuario ya existe; elija otro.",
                           en="That username already exists; choose another.")
        if len(password) < MIN_PASSWORD:
            raise InvalidInput("password_too_short", field="password",
                               es=f"La contraseña debe tener al menos {MIN_PASSWORD} "
                                  "caracteres.",
                               en=f"The password needs at least {MIN_PASSWORD} characters.")

    def document_registered(self, document: str) -> bool:
        return self.ctx.store.find(
            depositor_document_id(self.ctx.keys.fingerprint(document))) is not None

    def confirm_ppl(self, number: str, surname: str) -> str:
        """The number exists and the surname is the person's; one refusal for both cases."""
        check_number(number)
        account = self.ctx.store.find(account_id(number))
        if not isinstance(account, Account) or not surname_matches(account.name, surname):
            raise pairing_refused()
        return number

    def deposit(self, principal: Principal, *, number: str, surname: str, amount_minor: int,
                currency: str, channel: str, external_reference: str,
                request: IdempotentRequest | None) -> Outcome:
        """A deposit in the family member's own name, once the number and surname agree."""
        if parse_channel(channel) not in WEB_CHANNELS:
            raise InvalidInput("channel_not_allowed", field="channel",
                               es="Elija transferencia bancaria, giro o pago en línea.",
                               en="Choose bank transfer, money order or online payment.")
        self.sign_ins.check_may_pair(principal.username)
        try:
            self.confirm_ppl(number, surname)
        except LedgerError as error:
            if error.code == "ppl_pairing_invalid":
                self.sign_ins.record(Logged.PAIRING_FAILED, principal.username, "",
                                     principal.role.value)
            raise
        return self.deposits.record(
            number=number, depositor_id=str(principal.depositor_id), amount_minor=amount_minor,
            currency=currency, channel=channel, external_reference=external_reference,
            actor=principal.actor(Channel.WEB), request=request)

    def own_deposits(self, depositor_id: str) -> list[dict[str, Any]]:
        """The depositor's deposits, newest first, with date, channel, reference and state."""
        found = []
        depositor = self.ctx.depositor(depositor_id)
        for number in depositor.funded_ppl:
            found.extend(self._receipts(number, depositor_id))
        return sorted(found, key=lambda r: r["recorded_at"], reverse=True)

    def receipt(self, depositor_id: str, deposit_id: str) -> dict[str, Any]:
        """One of the depositor's own receipts; any other id is 'not found'."""
        for found in self.own_deposits(depositor_id):
            if found["deposit_id"] == deposit_id:
                return found
        raise receipt_not_found()

    def _receipts(self, number: str, depositor_id: str) -> list[dict[str, Any]]:
        account = self.ctx.account(number)
        received: dict[str, tuple[datetime, str, str]] = {}
        for event in self.ctx.store.events.get(account_id(number)):
            if isinstance(event, Account.DepositReceived) and event.depositor_id == depositor_id:
                received[event.deposit_id] = (event.timestamp, event.channel,
                                              event.external_reference)
        return [{"deposit_id": deposit_id, "penitentiary_number": number,
                 "amount_minor": account.deposits[deposit_id]["amount_minor"],
                 "currency": account.currency, "state": account.deposits[deposit_id]["state"],
                 "recorded_at": at, "channel": channel, "external_reference": reference}
                for deposit_id, (at, channel, reference) in received.items()]
