"""The PPL account: admission, moves, money in and out, corrections, balance, statement."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, Response, get, post
from litestar.params import Parameter

from api.deps import idempotent, ledger_of, principal_of
from api.guards import requires, requires_finance_admin, requires_payroll_officer
from api.ppl import schemas as s
from api.respond import respond
from ledger.domain.actor import Role
from ledger.domain.errors import Forbidden

Answer = Response[dict[str, Any]]

requires_depositing = requires(Role.DEPOSIT_DESK, Role.FINANCE_ADMIN, Role.DEPOSITOR)
requires_balance_reader = requires(
    Role.FINANCE_ADMIN, Role.AUDITOR, Role.CONTRACT_INSPECTOR, Role.CLERK
)
requires_statement_reader = requires(Role.FINANCE_ADMIN, Role.AUDITOR, Role.CONTRACT_INSPECTOR)
requires_phone_seller = requires(Role.FINANCE_ADMIN, Role.CLERK)


def _deposit_as(request: Request[Any, Any, Any], data: s.DepositIn) -> str:
    """Staff name the depositor; a signed-in depositor can only deposit as themselves,
    and never in cash (cash is handed in at the desk)."""
    principal = principal_of(request)
    if principal.role is Role.DEPOSITOR:
        if data.depositor_id not in (None, principal.depositor_id):
            raise Forbidden("depositor_mismatch", field="depositor_id",
                            es="Solo puede depositar a su propio nombre.",
                            en="You can only deposit in your own name.")
        if data.channel == "cash_desk":
            raise Forbidden("channel_forbidden", field="channel",
                            es="El efectivo se entrega en la ventanilla de la unidad.",
                            en="Cash is handed in at the unit's desk.")
        return str(principal.depositor_id)
    if not data.depositor_id:
        raise Forbidden("depositor_required", field="depositor_id",
                        es="Indique el depositante registrado.",
                        en="Name the registered depositor.")
    return data.depositor_id


class PplController(Controller):
    path = "/ppl"
    tags = ["ppl"]

    @post("/", guards=[requires_finance_admin], sync_to_thread=True)
    def admit(self, request: Request[Any, Any, Any], data: s.Admission) -> Answer:
        """Admission: opens the PPL's account (one per penitentiary number)."""
        return respond(ledger_of(request).admissions.admit(
            number=data.penitentiary_number, name=data.name, document=data.document,
            sector=data.sector, regime=data.regime, admitted_at=data.admitted_at,
            actor=principal_of(request).actor(), request=idempotent(request, data)))

    @get("/{number:str}", guards=[requires_balance_reader], sync_to_thread=True)
    def view(self, request: Request[Any, Any, Any], number: str) -> dict[str, Any]:
        """The account: identity, sector, regime, status and balances."""
        return ledger_of(request).admissions.view(number)

    @post("/{number:str}/sector", guards=[requires_finance_admin], sync_to_thread=True)
    def change_sector(self, request: Request[Any, Any, Any], number: str,
                      data: s.SectorChange) -> Answer:
        """Location change (III.A.11)."""
        return respond(ledger_of(request).admissions.change_sector(
            number, data.sector, data.reason, principal_of(request).actor(),
            idempotent(request, data)))

    @post("/{number:str}/regime", guards=[requires_finance_admin], sync_to_thread=True)
    def change_regime(self, request: Request[Any, Any, Any], number: str,
                      data: s.RegimeChange) -> Answer:
        return respond(ledger_of(request).admissions.change_regime(
            number, data.regime, data.reason, principal_of(request).actor(),
            idempotent(request, data)))

    @post("/{number:str}/deposits", guards=[requires_depositing], sync_to_thread=True)
    def deposit(self, request: Request[Any, Any, Any], number: str, data: s.DepositIn) -> Answer:
        """A deposit from a registered depositor; the receipt shows no balance."""
        return respond(ledger_of(request).deposits.record(
            number=number, depositor_id=_deposit_as(request, data),
            amount_minor=data.amount_minor, currency=data.currency, channel=data.channel,
            external_reference=data.external_reference, actor=principal_of(request).actor(),
            request=idempotent(request, data)))

    @post("/{number:str}/deposits/{deposit_id:str}/clear", guards=[requires_finance_admin],
          sync_to_thread=True)
    def clear_deposit(self, request: Request[Any, Any, Any], number: str,
                      deposit_id: str) -> Answer:
        """The bank confirmed a pending deposit."""
        return respond(ledger_of(request).deposits.clear(
            number=number, deposit_id=deposit_id, actor=principal_of(request).actor(),
            request=idempotent(request, None)))

    @post("/{number:str}/deposits/{deposit_id:str}/reject", guards=[requires_finance_admin],
          sync_to_thread=True)
    def reject_deposit(self, request: Request[Any, Any, Any], number: str, deposit_id: str,
                       data: s.Rejection) -> Answer:
        """A pending deposit that never arrived."""
        return respond(ledger_of(request).deposits.reject(
            number=number, deposit_id=deposit_id, reason=data.reason,
            actor=principal_of(request).actor(), request=idempotent(request, data)))

    @post("/{number:str}/custody", guards=[requires_finance_admin], sync_to_thread=True)
    def take_into_custody(self, request: Request[Any, Any, Any], number: str,
                          data: s.CustodyIntake) -> Answer:
        """Cash found at intake, held in custody (III.D.6)."""
        return respond(ledger_of(request).funds.take_cash_into_custody(
            number=number, amount_minor=data.amount_minor, currency=data.currency,
            reference=data.reference, actor=principal_of(request).actor(),
            request=idempotent(request, data)))

    @post("/{number:str}/custody/credit", guards=[requires_finance_admin], sync_to_thread=True)
    def credit_custody(self, request: Request[Any, Any, Any], number: str,
                       data: s.AmountIn) -> Answer:
        """Custody cash banked and made available."""
        return respond(ledger_of(request).funds.credit_custody(
            number=number, amount_minor=data.amount_minor, currency=data.currency,
            actor=principal_of(request).actor(), request=idempotent(request, data)))

    @post("/{number:str}/wages", guards=[requires_payroll_officer], sync_to_thread=True)
    def pay_wage(self, request: Request[Any, Any, Any], number: str, data: s.WageIn) -> Answer:
        """One wage: damage recovery, release reserve and available funds."""
        return respond(ledger_of(request).funds.pay_wage(
            number=number, employer=data.employer, period=data.period, hours=data.hours,
            gross_minor=data.gross_minor, currency=data.currency,
            actor=principal_of(request).actor(), request=idempotent(request, data)))

    @post("/{number:str}/damage-claims", guards=[requires_finance_admin], sync_to_thread=True)
    def assess_damage(self, request: Request[Any, Any, Any], number: str,
                      data: s.DamageClaimIn) -> Answer:
        """An intentional-damage claim, recovered from later wages (V.C.3.g)."""
        return respond(ledger_of(request).funds.assess_damage(
            number=number, amount_minor=data.amount_minor, currency=data.currency,
            reason=data.reason, reference=data.reference, actor=principal_of(request).actor(),
            request=idempotent(request, data)))

    @post("/{number:str}/damage-claims/{claim_id:str}/withdraw",
          guards=[requires_finance_admin], sync_to_thread=True)
    def withdraw_damage_claim(self, request: Request[Any, Any, Any], number: str,
                              claim_id: str, data: s.Withdrawal) -> Answer:
        return respond(ledger_of(request).funds.withdraw_damage_claim(
            number=number, claim_id=claim_id, reason=data.reason,
            actor=principal_of(request).actor(), request=idempotent(request, data)))

    @post("/{number:str}/phone-recharges", guards=[requires_phone_seller], sync_to_thread=True)
    def recharge_phone_card(self, request: Request[Any, Any, Any], number: str,
                            data: s.AmountIn) -> Answer:
        """Phone card recharge from the PPL's own available funds."""
        return respond(ledger_of(request).funds.recharge_phone_card(
            number=number, amount_minor=data.amount_minor, currency=data.currency,
            actor=principal_of(request).actor(), request=idempotent(request, data)))

    @post("/{number:str}/corrections", guards=[requires_finance_admin], sync_to_thread=True)
    def correct(self, request: Request[Any, Any, Any], number: str,
                data: s.CorrectionIn) -> Answer:
        """Reverses an entry: a new entry naming the original, the reason and the actor."""
        return respond(ledger_of(request).funds.reverse_entry(
            number=number, original_entry_id=data.original_entry_id, reason=data.reason,
            actor=principal_of(request).actor(), request=idempotent(request, data)))

    @post("/{number:str}/transfer", guards=[requires_finance_admin], sync_to_thread=True)
    def transfer_out(self, request: Request[Any, Any, Any], number: str,
                     data: s.TransferIn) -> Answer:
        """Transfer to another unit; the money leaves with the person."""
        return respond(ledger_of(request).admissions.transfer_out(
            number, data.destination_unit, data.reference, principal_of(request).actor(),
            idempotent(request, data)))

    @post("/{number:str}/release", guards=[requires_finance_admin], sync_to_thread=True)
    def release(self, request: Request[Any, Any, Any], number: str, data: s.ReleaseIn) -> Answer:
        """Release (XII.F): definitive pays everything out; temporary pays nothing."""
        return respond(ledger_of(request).admissions.release(
            number, kind=data.kind, judge_order=data.judge_order, court=data.court,
            nature=data.nature, actor=principal_of(request).actor(),
            request=idempotent(request, data)))

    @post("/{number:str}/return", guards=[requires_finance_admin], sync_to_thread=True)
    def return_from_temporary_release(self, request: Request[Any, Any, Any],
                                      number: str) -> Answer:
        return respond(ledger_of(request).admissions.return_from_temporary_release(
            number, principal_of(request).actor(), idempotent(request, None)))

    @get("/{number:str}/balance", guards=[requires_balance_reader], sync_to_thread=True)
    def balance(self, request: Request[Any, Any, Any], number: str) -> dict[str, Any]:
        """Sub-balances; only `available` is spendable."""
        return ledger_of(request).statements.balances(number)

    @get("/{number:str}/statement", guards=[requires_statement_reader], sync_to_thread=True)
    def statement(
        self, request: Request[Any, Any, Any], number: str,
        start: str = Parameter(query="from"), end: str = Parameter(query="to"),
    ) -> dict[str, Any]:
        """Opening balance, movements and closing balance for days from..to (inclusive)."""
        return ledger_of(request).statements.statement(number, start, end)
